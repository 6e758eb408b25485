"""The floor plan's rules, read from the source with `ast` (every import counts, also those
inside functions): apps import downward only, no app imports the wiring, pure packages import
no Django, no import circles, small modules and app roots.

Kept apart from the tests so that a test of the test can run the same checks on a made-up tree.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

# Lowest first: a module may import its own app and the apps before it, never those after.
LAYERS = ("surveyhub", "surveys", "feedback", "analytics")

# surveyhub's wiring: names every app, so no app (and no library module) may import it.
WIRING = (
    "surveyhub.settings",
    "surveyhub.urls",
    "surveyhub.celery",
    "surveyhub.admin_site",
    "surveyhub.demo",
    "surveyhub.wsgi",
    "surveyhub.asgi",
    "surveyhub.management",
)
# The package's __init__ starts the Celery app with Django (the usual wiring), so it is wiring.
WIRING_PACKAGE = "surveyhub"

# Pure computation: no Django, DRF or Celery, directly or through another project module.
PURE = (
    "analytics.metrics",
    "analytics.clv",
    "analytics.churn",
    "analytics.basket",
    "feedback.nlp",
    "feedback.cases.sla",
    "surveys.scoring.rules",
)
FRAMEWORKS = ("django", "rest_framework", "drf_spectacular", "celery", "kombu")

MAX_MODULE_LINES = 450
MAX_ROOT_MODULES = 16


@dataclass
class Tree:
    """The project's modules (name → path) and their imports (name → {imported name: line})."""

    root: Path
    modules: dict[str, Path] = field(default_factory=dict)
    imports: dict[str, dict[str, int]] = field(default_factory=dict)
    external: dict[str, dict[str, int]] = field(default_factory=dict)

    def resolve(self, name: str) -> str | None:
        """The project module an imported name lives in (a package, a module, or None)."""
        while name:
            if name in self.modules:
                return name
            name = name.rpartition(".")[0]
        return None


def _is_under(module: str, prefixes: Iterable[str]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


def _is_wiring(module: str) -> bool:
    return module == WIRING_PACKAGE or _is_under(module, WIRING)


def read_tree(root: Path, packages: Iterable[str] = LAYERS) -> Tree:
    """Parse every module of `packages` under `root` (migrations aside)."""
    tree = Tree(root=root)
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            if "migrations" in parts:
                continue
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            tree.modules[name] = path
    for name, path in tree.modules.items():
        is_package = path.name == "__init__.py"
        inner: dict[str, int] = {}
        outer: dict[str, int] = {}
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    package = name if is_package else name.rpartition(".")[0]
                    for _ in range(node.level - 1):
                        package = package.rpartition(".")[0]
                    base = f"{package}.{base}" if base else package
                targets = [f"{base}.{alias.name}" for alias in node.names]
            else:
                continue
            for target in targets:
                found = tree.resolve(target)
                if found is None:
                    outer.setdefault(target.split(".")[0], node.lineno)
                elif found != name:
                    inner.setdefault(found, node.lineno)
        tree.imports[name] = inner
        tree.external[name] = outer
    return tree


def _where(tree: Tree, module: str, line: int) -> str:
    return f"{tree.modules[module].relative_to(tree.root)}:{line}"


def upward_imports(tree: Tree) -> list[str]:
    """Imports from a lower app into a higher one (the wiring may import anything)."""
    found = []
    for module, targets in tree.imports.items():
        if _is_wiring(module):
            continue
        own = LAYERS.index(module.split(".")[0])
        for target, line in targets.items():
            if LAYERS.index(target.split(".")[0]) > own:
                found.append(f"{_where(tree, module, line)} {module} imports {target}")
    return found


def wiring_imports(tree: Tree) -> list[str]:
    """Imports of the wiring from anything that is not wiring itself."""
    return [
        f"{_where(tree, module, line)} {module} imports {target}"
        for module, targets in tree.imports.items()
        if not _is_wiring(module)
        for target, line in targets.items()
        if _is_wiring(target)
    ]


def impure_imports(tree: Tree) -> list[str]:
    """Framework imports reached from a pure package, directly or through project modules."""
    found = []
    for start in (m for m in tree.modules if _is_under(m, PURE)):
        seen, stack = {start}, [start]
        while stack:
            module = stack.pop()
            for name, line in tree.external[module].items():
                if name in FRAMEWORKS:
                    via = "" if module == start else f" (through {module})"
                    found.append(f"{_where(tree, module, line)} {start} reaches {name}{via}")
            for target in tree.imports[module]:
                if target not in seen:
                    seen.add(target)
                    stack.append(target)
    return found


def cycles(tree: Tree) -> list[list[str]]:
    """Groups of modules that import each other, directly or round a circle (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(start: str) -> None:
        # Iterative Tarjan: (module, iterator over its imports).
        work: list[tuple[str, Iterator[str]]] = [(start, iter(sorted(tree.imports[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            module, targets = work[-1]
            target = next(targets, None)
            if target is not None:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(sorted(tree.imports[target]))))
                elif target in on_stack:
                    low[module] = min(low[module], index[target])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[module])
            if low[module] == index[module]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == module:
                        break
                if len(group) > 1:
                    found.append(sorted(group))

    for module in sorted(tree.modules):
        if module not in index:
            visit(module)
    return found


def long_modules(tree: Tree, limit: int = MAX_MODULE_LINES) -> list[str]:
    """Modules over `limit` lines."""
    return [
        f"{path.relative_to(tree.root)}: {count} lines"
        for path in tree.modules.values()
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > limit
    ]


def crowded_roots(tree: Tree, limit: int = MAX_ROOT_MODULES) -> list[str]:
    """App folders holding more than `limit` modules at their root."""
    counts: dict[str, int] = {}
    for path in tree.modules.values():
        parent = path.parent.relative_to(tree.root)
        if len(parent.parts) == 1 and path.name != "__init__.py":
            counts[str(parent)] = counts.get(str(parent), 0) + 1
    return [f"{app}/: {n} modules" for app, n in sorted(counts.items()) if n > limit]
