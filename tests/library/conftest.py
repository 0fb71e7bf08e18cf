"""Library fixtures: a private copy of the content folder that tests may change."""

import shutil
from pathlib import Path

import pytest

from crisisdesk.library.store import invalidate

CONTENT = Path(__file__).resolve().parents[2] / "playbooks"


@pytest.fixture
def content(app, tmp_path):
    """A copy of playbooks/ the app reads from; call content.changed() after editing files."""
    folder = tmp_path / "playbooks"
    shutil.copytree(CONTENT, folder)
    app.config["CONTENT_DIR"] = str(folder)

    class Content:
        path = folder

        @staticmethod
        def edit(relative: str, old: str, new: str) -> None:
            file = folder / relative
            text = file.read_text()
            assert old in text, f"{old!r} not in {relative}"
            file.write_text(text.replace(old, new, 1))
            invalidate(str(folder))

    yield Content
    invalidate(str(folder))
