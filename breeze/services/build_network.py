"""A build's network options resolved against the session: CA bundle, proxies, secrets."""

from __future__ import annotations

from dataclasses import replace

from breeze.core.image_params import ImageBuildParams
from breeze.core.network import resolve_network_options
from breeze.io.session import Session


def with_network(params: ImageBuildParams, session: Session) -> ImageBuildParams:
    """The build with its CA bundle read, the proxy variables taken and the secrets checked."""
    request = params.settings.network
    network = resolve_network_options(
        ca_bundle=request.ca_bundle or None,
        ca_bundle_in_image=request.ca_bundle_in_image,
        proxy_forward=request.proxy_forward,
        build_secrets=request.build_secrets,
        environ=session.world.environ,
        read=session.read_bytes,
    )
    bundle = network.ca_bundle
    in_image = bundle.sha256 if request.ca_bundle_in_image and bundle else None
    return ImageBuildParams(
        replace(params.spec, ca_bundle_in_image=in_image or params.spec.ca_bundle_in_image),
        replace(
            params.settings,
            ca_bundle=network.ca_bundle,
            proxy_forward=request.proxy_forward,
            proxy_env=network.proxy_env,
            build_secrets=network.build_secrets,
        ),
    )
