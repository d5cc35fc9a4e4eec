"""The run ledger: a tamper-evident record of every `forceplan solve`, in SQLite.

Each solve (optimal, infeasible or stopped) appends one record: time, user, host, the
input file with its SHA-256 and content hash, the plan written and its SHA-256, the
options, the status, the objective and the versions of the tool, solver and libraries.
The default database is `ledger.sqlite` in the user's state folder
(`forceplan.ui.state_dir()`, `$FORCEPLAN_HOME` overrides); `--ledger PATH` picks another.

Hash chain: every record stores `prev_hash`, the `hash` of the record before it (64
zeros for the first), and its own `hash`, the SHA-256 of the canonical JSON of all its
fields (`id` and `prev_hash` included, `hash` excluded; keys sorted, no spaces, UTF-8).
`verify` recomputes every hash and link, so that:

- an edited field makes that record's hash wrong: "record N was altered";
- an edited field with a recomputed hash breaks the next record's link: "record N was
  altered (its hash was recomputed)";
- a deleted record leaves a gap in the record numbers and a broken link;
- deleting the newest records is seen from SQLite's AUTOINCREMENT counter, which remembers
  the highest number ever given.

Version 2 records also carry `seq` (the number of records in the ledger once this one is
in) and `plan_hashes` (per Plan_ sheet of the plan written: the SHA-256 of its values,
`forceplan.provenance.plan_sheet_hashes`); every plan's Plan_Run carries the ledger's head
hash and record count *before* its own record (`ledger_prev_hash`, `ledger_records`).
So deleting the newest records — even with SQLite's counter reset — or wiping every row is
seen by `forceplan audit PLAN` for any plan solved after the deleted records, and by
`forceplan history --verify --expect HASH` against a head hash published earlier
(`forceplan history --head`).

Whoever can write the file can also rebuild the whole chain from some record on: the
ledger proves that records were not edited one by one, not that the file is the original.
Keep copies (or the newest hash) elsewhere when that matters.

A failure to write the ledger never loses a plan: `record_solve_safely` returns a warning
and the solve goes on.
"""

from __future__ import annotations

import hashlib
import json
import math
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from forceplan import run_record
from forceplan.errors import ForceplanError

GENESIS = "0" * 64
LEDGER_NAME = "ledger.sqlite"
FORMAT = "forceplan-ledger-v1"

#: Fields of a record, in column order; all of them but `hash` enter the hash.
FIELDS = (
    "id",
    "time",
    "user",
    "host",
    "input_file",
    "input_sha256",
    "input_content_hash",
    "output_file",
    "output_sha256",
    "status",
    "objective",
    "objective_value",
    "options",
    "versions",
    "prev_hash",
)
#: Fields of version-2 records; they enter the hash only when set, so version-1 records
#: (written before these existed) keep their hashes.
FIELDS_V2 = ("seq", "plan_hashes")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    time TEXT NOT NULL,
    user TEXT,
    host TEXT,
    input_file TEXT,
    input_sha256 TEXT,
    input_content_hash TEXT,
    output_file TEXT,
    output_sha256 TEXT,
    status TEXT,
    objective TEXT,
    objective_value REAL,
    options TEXT,
    versions TEXT,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    seq INTEGER,
    plan_hashes TEXT
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
"""

#: Plan_Run keys (forceplan.run_record) that go into a record's `options` and `versions`.
OPTION_KEYS = run_record.ledger_keys("options")
VERSION_KEYS = run_record.ledger_keys("versions")


def default_path() -> Path:
    from forceplan.ui import state_dir

    return state_dir() / LEDGER_NAME


def canonical(value: Any) -> str:
    """The canonical JSON text that record hashes are computed over."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def record_hash(record: dict[str, Any]) -> str:
    payload = {k: record.get(k) for k in FIELDS}
    payload |= {k: record[k] for k in FIELDS_V2 if record.get(k) is not None}
    return hashlib.sha256(canonical(payload).encode("utf-8")).hexdigest()


# --- writing ----------------------------------------------------------------------------


def record_from_run(run: Any) -> dict[str, Any]:
    """A ledger record (without id, prev_hash, hash) for a finished `SolveRun`."""
    from forceplan.provenance import file_sha256

    rows = dict(run.record())
    output = Path(run.output) if run.output else None
    return {
        "time": str(rows.get("date")),
        "user": rows.get("user"),
        "host": rows.get("host"),
        "input_file": str(Path(run.request.workbook).resolve()),
        "input_sha256": rows.get("input_sha256"),
        "input_content_hash": rows.get("input_content_hash"),
        "output_file": str(output.resolve()) if output else None,
        # the hash of the bytes this run wrote, not of whatever the name holds by now
        "output_sha256": getattr(run, "output_sha256", None)
        or (file_sha256(output) if output and output.exists() else None),
        "status": rows.get("status"),
        "objective": rows.get("objective"),
        "objective_value": _number(rows.get("objective_value")),
        "options": canonical({k: _plain(rows.get(k)) for k in OPTION_KEYS}),
        "versions": canonical({k: _plain(rows.get(k)) for k in VERSION_KEYS}),
        "plan_hashes": _plan_hashes(output, getattr(run, "plan_hashes", None)),
    }


def _plan_hashes(output: Path | None, known: dict[str, Any] | None = None) -> str | None:
    """`known`: the hashes the writer computed from the values it wrote (pipeline)."""
    from forceplan.provenance import plan_sheet_hashes

    if output is None or not output.exists():
        return None
    return canonical(plan_sheet_hashes(output, known))


def head(path: Path) -> tuple[str, int]:
    """(hash of the newest record, number of records); (GENESIS, 0) for no ledger yet.
    Written on a plan's Plan_Run before its own record is appended."""
    path = Path(path)
    if not path.is_file():
        return GENESIS, 0
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
        try:
            last = con.execute("SELECT hash FROM runs ORDER BY id DESC LIMIT 1").fetchone()
            count = con.execute("SELECT count(*) FROM runs").fetchone()[0]
        finally:
            con.close()
    except sqlite3.DatabaseError:
        return GENESIS, 0
    return (last[0] if last else GENESIS), int(count)


def _migrate(con: sqlite3.Connection) -> None:
    """Add the version-2 columns to a ledger created by an older forceplan."""
    columns = {r[1] for r in con.execute("PRAGMA table_info(runs)")}
    for name, kind in (("seq", "INTEGER"), ("plan_hashes", "TEXT")):
        if name not in columns:
            con.execute(f"ALTER TABLE runs ADD COLUMN {name} {kind}")


def append(path: Path, record: dict[str, Any]) -> dict[str, Any]:
    """Append `record` to the ledger at `path` (created if missing); returns the stored
    record with its id, prev_hash and hash. Concurrent solves are serialised by SQLite."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(path, timeout=30, isolation_level=None)
    try:
        con.executescript(_SCHEMA)
        con.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('format', ?)", (FORMAT,))
        con.execute("BEGIN IMMEDIATE")
        try:
            _migrate(con)
            last = con.execute("SELECT hash FROM runs ORDER BY id DESC LIMIT 1").fetchone()
            seq = con.execute("SELECT seq FROM sqlite_sequence WHERE name = 'runs'").fetchone()
            top = con.execute("SELECT max(id) FROM runs").fetchone()[0] or 0
            count = con.execute("SELECT count(*) FROM runs").fetchone()[0]
            stored = {k: record.get(k) for k in FIELDS if k not in ("id", "prev_hash")}
            stored["id"] = max(top, seq[0] if seq else 0) + 1
            stored["prev_hash"] = last[0] if last else GENESIS
            stored["seq"] = int(count) + 1
            stored["plan_hashes"] = record.get("plan_hashes")
            stored["hash"] = record_hash(stored)
            con.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('records', ?)",
                (str(stored["seq"]),),
            )
            con.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES ('head', ?)", (stored["hash"],)
            )
            columns = [*FIELDS, *FIELDS_V2, "hash"]
            con.execute(
                f"INSERT INTO runs ({', '.join(columns)}) "
                f"VALUES ({', '.join('?' for _ in columns)})",
                [stored[c] for c in columns],
            )
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    finally:
        con.close()
    return stored


def record_solve(run: Any, path: Path | None = None) -> dict[str, Any]:
    return append(path or default_path(), record_from_run(run))


def record_solve_safely(run: Any, path: Path | None = None) -> tuple[dict | None, str | None]:
    """(stored record, None), or (None, a warning) when the ledger cannot be written."""
    target = Path(path) if path else default_path()
    if run.outcome is None or run.data is None:
        return None, None  # nothing was solved
    try:
        return record_solve(run, target), None
    except Exception as exc:  # never lose a plan over the ledger
        return None, f"this run was not recorded in the ledger {target}: {exc}"


# --- reading and verifying --------------------------------------------------------------


def _connect_ro(path: Path) -> sqlite3.Connection:
    path = Path(path)
    if not path.is_file():
        raise ForceplanError(
            f"no ledger at {path}: it is created by the first `forceplan solve` "
            "(or choose one with --ledger PATH)"
        )
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        con.row_factory = sqlite3.Row
        columns = {r[1] for r in con.execute("PRAGMA table_info(runs)")}
    except sqlite3.DatabaseError as exc:
        raise ForceplanError(f"{path} is not a forceplan ledger ({exc})") from None
    if not {*FIELDS, "hash"} <= columns:
        con.close()
        raise ForceplanError(f"{path} is not a forceplan ledger (no runs table)")
    return con


def _select(con: sqlite3.Connection) -> list[dict[str, Any]]:
    columns = {r[1] for r in con.execute("PRAGMA table_info(runs)")}
    wanted = [*FIELDS, *[c for c in FIELDS_V2 if c in columns], "hash"]
    rows = [dict(r) for r in con.execute(f"SELECT {', '.join(wanted)} FROM runs ORDER BY id")]
    for row in rows:
        for name in FIELDS_V2:
            row.setdefault(name, None)
    return rows


def read_records(path: Path, limit: int | None = None) -> list[dict[str, Any]]:
    """Records, oldest first (the newest `limit` of them if given)."""
    con = _connect_ro(path)
    try:
        rows = _select(con)
    finally:
        con.close()
    return rows[-limit:] if limit else rows


@dataclass
class ChainCheck:
    path: Path
    records: int
    problems: list[str] = field(default_factory=list)
    altered: list[int] = field(default_factory=list)  # ids of records found altered
    missing: list[int] = field(default_factory=list)  # ids of records found deleted
    head: str | None = None  # hash of the newest record
    expected_at: int | None = None  # record holding the published head (--expect)

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict[str, Any]:
        return {
            "ledger": str(self.path),
            "ok": self.ok,
            "records": self.records,
            "head": self.head,
            "expected_head_at": self.expected_at,
            "altered": self.altered,
            "missing": self.missing,
            "problems": self.problems,
        }

    def text(self) -> str:
        if self.ok:
            return (
                f"ledger {self.path}: chain verified, {self.records} record(s), "
                f"newest hash {self.head or GENESIS}"
            )
        return "\n".join(
            [f"ledger {self.path}: CHAIN BROKEN ({self.records} record(s))"]
            + [f"  {p}" for p in self.problems]
        )


def verify(path: Path, expect: str | None = None) -> ChainCheck:
    """Recompute every record's hash and link; name the records altered, swapped or deleted.

    `expect`: a head hash published earlier (`history --head`); it must still be in the
    chain, else records were deleted from the end or the chain was rebuilt."""
    con = _connect_ro(path)
    try:
        rows = _select(con)
        seq_row = con.execute("SELECT seq FROM sqlite_sequence WHERE name = 'runs'").fetchone()
        meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
    except sqlite3.DatabaseError:
        meta, seq_row = {}, None
    finally:
        con.close()
    check = ChainCheck(Path(path), len(rows))
    by_hash = {r["hash"]: r["id"] for r in rows}
    ids = [r["id"] for r in rows]
    prev: dict[str, Any] | None = None
    for position, rec in enumerate(rows, start=1):
        rid = rec["id"]
        expected_id = prev["id"] + 1 if prev else 1
        if rid > expected_id:
            gap = list(range(expected_id, rid))
            check.missing += gap
            check.problems.append(f"{_span(gap)} missing: deleted from the ledger")
        own_ok = record_hash(rec) == rec["hash"]
        if not own_ok:
            check.altered.append(rid)
            moved = next(
                (k for k in ids if k != rid and record_hash(rec | {"id": k}) == rec["hash"]), None
            )
            if moved is not None:
                check.problems.append(
                    f"record {rid} holds the record written as number {moved}: records were "
                    "swapped or renumbered"
                )
            else:
                check.problems.append(
                    f"record {rid} was altered: its fields no longer match its hash {rec['hash']}"
                )
        elif rec.get("seq") is not None and rec["seq"] != position:
            check.problems.append(
                f"record {rid} was written as record number {rec['seq']} of the ledger but is "
                f"number {position} now: records before it were deleted"
            )
        link = prev["hash"] if prev else GENESIS
        if own_ok and rec["prev_hash"] != link and rid == expected_id:
            if prev is not None and prev["id"] not in check.altered:
                check.altered.append(prev["id"])
                check.problems.append(
                    f"record {prev['id']} was altered: record {rid} holds a different hash for "
                    "it (its own hash was recomputed after the edit)"
                )
            elif prev is None:
                check.problems.append(
                    f"record {rid} does not start the chain (prev_hash is not {GENESIS[:8]}…)"
                )
        prev = rec
    top = rows[-1]["id"] if rows else 0
    seq = seq_row[0] if seq_row else 0
    if seq and seq > top:
        gap = list(range(top + 1, seq + 1))
        check.missing += gap
        check.problems.append(
            f"{_span(gap)} missing: the newest record(s) were deleted "
            f"(the ledger once held record {seq})"
        )
    noted = int(meta.get("records") or 0)
    if noted > len(rows) and not (seq and seq > top):
        check.problems.append(
            f"the ledger noted {noted} record(s) but holds {len(rows)}: records were deleted"
            + (" (every row was wiped)" if not rows else "")
        )
    elif meta.get("head") and rows and meta["head"] != rows[-1]["hash"] and noted == len(rows):
        check.problems.append("the ledger's noted head hash is not its newest record's")
    if expect:
        if expect not in by_hash:
            check.problems.append(
                f"the published head {expect[:16]}… is not in this ledger: records were deleted "
                "from the end, or the chain was rebuilt"
            )
        else:
            check.expected_at = by_hash[expect]
    check.head = rows[-1]["hash"] if rows else None
    return check


def _span(ids: list[int]) -> str:
    return f"record {ids[0]}" if len(ids) == 1 else f"records {ids[0]}–{ids[-1]}"


def _number(value: Any) -> float | None:
    try:
        x = float(value)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


def _plain(value: Any) -> Any:
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def show_history(
    console: Any, path: Path, records: list[dict[str, Any]], chain: ChainCheck
) -> None:
    """The runs as a rich table, then the chain's verdict."""
    from rich.table import Table

    from forceplan import fmt

    # fits 80 columns: two-line cells instead of nine cut columns; user@host when wide
    wide = console.width >= 110
    table = Table(title=f"Runs recorded in {path}", header_style="bold")
    columns = ["#", "time", *(["user@host"] if wide else []), "status", "objective", "files"]
    for col in [*columns, "hash"]:
        table.add_column(col, justify="right" if col == "#" else "left", overflow="fold")
    for rec in records:
        value = rec["objective_value"]
        shown = fmt.money(value) if rec["objective"] == "min_cost" else fmt.number(value)
        output = Path(rec["output_file"]).name if rec["output_file"] else "no plan written"
        cells = [
            str(rec["id"]),
            str(rec["time"] or "")[:16].replace("T", "\n"),
            *([f"{rec['user'] or '?'}@{rec['host'] or '?'}"] if wide else []),
            str(rec["status"] or ""),
            f"{rec['objective'] or ''}\n{shown}",
            f"{Path(rec['input_file'] or '').name}\n→ {output}",
            str(rec["hash"])[:8],
        ]
        table.add_row(*cells, style="red" if rec["id"] in chain.altered else None)
    console.print(table)
    style = "green" if chain.ok else "bold red"
    console.print(chain.text(), style=style, markup=False, highlight=False)
