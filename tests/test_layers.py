"""The layers import only downwards, and no module imports itself back through others.

Layer order, low → high: pipeline.text < pipeline.readers < pipeline.extraction < extractors <
pipeline.tracker < pipeline.desk < pipeline.cli. Every import in pipeline/ and extractors/ (module
level or inside a function: both run) is read with ``ast``; an import of a higher layer, or an
import circle between modules, fails.
"""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ["pipeline.text", "pipeline.readers", "pipeline.extraction", "extractors", "pipeline.tracker", "pipeline.desk",
          "pipeline.cli"]

# Known violations on the tracker/desk/cli side, fixed on other branches: the lead empties this list
# after merging them. Each entry: (importing module, imported module).
KNOWN_UPWARD: set[tuple[str, str]] = set()


def _modules() -> dict[str, Path]:
    out = {}
    for top in ("pipeline", "extractors"):
        for path in sorted((ROOT / top).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            out[".".join(parts)] = path
    return out


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """The project modules ``name`` imports (``from a import b`` counts ``a.b`` when that is a module)."""
    is_pkg = path.name == "__init__.py"
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                pkg = name.split(".") if is_pkg else name.split(".")[:-1]
                pkg = pkg[: len(pkg) - node.level + 1]
                base = ".".join(pkg + ([base] if base else []))
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names]
        else:
            continue
        for t in targets:
            while t and t not in known:
                t = t.rpartition(".")[0]
            if t and t != name:
                out.add(t)
    return out


def _layer(module: str) -> int | None:
    for i, layer in enumerate(LAYERS):
        if module == layer or module.startswith(layer + "."):
            return i
    return None


def _graph():
    mods = _modules()
    return {m: _imports(m, p, set(mods)) for m, p in mods.items()}


def test_no_upward_import():
    upward = set()
    for mod, targets in _graph().items():
        for t in targets:
            a, b = _layer(mod), _layer(t)
            if a is not None and b is not None and b > a:
                upward.add((mod, t))
    assert upward - KNOWN_UPWARD == set(), "upward imports: " + ", ".join(f"{a} → {b}" for a, b in sorted(upward - KNOWN_UPWARD))
    assert KNOWN_UPWARD - upward == set(), "fixed, remove from KNOWN_UPWARD: " + str(sorted(KNOWN_UPWARD - upward))


def test_no_import_circle():
    graph = _graph()
    # a package's __init__ re-exporting its own modules is not a circle: only edges between modules
    # of which neither is a package containing the other
    def edge(a, b):
        return not (b.startswith(a + ".") or a.startswith(b + "."))

    state, stack, circles = {}, [], []

    def visit(m):
        state[m] = 1
        stack.append(m)
        for t in sorted(graph.get(m, ())):
            if not edge(m, t):
                continue
            if state.get(t) == 1:
                circles.append(stack[stack.index(t):] + [t])
            elif t not in state:
                visit(t)
        stack.pop()
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m)
    assert not circles, "import circles: " + "; ".join(" → ".join(c) for c in circles)


def test_the_walker_sees_an_upward_import(tmp_path):
    """The check itself: a module of a low layer importing a high one is found."""
    bad = tmp_path / "x.py"
    bad.write_text("from extractors.common import is_name\nimport pipeline.tracker.store\n", encoding="utf-8")
    found = _imports("pipeline.text.x", bad, set(_modules()))
    assert {"extractors.common", "pipeline.tracker.store"} <= found
    assert all(_layer(t) > _layer("pipeline.text.x") for t in found)
