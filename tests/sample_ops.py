"""Small Functions shared by the tests of gradcheck and of autograd.testing: one right, two
wrong in different ways (same forward, each its own backward)."""

from autograd import Function, Tensor


class Square(Function):
    """∂a²/∂a = 2a"""

    @staticmethod
    def forward(ctx, a):
        return a * a

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.inputs
        return grad * 2 * a


class WrongSquare(Square):
    """claims ∂a²/∂a = a"""

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.inputs
        return grad * a


class FlatSquare(Square):
    """∂a²/∂a = 2a, right, but from raw arrays: its second derivative comes out zero"""

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.inputs
        return grad * Tensor._make(2 * a.data)
