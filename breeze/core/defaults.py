"""Built-in defaults and allowed values, kept in one place."""

from __future__ import annotations

DEFAULT_AIRFLOW_VERSION = "3.3.2"
ALLOWED_PYTHON_VERSIONS = ("3.10", "3.11", "3.12", "3.13", "3.14")
DEFAULT_PYTHON = "3.13"
ALLOWED_DEBIAN_VERSIONS = ("trixie", "bookworm")
DEFAULT_DEBIAN_VERSION = "trixie"
DEFAULT_AIRFLOW_EXTRAS = (
    "amazon",
    "async",
    "celery",
    "cncf-kubernetes",
    "elasticsearch",
    "google",
    "microsoft-azure",
    "mysql",
    "postgres",
    "redis",
    "slack",
    "ssh",
    "statsd",
)
DEFAULT_AIRFLOW_EXTRAS_CSV = ",".join(DEFAULT_AIRFLOW_EXTRAS)
DEFAULT_AIRFLOW_UID = 50000
MAX_AIRFLOW_UID = 2**31 - 1
DEFAULT_AIRFLOW_HOME = "/opt/airflow"
DEFAULT_AIRFLOW_USER_HOME_DIR = "/home/airflow"
DEFAULT_IMAGE_REPOSITORY = "breeze/airflow"
# The platforms (BuildKit's OS/ARCH[/VARIANT]) the official Debian-based python images exist for.
KNOWN_PLATFORMS = (
    "linux/amd64",
    "linux/arm64",
    "linux/arm64/v8",
    "linux/arm/v7",
    "linux/arm/v5",
    "linux/386",
    "linux/ppc64le",
    "linux/riscv64",
    "linux/s390x",
)
ALLOWED_DOCKER_CACHE = ("local", "registry", "disabled")
ALLOWED_BUILD_PROGRESS = ("auto", "plain", "tty", "quiet", "rawjson")
ALLOWED_ANSWERS = ("yes", "no", "quit")
PYPI_INSTALLATION_METHOD = "pypi"
PROD_TARGET = "main"
CI_TARGET = "ci"
