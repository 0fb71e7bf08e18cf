"""Webhook sends go to the checked public address only: one DNS lookup, no redirects, TLS names."""

import socket

import pytest
from sqlalchemy import select

from crisisdesk.extensions import db
from crisisdesk.incidents import service as incidents
from crisisdesk.notify import service, worker
from crisisdesk.notify.models import Delivery

from .test_webhook_addresses import SECRET


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
