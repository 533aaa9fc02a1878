"""How ops take the arguments beside their tensors' values: axes (normalize_axes, and
axis/keepdims of a reduction checked where they enter), the operands of a binary op (a
Python number takes the dtype of the tensor beside it), arguments read for their values
only (refused when they require grad), and numpy's default that differs from every value."""

from __future__ import annotations

from typing import Any, Sequence, Union

import numpy as np

from autograd import dtypes
from autograd.dtypes import operand_array
from autograd.tensor import Tensor

Axis = Union[None, int, Sequence[int]]


def normalize_axes(axis: Axis, ndim: int) -> tuple:
    """`axis` as a sorted tuple of non-negative axes (None means all of them)."""
    if axis is None:
        return tuple(range(ndim))
    axes = (axis,) if isinstance(axis, (int, np.integer)) else tuple(axis)
    normalized = []
    for ax in axes:
        if not isinstance(ax, (int, np.integer)) or isinstance(ax, bool):
            raise TypeError(f"an axis must be an integer, got {ax!r}")
        # numpy lets a 0-d array be reduced over axis 0 or −1 (a no-op)
        if not (ax in (0, -1) if ndim == 0 else -ndim <= ax < ndim):
            raise ValueError(f"axis {ax} is out of bounds for a tensor of {ndim} dimensions")
        normalized.append(ax % ndim if ndim else 0)
    if len(set(normalized)) != len(normalized):
        raise ValueError(f"repeated axis in {axis}")
    return tuple(sorted(normalized)) if ndim else ()


def _reduction_args(a: Tensor, axis: Axis, keepdims: Any) -> tuple:
    """(axis, keepdims) checked where they enter (numpy itself names a bad axis, and the op
    adds the shape): numpy would take keepdims="no" as true."""
    if keepdims is not True and keepdims is not False:
        if not isinstance(keepdims, np.bool_):
            raise TypeError(f"keepdims must be True or False, got {keepdims!r}")
        keepdims = bool(keepdims)
    # numpy takes an int or a tuple, not a list
    return (tuple(axis) if isinstance(axis, list) else axis), keepdims


def _checked(name: str, a: Any, axis: Axis, keepdims: Any) -> tuple:
    """(axis, keepdims) checked, a bad axis named by the op `name` and the shape."""
    axis, keepdims = _reduction_args(a, axis, keepdims)
    try:
        normalize_axes(axis, np.ndim(a))
    except (ValueError, TypeError) as error:
        raise type(error)(f"{name} of shape {np.shape(a)}: {error}") from None
    return axis, keepdims


def _operands(a: Any, b: Any) -> tuple:
    """Both operands as Tensors; a Python scalar takes the dtype of the tensor beside it."""
    if not isinstance(a, Tensor):
        a = Tensor._make(operand_array(a, b.data))
    elif not isinstance(b, Tensor):
        b = Tensor._make(operand_array(b, a.data))
    return a, b


def _operand(value: Any, like: Tensor) -> Tensor:
    """A second array argument as a Tensor. Tensors and ndarrays keep their dtype (numpy's
    promotion applies); numbers and lists take like's floating dtype, as a Python scalar
    beside a tensor does (a list of floats would otherwise become float32, the default)."""
    if isinstance(value, Tensor):
        return value
    if isinstance(value, np.ndarray):
        dtypes.check_numeric(value.dtype, value)
        return Tensor._make(value)
    if value is None or isinstance(value, (str, bytes)):
        raise TypeError(f"expected numbers, an array or a Tensor, got {value!r}")
    array = np.asarray(value)
    dtypes.check_numeric(array.dtype, value)
    if like.dtype.kind == "f" and array.dtype.kind in "biuf":
        array = array.astype(like.dtype)
    return Tensor._make(array)


def _constant(name: str, what: str, value: Any) -> np.ndarray:
    """An argument that is read for its values only (a spacing, q, a pad value): a Tensor
    that requires grad there would lose its gradient silently, so it is refused."""
    if isinstance(value, Tensor):
        if value.requires_grad:
            raise TypeError(f"{name}: {what} is not differentiable here (the gradient flows "
                            f"to the array); pass its values, e.g. {what}.detach()")
        return value.data
    return value


class _NoValue:
    """The default of an argument whose absence numpy tells apart from every value (diff's
    prepend and append, pinv's rtol, pad's keywords)."""

    def __repr__(self) -> str:
        return "<no value>"


_NO_VALUE: Any = _NoValue()
