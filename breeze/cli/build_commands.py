"""The image build commands: `prod-image build` and the classic `build-image`."""

# No `from __future__ import annotations`: typer reads the signature at runtime.
import inspect
from collections.abc import Callable
from typing import Annotated, Any

import typer

from breeze.cli.options import (
    COMMON,
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
from breeze.core.image_params import BuildSettings, ImageBuildParams, ImageSpec
from breeze.core.network import NetworkOptions, resolve_network_options
from breeze.core.parsing import split_csv, split_words
from breeze.core.run_options import RunOptions

ProductionImageOpt = Annotated[
    bool,
    typer.Option(
        "--production-image",
        help="Build the production image (without it: the CI image).",
        rich_help_panel=COMMON,
    ),
]


def build_image(
    python: PythonOpt = defaults.DEFAULT_PYTHON,
    debian_version: DebianVersionOpt = defaults.DEFAULT_DEBIAN_VERSION,
    python_base_image: PythonBaseImageOpt = None,
    install_airflow_version: AirflowVersionOpt = defaults.DEFAULT_AIRFLOW_VERSION,
    airflow_extras: AirflowExtrasOpt = defaults.DEFAULT_AIRFLOW_EXTRAS_CSV,
    additional_extras: AdditionalExtrasOpt = "",
    additional_python_deps: AdditionalPythonDepsOpt = "",
    additional_dev_deps: AdditionalDevDepsOpt = "",
    additional_runtime_deps: AdditionalRuntimeDepsOpt = "",
    airflow_uid: AirflowUidOpt = defaults.DEFAULT_AIRFLOW_UID,
    airflow_home: AirflowHomeOpt = defaults.DEFAULT_AIRFLOW_HOME,
    airflow_user_home_dir: AirflowUserHomeDirOpt = defaults.DEFAULT_AIRFLOW_USER_HOME_DIR,
    embedded_dags: EmbeddedDagsOpt = None,
    installation_method: InstallationMethodOpt = defaults.PYPI_INSTALLATION_METHOD,
    install_distributions_from_context: FromContextOpt = False,
    docker_context_files: DockerContextFilesOpt = None,
    use_uv: UseUvOpt = True,
    airflow_constraints_mode: ConstraintsModeOpt = "constraints",
    airflow_constraints_reference: ConstraintsReferenceOpt = None,
    airflow_constraints_location: ConstraintsLocationOpt = None,
    image_tag: ImageTagOpt = None,
    platform: PlatformOpt = None,
    push: PushOpt = False,
    builder: BuilderOpt = None,
    docker_host: DockerHostOpt = None,
    build_progress: BuildProgressOpt = "auto",
    context: ContextOpt = None,
    ca_bundle: CaBundleOpt = None,
    ca_bundle_in_image: CaBundleInImageOpt = False,
    no_proxy_forward: NoProxyForwardOpt = False,
    build_secret: BuildSecretOpt = None,
    production_image: ProductionImageOpt = False,
    dry_run: DryRunOpt = False,
    verbose: VerboseOpt = False,
    answer: AnswerOpt = None,
) -> None:
    """Build the CI image; with `--production-image` the production image."""
    network = network_options(ca_bundle, ca_bundle_in_image, no_proxy_forward, build_secret)
    spec = ImageSpec(
        python=python,
        debian_version=debian_version,
        python_base_image=python_base_image or None,
        airflow_version=install_airflow_version,
        airflow_extras=split_csv(airflow_extras),
        additional_airflow_extras=split_csv(additional_extras),
        additional_python_deps=split_words(additional_python_deps),
        additional_dev_apt_deps=split_words(additional_dev_deps),
        additional_runtime_apt_deps=split_words(additional_runtime_deps),
        airflow_uid=airflow_uid,
        airflow_home=airflow_home,
        airflow_user_home_dir=airflow_user_home_dir,
        embedded_dags=embedded_dags,
        installation_method=installation_method_value(installation_method),
        install_distributions_from_context=install_distributions_from_context,
        docker_context_files=docker_context_files,
        use_uv=use_uv,
        constraints_mode=airflow_constraints_mode,
        constraints_reference=airflow_constraints_reference,
        constraints_location=airflow_constraints_location or None,
        target=defaults.PROD_TARGET if production_image else defaults.CI_TARGET,
        ca_bundle_in_image=_in_image(network, ca_bundle_in_image),
    )
    settings = BuildSettings(
        image_tag=image_tag,
        platform=platform or None,
        push=push,
        builder=builder or None,
        docker_host=docker_host or None,
        build_progress=build_progress,
        context=context,
        ca_bundle=network.ca_bundle,
        proxy_forward=not no_proxy_forward,
        proxy_env=network.proxy_env,
        build_secrets=network.build_secrets,
    )
    from breeze.services.image_build import build_image as build_service

    build_service(ImageBuildParams(spec, settings), RunOptions(dry_run, verbose, answer))


def network_options(
    ca_bundle: str | None,
    ca_bundle_in_image: bool,
    no_proxy_forward: bool,
    build_secret: list[str] | None,
) -> NetworkOptions:
    """The CA bundle, proxy variables and build secrets of the options, checked."""
    import os

    return resolve_network_options(
        ca_bundle=ca_bundle or None,
        ca_bundle_in_image=ca_bundle_in_image,
        proxy_forward=not no_proxy_forward,
        build_secrets=build_secret or [],
        environ=os.environ,
    )


def with_network(
    params: ImageBuildParams,
    network: NetworkOptions,
    ca_bundle_in_image: bool,
    no_proxy_forward: bool,
) -> ImageBuildParams:
    """A build with the network options applied: CA bundle, proxy variables, secrets."""
    from dataclasses import replace

    return ImageBuildParams(
        replace(params.spec, ca_bundle_in_image=_in_image(network, ca_bundle_in_image)),
        replace(
            params.settings,
            ca_bundle=network.ca_bundle,
            proxy_forward=not no_proxy_forward,
            proxy_env=network.proxy_env,
            build_secrets=network.build_secrets,
        ),
    )


def _in_image(network: NetworkOptions, ca_bundle_in_image: bool) -> str | None:
    """The checksum of the CA bundle to install into the image, or None."""
    return network.ca_bundle.sha256 if ca_bundle_in_image and network.ca_bundle else None


def with_fixed(command: Callable[..., Any], **fixed: Any) -> Callable[..., Any]:
    """A copy of a command whose given parameters are fixed and left out of its options."""
    signature = inspect.signature(command)

    def fixed_command(**kwargs: Any) -> Any:
        return command(**kwargs, **fixed)

    fixed_command.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=[p for p in signature.parameters.values() if p.name not in fixed]
    )
    fixed_command.__wrapped__ = command  # type: ignore[attr-defined]
    fixed_command.__doc__ = command.__doc__
    fixed_command.__name__ = command.__name__
    return fixed_command


build_prod_image = with_fixed(build_image, production_image=True)
build_prod_image.__doc__ = "Build the Airflow production image."
build_ci_image = with_fixed(build_image, production_image=False)
build_ci_image.__doc__ = "Build the Airflow CI image: the production image plus developer tools."
