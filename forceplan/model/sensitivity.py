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

from collections.abc import Iterable
from dataclasses import dataclass

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


def _capture(highs, penalty_cols: list[int], fixed_integers: bool) -> Sensitivity | None:
    import highspy

    solution = highs.getSolution()
    basis = highs.getBasis()
    if not solution.dual_valid or not basis.valid:
        return None
    basic = highspy.HighsBasisStatus.kBasic
    row_basic = np.array([s == basic for s in basis.row_status], dtype=bool)
    col_basic = np.array([s == basic for s in basis.col_status], dtype=bool)
    row_range = col_range = None
    note = ""
    status, ranging = highs.getRanging()
    if status == highspy.HighsStatus.kOk and ranging.valid:
        row_range = (
            np.asarray(ranging.row_bound_dn.value_, dtype=float),
            np.asarray(ranging.row_bound_up.value_, dtype=float),
        )
        col_range = (
            np.asarray(ranging.col_bound_dn.value_, dtype=float),
            np.asarray(ranging.col_bound_up.value_, dtype=float),
        )
    else:
        note = "HiGHS gave no ranging for this optimum"
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
