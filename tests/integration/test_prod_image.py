"""The production image, built for real and checked in real containers."""

from __future__ import annotations

import json
import re
import subprocess
import time
from pathlib import Path

import pytest

from tests.integration.conftest import CUSTOM_ARGS, ROOT, TEST_REPOSITORY, breeze, docker


def run(image: str, *command: str, user: str | None = None, env: dict[str, str] | None = None):
    """docker run --rm IMAGE COMMAND, without failing on a non-zero exit."""
    options = ["--user", user] if user else []
    for name, value in (env or {}).items():
        options += ["--env", f"{name}={value}"]
    return docker("run", "--rm", *options, image, *command, check=False, timeout=300)


def test_verify_passes_on_the_default_image(default_image: str) -> None:
    done = breeze("prod-image", "verify", default_image)
    assert re.search(r"All \d+ checks passed", done.stderr)
    assert "FAILED" not in done.stdout
    for check in (
        "Airflow version",
        "Providers of the extras",
        "pip check",
        "Installed versions equal the constraints",
        "No compiler",
    ):
        assert check in done.stdout


def test_classic_spelling_builds_the_same_image(default_image: str) -> None:
    classic = breeze(
        "build-image", "--production-image", "--image-tag", default_image, "--dry-run"
    ).stdout
    modern = breeze("prod-image", "build", "--image-tag", default_image, "--dry-run").stdout
    without_dates = [line for line in classic.splitlines() if "DATE_CREATED" not in line]
    assert without_dates == [line for line in modern.splitlines() if "DATE_CREATED" not in line]


def test_labels_describe_the_content(default_image: str) -> None:
    labels = docker("image", "inspect", "--format", "{{json .Config.Labels}}", default_image).stdout
    for needle in (
        '"org.apache.airflow.version":"3.3.2"',
        '"org.apache.airflow.python-version":"3.13"',
        '"org.opencontainers.image.version":"3.3.2"',
        "org.opencontainers.image.created",
        "org.opencontainers.image.source",
        "org.opencontainers.image.title",
        "org.opencontainers.image.revision",
    ):
        assert needle in labels


def test_inputs_name_the_image_and_what_built_it(default_image: str) -> None:
    data = json.loads(breeze("prod-image", "inputs", default_image, "--json").stdout)
    assert (
        data["id"]
        == docker("image", "inspect", "--format", "{{.Id}}", default_image).stdout.strip()
    )
    labels = json.loads(
        docker("image", "inspect", "--format", "{{json .Config.Labels}}", default_image).stdout
    )
    assert (
        data["inputs"]["org.apache.airflow.breeze.hash"] == labels["org.apache.airflow.breeze.hash"]
    )
    assert data["inputs"]["org.apache.airflow.version"] == "3.3.2"
    assert data["inputs"]["org.apache.airflow.constraints.source"] in ("generated",) or data[
        "inputs"
    ]["org.apache.airflow.constraints.source"].startswith("https://")


def test_image_config(default_image: str) -> None:
    config = docker(
        "image",
        "inspect",
        "--format",
        "{{.Config.User}}|{{.Config.WorkingDir}}|{{json .Config.ExposedPorts}}|{{json .Config.Entrypoint}}",
        default_image,
    ).stdout.strip()
    user, workdir, ports, entrypoint = config.split("|")
    assert user in ("50000", "airflow", "50000:0")
    assert workdir == "/opt/airflow"
    assert "8080/tcp" in ports
    assert "dumb-init" in entrypoint or "tini" in entrypoint


def test_init_is_pid_1(default_image: str) -> None:
    done = run(default_image, "bash", "-c", "cat /proc/1/comm")
    assert done.stdout.strip() in ("dumb-init", "tini")


def test_arbitrary_uid_gets_a_passwd_entry_and_a_home(default_image: str) -> None:
    done = run(
        default_image,
        "bash",
        "-c",
        'whoami; echo "home=$HOME"; touch "$AIRFLOW_HOME/logs/x"',
        user="1000123:0",
    )
    assert done.returncode == 0, done.stderr
    name, home = done.stdout.split()[:2]
    assert name and name != "1000123"
    assert home == "home=/home/airflow"


def test_non_zero_group_is_refused_clearly(default_image: str) -> None:
    done = run(default_image, "bash", "-c", "echo ran", user="1000123:1000")
    assert done.returncode != 0
    assert "ran" not in done.stdout
    assert "group" in (done.stdout + done.stderr).lower()


def test_default_user_may_use_another_group(default_image: str) -> None:
    done = run(default_image, "bash", "-c", "id -u", user="50000:1000")
    assert done.returncode == 0 and done.stdout.strip() == "50000"


def test_sqlite_is_the_fallback_database(default_image: str) -> None:
    done = run(default_image, "airflow", "config", "get-value", "database", "sql_alchemy_conn")
    assert done.stdout.strip() == "sqlite:////opt/airflow/airflow.db"


def test_cmd_variant_of_the_database_url(default_image: str) -> None:
    env = {"AIRFLOW__DATABASE__SQL_ALCHEMY_CONN_CMD": "echo sqlite:////tmp/from-cmd.db"}
    done = run(
        default_image, "airflow", "config", "get-value", "database", "sql_alchemy_conn", env=env
    )
    assert done.stdout.strip() == "sqlite:////tmp/from-cmd.db"


def test_database_wait_is_bounded_and_names_the_host(default_image: str) -> None:
    env = {
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": "postgresql+psycopg2://u:p@db-host-that-is-not-there.invalid:5432/airflow",
        "CONNECTION_CHECK_MAX_COUNT": "3",
        "CONNECTION_CHECK_SLEEP_TIME": "1",
    }
    started = time.monotonic()
    done = run(default_image, "db", "check", env=env)
    elapsed = time.monotonic() - started
    assert done.returncode != 0
    assert "db-host-that-is-not-there.invalid" in done.stdout + done.stderr
    assert elapsed < 60, f"the wait took {elapsed:.0f} s for 3 tries 1 s apart"


def test_broker_wait_only_for_celery_and_scheduler(default_image: str) -> None:
    env = {
        "AIRFLOW__CELERY__BROKER_URL": "redis://broker-that-is-not-there.invalid:6379/0",
        "CONNECTION_CHECK_MAX_COUNT": "2",
        "CONNECTION_CHECK_SLEEP_TIME": "1",
    }
    celery = run(default_image, "celery", "worker", env=env)
    assert celery.returncode != 0
    assert "broker-that-is-not-there.invalid" in celery.stdout + celery.stderr
    version = run(default_image, "version", env=env)
    assert version.returncode == 0 and version.stdout.strip().endswith("3.3.2")


def test_bash_and_python_run_directly_everything_else_goes_to_airflow(default_image: str) -> None:
    assert run(default_image, "bash", "-c", "echo $0").stdout.strip() == "bash"
    assert run(default_image, "python", "-c", "print(6 * 7)").stdout.strip() == "42"
    assert run(default_image, "version").stdout.strip() == "3.3.2"
    assert run(default_image, "airflow", "version").stdout.strip() == "3.3.2"


def test_docker_stop_is_fast(default_image: str) -> None:
    name = f"breeze-test-stop-{time.monotonic_ns()}"
    docker("run", "-d", "--name", name, default_image, "bash", "-c", "sleep 1000")
    try:
        time.sleep(2)
        started = time.monotonic()
        docker("stop", name)
        elapsed = time.monotonic() - started
    finally:
        docker("rm", "-f", name, check=False)
    assert elapsed < 3, f"docker stop took {elapsed:.1f} s"


def test_clean_logs_removes_only_old_logs(default_image: str) -> None:
    script = (
        "mkdir -p $AIRFLOW_HOME/logs/dag_id=a && cd $AIRFLOW_HOME/logs/dag_id=a && "
        "touch -d '20 days ago' old.log && touch new.log && "
        "AIRFLOW__LOG_RETENTION_DAYS=15 /clean-logs --once >/dev/null && ls"
    )
    done = run(default_image, "bash", "-c", script)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["new.log"]


def readme_extending_example() -> str:
    """The README's extending example: the bash block after its marker."""
    text = (ROOT / "README.md").read_text()
    after = text.split("<!-- extending-example:", 1)[1]
    return after.split("```bash\n", 1)[1].split("```", 1)[0]


def test_extending_the_image_as_the_readme_says(default_image: str, tmp_path: Path) -> None:
    script = readme_extending_example()
    assert "FROM breeze/airflow:3.3.2-python3.13" in script and "my-airflow:1.0" in script
    tag = f"{TEST_REPOSITORY}:extended"
    script = script.replace("breeze/airflow:3.3.2-python3.13", default_image)
    script = script.replace("my-airflow:1.0", tag)
    try:
        done = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", script],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        assert "hello from my-airflow" in done.stdout and "hello.py" in done.stdout
        assert re.search(r"jq-\d", done.stdout)
        check = "import cowsay, airflow; print(cowsay.__name__, airflow.__version__)"
        assert run(tag, "python", "-c", check).stdout.strip() == "cowsay 3.3.2"
        assert run(tag, "python", "-c", check, user="1000123:0").stdout.strip() == "cowsay 3.3.2"
        # cowsay is not in the image it extends: the example shows something
        assert run(default_image, "python", "-c", "import cowsay").returncode != 0
    finally:
        docker("image", "rm", tag, check=False)


def test_custom_image_content(custom_image: str) -> None:
    breeze("prod-image", "verify", custom_image)
    done = run(
        custom_image,
        "bash",
        "-c",
        "ls $AIRFLOW_HOME/dags; dpkg -s libasound2-dev >/dev/null 2>&1 && echo dev-present; dpkg -l | grep -c libasound2",
    )
    lines = done.stdout.split()
    assert "hello_dag.py" in lines
    assert "dev-present" not in lines
    assert int(lines[-1]) >= 1
    assert (
        run(custom_image, "python", "-c", "import sys; print(sys.version_info[:2])").stdout.strip()
        == "(3, 11)"
    )


def test_imported_bytecode_covers_what_airflow_imports_at_start(custom_image: str) -> None:
    """--bytecode imported: .pyc for the modules Airflow's processes import at start (and the
    standard library ones), none for the rest, which compile on first use."""
    script = (
        "import importlib.util as u, os, sys;"
        "has = lambda m: os.path.exists(u.cache_from_source(u.find_spec(m).origin));"
        "print(has('airflow.jobs.scheduler_job_runner'), has('airflow.example_dags.tutorial'),"
        " has('json.decoder'))"
    )
    done = run(custom_image, "python", "-c", script)
    assert done.stdout.split() == ["True", "False", "True"], done.stdout + done.stderr
    check = run(
        custom_image, "python", "-c",
        "import importlib.util as u; print(open(u.cache_from_source("
        "u.find_spec('airflow').origin), 'rb').read(8)[4])",
    )  # fmt: skip
    assert check.stdout.strip() == "1"  # hash-based, unchecked: valid whatever the files' times


def test_a_module_first_imported_in_a_container_keeps_its_bytecode(custom_image: str) -> None:
    """--bytecode imported: under any UID of group 0, the first import of a module left out
    writes its .pyc, also into a __pycache__ the build made (group-writable, like the venv)."""
    script = (
        "import importlib.util as u, os;"
        "path = u.cache_from_source(u.find_spec('airflow.version').origin);"
        "before = os.path.exists(path), os.path.isdir(os.path.dirname(path));"
        "import airflow.version;"
        "print(*before, os.path.exists(path))"
    )
    done = run(custom_image, "python", "-c", script, user="1000123:0")
    assert done.stdout.split()[-3:] == ["False", "True", "True"], done.stdout + done.stderr


@pytest.mark.parametrize("image", ["default_image", "custom_image"])
def test_group_zero_may_do_in_the_venv_what_the_owner_may(
    image: str, request: pytest.FixtureRequest
) -> None:
    tag = request.getfixturevalue(image)
    mismatched = run(
        tag, "bash", "-c",
        "find /opt/airflow-venv ! -type l \\( -perm -u=r ! -perm -g=r -o -perm -u=w ! -perm -g=w"
        " -o -perm -u=x ! -perm -g=x -o -perm -o=w \\)",
    )  # fmt: skip
    assert mismatched.returncode == 0, mismatched.stderr
    assert mismatched.stdout.splitlines()[:5] == []


def test_dag_only_change_rebuilds_only_the_last_layer(custom_image: str, dags_folder: Path) -> None:
    (dags_folder / "second_dag.py").write_text("# another DAG\n")
    try:
        done = breeze(
            "prod-image",
            "build",
            "--image-tag",
            custom_image,
            "--embedded-dags",
            str(dags_folder),
            *CUSTOM_ARGS,
        )
        steps = dict(re.findall(r"(?m)^#(\d+) (\[(?:main|airflow-build)[^\]]*\] .*)$", done.stderr))
        ran = set(re.findall(r"(?m)^#(\d+) DONE ", done.stderr))
        executed = [t for n, t in steps.items() if n in ran and "] FROM " not in t]
        assert steps, done.stderr
        assert len(executed) == 1 and "embedded-dags" in executed[0], executed
        assert "second_dag.py" in run(custom_image, "bash", "-c", "ls /opt/airflow/dags").stdout
    finally:
        (dags_folder / "second_dag.py").unlink()


def test_an_added_package_rebuilds_only_the_overlay(custom_image: str, dags_folder: Path) -> None:
    tag = f"{custom_image}-cowsay"
    try:
        done = breeze(
            "prod-image", "build", "--image-tag", tag, "--embedded-dags", str(dags_folder),
            "--additional-python-deps", "cowsay", *CUSTOM_ARGS,
        )  # fmt: skip
        pattern = r"(?m)^#(\d+) (\[(?:main|airflow-build|airflow-additional)[^\]]*\] .*)$"
        steps = dict(re.findall(pattern, done.stderr))
        ran = set(re.findall(r"(?m)^#(\d+) DONE ", done.stderr))
        executed = [t for n, t in steps.items() if n in ran and "] FROM " not in t]
        assert any("venv-overlay.sh collect" in t for t in executed), executed
        # neither the Airflow install nor the copy of its venv into the image ran again
        assert not [t for t in executed if "install-airflow.sh airflow" in t], executed
        assert not [t for t in executed if "COPY --from=airflow-build" in t], executed
        breeze("prod-image", "verify", tag)
        imported = docker(
            "run", "--rm", "--user", "1000123:0", tag, "python", "-c",
            "import cowsay, airflow; print(cowsay.__file__)",
        )  # fmt: skip
        assert imported.stdout.startswith("/opt/airflow-venv/"), imported.stdout
    finally:
        docker("image", "rm", tag, check=False)


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("--airflow-extras", "jira"), "atlassian-jira"),
        (("--install-airflow-version", "1.10.11", "--python", "3.11"), "3.11"),
        (("--embedded-dags", "/no/such/folder"), "/no/such/folder"),
    ],
)
def test_bad_input_fails_before_building(engine: None, args: tuple[str, ...], needle: str) -> None:
    done = breeze("prod-image", "build", *args, check=False)
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    error_lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(error_lines) == 1 and needle in error_lines[0], done.stderr


def test_no_engine_is_one_line(tmp_path: Path) -> None:
    done = breeze("prod-image", "build", "--docker-host", f"unix://{tmp_path}/no.sock", check=False)
    assert done.returncode == 1
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "no Docker engine" in lines[0]


def test_no_buildx_is_one_line(engine: None, tmp_path: Path) -> None:
    fake = tmp_path / "docker"
    fake.write_text("#!/bin/sh\necho \"docker: 'buildx' is not a docker command.\" >&2\nexit 1\n")
    fake.chmod(0o755)
    import os

    done = breeze(
        "prod-image", "build", check=False, env={"PATH": f"{tmp_path}:{os.environ['PATH']}"}
    )
    assert done.returncode == 1
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "buildx" in lines[0]


def test_a_failing_build_shows_the_step_and_one_line_cause(
    custom_image: str, dags_folder: Path
) -> None:
    args = [a for a in CUSTOM_ARGS]
    args[args.index("--additional-runtime-deps") + 1] = "libasound2 no-such-package-breeze"
    done = breeze(
        "prod-image", "build", "--image-tag", f"{TEST_REPOSITORY}:broken", *args, check=False
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("Error: build failed after")
    assert "apt package 'no-such-package-breeze' does not exist" in last
    assert "Unable to locate package no-such-package-breeze" in done.stderr  # the step's log
    assert docker("image", "inspect", f"{TEST_REPOSITORY}:broken", check=False).returncode != 0
