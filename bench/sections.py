"""Sections of bench/RESULTS.md written by different benchmark scripts.

bench/run.py writes the file's main part; other scripts (bench/warm.py, bench/options.py)
own a section between `<!-- bench:NAME -->` and `<!-- /bench:NAME -->`, which every
script keeps when it rewrites its own part.
"""

from __future__ import annotations

import re
from pathlib import Path


def _markers(name: str) -> tuple[str, str]:
    return f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"


def sections(text: str) -> dict[str, str]:
    """name -> whole marked block (markers included) in `text`."""
    found = re.finditer(r"<!-- bench:(\w+) -->.*?<!-- /bench:\1 -->\n?", text, flags=re.S)
    return {m.group(1): m.group(0) for m in found}


def replace_section(path: Path, name: str, body: str) -> None:
    """Put `body` in the section `name` of `path` (appended if the section is new)."""
    start, end = _markers(name)
    block = f"{start}\n{body.rstrip()}\n{end}\n"
    text = path.read_text() if path.exists() else ""
    old = sections(text).get(name)
    text = text.replace(old, block) if old else text.rstrip() + "\n\n" + block
    path.write_text(text)


def keep_sections(old_text: str, new_text: str) -> str:
    """`new_text` with the marked sections of `old_text` appended (a rewrite of the main
    part keeps the other scripts' results)."""
    kept = [b for n, b in sections(old_text).items() if n not in sections(new_text)]
    return new_text.rstrip() + ("\n\n" + "\n".join(kept) if kept else "\n")
