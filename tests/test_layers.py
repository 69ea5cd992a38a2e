"""The layers of docs/architecture.md, checked on the source: imports go down only, and no two
modules import each other, directly or round about."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("config", "notifications", "debates", "articles", "accounts")
ORDER = {"accounts": 0, "articles": 1, "debates": 2, "notifications": 3, "config": 4}


def modules() -> dict[str, Path]:
    found = {}
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            found[name.removesuffix(".__init__")] = path
    return found


def top_level_imports(path: Path, known: dict) -> set[str]:
    """The project modules a module imports at its top level (not inside functions)."""
    imported = set()
    for node in ast.parse(path.read_text()).body:
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        imported |= {name for name in names if name in known}
    return imported


def test_lower_layers_import_nothing_of_higher_ones():
    known = modules()
    upward = [
        (name, other)
        for name, path in known.items()
        for other in top_level_imports(path, known)
        if ORDER[other.split(".")[0]] > ORDER[name.split(".")[0]]
    ]
    assert upward == []


def test_no_module_imports_itself_round_about():
    known = modules()
    graph = {name: top_level_imports(path, known) - {name} for name, path in known.items()}
    cycles, state = [], {}

    def visit(name, trail):
        state[name] = "open"
        for other in sorted(graph[name]):
            if state.get(other) == "open":
                cycles.append([*trail[trail.index(other) :], other])
            elif other not in state:
                visit(other, [*trail, other])
        state[name] = "done"

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert cycles == []
