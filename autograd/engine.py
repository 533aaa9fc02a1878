"""The backward pass: the nodes in topological order, then the chain rule at each node.

    order = topological_order(roots)             every node before the nodes it feeds on
    grads = {root's node: ∂L/∂root}
    for node in order:
        g = grads.pop(node)                      ∂L/∂(node's output), summed over its uses
        for parent, gx in zip(edges, node.backward(g)):
            grads[parent] += gx                  ∂L/∂input = g · ∂output/∂input
    leaf.grad += grads[leaf]                     what reached the leaves

The extras are named calls into their own modules, each costing nothing when off: in-place
changes (versions.check_graph), hooks, retain_grad and grad()'s wanted tensors
(hooks.observe), anomaly detection (anomaly.check_finite), and arrays instead of Tensors
when the pass records nothing (`derivative`).
"""

from __future__ import annotations

import gc
from operator import attrgetter
from typing import Any, Callable, Iterable, Optional, Sequence, Union

import numpy as np

from autograd import anomaly, hooks, mode, version_check, versions
from autograd.function import RELEASED_GRAPH_MESSAGE, Function
from autograd.tensor import Tensor

Tensors = Union[Tensor, Sequence[Tensor]]
Report = Callable[[Function, Any, tuple], None]
_sequence = attrgetter("sequence")
_inputs = attrgetter("inputs")
_ndarray = np.ndarray


def topological_order(roots: Iterable[Function]) -> list:
    """The nodes reachable from `roots`, each before every node it feeds on.

    A node is always created after the nodes that made its inputs, so the reachable nodes
    sorted newest first (by `node.sequence`, the order `apply` recorded them in) are a
    topological order. One walk to collect them and one sort: no recursion, so a graph
    10^5 nodes deep is fine, and linear time on a chain, whose walk already comes out sorted.
    """
    nodes = []
    seen: set = set()
    for root in roots:
        if root not in seen:
            seen.add(root)
            nodes.append(root)
    stack = list(nodes)
    while stack:
        for parent in stack.pop()._edges:  # recorded by apply, kept after release
            if isinstance(parent, Function) and parent not in seen:
                seen.add(parent)
                nodes.append(parent)
                stack.append(parent)
    nodes.sort(key=_sequence, reverse=True)
    return nodes


def backward(tensors: Tensors, grad_tensors: Optional[Sequence[Any]] = None,
             retain_graph: bool = False, create_graph: bool = False) -> None:
    """Accumulate the gradients of `tensors` into the `.grad` of the leaves they depend on."""
    roots = _as_list(tensors)
    grads = _run(roots, _seeds(roots, grad_tensors, create_graph), retain_graph or create_graph,
                 create_graph)
    _into_leaves(grads, create_graph)


def grad(outputs: Tensors, inputs: Tensors, grad_outputs: Optional[Sequence[Any]] = None,
         retain_graph: Optional[bool] = None, create_graph: bool = False,
         allow_unused: bool = False) -> tuple:
    """The gradients of `outputs` with respect to `inputs`, returned; `.grad` is untouched.

    With `create_graph=True` the returned gradients are themselves part of a graph, so they
    can be differentiated again.
    """
    roots = _as_list(outputs)
    wanted = _as_list(inputs)
    for t in wanted:
        if not t.requires_grad:
            raise RuntimeError("grad(): one of the inputs does not require grad")
    found: dict = {}
    grads = _run(roots, _seeds(roots, grad_outputs, create_graph),
                 create_graph if retain_graph is None else retain_graph, create_graph,
                 hooks.Wanted(wanted, found))
    result = []
    for i, t in enumerate(wanted):
        g = found.get(id(t)) if t.grad_fn is not None else grads.get(t)
        if g is None and not allow_unused:
            raise RuntimeError(
                f"grad(): input {i} (shape {t.shape}) is not used to compute the outputs; "
                "pass allow_unused=True to get None for it")
        if g is not None and type(g) is not Tensor:
            g = Tensor._make(np.asarray(g))
        if g is not None and t.grad_fn is None and t._hooks:
            g = hooks.run(t._hooks, g)
        result.append(g)
    return tuple(result)


def walk(roots: Sequence[Tensor], grad_outputs: Optional[Sequence[Any]] = None,
         report: Optional[Report] = None) -> None:
    """The backward pass once more, for pictures: the graph is kept, no `.grad` is written,
    no hook runs. After each node (in backward order) it calls `report(node, grad_output,
    input_grads)`: the Tensor gradient summed at the node's output (None if none reached
    it) and one gradient (Tensor or None) per parent, aligned with `node.parents()`."""
    roots = list(roots)
    if grad_outputs is None:
        grad_outputs = [np.ones(r.shape, dtype=r.dtype) for r in roots]
    _run(roots, _seeds(roots, grad_outputs, False), True, False, None, report)


def _as_list(tensors: Tensors) -> list:
    return [tensors] if isinstance(tensors, Tensor) else list(tensors)


def _seeds(roots: list, grads: Optional[Sequence[Any]], create_graph: bool) -> list:
    """∂L/∂root for each root: ones for a scalar, else the gradient given (copied, so the
    user's array never becomes a leaf's .grad); Tensors under create_graph, else arrays."""
    if grads is not None and isinstance(grads, (Tensor, np.ndarray)):
        grads = [grads]
    if grads is not None and len(grads) != len(roots):
        raise ValueError(f"got {len(grads)} gradients for {len(roots)} outputs")
    seeds = []
    for i, root in enumerate(roots):
        if not root.requires_grad:
            raise RuntimeError(
                f"output {i} does not require grad and has no grad_fn: nothing to differentiate "
                "(did you compute it under no_grad(), or from tensors without requires_grad?)")
        g = None if grads is None else grads[i]
        if g is None:
            if root.data.size != 1:
                raise RuntimeError(
                    f"backward() on a non-scalar tensor needs a gradient of shape {root.shape}: "
                    f"call backward(grad) with grad of shape {root.shape} (the gradient of the "
                    "final scalar with respect to this tensor)")
            # (np.array for the usual 0-d loss: np.ones runs a Python layer)
            g = (np.array(1, dtype=root.dtype) if root.data.ndim == 0
                 else np.ones(root.shape, dtype=root.dtype))
        elif create_graph and isinstance(g, Tensor) and g.requires_grad:
            # part of the graph being built (as in PyTorch): the result can be differentiated
            # with respect to it; `* 1` is a recorded copy, so no leaf's .grad aliases it
            _check_seed_shape(root, g)
            seeds.append((g if g.dtype == root.dtype else g.astype(root.dtype)) * 1.0)
            continue
        else:
            g = np.array(g.data if isinstance(g, Tensor) else g, dtype=root.dtype)
            _check_seed_shape(root, g)
        seeds.append(Tensor._make(g) if create_graph else g)
    return seeds


def _check_seed_shape(root: Tensor, g: Any) -> None:
    if g.shape != root.shape:
        raise ValueError(f"backward(): the gradient must have the output's shape {root.shape}, "
                         f"got shape {g.shape}")


def _run(roots: list, seeds: list, retain_graph: bool, create_graph: bool,
         wanted: Optional[hooks.Wanted] = None, report: Optional[Report] = None) -> dict:
    """The backward pass: returns {leaf: its gradient} (arrays, or Tensors under
    create_graph) for the leaves reached."""
    order = topological_order([r.grad_fn for r in roots if r.grad_fn is not None])
    if None in map(_inputs, order):  # checked before any work, so nothing is half done
        raise RuntimeError(RELEASED_GRAPH_MESSAGE)
    if order and order[-1].sequence < versions.last_change:
        version_check.check_graph(order)  # something changed in place since a node was recorded
    grads: dict = {}  # node or leaf -> the gradient of its output, summed over its uses
    for root, g in zip(roots, seeds):
        _add(grads, root.grad_fn or root, g)
    observed = hooks.observed(order, wanted, report is None)
    anomalous = mode.current().anomaly_enabled
    # The pass allocates many short-lived, acyclic objects that reference counting frees at
    # once; the cyclic collector would only re-walk the (possibly huge) graph meanwhile.
    collecting = gc.isenabled()
    gc.disable()
    try:
        with mode.backward_mode(create_graph):
            for node in order:
                g = grads.pop(node, None)
                if g is not None:
                    if observed and node in observed:
                        g = observed[node](g)
                    # the chain rule: the node's local derivative applied to g, summed into
                    # the gradients of its inputs
                    input_grads = derivative(node, g, not create_graph)
                    if anomalous:
                        anomaly.check_backward(node, input_grads)
                    for parent, gx in zip(node._edges, input_grads):
                        if parent is not None and gx is not None:
                            previous = grads.get(parent)
                            grads[parent] = gx if previous is None else _sum(previous, gx)
                if report is not None:
                    _report(report, node, g, input_grads if g is not None else None)
                if not retain_graph:
                    node.release(g)
    finally:
        if collecting:
            gc.enable()
    return grads


def derivative(node: Function, grad: Any, raw: bool) -> tuple:
    """The node's local derivative applied to `grad`: one gradient (or None) per input, each
    of its input's shape and dtype. With `raw` (nothing recorded) the formula runs on arrays:
    its inputs' and saved arrays, for a built-in op (array_safe); a Function of a user's gets
    Tensors, its results turned back into arrays."""
    if raw and node.array_safe:
        tensors = node.inputs
        node.inputs = node._arrays  # saved_tensors then hands back the saved arrays too
        try:
            result = node.backward(node, grad)
        finally:
            node.inputs = tensors
    elif raw:  # (grad mode is off for the pass: its Tensor ops record nothing)
        result = node.backward(node, Tensor._make(grad))
    else:
        result = node.backward(node, grad)
    if type(result) is not tuple:
        result = (result,)
    return _checked(node, result, raw) if node.check_gradients else result


def _checked(node: Function, result: tuple, raw: bool) -> tuple:
    """A formula's gradients made sure: one per input, each an array (a Tensor under
    create_graph) of its input's shape and dtype, or None where no gradient is needed."""
    if len(result) != len(node._arrays):
        raise RuntimeError(f"{node.name}.backward returned {len(result)} gradients for "
                           f"{len(node._arrays)} inputs")
    kind = _ndarray if raw else Tensor
    checked = []
    for x, gx, edge in zip(node._arrays, result, node._edges):
        if edge is None or gx is None:
            gx = None
        elif type(gx) is not kind or gx.shape != x.shape or gx.dtype != x.dtype:
            gx = _checked_input_grad(node, x, gx, raw)
        checked.append(gx)
    return tuple(checked)


def _checked_input_grad(node: Function, x: np.ndarray, gx: Any, raw: bool) -> Any:
    # A backward returned a numpy scalar (numpy's 0-d results), a Tensor in place of an
    # array (or the reverse), another dtype, or a wrong shape.
    i = next(i for i, a in enumerate(node._arrays) if a is x)
    data = np.asarray(gx.data if isinstance(gx, Tensor) else gx)
    if data.shape != x.shape:
        raise RuntimeError(f"{node.name}.backward returned a gradient of shape {data.shape} "
                           f"for input {i} of shape {x.shape}")
    if raw:
        return data if data.dtype == x.dtype else data.astype(x.dtype)
    gx = gx if isinstance(gx, Tensor) else Tensor._make(data)
    return gx if gx.dtype == x.dtype else gx.astype(x.dtype)


def _sum(previous: Any, g: Any) -> Any:
    # A tensor used on several paths receives the sum over all of them (never in place: the
    # same gradient may have been handed to several inputs). numpy adds two 0-d arrays into
    # a numpy scalar, which is no array: a 0-d parameter used twice would get one.
    total = previous + g
    return np.asarray(total) if isinstance(total, np.generic) else total


def _add(grads: dict, key: Any, g: Any) -> None:
    previous = grads.get(key)
    grads[key] = g if previous is None else _sum(previous, g)


def _report(report: Report, node: Function, g: Any, input_grads: Any) -> None:
    edges = [i for i, e in enumerate(node._edges) if e is not None]
    grads = (None,) * len(edges) if input_grads is None else tuple(
        _as_tensor(input_grads[i]) for i in edges)
    report(node, _as_tensor(g), grads)


def _as_tensor(value: Any) -> Any:
    return value if value is None or isinstance(value, Tensor) else Tensor._make(value)


def _into_leaves(grads: dict, create_graph: bool) -> None:
    """What reached each leaf, after its hooks, accumulated into its `.grad`."""
    owners: set = set()  # id() of the memory each new .grad uses (its array's base, or itself)
    for leaf, g in grads.items():  # every node was popped: what is left are leaves
        if type(g) is not Tensor:
            g = Tensor._make(g if type(g) is _ndarray else np.asarray(g))  # (a 0-d scalar)
        if leaf._hooks:
            g = hooks.run(leaf._hooks, g)
        if leaf._grad is not None:
            leaf._grad = leaf._grad + g
            continue
        # Each leaf gets a .grad of its own: Add hands one gradient to both inputs, and an
        # in-place change to one .grad must not show up in another; and a broadcast
        # gradient (a sum's) is a read-only view, while `.grad.zero_()` and `.grad += ...`
        # must work.
        data = g.data
        owner = id(data if data.base is None else data.base)
        if owner in owners or not data.flags.writeable:
            g = g * 1.0 if create_graph else Tensor._make(data.copy())
        else:
            owners.add(owner)
        leaf._grad = g


__all__ = ["RELEASED_GRAPH_MESSAGE", "backward", "derivative", "grad", "topological_order",
           "walk"]


# t.backward(), a method of Tensor: attached here, as the engine is above the Tensor
def _tensor_backward(self: Tensor, grad: Any = None, retain_graph: bool = False,
                     create_graph: bool = False) -> None:
    """Accumulate d(self)/d(leaf) into the `.grad` of every leaf that requires grad.

    `grad` is the gradient flowing into this tensor; it may be left out for a scalar.
    """
    backward([self], None if grad is None else [grad], retain_graph=retain_graph,
             create_graph=create_graph)


_tensor_backward.__name__, _tensor_backward.__qualname__ = "backward", "Tensor.backward"
Tensor.backward = _tensor_backward  # type: ignore[attr-defined]
