"""Resolving constraints with uv in a container, pure: the params, the script and the docker run."""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from breeze.core.argv import Command, copy_in_run
from breeze.core.constraint_files import GENERATED_MODES
from breeze.core.defaults import DEFAULT_AIRFLOW_EXTRAS, DEFAULT_DEBIAN_VERSION
from breeze.core.errors import InvalidInput
from breeze.core.image_params import ImageSpec
from breeze.core.network import PROXY_KINDS, SECRET_ENV, SECRETS_DIR, NetworkRequest
from breeze.core.pins import AIRFLOW

# The uv the Dockerfile installs with (AIRFLOW_UV_VERSION), so generate resolves like the build.
UV_VERSION = "0.13.9"
UV_CACHE_VOLUME = "breeze-uv-cache"
PYTHON_PLACEHOLDER = "{python}"
# Printed by the container scripts between uv's log and the file they made.
OUTPUT_MARKER = "==== breeze: output follows ===="
# Forwarded by name (`--env NAME`, the value stays out of dry-run output) into the containers.
FORWARDED_ENV = (
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "NO_PROXY",
    "http_proxy",
    "https_proxy",
    "no_proxy",
    "ALL_PROXY",
    "all_proxy",
    "PIP_INDEX_URL",
    "PIP_EXTRA_INDEX_URL",
    "UV_DEFAULT_INDEX",
    "UV_INDEX",
    "UV_INDEX_URL",
    "UV_EXTRA_INDEX_URL",
)
_SH_BARE_RE = re.compile(r"^[A-Za-z0-9_./=:+-]+$")
_SH_DOUBLE_RE = re.compile(r"^[A-Za-z0-9_./=:+, \[\]-]+$")


@dataclass(frozen=True)
class GenerateParams:
    """What `breeze constraints generate` makes: one file per Python, resolved in containers."""

    pythons: tuple[str, ...]
    airflow_version: str
    airflow_extras: tuple[str, ...] = DEFAULT_AIRFLOW_EXTRAS
    constraints_mode: str = "constraints"
    debian_version: str = DEFAULT_DEBIAN_VERSION
    python_base_image: str | None = None
    output_dir: Path = Path(".")
    # mounted into the resolve containers like the build's BuildKit secrets (resolved), or the
    # network options as given, which the generate service resolves into them
    secrets: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    proxy_forward: bool = True
    network: NetworkRequest = field(default_factory=NetworkRequest)

    def spec_for(self, python: str) -> ImageSpec:
        """The image spec the resolution for one Python stands for."""
        base = self.python_base_image
        return ImageSpec(
            python=python,
            debian_version=self.debian_version,
            python_base_image=base.replace(PYTHON_PLACEHOLDER, python) if base else None,
            airflow_version=self.airflow_version,
            airflow_extras=self.airflow_extras,
            constraints_mode=self.constraints_mode,
        )

    def file_name(self, python: str) -> str:
        """The name of the file made for one Python: `<mode>-<python>.txt`."""
        return f"{self.constraints_mode}-{python}.txt"


@dataclass(frozen=True)
class CheckParams:
    """What `breeze constraints check` resolves: a requirements file with Airflow and its pins."""

    spec: ImageSpec
    requirements: Path


def airflow_requirement(version: str, extras: Iterable[str], mode: str) -> str:
    """The Airflow requirement a mode resolves: with the extras, or bare for no-providers."""
    wanted = [] if mode == "constraints-no-providers" else list(extras)
    return f"{AIRFLOW}[{','.join(wanted)}]=={version}" if wanted else f"{AIRFLOW}=={version}"


def generated_header(
    params: GenerateParams, python: str, *, created: str, breeze_version: str
) -> str:
    """The comment block at the top of a generated file: what it covers, how and when made."""
    spec = params.spec_for(python)
    requirement = airflow_requirement(
        params.airflow_version, params.airflow_extras, params.constraints_mode
    )
    if params.constraints_mode == "constraints":
        covers = (
            "Airflow, the providers of the requested extras and every transitive dependency\n"
            "# (the official files pin every provider; these only the requested extras')."
        )
    else:
        covers = "Airflow without provider extras and every transitive dependency."
    return (
        f"# {params.constraints_mode} for Apache Airflow {params.airflow_version} on Python "
        f"{python}\n"
        f"# Generated {created} by breeze {breeze_version}: `breeze constraints generate`\n"
        f"# Resolved by uv {UV_VERSION} (`uv pip compile --resolution highest`) in "
        f"{spec.base_image}\n"
        f"# Requirement: {requirement}\n"
        f"# Covers {covers}\n"
    )


def resolve_script(
    requirement_files: Iterable[str],
    airflow: str,
    python: str,
    *,
    constraints: str | None = None,
    print_result: bool = True,
) -> str:
    """The shell script a container runs: uv (kept in the cache volume), then `uv pip compile`.

    uv is pip-installed in a venv once per version and architecture, and its binary kept in the
    volume. With print_result the resolution follows OUTPUT_MARKER on stdout.
    """
    compile_argv = ["pip", "compile", *requirement_files, "/tmp/airflow.in"]
    if constraints:
        compile_argv += ["--constraint", constraints]
    compile_argv += ["--python", "python3", "--python-version", python]
    compile_argv += ["--resolution", "highest", "--no-header", "--no-annotate"]
    compile_argv += ["--output-file", "/tmp/resolved.txt"]
    lines = [
        "set -e",
        f"UV=/root/.cache/breeze/uv-{UV_VERSION}-$(uname -m)/uv",
        'if ! "$UV" --version > /dev/null 2>&1; then',
        f"  echo {_sh_word(f'breeze: installing uv {UV_VERSION}')}",
        "  python3 -m venv /tmp/uv",
        f"  /tmp/uv/bin/pip install --quiet uv=={UV_VERSION}",
        '  mkdir -p "${UV%/uv}"',
        '  cp /tmp/uv/bin/uv "$UV.$HOSTNAME" && mv "$UV.$HOSTNAME" "$UV"',
        "fi",
        f"echo {_sh_word(airflow)} > /tmp/airflow.in",
        f"echo {_sh_word(f'breeze: resolving {airflow} for Python {python}')}",
        '"$UV" ' + " ".join(_sh_word(word) for word in compile_argv) + " > /dev/null",
    ]
    if print_result:
        lines += [f"echo {_sh_word(OUTPUT_MARKER)}", "cat /tmp/resolved.txt"]
    return "\n".join(lines) + "\n"


def _sh_word(word: str) -> str:
    """A shell word: bare or double-quoted when that is safe, else single-quoted."""
    if _SH_BARE_RE.match(word):
        return word
    if _SH_DOUBLE_RE.match(word):
        return f'"{word}"'
    return shlex.quote(word)


def uv_container(
    image: str,
    script: str,
    *,
    name: str,
    mounts: Mapping[str, str] | None = None,
    environ: Mapping[str, str] | None = None,
    docker_host: str | None = None,
    secrets: Mapping[str, str] | None = None,
    proxy_forward: bool = True,
    copy_in: bool = False,
) -> tuple[Command, ...]:
    """The `docker run --rm` command that runs a resolve script with the shared uv cache.

    secrets (id to host file, as the build's BuildKit secrets) are mounted read-only at
    /run/secrets/<id> with the variables that make pip and uv use them. With copy_in (an engine
    on another machine) nothing is mounted: the files are copied in, and the commands are
    `argv.copy_in_run`'s create, copies, start and remove.
    """
    argv = ["docker", "run", "--rm", "--init", "--name", name]
    argv += ["--label", "breeze.purpose=constraints"]
    argv += ["--volume", f"{UV_CACHE_VOLUME}:/root/.cache"]
    for source, target in ({} if copy_in else mounts or {}).items():
        argv += ["--volume", f"{source}:{target}:ro"]
    for secret_id, source in (secrets or {}).items():
        target = secret_target(secret_id, copy_in)
        if not copy_in:
            argv += ["--volume", f"{source}:{target}:ro"]
        for variable in SECRET_ENV.get(secret_id, ()):
            argv += ["--env", f"{variable}={target}"]
    for variable in ("PIP_DISABLE_PIP_VERSION_CHECK=1", "PIP_ROOT_USER_ACTION=ignore"):
        argv += ["--env", variable]
    argv += ["--env", "UV_PYTHON_DOWNLOADS=never", "--env", "UV_HTTP_TIMEOUT=300"]
    for variable in FORWARDED_ENV:
        if not proxy_forward and variable.upper() in PROXY_KINDS:
            continue
        if environ and environ.get(variable):
            argv += ["--env", variable]
    argv += [image, "sh", "-c", script]
    run = Command(tuple(argv), {"DOCKER_HOST": docker_host} if docker_host else {})
    return copy_in_run(run, _copies(mounts, secrets)) if copy_in else (run,)


def secret_target(secret_id: str, copy_in: bool) -> str:
    """Where a resolve container finds a secret: mounted, or copied into /tmp (which exists)."""
    return f"/tmp/breeze-secret-{secret_id}" if copy_in else f"{SECRETS_DIR}/{secret_id}"


def _copies(mounts: Mapping[str, str] | None, secrets: Mapping[str, str] | None) -> dict[str, str]:
    """Host file -> container path, for a resolve container on an engine on another machine."""
    copies = dict(mounts or {})
    for secret_id, source in (secrets or {}).items():
        copies[source] = secret_target(secret_id, copy_in=True)
    return copies


def split_pythons(values: Iterable[str]) -> tuple[str, ...]:
    """Python versions from repeated and comma- or space-separated values, without duplicates."""
    words = (word for value in values for word in re.split(r"[\s,]+", value) if word)
    return tuple(dict.fromkeys(words))


def validate_generate(params: GenerateParams) -> None:
    """Raise InvalidInput for a generate request that cannot be made."""
    if not params.pythons:
        raise InvalidInput("give at least one --python")
    if params.constraints_mode not in GENERATED_MODES:
        raise InvalidInput(
            f"--airflow-constraints-mode {params.constraints_mode} cannot be generated; use "
            f"{' or '.join(GENERATED_MODES)}"
        )
    base = params.python_base_image
    if base and len(params.pythons) > 1 and PYTHON_PLACEHOLDER not in base:
        raise InvalidInput(
            "one --python-base-image cannot serve several --python values; put {python} in it, "
            "e.g. 'python:{python}-slim-bookworm'"
        )
