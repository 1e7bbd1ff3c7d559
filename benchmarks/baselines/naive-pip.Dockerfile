# Baseline for benchmarks/run.py: Airflow installed the naive way, with pip, in one stage.
# The stand-in base here is Debian's python3 (pip from python3-pip), which can be marked
# EXTERNALLY-MANAGED (PEP 668): pip then refuses to touch the system interpreter unless given
# --break-system-packages (a venv would do too; the flag keeps this the one-line naive install).
ARG PYTHON_BASE_IMAGE=python:3.13-slim-trixie
FROM ${PYTHON_BASE_IMAGE}
ARG AIRFLOW_VERSION=3.3.2
ARG AIRFLOW_EXTRAS=celery,postgres
RUN apt-get update \
    && apt-get install -y --no-install-recommends build-essential default-libmysqlclient-dev pkg-config \
    && rm -rf /var/lib/apt/lists/*
# No constraints: the resolver picks whatever it finds, as a naive install does.
RUN pip install --no-cache-dir --break-system-packages \
    "apache-airflow[${AIRFLOW_EXTRAS}]==${AIRFLOW_VERSION}"
