"""Test-wide settings: integration tests need an engine, and under CI they must not skip."""

from __future__ import annotations

import os
import shutil
import tempfile

import pytest

REQUIRE_DOCKER = os.environ.get("BREEZE_REQUIRE_DOCKER") == "1"
# Every test, and every breeze it starts, caches in a folder of this session only.
CACHE_DIR = tempfile.mkdtemp(prefix="breeze-test-cache-")
os.environ["BREEZE_CACHE_DIR"] = CACHE_DIR


def pytest_sessionfinish() -> None:
    """Remove the session's cache."""
    shutil.rmtree(CACHE_DIR, ignore_errors=True)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    """Under BREEZE_REQUIRE_DOCKER=1 a skipped integration test is a failed one."""
    outcome = yield
    report = outcome.get_result()
    if REQUIRE_DOCKER and report.skipped and item.get_closest_marker("integration"):
        report.outcome = "failed"
        report.longrepr = (
            f"integration test skipped under BREEZE_REQUIRE_DOCKER=1: {report.longrepr}"
        )
