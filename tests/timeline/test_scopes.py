"""Every event kind says which heads it moves; an event moves those alone; no kind slips by."""

import ast
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from crisisdesk.accounts import service as accounts
from crisisdesk.database import begin_write
from crisisdesk.extensions import db
from crisisdesk.incidents import entries
from crisisdesk.incidents import service as incidents
from crisisdesk.library import service as library
from crisisdesk.timeline import append_event, scopes
from crisisdesk.timeline.models import ChainHead, StateHead, TimelineEvent

from ..conftest import PASSWORD

PACKAGE = Path(__file__).resolve().parents[2] / "crisisdesk"
PLAYBOOK = "fee-dispute-en"


@pytest.fixture(autouse=True)
def _toy_kind():
    """Here the registry is exactly the desk's (the other timeline tests add a "toy" kind)."""


def _kinds_in_source() -> tuple[set[str], set[str]]:
    """The kinds the code appends (string literals) and the patterns of kinds it builds (f-strings).

    A call counts when it is append_event(...) or a function that hands its first parameter to
    append_event as the kind (a wrapper such as responses' _event(kind, ...)).
    """
    trees = {path: ast.parse(path.read_text()) for path in PACKAGE.rglob("*.py")}
    appenders = {"append_event"}
    for tree in trees.values():
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and node.args.args:
                first = node.args.args[0].arg
                for call in ast.walk(node):
                    if (
                        _called(call) == "append_event"
                        and call.args
                        and isinstance(call.args[0], ast.Name)
                        and call.args[0].id == first
                    ):
                        appenders.add(node.name)
    kinds, patterns, unknown = set(), set(), []
    for path, tree in trees.items():
        for call in ast.walk(tree):
            if _called(call) not in appenders or not call.args:
                continue
            for kind in _branches(call.args[0]):
                if isinstance(kind, ast.Constant) and isinstance(kind.value, str):
                    kinds.add(kind.value)
                elif isinstance(kind, ast.JoinedStr):
                    patterns.add(
                        "".join(
                            re.escape(part.value) if isinstance(part, ast.Constant) else "[a-z_]+"
                            for part in kind.values
                        )
                    )
                elif not (isinstance(kind, ast.Name) and _called(call) == "append_event"):
                    unknown.append(f"{path.relative_to(PACKAGE)}:{call.lineno}")
    assert not unknown, f"event kinds that cannot be read from the code: {unknown}"
    return kinds, patterns


def _called(node) -> str | None:
    if not isinstance(node, ast.Call):
        return None
    func = node.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)


def _branches(node):
    if isinstance(node, ast.IfExp):
        return [*_branches(node.body), *_branches(node.orelse)]
    return [node]


def test_every_kind_the_desk_appends_is_in_the_registry_and_every_entry_is_used():
    kinds, patterns = _kinds_in_source()
    registered = set(scopes.HEADS_BY_KIND)
    assert kinds - registered == set(), "add these kinds to crisisdesk/timeline/scopes.py"
    for pattern in patterns:
        assert any(re.fullmatch(pattern, kind) for kind in registered), pattern
    unused = {
        kind
        for kind in registered
        if kind not in kinds and not any(re.fullmatch(p, kind) for p in patterns)
    }
    assert unused == set(), "the registry names kinds nothing appends"
    # the kinds built from names: incidents/service.py (title, summary) and responses' decisions
    assert {"title_changed", "summary_changed", "response_approved", "response_rejected"} <= (
        registered
    )


def test_an_unregistered_kind_is_refused_and_nothing_is_appended(app):
    begin_write()
    with pytest.raises(scopes.UnknownKind, match="timeline/scopes.py"):
        append_event("something_new", actor=None, data={})
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(TimelineEvent)) == 0
    assert db.session.get(ChainHead, 1).seq == 0


def _heads() -> dict[str, int]:
    db.session.rollback()
    return dict(db.session.execute(select(StateHead.name, StateHead.seq)).all())


def _incident_head(incident_id) -> int:
    return db.session.scalar(
        select(func.max(TimelineEvent.seq)).where(TimelineEvent.incident_id == incident_id)
    )


def test_each_event_moves_the_heads_of_its_scopes_and_no_others(app, client, make_user, clock):
    admin = make_user("ada", roles=["admin"])
    olga = make_user("olga")
    lena = make_user("lena", roles=["legal"])
    people = _heads()["people"]
    one = incidents.open_incident(actor=olga, title="Outage", severity=1, playbook=PLAYBOOK)
    other = incidents.open_incident(actor=olga, title="Storm", severity=2, playbook=PLAYBOOK)
    note = entries.add_note(one.id, "Hotline staffed", actor=olga)
    assert _heads() == {"people": people, "incidents": note.seq, "library": _heads()["library"]}
    assert _incident_head(one.id) == note.seq and _incident_head(other.id) < note.seq
    before = _heads()
    client.post("/login", data={"username": "olga", "password": "wrong"})
    client.post("/login", data={"username": "olga", "password": PASSWORD})
    assert _heads() == before  # a failed sign-in and a sign-in move nothing
    accounts.set_roles(lena.id, ["legal", "management"], actor=admin)
    assert _heads() == {**before, "people": _last_seq()}
    library.approve_statement("holding-social-en", actor=lena)
    assert _heads()["library"] == _last_seq() and _heads()["incidents"] == note.seq


def _last_seq() -> int:
    return db.session.get(ChainHead, 1).seq
