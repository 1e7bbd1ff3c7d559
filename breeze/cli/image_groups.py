"""The option groups of the image and run options: each option once, and the params it fills."""

# No `from __future__ import annotations`: typer reads these annotations at runtime.
from pathlib import Path

from breeze.cli.groups import Group, Option, fields_of
from breeze.cli.options import (
    AdditionalDevDepsOpt,
    AdditionalExtrasOpt,
    AdditionalPythonDepsOpt,
    AdditionalRuntimeDepsOpt,
    AirflowExtrasOpt,
    AirflowHomeOpt,
    AirflowUidOpt,
    AirflowUserHomeDirOpt,
    AirflowVersionOpt,
    AnswerOpt,
    BuilderOpt,
    BuildProgressOpt,
    BuildSecretOpt,
    CaBundleInImageOpt,
    CaBundleOpt,
    ConstraintsLocationOpt,
    ConstraintsModeOpt,
    ConstraintsReferenceOpt,
    ContextOpt,
    DebianVersionOpt,
    DockerContextFilesOpt,
    DockerHostOpt,
    DryRunOpt,
    EmbeddedDagsOpt,
    FromContextOpt,
    ImageTagOpt,
    InstallationMethodOpt,
    NoProxyForwardOpt,
    PlatformOpt,
    PushOpt,
    PythonBaseImageOpt,
    PythonOpt,
    UseUvOpt,
    VerboseOpt,
    installation_method_value,
)
from breeze.core import defaults
from breeze.core.image_params import BuildSettings, ImageSpec
from breeze.core.network import NetworkRequest
from breeze.core.parsing import split_csv, split_words
from breeze.core.run_options import RunOptions


def _text_or_none(value: str | None) -> str | None:
    """An empty option value as None: the default applies."""
    return value or None


# The groups commands take (breeze.cli.groups): each option once, and the params it fills.
IMAGE_SPEC = fields_of(
    "spec",
    ImageSpec,
    Option("python", PythonOpt, defaults.DEFAULT_PYTHON),
    Option("debian_version", DebianVersionOpt, defaults.DEFAULT_DEBIAN_VERSION),
    Option("python_base_image", PythonBaseImageOpt, None, convert=_text_or_none),
    Option(
        "install_airflow_version",
        AirflowVersionOpt,
        defaults.DEFAULT_AIRFLOW_VERSION,
        field="airflow_version",
    ),
    Option(
        "airflow_extras", AirflowExtrasOpt, defaults.DEFAULT_AIRFLOW_EXTRAS_CSV, convert=split_csv
    ),
    Option("additional_extras", AdditionalExtrasOpt, "", "additional_airflow_extras", split_csv),
    Option("additional_python_deps", AdditionalPythonDepsOpt, "", convert=split_words),
    Option("additional_dev_deps", AdditionalDevDepsOpt, "", "additional_dev_apt_deps", split_words),
    Option(
        "additional_runtime_deps",
        AdditionalRuntimeDepsOpt,
        "",
        "additional_runtime_apt_deps",
        split_words,
    ),
    Option("airflow_uid", AirflowUidOpt, defaults.DEFAULT_AIRFLOW_UID),
    Option("airflow_home", AirflowHomeOpt, defaults.DEFAULT_AIRFLOW_HOME),
    Option("airflow_user_home_dir", AirflowUserHomeDirOpt, defaults.DEFAULT_AIRFLOW_USER_HOME_DIR),
    Option("embedded_dags", EmbeddedDagsOpt, None),
    Option(
        "installation_method",
        InstallationMethodOpt,
        defaults.PYPI_INSTALLATION_METHOD,
        convert=installation_method_value,
    ),
    Option("install_distributions_from_context", FromContextOpt, False),
    Option("docker_context_files", DockerContextFilesOpt, None),
    Option("use_uv", UseUvOpt, True),
    Option("airflow_constraints_mode", ConstraintsModeOpt, "constraints", "constraints_mode"),
    Option("airflow_constraints_reference", ConstraintsReferenceOpt, None, "constraints_reference"),
    Option(
        "airflow_constraints_location",
        ConstraintsLocationOpt,
        None,
        "constraints_location",
        _text_or_none,
    ),
)


def _build_settings(
    *,
    image_tag: str | None = None,
    platform: str | None = None,
    push: bool = False,
    builder: str | None = None,
    docker_host: str | None = None,
    build_progress: str = "auto",
    context: Path | None = None,
    ca_bundle: str | None = None,
    ca_bundle_in_image: bool = False,
    no_proxy_forward: bool = False,
    build_secret: list[str] | None = None,
) -> BuildSettings:
    """How a build runs, its network options as given (the build service resolves them)."""
    return BuildSettings(
        image_tag=image_tag,
        platform=platform or None,
        push=push,
        builder=builder or None,
        docker_host=docker_host or None,
        build_progress=build_progress,
        context=context,
        proxy_forward=not no_proxy_forward,
        network=NetworkRequest(
            ca_bundle or None, ca_bundle_in_image, not no_proxy_forward, tuple(build_secret or ())
        ),
    )


BUILD_SETTINGS = Group(
    "settings",
    (
        Option("image_tag", ImageTagOpt, None),
        Option("platform", PlatformOpt, None),
        Option("push", PushOpt, False),
        Option("builder", BuilderOpt, None),
        Option("docker_host", DockerHostOpt, None),
        Option("build_progress", BuildProgressOpt, "auto"),
        Option("context", ContextOpt, None),
        Option("ca_bundle", CaBundleOpt, None),
        Option("ca_bundle_in_image", CaBundleInImageOpt, False),
        Option("no_proxy_forward", NoProxyForwardOpt, False),
        Option("build_secret", BuildSecretOpt, None),
    ),
    _build_settings,
)


def _run_options(
    *,
    dry_run: bool = False,
    verbose: bool = False,
    answer: str | None = None,
    docker_host: str | None = None,
) -> RunOptions:
    """The run options of the command's session."""
    return RunOptions(dry_run, verbose, answer, docker_host or None)  # fmt: skip


RUN = Group(
    "run",
    (
        Option("dry_run", DryRunOpt, False),
        Option("verbose", VerboseOpt, False),
        Option("answer", AnswerOpt, None),
    ),
    _run_options,
    reads=("docker_host",),
)

# --docker-host alone, for commands without BUILD_SETTINGS: RUN reads it for the session
ENGINE = Group("", (Option("docker_host", DockerHostOpt, None),), lambda **_: None)
