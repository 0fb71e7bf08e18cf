"""Duties on the desk: set up, overridden with reasons, shown now and ahead, and as a calendar."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from crisisdesk.errors import Forbidden, Invalid
from crisisdesk.people import duties, feeds

from ..conftest import login

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def legal_duty(app, make_user, clock):
    """Lena and Lars take turns weekly from Monday 30 November 2026, 08:00 Berlin."""
    clock.freeze(datetime(2026, 12, 2, 12, 0, tzinfo=BERLIN))  # Wednesday of Lena's week
    boss = make_user("max", roles=["management"])
    make_user("lena", roles=["legal"], display_name="Lena Recht")
    make_user("lars", roles=["legal"], display_name="Lars Recht")
    make_user("olga", roles=["oncall"])
    duty = duties.save_duty(
        "legal-duty",
        actor=boss,
        title="Rechtsbereitschaft",
        period="weekly",
        members=["lena", "lars"],
        starts_on="2026-11-30",
        handover="08:00",
        zone="Europe/Berlin",
    )
    return {"duty": duty, "boss": boss}


def test_who_is_on_duty_now_and_at_the_next_handover(legal_duty):
    [now] = duties.on_duty_now()
    assert now.shift.user == "lena"
    assert now.shift.ends == datetime(2026, 12, 7, 8, 0, tzinfo=BERLIN)
    later = duties.shift_at(
        "legal-duty", datetime(2026, 12, 7, 8, 0, tzinfo=BERLIN), actor=legal_duty["boss"]
    )
    assert later.user == "lars"


def test_a_member_swaps_with_a_reason_and_others_may_not(legal_duty, make_user):
    from crisisdesk.accounts.service import find_user

    lena, olga = find_user("lena"), find_user("olga")
    with pytest.raises(Forbidden):
        duties.add_override(
            "legal-duty",
            actor=olga,
            user="olga",
            starts=datetime(2026, 12, 3, 8, 0, tzinfo=BERLIN),
            ends=datetime(2026, 12, 4, 8, 0, tzinfo=BERLIN),
            reason="Urlaub",
        )
    duties.add_override(
        "legal-duty",
        actor=lena,
        user="lars",
        starts=datetime(2026, 12, 3, 8, 0, tzinfo=BERLIN),
        ends=datetime(2026, 12, 4, 8, 0, tzinfo=BERLIN),
        reason="Arzttermin",
    )
    held = duties.shift_at("legal-duty", datetime(2026, 12, 3, 12, 0, tzinfo=BERLIN), actor=olga)
    assert (held.user, held.override) == ("lars", True)
    assert duties.shifts_of("lars")[0][1].starts == datetime(2026, 12, 3, 8, 0, tzinfo=BERLIN)


@pytest.mark.parametrize(
    "changes,field",
    [
        ({"user": "nobody"}, "user"),
        ({"reason": ""}, "reason"),
        ({"ends": datetime(2026, 12, 3, 7, 0, tzinfo=BERLIN)}, "until"),
        ({"ends": datetime(2027, 3, 3, 8, 0, tzinfo=BERLIN)}, "until"),
        ({"starts": "soon"}, "from"),
        ({"starts": datetime(2026, 12, 3, 8, 0)}, "from"),
    ],
)
def test_a_bad_override_is_refused_by_field(legal_duty, changes, field):
    values = {
        "user": "lars",
        "starts": datetime(2026, 12, 3, 8, 0, tzinfo=BERLIN),
        "ends": datetime(2026, 12, 4, 8, 0, tzinfo=BERLIN),
        "reason": "Tausch",
        **changes,
    }
    with pytest.raises(Invalid) as refused:
        duties.add_override("legal-duty", actor=legal_duty["boss"], **values)
    assert refused.value.field == field


@pytest.mark.parametrize(
    "changes,field",
    [
        ({"slug": "Legal Duty"}, "slug"),
        ({"period": "monthly"}, "period"),
        ({"members": ["lena", "ghost"]}, "members"),
        ({"members": ["lena", "lena"]}, "members"),
        ({"starts_on": "30.11.2026"}, "starts_on"),
        ({"handover": "25:00"}, "handover"),
        ({"zone": "Mars/Olympus"}, "zone"),
        ({"title": ""}, "title"),
    ],
)
def test_a_bad_duty_is_refused_by_field(legal_duty, changes, field):
    values = {
        "slug": "press-duty",
        "title": "Pressebereitschaft",
        "period": "daily",
        "members": ["lena"],
        "starts_on": "2026-12-01",
        "handover": "08:00",
        "zone": "Europe/Berlin",
        **changes,
    }
    slug = values.pop("slug")
    with pytest.raises(Invalid) as refused:
        duties.save_duty(slug, actor=legal_duty["boss"], **values)
    assert refused.value.field == field


def test_gaps_ahead_are_shown_before_they_happen(legal_duty, make_user):
    boss = legal_duty["boss"]
    press = duties.save_duty(
        "press-duty",
        actor=boss,
        title="Pressebereitschaft",
        period="daily",
        members=["max"],
        starts_on="2026-12-10",
        handover="08:00",
        zone="Europe/Berlin",
    )
    gaps = duties.gaps_ahead(press)
    assert gaps == [
        (datetime(2026, 12, 2, 11, 0, tzinfo=UTC), datetime(2026, 12, 10, 7, 0, tzinfo=UTC))
    ]
    assert duties.gaps_ahead(legal_duty["duty"]) == []


def test_the_calendar_feed_is_secret_rotatable_and_parses(client, legal_duty):
    from crisisdesk.accounts.service import find_user

    lena = find_user("lena")
    token = feeds.rotate_feed(actor=lena)
    response = client.get(f"/calendar/{token}.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    calendar = Calendar.from_ical(response.data)
    events = [c for c in calendar.walk("VEVENT")]
    assert str(events[0]["SUMMARY"]) == "Rechtsbereitschaft"
    assert events[0].decoded("DTSTART") == datetime(2026, 11, 30, 7, 0, tzinfo=UTC)
    assert events[0].decoded("DTEND") - events[0].decoded("DTSTART") == timedelta(days=7)
    assert "Lena Recht" in str(calendar["X-WR-CALNAME"])
    newer = feeds.rotate_feed(actor=lena)
    assert client.get(f"/calendar/{token}.ics").status_code == 404
    assert client.get(f"/calendar/{newer}.ics").status_code == 200
    assert client.get("/calendar/guess.ics").status_code == 404


def test_duty_pages_the_board_strip_and_the_api(client, legal_duty, token_for):
    from crisisdesk.accounts.service import find_user

    login(client, "olga")
    client.post("/language", data={"language": "en"})
    board = client.get("/").get_data(as_text=True)
    assert "Rechtsbereitschaft: <strong>Lena Recht</strong>" in board
    page = client.get("/duties/legal-duty").get_data(as_text=True)
    assert "Lars Recht" in page and "Change the rota" not in page
    assert "Stand in" not in page  # not a member
    assert client.post("/duties/legal-duty/overrides", data={}).status_code == 403
    headers = token_for(find_user("lena"))
    listed = client.get("/api/v1/duties", headers=headers).json["items"]
    assert listed[0]["on_duty"]["user"] == "lena"
    at = client.get(
        "/api/v1/duties/legal-duty/on-duty?at=2026-12-08T09:00:00%2B01:00", headers=headers
    ).json
    assert at == {
        "user": "lars",
        "from": "2026-12-07T07:00:00Z",
        "until": "2026-12-14T07:00:00Z",
        "override": False,
    }
    made = client.post(
        "/api/v1/duties/legal-duty/overrides",
        headers=headers,
        json={
            "user": "lars",
            "from": "2026-12-03T07:00:00Z",
            "until": "2026-12-04T07:00:00Z",
            "reason": "Arzttermin",
        },
    )
    assert made.status_code == 201 and made.json["user"] == "lars"
    bad = client.get("/api/v1/duties/legal-duty/on-duty?at=tomorrow", headers=headers)
    assert bad.status_code == 422
    assert client.get("/api/v1/duties/none/on-duty", headers=headers).status_code == 404


def test_a_duty_with_one_member_shows_no_handover(client, legal_duty):
    duties.save_duty(
        "press-duty",
        actor=legal_duty["boss"],
        title="Pressebereitschaft",
        period="weekly",
        members=["olga"],
        starts_on="2026-11-30",
        handover="08:00",
        zone="Europe/Berlin",
    )
    login(client, "olga")
    for path in ("/duties", "/"):
        html = client.get(path).get_data(as_text=True)
        press = html[html.index("Pressebereitschaft") :].split("</li>", 1)[0]
        assert "(no hand-over planned)" in press and "until" not in press, path
        legal = html[html.index("Rechtsbereitschaft") :][:300]
        assert "until" in legal, path
