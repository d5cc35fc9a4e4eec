"""Sweep levers that are coefficients: price indices and exchange rates (MODEL.md §8.6).

An index or a rate multiplies decision variables, so varying it rewrites matrix entries:

| parameter | rows it enters |
|---|---|
| PriceIndex (b, y) | B1_spending (b, y): base-currency cost terms; B1_committed (b, z) if y = T |
| ExchangeRates (k, y) | B1_spending (·, y): prices in k; B1_committed (·, z) if y = T; |
| | B2_covered (·, y): F of the sources in k |

The rows come from the budget family (`forceplan.model.budget._coefficient_rows`). Every
entry of a touched row that depends on any index or rate is rebuilt from the model's cost
ledger as −t · Σ unit · factor, t the coefficient of the row's anchor column (spend or
COMMIT, whose sign tells how the row was written), so a scenario never depends on the one
before it. `check` verifies the rebuild reproduces the LP as compiled.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import numpy as np

Factor = tuple[Any, ...] | None  # ("index", line, year) | ("rate", currency, year) | None = 1


class CoefficientLevers:
    def __init__(self, lp: Any, built: Any) -> None:
        self.lp, self.built = lp, built
        self.data = built.data
        self.params: set[tuple[Any, ...]] = set()
        self.base: dict[tuple[Any, ...], float] = {}
        #: (row, col) -> [(unit, factor)]; the entry is −t·Σ unit·value(factor)
        self.entries: dict[tuple[int, int], list[tuple[float, Factor]]] = {}
        self.sign: dict[int, float] = {}  # HiGHS row -> −t
        self._done: set[Any] = set()  # Pyomo rows already registered

    def add(self, param: tuple[Any, ...], base: float, rows: Any) -> None:
        """A parameter, its workbook value, and (Pyomo row, anchor variable, [(unit, var,
        factor)]) of every row it enters (the family's `sweep_levers` lists them)."""
        self.params.add(param)
        self.base[param] = base
        for row, anchor, terms in rows:
            if row in self._done:
                continue
            self._done.add(row)
            r = self.lp.row(row)
            if r is None:
                continue
            self.sign[r] = -self.lp.coefficient(r, self.lp.col(anchor))
            per_col: dict[tuple[int, int], list[tuple[float, Factor]]] = defaultdict(list)
            for unit, var, factor in terms:
                per_col[(r, self.lp.col(var))].append((unit, factor))
            self.entries.update(per_col)

    def _value(self, factor: Factor, params: dict[tuple[Any, ...], float]) -> float:
        if factor is None:
            return 1.0
        if factor in params:
            return params[factor]
        kind, key, year = factor
        if kind == "index":
            return self.data.price_index.get((key, year), 1.0)
        return self.data.rates[(key, year)]

    def values(self, params: dict[tuple[Any, ...], float]) -> list[tuple[int, int, float]]:
        return [
            (r, c, self.sign[r] * sum(u * self._value(f, params) for u, f in items))
            for (r, c), items in self.entries.items()
        ]

    def check(self) -> None:
        """The rebuilt entries equal the compiled ones (a guard against model changes)."""
        for r, c, v in self.values({}):
            have = self.lp.coefficient(r, c)
            if not np.isclose(have, v, rtol=1e-9, atol=1e-12):
                raise RuntimeError("sweep: the model's price coefficients are not where expected")

    def apply(self, params: dict[tuple[Any, ...], float]) -> None:
        if self.entries:
            self.lp.set_coefficients(self.values(params))
