"""Running commands for the benchmark: subprocesses, the engine's image facts, the machine."""

from __future__ import annotations

import datetime
import os
import platform
import shlex
import shutil
import socket
import subprocess
import sys
import time
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks import bench_report as report

ROOT = Path(__file__).resolve().parents[1]


class BenchError(Exception):
    """A step of the benchmark failed; the message says which."""


def log(message: str) -> None:
    """Progress on stderr, so stdout carries only the table."""
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def run(
    argv: Sequence[str],
    timeout: float | None = None,
    env: dict[str, str] | None = None,
    check: bool = True,
) -> tuple[float, subprocess.CompletedProcess[str]]:
    """Run a command, returning its wall time and result; raise BenchError when it fails."""
    start = time.perf_counter()
    done = subprocess.run(
        list(argv),
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
        cwd=ROOT,
        check=False,
    )
    elapsed = time.perf_counter() - start
    if check and done.returncode != 0:
        raise BenchError(
            f"{shlex.join(argv)} failed ({done.returncode}):\n{done.stdout[-2000:]}\n"
            f"{done.stderr[-4000:]}"
        )
    return elapsed, done


def breeze_command() -> list[str]:
    """The breeze executable next to this interpreter, else the one on PATH."""
    beside = Path(sys.executable).parent / "breeze"
    found = str(beside) if beside.exists() else shutil.which("breeze")
    if not found:
        raise BenchError("breeze not found: run with the interpreter of breeze's virtualenv")
    return [found]


def environment() -> dict[str, Any]:
    """CPU count, memory, Docker version and date of this run."""
    memory = 0
    with open("/proc/meminfo", encoding="utf-8") as meminfo:
        for line in meminfo:
            if line.startswith("MemTotal:"):
                memory = int(line.split()[1]) * 1024
    _, version = run(["docker", "version", "--format", "{{.Server.Version}}"])
    _, buildx = run(["docker", "buildx", "version"], check=False)
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "cpus": os.cpu_count(),
        "memory_bytes": memory,
        "docker_version": version.stdout.strip(),
        "buildx_version": buildx.stdout.strip(),
        "kernel": platform.release(),
        "python": platform.python_version(),
    }


def revision() -> dict[str, Any]:
    """The checkout's commit, branch and whether it has uncommitted changes (None without git)."""
    _, commit = run(["git", "rev-parse", "HEAD"], check=False)
    if commit.returncode != 0:
        return {"commit": None, "branch": None, "dirty": None}
    _, branch = run(["git", "rev-parse", "--abbrev-ref", "HEAD"], check=False)
    _, status = run(["git", "status", "--porcelain", "--untracked-files=no"], check=False)
    return {
        "commit": commit.stdout.strip(),
        "branch": branch.stdout.strip() or None,
        "dirty": bool(status.stdout.strip()),
    }


def image_size(tag: str) -> int:
    """The image's size on disk as the engine reports it."""
    _, done = run(["docker", "image", "inspect", "--format", "{{.Size}}", tag])
    return int(done.stdout.strip())


def compressed_size(tag: str) -> int:
    """Bytes of `docker save TAG | gzip` (default level), compressed here with zlib."""
    compressor = zlib.compressobj(6, zlib.DEFLATED, 31)  # wbits 31: the gzip format
    total = 0
    with subprocess.Popen(["docker", "save", tag], stdout=subprocess.PIPE) as save:
        assert save.stdout is not None
        while chunk := save.stdout.read(1 << 20):
            total += len(compressor.compress(chunk))
    if save.returncode != 0:
        raise BenchError(f"docker save {tag} failed ({save.returncode})")
    return total + len(compressor.flush())


def in_container(image: str, script: str) -> str:
    """stdout of a shell script run as root in a throw-away container of the image."""
    _, done = run(
        ["docker", "run", "--rm", "--user", "0", "--entrypoint", "sh", image, "-c", script]
    )
    return done.stdout


DPKG = "dpkg-query -W -f '${Package}\\t${Installed-Size}\\n'"
# Bytes of every .pyc on the container's root file system.
PYC_BYTES = (
    "echo pyc $(find / -xdev -type f -name '*.pyc' -printf '%s\\n' 2>/dev/null"
    " | awk '{s+=$1} END {printf \"%.0f\", s}')"
)
# Our venv: site-packages with and without bytecode, and bin/.
VENV_BYTES = (
    "site=$(echo /opt/airflow-venv/lib/python3*/site-packages); "
    'echo site $(du -sb "$site" | cut -f1); '
    "echo site_source $(du -sb --exclude=__pycache__ --exclude='*.pyc' \"$site\" | cut -f1); "
    "echo scripts $(du -sb /opt/airflow-venv/bin | cut -f1)"
)


def bytecode_bytes(image: str, base_pyc: int) -> int:
    """Bytes of .pyc files in the image beyond the base image's (`base_pyc`)."""
    return report.parse_counts(in_container(image, PYC_BYTES))["pyc"] - base_pyc


def base_pyc_bytes() -> int:
    """Bytes of .pyc files the base image ships."""
    return report.parse_counts(in_container(report.BASE_IMAGE, PYC_BYTES))["pyc"]


def floor_parts(image: str) -> dict[str, int]:
    """Base image, site-packages without bytecode, the venv's bin/ and the added runtime apt."""
    venv = report.parse_counts(in_container(image, VENV_BYTES))
    base_pkgs = report.parse_dpkg_sizes(in_container(report.BASE_IMAGE, DPKG))
    our_pkgs = report.parse_dpkg_sizes(in_container(image, DPKG))
    return {
        "floor.base_bytes": image_size(report.BASE_IMAGE),
        "floor.site_packages_bytes": venv["site_source"],
        "floor.scripts_bytes": venv["scripts"],
        "floor.runtime_apt_bytes": report.added_apt_bytes(base_pkgs, our_pkgs),
    }


def free_port() -> int:
    """A TCP port on 127.0.0.1 nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
