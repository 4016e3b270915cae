"""No import cycle inside the ``generator`` package (issue #15).

A cycle works only while one side imports the other late (inside a function), and it
ties two stages together so neither can be read, tested or replaced alone. The graph is
built from the source with :mod:`ast`, imports inside functions included, so a lazy
import cannot hide a cycle. Imports under ``if TYPE_CHECKING:`` never run and are left out.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "generator"

KNOWN: set[frozenset[str]] = set()  # cycles tolerated for now: none


def module_names() -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its ``__init__``)."""
    names = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names[".".join(parts)] = path
    return names


def imported(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The package's modules that ``name`` imports anywhere in its source."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in runtime_nodes(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                target = f"{base}.{node.module}" if node.module else base
            else:
                target = node.module or ""
            for alias in node.names:  # `from . import x` imports module x; `from .x import y`, module x
                found.add(f"{target}.{alias.name}" if f"{target}.{alias.name}" in modules else target)
    return {m for m in found if m in modules and m != name}


def runtime_nodes(tree: ast.AST) -> list[ast.AST]:
    """Every node that can run: all but the bodies of ``if TYPE_CHECKING:`` (annotations only)."""
    nodes: list[ast.AST] = []
    todo = [tree]
    while todo:
        node = todo.pop()
        nodes.append(node)
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            todo.extend(node.orelse)
        else:
            todo.extend(ast.iter_child_nodes(node))
    return nodes


def import_graph() -> dict[str, set[str]]:
    modules = module_names()
    return {name: imported(name, path, modules) for name, path in modules.items()}


def cycles(graph: dict[str, set[str]]) -> list[set[str]]:
    """The strongly connected components with more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in sorted(graph[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(component)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_generator_package_has_no_import_cycle() -> None:
    found = [sorted(c) for c in cycles(import_graph()) if frozenset(c) not in KNOWN]
    assert found == []


def test_the_cycle_finder_sees_a_lazy_import() -> None:
    """The test above can fail: an import back from inside a function closes a cycle."""
    graph = import_graph()
    assert "generator.errors" in graph["generator.load"]
    graph["generator.errors"] = graph["generator.errors"] | {"generator.load"}
    assert any({"generator.errors", "generator.load"} <= c for c in cycles(graph))


def _reached(start: str) -> list[str]:
    """The files of every module ``start`` imports, directly or not, itself included."""
    graph = import_graph()
    reached, todo = set(), [start]
    while todo:
        name = todo.pop()
        if name not in reached:
            reached.add(name)
            todo += graph[name]
    return sorted(name.removeprefix("generator.").replace(".", "/") + ".py" for name in reached)


def test_the_check_cache_key_covers_every_module_a_unit_load_runs() -> None:
    """A change to any of them must empty the check cache (generator/checkcache.py ``CODE``)."""
    from generator.checkcache import CODE

    assert _reached("generator.unitload") == sorted(CODE)


def test_kept_warnings_are_keyed_by_every_module_the_warnings_run() -> None:
    """A unit's kept warnings are keyed by the check cache's key (checkcache ``CODE``) and by
    warncache ``CODE``: together they must cover every module the warnings import."""
    from generator import checkcache, warncache

    assert set(_reached("generator.checkwarnings")) <= {*checkcache.CODE, *warncache.CODE}


def test_kept_figures_are_keyed_by_every_module_the_figures_run() -> None:
    """The CLI's figures table (``.cache/check/figures.table``) is keyed by the check cache's code
    and by modelmemo's own (the subtree keys): together they must cover what the figures import."""
    from generator import checkcache

    assert set(_reached("generator.figures")) <= set(checkcache.CODE)
    assert set(_reached("generator.modelmemo")) <= {*checkcache.CODE, "modelmemo.py", "diskcache.py"}
