"""The audit's verdict: rows checked per family, the worst row of each, the report text.

`Checks` collects the rows every family adds (violation, tolerance, label); `AuditReport`
is the verdict `forceplan audit` prints and the report shows, one `FamilyResult` a family.

Tolerance: a row fails when its violation exceeds RTOL × max(1, |rhs|), RTOL = 1e-6, where
rhs is the side recomputed from the inputs (for balances: the whole flow expression). Where
a value is a difference of large ones (Plan_Funding.unspent, a listed shortfall), |rhs| is
replaced by the size of those values when larger: solver noise on a 10¹² budget is not a
violation of a zero. For each family the worst row is the one furthest beyond its own
tolerance (violation / tolerance largest); `max_violation` and `tolerance` are that row's.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

RTOL = 1e-6
MAX_LISTED = 10  # failing rows listed per family


@dataclass
class FamilyResult:
    id: str
    rows_checked: int
    max_violation: float  # violation at the worst row
    worst_row: str
    tolerance: float  # tolerance at the worst row
    failed: int = 0  # rows beyond their tolerance
    failing_rows: list[str] = field(default_factory=list)  # worst first, at most MAX_LISTED

    @property
    def ok(self) -> bool:
        return self.failed == 0


@dataclass
class AuditReport:
    families: list[FamilyResult]
    rtol: float = RTOL
    notes: list[str] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)  # headline figures recomputed

    @property
    def ok(self) -> bool:
        return all(f.ok for f in self.families)

    def __getitem__(self, family_id: str) -> FamilyResult:
        for fam in self.families:
            if fam.id == family_id:
                return fam
        raise KeyError(family_id)

    @property
    def failures(self) -> list[FamilyResult]:
        return [f for f in self.families if not f.ok]

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame(
            [
                {
                    "family": f.id,
                    "ok": f.ok,
                    "rows_checked": f.rows_checked,
                    "failed": f.failed,
                    "max_violation": f.max_violation,
                    "tolerance": f.tolerance,
                    "worst_row": f.worst_row,
                }
                for f in self.families
            ]
        )

    def text(self) -> str:
        head = (
            f"audit {'PASSED' if self.ok else 'FAILED'}: a row fails when its violation "
            f"exceeds {self.rtol:g} × max(1, |rhs|) (for a difference of large values: "
            "their size)"
        )
        lines = [head]
        lines += [n for n in self.notes if n.startswith("most likely edited")]
        for f in self.families:
            mark = "ok  " if f.ok else "FAIL"
            lines.append(
                f"{mark} {f.id:<20} rows {f.rows_checked:>6}  worst {f.max_violation:.3g} "
                f"(tol {f.tolerance:.3g}) at {f.worst_row}"
            )
            lines += [f"       {row}" for row in f.failing_rows if not f.ok]
        return "\n".join(lines + [n for n in self.notes if not n.startswith("most likely")])


class Checks:
    """Rows checked per family: violation, tolerance and a label for each row."""

    def __init__(self, rtol: float = RTOL) -> None:
        self.rtol = rtol
        self.rows: dict[str, list[tuple[np.ndarray, np.ndarray, np.ndarray]]] = defaultdict(list)

    def add(self, fid: str, labels: Any, lhs: Any, sense: str, rhs: Any, scale: Any = None) -> None:
        """Rows `lhs sense rhs` (sense '==', '<=' or '>='); rows with a non-finite rhs are no
        constraint and are skipped; a missing (NaN) lhs is a violation. `scale` (optional):
        the size of the quantities a near-zero rhs is the difference of (e.g. `available`
        for `unspent = available - spent`); the tolerance is then RTOL × max(1, |rhs|,
        |scale|), so that solver noise on large values is not taken for a violation."""
        self.rows[fid]  # the family is reported even with no rows
        lhs = np.asarray(lhs, dtype=float)
        rhs = np.broadcast_to(np.asarray(rhs, dtype=float), lhs.shape)
        labels = np.broadcast_to(np.asarray(labels, dtype=object), lhs.shape)
        size = np.zeros(lhs.shape) if scale is None else np.asarray(scale, dtype=float)
        size = np.broadcast_to(np.nan_to_num(np.abs(size), posinf=0.0), lhs.shape)
        keep = np.isfinite(rhs)
        lhs, rhs, labels, size = lhs[keep], rhs[keep], labels[keep], size[keep]
        if sense == "==":
            viol = np.abs(lhs - rhs)
        elif sense == "<=":
            viol = np.maximum(0.0, lhs - rhs)
        else:
            viol = np.maximum(0.0, rhs - lhs)
        viol = np.where(np.isnan(viol), np.inf, viol)
        tol = self.rtol * np.maximum(np.maximum(1.0, np.abs(rhs)), size)
        self.rows[fid].append((viol, tol, labels))

    def flag(self, fid: str, labels: list[str]) -> None:
        """Structural problems: each label is one failing row."""
        self.add(fid, np.array(labels, dtype=object), np.ones(len(labels)), "==", 0.0)

    def passed(self, fid: str, labels: Any) -> None:
        """Rows that were checked and are fine (e.g. a structural check that found nothing)."""
        labels = np.asarray(labels, dtype=object)
        self.add(fid, labels, np.zeros(len(labels)), "==", 0.0)

    def touch(self, fid: str) -> None:
        self.rows[fid]

    def result(self, fid: str) -> FamilyResult:
        parts = self.rows.get(fid, [])
        if not parts or not sum(len(p[0]) for p in parts):
            return FamilyResult(fid, 0, 0.0, "", 0.0)
        viol = np.concatenate([p[0] for p in parts])
        tol = np.concatenate([p[1] for p in parts])
        labels = np.concatenate([p[2] for p in parts])
        ratio = viol / tol
        order = np.argsort(-ratio, kind="stable")
        worst = order[0]
        bad = order[ratio[order] > 1.0]
        return FamilyResult(
            fid,
            len(viol),
            float(viol[worst]),
            str(labels[worst]),
            float(tol[worst]),
            len(bad),
            [str(labels[i]) for i in bad[:MAX_LISTED]],
        )

    def report(self, order: Sequence[str]) -> list[FamilyResult]:
        """One result per family that has rows, in `order` (then any others as added)."""
        ids = [f for f in order if f in self.rows] + [f for f in self.rows if f not in order]
        return [self.result(f) for f in ids]
