"""A CycloneDX BOM of an image's facts, made, serialised and validated by cyclonedx-python-lib.

No I/O; the library (the `scan` extra) is imported inside the functions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from breeze.core.advisories import canonical_name
from breeze.core.errors import BreezeError
from breeze.core.image_facts import ImageFacts, ImageMeta, license_names

if TYPE_CHECKING:
    from cyclonedx.model.bom import Bom

INSTALL_HINT = "pip install 'breeze[scan]'"


def require_scan_extra(command: str, modules: tuple[str, ...]) -> None:
    """Fail in one line naming the install command when a library of the scan extra is missing."""
    import importlib.util

    missing = [m for m in modules if importlib.util.find_spec(m) is None]
    if missing:
        raise BreezeError(
            f"{command} needs {', '.join(missing)}, in breeze's scan extra: {INSTALL_HINT}"
        )


def make_bom(meta: ImageMeta, facts: ImageFacts) -> Bom:
    """The BOM: the image as metadata component, its Python and Debian packages as components."""
    from cyclonedx.contrib.license.factories import LicenseFactory
    from cyclonedx.model import HashAlgorithm, HashType, Property
    from cyclonedx.model.bom import Bom
    from cyclonedx.model.component import Component, ComponentType
    from packageurl import PackageURL

    from breeze import __version__

    image_purl = _image_purl(meta)
    root = Component(
        type=ComponentType.CONTAINER,
        name=meta.repository,
        version=meta.tag or _short_id(meta.id),
        bom_ref=str(image_purl or meta.reference),
        purl=image_purl,
        hashes=[HashType(alg=HashAlgorithm.SHA_256, content=meta.id.removeprefix("sha256:"))]
        if meta.id.startswith("sha256:")
        else [],
        properties=[
            Property(name="breeze:image:reference", value=meta.reference),
            Property(name="breeze:image:id", value=meta.id),
            *(Property(name="breeze:image:repo-digest", value=d) for d in meta.repo_digests),
            Property(name="breeze:image:platform", value=f"{meta.os}/{meta.architecture}"),
            Property(name="breeze:python:version", value=facts.python_version),
            *(Property(name=k, value=v) for k, v in meta.labels),
        ],
    )
    licenses = LicenseFactory()
    components = []
    for package in facts.python:
        purl = PackageURL("pypi", name=canonical_name(package.name), version=package.version)
        components.append(
            Component(
                type=ComponentType.LIBRARY,
                name=package.name,
                version=package.version,
                purl=purl,
                bom_ref=f"{purl}",
                description=package.summary or None,
                licenses=[licenses.make_from_string(n) for n in license_names(package)],
            )
        )
    distro = facts.os_codename
    for deb in facts.deb:
        qualifiers = {"arch": deb.arch, **({"distro": distro} if distro else {})}
        purl = PackageURL(
            "deb", namespace="debian", name=deb.name, version=deb.version, qualifiers=qualifiers
        )
        properties = [Property(name="breeze:deb:source", value=deb.source)] if deb.source else []
        components.append(
            Component(
                type=ComponentType.LIBRARY,
                name=deb.name,
                version=deb.version,
                purl=purl,
                bom_ref=f"{purl}",
                properties=properties,
            )
        )
    bom = Bom(components=components)
    bom.metadata.component = root
    bom.metadata.tools.components.add(
        Component(type=ComponentType.APPLICATION, name="breeze", version=__version__)
    )
    bom.register_dependency(root, components)
    return bom


def bom_json(bom: Bom) -> str:
    """The BOM as CycloneDX 1.6 JSON by the library's serializer (tests validate it)."""
    from cyclonedx.output.json import JsonV1Dot6

    return JsonV1Dot6(bom).output_as_string(indent=2) + "\n"


def validation_error(text: str) -> str | None:
    """Why a CycloneDX 1.6 JSON text breaks the schema, or None when valid (needs jsonschema).

    Not run by `prod-image sbom`: importing jsonschema's format checkers takes seconds.
    """
    from cyclonedx.schema import SchemaVersion
    from cyclonedx.validation.json import JsonStrictValidator

    error = JsonStrictValidator(SchemaVersion.V1_6).validate_str(text)
    return None if error is None else str(error)[:500]


def _image_purl(meta: ImageMeta) -> Any:
    """`pkg:oci/<name>@<digest>?repository_url=...&tag=...`, or None without a sha256 id."""
    from packageurl import PackageURL

    digest = next((d.split("@", 1)[1] for d in meta.repo_digests if "@" in d), meta.id)
    if not digest.startswith("sha256:"):
        return None
    qualifiers = {"repository_url": meta.repository}
    if meta.tag:
        qualifiers["tag"] = meta.tag
    if meta.architecture:
        qualifiers["arch"] = meta.architecture
    name = meta.repository.rsplit("/", 1)[-1]
    return PackageURL("oci", name=name, version=digest, qualifiers=qualifiers)


def _short_id(image_id: str) -> str:
    """The first 12 hex digits of an image id."""
    return image_id.removeprefix("sha256:")[:12]
