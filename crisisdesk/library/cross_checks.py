"""Checks across the loaded files: twins name each other, playbooks name what exists."""

from __future__ import annotations

from ..channels import INTERNAL_AUDIENCES
from .content import Library, Playbook, Problem, QaSheet


def cross_check(library: Library, dark_dir: str) -> None:
    """Report links between files that do not hold: twins, playbooks, statements, dark pages."""
    for kind in (library.playbooks, library.statements, library.drills, library.qa):
        for item in kind.values():
            twin = kind.get(item.twin) if item.twin else None
            if item.twin and twin is None:
                library.problems.append(
                    Problem(item.path, _line(item, "twin:"), f"twin '{item.twin}' does not exist")
                )
            elif twin is not None and (twin.language == item.language or twin.twin != item.slug):
                library.problems.append(
                    Problem(
                        item.path,
                        _line(item, "twin:"),
                        f"twin '{item.twin}' must be in the other language and name this file back",
                    )
                )
    for script in list(library.drills.values()):
        playbook = library.playbooks.get(script.playbook)
        if playbook is None or playbook.language != script.language:
            message = f"playbook '{script.playbook}' does not exist in {script.language}"
            library.problems.append(Problem(script.path, _line(script, "playbook:"), message))
            del library.drills[script.slug]  # a drill cannot run without its playbook
    for sheet in library.qa.values():
        _check_qa_sheet(library, sheet)
    for playbook in library.playbooks.values():
        _check_dark_page(library, playbook, dark_dir)
        _check_internal_first(library, playbook)
        for slug in playbook.statements:
            statement = library.statements.get(slug)
            if statement is None:
                library.problems.append(
                    Problem(playbook.path, _line(playbook, slug), f"unknown statement '{slug}'")
                )
            elif statement.language != playbook.language:
                library.problems.append(
                    Problem(
                        playbook.path,
                        _line(playbook, slug),
                        f"statement '{slug}' is not in {playbook.language}",
                    )
                )


def _check_qa_sheet(library: Library, sheet: QaSheet) -> None:
    """A sheet serves playbooks that exist in its language, and asks what its twin asks."""
    for slug in sheet.playbooks:
        playbook = library.playbooks.get(slug)
        if playbook is None or playbook.language != sheet.language:
            library.problems.append(
                Problem(
                    sheet.path,
                    _line(sheet, slug),
                    f"playbook '{slug}' does not exist in {sheet.language}",
                )
            )
    twin = library.qa.get(sheet.twin or "")
    if twin is not None and [i.id for i in twin.items] != [i.id for i in sheet.items]:
        library.problems.append(
            Problem(
                sheet.path,
                _line(sheet, "items:"),
                f"the items must be the same, in the same order, as in twin '{twin.slug}'",
            )
        )


def _check_internal_first(library: Library, playbook: Playbook) -> None:
    """A playbook that tells our own people first offers a text to tell them with."""
    if not playbook.internal_first_minutes:
        return
    audiences = {
        library.statements[s].audience for s in playbook.statements if s in library.statements
    }
    if not audiences & set(INTERNAL_AUDIENCES):
        library.problems.append(
            Problem(
                playbook.path,
                _line(playbook, "internal_first_minutes:"),
                "internal_first_minutes needs a statement for staff, branches or the service "
                "centre among the playbook's statements",
            )
        )


def _check_dark_page(library: Library, playbook: Playbook, dark_dir: str) -> None:
    if playbook.dark_page is None:
        return
    page = library.statements.get(playbook.dark_page)
    if page is None or not page.dark:
        message = f"unknown dark page '{playbook.dark_page}' (playbooks/{dark_dir}/)"
    elif page.language != playbook.language:
        message = f"dark page '{playbook.dark_page}' is not in {playbook.language}"
    else:
        return
    library.problems.append(Problem(playbook.path, _line(playbook, "dark_page:"), message))


def _line(item, needle: str) -> int:
    for number, line in enumerate(item.text.splitlines(), start=1):
        if needle in line:
            return number
    return 1
