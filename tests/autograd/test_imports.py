"""The import graph of the autograd package, read from its source with ast: no circle among
the imports that run when a module is loaded, and the core (Tensor, Function, the backward
pass) imports nothing from the layers above it.

An edge A → B means that loading A imports B: `import autograd.x`, `from autograd.x import
y`, `from autograd import x` (x a module) and relative imports each name their module, and
`from autograd.ops import exp` names autograd.ops, whose __init__ holds the name. Imports in
a function body run later, on a call, and imports under `if TYPE_CHECKING:` never: both are
listed apart and make no circle. The parent packages that Python loads first (autograd/
__init__.py for any autograd.x) are left out, as every import tool does: a package's
__init__ importing its own modules is how a package is built, not a circle.
"""

from __future__ import annotations

import ast
import inspect
from pathlib import Path
from types import FunctionType

import pytest

import autograd
from autograd import Tensor
from autograd.tensor import attach

PACKAGE = "autograd"
ROOT = Path(autograd.__file__).parent
# Tensor, Function and the backward pass; with what they import, the core
CORE = ("autograd.tensor", "autograd.function", "autograd.engine")
# the layers above the core, which it must never import
ABOVE = ("nn", "optim", "viz", "chainrule", "autograd.viz")


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(ROOT.rglob("*.py"))}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _targets(module: str, is_package: bool, node: ast.AST) -> list:
    """The modules an import statement in `module` names (any package's, not only ours)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    assert isinstance(node, ast.ImportFrom)
    if node.level:
        package = module if is_package else module.rpartition(".")[0]
        for _ in range(node.level - 1):
            package = package.rpartition(".")[0]
        base = f"{package}.{node.module}" if node.module else package
    else:
        base = node.module or ""
    # `from package import name`: the module package.name where there is one, else package
    return [f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base for a in node.names]


def _imports(module: str) -> dict:
    """{"load": [...], "call": [...], "typing": [...]}: the modules named by the imports that
    run when `module` is loaded, in its function bodies, and under TYPE_CHECKING."""
    found: dict = {"load": [], "call": [], "typing": []}

    def visit(node: ast.AST, when: str) -> None:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            found[when] += _targets(module, MODULES[module].name == "__init__.py", node)
            return
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            when = "call" if when == "load" else when
        elif isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.body:
                visit(child, "typing")
            for child in node.orelse:
                visit(child, when)
            return
        for child in ast.iter_child_nodes(node):
            visit(child, when)

    visit(ast.parse(MODULES[module].read_text(), filename=str(MODULES[module])), "load")
    return found


IMPORTS = {m: _imports(m) for m in MODULES}


def _ours(names: list) -> set:
    return {n for n in names if n == PACKAGE or n.startswith(PACKAGE + ".")}


def load_graph() -> dict:
    """{module: the autograd modules that loading it imports}."""
    return {m: _ours(found["load"]) - {m} for m, found in IMPORTS.items()}


def circles(graph: dict) -> list:
    """The strongly connected components of more than one module (Tarjan's algorithm, with
    an explicit stack): each holds an import circle."""
    index: dict = {}
    low: dict = {}
    stack: list = []
    on_stack: set = set()
    found = []
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in graph:
                    continue
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def _a_cycle(graph: dict, component: list) -> list:
    """One circle through the component's first module, for the message."""
    inside = set(component)
    start = component[0]
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for child in sorted(graph[node] & inside):
            if child == start:
                return paths[node] + [start]
            if child not in paths:
                paths[child] = paths[node] + [child]
                queue.append(child)
    raise AssertionError("a strongly connected component without a cycle")


def closure(graph: dict, roots: tuple) -> set:
    """The roots and every module that loading them loads."""
    seen = set(roots)
    stack = list(roots)
    while stack:
        for child in graph[stack.pop()]:
            if child in graph and child not in seen:
                seen.add(child)
                stack.append(child)
    return seen


def _is_above(name: str) -> bool:
    return any(name == top or name.startswith(top + ".") for top in ABOVE)


# ----------------------------------------------------------------- the graph reader itself
def _read(module: str, is_package: bool, source: str) -> list:
    return _targets(module, is_package, ast.parse(source).body[0])


def test_the_reader_resolves_each_kind_of_import():
    assert _read("autograd.engine", False, "import autograd.tensor, numpy") == [
        "autograd.tensor", "numpy"]
    # a module where there is one, else the package whose __init__ holds the name
    assert _read("autograd.engine", False, "from autograd import tensor, Tensor") == [
        "autograd.tensor", "autograd"]
    assert _read("autograd.methods", False, "from autograd.ops import exp") == ["autograd.ops"]
    assert _read("autograd.ops.x", False, "from .y import z") == ["autograd.ops.y"]
    assert _read("autograd.ops.x", False, "from .. import tensor") == ["autograd.tensor"]
    assert _read("autograd.ops", True, "from . import exp") == ["autograd.ops"]
    assert _read("autograd.ops", True, "from ..tensor import Tensor") == ["autograd.tensor"]
    # when each import runs: loading the module, calling a function, type checking only
    assert "autograd.function" in IMPORTS["autograd.tensor"]["typing"]
    assert "autograd.function" not in IMPORTS["autograd.tensor"]["load"]
    assert "autograd.ops" in IMPORTS["autograd.methods"]["load"]


def test_circles_finds_a_planted_circle_and_a_self_free_chain():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert circles(graph) == [["a", "b", "c"]]
    assert _a_cycle(graph, ["a", "b", "c"]) == ["a", "b", "c", "a"]
    assert circles({"a": {"b"}, "b": {"c"}, "c": set()}) == []


# ----------------------------------------------------------------- the package
def test_the_package_has_no_import_circle():
    graph = load_graph()
    found = [" → ".join(_a_cycle(graph, c)) for c in circles(graph)]
    assert not found, "import circles among module-level imports:\n" + "\n".join(found)


def test_the_core_imports_nothing_above_it():
    graph = load_graph()
    core = closure(graph, CORE)
    wrong = sorted(f"{m} imports {name} ({when})" for m in core
                   for when in ("load", "call") for name in IMPORTS[m][when] if _is_above(name))
    assert not wrong, "\n".join(wrong)
    # nor the package's __init__, which imports the pictures and the rest of the library
    assert PACKAGE not in core, sorted(m for m in core if PACKAGE in graph[m])


def test_the_tensor_module_imports_no_op_engine_or_attaching_module():
    # Tensor is below the ops and the engine: they import it, never the reverse
    reached = closure(load_graph(), ("autograd.tensor",)) - {"autograd.tensor"}
    assert reached <= {"autograd.dtypes", "autograd.versions", "autograd.mode",
                       "autograd.torch_keywords"}, sorted(reached)


# ----------------------------------------------------------------- what is attached
def test_attached_methods_have_their_names_docstrings_and_module():
    assert Tensor.sin.__doc__ == "autograd.sin(self)."
    assert Tensor.sin.__qualname__ == "Tensor.sin"
    assert Tensor.sum.__qualname__ == "Tensor.sum"  # (torch_aliases' wrapper)
    assert Tensor.backward.__qualname__ == "Tensor.backward"
    assert inspect.getsourcefile(Tensor.sin).endswith("autograd/methods.py")
    assert inspect.getsourcefile(Tensor.add_).endswith("autograd/inplace.py")
    assert inspect.getsourcefile(Tensor.__array__).endswith("autograd/interop.py")
    assert inspect.getsourcefile(Tensor.backward).endswith("autograd/engine.py")
    assert inspect.getsourcefile(Tensor.T.fget).endswith("autograd/methods.py")
    assert list(inspect.signature(Tensor.sum).parameters) == ["self", "axis", "keepdims"]
    public = [(name, member.fget if isinstance(member, property) else member)
              for name, member in vars(Tensor).items() if not name.startswith("_")]
    undocumented = sorted(name for name, f in public if isinstance(f, FunctionType)
                          and not f.__doc__)
    assert undocumented == [], f"Tensor methods without a docstring: {undocumented}"


def test_attached_comparisons_keep_identity_hashing():
    # `==` is elementwise (attached from methods.py); a Tensor still hashes by identity
    t = Tensor([1.0, 2.0])
    assert (t == Tensor([1.0, 3.0])).data.tolist() == [True, False]
    assert Tensor.__hash__ is object.__hash__
    assert {t: 1}[t] == 1


def test_attach_refuses_a_name_the_class_defines():
    class Host:
        def shape(self) -> int:
            return 1

    class Twice:
        def shape(self) -> int:
            return 2

        def other(self) -> int:
            return 3

    with pytest.raises(TypeError, match=r"Host.shape is defined twice"):
        attach(Host, Twice)
    assert Host().shape() == 1
