"""What the builder can do, asked before a build that needs cache export or several platforms."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from breeze.core.errors import BreezeError
from breeze.core.image_params import BuildSettings
from breeze.io.runner import Result
from breeze.services.preflight import require_builder_for
from tests.fakes import FakeEngine, FakeSession

INSPECT = (
    "Name:          default\nDriver:        {driver}\n\nNodes:\nName: default\n"
    "Platforms: linux/amd64, linux/amd64/v2, linux/arm64*\n"
)
CONTAINERD = {"DriverStatus": [["driver-type", "io.containerd.snapshotter.v1"]]}


@dataclass
class StoreEngine(FakeEngine):
    """An engine with a given image store."""

    store: dict[str, Any] = field(default_factory=dict)

    def info(self) -> dict[str, Any]:
        return {**super().info(), **self.store}


def _session(driver: str, store: dict[str, Any]) -> FakeSession:
    engine = StoreEngine(store=store)
    answers = {"docker buildx inspect": Result(0, INSPECT.format(driver=driver))}
    return FakeSession(engine=engine, answers=answers)


EXPORT = BuildSettings(image_tag="r.io/a:1", docker_cache="registry", push=True)
PLATFORMS = BuildSettings(platform="linux/amd64,linux/arm64", push=True)


@pytest.mark.parametrize(
    ("settings", "says"),
    [
        (EXPORT, "--docker-cache registry --push exports the build cache"),
        (PLATFORMS, "--platform linux/amd64,linux/arm64 builds several platforms"),
    ],
)
def test_the_docker_driver_on_the_classic_store_is_refused_in_one_line(
    settings: BuildSettings, says: str
) -> None:
    with pytest.raises(BreezeError, match=says) as raised:
        require_builder_for(settings, _session("docker", {}))
    assert "turn on the containerd image store" in raised.value.message


@pytest.mark.parametrize(("driver", "store"), [("docker", CONTAINERD), ("docker-container", {})])
def test_a_builder_that_can_do_it_passes(driver: str, store: dict[str, Any]) -> None:
    for settings in (EXPORT, PLATFORMS):
        require_builder_for(settings, _session(driver, store))


def test_a_build_that_needs_neither_asks_nothing() -> None:
    session = _session("docker", {})
    require_builder_for(BuildSettings(docker_cache="registry", image_tag="r.io/a:1"), session)
    assert session.commands == []


def test_a_platform_without_emulation_is_refused_in_one_line() -> None:
    settings = BuildSettings(platform="linux/amd64,linux/s390x", push=True)
    with pytest.raises(BreezeError, match=r"the builder default cannot build linux/s390x \(it "):
        require_builder_for(settings, _session("docker", CONTAINERD))
    require_builder_for(BuildSettings(platform="linux/arm64"), _session("docker", {}))
