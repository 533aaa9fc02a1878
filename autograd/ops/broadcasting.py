"""Undo numpy broadcasting in backward: the one helper every op uses for it."""

from __future__ import annotations

from typing import Any

import numpy as np

_add_reduce = np.add.reduce  # an array's .sum() runs a Python layer first


def unbroadcast(grad: Any, shape: tuple) -> Any:
    """Sum `grad` over the axes that broadcasting added or stretched, giving `shape`.

    If x of shape (3, 1) was broadcast to (2, 3, 4), each x[i, 0] was used 2·4 times, so its
    gradient is the sum of those 8 entries of the output's gradient.
    """
    grad_shape = grad.shape  # grad: an array or a Tensor (one formula serves both)
    if grad_shape == shape:
        return grad
    extra = len(grad_shape) - len(shape)
    stretched = []
    for i, size in enumerate(shape):
        if size == 1 and grad_shape[extra + i] != 1:
            stretched.append(extra + i)
    if not stretched:  # only leading axes were added (a bias row): one sum does it
        axes = 0 if extra == 1 else tuple(range(extra))
        return _add_reduce(grad, axes) if type(grad) is np.ndarray else grad.sum(axis=axes)
    axes = tuple(range(extra)) + tuple(stretched)
    grad = (_add_reduce(grad, axes, keepdims=True) if type(grad) is np.ndarray
            else grad.sum(axis=axes, keepdims=True))
    return grad.reshape(shape) if extra else grad
