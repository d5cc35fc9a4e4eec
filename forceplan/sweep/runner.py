"""Running scenarios: in this process, in local worker processes, or on a Dask cluster.

Every worker builds the model once (`SweepEngine`) and then re-solves scenarios. Workers
get the workbook (a path locally, its bytes on Dask) and the spec texts, never Pyomo
objects. Rows come back one by one as they finish and are handed to `on_row` (which
appends them to the checkpoint file), so a worker that dies loses nothing finished.

Local workers take small chunks of consecutive scenarios from one queue (neighbouring
scenarios re-solve fastest from each other's basis; small chunks share costly stretches
between workers). If a worker process dies, the scenario it was solving is retried once
in a new worker and marked `worker_died` if that dies too; the rest of its chunk goes
back to the queue.

Dask: tasks are chunks of consecutive scenarios; each Dask worker process caches its
engine (keyed by the workbook's SHA-256, the specs and the options). The scenarios of a
chunk whose worker died (after Dask's own retries) are retried at the end one at a time,
so that a second death names its scenario, which is then marked `worker_died`.
"""

from __future__ import annotations

import contextlib
import hashlib
import multiprocessing as mp
import os
import signal
import sys
import tempfile
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from forceplan.errors import ForceplanError
from forceplan.sweep.engine import SweepEngine, SweepOptions, empty_row
from forceplan.sweep.scenarios import Scenario

OnRow = Callable[[dict[str, Any]], None]
CHUNK = 16  # at most this many consecutive scenarios go to a local worker at a time


@dataclass
class SweepJob:
    workbook: Path
    specs: list[str]
    options: SweepOptions
    scenarios: list[Scenario]
    workers: int = 1
    scheduler: Any = None  # address of a Dask scheduler (or a distributed.Client)


@dataclass
class SweepResult:
    rows: list[dict[str, Any]]
    base: dict[str, Any]
    timings: dict[str, float] = field(default_factory=dict)
    workers: int = 1
    restarts: int = 0
    #: worker processes that died: {"scenario", "exit_code", "retried"} each
    deaths: list[dict[str, Any]] = field(default_factory=list)


def run_sweep(job: SweepJob, on_row: OnRow | None = None) -> SweepResult:
    on_row = on_row or (lambda _row: None)
    started = time.perf_counter()
    if job.scheduler is not None:
        result = _run_dask(job, on_row)
    elif job.workers <= 1:
        result = _run_inline(job, on_row)
    else:
        result = _run_local(job, on_row)
    result.rows.sort(key=lambda r: r["scenario"])
    result.timings["sweep_total"] = time.perf_counter() - started
    return result


# --- in this process ---------------------------------------------------------------------


def _run_inline(job: SweepJob, on_row: OnRow) -> SweepResult:
    engine = SweepEngine(job.workbook, job.specs, job.options)
    first = time.perf_counter()
    rows = []
    for scenario in job.scenarios:
        row = engine.evaluate(scenario)
        rows.append(row)
        on_row(row)
    return SweepResult(
        rows,
        engine.base,
        {"worker_setup": engine.base["timings"]["total"], "scenarios": time.perf_counter() - first},
        workers=1,
    )


# --- local worker processes --------------------------------------------------------------


def _worker_main(conn: Any, workbook: str, specs: list[str], options: dict[str, Any]) -> None:
    """A local worker: build once, then solve the chunks it is sent, one row at a time."""
    try:
        engine = SweepEngine(Path(workbook), specs, SweepOptions(**options))
    except BaseException as exc:
        conn.send(("init_error", f"{type(exc).__name__}: {exc}", traceback.format_exc()))
        return
    conn.send(("ready", engine.base))
    while True:
        try:
            chunk = conn.recv()
        except EOFError:
            return
        if chunk is None:
            return
        for scenario in chunk:
            conn.send(("row", engine.evaluate(scenario)))
        conn.send(("idle", None))


@dataclass
class _Worker:
    process: Any
    conn: Any
    ready: bool = False
    inflight: deque[Scenario] = field(default_factory=deque)


class _LocalPool:
    """Worker processes fed with chunks of consecutive scenarios from one queue.

    Chunks are small, so costly stretches (e.g. a run of infeasible budgets) are shared
    between workers, and consecutive, so each re-solve starts near its predecessor.
    """

    def __init__(self, job: SweepJob, on_row: OnRow) -> None:
        self.job, self.on_row = job, on_row
        self.ctx = mp.get_context("spawn")  # no fork of a process with threads (rich, HiGHS)
        self.options = asdict(job.options)
        if self.options.get("threads") is None:
            self.options["threads"] = 1  # one HiGHS thread per worker: workers fill the cores
        n = len(job.scenarios)
        self.size = max(1, min(CHUNK, -(-n // (4 * max(1, job.workers)))))
        self.queue: deque[list[Scenario]] = deque(
            job.scenarios[i : i + self.size] for i in range(0, n, self.size)
        )
        self.workers: list[_Worker] = []
        self.strikes: dict[int, int] = {}
        self.retry: deque[Scenario] = deque()
        self.rows: list[dict[str, Any]] = []
        self.base: dict[str, Any] | None = None
        self.restarts = 0
        self.max_restarts = 2 * job.workers + 10
        self.setup_seconds: list[float] = []
        self.deaths: list[dict[str, Any]] = []

    def start(self) -> _Worker:
        parent, child = self.ctx.Pipe()
        process = self.ctx.Process(
            target=_worker_main,
            args=(child, str(self.job.workbook), self.job.specs, self.options),
            daemon=True,
            name="forceplan-sweep-worker",
        )
        _quiet_resource_tracker()
        with _sigint_ignored():  # the child inherits "ignore": Ctrl-C is the parent's alone
            process.start()
        child.close()
        worker = _Worker(process, parent)
        self.workers.append(worker)
        return worker

    def run(self) -> SweepResult:
        from multiprocessing.connection import wait

        n = max(1, min(self.job.workers, len(self.job.scenarios)))
        for _ in range(n):
            self.start()
        first = time.perf_counter()
        interrupted = False
        try:
            while self._busy():
                waitables: list[Any] = []
                for w in self.workers:
                    waitables += [w.conn, w.process.sentinel]
                for ready in wait(waitables):
                    worker = self._owner(ready)
                    if worker is None:
                        continue  # retired or dead meanwhile
                    if ready is worker.conn:
                        self._receive(worker)
                    elif not worker.conn.poll():
                        self._died(worker)
        except BaseException:  # Ctrl-C (or an error): stop the workers at once
            interrupted = True
            raise
        finally:
            for w in self.workers:
                with contextlib.suppress(Exception):
                    if interrupted:
                        w.process.terminate()
                    else:
                        w.conn.send(None)
            for w in self.workers:
                w.process.join(timeout=5)
                if w.process.is_alive():
                    w.process.terminate()
        timings = {"scenarios": time.perf_counter() - first}
        if self.setup_seconds:
            timings["worker_setup"] = max(self.setup_seconds)
        return SweepResult(self.rows, self.base or {}, timings, n, self.restarts, self.deaths)

    def _busy(self) -> bool:
        if self.queue or self.retry or any(w.inflight for w in self.workers):
            return bool(self.workers)
        return False

    def _owner(self, waitable: Any) -> _Worker | None:
        for w in self.workers:
            if waitable is w.conn or waitable == w.process.sentinel:
                return w
        return None

    def _receive(self, worker: _Worker) -> None:
        try:
            kind, payload, *rest = worker.conn.recv()
        except (EOFError, OSError):
            self._died(worker)
            return
        if kind == "init_error":
            detail = rest[0] if rest else ""
            raise ForceplanError(f"a sweep worker could not start: {payload}\n{detail}")
        if kind == "ready":
            worker.ready = True
            self.setup_seconds.append(float(payload.get("timings", {}).get("total", 0.0)))
            if self.base is None:
                self.base = payload
            self._feed(worker)
        elif kind == "row":
            done = worker.inflight.popleft()
            assert done.id == payload["scenario"], "rows come back in the order sent"
            self._emit(payload)
        elif kind == "idle":
            self._feed(worker)

    def _feed(self, worker: _Worker) -> None:
        """Send the worker its next chunk (retries first, alone so that a second death
        names its scenario); idle workers wait, in case a dead one's work comes back."""
        if self.retry:
            chunk = [self.retry.popleft()]
        elif self.queue:
            chunk = self.queue.popleft()
        else:
            return
        worker.inflight.extend(chunk)
        with contextlib.suppress(OSError):  # it died meanwhile: its sentinel reports it,
            worker.conn.send(chunk)  # and the chunk comes back to the queue

    def _died(self, worker: _Worker) -> None:
        self.workers.remove(worker)
        worker.process.join(timeout=1)  # reap it, so that its exit code is known
        code = worker.process.exitcode
        if worker.inflight:  # rows come back in order: the first one missing killed it
            culprit = worker.inflight.popleft()
            self.strikes[culprit.id] = self.strikes.get(culprit.id, 0) + 1
            self.deaths.append(
                {
                    "scenario": culprit.id,
                    "exit_code": code,
                    "retried": self.strikes[culprit.id] < 2,
                }
            )
            if self.strikes[culprit.id] >= 2:
                self._emit(_died_row(culprit, code))
            else:
                self.retry.append(culprit)
        if worker.inflight:
            self.queue.appendleft(list(worker.inflight))
        if not (self.queue or self.retry):
            return
        if self.restarts >= self.max_restarts:
            why = "too many worker processes died"
            for scenario in [*self.retry, *(s for chunk in self.queue for s in chunk)]:
                self._emit(_died_row(scenario, code, why))
            self.retry.clear()
            self.queue.clear()
            return
        self.restarts += 1
        self.start()
        for w in list(self.workers):  # idle workers pick up the work at once
            if w.ready and not w.inflight:
                self._feed(w)

    def _emit(self, row: dict[str, Any]) -> None:
        self.rows.append(row)
        self.on_row(row)


@contextlib.contextmanager
def _sigint_ignored():
    """SIGINT ignored while a worker process starts: a spawned Python keeps an ignored
    SIGINT ignored, so Ctrl-C reaches only the parent, which stops the workers itself (no
    KeyboardInterrupt traceback from each worker)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _quiet_resource_tracker() -> None:
    """Pyomo creates a multiprocessing lock when imported; a worker that dies leaves it to
    multiprocessing's resource tracker, which cleans it up with a bare "leaked semaphore"
    warning at exit. The sweep reports dead workers itself (summary and --json), so that
    warning is silenced in the tracker process (it takes the parent's -W options)."""
    rule = "ignore:resource_tracker:UserWarning"
    if rule not in sys.warnoptions:
        sys.warnoptions.append(rule)


def _died_row(scenario: Scenario, code: int | None, why: str = "") -> dict[str, Any]:
    message = why or f"the worker process died while solving it (exit code {code}), twice"
    return empty_row(scenario, status="worker_died", message=message)


def _run_local(job: SweepJob, on_row: OnRow) -> SweepResult:
    return _LocalPool(job, on_row).run()


# --- Dask ----------------------------------------------------------------------------------

_ENGINES: dict[tuple[Any, ...], tuple[SweepEngine, threading.Lock]] = {}
_ENGINES_LOCK = threading.Lock()


def _dask_engine(payload: dict[str, Any]) -> tuple[SweepEngine, threading.Lock]:
    """This worker process's engine for the payload, built on first use."""
    key = (payload["sha256"], tuple(payload["specs"]), tuple(sorted(payload["options"].items())))
    with _ENGINES_LOCK:
        if key not in _ENGINES:
            folder = Path(tempfile.mkdtemp(prefix="forceplan-sweep-"))
            path = folder / payload["name"]
            path.write_bytes(payload["workbook"])
            engine = SweepEngine(path, payload["specs"], SweepOptions(**payload["options"]))
            _ENGINES.clear()  # one sweep at a time per worker: free the previous model
            _ENGINES[key] = (engine, threading.Lock())
        return _ENGINES[key]


def dask_chunk(payload: dict[str, Any], chunk: list[Scenario]) -> tuple[dict, list[dict]]:
    """A Dask task: solve consecutive scenarios with this worker's cached engine."""
    engine, lock = _dask_engine(payload)
    with lock:  # one HiGHS instance: scenarios of this process run one at a time
        rows = [engine.evaluate(s) for s in chunk]
    return engine.base, rows


def _run_dask(job: SweepJob, on_row: OnRow) -> SweepResult:
    try:
        from distributed import Client, as_completed
    except ImportError:  # pragma: no cover - a dependency
        raise ForceplanError("--scheduler needs dask[distributed] installed") from None

    own_client = not hasattr(job.scheduler, "submit")
    try:
        client = Client(job.scheduler, timeout="30s") if own_client else job.scheduler
    except OSError as exc:
        raise ForceplanError(f"cannot reach the Dask scheduler at {job.scheduler}: {exc}") from None
    try:
        data = job.workbook.read_bytes()
        options = asdict(job.options)
        if options.get("threads") is None:
            options["threads"] = 1
        payload = {
            "name": job.workbook.name,
            "workbook": data,
            "sha256": hashlib.sha256(data).hexdigest(),
            "specs": list(job.specs),
            "options": options,
        }
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        shared = [client.scatter(payload, broadcast=True, hash=False)]

        def submit(scenarios: list[Scenario], key: str) -> Any:
            return client.submit(dask_chunk, shared[0], scenarios, key=key, pure=False)

        def lost(exc: BaseException) -> bool:
            """A worker died: True (and the workbook is scattered again if it went too)."""
            if not _lost_worker(exc):
                return False
            if "lost dependencies" in str(exc) or "cancel" in type(exc).__name__.lower():
                shared[0] = client.scatter(payload, broadcast=True, hash=False)
            return True

        n = len(job.scenarios)
        size = max(1, min(64, -(-n // (workers * 4))))
        chunks = [job.scenarios[i : i + size] for i in range(0, n, size)]
        token = os.urandom(4).hex()
        started = time.perf_counter()
        futures = {submit(c, f"forceplan-sweep-{token}-{i}"): c for i, c in enumerate(chunks)}
        rows: list[dict[str, Any]] = []
        base: dict[str, Any] = {}
        split = 0  # retries submitted
        retry: deque[Scenario] = deque()
        for future in as_completed(list(futures)):
            chunk = futures.pop(future)
            try:
                base_i, done = future.result()
            except Exception as exc:
                if not lost(exc):
                    raise
                retry.extend(chunk)  # later, one at a time: a death then names its scenario
                continue
            base = base or base_i
            for row in done:
                rows.append(row)
                on_row(row)
        strikes: dict[int, int] = {}
        while retry:
            scenario = retry.popleft()
            split += 1
            key = f"forceplan-sweep-{token}-r{split}"
            try:
                base_i, done = submit([scenario], key).result()
            except Exception as exc:
                if not lost(exc):
                    raise
                if "lost dependencies" in str(exc) and split < 10 * len(job.scenarios):
                    retry.appendleft(scenario)  # it never ran: not its fault
                    continue
                strikes[scenario.id] = strikes.get(scenario.id, 0) + 1
                if strikes[scenario.id] < 2:
                    retry.append(scenario)
                    continue
                done = [_died_row(scenario, None, f"the Dask worker died while solving it ({exc})")]
                base_i = None
            base = base or base_i
            for row in done:
                rows.append(row)
                on_row(row)
        timings = {"scenarios": time.perf_counter() - started}
        return SweepResult(rows, base, timings, workers)
    finally:
        if own_client:
            client.close()


def _lost_worker(exc: BaseException) -> bool:
    name = type(exc).__name__
    known = ("KilledWorker", "CommClosedError", "FutureCancelledError", "CancelledError")
    return name in known or "worker" in str(exc).lower()
