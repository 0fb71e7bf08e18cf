"""A drill of the IT-provider script started by management max with olga and lena."""

from datetime import UTC, datetime

import pytest

SCRIPT = "it-provider-outage-drill-en"
START = datetime(2026, 12, 7, 7, 30, tzinfo=UTC)


@pytest.fixture
def team(app, make_user):
    return {
        "max": make_user("max", roles=["management"]),
        "olga": make_user("olga", roles=["oncall"]),
        "lena": make_user("lena", roles=["legal"]),
    }


@pytest.fixture
def drill(team, clock):
    from crisisdesk.drills.service import start_drill

    clock.freeze(START)
    return start_drill(SCRIPT, actor=team["max"], participants=["olga", "lena"])
