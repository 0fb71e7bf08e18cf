"""The desk's Ed25519 key: a file outside the database,
made on first use, readable by its owner only.
"""

from __future__ import annotations

import base64
import binascii
import os
import uuid
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from flask import current_app


class KeyProblem(ValueError):
    """A key file that is missing or holds no Ed25519 key."""


def key_path() -> Path:
    """Where the signing key lives (SIGNING_KEY_PATH, default <instance>/signing_key.pem)."""
    configured = current_app.config.get("SIGNING_KEY_PATH")
    return Path(configured) if configured else Path(current_app.instance_path) / "signing_key.pem"


def signing_key(create: bool = True) -> Ed25519PrivateKey:
    """The desk's private key; made (mode 0600) when there is none yet and `create` is true."""
    path = key_path()
    if not path.exists():
        if not create:
            raise KeyProblem(f"no signing key at {path}")
        _create(path)
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyProblem(f"{path} does not hold an Ed25519 key")
    return key


def _create(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    partial = path.with_name(f".{path.name}.{uuid.uuid4().hex}")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(pem)
    try:
        # link() never replaces: when two workers start at once, the first key stays and both use it
        os.link(partial, path)
    except FileExistsError:
        pass
    finally:
        partial.unlink()


def public_pem(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    """The public half as PEM text (what auditors keep)."""
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode("ascii")


def load_public(pem: bytes | str) -> Ed25519PublicKey:
    """An Ed25519 public key from PEM text (KeyProblem if it is none)."""
    try:
        key = serialization.load_pem_public_key(pem.encode() if isinstance(pem, str) else pem)
    except ValueError as exc:
        raise KeyProblem(f"not a PEM public key: {exc}") from None
    if not isinstance(key, Ed25519PublicKey):
        raise KeyProblem("not an Ed25519 public key")
    return key


def sign(key: Ed25519PrivateKey, message: bytes) -> str:
    """The signature of `message`, base64."""
    return base64.b64encode(key.sign(message)).decode("ascii")


def signature_holds(key: Ed25519PublicKey, message: bytes, signature) -> bool:
    """Whether `signature` (base64) is the key's signature of `message`."""
    try:
        key.verify(base64.b64decode(signature, validate=True), message)
    except (InvalidSignature, binascii.Error, TypeError, ValueError):
        return False
    return True
