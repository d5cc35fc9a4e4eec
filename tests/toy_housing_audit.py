"""The audit checks of the toy family H1 (tests/toy_housing.py), in the protocol of
`forceplan.audit.families`: re-derived from the plan's tables and the Housing input sheet
alone, never from the model (tests/test_toy_family.py).

    H1: Σ_{p active} strength[p,y] − housing shortfall[y] ≤ Housing.capacity[y]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from forceplan.audit.prices import rebuilt

REPORTS = ("H1",)


def _rows(ctx) -> tuple[list[str], np.ndarray, np.ndarray]:
    capacity = {r["year"]: r["capacity"] for r in ctx.inputs["Housing"]}
    years = sorted(capacity)
    pp = ctx.pp[ctx.pp["component"] == "active"]
    housed = pp.groupby("year")["strength"].sum().reindex(years, fill_value=0.0)
    short = ctx.tables.get("Plan_Shortfalls")
    if ctx.elastic and short is not None and len(short):
        mine = short[short["kind"] == "housing"].groupby("year")["amount"].sum()
        housed = housed - mine.reindex(years, fill_value=0.0)
    labels = [f"barracks {y}" for y in years]
    return labels, housed.to_numpy(dtype=float), np.array([capacity[y] for y in years])


def check(ctx, checks) -> None:
    labels, housed, capacity = _rows(ctx)
    checks.add("H1", labels, housed, "<=", capacity)


def constraint_rows(ctx) -> dict[tuple[str, str], pd.DataFrame]:
    labels, housed, capacity = _rows(ctx)
    return {("H1", "barracks ≤ capacity"): rebuilt(labels, housed, np.nan, capacity)}
