"""Reductions along axes: sum mean max min logsumexp (axis None, int, negative or tuple)."""

from __future__ import annotations

import math
from typing import Any, Sequence, Union

import numpy as np

from autograd.dtypes import as_floating, floating_result
from autograd.function import Function
from autograd.ops.formula import ArraySafe, broadcast_to, constant, exp, raw
from autograd.tensor import Tensor
from autograd.torch_keywords import torch_aliases, values_indices_habit

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


def kept_shape(shape: tuple, axes: tuple) -> tuple:
    """The shape of a reduction with keepdims=True: reduced axes become 1."""
    return tuple(1 if i in axes else size for i, size in enumerate(shape))


def _expand_back(grad: Any, shape: tuple, axes: tuple, keepdims: bool) -> Any:
    # Give the reduced gradient its kept size-1 axes, so it broadcasts against the input.
    return grad if keepdims else grad.reshape(kept_shape(shape, axes))


class Sum(ArraySafe, Function):
    """∂(Σᵢ aᵢ)/∂aⱼ = 1"""

    reads = ((),)

    @staticmethod
    def forward(ctx, a, axis, keepdims):
        # the ufunc's own reduce: np.sum adds a Python layer that costs more than small sums
        return np.add.reduce(a, axis=axis, keepdims=keepdims)

    @staticmethod
    def backward(ctx, grad):
        a, axis, keepdims = ctx.inputs
        axes = normalize_axes(axis, a.ndim)
        return broadcast_to(_expand_back(grad, a.shape, axes, keepdims), a.shape), None, None


class Mean(ArraySafe, Function):
    """∂(1/n Σᵢ aᵢ)/∂aⱼ = 1/n"""

    reads = ((),)

    @staticmethod
    def forward(ctx, a, axis, keepdims):
        count = _reduced_count(a.shape, normalize_axes(axis, a.ndim))
        # float16 sums in float32, as numpy's mean does: a float16 sum (or count) of more
        # than 65504 is inf. Integers and bools sum in float64 (floating_result), as numpy's
        # mean does: an int64 sum of [2⁶², 2⁶²] would wrap. An empty mean is 0/0 = nan, as
        # in numpy and PyTorch.
        half = a.dtype == np.float16
        dtype = np.float32 if half else None if a.dtype.kind == "f" else floating_result(a.dtype)
        with np.errstate(invalid="ignore"):
            total = np.add.reduce(a, axis=axis, keepdims=keepdims, dtype=dtype)
            mean = total / count  # a Python int: the float dtype of the sum is kept
        return mean.astype(np.float16) if half else mean

    @staticmethod
    def backward(ctx, grad):
        a, axis, keepdims = ctx.inputs
        axes = normalize_axes(axis, a.ndim)
        count = _reduced_count(a.shape, axes)
        # with count 0 the input is empty, and so is its gradient
        grad = _expand_back(grad, a.shape, axes, keepdims) * (1.0 / count if count else 0.0)
        return broadcast_to(grad, a.shape), None, None


def _reduced_count(shape: tuple, axes: tuple) -> int:
    # n of the mean: how many entries each output averages
    return math.prod(shape[i] for i in axes)


class Max(ArraySafe, Function):
    """∂max(a)/∂aⱼ = [aⱼ = max] / #ties  (ties share the gradient evenly)"""

    @staticmethod
    def forward(ctx, a, axis, keepdims):
        out = np.maximum.reduce(a, axis=axis, keepdims=keepdims)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        return _extremum_backward(ctx, grad)


class Min(ArraySafe, Function):
    """∂min(a)/∂aⱼ = [aⱼ = min] / #ties  (ties share the gradient evenly)"""

    @staticmethod
    def forward(ctx, a, axis, keepdims):
        out = np.minimum.reduce(a, axis=axis, keepdims=keepdims)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        return _extremum_backward(ctx, grad)


def _extremum_backward(ctx: Function, grad: Any) -> tuple:
    a, axis, keepdims = ctx.inputs
    axes = normalize_axes(axis, a.ndim)
    (out,) = ctx.saved_tensors
    extremum = raw(out).reshape(kept_shape(a.shape, axes))
    hits = (raw(a) == extremum).astype(grad.dtype)
    share = hits / hits.sum(axis=axes, keepdims=True)
    return _expand_back(grad, a.shape, axes, keepdims) * constant(share, grad), None, None


class LogSumExp(ArraySafe, Function):
    """∂ log Σᵢ e^{aᵢ} / ∂aⱼ = e^{aⱼ} / Σᵢ e^{aᵢ}  (the softmax)"""

    @staticmethod
    def forward(ctx, a, axis, keepdims):
        a = as_floating(a)  # integers and bools: float64 before the max is subtracted
        shift = np.maximum.reduce(a, axis=axis, keepdims=True)
        shift = np.where(np.isfinite(shift), shift, 0)  # all −inf (or inf) rows: no shift
        out = np.log(np.add.reduce(np.exp(a - shift), axis=axis, keepdims=True)) + shift
        if not keepdims:
            out = out.reshape(()) if axis is None else out.squeeze(axis)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        a, axis, keepdims = ctx.inputs
        (out,) = ctx.saved_tensors
        axes = normalize_axes(axis, a.ndim)
        out = _expand_back(out, a.shape, axes, keepdims)
        return _expand_back(grad, a.shape, axes, keepdims) * exp(a - out), None, None


@torch_aliases
def sum(a: Tensor, axis: Axis = None, keepdims: bool = False) -> Tensor:
    """Sum over `axis` (all axes when None)."""
    return Sum.apply(a, *_reduction_args(a, axis, keepdims))


@torch_aliases
def mean(a: Tensor, axis: Axis = None, keepdims: bool = False) -> Tensor:
    """Mean over `axis` (all axes when None); nan for an empty one, as in numpy. Integer and
    bool input gives float64, summed in float64 (numpy's mean)."""
    return Mean.apply(a, *_reduction_args(a, axis, keepdims))


@torch_aliases(habit=values_indices_habit("max"))
def max(a: Tensor, axis: Axis = None, keepdims: bool = False) -> Tensor:
    """Maximum over `axis`; tied maxima share the gradient evenly."""
    return Max.apply(a, *_reduction_args(a, axis, keepdims))


@torch_aliases(habit=values_indices_habit("min"))
def min(a: Tensor, axis: Axis = None, keepdims: bool = False) -> Tensor:
    """Minimum over `axis`; tied minima share the gradient evenly."""
    return Min.apply(a, *_reduction_args(a, axis, keepdims))


@torch_aliases
def logsumexp(a: Tensor, axis: Axis = None, keepdims: bool = False) -> Tensor:
    """log Σ exp(a) over `axis`, computed stably (the maximum is subtracted first); integer
    and bool input in float64 (dtypes.floating_result)."""
    return LogSumExp.apply(a, *_reduction_args(a, axis, keepdims))


def _reduction_args(a: Tensor, axis: Axis, keepdims: Any) -> tuple:
    """(axis, keepdims) checked where they enter (numpy itself names a bad axis, and the op
    adds the shape): numpy would take keepdims="no" as true."""
    if keepdims is not True and keepdims is not False:
        if not isinstance(keepdims, np.bool_):
            raise TypeError(f"keepdims must be True or False, got {keepdims!r}")
        keepdims = bool(keepdims)
    # numpy takes an int or a tuple, not a list
    return (tuple(axis) if isinstance(axis, list) else axis), keepdims
