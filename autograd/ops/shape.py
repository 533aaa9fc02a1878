"""Ops that move values around without changing them: expand_dims, squeeze, swapaxes,
indexed assignment (set_item), concatenate, stack and where. Reshape, transpose,
broadcast_to and indexing (getitem) are the course's, in course.py."""

from __future__ import annotations

from typing import Any, Optional, Sequence, Union

import numpy as np

from autograd.dtypes import operand_array
from autograd.function import Function
from autograd.ops.arguments import normalize_axes
from autograd.ops.course import Transpose, _has_integer_array, _plain_index, unbroadcast
from autograd.ops.formula import ArraySafe, constant
from autograd.tensor import Tensor
from autograd.torch_keywords import torch_aliases


class ExpandDims(ArraySafe, Function):
    """∂expand_dims(a)/∂a: squeeze the new axes out of the gradient"""

    reads = ((),)

    @staticmethod
    def forward(ctx, a, axis):
        return np.expand_dims(a, axis)

    @staticmethod
    def backward(ctx, grad):
        a, _ = ctx.inputs
        return grad.reshape(a.shape), None


class Squeeze(ArraySafe, Function):
    """∂squeeze(a)/∂a: give the gradient its size-1 axes back"""

    reads = ((),)

    @staticmethod
    def forward(ctx, a, axis):
        return a.squeeze(axis)

    @staticmethod
    def backward(ctx, grad):
        a, _ = ctx.inputs
        return grad.reshape(a.shape), None


class SetItem(ArraySafe, Function):
    """∂(a with a[i] := v)/∂a = [position ∉ i],  ∂/∂v = the gradient at i (summed over v's
    broadcasting; of a position written twice, only the value written last counts)"""

    @staticmethod
    def forward(ctx, a, index, v):
        out = a.copy()
        out[index] = v
        return out

    @staticmethod
    def backward(ctx, grad):
        a, index, v = ctx.inputs
        need_a, _, need_v = ctx.needs_input_grad
        grad_a = grad_v = None
        if need_a:
            kept = np.ones(a.shape, dtype=grad.dtype)
            kept[index] = 0
            grad_a = grad * constant(kept, grad)
        if need_v:
            grad_v = grad[index]
            written = _last_writes(a.shape, index)
            if written is not None:
                grad_v = grad_v * constant(written.astype(grad.dtype), grad)
            # numpy lets v carry extra leading size-1 axes; unbroadcast works on the rest
            rank = min(v.ndim, grad_v.ndim)
            grad_v = unbroadcast(grad_v, v.shape[v.ndim - rank:]).reshape(v.shape)
        return grad_a, None, grad_v


def axis_index(axis: int, index: Any, ndim: int) -> tuple:
    """The index that applies `index` along `axis` (of `ndim` axes) and takes every entry of
    the others: `x[axis_index(1, slice(None, None, -1), x.ndim)]` reverses axis 1."""
    return (slice(None),) * axis + (index,) + (slice(None),) * (ndim - axis - 1)


def _last_writes(shape: tuple, index: Any) -> Optional[np.ndarray]:
    """For an index with integer arrays, which entries of a[index] = v actually land (numpy
    keeps the last write to a repeated position); None when every entry lands."""
    if not _has_integer_array(index):
        return None
    selected = np.zeros(shape, dtype=bool)[index].shape
    order = np.arange(int(np.prod(selected)), dtype=np.intp).reshape(selected)
    landed = np.full(shape, -1, dtype=np.intp)
    landed[index] = order
    return landed[index] == order


class Concatenate(ArraySafe, Function):
    """∂concat(a₁…aₙ)/∂aₖ: the k-th slice of the gradient along the axis"""

    @staticmethod
    def forward(ctx, axis, *arrays):
        return np.concatenate(arrays, axis=axis)

    @staticmethod
    def backward(ctx, grad):
        axis, *tensors = ctx.inputs
        axis = axis % grad.ndim
        grads: list = [None]
        start = 0
        for t, need in zip(tensors, ctx.needs_input_grad[1:]):
            stop = start + t.shape[axis]
            grads.append(grad[axis_index(axis, slice(start, stop), grad.ndim)] if need else None)
            start = stop
        return tuple(grads)


class Stack(ArraySafe, Function):
    """∂stack(a₁…aₙ)/∂aₖ: the k-th entry of the gradient along the new axis"""

    @staticmethod
    def forward(ctx, axis, *arrays):
        return np.stack(arrays, axis=axis)

    @staticmethod
    def backward(ctx, grad):
        axis, *tensors = ctx.inputs
        axis = axis % grad.ndim
        grads: list = [None]
        for k, need in enumerate(ctx.needs_input_grad[1:]):
            grads.append(grad[axis_index(axis, k, grad.ndim)] if need else None)
        return tuple(grads)


class Where(ArraySafe, Function):
    """∂where(c, a, b)/∂a = [c],  ∂where(c, a, b)/∂b = [not c]"""

    @staticmethod
    def forward(ctx, condition, a, b):
        return np.where(condition, a, b)

    @staticmethod
    def backward(ctx, grad):
        condition, a, b = ctx.inputs
        need_a, need_b = ctx.needs_input_grad[1:]
        chosen = np.broadcast_to(condition, grad.shape).astype(grad.dtype)
        return (None,
                unbroadcast(grad * constant(chosen, grad), a.shape) if need_a else None,
                unbroadcast(grad * constant(1 - chosen, grad), b.shape) if need_b else None)


def swapaxes(a: Tensor, axis1: int, axis2: int) -> Tensor:
    """Exchange two axes."""
    for axis in (axis1, axis2):
        if not isinstance(axis, (int, np.integer)) or isinstance(axis, bool):
            raise TypeError(f"swapaxes: an axis must be an integer, got {axis!r}")
        if not -a.ndim <= axis < a.ndim:
            raise ValueError(f"swapaxes: axis {axis} is out of range for a tensor of "
                             f"{a.ndim} dimensions (shape {a.shape})")
    perm = list(range(a.ndim))
    perm[axis1], perm[axis2] = perm[axis2], perm[axis1]
    return Transpose.apply(a, tuple(perm))


@torch_aliases
def expand_dims(a: Tensor, axis: Union[int, Sequence[int]]) -> Tensor:
    """Insert size-1 axes at `axis`."""
    return ExpandDims.apply(a, axis if isinstance(axis, int) else tuple(axis))


@torch_aliases
def squeeze(a: Tensor, axis: Union[None, int, Sequence[int]] = None) -> Tensor:
    """Remove size-1 axes (all of them when `axis` is None)."""
    if axis is not None:
        for ax in normalize_axes(axis, a.ndim):
            if a.shape[ax] != 1:
                raise ValueError(
                    f"Squeeze of shape {a.shape}: axis {ax} has size {a.shape[ax]}, not 1")
        axis = axis if isinstance(axis, int) else tuple(axis)
    return Squeeze.apply(a, axis)


def set_item(a: Tensor, index: Any, v: Any) -> Tensor:
    """A copy of `a` with `a[index] = v` (v broadcast to the selected shape); the functional
    form behind `t[index] = v`."""
    if not isinstance(v, Tensor):
        v = Tensor._make(operand_array(v, a.data))
    return SetItem.apply(a, _plain_index(index), v)


@torch_aliases
def concatenate(tensors: Sequence[Tensor], axis: int = 0) -> Tensor:
    """Join tensors along an existing axis."""
    tensors = _as_tensors(tensors)
    return Concatenate.apply(axis, *tensors)


@torch_aliases
def stack(tensors: Sequence[Tensor], axis: int = 0) -> Tensor:
    """Join tensors of one shape along a new axis."""
    tensors = _as_tensors(tensors)
    return Stack.apply(axis, *tensors)


def where(condition: Any, a: Any, b: Any) -> Tensor:
    """Elementwise choice: a where `condition` holds, else b (broadcasting)."""
    condition = np.asarray(condition.data if isinstance(condition, Tensor) else condition,
                           dtype=bool)
    like = a.data if isinstance(a, Tensor) else b.data if isinstance(b, Tensor) else None
    if like is None:
        a = Tensor(a)
        like = a.data
    a = a if isinstance(a, Tensor) else Tensor._make(operand_array(a, like))
    b = b if isinstance(b, Tensor) else Tensor._make(operand_array(b, like))
    return Where.apply(condition, a, b)


def _as_tensors(tensors: Sequence[Any]) -> list:
    tensors = [t if isinstance(t, Tensor) else Tensor(t) for t in tensors]
    if not tensors:
        raise ValueError("need at least one tensor to join")
    return tensors


# PyTorch's names for the same functions (an alias only where the meaning is the same):
# torch.cat(tensors, dim) and a functional `t[index] = v`.
cat = concatenate
index_update = set_item
