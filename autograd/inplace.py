"""In-place changes of a Tensor, with PyTorch's rules: `p -= lr * p.grad`, `t[i] = v`,
`t.add_(u)`, `t.copy_(src)`, `t.zero_()`, ... change the tensor's own array and return the
tensor itself.

Where nothing is recorded the result is written into the array. Where the graph is recorded,
the old value keeps its place in the graph and the tensor becomes the output of the op
recorded on it, so gradients stay right. Every change bumps the tensor's version, so that a
node that saved the old values refuses to run backward (autograd/versions.py). The methods
are attached to Tensor from here, as autograd/methods.py attaches the operators.
"""

from __future__ import annotations

import weakref
from typing import Any, Callable

import numpy as np

from autograd import dtypes, versions
from autograd.mode import per_thread as _per_thread
from autograd.ops import add, cast, clip, div, matmul, mul, pow, set_item, sub
from autograd.tensor import Tensor, attach


class InPlaceMethods:
    """Tensor's in-place operators and methods; never instantiated: `attach` puts them on
    Tensor (below)."""

    def __iadd__(self, other: Any) -> Tensor:
        return _in_place(self, "+=", add, other)

    def __isub__(self, other: Any) -> Tensor:
        return _in_place(self, "-=", sub, other)

    def __imul__(self, other: Any) -> Tensor:
        return _in_place(self, "*=", mul, other)

    def __itruediv__(self, other: Any) -> Tensor:
        return _in_place(self, "/=", div, other)

    def __imatmul__(self, other: Any) -> Tensor:
        return _in_place(self, "@=", matmul, other)

    def __ipow__(self, other: Any) -> Tensor:
        return _in_place(self, "**=", pow, other)

    def __setitem__(self, index: Any, value: Any) -> None:
        _in_place(self, "t[index] = value", lambda a, v: set_item(a, index, v), value)

    def add_(self, other: Any, alpha: float = 1) -> Tensor:
        """self += alpha · other, in place."""
        return _in_place(self, "add_", add, other if alpha == 1 else mul(other, alpha))

    def sub_(self, other: Any, alpha: float = 1) -> Tensor:
        """self −= alpha · other, in place."""
        return _in_place(self, "sub_", sub, other if alpha == 1 else mul(other, alpha))

    def mul_(self, other: Any) -> Tensor:
        """self ·= other, in place."""
        return _in_place(self, "mul_", mul, other)

    def div_(self, other: Any) -> Tensor:
        """self /= other, in place."""
        return _in_place(self, "div_", div, other)

    def clamp_(self, min: Any = None, max: Any = None) -> Tensor:
        """Limit the values to [min, max], in place."""
        return _in_place(self, "clamp_", lambda a: clip(a, min, max))

    def fill_(self, value: Any) -> Tensor:
        """Set every entry to `value`, in place."""
        return _in_place(self, "fill_", lambda a, v: set_item(a, Ellipsis, v), value)

    def zero_(self) -> Tensor:
        """Set every entry to 0, in place."""
        return self.fill_(0)

    def copy_(self, src: Any) -> Tensor:
        """Copy `src` (broadcast to this shape) into this tensor, in place."""
        return _in_place(self, "copy_", lambda a, v: set_item(a, Ellipsis, v), src)


def _in_place(t: Tensor, name: str, op: Callable[..., Tensor], *operands: Any) -> Tensor:
    """Make `op(t, *operands)` t's new value, in its own array.

    When nothing is recorded the result is simply written into the array. When the graph is
    recorded (grad mode on, and t or an operand requires grad), the old value keeps its place
    in the graph under a new Tensor, the op is recorded on it, and t becomes that op's
    output: gradients stay right. Every change bumps the version, so a node that saved the
    old values refuses to run backward.
    """
    recording = _per_thread.modes.grad_enabled and (t._requires_grad or any(
        isinstance(o, Tensor) and o._requires_grad for o in operands))
    _check_in_place(t, name, recording)
    if not recording:
        values = op(t, *operands).data
        _check_writable(t, name, values)
        _write_in_place(t, values)
        return t
    if not dtypes.is_floating(t.data.dtype):
        raise TypeError(f"{name} on a tensor of dtype {t.data.dtype} with an operand "
                        "that requires grad: the result would need a gradient, and only "
                        "floating-point tensors have one")
    # Everything that can fail runs before the graph or the array is touched.
    old = Tensor._make(t.data.copy())  # the old value, in the old place of the graph
    old._requires_grad = t._requires_grad
    old.grad_fn = t.grad_fn
    # `b += b`, `b *= b`: the operand is the old value too, not the tensor being written
    result = op(old, *[old if o is t else o for o in operands])
    if result.data.dtype != t.data.dtype:
        result = cast(result, t.data.dtype)
    _check_writable(t, name, result.data)
    # a retained .grad is the gradient of the tensor the user holds: of the new value
    retained = None
    if t.grad_fn is not None:
        retained, t.grad_fn._retained = t.grad_fn._retained, None
        _hand_over_output(t, old)
    _write_in_place(t, result.data)
    node = result.grad_fn
    t.grad_fn = node
    t._requires_grad = True
    node._output_ref = weakref.ref(t)
    node._saved = tuple(t.data if v is result.data else v for v in node._saved)
    node.sequence = versions.next_sequence()  # its own write is no change under it
    node._retained = retained
    return t


def _check_in_place(t: Tensor, name: str, recording: bool) -> None:
    """Refuse the in-place changes PyTorch refuses, before anything is written."""
    if t.grad_fn is None and t._requires_grad and _per_thread.modes.grad_enabled:
        raise RuntimeError(
            f"{name} on a leaf tensor that requires grad (shape {t.shape}): changing it in "
            "place outside no_grad() would bypass the graph. Update parameters inside `with "
            "no_grad():` (as in `p -= lr * p.grad`) or with an optimizer from optim.")
    if recording and (t._base is not None or t._has_views):
        base = t._base
        other = ("a leaf that requires grad" if base is not None and base.grad_fn is None
                 and base._requires_grad else "another tensor")
        raise RuntimeError(
            f"{name} on a tensor (shape {t.shape}) that shares its data with {other} (a view "
            "made by reshape, transpose, indexing or detach) while the graph is recorded: the "
            "other tensor's values would change without its graph knowing. Write it out of "
            "place (`y = y + v`), or change it under no_grad().")


def _check_writable(t: Tensor, name: str, values: np.ndarray) -> None:
    """Raise unless `values` can be written into t's array: same shape, a dtype that casts
    safely ("same_kind"), a writeable array."""
    if values.shape != t.data.shape:
        raise ValueError(f"{name} on a tensor of shape {t.data.shape}: the result has shape "
                         f"{values.shape}, and an in-place operation cannot change the shape")
    if not np.can_cast(values.dtype, t.data.dtype, casting="same_kind"):
        raise TypeError(f"{name} on a tensor of dtype {t.data.dtype}: the result has dtype "
                        f"{values.dtype}, which cannot be stored in it")
    if not t.data.flags.writeable:
        raise ValueError(f"{name}: the tensor's array (shape {t.data.shape}) is read-only")


def _write_in_place(t: Tensor, values: np.ndarray) -> None:
    t.bump_version()  # first: a node recorded while the values change must not pass as fresh
    np.copyto(t.data, values, casting="same_kind")


def _hand_over_output(t: Tensor, old: Tensor) -> None:
    """Make `old` (a copy of t's values) the output of t's node, so that t can become the
    output of the in-place op recorded on it; what the node saved of t's array is the copy's
    now, and a saved view of it, which would see the new values, makes the node refuse."""
    node = t.grad_fn
    node._output_ref = weakref.ref(old)
    saved = tuple(old.data if v is t.data else v for v in node._saved)
    node._saved = saved
    for v in saved:
        if isinstance(v, np.ndarray) and np.may_share_memory(v, t.data):
            node._stale = (f"{node.name} saved a view of its output (shape {t.shape}), "
                           "which an in-place operation then changed")


attach(Tensor, InPlaceMethods)
