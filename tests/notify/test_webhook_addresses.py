"""Webhooks reach public addresses only: checked when added and, after one DNS lookup, when sent."""

import socket

import pytest
from sqlalchemy import select

from crisisdesk.errors import Invalid
from crisisdesk.extensions import db
from crisisdesk.incidents import service as incidents
from crisisdesk.notify import addresses, service, worker
from crisisdesk.notify.models import Delivery

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


def _queue_one(olga):
    incidents.open_incident(
        actor=olga, title="Outage", severity=3, playbook="it-provider-outage-en"
    )


def test_a_send_to_an_address_no_longer_allowed_fails_with_a_clear_error(
    app, clock, receiver, make_user
):
    olga = make_user("olga", roles=["oncall"])
    service.add_webhook(receiver.url, SECRET, events=["incident_opened"])
    app.config["WEBHOOK_ALLOWED_HOSTS"] = []  # the listing was removed after the webhook was added
    _queue_one(olga)
    worker.tick()
    assert receiver.requests == []
    delivery = db.session.scalar(select(Delivery).where(Delivery.channel == "webhook"))
    assert delivery.status == "failed" and delivery.attempts == 1
    assert "refused" in delivery.last_error and "127.0.0.1" in delivery.last_error
    assert "WEBHOOK_ALLOWED_HOSTS" in delivery.last_error


def _fake_dns(monkeypatch, answers: dict[str, list[str]]):
    calls = []
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host in answers:
            calls.append(host)
            return [
                (
                    socket.AF_INET6 if ":" in a else socket.AF_INET,
                    socket.SOCK_STREAM,
                    6,
                    "",
                    (a, port),
                )
                for a in answers[host]
            ]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return calls


def test_a_name_resolving_to_any_internal_address_is_refused_at_send_time(
    app, clock, make_user, monkeypatch
):
    olga = make_user("olga", roles=["oncall"])
    service.add_webhook("https://hooks.example/x", SECRET, events=["incident_opened"])
    _fake_dns(monkeypatch, {"hooks.example": ["93.184.216.34", "169.254.169.254"]})
    _queue_one(olga)
    worker.tick()
    delivery = db.session.scalar(select(Delivery).where(Delivery.channel == "webhook"))
    assert delivery.status == "failed" and "169.254.169.254" in delivery.last_error


def test_the_connection_goes_to_the_checked_address_resolved_once(
    app, clock, make_user, monkeypatch
):
    # DNS rebinding: the first answer is public, any
    # later one would be internal; only the first is used
    olga = make_user("olga", roles=["oncall"])
    service.add_webhook("http://rebind.example:8080/x", SECRET, events=["incident_opened"])
    answers = iter([["93.184.216.34"], ["127.0.0.1"], ["127.0.0.1"]])
    calls, connected = [], []
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host != "rebind.example":
            return real(host, port, *args, **kwargs)
        calls.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port)) for a in next(answers)]

    def create_connection(address, timeout=None, *args, **kwargs):
        connected.append(address)
        raise ConnectionRefusedError("test: not really connecting")

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket, "create_connection", create_connection)
    _queue_one(olga)
    worker.tick()
    assert calls == ["rebind.example"]
    assert [address for address in connected if address[1] == 8080] == [("93.184.216.34", 8080)]
    delivery = db.session.scalar(select(Delivery).where(Delivery.channel == "webhook"))
    assert (
        delivery.status == "pending" and "not really connecting" in delivery.last_error
    )  # retried later


def test_host_header_names_the_host_while_the_checked_address_is_used(
    app, clock, receiver, make_user, monkeypatch
):
    olga = make_user("olga", roles=["oncall"])
    port = receiver.url.split(":")[2].split("/")[0]
    app.config["WEBHOOK_ALLOWED_HOSTS"] = "chat.bank.internal"
    service.add_webhook(
        f"http://chat.bank.internal:{port}/hook", SECRET, events=["incident_opened"]
    )
    _fake_dns(monkeypatch, {"chat.bank.internal": ["127.0.0.1"]})
    _queue_one(olga)
    worker.tick()
    assert len(receiver.requests) == 1
    assert receiver.requests[0]["headers"]["host"] == f"chat.bank.internal:{port}"


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


def test_a_redirect_is_not_followed(app, clock, receiver, make_user):
    olga = make_user("olga", roles=["oncall"])
    service.add_webhook(receiver.url, SECRET, events=["incident_opened"])
    receiver.script = [307]
    _queue_one(olga)
    worker.tick()
    assert len(receiver.requests) == 1
    delivery = db.session.scalar(select(Delivery).where(Delivery.channel == "webhook"))
    assert delivery.status == "pending" and delivery.last_error == "OSError: HTTP 307"


def _self_signed(tmp_path, name: str):
    """A certificate for `name` and its key, as files (the test trusts it as its own CA)."""
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file


@pytest.mark.parametrize(
    "certified, delivered", [("chat.bank.internal", True), ("other.example", False)]
)
def test_https_checks_the_certificate_against_the_host_name(
    app, clock, make_user, monkeypatch, tmp_path, certified, delivered
):
    import ssl
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    cert_file, key_file = _self_signed(tmp_path, certified)
    received = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's naming
            received.append(self.headers["Host"])
            self.rfile.read(int(self.headers["Content-Length"]))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    real_context = ssl.create_default_context
    monkeypatch.setattr(
        ssl, "create_default_context", lambda *a, **k: real_context(cafile=str(cert_file))
    )
    try:
        olga = make_user("olga", roles=["oncall"])
        app.config["WEBHOOK_ALLOWED_HOSTS"] = ["chat.bank.internal"]
        service.add_webhook(
            f"https://chat.bank.internal:{server.server_port}/hook",
            SECRET,
            events=["incident_opened"],
        )
        _fake_dns(monkeypatch, {"chat.bank.internal": ["127.0.0.1"]})
        _queue_one(olga)
        worker.tick()
    finally:
        server.shutdown()
    delivery = db.session.scalar(select(Delivery).where(Delivery.channel == "webhook"))
    if delivered:
        assert delivery.status == "sent" and received == [
            f"chat.bank.internal:{server.server_port}"
        ]
    else:
        assert delivery.status == "pending" and "CERTIFICATE_VERIFY_FAILED" in delivery.last_error
        assert received == []
