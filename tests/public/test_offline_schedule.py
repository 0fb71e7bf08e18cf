"""The worker's offline bundle: written when due, swapped in at once, the last three kept."""

import json
import os

import pytest
from sqlalchemy import select

from crisisdesk.extensions import db
from crisisdesk.public import offline_schedule
from crisisdesk.public.manifest import check_copy, read_copy
from crisisdesk.timeline.models import TimelineEvent


@pytest.fixture
def folder(app, tmp_path, clock):
    """OFFLINE_DIR set to a folder that does not exist yet."""
    app.config["OFFLINE_DIR"] = str(tmp_path / "offline")
    return tmp_path / "offline"


def _bundles(folder):
    return sorted(path.name for path in folder.glob("bundle-*"))


def test_nothing_happens_without_a_folder(app, clock):
    app.config.pop("OFFLINE_DIR", None)
    assert offline_schedule.refresh_offline_bundle_if_due() is False
    assert offline_schedule.offline_dir() is None


def test_a_bundle_is_written_when_due_and_not_before(app, folder, clock):
    assert offline_schedule.refresh_offline_bundle_if_due() is True
    assert _bundles(folder) == ["bundle-20261129T090000Z"]
    assert os.readlink(folder / "current") == "bundle-20261129T090000Z"
    assert (folder / "current.txt").read_text() == "bundle-20261129T090000Z\n"
    assert check_copy(read_copy(folder / "current")).ok
    clock.advance(minutes=59)
    assert offline_schedule.refresh_offline_bundle_if_due() is False
    clock.advance(minutes=1)
    assert offline_schedule.refresh_offline_bundle_if_due() is True
    assert _bundles(folder) == ["bundle-20261129T090000Z", "bundle-20261129T100000Z"]
    assert os.readlink(folder / "current") == "bundle-20261129T100000Z"
    made = json.loads((folder / "current" / "manifest.json").read_text())["made_at"]
    assert made == "2026-11-29T10:00:00Z"


def test_the_interval_comes_from_the_configuration(app, folder, clock):
    app.config["OFFLINE_EVERY_MINUTES"] = 15
    assert offline_schedule.refresh_offline_bundle_if_due() is True
    clock.advance(minutes=15)
    assert offline_schedule.refresh_offline_bundle_if_due() is True
    assert len(_bundles(folder)) == 2


def test_the_last_three_are_kept_and_half_written_folders_cleared(app, folder, clock):
    folder.mkdir()
    (folder / ".partial-dead").mkdir()  # a worker died while writing
    (folder / "bundle-junk").mkdir()  # no manifest: never taken for the newest
    stamps = []
    for _ in range(5):
        assert offline_schedule.refresh_offline_bundle_if_due() is True
        stamps.append(os.readlink(folder / "current"))
        clock.advance(hours=1)
    assert _bundles(folder) == stamps[-3:]
    assert not list(folder.glob(".partial-*")) and not list(folder.glob(".current-*"))
    newest = offline_schedule.scheduled_bundles()[0]
    assert newest.folder.name == stamps[-1] and newest.files > 100


def test_each_scheduled_bundle_is_recorded_and_includes_what_the_configuration_chose(
    app, folder, clock
):
    app.config["OFFLINE_INCLUDE"] = "contacts, rotas"
    assert offline_schedule.refresh_offline_bundle_if_due() is True
    assert (folder / "current" / "en" / "contacts.html").exists()
    assert (folder / "current" / "en" / "rotas.html").exists()
    event = db.session.scalars(
        select(TimelineEvent).where(TimelineEvent.kind == "offline_bundle_made")
    ).one()
    data = json.loads(event.data)
    assert event.actor_name == "system" and event.actor_id is None
    assert data == {
        "sha256": offline_schedule.scheduled_bundles()[0].sha256,
        "files": offline_schedule.scheduled_bundles()[0].files,
        "contacts": True,
        "rotas": True,
    }


def test_by_default_the_worker_leaves_personal_data_out(app, folder, clock):
    assert offline_schedule.scheduled_choices() == {"contacts": False, "rotas": False}
    offline_schedule.refresh_offline_bundle_if_due()
    assert not (folder / "current" / "en" / "contacts.html").exists()
    assert not (folder / "current" / "de" / "rotas.html").exists()


def test_a_worker_that_finds_the_lock_taken_writes_nothing(app, folder, clock):
    import fcntl

    folder.mkdir()
    with (folder / ".lock").open("w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        assert offline_schedule.refresh_offline_bundle_if_due() is False
    assert _bundles(folder) == []
