"""The course's names for the tensors that have none of their own.

The data fed to the first layer is x, the labels fed to the loss y*, an affine layer's
output s = xW + b (s = hW + b further on), an activation's h = σ(s) (tanh, ReLU, ... alike),
the model's output ŷ and the loss L. What a module is comes from the module itself: a loss
says so (`graph_role = "loss"`, as nn's losses do), an affine layer too (`graph_role =
"affine"`, nn.Linear); a loss's op says what it turns the scores into (`prediction`, e.g.
"softmax" for SoftmaxCrossEntropy's). A name the user gave (Tensor(..., name=...)) or a
parameter's dotted name is always kept.
"""

from __future__ import annotations

from typing import Any, Optional

from autograd import Add, Affine, LogSoftmax, LogSumExp, MatMul, ReLU, Sigmoid, Softmax, \
    Step, Tanh
from autograd.function import Function
from autograd.tensor import Tensor

INPUT_NAME, LABEL_NAME, LOSS_NAME, OUTPUT_NAME = "x", "y*", "L", "ŷ"
# the course's symbol for each activation op: h = σ(s), h = tanh(s), ...
ACTIVATION_SYMBOLS = {Sigmoid: "σ", Tanh: "tanh", ReLU: "ReLU", Step: "H",
                      Softmax: "softmax", LogSoftmax: "log softmax"}
# what a loss made of these ops computes ŷ from the scores with
PREDICTIONS = {Sigmoid: "σ", LogSoftmax: "softmax", LogSumExp: "softmax"}


class _Roles:
    """Which ops belong to a loss and which to a layer, for one picture."""

    def __init__(self, model: Any, roots: list) -> None:
        self.model = {key for key, (name, _m) in model.module_names.items() if name}
        self.root_scopes = {id(r.grad_fn.scope) for r in roots if r.grad_fn is not None
                            and r.grad_fn.scope is not None and not r.shape}
        self.root_nodes = {id(r.grad_fn) for r in roots if r.grad_fn is not None
                           and not r.shape}
        self._loss_scope: dict = {}

    def is_loss_scope(self, scope: Any) -> bool:
        """A module that says it is a loss, or one outside the model that made the loss."""
        if scope is None:
            return False
        key = id(scope)
        if key not in self._loss_scope:
            self._loss_scope[key] = ((key in self.root_scopes and key not in self.model)
                                     or getattr(scope, "graph_role", None) == "loss")
        return self._loss_scope[key]

    def is_loss_op(self, node: Function) -> bool:
        return id(node) in self.root_nodes or self.is_loss_scope(node.scope)

    def is_layer_op(self, node: Function) -> bool:
        return node.scope is not None and not self.is_loss_scope(node.scope)


def name_tensors(model: Any, roots: list) -> None:
    """Give the tensors of `model` (a GraphModel) that have no name the course's names. Data
    fed to a layer is drawn in that layer's cluster, the labels in the loss's."""
    roles = _Roles(model, roots)
    items = list(model.tensors.values())
    for item in items:              # leaves first: a layer's formula names its input
        tensor = item.tensor
        if item.node is None and tensor is not None and item.scope is None:
            _name_leaf(item, roles)  # (a parameter of `module` already sits in its layer)
    for item in items:
        if item.node is not None and not item.label:
            _name_result(item, model, roles)


def _name_leaf(item: Any, roles: _Roles) -> None:
    # x (a layer's input data), y* (the labels of a loss), W and b (weights no module names)
    tensor = item.tensor
    for node, position in item.uses:
        first = _first_tensor(node)
        if (roles.is_loss_op(node) and not tensor.requires_grad and position != first
                and (tensor.dtype.kind in "iub" or tensor.ndim >= 1)):
            item.label, item.scope = item.label or LABEL_NAME, node.scope
            return
        if roles.is_layer_op(node) and position == first and tensor.dtype.kind == "f":
            item.label, item.scope = item.label or INPUT_NAME, node.scope
            return
        if roles.is_layer_op(node) and isinstance(node, Affine) and position in (1, 2):
            item.label = item.label or ("W" if position == 1 else "b")
            item.scope = node.scope
            return


def _name_result(item: Any, model: Any, roles: _Roles) -> None:
    # L for the loss; s = xW + b, h = σ(s), ŷ for what a layer computes
    node = item.node
    if item.role == "output" and not node.output_shape:
        item.label = LOSS_NAME
        return
    if not roles.is_layer_op(node):
        return
    scope = node.scope
    leaves_scope = item.role == "output" or any(use.scope is not scope for use, _ in item.uses)
    formula = _layer_formula(node, model, leaves_scope)
    if formula is None:
        return
    symbol, right = formula
    is_output = leaves_scope and (item.role == "output" or any(
        use.scope is None or roles.is_loss_op(use) for use, _ in item.uses))
    if not is_output:
        item.label = f"{symbol} = {right}" if right else symbol
    elif symbol == "h":
        item.label = f"{OUTPUT_NAME} = {right}"        # ŷ = σ(s): the output activation
    else:
        item.label = f"{symbol} = {right}"
        item.caption = _output_caption(item, roles)


def _first_tensor(node: Function) -> int:
    """The position of the op's first tensor argument (0 but for ops like Concatenate)."""
    if node.inputs is None:
        return 0
    return next((i for i, x in enumerate(node.inputs) if isinstance(x, Tensor)), 0)


def _layer_formula(node: Function, model: Any, leaves_scope: bool) -> Optional[tuple]:
    """(symbol, right-hand side) for the output of a layer's op: ("s", "xW + b"),
    ("h", "σ(s)"); the inner product of an unfused affine layer is ("xW", ""). None: no
    name."""
    affine_layer = getattr(node.scope, "graph_role", None) == "affine"
    if not leaves_scope:
        if isinstance(node, MatMul) and affine_layer:
            return f"{_input_symbol(node, model)}W", ""
        return None
    symbol = ACTIVATION_SYMBOLS.get(type(node))
    if symbol is not None:
        return "h", f"{symbol}(s)"
    if _elementwise(node):          # an activation of the user's own, e.g. Softplus
        return "h", f"{node.name.lower()}(s)"
    if isinstance(node, Affine):
        return "s", f"{_input_symbol(node, model)}W + b"
    if affine_layer and isinstance(node, MatMul):
        return "s", f"{_input_symbol(node, model)}W"
    if affine_layer and isinstance(node, Add):
        producer = _producer(node, 0)
        if isinstance(producer, MatMul):
            return "s", f"{_input_symbol(producer, model)}W + b"
    return None


def _elementwise(node: Function) -> bool:
    """One tensor in, one of its shape out: how an activation looks from outside."""
    if node.inputs is not None:
        tensors = [x for x in node.inputs if isinstance(x, Tensor)]
        return (len(tensors) == 1 and len(node.inputs) == 1
                and tensors[0].shape == node.output_shape)
    parents = node.parents()
    if len(node.needs_input_grad) != 1 or len(parents) != 1:
        return False
    parent = parents[0]
    shape = parent.output_shape if isinstance(parent, Function) else parent.shape
    return shape is not None and shape == node.output_shape


def producers(node: Function) -> dict:
    """{argument position: the op that made it} for the arguments the gradient flows to, as
    recorded (an argument changed in place since then has another grad_fn now)."""
    positions = [i for i, need in enumerate(node.needs_input_grad) if need]
    return {i: p for i, p in zip(positions, node.parents()) if isinstance(p, Function)}


def _producer(node: Function, position: int) -> Optional[Function]:
    """The op that made the node's argument `position` (None for a leaf or a constant)."""
    return producers(node).get(position)


def _input_symbol(node: Function, model: Any) -> str:
    """How a layer's formula names its input: h when an op made it, else the input's own
    short name (x, or the user's X)."""
    if _producer(node, 0) is not None:
        return "h"
    x = node.inputs[0] if node.inputs is not None else None
    item = model.tensors.get(id(x)) if isinstance(x, Tensor) else None
    label = item.label if item is not None else ""
    return label if label and len(label) <= 2 and label.isalpha() else INPUT_NAME


def _output_caption(item: Any, roles: _Roles) -> str:
    """What a model's last affine output is to the course: the scores s, from which the loss
    computes ŷ (the `prediction` its op declares: softmax, σ), else ŷ itself."""
    for use, _ in item.uses:
        if roles.is_loss_op(use):
            prediction = getattr(use, "prediction", None) or PREDICTIONS.get(type(use))
            if prediction:
                return f"the scores; {OUTPUT_NAME} = {prediction}(s) in the loss"
    return f"the output {OUTPUT_NAME} = s"
