"""A retry of HiGHS that is not the last gets a bounded share of time (solve.RETRY_FACTOR,
RETRY_FLOOR), so that a strategy that crawls does not keep the next one from running.
Seen on the v2 example at 0.64x the national budget: the simplex without presolve ran for
6 minutes where interior point proved the LP infeasible in 0.9 s."""

from __future__ import annotations

from typing import Any

from forceplan.model import solve
from forceplan.model.highs_lp import RunInfo


class _Highs:
    def getNumCol(self) -> int:
        return 100

    def clearSolver(self) -> None:
        pass


class _FakeLP:
    """Answers each run from a script: (status, seconds), recording the limits it got."""

    is_mip = False

    def __init__(self, script: list[tuple[str, float]]) -> None:
        self.highs = _Highs()
        self.script = list(script)
        self.calls: list[tuple[dict[str, Any], float | None]] = []

    def row_residual(self) -> float:
        return 0.0  # an optimum of this script meets its rows

    def run(self, options: dict[str, Any], time_limit: float | None = None) -> RunInfo:
        self.calls.append((dict(options), time_limit))
        status, seconds = self.script.pop(0)
        if time_limit is not None and seconds > time_limit:
            status, seconds = "time_limit", time_limit
        return RunInfo(status, status == "optimal", None, None, None, seconds)


def _run(script: list[tuple[str, float]], time_limit: float | None = None) -> tuple:
    lp = _FakeLP(script)
    clock = solve._Clock()
    run = solve._run(lp, solve.SolveOptions(), time_limit, clock)  # type: ignore[arg-type]
    return run, lp.calls, clock


def test_a_crawling_retry_hands_over_to_the_next_strategy() -> None:
    run, calls, clock = _run([("not_optimal", 1.6), ("not_optimal", 360.0), ("infeasible", 0.9)])
    assert run.status == "infeasible"
    assert [c[0].get("presolve") for c in calls[1:2]] == ["off"]
    assert calls[1][1] == solve.RETRY_FLOOR  # max(10 s, 5 x 1.6 s)
    assert calls[2][0]["solver"] == "ipm" and calls[2][1] is None  # the last: no cap
    assert clock.seconds == solve.RETRY_FLOOR + 1.6 + 0.9


def test_the_share_grows_with_the_time_already_spent() -> None:
    _, calls, _ = _run([("not_optimal", 40.0), ("optimal", 100.0)])
    assert calls[1][1] == solve.RETRY_FACTOR * 40.0


def test_the_command_deadline_still_wins() -> None:
    # a --time-limit smaller than the share: the retry gets what is left, and running out
    # of it is the command's time limit, reported as such (not handed to the next strategy)
    run, calls, _ = _run([("not_optimal", 1.0), ("not_optimal", 30.0), ("optimal", 1.0)], 5.0)
    assert calls[1][1] == 5.0
    assert run.status == "time_limit" and len(calls) == 2


def test_a_retry_that_answers_within_its_share_is_kept() -> None:
    run, calls, _ = _run([("not_optimal", 1.0), ("optimal", 3.0)])
    assert run.status == "optimal" and len(calls) == 2
