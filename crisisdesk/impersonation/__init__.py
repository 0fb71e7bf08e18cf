"""The bank's own accounts, and the fakes that use its name."""
