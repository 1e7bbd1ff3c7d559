"""The baseline Dockerfiles: naive-uv-bytecode is naive-uv plus uv's bytecode compilation."""

from __future__ import annotations

from pathlib import Path

BASELINES = Path(__file__).resolve().parents[3] / "benchmarks" / "baselines"


def instructions(name: str) -> list[str]:
    """The Dockerfile's instructions, continuation lines joined, comments dropped."""
    text = (BASELINES / f"{name}.Dockerfile").read_text()
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    return [" ".join(part.split()) for part in "\n".join(lines).replace("\\\n", " ").splitlines()]


def test_bytecode_baseline_differs_from_naive_uv_only_by_the_flag() -> None:
    naive = instructions("naive-uv")
    bytecode = instructions("naive-uv-bytecode")
    assert len(naive) == len(bytecode)
    differing = [(a, b) for a, b in zip(naive, bytecode, strict=True) if a != b]
    assert len(differing) == 1
    plain, compiled = differing[0]
    assert compiled == plain.replace("--no-cache ", "--no-cache --compile-bytecode ")
