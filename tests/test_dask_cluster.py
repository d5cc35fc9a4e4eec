"""A sweep on a real Dask cluster, started the way an office would start one: a `dask
scheduler` and two `dask worker` processes on 127.0.0.1 (README "Sweeps on a Dask
cluster"). The cluster's rows equal those of the local run."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from wb import minimal_sheets, write_workbook

pytest.importorskip("distributed")
DASK = Path(sys.executable).with_name("dask")
pytestmark = pytest.mark.skipif(not DASK.exists(), reason="the `dask` command is not installed")

SPECS = ["Settings.accession_max_total=100:400:7", "Funding.amount[source=national]=*0.8,1.2"]
#: Row fields that must agree between the cluster and the local run.
FIELDS = ("scenario", "inputs", "status", "end_strength", "shortfall_total", "binding")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _stop(procs: list[subprocess.Popen]) -> None:
    for p in procs:
        if p.poll() is None:
            p.terminate()
    for p in procs:
        try:
            p.wait(timeout=30)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait(timeout=10)


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[str]:
    """tcp://127.0.0.1:PORT of a scheduler with two single-threaded worker processes.
    Workers import forceplan from the same environment (PYTHONPATH is passed on)."""
    from distributed import Client

    address = f"tcp://127.0.0.1:{_free_port()}"
    env = dict(os.environ, DASK_DISTRIBUTED__WORKER__DAEMON="False")
    logs = [open(tmp_path / f"dask-{i}.log", "w") for i in range(3)]  # noqa: SIM115
    port = address.rsplit(":", 1)[1]
    procs = [
        subprocess.Popen(
            [str(DASK), "scheduler", "--host", "127.0.0.1", "--port", port, "--no-dashboard"],
            stdout=logs[0],
            stderr=subprocess.STDOUT,
            env=env,
        )
    ]
    try:
        for i in (1, 2):
            procs.append(
                subprocess.Popen(
                    [str(DASK), "worker", address, "--nthreads", "1", "--nworkers", "1",
                     "--host", "127.0.0.1", "--no-dashboard", "--name", f"office-{i}"],
                    stdout=logs[i],
                    stderr=subprocess.STDOUT,
                    env=env,
                    cwd=tmp_path,
                )
            )  # fmt: skip
        deadline = time.monotonic() + 120
        while True:
            try:
                with Client(address, timeout="10s") as client:
                    client.wait_for_workers(2, timeout=max(1, deadline - time.monotonic()))
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(1)
        yield address
    finally:
        _stop(procs[1:])  # workers first, then the scheduler
        _stop(procs[:1])
        for log in logs:
            log.close()
    assert all(p.poll() is not None for p in procs)


def _sweep(book: Path, out: Path, *extra: str) -> dict:
    args = [sys.executable, "-m", "forceplan", "sweep", str(book)]
    for spec in SPECS:
        args += ["--vary", spec]
    result = subprocess.run(
        [*args, "-o", str(out), "--json", *extra],
        capture_output=True,
        text=True,
        timeout=600,
        env=dict(os.environ, FORCEPLAN_HOME=str(out.parent / "home")),
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
    return json.loads(result.stdout)


def _engines_on_workers(address: str) -> int:
    """Sweep engines the cluster's worker processes hold (built by the sweep's tasks)."""
    from distributed import Client

    def count() -> int:
        from forceplan.sweep import runner

        return len(runner._ENGINES)

    with Client(address, timeout="10s") as client:
        return sum(client.run(count).values())


def test_sweep_on_a_dask_cluster_gives_the_local_rows(cluster: str, tmp_path: Path) -> None:
    book = write_workbook(tmp_path / "army.xlsx", minimal_sheets())
    remote = _sweep(book, tmp_path / "cluster.xlsx", "--scheduler", cluster)
    local = _sweep(book, tmp_path / "local.xlsx", "--workers", "1")
    assert remote["workers"] == "dask" and local["workers"] == 1
    assert remote["scenarios"] == local["scenarios"] == 14
    assert len(remote["rows"]) == 14
    assert _engines_on_workers(cluster) >= 1  # the scenarios were solved on the cluster
    for a, b in zip(remote["rows"], local["rows"], strict=True):
        assert {k: a[k] for k in FIELDS} == {k: b[k] for k in FIELDS}
        if b["objective"] is None:
            assert a["objective"] is None
        else:
            assert a["objective"] == pytest.approx(b["objective"], rel=1e-9)
            assert a["cost"] == pytest.approx(b["cost"], rel=1e-9)
