"""Where input is read and checked: one path from a workbook to model data.

Every command reads input through one of three nested steps, so that they accept and
refuse the same workbooks with the same words:

    workbook.load.load_workbook          read: every registry sheet typed, cell problems
      ⊂ workbook.validate.validate_workbook   + the rules across cells and the command's
                                                options (--objective custom needs
                                                weights), sorted: errors first
        ⊂ load_checked (here)            + refuse the workbook on any error (InputError
                                           with every issue), ModelData, and for solve
                                           the LP

`forceplan audit` stops after reading (its INPUTS family reports reading problems; the
audit must not import the model code), `forceplan validate` after checking (it lists
problems, it refuses nothing), `forceplan sweep` at model data (each worker builds its
own LP) and `forceplan solve` at the LP. The steps are timed by the caller's `phase`
hook as "read", "validate" and "build" (Plan_Run's time_*_s rows).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from forceplan.errors import InputError, Issue
from forceplan.workbook.validate import Phase, untimed, validate_workbook

if TYPE_CHECKING:
    from forceplan.inputs import Inputs
    from forceplan.model.core import BuiltModel
    from forceplan.model.data import ModelData


@dataclass(frozen=True)
class ModelOptions:
    """The command's options that override the Settings sheet (None: the sheet's value)."""

    objective: str | None = None
    elastic: bool | None = None
    integer_units: bool | None = None


@dataclass
class Loaded:
    """A workbook read and checked: its inputs, every issue (warnings only: errors were
    refused), its model data and, when asked for, its LP."""

    inputs: Inputs
    issues: list[Issue] = field(default_factory=list)
    data: ModelData | None = None
    built: BuiltModel | None = None


def load_checked(
    path: Path,
    options: ModelOptions | None = None,
    *,
    build_model: bool = False,
    phase: Phase = untimed,
) -> Loaded:
    """Read, check and turn `path` into model data (and its LP when `build_model`).

    Raises InputError with every issue, errors first, when any of them is an error: no
    model is ever built from input with errors."""
    from forceplan.model.data import build_data

    options = options or ModelOptions()
    inputs, issues = validate_workbook(path, options.objective, phase)
    if any(i.severity == "error" for i in issues):
        raise InputError(issues)
    loaded = Loaded(inputs, issues)
    with phase("build"):
        loaded.data = build_data(inputs, options.objective, options.elastic, options.integer_units)
        if build_model:
            from forceplan.model.build import build_model as build

            loaded.built = build(loaded.data)
    return loaded
