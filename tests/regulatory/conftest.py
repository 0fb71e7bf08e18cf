"""An ICT incident and the people around its regulatory clocks."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from crisisdesk.incidents import service as incidents

BERLIN = ZoneInfo("Europe/Berlin")
PLAYBOOK = "it-provider-outage-en"
#: critical services and two thresholds: major under Art. 8
MAJOR = {
    "critical_services": {"met": True, "value": "online banking"},
    "clients": {"met": True, "value": "40 % of online-banking users"},
    "reputational": {"met": True, "evidence": "regional press, 200 complaints"},
}


def berlin(*args) -> datetime:
    """A wall-clock time in Berlin, as the aware datetime services take."""
    return datetime(*args, tzinfo=BERLIN)


@pytest.fixture
def people(app, make_user):
    """oncall olga, compliance carla, management max."""
    return {
        "olga": make_user("olga", roles=["oncall"]),
        "carla": make_user("carla", roles=["compliance"], language="de"),
        "max": make_user("max", roles=["management"]),
    }


@pytest.fixture
def open_at(people, clock):
    """open_at(moment) → an incident detected and opened then (the clock moves there)."""

    def factory(moment: datetime, playbook: str = PLAYBOOK):
        clock.freeze(moment)
        return incidents.open_incident(
            actor=people["olga"], title="Provider down", severity=1, playbook=playbook
        )

    return factory
