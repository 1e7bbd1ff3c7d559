"""Unit tests run in an empty working folder with their own cache: no breeze.toml or
remembered choice of the developer's changes what a command does."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def isolated_config(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """An empty working folder and cache of its own for each test; returns the folder."""
    root = tmp_path_factory.mktemp("isolated")
    folder = root / "work"
    folder.mkdir()
    monkeypatch.chdir(folder)
    monkeypatch.setenv("BREEZE_CACHE_DIR", str(root / "cache"))
    for kind in ("HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "ALL_PROXY"):
        # forwarded to builds: a developer's proxy would change the commands tests compare
        monkeypatch.delenv(kind, raising=False)
        monkeypatch.delenv(kind.lower(), raising=False)
    return folder
