"""The package's layers import one way, and no module imports itself round a circle.

Read from the source with ``ast`` (nothing is imported): every ``import`` and ``from ... import`` in
every module of ``analysis/``, those inside functions included (a lazy import is still a dependency).
The layers (README, "Layout"): ground floor and data -> statistics -> charts -> chapters -> site.
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path

from analysis import paths

PACKAGE = paths.ROOT / "analysis"
STATISTICS = ("trend", "eras", "forecast", "labor", "horizon", "nowcast", "frontier", "compute", "points", "refresh")


def module_name(path: Path, root: Path = PACKAGE) -> str:
    parts = ["analysis", *path.relative_to(root).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules(root: Path = PACKAGE) -> dict[str, Path]:
    return {module_name(path, root): path for path in sorted(root.rglob("*.py"))}


def _is_main_guard(node: ast.AST) -> bool:
    test = getattr(node, "test", None)
    return (isinstance(node, ast.If) and isinstance(test, ast.Compare) and isinstance(test.left, ast.Name)
            and test.left.id == "__name__" and len(test.comparators) == 1
            and isinstance(test.comparators[0], ast.Constant) and test.comparators[0].value == "__main__")


def _nodes(tree: ast.AST):
    """Every node, except under ``if __name__ == "__main__":`` (a module run as a script may hand
    over to a command line above it: that is no import of the module's)."""
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(child for child in ast.iter_child_nodes(node) if not _is_main_guard(child))


def imports(path: Path, name: str, known: set[str]) -> set[str]:
    """The modules of the package that ``path`` (module ``name``) imports: ``from analysis import x``
    names the module ``analysis.x`` when there is one, else the package ``analysis`` itself."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in _nodes(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[:len(anchor) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names]
        else:
            continue
        for target in targets:
            while target and target not in known:  # import analysis.a.b.c -> the deepest module that exists
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


@functools.cache
def import_graph(root: Path = PACKAGE) -> dict[str, frozenset[str]]:
    found = modules(root)
    return {name: frozenset(imports(path, name, set(found))) for name, path in found.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One circle through each strongly connected group of modules (Tarjan), as a list of names."""
    index, low, stack, on_stack, out = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph.get(node, ())):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                out.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return out


def _in(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


# ------------------------------------------------------------------ the reader itself, on a made-up package


def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "analysis"
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_the_reader_resolves_every_form_of_import(tmp_path):
    root = _package(tmp_path, {
        "__init__.py": "",
        "a.py": "import analysis.b\nfrom analysis import c, d\nimport numpy\n",
        "b.py": "def later():\n    from analysis.site.w import thing\n",
        "c.py": "from . import d\nfrom .site import w\n",
        "d.py": "from analysis.site import not_a_module\n",
        "site/__init__.py": "",
        "site/w.py": "from ..d import something\nfrom analysis.site import x\n",
        "site/x.py": "",
    })
    graph = import_graph(root)
    assert graph["analysis.a"] == {"analysis.b", "analysis.c", "analysis.d"}  # numpy is not the package's
    assert graph["analysis.b"] == {"analysis.site.w"}  # an import inside a function counts
    assert graph["analysis.c"] == {"analysis.d", "analysis.site.w"}  # relative imports
    assert graph["analysis.d"] == {"analysis.site"}  # a name that is no module: the package
    assert graph["analysis.site.w"] == {"analysis.d", "analysis.site.x"}


def test_a_circle_is_found_however_long(tmp_path):
    root = _package(tmp_path, {
        "__init__.py": "", "a.py": "from analysis import b\n", "b.py": "from analysis import c\n",
        "c.py": "def f():\n    import analysis.a\n", "d.py": "from analysis import a\n",
        "e.py": "if __name__ == '__main__':\n    from analysis import d\n    d.main()\n",  # a script's hand-over
    })
    assert cycles(import_graph(root)) == [["analysis.a", "analysis.b", "analysis.c"]]
    assert import_graph(root)["analysis.e"] == frozenset()
    assert cycles({"x": {"y"}, "y": set()}) == []


# ------------------------------------------------------------------ the real package


def test_the_package_has_no_import_circle():
    assert cycles(import_graph()) == []


def test_nothing_below_the_site_imports_it():
    graph = import_graph()
    offenders = {name: sorted(t for t in targets if _in(t, "analysis.site"))
                 for name, targets in graph.items() if not _in(name, "analysis.site")}
    assert {name: found for name, found in offenders.items() if found} == {}


def test_charts_import_no_chapter():
    graph = import_graph()
    offenders = {name: sorted(t for t in targets if _in(t, "analysis.chapters"))
                 for name, targets in graph.items() if _in(name, "analysis.charts")}
    assert {name: found for name, found in offenders.items() if found} == {}


def test_statistics_import_no_charts_chapters_or_site():
    graph = import_graph()
    assert all(f"analysis.{name}" in graph for name in STATISTICS)  # the list names real modules
    above = ("analysis.charts", "analysis.chapters", "analysis.site")
    offenders = {name: sorted(t for t in graph[f"analysis.{name}"] if any(_in(t, layer) for layer in above))
                 for name in STATISTICS}
    assert {name: found for name, found in offenders.items() if found} == {}
