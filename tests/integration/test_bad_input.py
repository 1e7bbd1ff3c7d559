"""What breeze refuses: one row per bad input, each one error line saying what to do, nothing left.

The table ROWS is also docs/bad-input.md (test_doc_is_current keeps them equal; regenerate with
`BREEZE_UPDATE_GOLDEN=1 .venv/bin/pytest tests/integration/test_bad_input.py -k doc`).

In a row's argv and env, `{name}` stands for a path or port the row's sandbox makes:
{project} (the working folder, also --project-folder), {file} (a file), {dir} (an empty folder),
{missing} (a path that does not exist), {closed} (a TCP port nothing listens on), {busy} (a TCP
port the test listens on), {stack} (a project folder whose compose project has a volume that must
survive). `files` are written into {project} before the row runs (None: a folder).
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from breeze.core.compose_env import project_name, shell_project_name
from tests.integration.conftest import ROOT

DOC = ROOT / "docs" / "bad-input.md"
NO_ENGINE = {"DOCKER_HOST": "unix:///nonexistent.sock"}
BAD_TOML = 'python = "3.12\n'


@dataclass(frozen=True)
class Row:
    """One bad input: the command, what it refuses with, and what the user should do."""

    argv: tuple[str, ...]
    code: int  # the exit code
    says: str  # a fragment of the one error line
    hint: str  # the fragment that tells the user what to do
    why: str  # why breeze refuses it, for docs/bad-input.md
    env: Mapping[str, str] = field(default_factory=dict)
    files: Mapping[str, str | None] = field(default_factory=dict)
    unreadable: str = ""  # a file of `files` made unreadable with chmod 000 (not for root)
    engine: bool = False  # needs a running engine to get that far
    progress: tuple[str, ...] = ()  # fragments of the info lines printed before the error

    @property
    def id(self) -> str:
        """A readable test id."""
        words = " ".join([*(f"{k}={v}" for k, v in self.env.items()), *self.argv])
        return re.sub(r"[^A-Za-z0-9_.=:-]+", "_", words)[:80]


def _rows() -> tuple[Row, ...]:
    """The table; grouped by command, one line of why for the docs each."""
    build = ("prod-image", "build")
    start = ("start-airflow", "--project-folder", "{stack}")
    return (
        # --- prod-image build / build-image / ci-image build: checked before the engine ---
        Row((*build, "--python", "3.7"), 2, "'3.7' is not one of '3.10'", "--help",
            "unknown Python version"),
        Row((*build, "--python", ""), 2, "'' is not one of", "--help",
            "empty string where a value is required"),
        Row((*build, "--debian-version", "stretch"), 2, "'stretch' is not one of", "--help",
            "unknown Debian release"),
        Row((*build, "--airflow-extras", "jira"), 2, "has no extra 'jira'",
            "did you mean 'atlassian-jira'?", "unknown extra, with the closest name"),
        Row((*build, "--install-airflow-version", "2.10.5", "--python", "3.12",
             "--airflow-extras", "edge3"), 2, "Airflow 2.10.5 has no extra 'edge3'",
            "breeze prod-image extras", "an extra of another Airflow version"),
        Row((*build, "--additional-extras", "nosuch"), 2, "has no extra 'nosuch'",
            "breeze prod-image extras", "unknown additional extra"),
        Row((*build, "--install-airflow-version", "1.10.11", "--python", "3.11"), 2,
            "does not support Python 3.11", "choose another --python",
            "a Python the Airflow version does not support"),
        Row((*build, "--install-airflow-version", "3.3"), 2, "is not a release version",
            "such as 3.3.2", "not a full release version"),
        Row((*build, "--install-airflow-version", ""), 2, "'' is not a release version",
            "such as 3.3.2", "empty Airflow version"),
        Row((*build, "--dry-run", "--install-airflow-version", "9.9.9"), 2,
            "9.9.9 is not an Airflow release", "choose one such as 3.3.2",
            "unknown Airflow version, even in a dry run"),
        Row((*build, "--install-airflow-version", "3.2.9"), 2,
            "3.2.9 is not an Airflow release", "choose one such as 3.2.2, 3.2.1, 3.2.0",
            "an Airflow version that was never released"),
        Row((*build, "--image-tag", "Bad Tag"), 2, "'Bad Tag' is not a valid image tag",
            "use NAME[:TAG]", "invalid tag (space, upper case)"),
        Row((*build, "--image-tag", "airflow:bad:tag"), 2, "is not a valid image tag",
            "use NAME[:TAG]", "invalid tag (two colons)"),
        Row((*build, "--image-tag", ""), 2, "--image-tag is empty", "leave the option out",
            "empty image tag"),
        Row((*build, "--airflow-constraints-reference", ""), 2,
            "--airflow-constraints-reference is empty", "leave the option out",
            "empty constraints reference"),
        Row((*build, "--python-base-image", "Python 3"), 2, "is not a valid image for",
            "use NAME[:TAG]", "invalid base image name"),
        Row((*build, "--airflow-uid", "0"), 2, "--airflow-uid 0 is not allowed",
            "use a non-root UID", "root UID"),
        Row((*build, "--airflow-uid", "abc"), 2, "--airflow-uid 'abc' is not a whole number",
            "use a UID from 1 to 2147483647", "UID not a number"),
        Row((*build, "--airflow-uid", "4294967296"), 2, "is not allowed", "from 1 to 2147483647",
            "UID out of range"),
        Row((*build, "--airflow-home", "opt/airflow"), 2, "--airflow-home must be",
            "an absolute path without spaces", "relative AIRFLOW_HOME"),
        Row((*build, "--airflow-home", ""), 2, "got ''", "an absolute path without spaces",
            "empty AIRFLOW_HOME"),
        Row((*build, "--airflow-user-home-dir", "/home/air flow"), 2,
            "--airflow-user-home-dir must be", "an absolute path without spaces",
            "home folder with a space"),
        Row((*build, "--embedded-dags", "{missing}"), 2, "does not exist", "--help",
            "missing DAG folder"),
        Row((*build, "--embedded-dags", "{file}"), 2, "is a file", "--help",
            "a file where a folder is expected"),
        Row((*build, "--platform", "amd64"), 2, "'amd64' is not a platform",
            "use one of linux/amd64, linux/arm64", "invalid platform"),
        Row((*build, "--dry-run", "--platform", "linux/bogus"), 2,
            "'linux/bogus' is not a platform breeze builds", "use one of linux/amd64",
            "unknown platform, even in a dry run"),
        Row((*build, "--platform", "linux/amd64,linux/arm64"), 2,
            "cannot be loaded into the local engine", "add --push",
            "conflicting options: several platforms without --push"),
        Row((*build, "--install-distributions-from-context", "--installation-method",
             "git+https://github.com/apache/airflow.git@main"), 2,
            "cannot be combined with --installation-method", "installs without an index",
            "conflicting options: offline install from a URL"),
        Row((*build, "--install-distributions-from-context", "--docker-context-files", "{dir}"),
            2, "no *.whl or *.tar.gz", "put the distributions there",
            "offline install without distributions"),
        Row((*build, "--installation-method", "{dir}"), 2, "is not a Python project folder",
            "no pyproject.toml or setup.py", "source folder that is no Python project"),
        Row((*build, "--additional-runtime-deps", "Bad_Pkg"), 2,
            "'Bad_Pkg' is not a Debian package name", "--additional-runtime-deps",
            "invalid apt package name"),
        Row((*build, "--additional-python-deps", "numpy;rm"), 2, "is not a requirement",
            "give space-separated specifiers", "shell characters in a requirement"),
        Row((*build, "--build-progress", "fancy"), 2, "'fancy' is not one of", "--help",
            "unknown progress mode"),
        Row((*build, "--answer", "maybe"), 2, "'maybe' is not one of 'yes', 'no', 'quit'",
            "--help", "unknown answer"),
        Row((*build, "--airflow-constraints-mode", "pinned"), 2, "'pinned' is not one of",
            "--help", "unknown constraints mode"),
        Row((*build, "--airflow-constraints-location", "{missing}"), 2,
            "is neither a URL nor a file", "give a URL or an existing file",
            "missing constraints file"),
        Row((*build, "--airflow-constraints-location", "{dir}"), 2,
            "is neither a URL nor a file", "give a URL or an existing file",
            "a folder where the constraints file is expected"),
        Row((*build, "--airflow-constraints-location", "ftp://example.com/c.txt"), 2,
            "only http(s) URLs and files", "download it and give the file",
            "constraints URL scheme breeze cannot read"),
        Row((*build, "--no-such-option"), 2, "No such option: --no-such-option", "--help",
            "unknown option"),
        Row(("build-image", "--production-image", "--python", "3.9"), 2, "'3.9' is not one of",
            "--help", "classic spelling, same checks"),
        Row(("ci-image", "build", "--airflow-uid", "0"), 2, "is not allowed",
            "use a non-root UID", "CI image, same checks"),
        Row(build, 2, "'--python' (from BREEZE_PYTHON): '3.7' is not one of", "--help",
            "bad value in the environment, named", env={"BREEZE_PYTHON": "3.7"}),
        Row(build, 2, "--airflow-uid 0 is not allowed", "(--airflow-uid comes from "
            "BREEZE_AIRFLOW_UID)", "refused value in the environment, named",
            env={"BREEZE_AIRFLOW_UID": "0"}),
        # --- breeze.toml ---
        Row(build, 2, "is not valid TOML", "fix or delete it", "breeze.toml with a syntax error",
            files={"breeze.toml": BAD_TOML}),
        Row(build, 2, "'pyhton' is not an option", "did you mean 'python'?",
            "breeze.toml with a misspelt key", files={"breeze.toml": 'pyhton = "3.12"\n'}),
        Row(build, 2, "python = '3.7' is not one of", "3.10, 3.11",
            "breeze.toml with an unknown value", files={"breeze.toml": 'python = "3.7"\n'}),
        Row(build, 2, "[prod-imag] is not a breeze command", "name tables after commands",
            "breeze.toml table that is no command",
            files={"breeze.toml": '[prod-imag]\npython = "3.12"\n'}),
        Row(build, 2, "push is a flag", "use true or false", "breeze.toml flag given a string",
            files={"breeze.toml": 'push = "yes"\n'}),
        Row(build, 2, "--airflow-uid 'abc' (from breeze.toml) is not a whole number",
            "use a UID from 1 to 2147483647", "breeze.toml with a word for a number",
            files={"breeze.toml": 'airflow-uid = "abc"\n'}),
        Row(build, 1, "Is a directory", "make it a readable TOML file or remove it",
            "breeze.toml that is a folder", files={"breeze.toml": None}),
        Row(build, 1, "Permission denied", "make it a readable TOML file or remove it",
            "unreadable breeze.toml (chmod 000; root reads it anyway)",
            files={"breeze.toml": 'python = "3.12"\n'}, unreadable="breeze.toml"),
        # --- verify ---
        Row(("prod-image", "verify", "breeze-test/no-such-image:1"), 1, "does not exist",
            "build it with `breeze prod-image build`", "non-existent image", engine=True),
        Row(("ci-image", "verify", "breeze-test/no-such-image:1"), 1, "does not exist",
            "build it with `breeze ci-image build`", "non-existent CI image", engine=True),
        Row(("prod-image", "verify", "Bad Image"), 2, "'Bad Image' is not a valid image name",
            "use NAME[:TAG]", "invalid image name", engine=True),
        Row(("prod-image", "verify", "python:3.13-slim-trixie"), 1,
            "cannot start a container of python:3.13-slim-trixie",
            "is it an Airflow image built by breeze", "an image that is not an Airflow image",
            engine=True, progress=("Verifying python:3.13-slim-trixie",)),
        Row(("prod-image", "extras", "--install-airflow-version", "9.9.9"), 2,
            "Airflow 9.9.9 is not in breeze's release data", "choose a known version (3.3.2",
            "unknown Airflow version"),
        # --- development environments ---
        Row((*start, "--backend", "oracle"), 2, "'oracle' is not one of", "--help",
            "unknown backend"),
        Row((*start, "--executor", "KubernetesExecutor"), 2,
            "'KubernetesExecutor' is not one of", "--help", "unknown executor"),
        Row((*start, "--executor", "CeleryExecutor"), 2, "CeleryExecutor cannot run on sqlite",
            "add --backend postgres", "conflicting options: Celery on sqlite"),
        Row((*start, "--api-port", "0"), 2, "--api-port 0 is not a port", "use 1 to 65535",
            "port out of range"),
        Row((*start, "--backend", "postgres", "--executor", "CeleryExecutor", "--flower",
             "--api-port", "25555"), 2, "--api-port and --flower-port must differ",
            "must differ", "conflicting options: one port for two services"),
        Row((*start, "--dags-folder", "{missing}"), 2, "is not a folder",
            "create it or give an existing one", "missing DAG folder"),
        Row(("start-airflow", "--project-folder", "{file}"), 2, "is a file", "--help",
            "a file as the project folder"),
        Row((*start, "--wait-timeout", "soon"), 2, "--wait-timeout 'soon' is not a whole number",
            "give whole seconds", "timeout not a number"),
        Row((*start, "--api-port", "{busy}", "--image-tag", "breeze-test/no-such-image:1"), 1,
            "is busy", "try --api-port", "port in use (checked before any image or folder)",
            engine=True),
        Row(("shell", "--project-folder", "{stack}", "--postgres-version", "9"), 2,
            "'9' is not one of '15', '16', '17'", "--help", "unknown PostgreSQL version"),
        Row(("shell", "--project-folder", "{stack}", "--image-tag", "Bad Tag", "-c", "true"), 2,
            "'Bad Tag' is not a valid image name", "use NAME[:TAG]", "invalid CI image name",
            engine=True),
        Row(("exec", "--project-folder", "{stack}", "--", "airflow", "dags", "list"), 1,
            "no breeze stack runs from this project folder", "start one with `breeze start-airflow`",
            "nothing to run in: no stack started from the folder", engine=True),
        Row(("logs", "--project-folder", "{stack}"), 1, "no breeze stack runs",
            "start one with `breeze start-airflow`", "no stack to show logs of", engine=True),
        Row(("logs", "--project-folder", "{stack}", "sheduler"), 1, "no breeze stack runs",
            "start one with `breeze start-airflow`",
            "a service of no running stack (a running one suggests its own services)",
            engine=True),
        # --- DAG authors: dags check, testing, upgrade-check ---
        Row(("dags", "check", "{missing}"), 2, "does not exist",
            "give the folder of your DAG files", "missing DAG folder"),
        Row(("dags", "check", "{file}"), 2, "is not a folder",
            "give the folder of your DAG files", "a file as the DAG folder"),
        Row(("dags", "check", "{dir}", "--image", "breeze-badinput/no-such-image:1"), 1,
            "breeze-badinput/no-such-image:1", "breeze prod-image build",
            "an image the engine does not have", engine=True),
        Row(("testing", "--project-folder", "{dir}"), 2, "has no tests/ folder",
            "give the test files or folders to run", "nothing to test"),
        Row(("testing", "--project-folder", "{project}", "--junit-xml", "{missing}/junit.xml"), 2,
            "does not exist", "--junit-xml", "JUnit XML file in a missing folder",
            files={"tests": None}),
        Row(("upgrade-check", "{dir}"), 2, "Missing option '--to-version'", "--help",
            "no target version"),
        Row(("upgrade-check", "--to-version", "9.9.9", "{dir}"), 2,
            "--to-version 9.9.9: not an Airflow release breeze knows", "newest: ",
            "unknown target version"),
        Row(("upgrade-check", "--to-version", "3.2.2", "{dir}"), 2,
            "is not newer than the current Airflow 3.3.2",
            "give the current one with --install-airflow-version", "a target that is no upgrade"),
        Row(("upgrade-check", "--install-airflow-version", "3.2.2", "--to-version", "3.3.2",
             "{missing}"), 2, "does not exist", "give the folder of your DAG files",
            "missing DAG folder"),
        Row(("upgrade-check", "--install-airflow-version", "3.2.2", "--to-version", "3.3.2",
             "--to-python", "3.9", "{dir}"), 2, "'3.9' is not one of", "--help",
            "unknown target Python"),
        # --- no engine ---
        Row(build, 1, "no Docker engine answers at unix:///nonexistent.sock", "start Docker",
            "stopped or unreachable engine", env=NO_ENGINE),
        Row(("prod-image", "verify"), 1, "no Docker engine answers", "start Docker",
            "stopped or unreachable engine", env=NO_ENGINE),
        Row(start, 1, "no Docker engine answers", "start Docker",
            "stopped or unreachable engine", env=NO_ENGINE),
        Row(("exec", "--project-folder", "{stack}"), 1, "no Docker engine answers",
            "start Docker", "stopped or unreachable engine", env=NO_ENGINE),
        Row(("ps", "--json", "--project-folder", "{stack}"), 1, "no Docker engine answers",
            "start Docker", "stopped engine: no empty list that looks like success",
            env=NO_ENGINE),
        Row(("down", "--volumes", "--project-folder", "{stack}"), 1, "no Docker engine answers",
            "start Docker", "stopped or unreachable engine", env=NO_ENGINE),
        Row(("constraints", "generate", "--output-dir", "{dir}"), 1, "no Docker engine answers",
            "start Docker", "stopped or unreachable engine", env=NO_ENGINE),
        Row((*build, "--python-base-image", "breeze-badinput/no-such-python:1"), 1,
            "--python-base-image breeze-badinput/no-such-python:1 is not in the engine and "
            "cannot be pulled", "pull or build it first", "a base image that cannot be had "
            "(checked before constraints are generated)", engine=True),
        Row((*build, "--docker-host", "tcp://127.0.0.1:{closed}"), 1,
            "no Docker engine answers at tcp://127.0.0.1:", "start Docker",
            "--docker-host where no engine listens"),
        Row((*build, "--dry-run"), 2, "SOURCE_DATE_EPOCH='yesterday' is not a time",
            "give seconds since 1970", "a source date that is not a number (checked first)",
            env={"SOURCE_DATE_EPOCH": "yesterday"}),
        # --- compare ---
        Row(("prod-image", "compare", "breeze-test/no-such-image:1", "python:3.13-slim-trixie"),
            1, "image breeze-test/no-such-image:1 does not exist", "build it with",
            "compare with an image the engine does not have", engine=True),
        Row(("prod-image", "compare", "python:3.13-slim-trixie", "python:3.13-slim-trixie",
             "--other-docker-host", "tcp://127.0.0.1:{closed}"), 1,
            "no Docker engine answers at tcp://127.0.0.1:", "start Docker",
            "--other-docker-host where no engine listens", engine=True),
        # --- constraints ---
        Row(("constraints", "generate", "--python", "3.7"), 2, "'3.7' is not one of", "3.10",
            "unknown Python version"),
        Row(("constraints", "generate", "--python", ""), 2, "give at least one --python",
            "give at least one --python", "empty Python list"),
        Row(("constraints", "generate", "--output-dir", "{missing}"), 2, "is not a folder",
            "create it first", "missing output folder"),
        Row(("constraints", "generate", "--output-dir", "{file}"), 2, "is a file", "--help",
            "a file where the output folder is expected"),
        Row(("constraints", "check"), 2, "Missing option '--requirements'", "--help",
            "required option missing"),
        Row(("constraints", "check", "-r", "{missing}"), 2, "does not exist", "--help",
            "missing requirements file"),
        Row(("constraints", "check", "-r", "{dir}"), 2, "is a directory", "--help",
            "a folder where the requirements file is expected"),
        Row(("constraints", "check", "-r", "{project}/reqs.txt"), 2, "is not readable", "--help",
            "unreadable requirements file (chmod 000; root reads it anyway)",
            files={"reqs.txt": "numpy\n"}, unreadable="reqs.txt"),
        Row(("constraints", "show", "--airflow-constraints-location", "{project}/c.txt"), 1,
            "is not a constraints file", "give an official file",
            "constraints file without pins", files={"c.txt": "hello world\n"}),
        Row(("constraints", "show", "--airflow-constraints-location", "{project}/c.txt"), 2,
            "pins apache-airflow==3.2.0 but --install-airflow-version is 3.3.2",
            "use --install-airflow-version 3.2.0", "constraints of another Airflow version",
            files={"c.txt": "apache-airflow==3.2.0\nrequests==2.32.0\n"}),
        Row(("constraints", "show", "--airflow-constraints-location",
             "http://127.0.0.1:{closed}/c.txt"), 1, "Connection refused",
            "generate constraints with `breeze constraints generate`",
            "constraints URL that does not answer"),
        Row(("constraints", "show", "--airflow-constraints-location",
             "http://127.0.0.1:{closed}/c.txt"), 2, "is not a number of seconds",
            "or unset it", "download timeout not a number",
            env={"BREEZE_CONSTRAINTS_TIMEOUT": "soon"}),
        # --- setup, wizard, commands ---
        Row(("setup", "autocomplete", "--shell", "tcsh"), 2, "'tcsh' is not one of", "--help",
            "unsupported shell"),
        Row(("wizard",), 1, "needs a terminal", "pass the options as flags",
            "the wizard without a terminal"),
        Row(("image", "build"), 2, "No such command 'image'", "--help", "unknown command"),
    )  # fmt: skip


ROWS = _rows()


# --- running a row --------------------------------------------------------------------------


@dataclass
class Sandbox:
    """The folders and ports of one row; breeze runs in {project} with HOME and caches here."""

    root: Path
    stack: Path
    busy: int
    values: dict[str, str] = field(default_factory=dict)

    def prepare(self, row: Row) -> tuple[list[str], dict[str, str]]:
        """Create the row's files; return its argv and environment with the values filled in."""
        project, home = self.root / "project", self.root / "home"
        for folder in (project, home, self.root / "dir", self.root / "cache"):
            folder.mkdir(parents=True, exist_ok=True)
        (self.root / "file.txt").write_text("not a folder\n")
        for name, content in row.files.items():
            if content is None:
                (project / name).mkdir()
            else:
                (project / name).write_text(content)
        if row.unreadable:
            (project / row.unreadable).chmod(0)
        self.values = {
            "project": str(project),
            "file": str(self.root / "file.txt"),
            "dir": str(self.root / "dir"),
            "missing": str(self.root / "missing"),
            "closed": str(_closed_port()),
            "busy": str(self.busy),
            "stack": str(self.stack),
        }
        argv = [arg.format(**self.values) for arg in row.argv]
        env = {
            **os.environ,
            "COLUMNS": "200",
            "HOME": str(home),
            "XDG_CACHE_HOME": str(self.root / "cache"),
            "XDG_CONFIG_HOME": str(home / ".config"),
            "BREEZE_CACHE_DIR": str(self.root / "cache" / "breeze"),
        }
        for name in list(env):
            if name.startswith("BREEZE_") and name != "BREEZE_CACHE_DIR":
                del env[name]  # the developer's settings must not change a row
        env.update({k: v.format(**self.values) for k, v in row.env.items()})
        return argv, env


def _closed_port() -> int:
    """A TCP port nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _engine_available() -> bool:
    """Whether a Docker engine answers."""
    done = subprocess.run(["docker", "info"], capture_output=True, check=False)
    return done.returncode == 0


ENGINE = _engine_available()


def _files(*roots: Path) -> dict[str, tuple[int, int, int]]:
    """Every path below the roots with its mtime, size and mode."""
    found = {}
    for root in roots:
        if not root.exists():
            continue
        for dirpath, dirnames, filenames in os.walk(root):
            for name in [*dirnames, *filenames]:
                path = Path(dirpath, name)
                stat = path.lstat()
                found[str(path)] = (stat.st_mtime_ns, stat.st_size, stat.st_mode)
    return found


def _engine_resources() -> set[str]:
    """Compose projects' containers, networks and volumes, and breeze's labelled containers."""
    if not ENGINE:
        return set()
    label = "com.docker.compose.project"
    found = set()
    project = '{{.Label "com.docker.compose.project"}}'
    for kind, args, template in (
        ("container", ("ps", "-a", "--filter", f"label={label}"), "{{.ID}} " + project),
        ("network", ("network", "ls", "--filter", f"label={label}"), "{{.ID}} " + project),
        ("volume", ("volume", "ls", "--filter", f"label={label}"), "{{.Name}} " + project),
        ("container", ("ps", "-a", "--filter", "label=breeze.purpose"), "{{.ID}} {{.Image}}"),
    ):
        done = subprocess.run(
            ["docker", *args, "--format", template], capture_output=True, text=True, check=True
        )
        found |= {f"{kind} {line}" for line in done.stdout.splitlines() if line.strip()}
    return found


@dataclass(frozen=True)
class Outcome:
    """What one row's breeze did."""

    returncode: int
    output: str
    seconds: float
    changed_files: tuple[str, ...]
    projects: tuple[str, ...]


def _run_row(row: Row, root: Path, stack: Path, busy: int) -> Outcome:
    """Run one row in its sandbox; report its output and the files it created or changed."""
    sandbox = Sandbox(root, stack, busy)
    argv, env = sandbox.prepare(row)
    watched = [root, stack, ROOT / "docker-context-files"]
    before = _files(*watched)
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "breeze", *argv],
        capture_output=True,
        text=True,
        cwd=root / "project",
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=90,
        check=False,
    )
    seconds = time.monotonic() - started
    after = _files(*watched)
    changed = sorted(
        path for path in before.keys() | after.keys() if before.get(path) != after.get(path)
    )
    folders = (root / "project", stack)
    projects = tuple(f(folder) for folder in folders for f in (project_name, shell_project_name))
    return Outcome(done.returncode, done.stdout + done.stderr, seconds, tuple(changed), projects)


def _skip_reason(row: Row) -> str | None:
    """Why a row cannot run here, if it cannot."""
    if row.engine and not ENGINE:
        return "needs a Docker engine"
    return None


@dataclass(frozen=True)
class Batch:
    """The outcome of every selected row, and what the engine gained or lost meanwhile."""

    outcomes: Mapping[int, Outcome]
    engine_gained: frozenset[str]
    engine_lost: frozenset[str]


@pytest.fixture(scope="module")
def stack_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A project folder whose compose project owns a volume no bad input may remove."""
    folder = tmp_path_factory.mktemp("stack") / "badinput"
    folder.mkdir()
    volume = f"{project_name(folder)}_sentinel-{uuid.uuid4().hex[:6]}"
    if ENGINE:
        subprocess.run(
            ["docker", "volume", "create", "--label",
             f"com.docker.compose.project={project_name(folder)}", volume],
            capture_output=True, check=True,
        )  # fmt: skip
    yield folder
    if ENGINE:
        subprocess.run(["docker", "volume", "rm", volume], capture_output=True, check=False)


@pytest.fixture(scope="module")
def busy_port() -> Iterator[int]:
    """A TCP port this test listens on, on all interfaces as a dev stack would bind it."""
    with socket.socket() as sock:
        sock.bind(("0.0.0.0", 0))
        sock.listen()
        yield sock.getsockname()[1]


@pytest.fixture(scope="module")
def batch(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    stack_folder: Path,
    busy_port: int,
) -> Batch:
    """Run the selected rows four at a time (each in its own sandbox): the table stays fast."""
    selected = []
    for item in request.session.items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        ours = item.module is request.module and "row_index" in params
        if ours and _skip_reason(ROWS[params["row_index"]]) is None:
            selected.append(params["row_index"])
    engine_before = _engine_resources()
    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = {
            index: pool.submit(
                _run_row,
                ROWS[index],
                tmp_path_factory.mktemp(f"row{index}"),
                stack_folder,
                busy_port,
            )
            for index in selected
        }
        outcomes = {index: future.result() for index, future in futures.items()}
    engine_after = _engine_resources()
    # only what these rows could have made: others may be using the same engine meanwhile
    ours = {p for outcome in outcomes.values() for p in outcome.projects}
    ours |= {arg for index in selected for arg in ROWS[index].argv}  # images verify would run
    gained = {r for r in engine_after - engine_before if r.split()[-1] in ours}
    lost = {r for r in engine_before - engine_after if r.split()[-1] in ours}
    return Batch(outcomes, frozenset(gained), frozenset(lost))


# Root reads a chmod 000 file: those rows are not collected under root (CI) rather than skipped,
# since a skip is a failure there; the folder rows cover unreadable input for root.
RUNNABLE = [n for n, row in enumerate(ROWS) if not (row.unreadable and os.geteuid() == 0)]


@pytest.mark.parametrize("row_index", RUNNABLE, ids=[f"{n + 1:02d}-{ROWS[n].id}" for n in RUNNABLE])
def test_bad_input(row_index: int, batch: Batch) -> None:
    row = ROWS[row_index]
    reason = _skip_reason(row)
    if reason:
        pytest.skip(reason)
    outcome = batch.outcomes[row_index]
    output = outcome.output
    assert "Traceback" not in output, output
    assert outcome.returncode == row.code, output
    lines = [line for line in output.splitlines() if line.strip()]
    assert len(lines) == 1 + len(row.progress), f"expected one error line, got:\n{output}"
    for fragment, info in zip(row.progress, lines, strict=False):
        assert fragment in info, output
    line = lines[-1]
    assert line.startswith("Error: "), line
    assert row.says in line, line
    assert row.hint in line, f"the message does not say what to do ({row.hint!r}): {line}"
    assert outcome.seconds < 30, f"took {outcome.seconds:.1f} s"
    assert not outcome.changed_files, f"files created or changed: {outcome.changed_files}"
    assert not batch.engine_gained, f"left in the engine: {sorted(batch.engine_gained)}"
    assert not batch.engine_lost, f"removed from the engine: {sorted(batch.engine_lost)}"


# --- the published table ----------------------------------------------------------------------


def render_doc() -> str:
    """docs/bad-input.md from ROWS."""
    lines = [
        "# What breeze refuses, and why",
        "",
        "<!-- Generated from tests/integration/test_bad_input.py; do not edit. Regenerate with",
        "     BREEZE_UPDATE_GOLDEN=1 .venv/bin/pytest tests/integration/test_bad_input.py -k doc -->",
        "",
        f"Each of these {len(ROWS)} inputs is refused with **one** `Error: ...` line that says what "
        "to do, exit code 2 for input that can never work (a usage error) or 1 for a state of the "
        "machine (no engine, a busy port, a file that cannot be read), no traceback, and nothing "
        "left behind: no file created or changed in the working folder, the home folder or the "
        "cache, no container, network or volume created, no volume removed. Values are checked "
        "before the engine is asked anything; local files and folders next; the engine last. "
        "`tests/integration/test_bad_input.py` runs every row.",
        "",
        "Placeholders: `{file}` a file, `{dir}` an empty folder, `{missing}` a path that does "
        "not exist, `{closed}` a port nothing listens on, `{busy}` a port in use, `{project}` / "
        "`{stack}` a project folder.",
        "",
        "| # | command | refused because | exit | the error line contains | what to do |",
        "|---|---|---|---|---|---|",
    ]
    for number, row in enumerate(ROWS, start=1):
        lines.append(
            f"| {number} | {_md(_command(row))} | {_escape(row.why)} | {row.code} "
            f"| {_md(row.says)} | {_md(row.hint)} |"
        )
    lines += [
        "",
        "Interrupts (`tests/integration/test_interrupts.py`, `tests/integration/test_constraints.py`):",
        "Ctrl-C (SIGINT to the process group, as a terminal sends it, or to breeze alone) during",
        "`prod-image build` cancels the build and exits 130; during `start-airflow` it removes the",
        "containers and network it started (the database volume stays, as `breeze down` keeps it);",
        "during `constraints generate` it removes the resolve containers and writes no file. An",
        "engine that stops answering in the middle of a command (a build, `verify`, the wait of",
        "`start-airflow`; `tests/integration/test_engine_gone.py`) is one `Error:` line saying so.",
        "",
    ]
    return "\n".join(lines)


def _command(row: Row) -> str:
    """The row as the user would type it, with its environment and files."""
    words = [f"{k}={v}" for k, v in row.env.items()]
    words.append("breeze")
    words += [_quote(arg) for arg in row.argv]
    text = " ".join(words)
    for name, content in row.files.items():
        what = "a folder" if content is None else repr(content.strip())
        text += f" (with {name}: {what}{', chmod 000' if row.unreadable == name else ''})"
    return text


def _quote(arg: str) -> str:
    """A shell word."""
    return arg if arg and re.fullmatch(r"[A-Za-z0-9_@%+=:,./{}-]+", arg) else f"'{arg}'"


def _md(text: str) -> str:
    """Code in a table cell."""
    text = text.replace("|", "\\|")
    return f"`` {text} ``" if "`" in text else f"`{text}`"


def _escape(text: str) -> str:
    """Plain text in a table cell."""
    return text.replace("|", "\\|")


def test_table_is_large_enough() -> None:
    assert len(ROWS) >= 35
    assert len({(row.argv, tuple(row.env.items()), tuple(row.files.items())) for row in ROWS}) == (
        len(ROWS)
    ), "duplicate rows"


def test_doc_is_current() -> None:
    text = render_doc()
    if os.environ.get("BREEZE_UPDATE_GOLDEN") == "1":
        DOC.write_text(text)
    assert DOC.is_file(), f"missing {DOC}; run with BREEZE_UPDATE_GOLDEN=1"
    assert DOC.read_text() == text, (
        "docs/bad-input.md is out of date; regenerate it with BREEZE_UPDATE_GOLDEN=1 "
        ".venv/bin/pytest tests/integration/test_bad_input.py -k doc"
    )
