"""Prices of the stage-1 optimum (MODEL.md §8.8): duals, reduced costs, the basis, HiGHS
ranging and the part of each price that comes from elastic penalties.

Captured right after the run of the objective the user asked for, before any later stage
(the `max_capability` cost tie-break, a funding-priority stage) changes the HiGHS model,
so every price refers to stage 1. `forceplan.results` turns these arrays into the
`shadow_price`, `side`, `valid_from`, `valid_to` and `price_note` columns of
`Plan_Constraints`.

For a MIP the prices are those of the LP with every integer decision fixed at its optimal
value, solved on a copy of the HiGHS model (the MIP's own instance is left as it is).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from forceplan.model.highs_lp import HighsLP, new_highs


@dataclass
class Sensitivity:
    """Stage-1 prices in HiGHS's row and column order (model units)."""

    row_dual: np.ndarray
    col_dual: np.ndarray
    row_basic: np.ndarray  # bool: the row is basic in the optimal basis
    col_basic: np.ndarray
    #: (down, up): the range over which the active bound of a nonbasic row / column can
    #: move with the same basis, i.e. with the same price (HiGHS ranging); None if HiGHS
    #: gave none (no simplex basis)
    row_range: tuple[np.ndarray, np.ndarray] | None
    col_range: tuple[np.ndarray, np.ndarray] | None
    #: the part of each price that comes from elastic penalties (None: no penalties)
    row_penalty: np.ndarray | None
    col_penalty: np.ndarray | None
    fixed_integers: bool  # True: a MIP, priced as the LP with its integer decisions fixed
    note: str = ""  # why ranging is missing, if it is


def capture(lp: HighsLP, penalty_cols: Iterable[int]) -> Sensitivity | None:
    """The prices of the optimum HiGHS holds now (None if HiGHS cannot give them).

    `penalty_cols` are the HiGHS columns of the elastic shortfall variables: the price
    part they carry is found by solving Bᵀy = c_B with only their costs.
    """
    if lp.is_mip:
        return _capture_fixed_mip(lp, list(penalty_cols))
    return _capture(lp.highs, list(penalty_cols), fixed_integers=False)


def _capture(
    highs, penalty_cols: list[int], fixed_integers: bool, ranged: bool = True
) -> Sensitivity | None:
    """`ranged=False`: without ranging (row_range, col_range None; `_set_ranging` later)."""
    import highspy

    solution = highs.getSolution()
    basis = highs.getBasis()
    if not solution.dual_valid or not basis.valid:
        return None
    basic = highspy.HighsBasisStatus.kBasic
    row_basic = np.array([s == basic for s in basis.row_status], dtype=bool)
    col_basic = np.array([s == basic for s in basis.col_status], dtype=bool)
    row_range, col_range, note = _ranging(highs) if ranged else (None, None, "")
    row_penalty, col_penalty = _penalty_parts(highs, penalty_cols)
    return Sensitivity(
        np.asarray(solution.row_dual, dtype=float),
        np.asarray(solution.col_dual, dtype=float),
        row_basic,
        col_basic,
        row_range,
        col_range,
        row_penalty,
        col_penalty,
        fixed_integers,
        note,
    )


_Ranges = tuple[np.ndarray, np.ndarray]


def _ranging(highs) -> tuple[_Ranges | None, _Ranges | None, str]:
    """(row bound ranges, column bound ranges, note) of the optimum `highs` holds."""
    import highspy

    status, ranging = highs.getRanging()
    if status != highspy.HighsStatus.kOk or not ranging.valid:
        return None, None, "HiGHS gave no ranging for this optimum"
    row_range = (
        np.asarray(ranging.row_bound_dn.value_, dtype=float),
        np.asarray(ranging.row_bound_up.value_, dtype=float),
    )
    col_range = (
        np.asarray(ranging.col_bound_dn.value_, dtype=float),
        np.asarray(ranging.col_bound_up.value_, dtype=float),
    )
    return row_range, col_range, ""


def _set_ranging(sens: Sensitivity, found: tuple[_Ranges | None, _Ranges | None, str]) -> None:
    sens.row_range, sens.col_range, sens.note = found


# --- ranging beside the later stages ----------------------------------------------------
#
# HiGHS's ranging of the example's stage-1 optimum takes ~1 s (one FTRAN per nonbasic
# column), as long as half of stage 1, and highspy holds the GIL while it runs, so it
# cannot overlap Python work. It can overlap another HiGHS run (which releases the GIL):
# when a later stage follows (the funding priority stage, max_capability's cost
# tie-break), the stage-1 optimum is copied into a second HiGHS instance (the same LP and
# basis, factorised afresh: 0 iterations, ~0.01 s on the example) and ranged in a thread
# started as the later stage's first run begins. The copy is used only if it holds
# exactly the same optimum (basis, and every primal and dual value bit for bit): else the
# ranging is done on the original, before the later stages, as without a copy.


#: Seconds the ranging thread waits for the later stage's run to begin (see _work).
START_DELAY = 0.002


class DeferredRanging:
    """The ranging of a `Sensitivity` captured without it, computed on a copy of the
    stage-1 HiGHS instance; `start` (from HighsLP.before_run) runs it in a thread,
    `finish` waits for it (or computes it, if never started) and fills the Sensitivity."""

    def __init__(self, sens: Sensitivity, copy: Any) -> None:
        self.sens = sens
        self._copy = copy
        self._thread: threading.Thread | None = None
        self._found: tuple[_Ranges | None, _Ranges | None, str] | None = None
        self._error: BaseException | None = None

    def start(self) -> None:
        if self._thread is None and self._found is None:
            self._thread = threading.Thread(
                target=self._work, args=(START_DELAY,), name="forceplan-ranging", daemon=True
            )
            self._thread.start()

    def _work(self, wait: float = 0.0) -> None:
        # started just before the later stage's HiGHS run: first let that run begin (it
        # releases the GIL within microseconds; getRanging then holds it for its whole
        # run, and a run not yet started would wait for it). A late start costs only the
        # overlap, never the result.
        time.sleep(wait)
        try:
            self._found = _ranging(self._copy)
        except BaseException as exc:  # re-raised in the caller's thread by finish()
            self._error = exc

    def finish(self) -> Sensitivity:
        if self._thread is not None:
            self._thread.join()
        elif self._found is None:
            self._work()
        self._copy = None  # the copy's memory
        if self._error is not None:
            raise self._error
        assert self._found is not None
        _set_ranging(self.sens, self._found)
        return self.sens


def capture_deferred(
    lp: HighsLP, penalty_cols: Iterable[int]
) -> tuple[Sensitivity | None, DeferredRanging | None]:
    """`capture` for an LP whose stage-1 optimum later stages will change: the prices
    now, the ranging (a DeferredRanging, registered to start with the next HiGHS run of
    `lp`) on a faithful copy; (Sensitivity, None) when there is no faithful copy, the
    ranging then done on `lp` now as `capture` does."""
    if lp.is_mip:
        return capture(lp, penalty_cols), None
    sens = _capture(lp.highs, list(penalty_cols), fixed_integers=False, ranged=False)
    if sens is None:
        return None, None
    copy = _faithful_copy(lp)
    if copy is None:
        _set_ranging(sens, _ranging(lp.highs))
        return sens, None
    pending = DeferredRanging(sens, copy)
    lp.before_run.append(pending.start)
    return sens, pending


#: Options of the last run that decide how HiGHS factorises and solves; the copy uses
#: them, but no log, no presolve (a basis is given) and no time limit.
_NOT_COPIED = ("log_file", "output_flag", "log_to_console", "time_limit", "presolve")


def _faithful_copy(lp: HighsLP) -> Any | None:
    """A second HiGHS instance holding the optimum `lp.highs` holds: the same LP and
    basis, factorised afresh, checked to give the same basis and the same primal and
    dual values bit for bit (None otherwise)."""
    import highspy

    h = lp.highs
    basis, solution = h.getBasis(), h.getSolution()
    copy = new_highs()
    for key, value in lp.last_options.items():
        if key not in _NOT_COPIED:
            copy.setOptionValue(key, value)
    copy.setOptionValue("presolve", "off")
    if copy.passModel(h.getLp()) == highspy.HighsStatus.kError:
        return None
    if copy.setBasis(basis) == highspy.HighsStatus.kError:
        return None
    copy.run()
    if copy.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    if int(copy.getInfo().simplex_iteration_count) != 0:
        return None
    again, theirs = copy.getBasis(), copy.getSolution()
    if list(again.col_status) != list(basis.col_status):
        return None
    if list(again.row_status) != list(basis.row_status):
        return None
    for name in ("col_value", "col_dual", "row_value", "row_dual"):
        mine = np.asarray(getattr(solution, name), dtype=float)
        if not np.array_equal(mine, np.asarray(getattr(theirs, name), dtype=float)):
            return None
    return copy


def _penalty_parts(highs, penalty_cols: list[int]) -> tuple[np.ndarray | None, np.ndarray | None]:
    """Row and column prices computed with only the penalty costs (same basis): the
    price y = B⁻ᵀc_B is linear in c, so this is the part penalties contribute."""
    if not penalty_cols:
        return None, None
    lp = highs.getLp()
    cost = np.asarray(lp.col_cost_, dtype=float)
    penalty = np.zeros_like(cost)
    penalty[penalty_cols] = cost[penalty_cols]
    if not penalty.any():
        return None, None
    _status, basic = highs.getBasicVariables()
    basic = np.asarray(basic)
    c_basic = np.where(basic >= 0, penalty[np.maximum(basic, 0)], 0.0)
    _status, y = highs.getBasisTransposeSolve(c_basic)
    y = np.asarray(y, dtype=float)
    # reduced cost part d = c − Aᵀy, from the constraint matrix in either storage order
    matrix = lp.a_matrix_
    start = np.asarray(matrix.start_, dtype=np.int64)
    index = np.asarray(matrix.index_, dtype=np.int64)
    value = np.asarray(matrix.value_, dtype=float)
    counts = np.diff(start)
    if matrix.format_ == _rowwise():
        rows = np.repeat(np.arange(len(counts)), counts)
        cols = index
    else:
        cols = np.repeat(np.arange(len(counts)), counts)
        rows = index
    aty = np.zeros_like(cost)
    np.add.at(aty, cols, value * y[rows])
    return y, penalty - aty


def _rowwise():
    import highspy

    return highspy.MatrixFormat.kRowwise


def _capture_fixed_mip(lp: HighsLP, penalty_cols: list[int]) -> Sensitivity | None:
    """Prices of the LP with every integer column fixed at its (rounded) optimal value."""
    import highspy

    model = lp.highs.getLp()
    values = np.asarray(lp.highs.getSolution().col_value, dtype=float)
    integer = np.asarray(model.integrality_, dtype=np.int64) if len(model.integrality_) else None
    copy = new_highs()
    copy.setOptionValue("random_seed", 0)
    copy.passModel(model)
    if integer is not None and integer.any():
        cols = np.flatnonzero(integer).astype(np.int32)
        fixed = np.round(values[cols])
        copy.changeColsBounds(len(cols), cols, fixed, fixed)
        copy.changeColsIntegrality(
            len(cols), cols, np.full(len(cols), highspy.HighsVarType.kContinuous)
        )
    copy.run()
    if copy.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    found = _capture(copy, penalty_cols, fixed_integers=True)
    if found is not None:  # ranging of a fixed-integer LP says nothing about the MIP
        found.row_range = found.col_range = None
    return found
