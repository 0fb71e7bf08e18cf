"""Timeline fixtures."""

import pytest

from crisisdesk.timeline import scopes


@pytest.fixture(autouse=True)
def _toy_kind(monkeypatch):
    """A "toy" event stands for any kind; the registry (timeline/scopes.py) knows the desk's."""
    monkeypatch.setitem(scopes.HEADS_BY_KIND, "toy", ())
