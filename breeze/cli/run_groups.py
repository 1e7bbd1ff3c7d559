"""How a build and every command run: build settings, the engine, --dry-run/--verbose/--answer."""

# No `from __future__ import annotations`: typer reads these annotations at runtime.
from pathlib import Path
from typing import Annotated

from breeze.cli.groups import Group, Option
from breeze.cli.options import (
    BUILD,
    COMMON,
    Answer,
    BuildProgress,
    DockerCache,
    flag,
    option,
)
from breeze.core.image_params import BuildSettings
from breeze.core.network import NetworkRequest
from breeze.core.run_options import RunOptions


def _build_settings(
    *,
    image_tag: str | None = None,
    platform: str | None = None,
    push: bool = False,
    builder: str | None = None,
    docker_host: str | None = None,
    build_progress: str = "auto",
    docker_cache: str = "local",
    cache_ref: str | None = None,
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
        docker_cache=docker_cache,
        cache_ref=cache_ref or None,
        context=context,
        proxy_forward=not no_proxy_forward,
        network=network_request(ca_bundle, ca_bundle_in_image, no_proxy_forward, build_secret),
    )


def network_request(
    ca_bundle: str | None,
    ca_bundle_in_image: bool,
    no_proxy_forward: bool,
    build_secret: list[str] | None,
) -> NetworkRequest:
    """The network options as given: the service resolves them (files, environment)."""
    return NetworkRequest(
        ca_bundle or None, ca_bundle_in_image, not no_proxy_forward, tuple(build_secret or ())
    )


BUILD_SETTINGS = Group(
    "settings",
    (
        Option(
            "image_tag",
            Annotated[
                str | None,
                option(
                    "--image-tag",
                    "-t",
                    help="Tag of the image; default breeze/airflow:<version>-python<python>.",
                    panel=BUILD,
                    show_default=False,
                ),
            ],
            None,
            shown_default="`breeze/airflow:<version>-python<python>[-<debian>]`",
            doc="`docker buildx build --tag`",
        ),
        Option(
            "platform",
            Annotated[
                str | None,
                option(
                    "--platform",
                    help="Target platform(s), e.g. linux/amd64.",
                    panel=BUILD,
                    show_default=False,
                ),
            ],
            None,
            shown_default="the engine's",
            doc="`--platform`",
        ),
        Option(
            "push",
            flag("--push", help="Push the image instead of loading it.", panel=BUILD),
            False,
            shown_default="load into the engine",
            doc="`--push` instead of `--load`",
        ),
        Option(
            "builder",
            Annotated[
                str | None,
                option("--builder", help="buildx builder to use.", panel=BUILD, show_default=False),
            ],
            None,
            shown_default="the current builder",
            doc="`--builder`",
        ),
        Option(
            "docker_cache",
            Annotated[
                DockerCache,
                option(
                    "--docker-cache",
                    help="registry: also reuse (and with --push, share) the build cache in a "
                    "registry; disabled: run every step.",
                    panel=BUILD,
                ),
            ],
            "local",
            doc="`--cache-from`/`--cache-to type=registry,...,mode=max`, or `--no-cache`",
        ),
        Option(
            "cache_ref",
            Annotated[
                str | None,
                option(
                    "--cache-ref",
                    help="Registry image of the build cache; default "
                    "<image repository>:buildcache-<target>-python<python>-<debian>.",
                    panel=BUILD,
                    show_default=False,
                ),
            ],
            None,
            shown_default="next to the image",
            doc="`ref=` of `--cache-from`/`--cache-to`",
        ),
        Option(
            "docker_host",
            Annotated[
                str | None,
                option(
                    "--docker-host",
                    help="Docker engine to use (sets DOCKER_HOST).",
                    panel=BUILD,
                    show_default=False,
                ),
            ],
            None,
            shown_default="`DOCKER_HOST`",
            doc="environment of the docker command",
        ),
        Option(
            "build_progress",
            Annotated[
                BuildProgress,
                option(
                    "--build-progress",
                    help="auto: live status on a terminal, plain lines otherwise.",
                    panel=BUILD,
                ),
            ],
            "auto",
            doc="`auto` = live status on a terminal; `plain`, `tty`, `quiet`, `rawjson` as buildx",
        ),
        Option(
            "context",
            Annotated[
                Path | None,
                option(
                    "--context",
                    help="Build from this folder (see `prod-image export-context`), not breeze's "
                    "own.",
                    panel=BUILD,
                    file_okay=False,
                    resolve_path=True,
                    show_default=False,
                ),
            ],
            None,
            shown_default="breeze's own",
            doc="the build context: a folder written by `prod-image export-context`",
        ),
        Option(
            "ca_bundle",
            Annotated[
                str | None,
                option(
                    "--ca-bundle",
                    help="CA bundle apt, pip and uv trust in the build (a secret, in no layer); "
                    "'auto': the host's.",
                    panel=BUILD,
                    metavar="<PATH|auto>",
                    show_default=False,
                ),
            ],
            None,
            doc=(
                "BuildKit secret `ca-bundle`: apt, pip and uv trust it in the build; in no layer "
                "([Behind a corporate proxy](#behind-a-corporate-proxy))"
            ),
        ),
        Option(
            "ca_bundle_in_image",
            flag(
                "--ca-bundle-in-image",
                help="Also add the --ca-bundle to the image's trust store.",
                panel=BUILD,
            ),
            False,
            doc=(
                "`AIRFLOW_CA_BUNDLE_IN_IMAGE` (+ `AIRFLOW_CA_BUNDLE_CHECKSUM`): also into the "
                "image's trust store"
            ),
        ),
        Option(
            "no_proxy_forward",
            flag(
                "--no-proxy-forward",
                help="Do not forward HTTP(S)_PROXY, NO_PROXY, ALL_PROXY to the build and "
                "containers.",
                panel=BUILD,
            ),
            False,
            shown_default="proxies forwarded",
            doc=(
                "without it `HTTP_PROXY`, `HTTPS_PROXY`, `NO_PROXY`, `ALL_PROXY` (any case) go to "
                "the build as BuildKit's predefined build args"
            ),
        ),
        Option(
            "build_secret",
            Annotated[
                list[str] | None,
                option(
                    "--build-secret",
                    help="A file the install steps read, in no layer; NAME: pip-conf, uv-toml, "
                    "netrc.",
                    panel=BUILD,
                    metavar="<id=NAME,src=PATH>",
                    show_default=False,
                ),
            ],
            None,
            doc=(
                "BuildKit secret `NAME` (`pip-conf`, `uv-toml`, `netrc`), repeatable ([Private "
                "package indexes](#private-package-indexes))"
            ),
        ),
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
        Option(
            "dry_run",
            flag(
                "--dry-run",
                "-D",
                help="Print the commands, copy-pastable, and run nothing.",
                panel=COMMON,
            ),
            False,
        ),
        Option(
            "verbose",
            flag("--verbose", "-v", help="Print every command run.", panel=COMMON),
            False,
        ),
        Option(
            "answer",
            Annotated[
                Answer | None,
                option(
                    "--answer",
                    "-a",
                    help="Answer every question with yes, no or quit.",
                    panel=COMMON,
                    show_default=False,
                ),
            ],
            None,
        ),
    ),
    _run_options,
    reads=("docker_host",),
)

# --docker-host alone, for commands without BUILD_SETTINGS: RUN reads it for the session
ENGINE = Group("", BUILD_SETTINGS.only("docker_host").options, lambda **_: None)
