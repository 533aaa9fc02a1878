"""The backward pass: topological order of the graph, then one local derivative per node."""

from __future__ import annotations

import gc
from operator import attrgetter
from typing import Any, Iterable, Optional, Sequence, Union

import numpy as np

from autograd import mode, versions
from autograd.function import RELEASED_GRAPH_MESSAGE, Function, _check_finite
from autograd.tensor import Tensor, check_gradient

Tensors = Union[Tensor, Sequence[Tensor]]
_sequence = attrgetter("sequence")


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
        node = stack.pop()
        for parent in node._parents:  # recorded by apply (and kept after release)
            if parent not in seen and isinstance(parent, Function):
                seen.add(parent)
                nodes.append(parent)
                stack.append(parent)
    nodes.sort(key=_sequence, reverse=True)
    return nodes


def backward(tensors: Tensors, grad_tensors: Optional[Sequence[Any]] = None,
             retain_graph: bool = False, create_graph: bool = False) -> None:
    """Accumulate the gradients of `tensors` into the `.grad` of the leaves they depend on."""
    roots = _as_list(tensors)
    _run(roots, _root_grads(roots, grad_tensors, create_graph), retain_graph or create_graph,
         create_graph, wanted=None)


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
    if retain_graph is None:
        retain_graph = create_graph
    found = _run(roots, _root_grads(roots, grad_outputs, create_graph), retain_graph,
                 create_graph, wanted)
    result = []
    for i, t in enumerate(wanted):
        g = found.get(id(t))
        if g is None and not allow_unused:
            raise RuntimeError(
                f"grad(): input {i} (shape {t.shape}) is not used to compute the outputs; "
                "pass allow_unused=True to get None for it")
        result.append(g)
    return tuple(result)


def _as_list(tensors: Tensors) -> list:
    return [tensors] if isinstance(tensors, Tensor) else list(tensors)


def _root_grads(roots: list, grads: Optional[Sequence[Any]], create_graph: bool) -> list:
    if grads is not None and isinstance(grads, (Tensor, np.ndarray)):
        grads = [grads]
    if grads is not None and len(grads) != len(roots):
        raise ValueError(f"got {len(grads)} gradients for {len(roots)} outputs")
    result = []
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
            g = Tensor._make(np.array(1, dtype=root.dtype) if root.data.ndim == 0
                             else np.ones(root.shape, dtype=root.dtype))
        elif create_graph and isinstance(g, Tensor) and g.requires_grad:
            # part of the graph being built (as in PyTorch): the result can be differentiated
            # with respect to it; `* 1` is a recorded copy, so no leaf's .grad aliases it
            if g.shape != root.shape:
                raise ValueError(
                    f"backward(): the gradient must have the output's shape {root.shape}, "
                    f"got shape {g.shape}")
            g = (g if g.dtype == root.dtype else g.astype(root.dtype)) * 1.0
        else:
            # copied: the user's array must not become (or alias) a leaf's .grad
            g = Tensor(np.array(g.data if isinstance(g, Tensor) else g, dtype=root.dtype))
            if g.shape != root.shape:
                raise ValueError(
                    f"backward(): the gradient must have the output's shape {root.shape}, "
                    f"got shape {g.shape}")
        result.append(g)
    return result


def _run(roots: list, root_grads: list, retain_graph: bool, create_graph: bool,
         wanted: Optional[list]) -> dict:
    """The backward pass. With `wanted`, returns {id(tensor): grad} for those tensors and
    leaves `.grad` alone; otherwise accumulates into the leaves' `.grad`."""
    # The pass allocates many short-lived, acyclic objects that reference counting frees at
    # once; letting the cyclic collector run meanwhile only re-walks the (possibly huge)
    # graph again and again, which made backward superlinear in the graph's size.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _backward_pass(roots, root_grads, retain_graph, create_graph, wanted)
    finally:
        if collecting:
            gc.enable()


def _backward_pass(roots: list, root_grads: list, retain_graph: bool, create_graph: bool,
                   wanted: Optional[list]) -> dict:
    order = topological_order([r.grad_fn for r in roots if r.grad_fn is not None])
    last_change = versions.last_change
    for node in order:  # checked before any work, so nothing is half done
        if node.inputs is None:
            raise RuntimeError(RELEASED_GRAPH_MESSAGE)
        if node.sequence < last_change:  # something changed in place since node was recorded
            _check_versions(node)
    wanted_nodes = {} if wanted is None else {t.grad_fn: t for t in wanted
                                              if t.grad_fn is not None}
    found: dict = {}
    # Without create_graph the pass works on raw arrays: gradients are ndarrays, array-safe
    # formulas get arrays, and Tensors appear only where a user sees them (hooks, retained
    # and returned gradients, .grad) or where a Function wants them.
    raw = not create_graph
    grads: dict = {}  # node -> the gradient of the tensor it produced, summed over paths
    # leaf -> its gradient summed over paths (Tensors hash by identity, and a dict finds a
    # key by identity before it would call the elementwise ==)
    leaf_grads: dict = {}
    for root, g in zip(roots, root_grads):
        _accumulate(grads, leaf_grads, root, g.data if raw else g)

    modes = mode.current()
    anomaly = modes.anomaly_enabled
    was_enabled, was_in_backward = modes.grad_enabled, modes.in_backward
    # set directly, not through set_grad_enabled: the pass restores both in its finally
    modes.grad_enabled = create_graph
    modes.in_backward = raw
    try:
        for node in order:
            g = grads.pop(node, None)
            if g is not None:
                if node._hooks or node._retained is not None or wanted_nodes:
                    g = _seen_by_user(node, g, raw, wanted, wanted_nodes, found)
                # One step of the chain rule: the node's local derivative applied to g, and
                # the results added to the gradients of its inputs.
                inputs = node.inputs
                if not raw:
                    input_grads = node.backward(node, g)
                elif node.array_safe:  # _raw_backward, inlined for the common case
                    arrays = []
                    for a in inputs:
                        arrays.append(a.data if isinstance(a, Tensor) else a)
                    node.inputs = arrays  # a list: saved_tensors then hands back arrays
                    try:
                        input_grads = node.backward(node, g)
                    finally:
                        node.inputs = inputs
                else:
                    input_grads = _raw_backward(node, g)
                if type(input_grads) is not tuple:
                    input_grads = (input_grads,)
                if len(input_grads) != len(inputs):
                    raise RuntimeError(f"{node.name}.backward returned {len(input_grads)} "
                                       f"gradients for {len(inputs)} inputs")
                parents = iter(node._parents)  # one per input that needs a gradient
                for x, gx, needed in zip(inputs, input_grads, node.needs_input_grad):
                    if not needed:
                        continue
                    parent = next(parents)
                    if gx is None:
                        continue
                    if raw:
                        data = x.data
                        if (type(gx) is not np.ndarray or gx.shape != data.shape
                                or gx.dtype is not data.dtype):
                            gx = _checked_input_grad(node, x, gx).data
                    elif (type(gx) is not Tensor or gx.data.shape != x.data.shape
                            or gx.data.dtype is not x.data.dtype):
                        gx = _checked_input_grad(node, x, gx)
                    if anomaly:
                        _check_finite(node, f"backward (gradient for input {_index(node, x)})",
                                      gx if raw else gx.data)
                    # _accumulate, inlined: the parent is a node, or a leaf tensor
                    store = grads if isinstance(parent, Function) else leaf_grads
                    previous = store.get(parent)
                    store[parent] = gx if previous is None else _sum(previous, gx)
            # else: no gradient reached this node (its consumers returned None for it)
            if not retain_graph:
                # node.release(), inlined: its parents() are cached already, and the gradient
                # tells the output's shape without looking the output up
                if g is not None:  # (an array or a Tensor: both have shape and dtype)
                    node._released_shape = g.shape
                    node._released_dtype = g.dtype
                else:
                    node._remember_output(None)
                node.inputs = None
                node._saved = ()
    finally:
        modes.grad_enabled = was_enabled
        modes.in_backward = was_in_backward

    wanted_ids = None if wanted is None else {id(t) for t in wanted}
    owners: set = set()  # id() of the memory each new .grad uses (its array's base, or itself)
    for leaf, g in leaf_grads.items():
        if raw:
            g = Tensor._make(g)
        if leaf._hooks:
            g = _run_hooks(leaf._hooks, g)
        if wanted_ids is None:
            if leaf._grad is None:
                # Each leaf gets a .grad of its own: Add hands one gradient to both inputs,
                # and an in-place change to one .grad must not show up in another; and a
                # broadcast gradient (a sum's) is a read-only view, while `.grad.zero_()` and
                # `.grad += ...` must work.
                data = g.data
                base = data.base
                owner = id(data if base is None else base)
                if owner in owners or not data.flags.writeable:
                    g = g * 1.0 if create_graph else Tensor._make(data.copy())
                else:
                    owners.add(owner)
                leaf._grad = g
            else:
                leaf._grad = leaf._grad + g
        elif id(leaf) in wanted_ids:
            found[id(leaf)] = g
    return found


def _seen_by_user(node: Function, g: Any, raw: bool, wanted: Optional[list],
                  wanted_nodes: dict, found: dict) -> Any:
    """Hooks, a retained .grad and autograd.grad see the gradient of a non-leaf as a Tensor
    (a hook may replace it); the pass goes on with the result."""
    t = Tensor._make(g) if raw else g
    if node._hooks:
        t = _run_hooks(node._hooks, t)
    if node._retained is not None and wanted is None:
        _retain(node, t)
    if wanted_nodes and node in wanted_nodes:
        found[id(wanted_nodes[node])] = t
    return t.data if raw else t


def _raw_backward(node: Function, g: np.ndarray) -> Any:
    """The node's backward formula on arrays: given its inputs' arrays and its saved arrays
    when it is array-safe, else (a Function of a user's) on Tensors, its results turned back
    into arrays."""
    if not node.array_safe:
        result = node.backward(node, Tensor._make(g))
        if type(result) is not tuple:
            result = (result,)
        return tuple(r.data if isinstance(r, Tensor) else r for r in result)
    tensors = node.inputs
    arrays = []  # (not kept by apply: one more object per node for the cyclic GC to walk)
    for a in tensors:
        arrays.append(a.data if isinstance(a, Tensor) else a)
    node.inputs = arrays  # a list: saved_tensors then hands back the saved arrays
    try:
        return node.backward(node, g)
    finally:
        node.inputs = tensors


def _accumulate(grads: dict, leaf_grads: dict, x: Tensor, g: Any) -> None:
    # A tensor used on several paths receives the sum over all of them (never in place:
    # the same gradient tensor may have been handed to several inputs).
    node = x.grad_fn
    if node is not None:
        previous = grads.get(node)
        grads[node] = g if previous is None else _sum(previous, g)
    else:
        previous = leaf_grads.get(x)
        leaf_grads[x] = g if previous is None else _sum(previous, g)


def _sum(previous: Any, g: Any) -> Any:
    # numpy adds two 0-d arrays into a numpy scalar (np.float32), which is no array: a
    # 0-d parameter used twice would get one as its gradient
    total = previous + g
    return np.asarray(total) if isinstance(total, np.generic) else total


def _retain(node: Function, g: Tensor) -> None:
    tensor = node._retained()
    if tensor is not None:
        tensor._grad = g if tensor._grad is None else tensor._grad + g


def _checked_input_grad(node: Function, x: Tensor, gx: Any) -> Tensor:
    # The slow path of the backward loop: a backward returned an array (or a numpy scalar,
    # for a 0-d input), another dtype, or a wrong shape.
    i = _index(node, x)
    if not isinstance(gx, Tensor):
        gx = Tensor(np.asarray(gx), dtype=x.dtype)
    elif gx.data.dtype != x.data.dtype:
        gx = gx.astype(x.data.dtype)
    if gx.data.shape != x.data.shape:
        raise RuntimeError(
            f"{node.name}.backward returned a gradient of shape {gx.shape} for input {i} "
            f"of shape {x.shape}")
    return gx


def _index(node: Function, x: Tensor) -> int:
    # Which input x is, for messages (inputs are compared by identity: == is elementwise).
    return next(i for i, a in enumerate(node.inputs) if a is x)


def _run_hooks(hooks: list, g: Tensor) -> Tensor:
    for hook in list(hooks):
        replaced = hook(g)
        if replaced is not None:
            check_gradient(g, replaced, f"the gradient returned by hook {_hook_name(hook)}")
            g = replaced
    return g


def _hook_name(hook: Any) -> str:
    return getattr(hook, "__qualname__", None) or repr(hook)


def _check_versions(node: Function) -> None:
    """Raise if an in-place change since `node` was recorded touched what its backward
    reads: an input its formula reads (`Function.reads`), a saved value, or a saved view of
    its output. An input nothing reads may change (PyTorch's rule)."""
    if node._stale is not None:
        raise RuntimeError(f"backward through {node.name} is impossible: {node._stale}. "
                           "Do the in-place change after backward(), or on a copy (clone()).")
    epoch = node.sequence
    inputs = node.inputs
    read = _read_inputs(node)
    for value in node._saved:
        if isinstance(value, Tensor):
            _check_unchanged(node, value, "saved tensor", epoch)
        elif isinstance(value, np.ndarray):  # an input's array, or a view of it, saved
            read.update(i for i, a in enumerate(inputs) if isinstance(a, Tensor)
                        and np.may_share_memory(value, a.data))
    for i in sorted(read):
        if isinstance(inputs[i], Tensor):
            _check_unchanged(node, inputs[i], f"input {i}", epoch)
    out = node.output
    if out is not None:
        root = out if out._base is None else out._base
        if root._changed_at > epoch and any(
                isinstance(v, np.ndarray) and np.may_share_memory(v, root.data)
                for v in node._saved):
            _check_unchanged(node, out, "output (which it saved for backward)", epoch)


def _read_inputs(node: Function) -> set:
    # the inputs whose values the gradients that are needed read
    if node.reads is None:
        return set(range(len(node.inputs)))
    return {j for i, needed in enumerate(node.needs_input_grad) if needed
            for j in node.reads[i]}


def _check_unchanged(node: Function, t: Tensor, which: str, epoch: int) -> None:
    root = t if t._base is None else t._base
    if root._changed_at <= epoch:
        return
    then, exact = versions.version_at(root, epoch)
    raise RuntimeError(
        f"backward through {node.name}: its {which} (shape {t.shape}) was changed in place "
        f"after {node.name} was recorded: {node.name} used version {then if exact else f'≤ {then}'}"
        f", it is now at version {root._version}. An in-place change (an optimizer step, "
        "+=, t[i] = v, copy_, ...) between the forward pass and backward() altered a tensor "
        "this part of the graph was built on. Call backward() before the change, or change a "
        "copy (clone()).")
