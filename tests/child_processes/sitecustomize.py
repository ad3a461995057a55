"""Run first by every Python process a test run with `--backend` starts (a `csp`
command, the app's server, a Dask worker), this folder being on its PYTHONPATH: the
index folders it makes are built with the engine the tests chose, as in the tests' own
process."""

import os

if os.environ.get("CSP_TEST_BACKEND"):
    from new_folders import build_new_folders_with

    build_new_folders_with(os.environ["CSP_TEST_BACKEND"])
