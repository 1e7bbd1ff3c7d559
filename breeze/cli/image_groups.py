"""The image options, each declared once with the ImageSpec field it fills."""

# No `from __future__ import annotations`: typer reads these annotations at runtime.
from pathlib import Path
from typing import Annotated, get_args

from breeze.cli.groups import Option, fields_of
from breeze.cli.options import (
    CONTENT,
    Bytecode,
    ConstraintsMode,
    DebianVersion,
    PythonVersion,
    flag,
    installation_method_value,
    option,
)
from breeze.core import defaults
from breeze.core.defaults import MAX_AIRFLOW_UID
from breeze.core.image_params import ImageSpec
from breeze.core.parsing import split_csv, split_words


def _text_or_none(value: str | None) -> str | None:
    """An empty option value as None: the default applies."""
    return value or None


# The groups commands take (breeze.cli.groups): each option once, and the params it fills.
IMAGE_SPEC = fields_of(
    "spec",
    ImageSpec,
    Option(
        "python",
        Annotated[
            PythonVersion,
            option("--python", "-p", help="Python major.minor of the image.", panel=CONTENT),
        ],
        defaults.DEFAULT_PYTHON,
    ),
    Option(
        "debian_version",
        Annotated[
            DebianVersion,
            option("--debian-version", help="Debian release of the base image.", panel=CONTENT),
        ],
        defaults.DEFAULT_DEBIAN_VERSION,
    ),
    Option(
        "python_base_image",
        Annotated[
            str | None,
            option(
                "--python-base-image",
                help="Base image; default python:<python>-slim-<debian-version>.",
                panel=CONTENT,
                show_default=False,
            ),
        ],
        None,
        convert=_text_or_none,
        shown_default="`python:<python>-slim-<debian-version>`",
    ),
    Option(
        "install_airflow_version",
        Annotated[
            str,
            option(
                "--install-airflow-version",
                help="Airflow version to install from PyPI.",
                panel=CONTENT,
            ),
        ],
        defaults.DEFAULT_AIRFLOW_VERSION,
        field="airflow_version",
    ),
    Option(
        "airflow_extras",
        Annotated[
            str,
            option("--airflow-extras", help="Comma-separated Airflow extras.", panel=CONTENT),
        ],
        defaults.DEFAULT_AIRFLOW_EXTRAS_CSV,
        convert=split_csv,
    ),
    Option(
        "additional_extras",
        Annotated[
            str,
            option(
                "--additional-extras",
                "--additional-airflow-extras",
                help="Extras added to --airflow-extras.",
                panel=CONTENT,
                show_default=False,
            ),
        ],
        "",
        "additional_airflow_extras",
        split_csv,
    ),
    Option(
        "additional_python_deps",
        Annotated[
            str,
            option(
                "--additional-python-deps",
                help="Space-separated requirements installed after Airflow, e.g. 'numpy==2.3.0'.",
                panel=CONTENT,
                show_default=False,
            ),
        ],
        "",
        convert=split_words,
    ),
    Option(
        "additional_dev_deps",
        Annotated[
            str,
            option(
                "--additional-dev-deps",
                "--additional-dev-apt-deps",
                help="Space-separated apt packages for the build stage only (e.g. headers).",
                panel=CONTENT,
                show_default=False,
            ),
        ],
        "",
        "additional_dev_apt_deps",
        split_words,
    ),
    Option(
        "additional_runtime_deps",
        Annotated[
            str,
            option(
                "--additional-runtime-deps",
                "--additional-runtime-apt-deps",
                help="Space-separated apt packages for the final image.",
                panel=CONTENT,
                show_default=False,
            ),
        ],
        "",
        "additional_runtime_apt_deps",
        split_words,
    ),
    Option(
        "airflow_uid",
        Annotated[
            int,
            option(
                "--airflow-uid",
                help="UID of the airflow user (group 0).",
                panel=CONTENT,
                number_hint=f"use a UID from 1 to {MAX_AIRFLOW_UID}",
            ),
        ],
        defaults.DEFAULT_AIRFLOW_UID,
    ),
    Option(
        "airflow_home",
        Annotated[
            str, option("--airflow-home", help="AIRFLOW_HOME and working directory.", panel=CONTENT)
        ],
        defaults.DEFAULT_AIRFLOW_HOME,
    ),
    Option(
        "airflow_user_home_dir",
        Annotated[
            str, option("--airflow-user-home-dir", help="Home of the airflow user.", panel=CONTENT)
        ],
        defaults.DEFAULT_AIRFLOW_USER_HOME_DIR,
    ),
    Option(
        "embedded_dags",
        Annotated[
            Path | None,
            option(
                "--embedded-dags",
                help="Folder copied into ${AIRFLOW_HOME}/dags (the last, small layer).",
                panel=CONTENT,
                exists=True,
                file_okay=False,
                dir_okay=True,
                resolve_path=True,
                show_default=False,
            ),
        ],
        None,
        doc="named context `embedded-dags` (`EMBEDDED_DAGS` for plain docker)",
    ),
    Option(
        "installation_method",
        Annotated[
            str,
            option(
                "--installation-method",
                help="'pypi', a pip URL (git+https://...@ref) or a local Airflow source folder.",
                panel=CONTENT,
            ),
        ],
        defaults.PYPI_INSTALLATION_METHOD,
        convert=installation_method_value,
        doc="`AIRFLOW_INSTALLATION_METHOD` (+ named context `airflow-sources`)",
    ),
    Option(
        "install_distributions_from_context",
        flag(
            "--install-distributions-from-context",
            help="Install only the wheels in docker-context-files/, without an index (air-gapped).",
            panel=CONTENT,
        ),
        False,
    ),
    Option(
        "docker_context_files",
        Annotated[
            Path | None,
            option(
                "--docker-context-files",
                help="Folder of wheels and constraints for the build; default "
                "docker-context-files/.",
                panel=CONTENT,
                exists=True,
                file_okay=False,
                resolve_path=True,
                show_default=False,
            ),
        ],
        None,
        shown_default="`docker-context-files/`",
        doc="named context `docker-context-files`",
    ),
    Option(
        "use_uv",
        flag("--use-uv/--no-use-uv", help="Install with uv (else pip).", panel=CONTENT),
        True,
        shown_default="uv",
    ),
    Option(
        "bytecode",
        Annotated[
            Bytecode,
            option(
                "--bytecode",
                help="Which .pyc files to ship: all (fastest start, largest), imported (what "
                "Airflow imports at start; the rest compiles on first use) or none.",
                panel=CONTENT,
                metavar="<all|imported|none>",
            ),
        ],
        "all",
    ),
    Option(
        "airflow_constraints_mode",
        Annotated[
            ConstraintsMode,
            option(
                "--airflow-constraints-mode",
                help=f"Which constraints pin the install: {', '.join(get_args(ConstraintsMode))}.",
                panel=CONTENT,
                metavar="<mode>",
            ),
        ],
        "constraints",
        "constraints_mode",
    ),
    Option(
        "airflow_constraints_reference",
        Annotated[
            str | None,
            option(
                "--airflow-constraints-reference",
                help="Git ref of the official constraints; default constraints-<version>.",
                panel=CONTENT,
                show_default=False,
            ),
        ],
        None,
        "constraints_reference",
        shown_default="`constraints-<version>`",
    ),
    Option(
        "airflow_constraints_location",
        Annotated[
            str | None,
            option(
                "--airflow-constraints-location",
                help="Constraints URL, or a file name in --docker-context-files; overrides "
                "mode/reference.",
                panel=CONTENT,
                show_default=False,
            ),
        ],
        None,
        "constraints_location",
        _text_or_none,
        shown_default="the official URL",
    ),
)
