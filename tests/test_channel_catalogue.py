"""The channel catalogue: built-in channels and audiences, and what configuration may add."""

import pytest

from crisisdesk import channels, create_app
from crisisdesk.channel_catalogue import BUILTIN, CatalogueError, build

from .conftest import make_test_config

SIGNAL = {
    "signal": {
        "label": {"de": "Signal-Kanal", "en": "Signal channel"},
        "format": "plain",
        "limit": 120,
        "audiences": ["customers", "staff"],
    }
}


def test_the_channels_a_bank_uses_are_built_in_with_a_format_and_a_rule():
    wanted = {
        "tiktok", "youtube", "whatsapp", "threads", "mastodon", "newsletter", "email", "app_push",
        "website", "intranet", "staff_email", "service_script", "press",
    }  # fmt: skip
    assert wanted <= set(BUILTIN.channels)
    assert {c.format for c in BUILTIN.channels.values()} == {"plain", "markdown", "html_email"}
    assert (channels.limit("threads"), channels.limit("mastodon"), channels.limit("x")) == (
        500,
        500,
        280,
    )
    assert channels.limit("newsletter") is None and channels.is_document("newsletter")
    assert channels.text_format("staff_email") == "html_email"
    assert not channels.is_document("tiktok")


def test_every_audience_is_reached_by_known_channels_and_the_internal_ones_stay_inside():
    wanted = {"public", "staff", "branches", "service_centre", "press", "members", "authorities"}
    assert wanted <= set(BUILTIN.audiences)
    for audience, reached in BUILTIN.audiences.items():
        assert reached and set(reached) <= set(BUILTIN.channels), audience
    for audience in channels.INTERNAL_AUDIENCES:
        assert not set(BUILTIN.audiences[audience]) & set(BUILTIN.audiences["public"]), audience
    assert channels.audiences_of("service_script") == ("service_centre",)


def test_configuration_adds_a_channel_with_its_labels_limit_and_audiences(tmp_path):
    app = create_app(make_test_config(tmp_path, "sqlite://", CHANNELS_EXTRA=SIGNAL))
    with app.test_request_context(headers={"Accept-Language": "de"}):
        assert channels.names()[-1] == "signal"
        assert channels.label("signal") == "Signal-Kanal"
        assert channels.limit("signal") == 120
        assert "signal" in channels.channels_for("customers")
        assert "signal" not in channels.channels_for("public")
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert channels.label("signal") == "Signal channel"
    assert "signal" not in channels.names()  # outside the app: the built-in catalogue


def test_configuration_adjusts_a_built_in_channel_and_keeps_the_rest():
    catalogue = build({"mastodon": {"limit": 5000}})
    assert catalogue.channels["mastodon"].limit == 5000
    assert catalogue.channels["mastodon"].format == "plain"
    assert catalogue.channels["mastodon"].label is BUILTIN.channels["mastodon"].label
    assert catalogue.channels["x"] == BUILTIN.channels["x"]


@pytest.mark.parametrize(
    ("extra", "named"),
    [
        ({"Signal!": {"label": "S"}}, "channel name"),
        ({"signal": {"label": "S", "format": "pdf"}}, "format"),
        ({"signal": {"label": "S", "limit": 0}}, "limit"),
        ({"signal": {"label": "S", "limit": "long"}}, "limit"),
        ({"signal": {"format": "plain"}}, "label"),
        ({"signal": {"label": {"de": "S"}}}, "label"),
        ({"signal": {"label": "S", "audiences": ["everyone"]}}, "audience"),
        ({"signal": {"label": "S", "colour": "red"}}, "unknown settings"),
        (["signal"], "CHANNELS_EXTRA"),
    ],
)
def test_a_configuration_mistake_stops_the_start_and_names_it(tmp_path, extra, named):
    with pytest.raises(CatalogueError, match=named):
        create_app(make_test_config(tmp_path, "sqlite://", CHANNELS_EXTRA=extra))


def test_the_api_lists_the_catalogue_with_the_configured_channel(tmp_path, make_user, token_for):
    app = create_app(
        make_test_config(tmp_path, f"sqlite:///{tmp_path / 'db.sqlite'}", CHANNELS_EXTRA=SIGNAL)
    )
    from crisisdesk.extensions import db

    with app.app_context():
        db.create_all()
        headers = token_for(make_user("olga", roles=["oncall"]))
        reply = app.test_client().get("/api/v1/channels", headers=headers)
        db.session.remove()
        db.drop_all()
    assert reply.status_code == 200
    listed = {c["name"]: c for c in reply.json["channels"]}
    assert listed["signal"] == {
        "name": "signal",
        "label": "Signal channel",
        "format": "plain",
        "limit": 120,
    }
    assert listed["newsletter"]["format"] == "html_email"
    audiences = {a["name"]: a for a in reply.json["audiences"]}
    assert "signal" in audiences["staff"]["channels"] and audiences["staff"]["internal"]
    assert not audiences["public"]["internal"]
