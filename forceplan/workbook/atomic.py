"""Safe file writing: a temporary file in the target folder, then a rename.

A crash, a full disk or a killed process never leaves a half-written file, and an existing
file is only replaced when the caller asks for it.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from forceplan.errors import ForceplanError


def check_target(path: Path, overwrite: bool) -> None:
    if path.suffix.lower() != ".xlsx":
        raise ForceplanError(f"{path}: the file name must end in .xlsx")
    if path.is_dir():
        raise ForceplanError(f"{path} is a folder: give a file name ending in .xlsx")
    if not path.parent.is_dir():
        raise ForceplanError(f"{path}: the folder {path.parent} does not exist")
    if path.exists() and not overwrite:
        raise ForceplanError(
            f"{path} already exists: refusing to overwrite it "
            "(choose another file name, or overwrite it with --force)"
        )
    owner = path.with_name("~$" + path.name)
    if path.exists() and owner.exists():
        raise ForceplanError(
            f"{path} is open in Excel (found {owner.name}): close it first "
            f"(if Excel is not running, delete {owner.name})"
        )


def atomic_write(path: Path, write: Callable[[IO[bytes]], Any], overwrite: bool) -> None:
    """Write through `write(file)` to a temporary file next to `path`, then rename it."""
    tmp, fh = _open_temp(path)
    try:
        with fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        _publish(tmp, path, overwrite)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def _open_temp(path: Path) -> tuple[Path, IO[bytes]]:
    """A new, exclusively created file in `path`'s folder (created with the usual umask)."""
    for _ in range(100):
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
        try:
            return tmp, tmp.open("xb")
        except FileExistsError:
            continue
        except OSError as exc:
            raise ForceplanError(f"cannot write in {path.parent}: {exc.strerror or exc}") from None
    raise ForceplanError(f"cannot create a temporary file in {path.parent}")


def _publish(tmp: Path, path: Path, overwrite: bool) -> None:
    try:
        if overwrite:
            os.replace(tmp, path)
            return
        try:
            os.link(tmp, path)  # fails if `path` appeared meanwhile: never clobber it
        except FileExistsError:
            raise ForceplanError(
                f"{path} already exists: refusing to overwrite it "
                "(choose another file name, or overwrite it with --force)"
            ) from None
        except OSError:  # no hard links on this file system (FAT, some shares)
            if path.exists():
                raise ForceplanError(
                    f"{path} already exists: refusing to overwrite it "
                    "(choose another file name, or overwrite it with --force)"
                ) from None
            os.replace(tmp, path)
            return
        tmp.unlink()
    except PermissionError as exc:
        raise ForceplanError(
            f"cannot write {path}: {exc.strerror or exc} (is it open in Excel?)"
        ) from None
