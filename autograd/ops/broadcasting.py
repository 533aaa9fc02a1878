"""Undo numpy broadcasting in backward: the one helper every op uses for it."""

from __future__ import annotations

from autograd.tensor import Tensor


def unbroadcast(grad: Tensor, shape: tuple) -> Tensor:
    """Sum `grad` over the axes that broadcasting added or stretched, giving `shape`.

    If x of shape (3, 1) was broadcast to (2, 3, 4), each x[i, 0] was used 2·4 times, so its
    gradient is the sum of those 8 entries of the output's gradient.
    """
    if grad.shape == shape:
        return grad
    extra = grad.ndim - len(shape)
    axes = tuple(range(extra)) + tuple(
        extra + i for i, size in enumerate(shape) if size == 1 and grad.shape[extra + i] != 1)
    if axes:
        grad = grad.sum(axis=axes, keepdims=True)
    return grad.reshape(shape) if grad.shape != shape else grad
