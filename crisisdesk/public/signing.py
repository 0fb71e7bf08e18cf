"""The offline bundle's signature: the desk's one Ed25519 key, shown as raw base64 and fingerprint.

The key is the one `audit` signs checkpoints with (SIGNING_KEY_PATH): one desk, one key to give
to whoever must check what the desk wrote, kept in a file and never in the database.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
from dataclasses import dataclass

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from ..audit import signing as desk_signing

#: the line of public-key.txt that carries the key; the rest of the file is for people
KEY_PREFIX = "ed25519 "


@dataclass(frozen=True)
class PublicKey:
    """The public half of a signing key, as the bundle and the admin page show it."""

    key: Ed25519PublicKey

    @property
    def raw(self) -> bytes:
        return self.key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)

    @property
    def base64(self) -> str:
        return base64.b64encode(self.raw).decode("ascii")

    @property
    def fingerprint(self) -> str:
        """SHA-256 of the 32 raw key bytes, hex."""
        return hashlib.sha256(self.raw).hexdigest()

    @property
    def fingerprint_grouped(self) -> str:
        """The fingerprint in groups of four, to read out over the phone."""
        return " ".join(self.fingerprint[i : i + 4] for i in range(0, 64, 4))

    def text(self) -> str:
        """The content of public-key.txt: the key line, the fingerprint and the PEM form."""
        return (
            f"{KEY_PREFIX}{self.base64}\n"
            f"sha256 fingerprint: {self.fingerprint}\n\n"
            f"{desk_signing.public_pem(self.key)}"
        )

    def verifies(self, message: bytes, signature: str) -> bool:
        """Whether `signature` (base64) is this key's signature of `message`."""
        return desk_signing.signature_holds(self.key, message, signature)


class KeyProblem(ValueError):
    """Text that holds no Ed25519 public key."""


def desk_private_key(create: bool = True) -> Ed25519PrivateKey:
    """The desk's private key (made, mode 0600, on first use when `create`)."""
    return desk_signing.signing_key(create=create)


def desk_public_key(create: bool = True) -> PublicKey | None:
    """The desk's public key; None when there is no key file and `create` is false."""
    try:
        return PublicKey(desk_private_key(create).public_key())
    except desk_signing.KeyProblem:
        if create:
            raise
        return None


def sign(message: bytes) -> str:
    """The desk's signature of `message`, base64."""
    return desk_signing.sign(desk_private_key(), message)


def parse_public_key(text: str | bytes) -> PublicKey:
    """A public key from public-key.txt, a bare base64 line of 32 raw bytes, or PEM."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    if "-----BEGIN PUBLIC KEY-----" in text and KEY_PREFIX not in text:
        try:
            return PublicKey(desk_signing.load_public(text))
        except desk_signing.KeyProblem as exc:
            raise KeyProblem(str(exc)) from None
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    line = next((line for line in lines if line.startswith(KEY_PREFIX)), lines[0] if lines else "")
    encoded = line.removeprefix(KEY_PREFIX).strip()
    try:
        raw = base64.b64decode(encoded, validate=True)
        return PublicKey(Ed25519PublicKey.from_public_bytes(raw))
    except (binascii.Error, ValueError):
        raise KeyProblem("no Ed25519 public key found") from None
