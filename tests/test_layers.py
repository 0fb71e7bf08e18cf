"""The layers hold: no module imports one that imports it back, views and CLIs reach down only."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "crisisdesk"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in PACKAGE.rglob("*.py")}


def imports_of(name: str) -> set[str]:
    """The crisisdesk modules `name` imports (also inside functions), without its own packages."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - node.level + 1]
            target = ".".join(base + [node.module or ""]).strip(".") if node.level else node.module
            for alias in node.names:
                found.add(
                    f"{target}.{alias.name}" if f"{target}.{alias.name}" in MODULES else target
                )
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {m for m in found if m in MODULES and m != name and not name.startswith(m + ".")}


def test_no_module_imports_one_that_imports_it_back():
    graph = {name: imports_of(name) for name in MODULES}

    def reaches(start: str, goal: str) -> bool:
        seen, todo = set(), [start]
        while todo:
            current = todo.pop()
            if current == goal:
                return True
            if current not in seen:
                seen.add(current)
                todo.extend(graph[current])
        return False

    circles = sorted(
        (name, other) for name in graph for other in graph[name] if reaches(other, name)
    )
    assert circles == []


@pytest.mark.parametrize(
    "module,below",
    [
        ("crisisdesk.i18n", "crisisdesk.timeline"),  # template helpers live in template_helpers
        ("crisisdesk.incidents.validation", "crisisdesk.web"),  # services never need view helpers
        ("crisisdesk.audit.cli", "crisisdesk.review"),
        ("crisisdesk.audit.runs", "crisisdesk.review"),
    ],
)
def test_a_lower_module_does_not_import_a_higher_one(module, below):
    assert not any(m == below or m.startswith(below + ".") for m in imports_of(module))


#: the desk's packages from the ground up; a package may import only its own layer and those below
LAYERS = [
    ("crisisdesk.timeline",),
    ("crisisdesk.accounts",),
    ("crisisdesk.people",),
    ("crisisdesk.library",),
    ("crisisdesk.incidents",),
    ("crisisdesk.responses",),
    ("crisisdesk.impersonation",),
    ("crisisdesk.audit", "crisisdesk.regulatory", "crisisdesk.public", "crisisdesk.drills"),
    ("crisisdesk.notify", "crisisdesk.review"),
    ("crisisdesk.search",),
    ("crisisdesk.room",),
    ("crisisdesk.api",),
]


def _layer_of(module: str) -> int | None:
    for number, packages in enumerate(LAYERS):
        if any(module == p or module.startswith(p + ".") for p in packages):
            return number
    return None


@pytest.mark.parametrize("packages", LAYERS, ids=lambda packages: "+".join(packages))
def test_packages_import_only_downwards(packages):
    own = _layer_of(packages[0])
    upward = sorted(
        (name, target)
        for name in MODULES
        if _layer_of(name) == own
        for target in imports_of(name)
        if (_layer_of(target) or 0) > own
    )
    assert upward == []


@pytest.mark.parametrize(
    "view",
    [
        "crisisdesk.notify.views",
        "crisisdesk.incidents.actions",
        "crisisdesk.api.responses",
        "crisisdesk.review.views",
        "crisisdesk.review.dashboard",
        "crisisdesk.room.views",
        "crisisdesk.search.views",
        "crisisdesk.api.search",
    ],
)
def test_views_read_through_services_not_tables(view):
    """No session, no model, no SQL in a view: it parses input, calls a service, answers."""
    reached = imports_of(view)
    assert "crisisdesk.extensions" not in reached
    assert not [m for m in reached if m.endswith(".models")]
    source = MODULES[view].read_text()
    assert "sqlalchemy" not in source and "db.session" not in source


def test_the_response_serialiser_lives_with_the_others():
    tree = ast.parse(MODULES["crisisdesk.api.responses"].read_text())
    defined = {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}
    assert not {name for name in defined if name.endswith("_json")}


def test_templates_get_their_helpers(app):
    filters, names = app.jinja_env.filters, app.jinja_env.globals
    for name in ("localtime", "localdate", "role_label", "channel_label", "describe", "until"):
        assert name in filters
    for name in ("status_label", "response_status_label", "current_locale", "raw_gettext"):
        assert name in names
