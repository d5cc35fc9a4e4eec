"""Checks on a workbook file before any parser touches it.

Rejects, with one clear sentence each: a missing file, a directory, Excel's `~$` owner
files, legacy `.xls`, encrypted workbooks, CSV or other text renamed to `.xlsx`, corrupt
zips and zip bombs (the uncompressed size is bounded before parsing).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from forceplan.errors import file_error

#: Largest uncompressed size of an xlsx package we agree to parse (all parts together).
MAX_UNCOMPRESSED_BYTES = 2 * 1024**3
#: Largest compression ratio of a single part; real worksheets compress ~10-30x.
MAX_COMPRESSION_RATIO = 1000

_OLE_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")  # .xls and encrypted .xlsx
_ZIP_SIGNATURE = b"PK\x03\x04"


def check_workbook_file(path: Path) -> None:
    """Raise InputError if `path` is not a readable, sane .xlsx package."""
    if path.name.startswith("~$"):
        raise file_error(
            path,
            "this is Excel's lock file for an open workbook, not a workbook: "
            f"open {path.name[2:]} instead",
        )
    if not path.exists():
        raise file_error(path, "file not found")
    if path.is_dir():
        raise file_error(path, "this is a folder, not a workbook (.xlsx) file")
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise file_error(path, f"cannot read the file: {exc.strerror or exc}") from None
    if head.startswith(_OLE_SIGNATURE):
        raise file_error(
            path,
            "this is an encrypted (password-protected) workbook or an old "
            ".xls file: in Excel, remove the password or use File > Save As > "
            "Excel Workbook (.xlsx)",
        )
    if not head.startswith(_ZIP_SIGNATURE):
        kind = (
            "an empty file"
            if not head
            else "not an Excel .xlsx file (perhaps CSV or text renamed to .xlsx)"
        )
        raise file_error(path, f"{kind}: save it from Excel as Excel Workbook (.xlsx)")
    _check_zip(path)


def _check_zip(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise file_error(
            path, f"the file is damaged and cannot be opened as .xlsx ({exc})"
        ) from None
    names = {i.filename for i in infos}
    if "EncryptionInfo" in names or "EncryptedPackage" in names:
        raise file_error(path, "this workbook is encrypted: remove the password in Excel first")
    if "xl/workbook.xml" not in names:
        raise file_error(
            path,
            "this zip file is not an Excel workbook (no xl/workbook.xml); "
            "an .ods or other format must be saved as .xlsx first",
        )
    total = sum(i.file_size for i in infos)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise file_error(
            path,
            f"the workbook unpacks to {total / 1024**3:.1f} GiB, more than the "
            f"{MAX_UNCOMPRESSED_BYTES / 1024**3:.0f} GiB this tool accepts",
        )
    for info in infos:
        if (
            info.compress_size
            and info.file_size / info.compress_size > MAX_COMPRESSION_RATIO
            and info.file_size > 10 * 1024**2
        ):
            raise file_error(
                path,
                f"part {info.filename} unpacks {info.file_size // info.compress_size}"
                "-fold: refusing a suspected zip bomb",
            )
