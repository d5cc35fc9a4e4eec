"""The output policy of every command that writes a file (solve, report, template, sweep,
compare, generate): one module, so every command behaves the same.

1. An existing file is never replaced without --force; with --force it is first copied
   to `NAME.bak.EXT` (or `NAME.bak-<time>.EXT`), then replaced.
2. A default name (no -o) never replaces anything: if `army.plan.xlsx` exists, the plan
   goes to `army.plan-2.xlsx` (then -3 ...). A plan solved again (`army.plan.xlsx` as
   input) therefore gets a new name, never its own.
3. A file a command reads is never its output without --force.
4. Two writers of one path cannot both succeed: the finished file is published with
   link(2), which fails if the name exists (exclusive create); forced replacements are
   serialised by a lock on the folder, which the OS drops when a process dies.
5. The file is written completely (fsync) before it gets its name, so a crash, a full
   disk or a kill never leaves a half-written file under the user's name. On Linux the
   unfinished file has no name at all (O_TMPFILE): a kill, even kill -9, leaves nothing
   behind. Elsewhere it is `.~forceplan-<pid>-<random>.tmp` in the target folder, removed
   on any error or SIGTERM, and, after a kill -9, by the next run writing to that folder
   (only files whose process is gone).
6. A full disk or a file-size limit (ulimit -f; SIGXFSZ is ignored so that the write
   fails instead of killing the process) is an input error (exit 2) naming the path.
7. The SHA-256 of the bytes written is returned, for the run ledger: the hash of the file
   that this command put there, not of whatever the name holds later.
"""

from __future__ import annotations

import contextlib
import errno
import gc
import hashlib
import os
import re
import secrets
import shutil
import signal
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from forceplan.errors import ForceplanError

#: Temporary names of unfinished files: `.~forceplan-<pid>-<hex>.tmp`.
_TEMP = re.compile(r"^\.~forceplan-(\d+)-[0-9a-f]{12}\.tmp$")
#: Temporary names of versions before this policy: `.<name>.<hex>.tmp` (cleaned if old).
_OLD_TEMP = re.compile(r"^\..+\.(?:xlsx|html|pdf)\.[0-9a-f]{12}\.tmp$")
_OLD_TEMP_AGE = 3600.0
_SPACE_ERRNOS = {errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC)}


@dataclass(frozen=True)
class Written:
    path: Path
    sha256: str
    backup: Path | None = None


@dataclass
class OutputTarget:
    """Where one command writes one file, and what it may do there."""

    path: Path
    force: bool = False
    explicit: bool = True  # named by the user; False: a default name, moved to a free one
    suffixes: tuple[str, ...] = (".xlsx",)
    inputs: tuple[Path, ...] = ()  # files the command reads

    def check(self) -> Path:
        """Checks made before any work: name, folder, inputs, an existing file. For a
        default name that is taken, moves to the next free name. Returns the path."""
        path = self.path
        if self.suffixes and path.suffix.lower() not in self.suffixes:
            wanted = " or ".join(self.suffixes)
            raise ForceplanError(f"{path}: the file name must end in {wanted}")
        if len(path.name) > 218:  # Excel cannot open longer names
            raise ForceplanError(f"{path}: the file name is too long for Excel")
        if path.is_dir():
            raise ForceplanError(f"{path} is a folder: give a file name")
        if not path.parent.is_dir():
            raise ForceplanError(f"{path}: the folder {path.parent} does not exist")
        if not self.explicit and not self.force:
            self.path = path = free_name(path)
        for source in self.inputs:
            if same_file(source, path) and not self.force:
                raise ForceplanError(
                    f"{path} is the input workbook of this command: the output is written to "
                    "a new file (choose another -o, or use --force to replace it and keep a "
                    "backup)"
                )
        owner = path.with_name("~$" + path.name)
        if owner.exists() and not self.force:
            raise ForceplanError(
                f"{path} is open in Excel (found {owner.name}): close it first, or choose "
                "another name (or use --force to replace it and keep a backup; if Excel is "
                f"not running, delete {owner.name})"
            )
        if path.exists() and not self.force:
            raise _exists(path)
        return path


def _exists(path: Path) -> ForceplanError:
    return ForceplanError(
        f"{path} already exists: refusing to replace it "
        "(choose another file name, or use --force to replace it and keep a backup)"
    )


def free_name(path: Path) -> Path:
    """`path` if no file has that name, else `stem-2.ext`, `stem-3.ext` ..."""
    if not path.exists():
        return path
    stem, suffix = path.stem, path.suffix
    for n in range(2, 10_000):
        candidate = path.with_name(f"{stem}-{n}{suffix}")
        if not candidate.exists():
            return candidate
    raise ForceplanError(f"cannot find a free file name next to {path}")


def same_file(a: Path, b: Path) -> bool:
    try:
        if a.resolve() == b.resolve():
            return True
        return a.exists() and b.exists() and a.samefile(b)
    except OSError:
        return False


# --- writing ---------------------------------------------------------------------------


def write_output(target: OutputTarget, write: Callable[[IO[bytes]], Any]) -> Written:
    """Write through `write(file)` and publish the result under the policy above."""
    path = target.path
    clean_stale_temps(path.parent)
    with (
        _space_errors(path),
        _terminate_as_exception(),
        _unfinished(path.parent) as (fh, name_of),
    ):
        write(fh)
        fh.flush()
        os.fsync(fh.fileno())
        digest = _sha256(fh)
        return _publish(target, name_of, digest)


def check_target(path: Path, overwrite: bool) -> None:
    """An explicitly named .xlsx output (template, generate, sweep -o, compare -o)."""
    OutputTarget(path, force=overwrite).check()


def atomic_write(path: Path, write: Callable[[IO[bytes]], Any], overwrite: bool) -> Written:
    """Write an explicitly named file; with `overwrite`, an existing one is backed up."""
    return write_output(OutputTarget(path, force=overwrite, suffixes=()), write)


def _sha256(fh: IO[bytes]) -> str:
    digest = hashlib.sha256()
    fh.seek(0)
    while block := fh.read(1 << 20):
        digest.update(block)
    return digest.hexdigest()


@contextlib.contextmanager
def _unfinished(folder: Path) -> Iterator[tuple[IO[bytes], Callable[[Path], None]]]:
    """An unfinished file in `folder` and `link(name)`, which gives it a name only if the
    name is free (FileExistsError otherwise). Nothing is left if the block fails."""
    fd = _anonymous(folder)
    if fd is not None:
        fh = os.fdopen(fd, "w+b")
        proc = f"/proc/self/fd/{fd}"

        def link(name: Path) -> None:
            os.link(proc, name)  # linkat(AT_SYMLINK_FOLLOW): the nameless file gets `name`

        with fh:
            yield fh, link
        return
    tmp, fh = _named_temp(folder)
    try:
        with fh:

            def link_named(name: Path) -> None:
                try:
                    os.link(tmp, name)
                except FileExistsError:
                    raise
                except OSError:  # no hard links here (FAT, some shares): check, then rename
                    if name.exists():
                        raise FileExistsError(str(name)) from None
                    os.replace(tmp, name)

            yield fh, link_named
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


#: Folders' devices where an unnamed file can be given a name (probed once each).
_NAMEABLE: dict[int, bool] = {}


def _anonymous(folder: Path) -> int | None:
    """A file without a name in `folder` (Linux O_TMPFILE), or None where unsupported
    (other systems, file systems without O_TMPFILE, sandboxes refusing linkat on it)."""
    flag = getattr(os, "O_TMPFILE", None)
    if flag is None or not os.path.isdir("/proc/self/fd"):
        return None
    try:
        fd = os.open(folder, flag | os.O_RDWR, 0o666)
    except OSError as exc:
        if exc.errno in (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL, errno.ENOENT):
            return None  # the file system has no unnamed files: use a named temp
        raise
    device = os.fstat(fd).st_dev
    if device not in _NAMEABLE:
        _NAMEABLE[device] = _probe_naming(fd, folder)
    if not _NAMEABLE[device]:
        os.close(fd)
        return None
    return fd


def _probe_naming(fd: int, folder: Path) -> bool:
    probe = folder / f".~forceplan-{os.getpid()}-{secrets.token_hex(6)}.tmp"
    try:
        os.link(f"/proc/self/fd/{fd}", probe)
    except OSError:
        return False
    with contextlib.suppress(OSError):
        probe.unlink()
    return True


def _named_temp(folder: Path) -> tuple[Path, IO[bytes]]:
    for _ in range(100):
        tmp = folder / f".~forceplan-{os.getpid()}-{secrets.token_hex(6)}.tmp"
        try:
            return tmp, tmp.open("x+b")
        except FileExistsError:
            continue
    raise ForceplanError(f"cannot create a temporary file in {folder}")


def _publish(target: OutputTarget, link: Callable[[Path], None], digest: str) -> Written:
    path = target.path
    if not target.force:
        while True:
            try:
                link(path)
                return Written(path, digest)
            except FileExistsError:
                if target.explicit:  # another writer got there first: never clobber it
                    raise _exists(path) from None
                path = target.path = free_name(path)
    with _folder_lock(path.parent):
        backup = make_backup(path) if path.exists() else None
        with _named_link(path.parent, link) as tmp:
            os.replace(tmp, path)
    return Written(path, digest, backup)


@contextlib.contextmanager
def _named_link(folder: Path, link: Callable[[Path], None]) -> Iterator[Path]:
    """The finished file under a temporary name (removed if the rename does not happen)."""
    for _ in range(100):
        tmp = folder / f".~forceplan-{os.getpid()}-{secrets.token_hex(6)}.tmp"
        try:
            link(tmp)
            break
        except FileExistsError:
            continue
    else:
        raise ForceplanError(f"cannot create a temporary file in {folder}")
    try:
        yield tmp
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


@contextlib.contextmanager
def _folder_lock(folder: Path) -> Iterator[None]:
    """Serialise forced replacements in `folder` (flock on the folder itself: no lock
    file to leave behind; the kernel releases it when the process ends)."""
    try:
        import fcntl
    except ImportError:  # Windows: replacing an open file fails there anyway
        yield
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def backup_path(target: Path) -> Path:
    """`plan.xlsx` -> `plan.bak.xlsx`, or `plan.bak-20260101-120000.xlsx` if that exists."""
    suffix = target.suffix
    stem = target.name[: -len(suffix)] if suffix else target.name
    candidate = target.with_name(f"{stem}.bak{suffix}")
    if not candidate.exists():
        return candidate
    stamp = time.strftime("%Y%m%d-%H%M%S")
    for n in range(1000):
        extra = f"-{n}" if n else ""
        candidate = target.with_name(f"{stem}.bak-{stamp}{extra}{suffix}")
        if not candidate.exists():
            return candidate
    raise ForceplanError(f"cannot find a free backup file name for {target}")


def make_backup(target: Path) -> Path:
    """Copy `target` to a new backup file (never over another file); returns its path."""
    with target.open("rb") as src, _unfinished(target.parent) as (fh, link):
        shutil.copyfileobj(src, fh)
        fh.flush()
        os.fsync(fh.fileno())
        while True:
            backup = backup_path(target)
            try:
                link(backup)
                break
            except FileExistsError:
                continue
    shutil.copystat(target, backup)
    return backup


# --- disk full, signals, leftovers ---------------------------------------------------------


def ignore_file_size_signal() -> None:
    """Make a write past `ulimit -f` fail with EFBIG (handled) instead of killing us."""
    if hasattr(signal, "SIGXFSZ"):
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)


@contextlib.contextmanager
def _space_errors(path: Path) -> Iterator[None]:
    try:
        yield
    except OSError as exc:
        if exc.errno in _SPACE_ERRNOS:
            _finalize_quietly()
            raise ForceplanError(no_space_message(path, exc)) from None
        if isinstance(exc, PermissionError):
            raise ForceplanError(
                f"cannot write {path}: {exc.strerror or exc} (is it open in Excel, or is "
                "the folder read-only?)"
            ) from None
        raise


def no_space_message(path: Path, exc: OSError) -> str:
    device = _device_of(path.parent)
    if exc.errno == errno.EFBIG:
        why = "the file-size limit of this session (ulimit -f) was reached"
    elif exc.errno == getattr(errno, "EDQUOT", None):
        why = "your disk quota is used up"
    else:
        why = "the disk is full"
    return (
        f"no space left on {device} to write {path}: {why}. Nothing was written under "
        "that name; free some space (or write elsewhere with -o) and run again"
    )


def _device_of(folder: Path) -> str:
    """The mount point holding `folder` (for the message), or the folder itself."""
    try:
        current = folder.resolve()
        while not os.path.ismount(current) and current != current.parent:
            current = current.parent
        return str(current)
    except OSError:
        return str(folder)


def _finalize_quietly() -> None:
    """A failed save leaves writer objects behind (openpyxl's generators, a ZipFile) whose
    clean-up fails again when they are collected, and Python prints that as 'Exception
    ignored in ...' with a traceback. From here on such clean-up failures (ValueError,
    OSError: the file is closed or the disk full) are dropped silently; others still print."""
    previous = sys.unraisablehook

    def hook(unraisable: Any) -> None:
        if not isinstance(unraisable.exc_value, ValueError | OSError):
            previous(unraisable)

    sys.unraisablehook = hook
    gc.collect()


class _Terminated(BaseException):
    """SIGTERM arrived while a file was being written."""


@contextlib.contextmanager
def _terminate_as_exception() -> Iterator[None]:
    """While writing, SIGTERM unwinds (cleaning up) instead of ending the process at once;
    the process then ends with the usual 128 + SIGTERM status."""
    if not hasattr(signal, "SIGTERM") or not _main_thread():
        yield
        return

    def handler(_signum: int, _frame: Any) -> None:
        raise _Terminated

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    except _Terminated:
        signal.signal(signal.SIGTERM, previous)
        os.kill(os.getpid(), signal.SIGTERM)
        raise SystemExit(128 + signal.SIGTERM) from None
    finally:
        with contextlib.suppress(ValueError, TypeError):
            signal.signal(signal.SIGTERM, previous)


def _main_thread() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()


def clean_stale_temps(folder: Path) -> list[Path]:
    """Remove unfinished files of processes that no longer run (killed with kill -9
    where unnamed files are not available), and old-style temps over an hour old."""
    removed = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    now = time.time()
    for entry in entries:
        if not entry.name.startswith(".") or not entry.name.endswith(".tmp"):
            continue
        match = _TEMP.match(entry.name)
        try:
            stale = (
                not _alive(int(match.group(1)))
                if match
                else bool(_OLD_TEMP.match(entry.name))
                and now - entry.stat().st_mtime > _OLD_TEMP_AGE
            )
            if stale and entry.is_file(follow_symlinks=False):
                os.unlink(entry.path)
                removed.append(Path(entry.path))
        except OSError:
            continue
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True
