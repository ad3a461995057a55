"""`csp ingest --executor dask|dask-local`: the same documents and statuses as a local
ingest, with the map over files on a Dask cluster of two workers."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from bench.crash import CSP, stored_documents
from ingest.pipeline.ingest import ingest_paths

from pausing import pause_env, with_env
from samples import (
    BRAINTREE_2022,
    BRENTWOOD_PLAN,
    COLCHESTER_PACK,
    file_statuses,
    sample,
)

pytestmark = pytest.mark.e2e  # Dask clusters, and `csp` commands

distributed = pytest.importorskip("distributed")
dask = pytest.importorskip("dask")


@pytest.fixture
def batch(badpdfs: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "batch"
    folder.mkdir()
    for stem in (BRAINTREE_2022, BRENTWOOD_PLAN, COLCHESTER_PACK):
        shutil.copy(sample(stem, "pdf"), folder)
    shutil.copy(badpdfs / "encrypted__encryption_openpassword.pdf", folder / "locked.pdf")
    shutil.copy(badpdfs / "pages__generated-20000-pages.pdf", folder / "huge.pdf")
    return folder


def test_a_local_dask_cluster_stores_what_a_local_ingest_stores(
    batch: Path, tmp_path: Path
) -> None:
    options = ["--max-pages", "100", "--workers", "2"]
    local = subprocess.run(
        [CSP, "ingest", str(batch), "--index", str(tmp_path / "local"), *options],
        capture_output=True,
        text=True,
    )
    options += ["--executor", "dask-local"]
    on_dask = subprocess.run(
        [CSP, "ingest", str(batch), "--index", str(tmp_path / "dask"), *options],
        capture_output=True,
        text=True,
    )

    assert local.returncode == on_dask.returncode == 1, on_dask.stderr
    found = file_statuses(on_dask.stdout)
    expected = file_statuses(local.stdout)
    assert {name: status for name, (status, _) in found.items()} == {
        name: status for name, (status, _) in expected.items()
    }
    assert found["locked.pdf"] == ("failed", "encrypted: password required")
    assert found["huge.pdf"] == ("partial", "read the first 100 of 20000 pages (--max-pages)")
    assert stored_documents(tmp_path / "dask") == stored_documents(tmp_path / "local")


def test_a_file_that_runs_too_long_on_dask_times_out_alone(batch: Path, tmp_path: Path) -> None:
    # The task's worker hangs on page 3 (the pause reaches the cluster's workers through
    # their environment); the limit only has to be longer than reaching it takes.
    options = ["--timeout", "5", "--executor", "dask-local"]
    run = subprocess.run(
        [CSP, "ingest", str(batch / "huge.pdf"), "--index", str(tmp_path), *options],
        env=with_env(pause_env("reading:3")),
        capture_output=True,
        text=True,
    )
    assert run.returncode == 1
    status = file_statuses(run.stdout)["huge.pdf"]
    assert status == ("failed", "timed out after 5 s on page 3"), run.stdout + run.stderr


def test_a_running_cluster_is_reached_at_its_scheduler_address(batch: Path, tmp_path: Path):
    (batch / "huge.pdf").unlink()
    # Workers that may start children, as remote ones must be started (ingest.pipeline.distributed).
    with (
        dask.config.set({"distributed.worker.daemon": False}),
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, dashboard_address=None
        ) as cluster,
    ):
        report = ingest_paths(
            [batch], tmp_path / "index", executor="dask", scheduler=cluster.scheduler_address
        )
    assert report.counts == {"ingested": 3, "failed": 1}


def test_the_dask_executor_needs_its_scheduler(tmp_path: Path) -> None:
    text = str(sample(BRENTWOOD_PLAN, "text"))
    run = subprocess.run(
        [CSP, "ingest", text, "--executor", "dask", "--index", str(tmp_path)],
        capture_output=True,
        text=True,
    )
    assert run.returncode == 2
    assert "--scheduler goes with --executor dask" in run.stderr
