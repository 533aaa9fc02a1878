"""Matrix product with numpy's semantics (1-D operands, 2-D, and batches that broadcast),
and the affine map x W + b of a dense layer in one node."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd.dtypes import operand_array
from autograd.function import Function
from autograd.ops.arithmetic import _operands
from autograd.ops.broadcasting import unbroadcast
from autograd.ops.formula import ArraySafe
from autograd.tensor import Tensor


class MatMul(ArraySafe, Function):
    """∂(A@B)/∂A: G @ Bᵀ,  ∂(A@B)/∂B: Aᵀ @ G"""

    operands = ("A", "B")  # its operands as its derivative names them (pictures)

    reads = ((1,), (0,))

    @staticmethod
    def forward(ctx, a, b):
        if a.ndim == 0 or b.ndim == 0:
            raise ValueError("matmul needs operands of at least one dimension")
        return np.matmul(a, b)

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.inputs
        need_a, need_b = ctx.needs_input_grad
        if a.ndim == 2 and b.ndim == 2:  # the layer case, kept free of reshapes
            return (grad @ b.T if need_a else None,
                    a.T @ grad if need_b else None)
        # A 1-D operand acts as a row (left) or column (right) vector: give it and the
        # gradient that axis back, then take it away again at the end.
        a2 = a.reshape(1, -1) if a.ndim == 1 else a
        b2 = b.reshape(-1, 1) if b.ndim == 1 else b
        g2 = grad
        if b.ndim == 1:
            g2 = g2.reshape(g2.shape + (1,))
        if a.ndim == 1:
            g2 = g2.reshape(g2.shape[:-1] + (1,) + g2.shape[-1:])
        grad_a = grad_b = None
        if need_a:
            grad_a = unbroadcast(g2 @ b2.swapaxes(-1, -2), a2.shape).reshape(a.shape)
        if need_b:
            grad_b = unbroadcast(a2.swapaxes(-1, -2) @ g2, b2.shape).reshape(b.shape)
        return grad_a, grad_b


def matmul(a: Any, b: Any) -> Tensor:
    """The matrix product a @ b, with numpy's rules for 1-D and batched operands."""
    return MatMul.apply(*_operands(a, b))


class Affine(ArraySafe, Function):
    """∂(xW+b)/∂x = G Wᵀ,  ∂(xW+b)/∂W = xᵀ G,  ∂(xW+b)/∂b = Σₙ G"""

    operands = ("x", "W", "b")  # its operands as its derivative names them (pictures)

    @staticmethod
    def forward(ctx, x, w, b):
        if x.ndim == 0 or w.ndim != 2:
            raise ValueError("affine needs x of at least one dimension and a 2-D W")
        out = np.matmul(x, w)
        out += b  # a fresh array: the bias is added in place, one pass and no temporary
        return out

    @staticmethod
    def backward(ctx, grad):
        x, w, b = ctx.inputs
        need_x, need_w, need_b = ctx.needs_input_grad
        grad_w = None
        if need_w:  # every row of x (over all leading axes) meets its row of G
            # the row count written out: reshape cannot infer −1 when an axis is 0
            rows = x.size // x.shape[-1] if x.shape[-1] else int(np.prod(x.shape[:-1]))
            grad_w = (x.T @ grad if x.ndim == 2 else
                      x.reshape(rows, x.shape[-1]).T @ grad.reshape(rows, grad.shape[-1]))
        return (grad @ w.T if need_x else None, grad_w,
                unbroadcast(grad, b.shape) if need_b else None)


def affine(x: Any, w: Any, b: Any) -> Tensor:
    """x W + b in one node: the course's s = xW + b of a dense layer (W is (in, out), b is
    (out,)); the same values and gradients as `x @ W + b`, one op fewer in the graph."""
    x, w = _operands(x, w)
    if not isinstance(b, Tensor):
        b = Tensor._make(operand_array(b, w.data))
    if b.shape != (w.shape[-1],):
        raise ValueError(f"affine: b must have shape ({w.shape[-1]},) for W of shape "
                         f"{w.shape}, got {b.shape}")
    return Affine.apply(x, w, b)
