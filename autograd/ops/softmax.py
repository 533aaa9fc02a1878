"""Softmax and log-softmax along an axis, computed stably (the maximum is subtracted).
Integer and bool input is cast to float64 first (dtypes.floating_result), as logsumexp's."""

from __future__ import annotations

import numpy as np

from autograd.dtypes import as_floating
from autograd.function import Function
from autograd.ops.formula import ArraySafe, exp
from autograd.tensor import Tensor
from autograd.torch_keywords import torch_aliases


def softmax_parts(a: np.ndarray, axis: int) -> tuple:
    """The stable core of softmax along `axis`: (a − max, e = exp(a − max), Σ e).

    softmax = e / Σ e and log_softmax = (a − max) − log Σ e; subtracting the maximum first
    keeps exp from overflowing, whatever the logits.
    """
    # ufunc reduces rather than np.max/np.sum: their Python layer costs more than the
    # arithmetic on a batch of logits
    shifted = a - np.maximum.reduce(a, axis=axis, keepdims=True)
    e = np.exp(shifted)
    return shifted, e, np.add.reduce(e, axis=axis, keepdims=True)


class Softmax(ArraySafe, Function):
    """∂yᵢ/∂aⱼ = yᵢ(δᵢⱼ − yⱼ),  so  ∂L/∂a = y ⊙ (g − Σ g⊙y)"""

    @staticmethod
    def forward(ctx, a, axis):
        _, e, total = softmax_parts(as_floating(a), axis)
        out = e / total
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        _, axis = ctx.inputs
        (out,) = ctx.saved_tensors
        return out * (grad - (grad * out).sum(axis=axis, keepdims=True)), None


class LogSoftmax(ArraySafe, Function):
    """∂(log yᵢ)/∂aⱼ = δᵢⱼ − yⱼ,  so  ∂L/∂a = g − softmax(a)·Σ g"""

    @staticmethod
    def forward(ctx, a, axis):
        shifted, _, total = softmax_parts(as_floating(a), axis)
        out = shifted - np.log(total)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        _, axis = ctx.inputs
        (out,) = ctx.saved_tensors
        return grad - exp(out) * grad.sum(axis=axis, keepdims=True), None


@torch_aliases
def softmax(a: Tensor, axis: int = -1) -> Tensor:
    """e^{aᵢ} / Σⱼ e^{aⱼ} along `axis`."""
    return Softmax.apply(a, axis)


@torch_aliases
def log_softmax(a: Tensor, axis: int = -1) -> Tensor:
    """log softmax(a) along `axis`, without forming the softmax (stable for large logits)."""
    return LogSoftmax.apply(a, axis)
