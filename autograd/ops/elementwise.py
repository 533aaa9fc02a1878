"""The elementwise functions besides the course's (course.py), numpy's semantics and
broadcasting: abs, clip, copies and casts; trigonometric and hyperbolic functions and their
inverses, logarithms and exponentials in other bases, logaddexp, square, reciprocal, sign,
arctan2, hypot, rounding, mod and fmod, floor_divide, fix, heaviside, copysign, maximum and
minimum and the nan-ignoring fmax and fmin, deg2rad and rad2deg, sinc, cbrt, float_power,
softplus and nan_to_num. Float dtypes are kept (float_power's result is float64, as numpy's);
each is differentiable twice where it is smooth."""

from __future__ import annotations

import math
from typing import Any, Optional

import numpy as np

from autograd.dtypes import as_floating, check_numeric
from autograd.function import Function
from autograd.ops.arguments import _operands
from autograd.ops.course import Pow, Sigmoid, Sqrt, unbroadcast
from autograd.ops.formula import ArraySafe, constant, exp, raw, where, zeros
from autograd.tensor import Tensor


__all__ = [
    "Abs", "Arccos", "Arccosh", "Arcsin", "Arcsinh", "Arctan", "Arctan2", "Arctanh", "Cast", "Cbrt",
    "Ceil", "Clip", "Clone", "Copysign", "Cos", "Cosh", "Deg2rad", "Exp2", "Expm1", "Fix", "Floor",
    "FloorDivide", "Fmax", "Fmin", "Fmod", "Heaviside", "Hypot", "Log10", "Log1p", "Log2",
    "LogAddExp", "LogAddExp2", "Maximum", "Minimum", "Mod", "NanToNum", "Rad2deg", "Reciprocal",
    "Round", "Sign", "Sin", "Sinc", "Sinh", "Softplus", "Square", "Tan", "Trunc",
    "abs", "arccos", "arccosh", "arcsin", "arcsinh", "arctan", "arctan2", "arctanh", "cast", "cbrt",
    "ceil", "clip", "clone", "copysign", "cos", "cosh", "deg2rad", "degrees", "exp2", "expm1",
    "fix", "float_power", "floor", "floor_divide", "fmax", "fmin", "fmod", "heaviside", "hypot",
    "log10", "log1p", "log2", "logaddexp", "logaddexp2", "maximum", "minimum", "mod", "nan_to_num",
    "rad2deg", "radians", "reciprocal", "round", "sign", "sin", "sinc", "sinh", "softplus",
    "square", "tan", "trunc",
]


_LN2 = math.log(2.0)


_LN10 = math.log(10.0)


_DEG2RAD = math.pi / 180.0


_RAD2DEG = 180.0 / math.pi


# ---------------------------------------------------------------------- abs, clip, clone, cast
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


# ---------------------------------------------------------------------- trigonometric
class Sin(ArraySafe, Function):
    """∂sin a/∂a = cos a"""

    @staticmethod
    def forward(ctx, a):
        return np.sin(a)

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.inputs
        return grad * Cos.run(a)


class Cos(ArraySafe, Function):
    """∂cos a/∂a = −sin a"""

    @staticmethod
    def forward(ctx, a):
        return np.cos(a)

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.inputs
        return -grad * Sin.run(a)


class Tan(ArraySafe, Function):
    """∂tan a/∂a = 1 + tan² a"""

    @staticmethod
    def forward(ctx, a):
        out = np.tan(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        (out,) = ctx.saved_tensors
        return grad * (1 + out * out)


class Arcsin(ArraySafe, Function):
    """∂arcsin a/∂a = 1/√(1 − a²)"""

    @staticmethod
    def forward(ctx, a):
        return np.arcsin(a)

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.inputs
        return grad / Sqrt.run(1 - a * a)


class Arccos(ArraySafe, Function):
    """∂arccos a/∂a = −1/√(1 − a²)"""

    @staticmethod
    def forward(ctx, a):
        return np.arccos(a)

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.inputs
        return -grad / Sqrt.run(1 - a * a)


class Arctan(ArraySafe, Function):
    """∂arctan a/∂a = 1/(1 + a²)"""

    @staticmethod
    def forward(ctx, a):
        return np.arctan(a)

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.inputs
        return grad / (1 + a * a)


# ---------------------------------------------------------------------- hyperbolic
class Sinh(ArraySafe, Function):
    """∂sinh a/∂a = cosh a"""

    @staticmethod
    def forward(ctx, a):
        return np.sinh(a)

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.inputs
        return grad * Cosh.run(a)


class Cosh(ArraySafe, Function):
    """∂cosh a/∂a = sinh a"""

    @staticmethod
    def forward(ctx, a):
        return np.cosh(a)

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.inputs
        return grad * Sinh.run(a)


class Arcsinh(ArraySafe, Function):
    """∂arsinh a/∂a = 1/√(a² + 1)"""

    @staticmethod
    def forward(ctx, a):
        return np.arcsinh(a)

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.inputs
        return grad / Sqrt.run(a * a + 1)


class Arccosh(ArraySafe, Function):
    """∂arcosh a/∂a = 1/√(a² − 1)"""

    @staticmethod
    def forward(ctx, a):
        return np.arccosh(a)

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.inputs
        # √(a−1)·√(a+1), not √(a²−1): no cancellation in a² near 1
        return grad / (Sqrt.run(a - 1) * Sqrt.run(a + 1))


class Arctanh(ArraySafe, Function):
    """∂artanh a/∂a = 1/(1 − a²)"""

    @staticmethod
    def forward(ctx, a):
        return np.arctanh(a)

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.inputs
        return grad / (1 - a * a)


# ---------------------------------------------------------------------- logs and exponentials
class Log2(ArraySafe, Function):
    """∂log₂ a/∂a = 1/(a·ln 2)"""

    @staticmethod
    def forward(ctx, a):
        return np.log2(a)

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.inputs
        return grad / (a * _LN2)


class Log10(ArraySafe, Function):
    """∂log₁₀ a/∂a = 1/(a·ln 10)"""

    @staticmethod
    def forward(ctx, a):
        return np.log10(a)

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.inputs
        return grad / (a * _LN10)


class Log1p(ArraySafe, Function):
    """∂ln(1 + a)/∂a = 1/(1 + a)"""

    @staticmethod
    def forward(ctx, a):
        return np.log1p(a)

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.inputs
        return grad / (1 + a)


class Expm1(ArraySafe, Function):
    """∂(eᵃ − 1)/∂a = eᵃ"""

    @staticmethod
    def forward(ctx, a):
        out = np.expm1(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        (out,) = ctx.saved_tensors
        return grad * (out + 1)


class Exp2(ArraySafe, Function):
    """∂2ᵃ/∂a = 2ᵃ·ln 2"""

    @staticmethod
    def forward(ctx, a):
        out = np.exp2(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        (out,) = ctx.saved_tensors
        return grad * out * _LN2


class LogAddExp(ArraySafe, Function):
    """∂ln(eᵃ + eᵇ)/∂a = eᵃ⁻ᵒᵘᵗ,  ∂/∂b = eᵇ⁻ᵒᵘᵗ"""

    @staticmethod
    def forward(ctx, a, b):
        out = np.logaddexp(a, b)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.inputs
        (out,) = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad
        # a − out ≤ 0 and b − out ≤ 0: the exponentials lie in [0, 1], never overflow
        return (unbroadcast(grad * exp(a - out), a.shape) if need_a else None,
                unbroadcast(grad * exp(b - out), b.shape) if need_b else None)


class LogAddExp2(ArraySafe, Function):
    """∂log₂(2ᵃ + 2ᵇ)/∂a = 2ᵃ⁻ᵒᵘᵗ,  ∂/∂b = 2ᵇ⁻ᵒᵘᵗ"""

    @staticmethod
    def forward(ctx, a, b):
        out = np.logaddexp2(a, b)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.inputs
        (out,) = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad
        return (unbroadcast(grad * exp((a - out) * _LN2), a.shape) if need_a else None,
                unbroadcast(grad * exp((b - out) * _LN2), b.shape) if need_b else None)


# ---------------------------------------------------------------------- powers
class Square(ArraySafe, Function):
    """∂a²/∂a = 2a"""

    @staticmethod
    def forward(ctx, a):
        return np.square(a)

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.inputs
        return grad * 2 * a


class Reciprocal(ArraySafe, Function):
    """∂(1/a)/∂a = −1/a²"""

    @staticmethod
    def forward(ctx, a):
        out = np.reciprocal(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        (out,) = ctx.saved_tensors
        return -grad * out * out


class Sign(ArraySafe, Function):
    """∂sign(a)/∂a = 0"""

    @staticmethod
    def forward(ctx, a):
        return np.sign(a)

    @staticmethod
    def backward(ctx, grad):
        return zeros(grad.shape, grad)


# ---------------------------------------------------------------------- binary geometry
class Arctan2(ArraySafe, Function):
    """∂atan2(y, x)/∂y = x/(x² + y²),  ∂/∂x = −y/(x² + y²)"""

    @staticmethod
    def forward(ctx, y, x):
        return np.arctan2(y, x)

    @staticmethod
    def backward(ctx, grad):
        y, x = ctx.inputs
        need_y, need_x = ctx.needs_input_grad
        scaled = grad / (x * x + y * y)
        return (unbroadcast(scaled * x, y.shape) if need_y else None,
                unbroadcast(-scaled * y, x.shape) if need_x else None)


class Hypot(ArraySafe, Function):
    """∂√(a² + b²)/∂a = a/out,  ∂/∂b = b/out"""

    @staticmethod
    def forward(ctx, a, b):
        out = np.hypot(a, b)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.inputs
        (out,) = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad
        scaled = grad / out
        return (unbroadcast(scaled * a, a.shape) if need_a else None,
                unbroadcast(scaled * b, b.shape) if need_b else None)


# ---------------------------------------------------------------------- rounding
class Floor(ArraySafe, Function):
    """∂⌊a⌋/∂a = 0"""

    @staticmethod
    def forward(ctx, a):
        return np.floor(a)

    @staticmethod
    def backward(ctx, grad):
        return zeros(grad.shape, grad)


class Ceil(ArraySafe, Function):
    """∂⌈a⌉/∂a = 0"""

    @staticmethod
    def forward(ctx, a):
        return np.ceil(a)

    @staticmethod
    def backward(ctx, grad):
        return zeros(grad.shape, grad)


class Round(ArraySafe, Function):
    """∂round(a, decimals)/∂a = 0  (halves to even, as numpy)"""

    @staticmethod
    def forward(ctx, a, decimals):
        return np.round(a, decimals)

    @staticmethod
    def backward(ctx, grad):
        return zeros(grad.shape, grad), None


class Trunc(ArraySafe, Function):
    """∂trunc(a)/∂a = 0"""

    @staticmethod
    def forward(ctx, a):
        return np.trunc(a)

    @staticmethod
    def backward(ctx, grad):
        return zeros(grad.shape, grad)


class Mod(ArraySafe, Function):
    """∂mod(a, b)/∂a = 1,  ∂/∂b = −⌊a/b⌋  (the result has the sign of b)"""

    @staticmethod
    def forward(ctx, a, b):
        return np.mod(a, b)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.inputs
        need_a, need_b = ctx.needs_input_grad
        grad_b = None
        if need_b:
            quotient = np.floor(raw(a) / raw(b)).astype(grad.dtype)
            grad_b = unbroadcast(-grad * constant(quotient, grad), b.shape)
        return (unbroadcast(grad, a.shape) if need_a else None), grad_b


class Fmod(ArraySafe, Function):
    """∂fmod(a, b)/∂a = 1,  ∂/∂b = −trunc(a/b)  (the result has the sign of a)"""

    @staticmethod
    def forward(ctx, a, b):
        return np.fmod(a, b)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.inputs
        need_a, need_b = ctx.needs_input_grad
        grad_b = None
        if need_b:
            quotient = np.trunc(raw(a) / raw(b)).astype(grad.dtype)
            grad_b = unbroadcast(-grad * constant(quotient, grad), b.shape)
        return (unbroadcast(grad, a.shape) if need_a else None), grad_b


# ---------------------------------------------------------------------- activations, cleanup
class Softplus(ArraySafe, Function):
    """∂ln(1 + eᵃ)/∂a = σ(a)"""

    @staticmethod
    def forward(ctx, a):
        # log1p(e^−|a|) + max(a, 0): e^−|a| ≤ 1 never overflows, and is exact in both tails
        # (its underflow to 0 for large |a| is the right answer: only the warning is silenced)
        a = as_floating(a, np.logaddexp)  # integers: −|a| in uint8 would wrap
        with np.errstate(under="ignore"):
            return np.log1p(np.exp(-np.abs(a))) + np.maximum(a, 0)

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.inputs
        return grad * Sigmoid.run(a)


class NanToNum(ArraySafe, Function):
    """∂nan_to_num(a)/∂a = [a finite]  (0 where a value was replaced)"""

    @staticmethod
    def forward(ctx, a, nan, posinf, neginf):
        return np.nan_to_num(a, copy=True, nan=nan, posinf=posinf, neginf=neginf)

    @staticmethod
    def backward(ctx, grad):
        a = ctx.inputs[0]
        finite = np.isfinite(raw(a)).astype(grad.dtype)
        return grad * constant(finite, grad), None, None, None


# ---------------------------------------------------------------------- angles, sinc, cbrt
class Deg2rad(ArraySafe, Function):
    """∂(a·π/180)/∂a = π/180"""

    @staticmethod
    def forward(ctx, a):
        return np.deg2rad(a)

    @staticmethod
    def backward(ctx, grad):
        return grad * _DEG2RAD


class Rad2deg(ArraySafe, Function):
    """∂(a·180/π)/∂a = 180/π"""

    @staticmethod
    def forward(ctx, a):
        return np.rad2deg(a)

    @staticmethod
    def backward(ctx, grad):
        return grad * _RAD2DEG


class Sinc(ArraySafe, Function):
    """∂sinc a/∂a = (cos(πa)·πa − sin(πa))/(πa²),  0 at a = 0"""

    @staticmethod
    def forward(ctx, a):
        return np.sinc(a)

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.inputs
        return grad * _sinc_derivative(a)


# sinc′(x) = π·t·P(t²) with t = πx and P(u) = Σₖ₌₁ (−1)ᵏ·2k·uᵏ⁻¹/(2k+1)!: the series of
# (t cos t − sin t)/t², used for |x| < ¼ where that quotient loses digits to cancellation
# (for |x| ≥ ¼ it loses at most a few ulps; the series' first omitted term is below 1e-16)
_SINC_SERIES_BELOW = 0.25


_SINC_SERIES = tuple((-1) ** k * 2 * k / math.factorial(2 * k + 1) for k in range(1, 10))


def _sinc_derivative(x: Any) -> Any:
    """sinc′(x) of an array or a Tensor, exact at 0 (where it is 0) and differentiable to
    any order: a polynomial near 0, (cos(πx) − sinc x)/x elsewhere."""
    small = np.abs(raw(x)) < _SINC_SERIES_BELOW
    everywhere = small.all()
    series = None
    if small.any():
        # `where` keeps each branch's inputs tame where the other branch is taken, so that
        # neither sends nan or inf into the other's gradient under create_graph
        x_small = x if everywhere else where(small, x, 0)
        t = x_small * math.pi
        u = t * t
        polynomial = _SINC_SERIES[-1]
        for coefficient in reversed(_SINC_SERIES[:-1]):
            polynomial = polynomial * u + coefficient
        series = t * polynomial * math.pi
        if everywhere:
            return series
    x_large = x if series is None else where(small, 1, x)
    direct = (Cos.run(x_large * math.pi) - Sinc.run(x_large)) / x_large
    return direct if series is None else where(small, series, direct)


class Cbrt(ArraySafe, Function):
    """∂∛a/∂a = 1/(3·∛a²)  (inf at a = 0, as numpy's 1/(3·0²) gives)"""

    @staticmethod
    def forward(ctx, a):
        out = np.cbrt(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        (out,) = ctx.saved_tensors
        with np.errstate(divide="ignore"):  # the vertical tangent at 0: inf, quietly
            return grad / (3 * (out * out))


# ---------------------------------------------------------------------- maximum minimum fmax fmin
class Maximum(ArraySafe, Function):
    """∂max(a,b)/∂a = [a > b] + ½[a = b]  (ties share the gradient)"""

    @staticmethod
    def forward(ctx, a, b):
        return np.maximum(a, b)

    @staticmethod
    def backward(ctx, grad):
        return _select_backward(ctx, grad, np.greater)


class Minimum(ArraySafe, Function):
    """∂min(a,b)/∂a = [a < b] + ½[a = b]  (ties share the gradient)"""

    @staticmethod
    def forward(ctx, a, b):
        return np.minimum(a, b)

    @staticmethod
    def backward(ctx, grad):
        return _select_backward(ctx, grad, np.less)


def _select_backward(ctx: Function, grad: Any, wins: Any) -> tuple:
    a, b = (raw(x) for x in ctx.inputs)
    dtype = grad.dtype
    return shared_backward(ctx, grad, wins(a, b).astype(dtype) + 0.5 * (a == b).astype(dtype))


def shared_backward(ctx: Function, grad: Any, share_a: np.ndarray) -> tuple:
    """The gradients of a binary op whose result is a's value where share_a is 1 and b's
    where it is 0 (maximum, minimum, fmax, fmin; ties ½): share_a·G to a, (1 − share_a)·G to b,
    each summed back to its input's shape."""
    a, b = ctx.inputs
    need_a, need_b = ctx.needs_input_grad
    return (unbroadcast(grad * constant(share_a, grad), a.shape) if need_a else None,
            unbroadcast(grad * constant(1 - share_a, grad), b.shape) if need_b else None)


class Fmax(ArraySafe, Function):
    """∂fmax(a,b)/∂a = [a > b] + ½[a = b]  (a number beats nan: b = nan gives 1)"""

    @staticmethod
    def forward(ctx, a, b):
        return np.fmax(a, b)

    @staticmethod
    def backward(ctx, grad):
        return _nan_ignoring_select_backward(ctx, grad, np.greater)


class Fmin(ArraySafe, Function):
    """∂fmin(a,b)/∂a = [a < b] + ½[a = b]  (a number beats nan: b = nan gives 1)"""

    @staticmethod
    def forward(ctx, a, b):
        return np.fmin(a, b)

    @staticmethod
    def backward(ctx, grad):
        return _nan_ignoring_select_backward(ctx, grad, np.less)


def _nan_ignoring_select_backward(ctx: Function, grad: Any, wins: Any) -> tuple:
    # maximum/minimum's rule (the winner takes the gradient, ties share it), and where one
    # side is nan the other side is the result and takes it all; both nan: ½ each
    a, b = (raw(x) for x in ctx.inputs)
    nan_a, nan_b = np.isnan(a), np.isnan(b)
    share_a = np.where(nan_b, np.where(nan_a, 0.5, 1.0),
                       np.where(nan_a, 0.0, wins(a, b) + 0.5 * (a == b)))
    return shared_backward(ctx, grad, share_a.astype(grad.dtype))


# ---------------------------------------------------------------------- piecewise constant
class Fix(ArraySafe, Function):
    """∂fix(a)/∂a = 0  (rounds towards zero, as numpy's fix)"""

    @staticmethod
    def forward(ctx, a):
        return np.fix(a)

    @staticmethod
    def backward(ctx, grad):
        return zeros(grad.shape, grad)


class FloorDivide(ArraySafe, Function):
    """∂⌊a/b⌋/∂a = 0,  ∂/∂b = 0  (numpy's floor_divide, the operator //)"""

    @staticmethod
    def forward(ctx, a, b):
        return np.floor_divide(a, b)

    @staticmethod
    def backward(ctx, grad):
        return _zero_gradients(ctx, grad)


class Heaviside(ArraySafe, Function):
    """∂H(a, b)/∂a = 0,  ∂/∂b = 0  (0 for a < 0, b at a = 0, 1 for a > 0)"""

    @staticmethod
    def forward(ctx, a, b):
        return np.heaviside(a, b)

    @staticmethod
    def backward(ctx, grad):
        return _zero_gradients(ctx, grad)


def _zero_gradients(ctx: Function, grad: Any) -> tuple:
    """A binary piecewise-constant op's gradients: zeros of each input's shape."""
    return tuple(zeros(x.shape, grad) if needed else None
                 for x, needed in zip(ctx.inputs, ctx.needs_input_grad))


class Copysign(ArraySafe, Function):
    """∂copysign(a, b)/∂a = sign(a)·sign(copysign(1, b)),  ∂/∂b = 0"""

    @staticmethod
    def forward(ctx, a, b):
        return np.copysign(a, b)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.inputs
        need_a, need_b = ctx.needs_input_grad
        grad_a = None
        if need_a:
            # ±1 by whether the sign was flipped (b's sign bit, so −0.0 counts as negative);
            # 0 at a = ±0, where |a| has its kink
            slope = (np.sign(raw(a)) * np.copysign(1, raw(b))).astype(grad.dtype)
            grad_a = unbroadcast(grad * constant(slope, grad), a.shape)
        grad_b = zeros(b.shape, grad) if need_b else None
        return grad_a, grad_b


# ---------------------------------------------------------------------- function forms
def abs(a: Tensor) -> Tensor:
    """|a| elementwise."""
    return Abs.apply(a)


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


def sin(a: Tensor) -> Tensor:
    """Sine elementwise (radians)."""
    return Sin.apply(a)


def cos(a: Tensor) -> Tensor:
    """Cosine elementwise (radians)."""
    return Cos.apply(a)


def tan(a: Tensor) -> Tensor:
    """Tangent elementwise (radians)."""
    return Tan.apply(a)


def arcsin(a: Tensor) -> Tensor:
    """Inverse sine elementwise, in [−π/2, π/2]."""
    return Arcsin.apply(a)


def arccos(a: Tensor) -> Tensor:
    """Inverse cosine elementwise, in [0, π]."""
    return Arccos.apply(a)


def arctan(a: Tensor) -> Tensor:
    """Inverse tangent elementwise, in (−π/2, π/2)."""
    return Arctan.apply(a)


def sinh(a: Tensor) -> Tensor:
    """Hyperbolic sine elementwise."""
    return Sinh.apply(a)


def cosh(a: Tensor) -> Tensor:
    """Hyperbolic cosine elementwise."""
    return Cosh.apply(a)


def arcsinh(a: Tensor) -> Tensor:
    """Inverse hyperbolic sine elementwise."""
    return Arcsinh.apply(a)


def arccosh(a: Tensor) -> Tensor:
    """Inverse hyperbolic cosine elementwise (a ≥ 1)."""
    return Arccosh.apply(a)


def arctanh(a: Tensor) -> Tensor:
    """Inverse hyperbolic tangent elementwise (−1 < a < 1)."""
    return Arctanh.apply(a)


def log2(a: Tensor) -> Tensor:
    """Base-2 logarithm elementwise."""
    return Log2.apply(a)


def log10(a: Tensor) -> Tensor:
    """Base-10 logarithm elementwise."""
    return Log10.apply(a)


def log1p(a: Tensor) -> Tensor:
    """ln(1 + a) elementwise, accurate for small a."""
    return Log1p.apply(a)


def expm1(a: Tensor) -> Tensor:
    """eᵃ − 1 elementwise, accurate for small a."""
    return Expm1.apply(a)


def exp2(a: Tensor) -> Tensor:
    """2ᵃ elementwise."""
    return Exp2.apply(a)


def logaddexp(a: Any, b: Any) -> Tensor:
    """ln(eᵃ + eᵇ) elementwise without overflow, broadcasting."""
    return LogAddExp.apply(*_operands(a, b))


def logaddexp2(a: Any, b: Any) -> Tensor:
    """log₂(2ᵃ + 2ᵇ) elementwise without overflow, broadcasting."""
    return LogAddExp2.apply(*_operands(a, b))


def square(a: Tensor) -> Tensor:
    """a² elementwise."""
    return Square.apply(a)


def reciprocal(a: Tensor) -> Tensor:
    """1/a elementwise."""
    return Reciprocal.apply(a)


def sign(a: Tensor) -> Tensor:
    """−1, 0 or 1 by the sign of a (nan stays nan); its gradient is zero."""
    return Sign.apply(a)


def arctan2(y: Any, x: Any) -> Tensor:
    """The angle of the point (x, y), in [−π, π], elementwise, broadcasting."""
    return Arctan2.apply(*_operands(y, x))


def hypot(a: Any, b: Any) -> Tensor:
    """√(a² + b²) elementwise without overflow, broadcasting."""
    return Hypot.apply(*_operands(a, b))


def floor(a: Tensor) -> Tensor:
    """The largest integer ≤ a, elementwise; its gradient is zero."""
    return Floor.apply(a)


def ceil(a: Tensor) -> Tensor:
    """The smallest integer ≥ a, elementwise; its gradient is zero."""
    return Ceil.apply(a)


def round(a: Tensor, decimals: int = 0) -> Tensor:
    """a rounded to `decimals` decimals, halves to even (as numpy); its gradient is zero."""
    return Round.apply(a, int(decimals))


def trunc(a: Tensor) -> Tensor:
    """a with its fractional part dropped (towards zero), elementwise; its gradient is zero."""
    return Trunc.apply(a)


def mod(a: Any, b: Any) -> Tensor:
    """a mod b as numpy's `mod` (the result has the sign of b), broadcasting."""
    return Mod.apply(*_operands(a, b))


def fmod(a: Any, b: Any) -> Tensor:
    """a mod b as C's fmod (the result has the sign of a), broadcasting."""
    return Fmod.apply(*_operands(a, b))


def softplus(a: Tensor) -> Tensor:
    """ln(1 + eᵃ) elementwise, finite and warning-free for any finite input."""
    return Softplus.apply(a)


def nan_to_num(a: Tensor, nan: float = 0.0, posinf: Optional[float] = None,
               neginf: Optional[float] = None) -> Tensor:
    """a with nan, +inf and −inf replaced (by default 0 and the dtype's largest and smallest
    finite values); the gradient is 1 where a was finite and 0 where a value was replaced."""
    return NanToNum.apply(a, nan, posinf, neginf)


def deg2rad(x: Tensor) -> Tensor:
    """Degrees to radians elementwise: x·π/180."""
    return Deg2rad.apply(x)


def rad2deg(x: Tensor) -> Tensor:
    """Radians to degrees elementwise: x·180/π."""
    return Rad2deg.apply(x)


radians = deg2rad  # numpy's other names for the same values


degrees = rad2deg


def sinc(x: Tensor) -> Tensor:
    """The normalized sinc, sin(πx)/(πx) and 1 at 0, elementwise (numpy's sinc)."""
    return Sinc.apply(x)


def cbrt(x: Tensor) -> Tensor:
    """The real cube root elementwise (negative for negative x); its gradient is inf at 0."""
    return Cbrt.apply(x)


def maximum(a: Any, b: Any) -> Tensor:
    """Elementwise maximum, broadcasting."""
    return Maximum.apply(*_operands(a, b))


def minimum(a: Any, b: Any) -> Tensor:
    """Elementwise minimum, broadcasting."""
    return Minimum.apply(*_operands(a, b))


def fmax(a: Any, b: Any) -> Tensor:
    """Elementwise maximum ignoring nan (a number beats nan; both nan give nan),
    broadcasting."""
    return Fmax.apply(*_operands(a, b))


def fmin(a: Any, b: Any) -> Tensor:
    """Elementwise minimum ignoring nan (a number beats nan; both nan give nan),
    broadcasting."""
    return Fmin.apply(*_operands(a, b))


def fix(x: Tensor) -> Tensor:
    """x rounded towards zero, elementwise (numpy's fix); its gradient is zero."""
    return Fix.apply(x)


def floor_divide(a: Any, b: Any) -> Tensor:
    """⌊a/b⌋ exactly as numpy's floor_divide (a // b), broadcasting; its gradient is zero."""
    return FloorDivide.apply(*_operands(a, b))


def heaviside(x1: Any, x2: Any) -> Tensor:
    """The step function: 0 where x1 < 0, x2 where x1 = 0, 1 where x1 > 0 (numpy's
    heaviside), broadcasting; its gradient is zero."""
    return Heaviside.apply(*_operands(x1, x2))


def copysign(x1: Any, x2: Any) -> Tensor:
    """|x1| with the sign (bit) of x2, elementwise, broadcasting; the gradient goes to x1."""
    return Copysign.apply(*_operands(x1, x2))


def float_power(a: Any, b: Any) -> Tensor:
    """a ** b computed in float64 (longdouble stays longdouble), as numpy's float_power:
    pow of both cast to float64, so the gradient is pow's, cast back to each input's dtype."""
    a, b = _float_operand(a), _float_operand(b)
    dtype = np.result_type(a.data, b.data, np.float64)
    return Pow.apply(cast(a, dtype), cast(b, dtype))


def _float_operand(x: Any) -> Tensor:
    # a number as numpy sees it (2.7 stays the double 2.7): not at a float32 tensor's dtype
    # first, as _operands would make it, for the power is taken in float64
    if isinstance(x, Tensor):
        return x
    array = np.asarray(x)
    check_numeric(array.dtype, x)
    return Tensor._make(array)
