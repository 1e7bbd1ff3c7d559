#!/usr/bin/env python3
"""Median TAB latency of breeze, and of a 5-line typer app, measured as a shell calls them.

    python scripts/benchmark_completion.py [--runs 20]

Each case starts the console script in a fresh process with the completion variables set, as
the bash script in completions/ does, RUNS times after one warm-up run, and prints the median.
With PYTHONDONTWRITEBYTECODE=1 nothing is cached and every run compiles breeze's modules: the
table says which mode it measured.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORDBREAKS = " \t\n\"'><=;|&(:"
HELLO = """import typer
app = typer.Typer()
@app.command()
def main(name: str = "world", python: str = "3.13"): print(f"hello {name}")
app()
"""


def median_ms(argv: list[str], env: dict[str, str], runs: int) -> float:
    """The median wall time of RUNS runs, after one warm-up run."""
    subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, check=True)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def main() -> int:
    """Print one line per case."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    breeze = str(Path(sys.executable).parent / "breeze")
    env = {**os.environ, "_BREEZE_COMPLETE": "bash"}
    cases = {
        "python -c pass (startup floor)": ([sys.executable, "-c", "pass"], dict(os.environ)),
        "breeze: --pyt<TAB> (option names)": (
            [breeze, "breeze prod-image build --pyt", WORDBREAKS],
            env,
        ),
        "breeze: --python <TAB> (values)": (
            [breeze, "breeze prod-image build --python ", WORDBREAKS],
            env,
        ),
        "breeze: --airflow-extras cel<TAB>": (
            [breeze, "breeze prod-image build --airflow-extras cel", WORDBREAKS],
            env,
        ),
        "breeze: verify <TAB> (engine's images)": (
            [breeze, "breeze prod-image verify ", WORDBREAKS],
            env,
        ),
    }
    with tempfile.TemporaryDirectory() as folder:
        hello = Path(folder) / "hello"
        hello.write_text(HELLO)
        typer_env = {
            **os.environ,
            "_HELLO_COMPLETE": "complete_bash",
            "COMP_WORDS": "hello --py",
            "COMP_CWORD": "1",
        }
        cases["typer hello world: --py<TAB>"] = ([sys.executable, str(hello)], typer_env)
        mode = "off (every run compiles)" if os.environ.get("PYTHONDONTWRITEBYTECODE") else "on"
        print(f"median of {args.runs} runs, Python {sys.version.split()[0]}, bytecode cache {mode}")
        for name, (argv, case_env) in cases.items():
            print(f"  {name:<42} {median_ms(argv, case_env, args.runs):6.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
