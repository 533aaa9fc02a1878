"""Padding, one way in: `pad` (autograd.pad: a constant border in one node, Pad) and
`pad_array` (numpy's np.pad: modes constant, edge, reflect, symmetric and wrap), both reading
pad_width with the one parser `pad_widths`.

Pad's backward is the slice of the gradient where x was copied in. The other modes are
gathers and joins of slices (getitem, concatenate), so the gradient of the padded array sums
back onto the entries each padded value was copied (or mirrored) from, and second
derivatives come with those ops. The pad constants are not differentiable (a Tensor that
requires grad there raises TypeError).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd import dtypes
from autograd.function import Function
from autograd.ops.arguments import _NO_VALUE, _constant
from autograd.ops.course import getitem
from autograd.ops.elementwise import Clone
from autograd.ops.formula import ArraySafe
from autograd.ops.shape import _axis, _slice, axis_index, concatenate
from autograd.tensor import Tensor, as_tensor, raw

__all__ = ["Pad", "pad", "pad_array", "pad_widths"]


def pad_widths(op: str, x: Tensor, pad_width: Any) -> tuple:
    """pad_width as one (before, after) pair of ints per axis of x, numpy's forms read the
    one way for both pads: an int (every side of every axis), one pair (before, after) for
    every axis, one pair per axis, or numpy 2.3's dict {axis: width or (before, after)};
    integers ≥ 0. An error names `op`, the pad_width and x's shape."""
    if isinstance(pad_width, dict):
        pairs = [(0, 0)] * x.ndim
        for ax, width in pad_width.items():
            width = (width, width) if isinstance(width, int) else tuple(width)
            pairs[_axis(op, x, ax)] = width
        pad_width = pairs
    widths = np.asarray(raw(pad_width))
    if widths.size == 0:  # () for a 0-d tensor: nothing to pad
        widths = np.zeros((0, 2), dtype=np.intp)
    if widths.dtype.kind not in "iu":
        raise TypeError(f"{op}: pad_width must be integers, got {pad_width!r}")
    if widths.size and widths.min() < 0:
        raise ValueError(f"{op}: pad_width must be non-negative, got {pad_width!r}")
    try:
        # numpy's _as_pairs: one number, or one pair, serves every axis
        widths = np.broadcast_to(widths, (x.ndim, 2))
    except ValueError:
        raise ValueError(f"{op}: pad_width {pad_width!r} (shape {widths.shape}) does not fit "
                         f"a tensor of shape {x.shape}: give an int, a pair (before, after) "
                         f"or {x.ndim} pairs, one per axis") from None
    return tuple((int(before), int(after)) for before, after in widths)


class Pad(ArraySafe, Function):
    """∂pad(x)/∂x: the gradient's slice where x was copied in"""

    @staticmethod
    def forward(ctx, x, pad_width, value):
        shape = tuple(size + before + after for size, (before, after) in zip(x.shape, pad_width))
        out = np.full(shape, value, dtype=x.dtype)
        out[_interior(x.shape, pad_width)] = x
        return out

    @staticmethod
    def backward(ctx, grad):
        x, pad_width, _ = ctx.inputs
        return grad[_interior(x.shape, pad_width)], None, None


def _interior(shape: tuple, pad_width: tuple) -> tuple:
    return tuple(slice(before, before + size) for size, (before, _) in zip(shape, pad_width))


def pad(x: Any, pad_width: Any, value: float = 0.0) -> Tensor:
    """x with `value` added around it, as numpy's np.pad(x, pad_width, constant_values=value)
    (constant mode), in one node: pad_width is an int (every side of every axis), a pair
    (before, after) for every axis, one pair per axis, or a dict {axis: width} (pad_widths)."""
    x = as_tensor(x)
    return Pad.apply(x, pad_widths("pad", x, pad_width), value)


def _constant_blocks(x: Tensor, axis: int, widths: tuple, values: tuple) -> Tensor:
    """x with blocks of the constants `values` (before, after) joined along `axis`."""
    parts = []
    for width, value in ((widths[0], values[0]), (None, None), (widths[1], values[1])):
        if width is None:
            parts.append(x)
        elif width:
            shape = x.shape[:axis] + (width,) + x.shape[axis + 1:]
            parts.append(Tensor._make(np.full(shape, value, dtype=x.dtype)))
    return concatenate(parts, axis=axis) if len(parts) > 1 else x


def _reflected(x: Tensor, axis: int, widths: tuple, odd: bool, symmetric: bool) -> Tensor:
    """numpy's reflect / symmetric padding along one axis, its loop mirrored: each pass adds
    up to one period of mirrored entries (for 'odd', 2·edge − mirrored) on both sides."""
    left, right = widths
    period = x.shape[axis]
    if period == 1:  # numpy extends a single entry as 'edge' (its legacy behaviour)
        return getitem(x, axis_index(axis, np.zeros(left + 1 + right, dtype=np.intp), x.ndim))
    edge_offset = 1 if symmetric else 0
    while left > 0 or right > 0:
        length = x.shape[axis]
        if symmetric:
            usable = length // period * period
        else:
            usable = (length - 1) // (period - 1) * (period - 1)
        parts = []
        if left > 0:
            size = min(usable, left)
            # x[size:0:-1] (reflect) or x[size-1::-1] (symmetric: the edge repeats)
            chunk = _slice(x, axis, size - edge_offset, None if edge_offset else 0, -1)
            if odd:
                chunk = 2 * _slice(x, axis, 0, 1) - chunk
            parts.append(chunk)
            left -= size
        parts.append(x)
        if right > 0:
            size = min(usable, right)
            start = length - 2 + edge_offset
            chunk = _slice(x, axis, start, start - size if start - size >= 0 else None, -1)
            if odd:
                chunk = 2 * _slice(x, axis, length - 1, length) - chunk
            parts.append(chunk)
            right -= size
        x = concatenate(parts, axis=axis)
    return x


def _wrapped(x: Tensor, axis: int, widths: tuple) -> Tensor:
    """numpy's wrap padding along one axis, its loop mirrored (one period per pass)."""
    left, right = widths
    original = x.shape[axis]
    while left > 0 or right > 0:
        length = x.shape[axis]
        period = length // original * original
        parts = []
        if left > 0:
            size = min(period, left)
            parts.append(_slice(x, axis, period - size, period))
            left = left - period if left > period else 0
        parts.append(x)
        if right > 0:
            size = min(period, right)
            parts.append(_slice(x, axis, length - period, length - period + size))
            right = right - period if right > period else 0
        x = concatenate(parts, axis=axis)
    return x


def pad_array(array: Any, pad_width: Any, mode: str = "constant", *,
              constant_values: Any = _NO_VALUE, reflect_type: Any = _NO_VALUE) -> Tensor:
    """numpy's np.pad (autograd.pad is its constant mode in one node): modes 'constant' (with
    constant_values: one value, or (before, after) per axis), 'edge', 'reflect' and
    'symmetric' (reflect_type 'even' or 'odd') and 'wrap'. The gradient of the padded
    array sums back onto the entries each padded value was copied (or mirrored) from."""
    x = as_tensor(array)
    pairs = pad_widths("pad_array", x, pad_width)
    allowed = {"constant": ("constant_values",), "edge": (), "wrap": (),
               "reflect": ("reflect_type",), "symmetric": ("reflect_type",)}
    others = ("empty", "linear_ramp", "maximum", "mean", "median", "minimum")
    if callable(mode) or mode not in allowed:
        raise ValueError(f"pad_array: mode {mode!r} is not supported (supported: "
                         f"{', '.join(allowed)}; numpy's {', '.join(others)} and callables "
                         "are not)")
    given = {"constant_values": constant_values, "reflect_type": reflect_type}
    unsupported = {k for k, v in given.items() if v is not _NO_VALUE} - set(allowed[mode])
    if unsupported:
        raise ValueError(f"pad_array: unsupported keyword arguments for mode '{mode}': "
                         f"{unsupported}")
    if mode == "constant":
        values = np.asarray(_constant("pad_array", "constant_values",
                                      0 if constant_values is _NO_VALUE else constant_values))
        # numpy would write nan as int64's minimum and 300 as uint8 44; PyTorch refuses
        dtypes.check_fits(f"pad_array of {x.dtype}: constant_values", values, x.dtype)
        if values.size == 1:  # one value everywhere: one Pad node
            return Pad.apply(x, pairs, values.reshape(()).item()) \
                if any(w for pair in pairs for w in pair) else Clone.apply(x)
        try:
            values = np.broadcast_to(values.reshape(-1) if values.size == 2 and
                                     values.shape != (2, 1) else values, (x.ndim, 2))
        except ValueError:
            raise ValueError(f"pad_array: constant_values of shape {values.shape} do not fit "
                             f"an array of shape {x.shape}") from None
        out = x
        for ax, (widths, pair) in enumerate(zip(pairs, values)):
            out = _constant_blocks(out, ax, widths, tuple(pair))
        return out if out is not x else Clone.apply(x)
    if reflect_type is _NO_VALUE:
        reflect_type = "even"
    if reflect_type not in ("even", "odd"):
        raise ValueError(f"pad_array: reflect_type must be 'even' or 'odd', got "
                         f"{reflect_type!r}")
    for ax, widths in enumerate(pairs):
        if x.shape[ax] == 0 and any(widths):
            raise ValueError(f"pad_array of shape {x.shape}: can't extend empty axis {ax} "
                             "using modes other than 'constant' or 'empty'")
    out = x
    if x.size:
        for ax, widths in enumerate(pairs):
            if not any(widths):
                continue
            if mode == "edge":
                n = out.shape[ax]
                index = np.clip(np.arange(-widths[0], n + widths[1]), 0, n - 1)
                out = getitem(out, axis_index(ax, index, out.ndim))
            elif mode == "wrap":
                out = _wrapped(out, ax, widths)
            else:
                out = _reflected(out, ax, widths, reflect_type == "odd", mode == "symmetric")
    else:  # numpy: only the empty axes' zero widths are left; the result is empty
        shape = tuple(n + before + after for n, (before, after) in zip(x.shape, pairs))
        out = Tensor._make(np.zeros(shape, dtype=x.dtype))
    return out if out is not x else Clone.apply(x)
