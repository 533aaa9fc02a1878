"""The version check before a backward pass: refuse a node whose formula would read a value
that an in-place change altered after the node was recorded (PyTorch's rule), rather than
return a silently wrong gradient. Only what the formula reads counts (`Function.reads`):
its inputs that the needed gradients use, its saved values, a saved output."""

from __future__ import annotations

import numpy as np

from autograd import versions
from autograd.function import Function
from autograd.tensor import Tensor


def check_graph(order: list) -> None:
    """Check each node recorded before the latest in-place change, before any work."""
    last_change = versions.last_change
    for node in order:
        if node.sequence < last_change:
            _check_versions(node)


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
