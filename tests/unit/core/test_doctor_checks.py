"""`breeze doctor`'s pure evaluation: fake facts in, rows out; and the preflight's one line."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from breeze.core import doctor_checks as doctor
from breeze.core import doctor_facts, machine_checks
from breeze.core.doctor_checks import FAIL, OK, WARN
from breeze.core.doctor_facts import (
    GB,
    BuilderFacts,
    DiskFacts,
    EngineFacts,
    Facts,
    PortFacts,
    Row,
    UidFacts,
)
from breeze.core.errors import BreezeError
from tests.fakes import FakeEngine, FakeSession

ENGINE = EngineFacts(
    version="26.1.5+dfsg1",
    architecture="x86_64",
    root_dir="/var/lib/docker",
    memory_bytes=25 * GB,
    cpus=2,
)
HEALTHY = Facts(
    where="the default socket",
    engine=ENGINE,
    buildx_version="0.13.1+ds1",
    builder=BuilderFacts("default", "docker"),
    compose_version="2.26.1-4",
    disk=DiskFacts(60 * GB, "measured on this host"),
    ports=(
        PortFacts("API port", "--api-port", 28080, True),
        PortFacts("flower port", "--flower-port", 25555, True),
    ),
    existing_files=frozenset({"/etc/ssl/certs/ca-certificates.crt"}),
    host_machine="x86_64",
    image_uid=UidFacts(50000, "label of breeze/airflow:3.3.2-python3.13"),
    host_uid=50000,
)


def rows_by_check(facts: Facts) -> dict[str, Row]:
    return {row.check: row for row in doctor.evaluate(facts)}


def test_a_healthy_machine_is_all_ok_and_exits_0() -> None:
    rows = doctor.evaluate(HEALTHY)
    assert [row.status for row in rows] == [OK] * len(rows)
    assert [row.check for row in rows] == [
        "Docker engine",
        "buildx (builds)",
        "buildx builder",
        "compose v2 (dev env)",
        "disk space",
        "memory",
        "CPUs",
        "API port (--api-port)",
        "flower port (--flower-port)",
        "proxy",
        "CA bundle",
        "platform",
        "Airflow UID",
    ]
    assert [row.check for row in rows if row.required] == [
        "Docker engine",
        "buildx (builds)",
        "compose v2 (dev env)",
    ]
    assert doctor.exit_code(rows) == 0
    assert doctor.summary(rows) == "All required checks passed (0 warnings)"


# --- exit code and JSON --------------------------------------------------------------------


def test_only_a_failed_required_check_exits_1() -> None:
    assert doctor.exit_code([Row("a", WARN, "", required=True), Row("b", FAIL, "")]) == 0
    assert doctor.exit_code([Row("a", OK, ""), Row("b", FAIL, "", required=True)]) == 1


def test_json_shape() -> None:
    rows = doctor.evaluate(replace(HEALTHY, engine=None, engine_error="refused"))
    document = json.loads(doctor.to_json(rows))
    assert set(document) == {"ok", "checks"}
    assert document["ok"] is False
    assert all(
        set(check) == {"check", "status", "detail", "hint", "required"}
        for check in document["checks"]
    )
    assert document["checks"][0] == {
        "check": "Docker engine",
        "status": "fail",
        "detail": "no Docker engine answers at the default socket",
        "hint": doctor_facts.NO_ENGINE_HINT,
        "required": True,
    }
    assert json.loads(doctor.to_json(doctor.evaluate(HEALTHY)))["ok"] is True


def test_summary_names_the_failed_checks_and_the_first_fix() -> None:
    rows = doctor.evaluate(replace(HEALTHY, buildx_version=None, compose_version=None))
    assert doctor.summary(rows) == (
        "required check failed: buildx (builds) (and compose v2 (dev env)): "
        f"docker buildx is not installed; {doctor_facts.BUILDX_HINT}"
    )


# --- engine, buildx, compose ----------------------------------------------------------------


def test_no_engine_fails_and_skips_the_resource_checks() -> None:
    rows = rows_by_check(replace(HEALTHY, engine=None, where="unix:///nonexistent.sock"))
    engine = rows["Docker engine"]
    assert (engine.status, engine.required) == (FAIL, True)
    assert engine.message == (
        f"no Docker engine answers at unix:///nonexistent.sock; {doctor_facts.NO_ENGINE_HINT}"
    )
    for name in ("disk space", "memory", "CPUs"):
        assert rows[name].status == WARN
        assert "no engine" in rows[name].detail


def test_socket_permission_has_its_own_hint() -> None:
    row = doctor.engine_row(
        None, "unix:///var/run/docker.sock", "PermissionError(13, 'Permission denied')"
    )
    assert row.status == FAIL
    assert row.hint == doctor_facts.SOCKET_PERMISSION_HINT


@pytest.mark.parametrize(
    ("version", "status"), [("22.06.2", WARN), ("23.0.0", OK), ("26.1.5+dfsg1", OK)]
)
def test_engine_older_than_23_warns(version: str, status: str) -> None:
    assert doctor.engine_row(replace(ENGINE, version=version), "x").status == status


def test_windows_containers_fail() -> None:
    row = doctor.engine_row(replace(ENGINE, os_type="windows"), "x")
    assert (row.status, row.required) == (FAIL, True)


@pytest.mark.parametrize(
    ("version", "status"),
    [(None, FAIL), ("0.7.1", FAIL), ("0.8.0", OK), ("0.13.1+ds1", OK), ("0.12.1-desktop.4", OK)],
)
def test_buildx(version: str | None, status: str) -> None:
    row = doctor.buildx_row(version)
    assert (row.status, row.required) == (status, True)
    if status == FAIL:
        assert row.hint


@pytest.mark.parametrize(
    ("version", "status"), [(None, FAIL), ("1.29.2", FAIL), ("2.0.0", OK), ("2.26.1-4", OK)]
)
def test_compose(version: str | None, status: str) -> None:
    assert doctor.compose_row(version).status == status


@pytest.mark.parametrize(
    ("output", "version"),
    [
        ("github.com/docker/buildx 0.13.1+ds1 0.13.1+ds1-3\n", "0.13.1+ds1"),
        ("github.com/docker/buildx v0.12.1-desktop.4 6d4c9f5\n", "0.12.1-desktop.4"),
        ("docker: 'buildx' is not a docker command.\n", None),
    ],
)
def test_parse_buildx_version(output: str, version: str | None) -> None:
    assert doctor.parse_buildx_version(output) == version


@pytest.mark.parametrize(
    ("output", "version"),
    [("2.26.1-4\n", "2.26.1-4"), ("v2.29.0-desktop.1\n", "2.29.0-desktop.1"), ("", None)],
)
def test_parse_compose_version(output: str, version: str | None) -> None:
    assert doctor.parse_compose_version(output) == version


# --- resources -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("free", "status"), [(19 * GB, WARN), (20 * GB - 1, WARN), (20 * GB, OK), (None, WARN)]
)
def test_disk_warns_under_20_gb(free: int | None, status: str) -> None:
    row = rows_by_check(replace(HEALTHY, disk=DiskFacts(free, "measured on this host")))
    assert row["disk space"].status == status
    assert "/var/lib/docker" in row["disk space"].detail


@pytest.mark.parametrize(
    ("memory", "status"), [(2 * GB, WARN), (4 * GB - 1, WARN), (4 * GB, OK), (16 * GB, OK)]
)
def test_memory_warns_under_4_gb(memory: int, status: str) -> None:
    assert machine_checks.memory_row(replace(ENGINE, memory_bytes=memory)).status == status


@pytest.mark.parametrize(("cpus", "status"), [(1, WARN), (2, OK), (8, OK)])
def test_cpus_warn_under_2(cpus: int, status: str) -> None:
    assert machine_checks.cpus_row(replace(ENGINE, cpus=cpus)).status == status


def test_resource_warnings_never_fail_doctor() -> None:
    facts = replace(
        HEALTHY,
        engine=replace(ENGINE, memory_bytes=GB, cpus=1),
        disk=DiskFacts(GB, "measured on this host"),
    )
    rows = doctor.evaluate(facts)
    assert sum(row.status == WARN for row in rows) == 3
    assert doctor.exit_code(rows) == 0
    assert doctor.summary(rows) == "All required checks passed (3 warnings)"


def test_parse_df() -> None:
    output = (
        "Filesystem     1024-blocks      Used Available Capacity Mounted on\n"
        "/dev/vda        263174212  51234567  56789012      48% /breeze-engine-root\n"
    )
    assert doctor.parse_df(output) == 56789012 * 1024
    assert doctor.parse_df("df: /x: No such file or directory\n") is None


def test_probe_images_prefers_small_known_images_and_skips_untagged() -> None:
    images = [
        ("breeze/airflow:3.3.2-python3.13", 526_000_000),
        ("python:3.13-slim", 239_000_000),
        ("debian:trixie-slim", 123_000_000),
        ("<none>:<none>", 1),
        ("busybox:latest", 4_000_000),
    ]
    assert doctor.probe_images(images) == [
        "busybox:latest",
        "debian:trixie-slim",
        "python:3.13-slim",
        "breeze/airflow:3.3.2-python3.13",
    ]


# --- ports -----------------------------------------------------------------------------------


def test_busy_port_warns_with_a_free_alternative() -> None:
    row = machine_checks.port_row(
        PortFacts("API port", "--api-port", 28080, False, alternative=28081)
    )
    assert row.status == WARN
    assert "28080 is in use by another program" in row.detail
    assert "--api-port 28081" in row.hint


def test_port_held_by_a_container_names_it() -> None:
    row = machine_checks.port_row(PortFacts("API port", "--api-port", 28080, False, "web", "shop"))
    assert (row.status, row.detail) == (WARN, "28080 is in use by container web")


def test_port_held_by_a_running_breeze_stack_is_fine() -> None:
    row = machine_checks.port_row(
        PortFacts("API port", "--api-port", 28080, False, "x-api-server-1", "breeze-x-12345678")
    )
    assert row.status == OK


# --- proxy and CA bundle ---------------------------------------------------------------------


def test_proxy_variables_in_any_case_with_credentials_masked() -> None:
    environ = {
        "HTTPS_PROXY": "http://alice:s3cret@proxy.example.com:3128",
        "http_proxy": "http://bob@proxy.example.com:3128",
        "no_proxy": "localhost,127.0.0.1",
        "HOME": "/root",
    }
    row = machine_checks.proxy_row(
        environ, {"HTTPS_PROXY": "http://alice:s3cret@proxy.example.com:3128"}
    )
    assert row.status == OK
    assert "s3cret" not in row.detail and "alice" not in row.detail and "bob" not in row.detail
    assert "HTTPS_PROXY=http://***@proxy.example.com:3128" in row.detail
    assert "http_proxy=http://***@proxy.example.com:3128" in row.detail
    assert "no_proxy=localhost,127.0.0.1" in row.detail
    assert "engine: HTTPS_PROXY=http://***@proxy.example.com:3128" in row.detail
    assert "HOME" not in row.detail


def test_proxy_here_but_not_in_the_engine_gets_a_hint() -> None:
    row = machine_checks.proxy_row({"HTTPS_PROXY": "http://proxy:3128"}, {})
    assert row.status == OK
    assert "engine" in row.hint


def test_no_proxy_at_all() -> None:
    assert machine_checks.proxy_row({}, {}) == Row("proxy", OK, "none set here")


def test_ca_bundle_from_the_environment() -> None:
    environ = {"REQUESTS_CA_BUNDLE": "/corp/ca.pem"}
    assert machine_checks.ca_row(environ, frozenset({"/corp/ca.pem"})).status == OK
    missing = machine_checks.ca_row(environ, frozenset())
    assert missing.status == WARN
    assert "REQUESTS_CA_BUNDLE=/corp/ca.pem does not exist" in missing.detail


def test_ca_bundle_ssl_cert_file_wins_over_requests_ca_bundle() -> None:
    environ = {"SSL_CERT_FILE": "/a.pem", "REQUESTS_CA_BUNDLE": "/b.pem"}
    assert (
        machine_checks.ca_row(environ, frozenset({"/a.pem", "/b.pem"})).detail
        == "SSL_CERT_FILE=/a.pem"
    )


def test_ca_bundle_falls_back_to_the_system_bundle() -> None:
    row = machine_checks.ca_row({}, frozenset({"/etc/pki/tls/certs/ca-bundle.crt"}))
    assert row.status == OK
    assert "system bundle /etc/pki/tls/certs/ca-bundle.crt" in row.detail
    assert machine_checks.ca_row({}, frozenset()).status == WARN


# --- platform and UID ------------------------------------------------------------------------


def test_native_platform_is_ok() -> None:
    row = machine_checks.platform_row(HEALTHY)
    assert (row.status, row.detail) == (OK, "host linux/amd64; builds linux/amd64 (the engine's)")


def test_foreign_platform_warns_about_emulation() -> None:
    facts = replace(HEALTHY, target_platform="linux/arm64", builder_platforms=("linux/arm64",))
    row = machine_checks.platform_row(facts)
    assert row.status == WARN
    assert "linux/arm64 runs under emulation" in row.detail


def test_platform_the_builder_cannot_build_warns() -> None:
    facts = replace(
        HEALTHY, target_platform="linux/amd64,linux/arm64", builder_platforms=("linux/amd64",)
    )
    row = machine_checks.platform_row(facts)
    assert row.status == WARN
    assert "cannot build linux/arm64" in row.detail
    assert "binfmt" in row.hint


def test_arm_host_names() -> None:
    assert (
        machine_checks.docker_platform("aarch64")
        == machine_checks.docker_platform("arm64")
        == "linux/arm64"
    )
    facts = replace(HEALTHY, host_machine="arm64", engine=replace(ENGINE, architecture="aarch64"))
    assert machine_checks.platform_row(facts).status == OK


def test_same_uid_is_ok() -> None:
    assert machine_checks.uid_row(UidFacts(1000, "--airflow-uid"), 1000).status == OK


def test_different_uid_explains_the_consequence() -> None:
    row = machine_checks.uid_row(UidFacts(50000, "--airflow-uid"), 1000)
    assert row.status == WARN
    assert "cannot write your folders" in row.detail
    assert "belong to UID 50000" in row.detail
    assert '--user "$(id -u):0"' in row.hint and "--airflow-uid 1000" in row.hint


def test_root_gets_a_group_hint() -> None:
    row = machine_checks.uid_row(UidFacts(50000, "--airflow-uid"), 0)
    assert row.status == WARN
    assert "g+w" in row.hint


def test_no_host_uid_on_windows() -> None:
    assert machine_checks.uid_row(UidFacts(50000, "--airflow-uid"), None).status == OK


@pytest.mark.parametrize(
    ("labels", "user", "uid"),
    [
        ({"org.apache.airflow.uid": "50001"}, "50000", 50001),
        ({}, "1001:0", 1001),
        ({}, "airflow", None),
        ({}, "", None),
    ],
)
def test_uid_from_image(labels: dict[str, str], user: str, uid: int | None) -> None:
    assert machine_checks.uid_from_image(labels, user) == uid


# --- preflight: the same one line as doctor's row --------------------------------------------


def test_engine_error_is_doctors_row() -> None:
    from breeze.io.engine import Engine

    with pytest.raises(BreezeError) as raised:
        Engine("unix:///nonexistent.sock").ping()
    where = "unix:///nonexistent.sock (--docker-host)"
    assert raised.value.message == doctor.engine_row(None, where).message


def test_preflight_buildx_failure_is_doctors_row() -> None:
    from breeze.io.runner import Result
    from breeze.services import preflight

    def no_plugins() -> FakeSession:
        return FakeSession(answers={"docker": Result(1, "docker: unknown command")})

    with pytest.raises(BreezeError) as raised:
        preflight.preflight(no_plugins(), buildx=True)
    assert raised.value.message == doctor.buildx_row(None).message
    with pytest.raises(BreezeError) as raised:
        preflight.preflight(no_plugins(), compose=True)
    assert raised.value.message == doctor.compose_row(None).message
    assert preflight.preflight(no_plugins()) == "26.1.5"


VARIANTS = [
    replace(HEALTHY, engine=None, where="unix:///nonexistent.sock"),
    replace(HEALTHY, engine=None, engine_error="Permission denied"),
    replace(HEALTHY, engine=replace(ENGINE, version="20.10.1")),
    replace(HEALTHY, engine=replace(ENGINE, os_type="windows")),
    replace(HEALTHY, buildx_version=None, compose_version=None),
    replace(HEALTHY, buildx_version="0.7.0", compose_version="1.29.2"),
    replace(HEALTHY, disk=None),
    replace(HEALTHY, disk=DiskFacts(5 * GB, "measured on this host")),
    replace(HEALTHY, engine=replace(ENGINE, memory_bytes=2 * GB, cpus=1)),
    replace(
        HEALTHY,
        ports=(PortFacts("API port", "--api-port", 28080, False, "web", "other", 28081),),
    ),
    replace(HEALTHY, environ={"SSL_CERT_FILE": "/missing.pem"}),
    replace(HEALTHY, existing_files=frozenset()),
    replace(HEALTHY, environ={"HTTPS_PROXY": "http://proxy:3128"}),
    replace(HEALTHY, target_platform="linux/arm64", builder_platforms=("linux/amd64",)),
    replace(HEALTHY, target_platform="linux/arm64"),
    replace(HEALTHY, host_uid=1000),
    replace(HEALTHY, host_uid=0),
    replace(HEALTHY, image_uid=None),
]


@pytest.mark.parametrize("facts", VARIANTS)
def test_every_failing_or_warning_check_names_its_fix(facts: Facts) -> None:
    rows = [row for row in doctor.evaluate(facts) if row.status != OK]
    assert rows or facts.environ.get("HTTPS_PROXY"), "the variant shows no problem"
    for row in rows:
        assert row.hint, f"{row.check} ({row.status}) has no fix"
        assert row.hint != "see the Docker engine row"


def test_the_table_at_80_columns_splits_no_path_and_shows_each_fix() -> None:
    import io

    from rich.console import Console

    from breeze.ui.tables import doctor_table

    paths = (
        "SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt",
        "/home/someone/.local/share/docker",
        "breeze/airflow:3.3.2-python3.13-bookworm",
    )
    facts = replace(
        HEALTHY,
        engine=replace(ENGINE, root_dir=paths[1]),
        disk=DiskFacts(5 * GB, "measured on this host"),
        environ={"SSL_CERT_FILE": paths[0][len("SSL_CERT_FILE=") :]},
        existing_files=frozenset({paths[0][len("SSL_CERT_FILE=") :]}),
        image_uid=UidFacts(50000, f"--airflow-uid; no image {paths[2]} yet"),
        host_uid=1000,
    )
    rows = doctor.evaluate(facts)
    console = Console(width=80, record=True, file=io.StringIO())
    console.print(doctor_table(rows, console.width))
    lines = console.export_text().splitlines()
    assert max(len(line) for line in lines) <= 80
    details = " ".join(line.split("│")[-2] for line in lines if line.count("│") == 4)
    words = details.split()
    for path in paths:
        assert any(path in word for word in words), f"{path} is split"
    assert details.count("fix:") == sum(1 for row in rows if row.hint)


def test_a_missing_python_base_image_is_one_line_naming_it() -> None:
    from breeze.core.image_params import ImageSpec
    from breeze.services.preflight import require_base_image

    spec = ImageSpec(python_base_image="me/no-such-python:1")
    with pytest.raises(BreezeError) as raised:
        unknown = FakeEngine(registry={"me/no-such-python:1": "manifest unknown"})
        require_base_image(spec, FakeSession(engine=unknown))
    assert raised.value.message == (
        "--python-base-image me/no-such-python:1 is not in the engine and cannot be pulled "
        "(manifest unknown); pull or build it first (`docker pull me/no-such-python:1`), or "
        "check the name"
    )
    assert raised.value.exit_code == 1


def test_a_missing_default_base_image_names_the_options_that_chose_it() -> None:
    from breeze.core.image_params import ImageSpec
    from breeze.services.preflight import require_base_image

    with pytest.raises(BreezeError) as raised:
        unknown = FakeEngine(registry={"python:3.12-slim-trixie": "manifest unknown"})
        require_base_image(ImageSpec(python="3.12"), FakeSession(engine=unknown))
    assert raised.value.message.startswith(
        "the base image python:3.12-slim-trixie (of --python 3.12 --debian-version trixie) is "
        "not in the engine and cannot be pulled"
    )
    assert raised.value.message.endswith("or choose another --python / --debian-version")


def test_a_base_image_in_the_engine_or_its_registry_is_fine() -> None:
    from breeze.core.image_params import ImageSpec
    from breeze.services.preflight import require_base_image

    local = FakeEngine(images={"python:3.13-slim-trixie": {"Id": "sha256:1"}})
    require_base_image(ImageSpec(), FakeSession(engine=local))
    assert local.asked == []  # no registry round trip for a local image
    remote = FakeEngine(registry={"me/python:1": None})
    require_base_image(ImageSpec(python_base_image="me/python:1"), FakeSession(engine=remote))


def test_the_build_checks_the_base_image_before_constraints(tmp_path: Path) -> None:
    from breeze.core.image_params import ImageBuildParams, ImageSpec
    from breeze.io.runner import Result
    from breeze.services import image_build

    engine = FakeEngine(registry={"me/no-such-python:1": "manifest unknown"})
    answers = {"docker buildx version": Result(0, "github.com/docker/buildx v0.13.1 abc\n")}
    session = FakeSession(engine=engine, answers=answers, cwd=tmp_path)
    params = ImageBuildParams(ImageSpec(python_base_image="me/no-such-python:1"))
    with pytest.raises(BreezeError, match="me/no-such-python:1 is not in the engine"):
        image_build.build_image(params, session)
    # the engine was asked (preflight, then the base image); no constraints were looked for
    assert engine.asked == ["me/no-such-python:1"]
    assert session.argv_of("docker buildx version") and not session.argv_of("docker run")
    assert not (tmp_path / "cache").exists()


@pytest.mark.parametrize(
    ("driver", "store", "says"),
    [
        ("docker", "classic", "one platform per build, no build cache export to a registry"),
        ("docker", "containerd", "multi-platform images, build cache export to a registry"),
        ("docker-container", "classic", "multi-platform images, build cache export"),
    ],
)
def test_the_builder_row_says_what_builds_can_do_here(driver: str, store: str, says: str) -> None:
    facts = replace(
        HEALTHY,
        builder=BuilderFacts("b1", driver),
        engine=replace(ENGINE, image_store=store),
    )
    row = rows_by_check(facts)["buildx builder"]
    assert row.status == OK and row.detail.startswith(f"b1 ({driver} driver), {store} image store")
    assert says in row.detail


def test_an_unknown_builder_is_a_warning() -> None:
    assert rows_by_check(replace(HEALTHY, builder=None))["buildx builder"].status == WARN
