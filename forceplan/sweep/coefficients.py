"""Sweep levers that are coefficients: price indices and exchange rates (MODEL.md §8.6).

An index or a rate multiplies decision variables, so varying it rewrites matrix entries:

| parameter | rows it enters |
|---|---|
| PriceIndex (b, y) | B1_spending (b, y): base-currency cost terms; B1_committed (b, z) if y = T |
| ExchangeRates (k, y) | B1_spending (·, y): prices in k; B1_committed (·, z) if y = T; |
| | B2_covered (·, y): F of the sources in k |

Every entry of a touched row that depends on any index or rate is rebuilt from the model's
cost ledger as −t · Σ unit · factor, t the coefficient of the row's anchor column (spend or
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

    def add(self, param: tuple[Any, ...]) -> None:
        kind, key, year = param
        d = self.data
        self.params.add(param)
        self.base[param] = (
            d.price_index.get((key, year), 1.0) if kind == "index" else d.rates[(key, year)]
        )
        for row, anchor, terms in self._rows_of(kind, key, year):
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

    def _rows_of(self, kind: str, key: str, year: int):
        """(Pyomo row, anchor variable, [(unit, var, factor)]) of every row the parameter
        enters, with all of that row's factor-dependent terms."""
        d, m, ledger = self.data, self.built.model, self.built.ledger
        scale, last = d.money_scale, d.years[-1]
        lines = [key] if kind == "index" else d.lines
        for line in lines:
            if (line, year) in m.B1_spending:
                terms = [
                    (c / scale, v, ("index", line, year))
                    for c, v in ledger.terms.get((line, year), ())
                ]
                terms += [
                    (c / scale, v, ("rate", k, year))
                    for c, v, k in ledger.foreign.get((line, year), ())
                ]
                if kind == "index" or any(f == ("rate", key, year) for _u, _v, f in terms):
                    yield m.B1_spending[line, year], m.spend[line, year], terms
            if year == last and hasattr(m, "B1_committed"):
                for (b, z), items in ledger.after_horizon.terms.items():
                    if b != line:
                        continue
                    terms = [
                        (c / scale, v, ("index", b, last) if k is None else ("rate", k, last))
                        for c, v, k in items
                    ]
                    if kind == "index" or any(f == ("rate", key, year) for _u, _v, f in terms):
                        yield m.B1_committed[b, z], m.COMMIT[b, z], terms
        if kind == "rate" and d.funding is not None:
            for line in d.lines:
                terms = [
                    (
                        1.0,
                        m.F[s, line, year],
                        None if src.currency is None else ("rate", src.currency, year),
                    )
                    for s, src in d.funding.items()
                    if (s, line, year) in m.F_index
                ]
                if any(f == ("rate", key, year) for _u, _v, f in terms):
                    yield m.B2_covered[line, year], m.spend[line, year], terms

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
