"""The audit: rows checked against the events that
recorded them, append-only triggers, signed checkpoints.

It sits above every package whose tables it checks; the chain itself (timeline/) sits
below them all.
"""
