"""max_capability in a sweep: the two HiGHS runs of `forceplan solve`, per scenario.

`forceplan.model.solve` maximises capability (minus penalties), then holds that optimum
and minimises cost: a floor row `capability ≥ stage-1 capability` and every shortfall
capped at its stage-1 value (see `_cost_stage` there for why the hold is split this way).
A sweep keeps that floor row in HiGHS for good and switches between the stages by bounds
and objective vectors, so a scenario is two warm re-solves and nothing is rebuilt:

- stage 1: floor row free, shortfall caps lifted, objective = capability score (max);
- stage 2: floor row at the stage-1 capability, shortfalls capped at their stage-1 values,
  objective = discounted cost (min).

Each stage starts from its own last basis: a stage-2 basis is a poor start for the next
scenario's stage 1 (another objective), its own previous basis a good one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

INF = math.inf


@dataclass
class TieBreak:
    floor_row: int
    capability_cols: np.ndarray
    capability_coefs: np.ndarray
    held: np.ndarray  # shortfall columns capped in stage 2
    held_upper: np.ndarray  # their own upper bounds (stage 1)
    score_objective: tuple[np.ndarray, bool, float]  # (costs, maximise, offset) of stage 1
    cost: tuple[np.ndarray, bool, float]  # of stage 2
    bases: tuple[Any, Any] = (None, None)  # last basis of stage 1 and of stage 2

    @classmethod
    def setup(cls, lp: Any, built: Any, floor_row: int | None) -> TieBreak:
        """From a solved max_capability model: reuse the base solve's floor row (or add
        one) and remember both objectives."""
        import pyomo.core as pyo

        m = built.model
        cols, coefs, _constant = lp.linear(m.capability)
        if floor_row is None:
            floor_row = lp.add_row(-INF, INF, zip(cols.tolist(), coefs.tolist(), strict=True))
        shortfalls = built.shortfall_vars()
        held = np.array([lp.col(v) for v in shortfalls], dtype=np.int64)
        # the variables' own bounds: the base solve left HiGHS with the stage-2 caps
        held_upper = np.array([INF if v.ub is None else v.ub for v in shortfalls], dtype=float)
        return cls(
            floor_row,
            cols,
            coefs,
            held,
            held_upper,
            lp.objective_vector(m.objective.expr, m.objective.sense),
            lp.objective_vector(m.cost, pyo.minimize),
        )

    def stage_one(self, lp: Any) -> None:
        self._keep(lp, 1)
        lp.set_row_bounds([self.floor_row], [-INF], [INF])
        if len(self.held):
            lp.set_col_bounds(self.held, lp.col_bound_arrays(self.held)[0], self.held_upper)
        lp.set_objective(*self.score_objective)
        lp.use_basis(self.bases[0])
        self._stage = 1

    def stage_two(self, lp: Any, x: np.ndarray, slack: float = 0.0) -> None:
        """Hold the stage-1 plan `x`'s capability (less a relative `slack`, see
        forceplan.model.solve.FLOOR_SLACKS) and shortfalls; minimise cost."""
        from forceplan.model.solve import floor_value

        self._keep(lp, 2)
        capability = float(self.capability_coefs @ x[self.capability_cols])
        lp.set_row_bounds([self.floor_row], [floor_value(capability, slack)], [INF])
        if len(self.held):
            lower = lp.col_bound_arrays(self.held)[0]
            lp.set_col_bounds(self.held, lower, np.maximum(0.0, x[self.held]))
        lp.set_objective(*self.cost)
        lp.use_basis(self.bases[1])
        self._stage = 2

    def score(self, x: np.ndarray) -> float:
        """The capability score (stage-1 objective, points) of plan `x`."""
        cost, _maximise, offset = self.score_objective
        return float(cost @ x) + offset

    _stage = 0  # the stage HiGHS was last set up for

    def _keep(self, lp: Any, entering: int) -> None:
        """Remember the basis of the stage being left (when it was run)."""
        leaving = self._stage
        basis = lp.current_basis() if leaving else None
        if basis is not None:
            self.bases = (basis, self.bases[1]) if leaving == 1 else (self.bases[0], basis)
