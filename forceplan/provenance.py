"""Where a plan came from: hashes of its input workbook, for `Plan_Run`.

Two hashes are recorded:

- `file_sha256`: the SHA-256 of the input file's bytes. It changes whenever the file is
  saved again, even without an edit (zip timestamps, styles, the program that saved it).
- `content_hash`: the SHA-256 of a canonical text of the input *values*: every registry
  sheet (Settings and the tables of MODEL.md §2), typed as the model reads them, with
  defaults applied. Styles, number formats, column order, empty rows, extra sheets and
  extra columns, and the program that saved the file do not enter it, so re-saving a
  workbook in Excel or LibreOffice without changes keeps it. Numbers are written with 15
  significant digits (what a spreadsheet shows and what every program stores exactly).
"""

from __future__ import annotations

import hashlib
import json
import math
from pathlib import Path
from typing import Any

#: Name of the canonical form, recorded next to the hash on Plan_Run.
CONTENT_HASH_METHOD = "forceplan-content-v1: sha256 of sorted JSON of typed registry values"


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def content_hash(inputs: Any) -> str:
    """SHA-256 of the input sheets' typed values, independent of file layout and styles."""
    return hashlib.sha256(canonical_text(inputs).encode("utf-8")).hexdigest()


def canonical_text(inputs: Any) -> str:
    """The canonical JSON text that `content_hash` digests (useful to see what differs)."""
    payload = {
        "settings": {k: _canonical(v) for k, v in inputs.settings.items()},
        "tables": {
            name: [
                {k: _canonical(v) for k, v in rec.items() if not k.startswith("_")}
                for rec in table.records
            ]
            for name, table in sorted(inputs.tables.items())
        },
    }
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _canonical(value: Any) -> Any:
    """A JSON value that does not depend on how a program stored the cell."""
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        rounded = float(f"{value:.15g}")
        return int(rounded) if rounded.is_integer() and abs(rounded) < 2**53 else rounded
    if isinstance(value, tuple | list):
        return [_canonical(v) for v in value]
    if isinstance(value, set | frozenset):
        return sorted(_canonical(v) for v in value)
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in value.items()}
    if hasattr(value, "item"):  # numpy scalar
        return _canonical(value.item())
    return str(value)


def sheet_hashes(inputs: Any) -> dict[str, str]:
    """Per input sheet (Settings, then every registry table, present or not): the SHA-256
    of its part of `canonical_text`, so an audit can name the sheets edited after solving."""
    parts: dict[str, Any] = {"Settings": {k: _canonical(v) for k, v in inputs.settings.items()}}
    for name, table in sorted(inputs.tables.items()):
        parts[name] = [
            {k: _canonical(v) for k, v in rec.items() if not k.startswith("_")}
            for rec in table.records
        ]
    return {
        name: hashlib.sha256(
            json.dumps(part, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
        ).hexdigest()
        for name, part in parts.items()
    }
