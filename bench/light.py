"""What a page answered from memory pays for the heads and the signed-in user, in process.

Times the room and the board served from memory through Flask's test client (no network, one
thread), with
- the heads read on the light connection (readcache.LightReader) or through the request's own
  session, and
- the signed-in user kept as a detached copy under the people head (accounts/signin.py) or
  loaded with its roles on every request,
and prints microseconds per request for each. `--database-url` for PostgreSQL.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

from crisisdesk.incidents import entries  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crisisdesk import create_app, readcache  # noqa: E402
from crisisdesk.accounts import service as accounts  # noqa: E402
from crisisdesk.accounts import signin  # noqa: E402
from crisisdesk.extensions import db  # noqa: E402
from crisisdesk.incidents import service as incidents  # noqa: E402

PASSWORD = "correct horse battery staple"


@contextmanager
def heads_in_session():
    """Read the heads through the request's session, as if there were no light connection."""
    real = readcache._read_heads

    def through_session(scopes):
        db.session().connection()  # open the request's transaction: the heads are read in it
        return real(scopes)

    with mock.patch.object(readcache, "_read_heads", through_session):
        yield


@contextmanager
def user_loaded_each_time():
    """Load the signed-in user and roles on every request instead of keeping a copy."""
    with mock.patch.object(signin, "remembered", lambda key, compute, scopes: compute()):
        yield


def timed(client, path: str, count: int) -> float:
    """Microseconds per request over `count` requests."""
    started = time.perf_counter()
    for _ in range(count):
        client.get(path)
    return (time.perf_counter() - started) / count * 1e6


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", default=None, help="an empty PostgreSQL database")
    parser.add_argument("--requests", type=int, default=2000)
    args = parser.parse_args(argv)
    folder = tempfile.mkdtemp(prefix="crisisdesk-light-")
    url = args.database_url or f"sqlite:///{folder}/light.sqlite"
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "bench-secret",
            "WTF_CSRF_ENABLED": False,
            "PASSWORD_HASH_METHOD": "scrypt:1024:8:1",
        }
    )
    with app.app_context():
        db.drop_all()
        db.create_all()
        olga = accounts.create_user("olga", password=PASSWORD, roles=["oncall"], language="en")
        incident = incidents.open_incident(
            actor=olga, title="Outage", severity=1, playbook="phishing-wave-en"
        )
        for number in range(30):
            entries.add_note(incident.id, f"note {number}", actor=olga)
        incident_id = incident.id
        db.session.remove()
    client = app.test_client()
    assert client.post("/login", data={"username": "olga", "password": PASSWORD}).status_code == 302
    variants = {
        "light heads, kept user": (),
        "heads in the session, kept user": (heads_in_session,),
        "light heads, user loaded": (user_loaded_each_time,),
        "heads in the session, user loaded": (heads_in_session, user_loaded_each_time),
    }
    print(
        f"{url.split(':')[0].split('+')[0]}, µs per request answered from memory (median of rounds)"
    )
    for path in (f"/incidents/{incident_id}", "/"):
        assert client.get(path).status_code == 200
        rounds: dict[str, list[float]] = {name: [] for name in variants}
        # the variants take turns, so a busy moment of the machine does not fall on one of them
        for _ in range(max(args.requests // 100, 3)):
            for name, patches in variants.items():
                with _all(patches):
                    client.get(path)  # the first request under a variant fills what it keeps
                    rounds[name].append(timed(client, path, 100))
        for name, values in rounds.items():
            print(f"  {path:<14} {name:<36} {statistics.median(values):8.0f}")
    readcache.close(app)
    with app.app_context():
        db.drop_all()
        db.engine.dispose()
    return 0


@contextmanager
def _all(patches):
    if not patches:
        yield
        return
    with patches[0](), _all(patches[1:]):
        yield


if __name__ == "__main__":
    raise SystemExit(main())
