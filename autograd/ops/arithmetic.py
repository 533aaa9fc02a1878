"""Elementwise arithmetic with numpy broadcasting: + - * / ** neg maximum minimum."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.dtypes import operand_array
from autograd.function import Function
from autograd.ops.broadcasting import unbroadcast
from autograd.ops.formula import ArraySafe, constant, log, raw, where
from autograd.tensor import Tensor


def _operands(a: Any, b: Any) -> tuple:
    """Both operands as Tensors; a Python scalar takes the dtype of the tensor beside it."""
    if not isinstance(a, Tensor):
        a = Tensor._make(operand_array(a, b.data))
    elif not isinstance(b, Tensor):
        b = Tensor._make(operand_array(b, a.data))
    return a, b


class Add(ArraySafe, Function):
    """∂(a+b)/∂a = 1,  ∂(a+b)/∂b = 1"""

    reads = ((), ())

    @staticmethod
    def forward(ctx, a, b):
        return a + b

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.inputs
        need_a, need_b = ctx.needs_input_grad
        return (unbroadcast(grad, a.shape) if need_a else None,
                unbroadcast(grad, b.shape) if need_b else None)


class Sub(ArraySafe, Function):
    """∂(a−b)/∂a = 1,  ∂(a−b)/∂b = −1"""

    reads = ((), ())

    @staticmethod
    def forward(ctx, a, b):
        return a - b

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.inputs
        need_a, need_b = ctx.needs_input_grad
        return (unbroadcast(grad, a.shape) if need_a else None,
                unbroadcast(-grad, b.shape) if need_b else None)


class Mul(ArraySafe, Function):
    """∂(a·b)/∂a = b,  ∂(a·b)/∂b = a"""

    reads = ((1,), (0,))

    @staticmethod
    def forward(ctx, a, b):
        return a * b

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.inputs
        need_a, need_b = ctx.needs_input_grad
        return (unbroadcast(grad * b, a.shape) if need_a else None,
                unbroadcast(grad * a, b.shape) if need_b else None)


class Div(ArraySafe, Function):
    """∂(a/b)/∂a = 1/b,  ∂(a/b)/∂b = −a/b²"""

    reads = ((1,), (0, 1))

    @staticmethod
    def forward(ctx, a, b):
        return a / b

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.inputs
        need_a, need_b = ctx.needs_input_grad
        return (unbroadcast(grad / b, a.shape) if need_a else None,
                unbroadcast(-grad * a / (b * b), b.shape) if need_b else None)


class Pow(ArraySafe, Function):
    """∂(aᵇ)/∂a = b·aᵇ⁻¹,  ∂(aᵇ)/∂b = aᵇ·ln a  (at a = 0: 0 for b ≥ 0, −inf for b < 0)"""

    @staticmethod
    def forward(ctx, a, b):
        return np.power(a, b)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.inputs
        need_a, need_b = ctx.needs_input_grad
        grad_a = grad_b = None
        if need_a:
            exponent = b - 1
            zero_zero = (raw(b) == 0) & (raw(a) == 0)
            if zero_zero.any():
                # a⁰ = 1 has derivative 0, also at a = 0 (where 0·0⁻¹ would give nan): b·a¹
                # is 0 and finite there, and `where` keeps the formula differentiable in b
                exponent = where(zero_zero, 1, exponent)
            grad_a = unbroadcast(grad * b * a ** exponent, a.shape)
        if need_b:
            # At a = 0, PyTorch's rule: 0 where b ≥ 0 (the limit of aᵇ·ln a for b > 0; 0⁰ = 1
            # for every b), −inf where b < 0 (∞·(−∞)); never 0·(−∞) = nan. ln is taken of 1
            # at a = 0, so that its own derivative 1/a never meets a zero there.
            zero = raw(a) == 0
            if zero.any():
                with np.errstate(divide="ignore", invalid="ignore"):  # entries replaced below
                    slope = a ** b * log(where(zero, 1, a))
                below = zero & (raw(b) < 0)
                slope = where(below, -np.inf, slope) if below.any() else slope
            else:
                slope = a ** b * log(a)
            grad_b = unbroadcast(grad * slope, b.shape)
        return grad_a, grad_b


class Neg(ArraySafe, Function):
    """∂(−a)/∂a = −1"""

    reads = ((),)

    @staticmethod
    def forward(ctx, a):
        return -a

    @staticmethod
    def backward(ctx, grad):
        return -grad


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


def add(a: Any, b: Any) -> Tensor:
    """a + b, broadcasting."""
    return Add.apply(*_operands(a, b))


def sub(a: Any, b: Any) -> Tensor:
    """a − b, broadcasting."""
    return Sub.apply(*_operands(a, b))


def mul(a: Any, b: Any) -> Tensor:
    """a · b elementwise, broadcasting."""
    return Mul.apply(*_operands(a, b))


def div(a: Any, b: Any) -> Tensor:
    """a / b elementwise, broadcasting."""
    return Div.apply(*_operands(a, b))


def pow(a: Any, b: Any) -> Tensor:
    """a ** b elementwise, broadcasting (tensor or scalar on either side)."""
    return Pow.apply(*_operands(a, b))


def neg(a: Tensor) -> Tensor:
    """−a."""
    return Neg.apply(a)


def maximum(a: Any, b: Any) -> Tensor:
    """Elementwise maximum, broadcasting."""
    return Maximum.apply(*_operands(a, b))


def minimum(a: Any, b: Any) -> Tensor:
    """Elementwise minimum, broadcasting."""
    return Minimum.apply(*_operands(a, b))
