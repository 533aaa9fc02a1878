"""Grouping by module: the cluster each node is drawn in, and the collapsed view's boxes.

A module is anything with `named_modules()` and `named_parameters()` (an nn.Module, or a
duck-typed one); the ops it ran know it (`node.scope`, set while its forward runs). A leaf
module (one with no module below it) that ran ops is one box in the collapsed view, labelled
with its own short form (`short_repr()`, else `extra_repr()`, else its class).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

from viz.model import GraphModel
from viz.style import NAME_CHARS


@dataclass
class Cluster:
    """The box around the nodes of one module: "layers.0 (Linear)"."""

    dot_name: str                   # cluster_1, cluster_2, ...
    label: str
    parent: Optional[int]           # the key of the enclosing cluster; None: top level


class Clusters:
    """The clusters of one picture, made as nodes ask for them (first asked, first made)."""

    def __init__(self, model: GraphModel) -> None:
        self.model = model
        self.found: dict = {}       # id(module) -> Cluster

    def key_of(self, scope: Any) -> Optional[int]:
        """The key of the cluster `scope`'s nodes are drawn in (None: the top level; the
        root module's ops sit at the top level too)."""
        if scope is None:
            return None
        key = id(scope)
        if key in self.found:
            return key
        name, _ = self.model.module_names.get(key, (None, scope))
        if name == "":
            return None
        parent = self._parent(name) if name else None
        label = f"{name} ({type(scope).__name__})" if name else type(scope).__name__
        self.found[key] = Cluster(f"cluster_{len(self.found) + 1}", label, parent)
        return key

    def _parent(self, name: str) -> Optional[int]:
        # the cluster of the nearest enclosing module that has a name
        owner = name.rpartition(".")[0]
        while owner:
            module = owner_module(self.model, owner)
            if module is not None:
                return self.key_of(module)
            owner = owner.rpartition(".")[0]
        return None


def owner_module(model: GraphModel, name: str) -> Any:
    """The module of `model` with this dotted name, or None."""
    return next((m for n, m in model.module_names.values() if n == name), None)


@dataclass
class Box:
    """One call of a leaf module in the collapsed view: its ops drawn as a single box."""

    dot_id: str
    module: Any
    name: Optional[str]             # dotted name under `module`; None for a module outside it
    call: int                       # 1, 2, ...: which call of the module this box is
    nodes: list = field(default_factory=list)       # its ops, in forward order
    inputs: dict = field(default_factory=dict)      # tensor key -> shape, coming in
    outputs: dict = field(default_factory=dict)     # tensor key -> shape, going out
    calls: int = 1
    params: list = field(default_factory=list)      # its parameters, each once


def collapse(model: GraphModel) -> tuple:
    """The boxes of the collapsed view: the model's ops in forward order, each run of
    consecutive ops of one leaf module one box (a module called twice gets two). Returns
    (boxes, box of each node id)."""
    is_leaf = _LeafModules(model)
    known = {key: name for key, (name, _m) in model.module_names.items()}
    boxes: list = []
    box_of: dict = {}
    calls: dict = {}
    current: Optional[Box] = None
    for op in sorted(model.ops.values(), key=lambda op: op.node.sequence):
        scope = op.node.scope
        if not is_leaf(scope):
            current = None
            continue
        if current is None or current.module is not scope:
            calls[id(scope)] = calls.get(id(scope), 0) + 1
            current = Box(f"m{len(boxes) + 1}", scope, known.get(id(scope)), calls[id(scope)],
                          params=module_params(scope))
            boxes.append(current)
        current.nodes.append(op.node)
        box_of[id(op.node)] = current
    for box in boxes:
        box.calls = calls[id(box.module)]
    return boxes, box_of


class _LeafModules:
    """Whether a scope is a leaf module: no module of the model below it (a module outside
    the model, such as a loss, counts as one)."""

    def __init__(self, model: GraphModel) -> None:
        self.known = {key: name for key, (name, _m) in model.module_names.items()}
        self.names = set(self.known.values())
        self.leaf: dict = {}

    def __call__(self, scope: Any) -> bool:
        if scope is None:
            return False
        key = id(scope)
        if key not in self.leaf:
            name = self.known.get(key)
            prefix = f"{name}." if name else ""
            self.leaf[key] = name is None or not any(
                n != name and n.startswith(prefix) for n in self.names)
        return self.leaf[key]


def module_params(module: Any) -> list:
    """The module's parameters (its own and those of modules below it), each once."""
    try:
        found = {id(p): p for _name, p in module.named_parameters()}
    except (AttributeError, TypeError):
        return []
    return list(found.values())


def module_text(module: Any) -> str:
    """A module as its box names it: its class and its own short form of its settings,
    Linear(2→3), Conv2d(1→8, 5×5, pad 2), MaxPool2d(2×2), BatchNorm2d(8) (`short_repr()`,
    else `extra_repr()`), on one line and kept short."""
    kind = type(module).__name__
    describe = getattr(module, "short_repr", None) or getattr(module, "extra_repr", None)
    text = ""
    if callable(describe):
        try:
            text = str(describe()).replace("\n", " ")
        except Exception:       # a module whose repr fails must not break the picture
            text = ""
    if len(text) > NAME_CHARS:
        text = text[:NAME_CHARS - 1] + "…"
    return f"{kind}({text})" if text else kind
