"""The graph model: the tensors, ops and edges of the autograd graph, as a picture draws them.

`collect` walks the graph that produced the roots, as the engine records it, and keeps, for
each tensor, its role (parameter, constant, intermediate value or output), its name (its own,
a parameter's dotted name, else the course's, see viz.names) and the ops it is fed to; for
each op its arguments; for each edge which operand of its op it is. A tensor is keyed by its
node when an op made it (the tensor itself may be gone after a release) and by itself when
it is a leaf.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Optional

from autograd.function import Function
from autograd.tensor import Tensor
from viz import describe, names


@dataclass
class TensorNode:
    """A tensor of the picture: a box."""

    dot_id: str
    role: str                       # "param", "const", "value" or "output"
    tensor: Optional[Tensor]        # None when only the shape survived (a released graph)
    node: Optional[Function]        # the op that made it; None for a leaf
    label: str                      # its name ("" for none)
    scope: Any = None               # the module it is drawn in
    caption: str = ""               # a second line under the name, e.g. "ŷ = softmax(s)"
    uses: list = field(default_factory=list)    # (op node, argument index) it is fed to

    @property
    def shape(self) -> Optional[tuple]:
        return self.tensor.shape if self.tensor is not None else self.node.output_shape

    @property
    def dtype(self) -> Any:
        return self.tensor.dtype if self.tensor is not None else self.node.output_dtype


@dataclass
class OpNode:
    """An op of the picture: an ellipse."""

    dot_id: str
    node: Function
    args: str                       # the op's non-tensor arguments, e.g. "axis=1"

    @property
    def name(self) -> str:
        return self.node.name


@dataclass
class Edge:
    """Forward, input -> op -> output; `operand` says which operand of the op it is."""

    tail: str
    head: str
    operand: str = ""


@dataclass
class GraphModel:
    """What `collect` found: the picture's nodes and edges, and what to say about them."""

    tensors: dict = field(default_factory=dict)     # key -> TensorNode
    ops: dict = field(default_factory=dict)         # id(node) -> OpNode
    edges: list = field(default_factory=list)       # Edge, in the order found
    expected: dict = field(default_factory=dict)    # key -> gradient contributions to expect
    cut: list = field(default_factory=list)         # dot_ids whose neighbours were left out
    omitted: int = 0
    released: bool = False
    notes: list = field(default_factory=list)
    module_names: dict = field(default_factory=dict)  # id(module) -> (dotted name, module)
    steps: dict = field(default_factory=dict)       # id(node) -> its backward step (1, 2, ...)
    keep_alive: list = field(default_factory=list)  # ids are keys: the objects must outlive it

    def tensor(self, label: str) -> TensorNode:
        """The one tensor named `label`."""
        found = [t for t in self.tensors.values() if t.label == label]
        if len(found) != 1:
            raise KeyError(f"{len(found)} tensors are named {label!r}")
        return found[0]

    def ops_named(self, name: str) -> list:
        """The ops of class `name`, in the order found (nearest the roots first)."""
        return [op for op in self.ops.values() if op.name == name]


def key_of(x: Tensor) -> int:
    """The key of a tensor in a GraphModel: its node when an op made it, else itself."""
    return id(x.grad_fn) if x.grad_fn is not None else id(x)


def collect(roots: list, module: Any = None, max_nodes: Optional[int] = None) -> GraphModel:
    """Walk the graph breadth-first from the roots (iteratively: any depth is fine), keeping
    the first `max_nodes` nodes, so that a cut keeps the part nearest the loss."""
    collector = _Collector(module, max_nodes)
    model = collector.walk(roots)
    names.name_tensors(model, roots)
    if model.omitted:
        model.notes.append(f"{model.omitted} more nodes not drawn (max_nodes={max_nodes}): "
                           "the picture shows the part nearest the output")
    if model.released:
        model.notes.append("graph released by backward(): the values of intermediate tensors "
                           "and the constants were freed (only shapes are shown). To see "
                           "them, draw before backward, or call backward(retain_graph=True)")
    return model


class _Collector:
    """One breadth-first walk, building a GraphModel."""

    def __init__(self, module: Any, max_nodes: Optional[int]) -> None:
        self.model = GraphModel()
        self.param_names: dict = {}
        if module is not None:
            self.model.module_names = {id(m): (name, m) for name, m in module.named_modules()}
            self.param_names = {id(p): name for name, p in module.named_parameters()}
        self.budget = math.inf if max_nodes is None else max(int(max_nodes), 1)
        self.count = 0
        self.queue: deque = deque()
        self.seen: set = set()

    def new_id(self, prefix: str) -> str:
        self.count += 1
        return f"{prefix}{self.count}"

    def room(self) -> bool:
        return len(self.model.tensors) + len(self.model.ops) < self.budget

    def walk(self, roots: list) -> GraphModel:
        for r in roots:
            self.tensor_node(key_of(r), r, r.grad_fn, "output")
            self.enqueue(r.grad_fn)
        while self.queue:
            self.visit(self.queue.popleft())
        model = self.model
        model.tensors = {k: v for k, v in model.tensors.items() if v is not None}
        model.cut = list(dict.fromkeys(model.cut))
        return model

    def enqueue(self, node: Optional[Function]) -> None:
        if node is not None and id(node) not in self.seen:
            self.seen.add(id(node))
            self.queue.append(node)

    def tensor_node(self, key: int, tensor: Optional[Tensor], node: Optional[Function],
                    role: str) -> Optional[TensorNode]:
        """The tensor's node, made on first sight; None when it did not fit (counted once)."""
        model = self.model
        if key in model.tensors:
            return model.tensors[key]
        if not self.room():
            model.omitted += 1
            model.tensors[key] = None   # dropped after the walk
            return None
        model.keep_alive.append(tensor if tensor is not None else node)
        if role != "output":
            role = "value" if node is not None else \
                "param" if tensor.requires_grad else "const"
        label, scope = "", node.scope if node is not None else None
        if tensor is not None and id(tensor) in self.param_names:
            label = self.param_names[id(tensor)]
            owner = label.rpartition(".")[0]
            scope = next((m for n, m in model.module_names.values() if n == owner), None)
        elif tensor is not None and tensor.name:
            label = str(tensor.name)
        item = TensorNode(self.new_id("t"), role, tensor, node, label, scope)
        model.tensors[key] = item
        return item

    def visit(self, node: Function) -> None:
        """Draw the op (if it fits) and its edges; queue the ops that made its inputs."""
        model = self.model
        out = model.tensors.get(id(node))
        op = None
        if out is not None and self.room():
            model.keep_alive.append(node)
            op = OpNode(self.new_id("op"), node, describe.arguments(node))
            model.ops[id(node)] = op
            model.edges.append(Edge(op.dot_id, out.dot_id))
        else:
            model.omitted += 1
            if out is not None:
                model.cut.append(out.dot_id)
        inputs = _inputs(node)
        model.released = model.released or (node.inputs is None and node.released)
        labels = describe.operand_labels(node, [i for _t, _p, i, _n in inputs]) if op else None
        for tensor, producer, position, need in inputs:
            key, item = self.input_node(tensor, producer)
            if need:
                model.expected[key] = model.expected.get(key, 0) + 1
            if item is not None:
                item.uses.append((node, position))
            if op is not None and item is not None:
                label = labels[position] if labels and position < len(labels) else ""
                model.edges.append(Edge(item.dot_id, op.dot_id, label or ""))
            elif op is not None and item is None and out is not None:
                model.cut.append(op.dot_id)

    def input_node(self, tensor: Optional[Tensor], producer: Any) -> tuple:
        """(key, node) of an op's input: the output of `producer` (a Function) or a leaf."""
        if isinstance(producer, Function):
            self.enqueue(producer)
            return id(producer), self.tensor_node(id(producer), tensor, producer, "value")
        leaf = producer if isinstance(producer, Tensor) else tensor
        return id(leaf), self.tensor_node(id(leaf), leaf, None, "leaf")


def _inputs(node: Function) -> list:
    """(tensor, the op that made it or the leaf, argument position, needs grad) of each
    tensor argument. Only the edges survive a release: the inputs that required grad, in
    the order of the arguments (needs_input_grad says which argument each one was)."""
    if node.inputs is None:
        positions = [i for i, need in enumerate(node.needs_input_grad) if need]
        return [(p.output if isinstance(p, Function) else p, p, i, True)
                for p, i in zip(node.parents(), positions)]
    made_by = names.producers(node)
    return [(x, made_by.get(i), i, node.needs_input_grad[i])
            for i, x in enumerate(node.inputs) if isinstance(x, Tensor)]
