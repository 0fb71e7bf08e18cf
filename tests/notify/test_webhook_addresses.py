"""Webhooks reach public addresses only: checked when added, every spelling of an address read."""

import pytest

from crisisdesk.errors import Invalid
from crisisdesk.extensions import db
from crisisdesk.notify import addresses, service

from ..conftest import login

SECRET = "s3cret-s3cret-s3cret"
INTERNAL = [
    "http://127.0.0.1/hook",
    "http://169.254.169.254/latest/meta-data/",
    "http://[::1]:8080/",
    "http://0x7f000001/",
    "http://2130706433/",
    "http://0177.0.0.1/",
    "http://127.1/",
    "http://[::ffff:127.0.0.1]/",
    "http://[::ffff:a9fe:a9fe]/",
    "http://10.0.0.5/",
    "http://172.16.3.4/",
    "https://192.168.1.1/",
    "http://0.0.0.0/",
    "http://0/",
    "http://[::]/",
    "http://224.0.0.1/",
    "http://240.0.0.1/",
    "http://255.255.255.255/",
    "http://[fe80::1]/",
    "http://[fc00::1]/",
    "http://100.64.0.1/",
    "http://[64:ff9b::a9fe:a9fe]/",
    "http://[2002:7f00:1::]/",
    "http://localhost:5000/",
    "http://api.localhost/",
    "http://user:pw@127.0.0.1/",
    "http://LOCALHOST./",
]


def test_internal_addresses_are_refused_when_added(app):
    accepted = []
    for url in INTERNAL:
        try:
            service.add_webhook(url, SECRET)
        except Invalid as refused:
            assert (refused.reason, refused.field) == ("internal_address", "url")
            db.session.rollback()
        else:
            accepted.append(url)
    assert accepted == []


def test_public_hosts_are_accepted(app):
    for url in (
        "https://hooks.example/x",
        "https://93.184.216.34/hook",
        "http://[2606:4700::1111]/",
        "https://chat.bank.example:8443/hooks/desk",
    ):
        assert service.add_webhook(url, SECRET).url == url


def test_malformed_addresses_are_422_not_500(app):
    for url in (
        "http://[::1/",
        "http://host:99999/",
        "http://:80/",
        "https://",
        None,
        5,
        "x" * 2001,
    ):
        with pytest.raises(Invalid) as refused:
            service.add_webhook(url, SECRET)
        assert refused.value.reason == "bad_url"
        db.session.rollback()


def test_admin_form_shows_the_refusal(client, make_user):
    make_user("ada", roles=["admin"])
    login(client, "ada")
    response = client.post(
        "/admin/webhooks",
        data={"url": "http://169.254.169.254/", "secret": SECRET, "format": "json"},
    )
    assert response.status_code == 422 and "cannot reach 169.254.169.254" in response.get_data(
        as_text=True
    )


@pytest.mark.parametrize(
    "allowed", [["127.0.0.1", "chat.bank.internal"], "chat.bank.internal, 127.0.0.1", "0x7f000001"]
)
def test_listed_hosts_are_allowed(app, allowed):
    app.config["WEBHOOK_ALLOWED_HOSTS"] = allowed
    assert service.add_webhook("http://127.0.0.1:8080/hook", SECRET)
    if "chat" in str(allowed):
        assert service.add_webhook("https://CHAT.bank.internal./hook", SECRET)
    with pytest.raises(Invalid):
        service.add_webhook("http://10.0.0.1/hook", SECRET)


def test_cli_refuses_internal_addresses(runner):
    result = runner.invoke(args=["webhooks", "add", "http://[::1]/", "--secret", SECRET])
    assert result.exit_code != 0 and "::1" in result.output


@pytest.mark.parametrize(
    "text, internal",
    [
        ("127.0.0.1", True),
        ("::ffff:7f00:1", True),
        ("::ffff:8.8.8.8", False),
        ("8.8.8.8", False),
        ("2606:4700::1111", False),
        ("64:ff9b::808:808", False),
        ("64:ff9b::a00:1", True),
        ("198.18.0.1", True),
        ("192.0.2.1", True),
        ("fe80::1%1", True),
    ],
)
def test_is_internal(text, internal):
    assert addresses.is_internal(addresses.literal_address(text)) is internal


@pytest.mark.parametrize(
    "host, expected",
    [
        ("0x7f000001", "127.0.0.1"),
        ("017700000001", "127.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("[::1]", "::1"),
        ("hooks.example", None),
        ("1.2.3.4.5", None),
    ],
)
def test_literal_address_reads_every_spelling(host, expected):
    address = addresses.literal_address(host)
    assert (str(address) if address else None) == expected
