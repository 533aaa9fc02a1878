"""What the built-in ops share: their base `ArraySafe`, and what a backward formula uses
besides the operators arrays and Tensors share.

A formula is written once, for both kinds: without create_graph the engine runs it on raw
numpy arrays (no Tensor is made for the gradients in between), with create_graph on Tensors,
so that it is recorded and can be differentiated again. These helpers take either kind and
give back the same kind.
"""

from __future__ import annotations

from typing import Any

import numpy as np

# `raw` (a Tensor's array, anything else as it is) lives beside Tensor; formulas compute
# masks and conditions on these values, which carry no gradient.
from autograd.tensor import Tensor, raw  # noqa: F401  (re-exported for the formulas)


class ArraySafe:
    """The base of every built-in op, listed before Function: `class Exp(ArraySafe, Function)`.

    It sets `array_safe = True`: the op's backward uses only what numpy arrays and Tensors
    share (operators, @, .T, .reshape, .sum(axis, keepdims), the helpers below) and
    `Function.run` for anything else, so the engine may run it on raw arrays when nothing is
    recorded. A Function of a user's stays `array_safe = False` (Function's default) and gets
    Tensors unless it says otherwise; a built-in op whose backward needed Tensors would
    subclass Function alone and state `array_safe = False`.

    It also sets `check_gradients = False`: the engine does not re-check the shape and
    dtype of each gradient these formulas return, for the suite checks every built-in op's
    (tests/autograd/ops/test_used_twice.py, tests/autograd/test_array_path.py: arrays of
    their input's shape and dtype, 0-d inputs included).
    """

    __slots__ = ()  # flags of the class: nothing is added to each recorded node
    array_safe = True
    check_gradients = False


def constant(values: np.ndarray, like: Any) -> Any:
    """`values` as the same kind as `like`: a constant Tensor beside Tensors, else the array."""
    return Tensor._make(values) if isinstance(like, Tensor) else values


def zeros(shape: tuple, like: Any) -> Any:
    """Zeros of `shape` in `like`'s dtype, as the same kind as `like`: the gradient of a
    piecewise-constant op (a constant, so nothing flows through it)."""
    return constant(np.zeros(shape, like.dtype), like)


def exp(x: Any) -> Any:
    """eˣ of an array or a Tensor."""
    return x.exp() if isinstance(x, Tensor) else np.exp(x)


def log(x: Any) -> Any:
    """ln x of an array or a Tensor."""
    return x.log() if isinstance(x, Tensor) else np.log(x)


def broadcast_to(x: Any, shape: tuple) -> Any:
    """x broadcast to `shape` (an array, or a Tensor whose gradient sums back)."""
    return x.broadcast_to(shape) if isinstance(x, Tensor) else np.broadcast_to(x, shape)


def where(condition: np.ndarray, x: Any, y: Any) -> Any:
    """x where `condition` holds, else y (either may be a number)."""
    if isinstance(x, Tensor) or isinstance(y, Tensor):
        from autograd.ops.shape import where as tensor_where  # shape imports this module

        return tensor_where(condition, x, y)
    return np.where(condition, x, y)
