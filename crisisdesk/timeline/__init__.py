"""The append-only, hash-chained event log every state change writes to."""

from .chain import append_event, verify_chain

__all__ = ["append_event", "verify_chain"]
