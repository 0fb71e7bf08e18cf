"""The offline bundle: a signed, static copy of the library to read when the desk is out of reach.

Made on demand (`flask export offline`, the admin page) and by the worker into OFFLINE_DIR.
Contacts and rotas are personal data: they go in only when someone chose them.
"""

from __future__ import annotations

import io
import os
import uuid
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from flask import current_app

from .. import clock
from ..accounts.permissions import require_role
from ..database import begin_write
from ..extensions import db
from ..library.service import approval_states
from ..library.store import get_library
from ..timeline import append_event
from . import signing
from .manifest import MANIFEST, PUBLIC_KEY, SIGNATURE, desk_version, manifest_bytes, sha256
from .offline_pages import Content, policy_reasoning, render_pages
from .offline_people import contact_rows, rota_rows

#: scheduled bundles kept in OFFLINE_DIR (the newest first); older ones are removed
KEEP = 3
CHOICES = ("contacts", "rotas")


@dataclass
class Bundle:
    """A made bundle: every file by its path, the manifest and its signature among them."""

    made_at: datetime
    files: dict[str, bytes]
    contacts: bool
    rotas: bool

    @property
    def manifest_sha256(self) -> str:
        return sha256(self.files[MANIFEST])

    @property
    def listed(self) -> int:
        """How many files the manifest lists (all but the manifest and its signature)."""
        return len(self.files) - 2

    @property
    def name(self) -> str:
        return f"crisisdesk-offline-{stamp(self.made_at)}"


def stamp(moment: datetime) -> str:
    """A UTC time as it appears in bundle names."""
    return moment.strftime("%Y%m%dT%H%M%SZ")


def make_bundle(*, contacts: bool = False, rotas: bool = False) -> Bundle:
    """Render and sign a bundle of the library as it is now (the caller checked who asks)."""
    made_at = clock.now()
    library = get_library()
    statements = sorted(library.statements.values(), key=lambda s: s.slug)
    sheets = sorted(library.qa.values(), key=lambda s: s.slug)
    states = approval_states([*statements, *sheets])
    content = Content(
        made_at=made_at,
        bank=current_app.config.get("BANK_NAME", ""),
        playbooks=sorted(library.playbooks.values(), key=lambda p: p.slug),
        statements=statements,
        states=states,
        policy=library.policy,
        reasoning=policy_reasoning(),
        contacts=contact_rows() if contacts else None,
        rotas=rota_rows(made_at) if rotas else None,
        qa=sheets,
    )
    key = signing.desk_public_key()
    files = render_pages(content, key)
    files[PUBLIC_KEY] = key.text().encode()
    about = {
        "made_at": made_at.isoformat().replace("+00:00", "Z"),
        "zone": current_app.config.get("TIMEZONE", "Europe/Berlin"),
        "desk": desk_version(),
        "includes": {"contacts": contacts, "rotas": rotas},
        "counts": {
            "playbooks": len(content.playbooks),
            "statements": sum(not s.dark for s in statements),
            "dark_pages": sum(s.dark for s in statements),
            "contacts": len(content.contacts or []),
            "rotas": len(content.rotas or []),
            "qa_sheets": len(sheets),
        },
        # what each text's approval was when the bundle was made, signed with the rest
        "statements": {
            s.slug: {**_approval(s, states[s.slug]), "dark": s.dark} for s in statements
        },
        "qa_sheets": {s.slug: _approval(s, states[s.slug]) for s in sheets},
    }
    files[MANIFEST] = manifest_bytes(files, **about)
    files[SIGNATURE] = (signing.sign(files[MANIFEST]) + "\n").encode()
    return Bundle(made_at, files, contacts, rotas)


def _approval(item, state) -> dict:
    return {
        "sha256": item.sha256,
        "language": item.language,
        "status": state.status,
        "approved_at": state.approved_at.isoformat().replace("+00:00", "Z")
        if state.approved_at
        else None,
        "review_by": state.review_by.isoformat() if state.review_by else None,
    }


def record_bundle(bundle: Bundle, *, actor) -> None:
    """Put the made bundle on the timeline: its manifest's hash, size and what it includes."""
    begin_write()
    append_event(
        "offline_bundle_made",
        actor=actor,
        data={
            "sha256": bundle.manifest_sha256,
            "files": bundle.listed,
            "contacts": bundle.contacts,
            "rotas": bundle.rotas,
        },
    )
    db.session.commit()


def write_folder(bundle: Bundle, folder: Path) -> None:
    """Write every file of the bundle under `folder` (which must not hold anything else)."""
    for path, data in bundle.files.items():
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def zip_bytes(bundle: Bundle) -> bytes:
    """The bundle as a zip with one folder in it, as the admin page hands it out."""
    buffer = io.BytesIO()
    moment = bundle.made_at.timetuple()[:6]
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, data in sorted(bundle.files.items()):
            entry = zipfile.ZipInfo(f"{bundle.name}/{path}", moment)
            archive.writestr(entry, data, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def export_bundle(target: str | os.PathLike, *, contacts=False, rotas=False) -> Bundle:
    """Make a bundle and write it to a new folder, or to a zip if `target` ends in .zip."""
    target = Path(target)
    if target.exists() and not (target.is_dir() and not any(target.iterdir())):
        raise FileExistsError(f"{target} exists and is not an empty folder")
    bundle = make_bundle(contacts=contacts, rotas=rotas)
    if target.suffix == ".zip":
        target.write_bytes(zip_bytes(bundle))
    else:
        partial = target.with_name(f".{target.name}.{uuid.uuid4().hex}")
        write_folder(bundle, partial)
        if target.exists():
            target.rmdir()
        partial.rename(target)  # a reader never sees half a bundle under the name
    record_bundle(bundle, actor=None)
    return bundle


def download_bundle(*, actor, contacts: bool = False, rotas: bool = False) -> Bundle:
    """Make a bundle for an administrator to download, and record it."""
    require_role(actor, "admin")
    bundle = make_bundle(contacts=contacts, rotas=rotas)
    record_bundle(bundle, actor=actor)
    return bundle
