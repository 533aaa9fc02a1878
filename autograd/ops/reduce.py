"""Max and Min over axes (axis None, int, negative or tuple): tied entries share the
gradient evenly."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.function import Function
from autograd.ops.arguments import Axis, _reduction_args, normalize_axes
from autograd.ops.course import _expand_back, kept_shape
from autograd.ops.formula import ArraySafe, constant, raw
from autograd.tensor import Tensor
from autograd.torch_keywords import torch_aliases, values_indices_habit


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


@torch_aliases(habit=values_indices_habit("max"))
def max(a: Tensor, axis: Axis = None, keepdims: bool = False) -> Tensor:
    """Maximum over `axis`; tied maxima share the gradient evenly."""
    return Max.apply(a, *_reduction_args(a, axis, keepdims))


@torch_aliases(habit=values_indices_habit("min"))
def min(a: Tensor, axis: Axis = None, keepdims: bool = False) -> Tensor:
    """Minimum over `axis`; tied minima share the gradient evenly."""
    return Min.apply(a, *_reduction_args(a, axis, keepdims))
