"""What each family of schema.FAMILIES declares is complete and not claimed twice."""

from __future__ import annotations

import importlib
import subprocess
import sys

from forceplan import schema
from forceplan.model.build import family_modules
from forceplan.sweep.engine import sweep_families
from forceplan.sweep.spec import TARGETS


def test_every_vary_target_moves_the_levers_of_exactly_one_family() -> None:
    claimed = [t for module in family_modules() for t in getattr(module, "SWEEP_TARGETS", ())]
    assert sorted(claimed) == sorted(TARGETS)  # each once, none unknown to the grammar
    for target, module in sweep_families().items():
        assert callable(module.sweep_params) and callable(module.sweep_levers), target


def test_every_family_words_its_constraint_ids() -> None:
    for spec in schema.FAMILIES:
        words = importlib.import_module(spec.words_path)
        own = set(words.TITLES)
        assert own <= set(spec.ids), spec.name  # a title only for an ID the family owns
        for fid, _kind in words.KINDS:
            assert any(fid in s.ids for s in schema.FAMILIES), (spec.name, fid)
    worded = {fid for s in schema.FAMILIES for fid in importlib.import_module(s.words_path).TITLES}
    # C2 (multi-year courses) is a term of C1's capacity rows, not rows of its own
    assert worded == {fid for s in schema.FAMILIES for fid in s.ids} - {"C2"}


def test_family_words_do_not_import_pyomo() -> None:
    """The report reads them; Pyomo would add its import time to every report."""
    code = (
        "import sys, importlib\n"
        "from forceplan import schema\n"
        "for s in schema.FAMILIES: importlib.import_module(s.words_path)\n"
        "import forceplan.report.families\n"
        "print(any(m == 'pyomo' or m.startswith('pyomo.') for m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
