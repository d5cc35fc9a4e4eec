"""Helpers of the adversarial corpus (tests/test_corpus_*.py): hostile workbooks built by
code, the CLI run in a subprocess, and the user's files hashed before and after.

Every case is run through the real command line (`python -m forceplan ...`) in its own
process, so that a Rust panic, an abort or a signal shows up as what the user sees (an exit
code and a message), not as a crashed test run. The cases import nothing from forceplan, so
the same corpus can be run against an older checkout (PYTHONPATH=old/tree) to count what
it gets wrong.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from wb import Sheets, minimal_sheets, write_workbook

#: Words that must never reach a user: a bug's wording, or a traceback.
BUG_WORDS = ("Traceback", "internal error", "panicked", "RUST_BACKTRACE", "memory allocation")


#: `python -m` puts the working folder first on sys.path: run from one holding no package,
#: so that PYTHONPATH alone decides which forceplan runs.
NEUTRAL_CWD = Path(tempfile.gettempdir())


@dataclass
class Result:
    code: int
    out: str
    err: str
    seconds: float
    max_rss_mb: float

    @property
    def text(self) -> str:
        return self.out + self.err


def forceplan(
    *args: str | Path,
    cwd: Path | None = None,
    timeout: float = 120,
    preexec: Callable[[], None] | None = None,
) -> Result:
    """Run the CLI in a child process; peak memory is that child's maximum RSS."""
    started = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "forceplan", *map(str, args)],
            stdout=out,
            stderr=err,
            text=True,
            cwd=cwd or NEUTRAL_CWD,
            preexec_fn=preexec,
            env=os.environ | {"COLUMNS": "200", "RUST_BACKTRACE": "0"},
        )
        try:
            _pid, status, usage = _wait4(proc.pid, timeout)
        except TimeoutError:
            proc.kill()
            proc.wait()
            raise
        proc.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        return Result(proc.returncode, out.read(), err.read(), seconds, usage.ru_maxrss / 1024)


def _wait4(pid: int, timeout: float):
    """os.wait4 with a timeout (polling): the child's own rusage, not all children's."""
    deadline = time.monotonic() + timeout
    while True:
        done, status, usage = os.wait4(pid, os.WNOHANG)
        if done:
            return done, status, usage
        if time.monotonic() > deadline:
            raise TimeoutError(f"forceplan did not finish within {timeout} s")
        time.sleep(0.01)


def mentions(text: str, word: str) -> bool:
    """`word` is in `text`; a 'Sheet!D7' address also counts when the issues table shows
    the sheet and the cell in neighbouring columns."""
    if word in text:
        return True
    sheet, bang, ref = word.rpartition("!")
    if not bang:
        return False
    return re.search(rf"{re.escape(sheet)}\s*│\s*{re.escape(ref)}\s*│", text) is not None


def snapshot(folder: Path) -> dict[str, str]:
    """Name -> SHA-256 of every file under `folder` (hidden files included)."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def assert_clean(result: Result) -> None:
    """No traceback, no panic, no internal-error wording anywhere in the output."""
    for word in BUG_WORDS:
        assert word not in result.text, f"{word!r} in output:\n{result.text[-3000:]}"


def assert_unchanged(before: dict[str, str], after: dict[str, str], new: set[str] = frozenset()):
    """Every file that was there is byte-identical; only the names in `new` were added."""
    for name, digest in before.items():
        assert after.get(name) == digest, f"{name} was changed or removed"
    added = set(after) - set(before)
    assert added <= set(new), f"unexpected files left behind: {sorted(added - set(new))}"


# --- workbooks ---------------------------------------------------------------------------


def book(path: Path, edit: Callable[[Sheets], None] | None = None) -> Path:
    """The small valid workbook of tests/wb.py, changed by `edit`."""
    sheets = minimal_sheets()
    if edit:
        edit(sheets)
    return write_workbook(path, sheets)


def sheet_part(path: Path, title: str) -> str:
    """The zip part holding sheet `title` (openpyxl numbers them in workbook order)."""
    with zipfile.ZipFile(path) as zf:
        workbook = zf.read("xl/workbook.xml").decode()
        rels = zf.read("xl/_rels/workbook.xml.rels").decode()
    rid = re.search(rf'<sheet[^>]*name="{re.escape(title)}"[^>]*r:id="([^"]+)"', workbook)
    assert rid, f"no sheet {title!r}"
    target = re.search(rf'<Relationship[^>]*Id="{rid.group(1)}"[^>]*Target="([^"]+)"', rels)
    if target is None:  # attribute order differs
        target = re.search(rf'<Relationship[^>]*Target="([^"]+)"[^>]*Id="{rid.group(1)}"', rels)
    assert target
    name = target.group(1)
    return name.lstrip("/") if name.startswith("/") else "xl/" + name


def patch_xml(path: Path, title: str, edit: Callable[[str], str]) -> Path:
    """Rewrite the XML of sheet `title` in place with `edit` (e.g. a crafted cell)."""
    part = sheet_part(path, title)
    tmp = path.with_suffix(".patching")
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == part:
                data = edit(data.decode()).encode()
            zout.writestr(info, data)
    tmp.replace(path)
    return path


def set_cell_xml(xml: str, ref: str, cell_xml: str) -> str:
    """Replace the <c r="ref" ...>...</c> element with `cell_xml`."""
    new, count = re.subn(rf'<c r="{ref}"[^>]*?(?:/>|>.*?</c>)', cell_xml, xml, count=1)
    assert count == 1, f"no cell {ref}"
    return new


def add_far_cell(xml: str, ref: str, dimension: str | None = "keep") -> str:
    """Append one row holding a single text cell at `ref` (e.g. XFD1048576) to a sheet.

    dimension: "keep" leaves <dimension> as written, None removes it, any other text
    replaces its ref (a dimension that lies about the used range)."""
    row = int(re.sub(r"[A-Z]", "", ref))
    cell = f'<row r="{row}"><c r="{ref}" t="inlineStr"><is><t>x</t></is></c></row>'
    xml = xml.replace("</sheetData>", cell + "</sheetData>")
    if dimension is None:
        xml = re.sub(r"<dimension [^>]*/>", "", xml)
    elif dimension != "keep":
        xml = re.sub(r'<dimension ref="[^"]*"', f'<dimension ref="{dimension}"', xml)
    return xml


def rename_sheet(path: Path, old: str, new: str) -> Path:
    """Rename a sheet in place (workbook.xml only: sheet parts are named by number)."""
    tmp = path.with_suffix(".patching")
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "xl/workbook.xml":
                data = data.replace(f'name="{old}"'.encode(), f'name="{new}"'.encode())
            zout.writestr(info, data)
    tmp.replace(path)
    return path


def bad_personnel_rows(folder: Path, count: int) -> Path:
    """The small workbook with `count` extra Personnel rows, each with a negative
    initial_strength (one error per row), written straight as sheet XML (fast)."""
    path = book(folder / "bad_rows.xlsx")

    def add(xml: str) -> str:
        rows = "".join(
            f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>trade{r}</t></is></c>'
            f'<c r="B{r}" t="inlineStr"><is><t>E</t></is></c><c r="C{r}"><v>-5</v></c></row>'
            for r in range(6, 6 + count)
        )
        xml = re.sub(r"<dimension [^>]*/>", "", xml)
        return xml.replace("</sheetData>", rows + "</sheetData>")

    return patch_xml(path, "Personnel", add)
