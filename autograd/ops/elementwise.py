"""More elementwise functions, numpy's semantics and broadcasting: trigonometric and
hyperbolic functions and their inverses, logarithms and exponentials in other bases,
logaddexp, square, reciprocal, sign, arctan2, hypot, rounding, mod and fmod, softplus and
nan_to_num. Float dtypes are kept; each is differentiable twice where it is smooth."""

from __future__ import annotations

import math
from typing import Any, Optional

import numpy as np

from autograd.function import Function
from autograd.ops.arithmetic import _operands
from autograd.ops.broadcasting import unbroadcast
from autograd.ops.formula import constant, exp, raw
from autograd.ops.unary import Sigmoid, Sqrt
from autograd.tensor import Tensor

__all__ = [
    "Arccos", "Arccosh", "Arcsin", "Arcsinh", "Arctan", "Arctan2", "Arctanh", "Ceil", "Cos",
    "Cosh", "Exp2", "Expm1", "Floor", "Fmod", "Hypot", "Log10", "Log1p", "Log2", "LogAddExp",
    "LogAddExp2", "Mod", "NanToNum", "Reciprocal", "Round", "Sign", "Sin", "Sinh", "Softplus",
    "Square", "Tan", "Trunc",
    "arccos", "arccosh", "arcsin", "arcsinh", "arctan", "arctan2", "arctanh", "ceil", "cos",
    "cosh", "exp2", "expm1", "floor", "fmod", "hypot", "log10", "log1p", "log2", "logaddexp",
    "logaddexp2", "mod", "nan_to_num", "reciprocal", "round", "sign", "sin", "sinh", "softplus",
    "square", "tan", "trunc",
]

_LN2 = math.log(2.0)
_LN10 = math.log(10.0)


def _zero_gradient(grad: Any) -> Any:
    """The gradient of a piecewise-constant op: zeros of the input's (= grad's) shape, as
    Step gives it."""
    return constant(np.zeros_like(raw(grad)), grad)


# ---------------------------------------------------------------------- trigonometric
class Sin(Function):
    """∂sin a/∂a = cos a"""

    array_safe = True

    @staticmethod
    def forward(ctx, a):
        return np.sin(a)

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.inputs
        return grad * Cos.run(a)


class Cos(Function):
    """∂cos a/∂a = −sin a"""

    array_safe = True

    @staticmethod
    def forward(ctx, a):
        return np.cos(a)

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.inputs
        return -grad * Sin.run(a)


class Tan(Function):
    """∂tan a/∂a = 1 + tan² a"""

    array_safe = True

    @staticmethod
    def forward(ctx, a):
        out = np.tan(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        (out,) = ctx.saved_tensors
        return grad * (1 + out * out)


class Arcsin(Function):
    """∂arcsin a/∂a = 1/√(1 − a²)"""

    array_safe = True

    @staticmethod
    def forward(ctx, a):
        return np.arcsin(a)

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.inputs
        return grad / Sqrt.run(1 - a * a)


class Arccos(Function):
    """∂arccos a/∂a = −1/√(1 − a²)"""

    array_safe = True

    @staticmethod
    def forward(ctx, a):
        return np.arccos(a)

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.inputs
        return -grad / Sqrt.run(1 - a * a)


class Arctan(Function):
    """∂arctan a/∂a = 1/(1 + a²)"""

    array_safe = True

    @staticmethod
    def forward(ctx, a):
        return np.arctan(a)

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.inputs
        return grad / (1 + a * a)


# ---------------------------------------------------------------------- hyperbolic
class Sinh(Function):
    """∂sinh a/∂a = cosh a"""

    array_safe = True

    @staticmethod
    def forward(ctx, a):
        return np.sinh(a)

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.inputs
        return grad * Cosh.run(a)


class Cosh(Function):
    """∂cosh a/∂a = sinh a"""

    array_safe = True

    @staticmethod
    def forward(ctx, a):
        return np.cosh(a)

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.inputs
        return grad * Sinh.run(a)


class Arcsinh(Function):
    """∂arsinh a/∂a = 1/√(a² + 1)"""

    array_safe = True

    @staticmethod
    def forward(ctx, a):
        return np.arcsinh(a)

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.inputs
        return grad / Sqrt.run(a * a + 1)


class Arccosh(Function):
    """∂arcosh a/∂a = 1/√(a² − 1)"""

    array_safe = True

    @staticmethod
    def forward(ctx, a):
        return np.arccosh(a)

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.inputs
        # √(a−1)·√(a+1), not √(a²−1): no cancellation in a² near 1
        return grad / (Sqrt.run(a - 1) * Sqrt.run(a + 1))


class Arctanh(Function):
    """∂artanh a/∂a = 1/(1 − a²)"""

    array_safe = True

    @staticmethod
    def forward(ctx, a):
        return np.arctanh(a)

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.inputs
        return grad / (1 - a * a)


# ---------------------------------------------------------------------- logs and exponentials
class Log2(Function):
    """∂log₂ a/∂a = 1/(a·ln 2)"""

    array_safe = True

    @staticmethod
    def forward(ctx, a):
        return np.log2(a)

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.inputs
        return grad / (a * _LN2)


class Log10(Function):
    """∂log₁₀ a/∂a = 1/(a·ln 10)"""

    array_safe = True

    @staticmethod
    def forward(ctx, a):
        return np.log10(a)

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.inputs
        return grad / (a * _LN10)


class Log1p(Function):
    """∂ln(1 + a)/∂a = 1/(1 + a)"""

    array_safe = True

    @staticmethod
    def forward(ctx, a):
        return np.log1p(a)

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.inputs
        return grad / (1 + a)


class Expm1(Function):
    """∂(eᵃ − 1)/∂a = eᵃ"""

    array_safe = True

    @staticmethod
    def forward(ctx, a):
        out = np.expm1(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        (out,) = ctx.saved_tensors
        return grad * (out + 1)


class Exp2(Function):
    """∂2ᵃ/∂a = 2ᵃ·ln 2"""

    array_safe = True

    @staticmethod
    def forward(ctx, a):
        out = np.exp2(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        (out,) = ctx.saved_tensors
        return grad * out * _LN2


class LogAddExp(Function):
    """∂ln(eᵃ + eᵇ)/∂a = eᵃ⁻ᵒᵘᵗ,  ∂/∂b = eᵇ⁻ᵒᵘᵗ"""

    array_safe = True

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


class LogAddExp2(Function):
    """∂log₂(2ᵃ + 2ᵇ)/∂a = 2ᵃ⁻ᵒᵘᵗ,  ∂/∂b = 2ᵇ⁻ᵒᵘᵗ"""

    array_safe = True

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
class Square(Function):
    """∂a²/∂a = 2a"""

    array_safe = True

    @staticmethod
    def forward(ctx, a):
        return np.square(a)

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.inputs
        return grad * 2 * a


class Reciprocal(Function):
    """∂(1/a)/∂a = −1/a²"""

    array_safe = True

    @staticmethod
    def forward(ctx, a):
        out = np.reciprocal(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        (out,) = ctx.saved_tensors
        return -grad * out * out


class Sign(Function):
    """∂sign(a)/∂a = 0"""

    array_safe = True

    @staticmethod
    def forward(ctx, a):
        return np.sign(a)

    @staticmethod
    def backward(ctx, grad):
        return _zero_gradient(grad)


# ---------------------------------------------------------------------- binary geometry
class Arctan2(Function):
    """∂atan2(y, x)/∂y = x/(x² + y²),  ∂/∂x = −y/(x² + y²)"""

    array_safe = True

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


class Hypot(Function):
    """∂√(a² + b²)/∂a = a/out,  ∂/∂b = b/out"""

    array_safe = True

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
class Floor(Function):
    """∂⌊a⌋/∂a = 0"""

    array_safe = True

    @staticmethod
    def forward(ctx, a):
        return np.floor(a)

    @staticmethod
    def backward(ctx, grad):
        return _zero_gradient(grad)


class Ceil(Function):
    """∂⌈a⌉/∂a = 0"""

    array_safe = True

    @staticmethod
    def forward(ctx, a):
        return np.ceil(a)

    @staticmethod
    def backward(ctx, grad):
        return _zero_gradient(grad)


class Round(Function):
    """∂round(a, decimals)/∂a = 0  (halves to even, as numpy)"""

    array_safe = True

    @staticmethod
    def forward(ctx, a, decimals):
        return np.round(a, decimals)

    @staticmethod
    def backward(ctx, grad):
        return _zero_gradient(grad), None


class Trunc(Function):
    """∂trunc(a)/∂a = 0"""

    array_safe = True

    @staticmethod
    def forward(ctx, a):
        return np.trunc(a)

    @staticmethod
    def backward(ctx, grad):
        return _zero_gradient(grad)


class Mod(Function):
    """∂mod(a, b)/∂a = 1,  ∂/∂b = −⌊a/b⌋  (the result has the sign of b)"""

    array_safe = True

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


class Fmod(Function):
    """∂fmod(a, b)/∂a = 1,  ∂/∂b = −trunc(a/b)  (the result has the sign of a)"""

    array_safe = True

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
class Softplus(Function):
    """∂ln(1 + eᵃ)/∂a = σ(a)"""

    array_safe = True

    @staticmethod
    def forward(ctx, a):
        # log1p(e^−|a|) + max(a, 0): e^−|a| ≤ 1 never overflows, and is exact in both tails
        # (its underflow to 0 for large |a| is the right answer: only the warning is silenced)
        with np.errstate(under="ignore"):
            return np.log1p(np.exp(-np.abs(a))) + np.maximum(a, 0)

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.inputs
        return grad * Sigmoid.run(a)


class NanToNum(Function):
    """∂nan_to_num(a)/∂a = [a finite]  (0 where a value was replaced)"""

    array_safe = True

    @staticmethod
    def forward(ctx, a, nan, posinf, neginf):
        return np.nan_to_num(a, copy=True, nan=nan, posinf=posinf, neginf=neginf)

    @staticmethod
    def backward(ctx, grad):
        a = ctx.inputs[0]
        finite = np.isfinite(raw(a)).astype(grad.dtype)
        return grad * constant(finite, grad), None, None, None


# ---------------------------------------------------------------------- function forms
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
