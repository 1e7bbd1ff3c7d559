# Baseline for benchmarks/run.py: naive-uv compiling bytecode as uv does (`--compile-bytecode`),
# the honest peer of an image that ships .pyc files. Everything else is naive-uv's, line for line
# (tests/unit/benchmarks/test_baselines.py compares the two).
# The stand-in base here is Debian's python3, which can be marked EXTERNALLY-MANAGED (PEP 668):
# pip and uv then refuse to touch the system interpreter unless given --break-system-packages
# (a venv would do too; the flag keeps this the one-line naive install). uv comes from PyPI.
ARG PYTHON_BASE_IMAGE=python:3.13-slim-trixie
FROM ${PYTHON_BASE_IMAGE}
ARG AIRFLOW_VERSION=3.3.2
ARG AIRFLOW_EXTRAS=celery,postgres
ARG UV_VERSION=0.13.9
RUN apt-get update \
    && apt-get install -y --no-install-recommends build-essential default-libmysqlclient-dev pkg-config \
    && rm -rf /var/lib/apt/lists/*
RUN pip install --no-cache-dir --break-system-packages "uv==${UV_VERSION}"
# No constraints: the resolver picks whatever it finds, as a naive install does.
RUN uv pip install --system --break-system-packages --no-cache --compile-bytecode \
    "apache-airflow[${AIRFLOW_EXTRAS}]==${AIRFLOW_VERSION}"
