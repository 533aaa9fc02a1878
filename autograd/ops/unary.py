"""Elementwise functions of one tensor: exp log sqrt abs sigmoid tanh relu step clip cast."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.dtypes import as_floating
from autograd.function import Function
from autograd.ops.formula import ArraySafe, constant, raw, zeros
from autograd.tensor import Tensor


class Exp(ArraySafe, Function):
    """∂eᵃ/∂a = eᵃ"""

    reads = ((),)

    @staticmethod
    def forward(ctx, a):
        out = np.exp(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        (out,) = ctx.saved_tensors
        return grad * out


class Log(ArraySafe, Function):
    """∂ln a/∂a = 1/a"""

    reads = ((0,),)

    @staticmethod
    def forward(ctx, a):
        return np.log(a)

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.inputs
        return grad / a


class Sqrt(ArraySafe, Function):
    """∂√a/∂a = 1/(2√a)"""

    reads = ((),)

    @staticmethod
    def forward(ctx, a):
        out = np.sqrt(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        (out,) = ctx.saved_tensors
        return grad / (2 * out)


class Abs(ArraySafe, Function):
    """∂|a|/∂a = sign(a)  (0 at a = 0)"""

    reads = ((0,),)

    @staticmethod
    def forward(ctx, a):
        return np.abs(a)

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.inputs
        return grad * constant(np.sign(raw(a)), grad)


class Sigmoid(ArraySafe, Function):
    """∂σ(a)/∂a = σ(a)·(1 − σ(a))"""

    reads = ((),)

    @staticmethod
    def forward(ctx, a):
        # exp(−a) overflows to inf for very negative a, and 1/(1+inf) = 0 is the right
        # answer: only the warning is silenced (and exp(−a) → 0 for very positive a, also
        # right). This form is exact in both tails.
        a = as_floating(a, np.exp)  # integers: −a in uint8 would wrap (−1 = 255)
        with np.errstate(over="ignore", under="ignore"):
            out = 1 / (1 + np.exp(-a))
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        (out,) = ctx.saved_tensors
        return grad * out * (1 - out)


class Tanh(ArraySafe, Function):
    """∂tanh(a)/∂a = 1 − tanh²(a)"""

    reads = ((),)

    @staticmethod
    def forward(ctx, a):
        out = np.tanh(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        (out,) = ctx.saved_tensors
        return grad * (1 - out * out)


class ReLU(ArraySafe, Function):
    """∂relu(a)/∂a = [a > 0]"""

    reads = ((0,),)

    @staticmethod
    def forward(ctx, a):
        return np.maximum(a, 0)

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.inputs
        return grad * constant((raw(a) > 0).astype(grad.dtype), grad)


class Step(ArraySafe, Function):
    """∂H(a)/∂a = 0  (Heaviside: H(a) = 1 if a ≥ 0 else 0)"""

    @staticmethod
    def forward(ctx, a):
        return (a >= 0).astype(a.dtype)

    @staticmethod
    def backward(ctx, grad):
        return zeros(grad.shape, grad)


class Clip(ArraySafe, Function):
    """∂clip(a, lo, hi)/∂a = [lo ≤ a ≤ hi]"""

    @staticmethod
    def forward(ctx, a, low, high):
        return np.clip(a, low, high)

    @staticmethod
    def backward(ctx, grad):
        a, low, high = ctx.inputs
        a = raw(a)
        inside = np.ones(a.shape, dtype=bool)
        if low is not None:
            inside &= a >= low
        if high is not None:
            inside &= a <= high
        return grad * constant(inside.astype(grad.dtype), grad), None, None


class Clone(ArraySafe, Function):
    """∂clone(a)/∂a = 1"""

    @staticmethod
    def forward(ctx, a):
        return a.copy()

    @staticmethod
    def backward(ctx, grad):
        return grad


class Cast(ArraySafe, Function):
    """∂cast(a)/∂a = 1  (the gradient is cast back to a's dtype)"""

    @staticmethod
    def forward(ctx, a, dtype):
        return a.astype(dtype)

    @staticmethod
    def backward(ctx, grad):
        a, _ = ctx.inputs
        return Cast.run(grad, a.dtype), None


def exp(a: Tensor) -> Tensor:
    """eᵃ elementwise."""
    return Exp.apply(a)


def log(a: Tensor) -> Tensor:
    """Natural logarithm elementwise."""
    return Log.apply(a)


def sqrt(a: Tensor) -> Tensor:
    """Square root elementwise."""
    return Sqrt.apply(a)


def abs(a: Tensor) -> Tensor:
    """|a| elementwise."""
    return Abs.apply(a)


def sigmoid(a: Tensor) -> Tensor:
    """σ(a) = 1/(1 + e⁻ᵃ) elementwise, finite and warning-free for any input."""
    return Sigmoid.apply(a)


def tanh(a: Tensor) -> Tensor:
    """Hyperbolic tangent elementwise."""
    return Tanh.apply(a)


def relu(a: Tensor) -> Tensor:
    """max(a, 0) elementwise."""
    return ReLU.apply(a)


def step(a: Tensor) -> Tensor:
    """Heaviside step H(a): 1 where a ≥ 0, else 0; its gradient is zero."""
    return Step.apply(a)


def clip(a: Tensor, min: Any = None, max: Any = None, *, a_min: Any = None,
         a_max: Any = None) -> Tensor:
    """Limit values to [min, max] (either bound may be None); numpy's keywords a_min=/a_max=
    name the same bounds (`clip(a, lo, hi)` is numpy's `np.clip(a, lo, hi)`)."""
    if (min is not None and a_min is not None) or (max is not None and a_max is not None):
        raise TypeError("clip got a bound twice (min= and a_min=, or max= and a_max=); give one")
    min = a_min if a_min is not None else min
    max = a_max if a_max is not None else max
    if min is None and max is None:
        raise ValueError("clip needs min or max (a_min or a_max)")
    return Clip.apply(a, min, max)


def clone(a: Tensor) -> Tensor:
    """A copy of a's values, in the graph (its gradient flows back unchanged)."""
    return Clone.apply(a)


def cast(a: Tensor, dtype: Any) -> Tensor:
    """a converted to `dtype` (differentiable between floating dtypes)."""
    dtype = np.dtype(dtype)
    if dtype == a.dtype:
        return a
    return Cast.apply(a, dtype)
