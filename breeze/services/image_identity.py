"""`breeze prod-image inputs`: print what identifies an image and what it was built from."""

from __future__ import annotations

from breeze.core.image_inputs import image_inputs, to_json
from breeze.core.image_params import VerifyParams
from breeze.io.session import Session
from breeze.services.preflight import preflight
from breeze.ui import console


def show_inputs(params: VerifyParams, json: bool, session: Session) -> None:
    """The image's ID, registry digests and input labels: a table, or JSON."""
    preflight(session)
    attrs = session.engine.require_image(params.tag, "breeze prod-image build")
    found = image_inputs(params.tag, attrs)
    if json:
        print(to_json(found))
        return
    out = console.stdout_console()
    out.print(f"{found.image}\n  id: {found.id}")
    for digest in found.digests or ("(never pushed or pulled: no registry digest)",):
        out.print(f"  digest: {digest}", soft_wrap=True)
    for _, meaning, value in found.inputs:
        out.print(f"  {meaning}: {value or '-'}", soft_wrap=True, markup=False)
