"""Past one machine: two more engines (dind, containerd image store) and a registry between them.

Engine A builds and pushes the image and its build cache; engine B starts empty and builds the
same options from the registry's cache. Both are Docker engines in containers, reached over TCP
on 127.0.0.1: to breeze they are engines on another machine.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from benchmarks.fleet import executed_steps, fleet
from tests.integration.conftest import breeze, docker
from tests.integration.test_dags import SAMPLES as CHECK_SAMPLES

BASE = "python:3.13-slim-trixie"
ARM64_BASE = "arm64/python:3.13-slim-trixie"  # `docker-up --arm64` builds it
# One base name for both platforms: each variant is a stand-in loaded into the engine.
# (TARGETARCH is predefined; declaring it before the first FROM would empty it.)
MULTI_PLATFORM_BASE = f"""\
FROM {BASE} AS base-amd64
FROM {ARM64_BASE} AS base-arm64
FROM base-${{TARGETARCH}}
"""
SMALL = ("--airflow-extras", "postgres", "--build-progress", "plain", "--answer", "yes")


@dataclass(frozen=True)
class Team:
    """Two engines and the registry they share."""

    registry: str  # host:port, as the engines reach it
    a: str  # DOCKER_HOST of engine A
    b: str

    @property
    def image(self) -> str:
        """The team's image in the registry."""
        return f"{self.registry}/team/airflow:1"


def _arm64_emulation() -> bool:
    """Whether QEMU runs arm64 programs here and the arm64 stand-in base exists."""
    registered = Path("/proc/sys/fs/binfmt_misc/qemu-aarch64").is_file()
    return registered and docker("image", "inspect", ARM64_BASE, check=False).returncode == 0


@pytest.fixture(scope="module")
def team(engine: None) -> Iterator[Team]:
    """A registry and two empty engines on one network; all removed afterwards."""
    bases = (BASE, ARM64_BASE) if _arm64_emulation() else (BASE,)
    with fleet(2, bases, prefix="breeze-test-teams") as made:
        yield Team(made.registry, *made.engines)


@pytest.fixture(scope="module")
def pushed(team: Team) -> tuple[Team, float, str]:
    """Engine A builds cold and pushes the image and the cache of every stage."""
    started = time.monotonic()
    done = breeze(
        "prod-image", "build", "--docker-host", team.a, "--image-tag", team.image, "--push",
        "--docker-cache", "registry", *SMALL,
    )  # fmt: skip
    return team, time.monotonic() - started, done.stdout + done.stderr


def test_doctor_names_the_remote_engine_and_its_image_store(team: Team) -> None:
    done = breeze("doctor", "--json", "--docker-host", team.b, check=False)
    rows = {row["check"]: row for row in json.loads(done.stdout)["checks"]}
    assert rows["Docker engine"]["detail"].endswith(f"at {team.b} (--docker-host)")
    assert rows["buildx builder"]["detail"].startswith(
        "default (docker driver), containerd image store: multi-platform images"
    )


def test_a_fresh_engine_builds_from_the_registry_cache_without_running_a_step(
    pushed: tuple[Team, float, str],
) -> None:
    team, cold, log_a = pushed
    assert "exporting cache to registry" in log_a
    assert any(step.startswith("airflow-build") for step in executed_steps(log_a))  # cold
    started = time.monotonic()
    done = breeze(
        "prod-image", "build", "--docker-host", team.b, "--image-tag", team.image,
        "--docker-cache", "registry", *SMALL,
    )  # fmt: skip
    warm = time.monotonic() - started
    print(f"engine A cold build and push: {cold:.1f} s; engine B from the cache: {warm:.1f} s")
    assert executed_steps(done.stdout + done.stderr) == []
    assert docker("-H", team.b, "image", "inspect", team.image).returncode == 0


def test_one_added_package_reuses_the_airflow_layers_from_the_registry(
    pushed: tuple[Team, float, str],
) -> None:
    team, _, _ = pushed
    cache = f"{team.registry}/team/airflow:buildcache-main-python3.13-trixie"
    done = breeze(
        "prod-image", "build", "--docker-host", team.b, "--image-tag", f"{team.registry}/t:2",
        "--docker-cache", "registry", "--cache-ref", cache, "--additional-python-deps", "cowsay",
        *SMALL,
    )  # fmt: skip
    ran = executed_steps(done.stdout + done.stderr)
    assert ran and all("airflow-build" not in step for step in ran), (
        ran
    )  # Airflow's install: cached
    assert any(step.startswith("airflow-additional") for step in ran), ran


def test_verify_and_dags_check_run_on_the_remote_engine(
    pushed: tuple[Team, float, str], tmp_path: Path
) -> None:
    team, _, _ = pushed
    docker("-H", team.b, "pull", team.image)
    breeze(
        "prod-image",
        "verify",
        team.image,
        "--docker-host",
        team.b,
        "--airflow-extras",
        "postgres",
    )
    (tmp_path / "dags").mkdir()
    (tmp_path / "dags" / "good.py").write_text(CHECK_SAMPLES["good.py"])
    done = breeze(
        "dags", "check", str(tmp_path / "dags"), "--image", team.image, "--docker-host", team.b,
        "--json",
    )  # fmt: skip
    files = {f["file"]: f for f in json.loads(done.stdout)["files"]}
    assert files["good.py"]["dags"] == ["good"]  # the folder reached the other machine


def test_sbom_and_constraints_check_run_on_the_remote_engine(
    pushed: tuple[Team, float, str], tmp_path: Path
) -> None:
    """Their files reach the other machine: the SBOM comes back, the requirements go in."""
    team, _, _ = pushed
    sbom = tmp_path / "sbom.json"
    breeze("prod-image", "sbom", team.image, "--docker-host", team.a, "--output", str(sbom))
    names = {c["name"] for c in json.loads(sbom.read_text())["components"]}
    assert {"apache-airflow", "psycopg2-binary"} <= names
    (tmp_path / "requirements.txt").write_text("cowsay==6.1\n")
    done = breeze(
        "constraints", "check", "-r", str(tmp_path / "requirements.txt"), "--docker-host",
        team.b, "--airflow-extras", "postgres", "--answer", "yes",
    )  # fmt: skip
    assert "compatible: requirements.txt resolves with Airflow 3.3.2" in done.stdout + done.stderr
    assert docker("-H", team.b, "ps", "--all", "--quiet").stdout.strip() == ""  # removed


def test_the_dev_environment_on_a_remote_engine_refuses_in_one_line(
    pushed: tuple[Team, float, str], tmp_path: Path
) -> None:
    team, _, _ = pushed
    done = breeze(
        "shell", "--project-folder", str(tmp_path), "--docker-host", team.b, "--image-tag",
        team.image, "--airflow-extras", "postgres", "-c", "true", "--answer", "no", check=False,
    )  # fmt: skip
    assert done.returncode == 1
    errors = [line for line in done.stderr.splitlines() if line.startswith("Error:")]
    assert errors == [
        f"Error: the engine at {team.b} (--docker-host) does not see {tmp_path}: the dev "
        "environment mounts your folders, and an engine on another machine has none of them; "
        "use an engine on this machine (unset DOCKER_HOST, drop --docker-host, or "
        "`docker context use default`)"
    ]
    assert list(tmp_path.iterdir()) == []
    assert docker("-H", team.b, "ps", "--all", "--quiet").stdout.strip() == ""


def test_constraints_are_generated_on_the_remote_engine(team: Team, tmp_path: Path) -> None:
    done = breeze(
        "constraints", "generate", "--docker-host", team.b, "--airflow-extras", "redis",
        "--output-dir", str(tmp_path),
    )  # fmt: skip
    pins = (tmp_path / "constraints-3.13.txt").read_text()
    assert "apache-airflow==3.3.2" in pins and "redis==" in pins, done.stderr
    # the resolve ran on engine B: its uv cache volume is there, not only on this machine's engine
    assert "breeze-uv-cache" in docker("-H", team.b, "volume", "ls", "--quiet").stdout


def test_the_same_inputs_give_the_same_files_on_another_engine(
    pushed: tuple[Team, float, str],
) -> None:
    """Reproducible images: this machine's engine (classic image store) builds the options
    engine A built (containerd store); `prod-image compare` finds every layer identical or,
    where the two stores write one change as different archives, the same files."""
    team, _, log_a = pushed
    here = "breeze-test/airflow:teams-here"
    breeze("prod-image", "build", "--image-tag", here, *SMALL)
    done = breeze(
        "prod-image", "compare", here, team.image, "--other-docker-host", team.a, "--json"
    )  # fmt: skip
    report = json.loads(done.stdout)
    assert report["same_files"] and report["config"] == []  # same dates and labels
    layers = report["layers"]
    assert all(layer["same"] or layer["same_files"] for layer in layers), layers
    identical = [layer["step"] for layer in layers if layer["same"]]
    print(f"{len(identical)} of {len(layers)} layers identical: {identical}")
    assert any(step.startswith("COPY --chown=50000:0 /opt/airflow-venv") for step in identical)
    assert any(step.startswith("RUN cp -R --preserve=mode /media/.") for step in identical)
    assert "Timestamps: " in log_a  # the constraints' date, the same on both machines


def test_two_platforms_are_one_image_index_and_the_arm64_variant_passes_verify(
    team: Team, tmp_path: Path
) -> None:
    """`--platform linux/amd64,linux/arm64 --push` on engine A (containerd store); the arm64
    variant runs under QEMU emulation. Small extras: emulated steps take about 10 x longer."""
    if not _arm64_emulation():
        pytest.skip("no arm64 emulation or arm64 base: run ../shared/bin/docker-up --arm64")
    base = f"{team.registry}/base/python:3.13-slim-trixie"
    (tmp_path / "Dockerfile").write_text(MULTI_PLATFORM_BASE)
    docker(
        "-H", team.a, "buildx", "build", "--platform", "linux/amd64,linux/arm64", "--push",
        "--tag", base, str(tmp_path),
    )  # fmt: skip
    image = f"{team.registry}/team/airflow:two-platforms"
    started = time.monotonic()
    breeze(
        "prod-image", "build", "--docker-host", team.a, "--platform", "linux/amd64,linux/arm64",
        "--push", "--python-base-image", base, "--image-tag", image, *SMALL,
    )  # fmt: skip
    print(f"two-platform build and push: {time.monotonic() - started:.0f} s")
    import docker as sdk

    index = sdk.DockerClient(base_url=team.a).images.get_registry_data(image)
    platforms = {f"{p['os']}/{p['architecture']}" for p in index.attrs["Platforms"]}
    assert {"linux/amd64", "linux/arm64"} <= platforms  # one name, both variants
    docker("-H", team.a, "pull", "--platform", "linux/arm64", image)
    done = breeze(
        "prod-image", "verify", image, "--platform", "linux/arm64", "--docker-host", team.a,
        "--airflow-extras", "postgres",
    )  # fmt: skip
    assert "the container's machine is aarch64" in done.stdout + done.stderr
