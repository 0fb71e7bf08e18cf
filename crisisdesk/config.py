"""Configuration defaults; the only module that reads the environment."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import Flask

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Defaults:
    """Settings every deployment starts from; override with CRISISDESK_<KEY>."""

    DEPLOYMENT = "development"  #: "production" refuses to start without SECRET_KEY
    SECRET_KEY: str | None = None
    SQLALCHEMY_DATABASE_URI: str | None = None  #: None → SQLite file in instance/
    CONTENT_DIR = str(PROJECT_ROOT / "playbooks")
    #: signs SMS, letters and e-mails ({{ bank_name }} in statements); at most 40 characters,
    #: the length every statement's channel limit is checked with
    BANK_NAME = "Volksbank Musterstadt eG"
    TIMEZONE = "Europe/Berlin"
    #: whose bank holidays move a regulatory deadline (ISO country, and state for Germany)
    REGULATORY_COUNTRY = "DE"
    REGULATORY_SUBDIVISION = "BY"
    #: "credit_institution" (no weekend relief for DORA's initial and intermediate reports) or
    #: "other"
    DORA_ENTITY_TYPE = "credit_institution"
    #: minutes before a regulatory report's due time the worker reminds compliance and
    #: management (and once more when it is overdue); JSON in the environment, e.g. [60, 15]
    REGULATORY_REMINDER_MINUTES = (60, 15)
    #: where the public pages live on this server (no login): notices, feeds, official channels
    PUBLIC_PREFIX = "/public/"
    #: where the worker writes the public pages, to be served from there (None: instance/public)
    PUBLIC_DIR: str | None = None
    #: seconds a browser, proxy or CDN may keep a public page without asking again
    PUBLIC_MAX_AGE = 60
    #: where a fake is reported, per platform: the platforms' own report forms (JSON in the
    #: environment); check them once a year, as platforms move their help pages
    IMPERSONATION_REPORT_URLS = {
        "facebook": "https://www.facebook.com/help/",
        "instagram": "https://help.instagram.com/",
        "x": "https://help.x.com/forms/impersonation",
        "linkedin": "https://www.linkedin.com/help/linkedin",
        "tiktok": "https://support.tiktok.com/",
        "youtube": "https://support.google.com/youtube/",
        "website": "https://safebrowsing.google.com/safebrowsing/report_phish/",
    }
    #: channels added to the built-in ones, or built-in ones adjusted (JSON in the environment):
    #: {"signal": {"label": {"de": "Signal", "en": "Signal"}, "format": "plain", "limit": 2000,
    #: "audiences": ["customers"]}}; formats: plain, markdown, html_email (channel_catalogue.py)
    CHANNELS_EXTRA: dict = {}
    #: where evidence files lie, by their SHA-256 (None: the instance folder's evidence/)
    EVIDENCE_DIR: str | None = None
    EVIDENCE_MAX_BYTES = 10_000_000  #: the largest evidence file taken (10 MB)
    #: where the worker keeps a fresh offline bundle (the last 3; None: no scheduled bundle)
    OFFLINE_DIR: str | None = None
    OFFLINE_EVERY_MINUTES = 60  #: how often the worker writes a new one
    #: personal data the scheduled bundle includes: "" or a comma list of contacts, rotas
    OFFLINE_INCLUDE = ""
    LANGUAGES = ("de", "en")
    BABEL_DEFAULT_LOCALE = "de"
    BABEL_TRANSLATION_DIRECTORIES = "translations"
    BASE_URL = "http://127.0.0.1:5000"
    MAIL_SERVER = "localhost"
    MAIL_PORT = 25
    MAIL_SENDER = "crisisdesk@localhost"
    MAIL_USE_TLS = False  #: STARTTLS before login
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    MAIL_TIMEOUT = 10
    #: keep mail in the development mailbox instead of sending it (`make run`); not in production
    MAIL_CAPTURE = False
    WEBHOOK_TIMEOUT = 5
    DELIVERY_MAX_ATTEMPTS = 5  #: then the delivery is marked failed and shown to admins
    #: a delivery 'sending' for longer than this is taken to have died with its worker and is
    #: sent again (same X-CrisisDesk-Delivery); at least twice the longest send timeout
    DELIVERY_LEASE_SECONDS = 120
    WORKER_INTERVAL = 2.0
    INPROCESS_WORKER = False
    ALERT_SECRET: str | None = None  #: HMAC key for signed inbound alerts
    ALERT_USER = "alerts"  #: the on-call account signed alerts act as
    ALERT_MAX_AGE_SECONDS = (
        300  #: a signed alert older (or newer) than this is refused; ids are kept as long
    )
    #: webhook hosts or addresses allowed although private/loopback (an on-premises chat server),
    #: a list or a comma-separated string
    WEBHOOK_ALLOWED_HOSTS: list[str] | str = ()
    SIGNING_KEY_PATH: str | None = (
        None  #: Ed25519 key for chain checkpoints; None: instance/signing_key.pem
    )
    CHECKPOINT_DIR: str | None = (
        None  #: where signed checkpoints are written; None: instance/checkpoints
    )
    CHECKPOINT_INTERVAL = (
        3600  #: seconds between checkpoints while the chain grows (and one on every close)
    )
    AUDIT_MAIL: str | None = None  #: also mail each checkpoint to this address
    MAX_CONTENT_LENGTH = 1024 * 1024  #: no legitimate request is larger than 1 MiB
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False  #: also set automatically when a request arrives over HTTPS
    SESSION_COOKIE_NAME = "crisisdesk_session"
    PERMANENT_SESSION_LIFETIME = 12 * 3600  #: one long on-call night
    WTF_CSRF_TIME_LIMIT = 12 * 3600
    PROXY_FIX = False  #: trust X-Forwarded-* from one reverse proxy (TLS termination)
    BOOTSTRAP_SERVE_LOCAL = True  #: the desk must work without internet
    LOGIN_WINDOW_SECONDS = 15 * 60
    #: failures of one account from one address before that pair is refused for the window
    LOGIN_MAX_FAILURES_PER_ACCOUNT_ADDRESS = 5
    #: failures of one account from all addresses before each attempt is slowed (never refused)
    LOGIN_MAX_FAILURES_PER_ACCOUNT = 5
    LOGIN_MAX_DELAY_SECONDS = 4.0  #: the longest an account-wide slow-down makes an attempt wait
    LOGIN_MAX_FAILURES_PER_ADDRESS = 20
    PASSWORD_MIN_LENGTH = (
        12  #: and never a common password or one zxcvbn scores below 3 (accounts/passwords.py)
    )
    TOKEN_DEFAULT_DAYS = 90  #: API tokens expire after this many days unless made without expiry
    PASSWORD_HASH_METHOD = "scrypt"  #: werkzeug's scrypt (N=32768, r=8, p=1)
    SQLITE_BUSY_TIMEOUT_MS = 30_000
    READ_CACHE_SIZE = (
        2048  #: answers kept per worker until the timeline moves on (0: off); see readcache.py
    )
    READ_CACHE_BYTES = (
        64 * 2**20
    )  #: and at most this much text per worker (a post-mortem part is ~150 kB)


def load_config(app: Flask, overrides: dict | None) -> None:
    """Fill app.config from defaults, the environment and explicit overrides."""
    app.config.from_object(Defaults)
    app.config.from_prefixed_env("CRISISDESK")
    if os.environ.get("DATABASE_URL"):
        app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["DATABASE_URL"]
    if overrides:
        app.config.update(overrides)
    _ensure_instance_folder(app)
    _configure_database(app)
    _configure_secret_key(app)
    _refuse_mail_capture_in_production(app)
    _check_bank_name(app)
    _check_public_prefix(app)
    _check_delivery_lease(app)


def _ensure_instance_folder(app: Flask) -> None:
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)


def _configure_database(app: Flask) -> None:
    uri = app.config.get("SQLALCHEMY_DATABASE_URI")
    if not uri:
        uri = "sqlite:///" + str(Path(app.instance_path) / "crisisdesk.sqlite")
    if uri.startswith("postgres://"):  # the Heroku-style spelling SQLAlchemy rejects
        uri = "postgresql+psycopg://" + uri[len("postgres://") :]
    elif uri.startswith("postgresql://"):
        uri = "postgresql+psycopg://" + uri[len("postgresql://") :]
    app.config["SQLALCHEMY_DATABASE_URI"] = uri
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    if uri.startswith("sqlite"):
        timeout = app.config["SQLITE_BUSY_TIMEOUT_MS"] / 1000
        options.setdefault("connect_args", {"timeout": timeout, "check_same_thread": False})
    else:
        options.setdefault("pool_pre_ping", True)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options


def _check_bank_name(app: Flask) -> None:
    name = app.config.get("BANK_NAME")
    # statements were checked against their channel limits with a name of at most 40 characters
    if not isinstance(name, str) or not name.strip() or len(name) > 40 or "\n" in name:
        raise RuntimeError("CRISISDESK_BANK_NAME must be one line of 1 to 40 characters.")


def _check_public_prefix(app: Flask) -> None:
    prefix = app.config.get("PUBLIC_PREFIX")
    # the desk's own routes must never fall under the public prefix
    if (
        not isinstance(prefix, str)
        or not prefix.startswith("/")
        or not prefix.endswith("/")
        or prefix == "/"
    ):
        raise RuntimeError("CRISISDESK_PUBLIC_PREFIX must be a path such as /public/.")


def _check_delivery_lease(app: Flask) -> None:
    # a lease shorter than a slow send would let a second worker send while the first still is
    lease = float(app.config["DELIVERY_LEASE_SECONDS"])
    longest = max(float(app.config["WEBHOOK_TIMEOUT"]), float(app.config["MAIL_TIMEOUT"]))
    if lease < 2 * longest:
        raise RuntimeError(
            "CRISISDESK_DELIVERY_LEASE_SECONDS must be at least twice the longest of "
            "CRISISDESK_WEBHOOK_TIMEOUT and CRISISDESK_MAIL_TIMEOUT."
        )


def _refuse_mail_capture_in_production(app: Flask) -> None:
    # captured mail never reaches anyone: in production that would silence every escalation
    if app.config.get("MAIL_CAPTURE") and app.config["DEPLOYMENT"] == "production":
        raise RuntimeError("CRISISDESK_MAIL_CAPTURE is for development; production sends mail.")


def _configure_secret_key(app: Flask) -> None:
    if app.config.get("SECRET_KEY"):
        return
    if app.config["DEPLOYMENT"] == "production":
        raise RuntimeError("CRISISDESK_SECRET_KEY must be set in production.")
    key_file = Path(app.instance_path) / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    app.config["SECRET_KEY"] = key_file.read_text().strip()
