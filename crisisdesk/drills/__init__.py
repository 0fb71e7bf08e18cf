"""Drills: scenario scripts rehearsed on the real desk, their timed injects and the evidence."""
