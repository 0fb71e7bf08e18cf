"""Library fixtures: a private copy of the content folder that tests may change."""

import shutil
from pathlib import Path

import pytest

from crisisdesk.library.loader import load_library
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


@pytest.fixture
def folder(tmp_path) -> Path:
    """A private copy of playbooks/ for the loader alone (no app reads it)."""
    target = tmp_path / "playbooks"
    shutil.copytree(CONTENT, target)
    return target


def problems_of(folder: Path) -> list[str]:
    """What `playbooks check` would report for the folder, one line per problem."""
    return [str(problem) for problem in load_library(folder).problems]


def problems_text(folder: Path) -> str:
    """The problems as one text, for finding a message in any of them."""
    return "\n".join(problems_of(folder))


def edit(file: Path, old: str, new: str) -> None:
    """Replace the first `old` in the file, which must hold it."""
    text = file.read_text()
    assert old in text, f"{old!r} not in {file.name}"
    file.write_text(text.replace(old, new, 1))
