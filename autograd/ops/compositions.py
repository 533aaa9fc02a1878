"""numpy's numerical array functions, differentiable: diff ediff1d gradient cross trapezoid,
median quantile percentile, the nan-ignoring reductions (nansum nanmean nanmax nanmin nanprod
nanvar nanstd), partition, append delete insert, convolve correlate, cov corrcoef.
(numpy's np.pad, as `pad_array`, is in padding.py; numpy.linalg's matrix_power, pinv and
multi_dot, compositions too, are with the rest of linear algebra in linalg.py.)

Each is a composition of existing differentiable ops (getitem, concatenate, where, sort,
sum, matmul, svd, ...) with numpy's names, signatures and semantics, so its gradient and its
second derivatives come from those ops; no new Function. Decisions:

- Values are numpy's: where numpy computes in a certain order (gradient's coefficients, the
  trapezoid's d·(y₁ + y₀)/2, quantile's two-sided lerp, cov's c·(1/fact)), the same
  operations run in the same order.
- Sorting and selecting (median, quantile, percentile, partition, nanmax, nanmin): the
  gradient goes to the entries the value is read or interpolated from, through numpy's
  sorting (argsort) or argpartition permutation; tied entries: numpy's order picks one.
- The nan* family replaces NaN entries by a constant through `where`, so they get gradient 0.
  A slice with no numbers gives numpy's value (nan, or 0 for nansum and 1 for nanprod) with
  numpy's RuntimeWarning, and gradient 0 (the divisions there are guarded, never 0/0).
- median and quantile of a slice that holds a NaN are nan, as numpy's (gradient 0 there).
- delete and insert read numpy's own layout: np.delete / np.insert run on an array of
  positions, so every form of `obj` and every error is numpy's; the result is one gather.
- convolve and correlate are one gather of windows (an im2col) and one matrix product.
- Spacings of gradient and q of quantile are not differentiable (a Tensor that requires
  grad there raises TypeError).
- Limitations: convolve/correlate pad with zeros, so an inf or nan entry can turn outputs
  nan that numpy keeps finite (numpy skips the terms outside the overlap).
"""

from __future__ import annotations

import math
import warnings
from typing import Any, Optional, Sequence, Union

import numpy as np

from autograd import dtypes
from autograd.ops.arguments import _NO_VALUE, _constant, _operand, normalize_axes
from autograd.ops.course import broadcast_to, getitem, matmul, reshape, sqrt
from autograd.ops.elementwise import clip
from autograd.ops.linalg import diagonal, dot
from autograd.ops.padding import pad as constant_pad
from autograd.ops.reductions import prod as _prod
from autograd.ops.reductions import std as _std
from autograd.ops.reductions import var as _var
from autograd.ops.shape import (
    _axes, _axis, _count, _slice, concatenate, flip, moveaxis, sort, squeeze, stack,
    take_along_axis, where,
)
from autograd.tensor import Tensor, as_tensor, raw
from autograd.torch_keywords import torch_aliases, values_indices_habit

__all__ = [
    "append", "convolve", "corrcoef", "correlate", "cov", "cross", "delete", "diff",
    "ediff1d", "gradient", "insert", "median", "nanmax", "nanmean", "nanmin", "nanprod",
    "nanstd", "nansum", "nanvar", "partition", "percentile", "quantile", "trapezoid",
]

AxisArg = Union[None, int, Sequence[int]]


# ---------------------------------------------------------------------- helpers


def _keepdims(name: str, keepdims: Any) -> bool:
    if keepdims is True or keepdims is False or isinstance(keepdims, np.bool_):
        return bool(keepdims)
    raise TypeError(f"{name}: keepdims must be True or False, got {keepdims!r}")


def _reduced_axes(name: str, a: Tensor, axis: AxisArg) -> tuple:
    """`axis` (None, an int or a tuple) as sorted non-negative axes, the error naming `name`
    and a's shape."""
    try:
        return normalize_axes(tuple(axis) if isinstance(axis, list) else axis, a.ndim)
    except (TypeError, ValueError) as error:
        raise type(error)(f"{name} of shape {a.shape}: {error}") from None


def _check_joinable(name: str, parts: Sequence[Tensor], axis: int) -> None:
    """The shapes concatenate accepts along `axis`, checked here to name `name`."""
    first = parts[0]
    for other in parts[1:]:
        if other.ndim != first.ndim or any(
                i != axis and p != q for i, (p, q) in enumerate(zip(first.shape, other.shape))):
            raise ValueError(f"{name}: shapes {[p.shape for p in parts]} do not join along "
                             f"axis {axis} (all but that axis must match)")


def _floating(t: Tensor) -> Tensor:
    """t in a floating dtype: integers (and bools) become float64, as numpy's results do
    (dtypes.floating_result)."""
    return t if t.dtype.kind == "f" else t.astype(dtypes.floating_result(t.dtype))


# ---------------------------------------------------------------------- differences
@torch_aliases
def diff(a: Any, n: int = 1, axis: int = -1, prepend: Any = _NO_VALUE,
         append: Any = _NO_VALUE) -> Tensor:
    """numpy.diff: the n-th discrete difference out[i] = a[i+1] − a[i] along `axis`, after
    joining `prepend` and `append` (scalars are broadcast to one slice) to `a`."""
    n = _count("diff", n, "n")
    if n == 0:
        return as_tensor(a)  # numpy returns a itself, nothing joined
    if n < 0:
        raise ValueError(f"diff: order must be non-negative but got {n}")
    a = as_tensor(a)
    if a.ndim == 0:
        raise ValueError("diff requires input that is at least one dimensional, got shape ()")
    ax = _axis("diff", a, axis)
    parts = []
    for value in (prepend, None, append):
        if value is None:
            parts.append(a)
        elif value is not _NO_VALUE:
            extra = _operand(value, a)
            if extra.ndim == 0:
                extra = broadcast_to(extra, a.shape[:ax] + (1,) + a.shape[ax + 1:])
            parts.append(extra)
    if len(parts) > 1:
        _check_joinable("diff", parts, ax)
        a = concatenate(parts, axis=ax)
    if a.dtype == np.bool_:  # numpy's diff of booleans is not_equal: no gradient
        return Tensor._make(np.diff(a.data, n=n, axis=ax))
    for _ in range(n):
        a = _slice(a, ax, 1, None) - _slice(a, ax, None, -1)
    return a


def ediff1d(ary: Any, to_end: Any = None, to_begin: Any = None) -> Tensor:
    """numpy.ediff1d: the differences of the flattened array, with `to_begin` before and
    `to_end` after them (each flattened, in ary's dtype)."""
    a = reshape(as_tensor(ary), -1)
    differences = _slice(a, 0, 1, None) - _slice(a, 0, None, -1)
    if to_begin is None and to_end is None:
        return differences
    parts = []
    for value, what in ((to_begin, "to_begin"), (differences, None), (to_end, "to_end")):
        if what is None:
            parts.append(value)
        elif value is not None:
            extra = _operand(value, a)
            if not np.can_cast(extra.dtype, a.dtype, casting="same_kind"):
                raise TypeError(f"ediff1d: dtype of `{what}` ({extra.dtype}) must be compatible "
                                f"with input `ary` ({a.dtype}) under the `same_kind` rule.")
            parts.append(reshape(extra, -1).astype(a.dtype))
    return concatenate(parts, axis=0)


def _spacings(f: Tensor, axes: tuple, varargs: tuple) -> list:
    """numpy.gradient's spacing per axis: a number, or the differences of 1-D coordinates
    (a number again when they are evenly spaced, as numpy reduces them)."""
    n = len(varargs)
    if n == 0:
        return [1.0] * len(axes)
    varargs = tuple(_constant("gradient", "a spacing", v) for v in varargs)
    if n == 1 and np.ndim(varargs[0]) == 0:
        return list(varargs) * len(axes)
    if n != len(axes):
        raise TypeError(f"gradient of shape {f.shape}: invalid number of arguments: {n} "
                        f"spacings for {len(axes)} axes (give none, one scalar, or one per "
                        "axis)")
    spacings = []
    for ax, given in zip(axes, varargs):
        distances = np.asanyarray(given)
        if distances.ndim == 0:
            spacings.append(given)
            continue
        if distances.ndim != 1:
            raise ValueError(f"gradient: distances must be either scalars or 1d, got shape "
                             f"{distances.shape}")
        if len(distances) != f.shape[ax]:
            raise ValueError(f"gradient of shape {f.shape}: when 1d, distances must match the "
                             f"length of the corresponding dimension (axis {ax} has "
                             f"{f.shape[ax]}, distances {len(distances)})")
        if np.issubdtype(distances.dtype, np.integer):
            distances = distances.astype(np.float64)  # no modular arithmetic in diff
        steps = np.diff(distances)
        spacings.append(steps[0] if (steps == steps[0]).all() else steps)
    return spacings


def _gradient_along(f: Tensor, axis: int, dx: Any, edge_order: int) -> Tensor:
    """numpy.gradient along one axis: central differences inside, one-sided ones (first or
    second order) at both ends, each with numpy's coefficients and order of operations."""
    ndim = f.ndim

    def at(start: Optional[int], stop: Optional[int]) -> Tensor:
        return _slice(f, axis, start, stop)

    def shaped(c: np.ndarray) -> np.ndarray:  # coefficients along `axis`, broadcasting
        return c.reshape(tuple(-1 if i == axis else 1 for i in range(ndim)))

    uniform = np.ndim(dx) == 0
    if uniform:
        inside = (at(2, None) - at(None, -2)) / (2. * dx)
    else:
        dx1, dx2 = dx[0:-1], dx[1:]
        a = shaped(-(dx2) / (dx1 * (dx1 + dx2)))
        b = shaped((dx2 - dx1) / (dx1 * dx2))
        c = shaped(dx1 / (dx2 * (dx1 + dx2)))
        inside = at(None, -2) * a + at(1, -1) * b + at(2, None) * c
    if edge_order == 1:
        first = (at(1, 2) - at(0, 1)) / (dx if uniform else dx[0])
        last = (at(-1, None) - at(-2, -1)) / (dx if uniform else dx[-1])
    else:
        if uniform:
            a, b, c = -1.5 / dx, 2. / dx, -0.5 / dx
        else:
            dx1, dx2 = dx[0], dx[1]
            a = -(2. * dx1 + dx2) / (dx1 * (dx1 + dx2))
            b = (dx1 + dx2) / (dx1 * dx2)
            c = - dx1 / (dx2 * (dx1 + dx2))
        first = at(0, 1) * a + at(1, 2) * b + at(2, 3) * c
        if uniform:
            a, b, c = 0.5 / dx, -2. / dx, 1.5 / dx
        else:
            dx1, dx2 = dx[-2], dx[-1]
            a = (dx2) / (dx1 * (dx1 + dx2))
            b = - (dx2 + dx1) / (dx1 * dx2)
            c = (2. * dx2 + dx1) / (dx2 * (dx1 + dx2))
        last = at(-3, -2) * a + at(-2, -1) * b + at(-1, None) * c
    return concatenate([first, inside, last], axis=axis)


def gradient(f: Any, *varargs: Any, axis: AxisArg = None,
             edge_order: int = 1) -> Union[Tensor, tuple]:
    """numpy.gradient: second-order central differences inside and first- or second-order
    one-sided differences at the ends, along each axis; spacings are one scalar for all
    axes, or one scalar or 1-D coordinate array per axis. One Tensor for a single axis, else
    a tuple of them (numpy 2). edge_order is 1 or 2, numpy's documented values (numpy runs
    0 and negative ones through its second-order branch; they raise here)."""
    f = as_tensor(f)
    axes = tuple(range(f.ndim)) if axis is None else _axes("gradient", f, axis)
    if edge_order not in (1, 2) or isinstance(edge_order, bool):
        raise ValueError(f"gradient: edge_order must be 1 or 2, got {edge_order!r}")
    spacings = _spacings(f, axes, varargs)
    for ax in axes:
        if f.shape[ax] < edge_order + 1:
            raise ValueError(f"gradient of shape {f.shape}: shape of array too small to "
                             f"calculate a numerical gradient along axis {ax}, at least "
                             f"(edge_order + 1) = {edge_order + 1} elements are required")
    f = _floating(f)
    out = tuple(_gradient_along(f, ax, dx, edge_order) for ax, dx in zip(axes, spacings))
    return out[0] if len(axes) == 1 else out


@torch_aliases
def cross(a: Any, b: Any, axisa: int = -1, axisb: int = -1, axisc: int = -1,
          axis: Optional[int] = None) -> Tensor:
    """numpy.cross: the cross product of 3-vectors along the given axes (`axis` sets all
    three), broadcasting over the others; 2-vectors count as having z = 0, with numpy 2's
    DeprecationWarning (two 2-vectors give the z component alone)."""
    a = as_tensor(a)
    b = _operand(b, a)
    if axis is not None:
        axisa = axisb = axisc = axis
    a = moveaxis(a, _axis("cross", a, axisa, "axisa"), -1)
    b = moveaxis(b, _axis("cross", b, axisb, "axisb"), -1)
    if a.shape[-1] not in (2, 3) or b.shape[-1] not in (2, 3):
        raise ValueError(f"cross: incompatible dimensions for cross product (dimension must "
                         f"be 2 or 3): vectors of {a.shape[-1]} and {b.shape[-1]}")
    try:
        shape = np.broadcast_shapes(a.shape[:-1], b.shape[:-1])
    except ValueError:
        raise ValueError(f"cross: the shapes {a.shape[:-1]} and {b.shape[:-1]} around the "
                         "vectors do not broadcast together") from None
    if a.shape[-1] == 3 or b.shape[-1] == 3:
        # (a broadcast view: only its shape is read)
        c_axis = _axis("cross", np.broadcast_to(np.empty(()), shape + (3,)), axisc, "axisc")
    if a.shape[-1] == 2 or b.shape[-1] == 2:
        warnings.warn("Arrays of 2-dimensional vectors are deprecated. Use arrays of "
                      "3-dimensional vectors instead. (deprecated in NumPy 2.0)",
                      DeprecationWarning, stacklevel=2)
    a0, a1, b0, b1 = a[..., 0], a[..., 1], b[..., 0], b[..., 1]
    if a.shape[-1] == 2 and b.shape[-1] == 2:
        return a0 * b1 - a1 * b0
    z = a0 * b1 - a1 * b0
    if a.shape[-1] == 2:  # a2 = 0
        b2 = b[..., 2]
        parts = [a1 * b2, -(a0 * b2), z]
    elif b.shape[-1] == 2:  # b2 = 0
        a2 = a[..., 2]
        parts = [-(a2 * b1), a2 * b0, z]
    else:
        a2, b2 = a[..., 2], b[..., 2]
        parts = [a1 * b2 - a2 * b1, a2 * b0 - a0 * b2, z]
    return moveaxis(stack(parts, axis=-1), -1, c_axis)


@torch_aliases
def trapezoid(y: Any, x: Any = None, dx: float = 1.0, axis: int = -1) -> Tensor:
    """numpy.trapezoid (numpy 2's name of trapz): Σ d·(y[i+1] + y[i])/2 along `axis`, with
    d the differences of `x` (1-D, or shaped like y) or the constant `dx`.

    The result has numpy's dtype (float64 for integer or bool y and x), but integers are
    cast to it first: numpy adds y[i+1] + y[i] (and takes x's differences) in the integer
    dtype, which wraps (uint8 [250, 10] gives 2.0 there, 130.0 here)."""
    y = as_tensor(y)
    if y.ndim == 0:
        raise ValueError("trapezoid: y must have at least one dimension, got shape ()")
    ax = _axis("trapezoid", y, axis)
    if x is None:
        d = dx if isinstance(dx, Tensor) else np.asarray(dx) if np.ndim(dx) else dx
        dtype = dtypes.floating_result(np.result_type(y.dtype, raw(d)))
    else:
        x = _operand(x, y)
        dtype = dtypes.floating_result(np.result_type(x.dtype, y.dtype))
        x = x if x.dtype.kind == "f" else x.astype(dtype)
    y = y if y.dtype.kind == "f" else y.astype(dtype)
    if x is not None:
        if x.ndim == 1:
            if x.shape[0] != y.shape[ax]:
                raise ValueError(f"trapezoid: 1-D x of shape {x.shape} needs the length of "
                                 f"axis {ax} of y (shape {y.shape})")
            d = reshape(diff(x), tuple(-1 if i == ax else 1 for i in range(y.ndim)))
        else:
            d = diff(x, axis=axis)
    sides = _slice(y, ax, 1, None) + _slice(y, ax, None, -1)
    try:
        np.broadcast_shapes(np.shape(raw(d)), sides.shape)
    except ValueError:
        raise ValueError(f"trapezoid: the spacings of shape {np.shape(raw(d))} do not "
                         f"broadcast against y of shape {y.shape} along axis {ax}") from None
    # numpy's order: d * (y₁ + y₀), then / 2 (multiplication commutes exactly)
    return ((sides * d) / 2.0).sum(axis=ax)


# ---------------------------------------------------------------------- order statistics
def _to_one_axis(name: str, a: Tensor, axis: AxisArg) -> tuple:
    """(a with the reduced axes merged into one, that axis, the reduced axes or None), as
    numpy's _ureduce: axis None flattens, several axes move behind the kept ones and merge."""
    if axis is None:
        return reshape(a, -1), 0, None
    axes = _axes(name, a, axis)
    if len(axes) == 1:
        return a, axes[0], axes
    keep = [i for i in range(a.ndim) if i not in axes]
    moved = moveaxis(a, keep, list(range(len(keep)))) if keep else a
    return reshape(moved, moved.shape[:len(keep)] + (-1,)), len(keep), axes


def _keep_reduced(result: Tensor, a: Tensor, axes: Optional[tuple], lead: tuple) -> Tensor:
    """keepdims: size-1 axes where a was reduced, behind the `lead` axes (quantile's q)."""
    reduced = range(a.ndim) if axes is None else axes
    return reshape(result, lead + tuple(1 if i in reduced else n
                                        for i, n in enumerate(a.shape)))


def _nan_where_nan(result: Tensor, last: np.ndarray) -> Tensor:
    """nan where the sorted slice ends in NaN (numpy sorts NaN last), else `result`."""
    has_nan = np.isnan(last)
    if not has_nan.any():
        return result
    return where(np.broadcast_to(has_nan, result.shape), np.nan, result)


@torch_aliases(habit=values_indices_habit("median"))
def median(a: Any, axis: AxisArg = None, *, keepdims: bool = False) -> Tensor:
    """numpy.median: the middle value of the sorted entries along `axis` (the mean of the two
    middle ones for an even count); nan for a slice with a NaN."""
    a = as_tensor(a)
    keepdims = _keepdims("median", keepdims)
    arr, ax, axes = _to_one_axis("median", a, axis)
    n = arr.shape[ax]
    if n == 0:
        # numpy: the mean of an empty slice, nan with its warning. PyTorch's median of an
        # empty tensor is nan too, in the graph (its gradient is empty): so is this mean.
        warnings.warn("Mean of empty slice.", RuntimeWarning, stacklevel=2)
        result = _floating(arr).mean(axis=ax)
    else:
        ordered = sort(arr, axis=ax)
        h = n // 2
        middle = _slice(ordered, ax, h, h + 1) if n % 2 else _slice(ordered, ax, h - 1, h + 1)
        result = middle.mean(axis=ax)  # numpy's mean: (x + y)/2, or x/1
        if ordered.dtype.kind == "f":
            result = _nan_where_nan(result, np.take(ordered.data, -1, axis=ax))
    return _keep_reduced(result, a, axes, ()) if keepdims else result


def _lerp(low: Tensor, high: Tensor, t: Any) -> Tensor:
    """numpy's _lerp: low + (high − low)·t where t < 0.5, high − (high − low)·(1 − t) where
    t ≥ 0.5 (exact at both ends)."""
    step = high - low
    if np.ndim(t) == 0:
        return high - step * (1 - t) if t >= 0.5 else low + step * t
    upper = np.broadcast_to(t >= 0.5, np.broadcast_shapes(step.shape, np.shape(t)))
    return where(upper, high - step * (1 - t), low + step * t)


def _quantile(name: str, a: Any, q: Any, axis: AxisArg, method: str, keepdims: bool,
              per: float) -> Tensor:
    a = as_tensor(a)
    keepdims = _keepdims(name, keepdims)
    if method != "linear":
        raise ValueError(f"{name}: method {method!r} is not supported (only 'linear', "
                         "numpy's default)")
    weak = type(q) in (int, float)  # numpy: a Python number keeps a's dtype
    q = np.asanyarray(_constant(name, "q", q))
    if q.dtype.kind not in "biuf":
        raise TypeError(f"{name}: q must be numbers, got dtype {q.dtype}")
    if per != 1:
        q = np.true_divide(q, per)
    if q.ndim > 2:
        raise ValueError(f"{name}: q must be a scalar or 1d, got shape {q.shape}")
    if q.size and not (q.min() >= 0 and q.max() <= 1):
        bound = "[0, 1]" if per == 1 else "[0, 100]"
        raise ValueError(f"{name}: {'Quantiles' if per == 1 else 'Percentiles'} must be in "
                         f"the range {bound}")
    arr, ax, axes = _to_one_axis(name, a, axis)
    n = arr.shape[ax]
    if n == 0:
        raise ValueError(f"{name} of shape {a.shape}: the axis reduced is empty")
    ordered = moveaxis(sort(arr, axis=ax), ax, 0)  # numpy puts the q axes first
    virtual = np.asanyarray((n - 1) * q)
    if np.issubdtype(virtual.dtype, np.integer):
        result = getitem(ordered, virtual.astype(np.intp))  # no interpolation needed
    else:
        previous = np.array(np.floor(virtual))  # arrays (0-d too): written below
        following = np.array(previous + 1)
        above, below = virtual >= n - 1, virtual < 0
        previous[above], following[above] = -1, -1
        previous[below], following[below] = 0, 0
        previous, following = previous.astype(np.intp), following.astype(np.intp)
        gamma = np.asanyarray(virtual - previous, dtype=virtual.dtype)
        if ordered.dtype.kind in "iu":
            # numpy interpolates integers in the dtype of q's indices (float64 for a number),
            # not in the default dtype a Python float beside an integer tensor would give
            ordered = ordered.astype(np.result_type(ordered.dtype, virtual.dtype))
        gamma = float(gamma) if weak else gamma.reshape(q.shape + (1,) * (ordered.ndim - 1))
        result = _lerp(getitem(ordered, previous), getitem(ordered, following), gamma)
    if ordered.dtype.kind == "f":
        result = _nan_where_nan(result, ordered.data[-1])
    return _keep_reduced(result, a, axes, q.shape) if keepdims else result


@torch_aliases
def quantile(a: Any, q: Any, axis: AxisArg = None, *, method: str = "linear",
             keepdims: bool = False) -> Tensor:
    """numpy.quantile (method 'linear'): the q-th quantiles along `axis`, interpolated between
    the two sorted entries around (n − 1)·q; q's axes come first in the result."""
    return _quantile("quantile", a, q, axis, method, keepdims, 1)


def percentile(a: Any, q: Any, axis: AxisArg = None, *, method: str = "linear",
               keepdims: bool = False) -> Tensor:
    """numpy.percentile (method 'linear'): quantile at q/100."""
    return _quantile("percentile", a, q, axis, method, keepdims, 100)


def partition(a: Any, kth: Union[int, Sequence[int]], axis: Optional[int] = -1,
              kind: str = "introselect", order: None = None) -> Tensor:
    """numpy.partition: entries rearranged along `axis` (of the flattened array when None) so
    that the k-th is where sorting would put it, smaller ones before, larger after; the same
    arrangement as numpy's, through numpy's argpartition."""
    a = as_tensor(a)
    if order is not None:
        raise TypeError("partition: order= applies to structured arrays, which a Tensor "
                        "cannot hold")
    source, ax = (reshape(a, -1), 0) if axis is None else (a, _axis("partition", a, axis))
    kth = np.asarray(raw(kth))
    if kth.dtype.kind not in "iu":
        raise TypeError(f"partition: kth must be integers, got {kth!r}")
    size = source.shape[ax]
    if kth.size and (kth.max() >= size or kth.min() < -size):
        bad = kth[(kth >= size) | (kth < -size)].flat[0]
        raise ValueError(f"partition of shape {a.shape}: kth(={bad}) out of bounds ({size})")
    return take_along_axis(source, np.argpartition(source.data, kth, axis=ax, kind=kind), ax)


# ---------------------------------------------------------------------- nan reductions
def _nan_filled(a: Any, fill: float) -> tuple:
    """(a with NaN entries replaced by `fill`, the NaN mask): `where` gives the replaced
    entries gradient 0. Non-floating arrays have no NaN (mask None, as numpy's)."""
    a = as_tensor(a)
    if a.dtype.kind != "f":
        return a, None
    mask = np.isnan(a.data)
    return (where(mask, fill, a) if mask.any() else a), mask


def _guarded_divide(total: Tensor, count: np.ndarray, bad: np.ndarray) -> Tensor:
    """total / count, nan where `bad`: the division there is by 1, so that no 0/0 reaches
    the gradient (a nan gradient would spread to the NaN entries' zeros)."""
    count = np.where(bad, 1, count).astype(total.dtype)
    out = total / count
    return where(bad, np.nan, out) if bad.any() else out


@torch_aliases
def nansum(a: Any, axis: AxisArg = None, *, keepdims: bool = False) -> Tensor:
    """numpy.nansum: the sum over `axis`, NaN entries counted as 0 (gradient 0 there)."""
    filled, _ = _nan_filled(a, 0.0)
    axes = _reduced_axes("nansum", filled, axis)
    return filled.sum(axis=axes, keepdims=_keepdims("nansum", keepdims))


def nanprod(a: Any, axis: AxisArg = None, *, keepdims: bool = False) -> Tensor:
    """numpy.nanprod: the product over `axis`, NaN entries counted as 1 (gradient 0 there)."""
    filled, _ = _nan_filled(a, 1.0)
    axes = _reduced_axes("nanprod", filled, axis)
    return _prod(filled, axis=axes, keepdims=_keepdims("nanprod", keepdims))


@torch_aliases
def nanmean(a: Any, axis: AxisArg = None, *, keepdims: bool = False) -> Tensor:
    """numpy.nanmean: the mean of the non-NaN entries over `axis`; nan for a slice without
    any (numpy's "Mean of empty slice" RuntimeWarning)."""
    filled, mask = _nan_filled(a, 0.0)
    axes = _reduced_axes("nanmean", filled, axis)
    keepdims = _keepdims("nanmean", keepdims)
    if mask is None:
        return _floating(filled).mean(axis=axes, keepdims=keepdims)
    count = np.sum(~mask, axis=axes, dtype=np.intp, keepdims=keepdims)
    bad = count == 0
    if bad.any():
        warnings.warn("Mean of empty slice", RuntimeWarning, stacklevel=2)
    return _guarded_divide(filled.sum(axis=axes, keepdims=keepdims), count, bad)


def _nan_extremum(name: str, a: Any, axis: AxisArg, keepdims: bool, fill: float) -> Tensor:
    filled, mask = _nan_filled(a, fill)
    axes = _reduced_axes(name, filled, axis)
    keepdims = _keepdims(name, keepdims)
    reduced = math.prod(filled.shape[i] for i in axes)
    if reduced == 0 and math.prod(n for i, n in enumerate(filled.shape) if i not in axes):
        raise ValueError(f"{name} of shape {filled.shape}: zero-size array to reduction "
                         f"over axis {axis}, which has no identity")
    reduce = filled.max if fill < 0 else filled.min
    result = reduce(axis=axes, keepdims=keepdims)
    if mask is None:
        return result
    empty = np.all(mask, axis=axes, keepdims=keepdims)
    if not empty.any():
        return result
    warnings.warn("All-NaN slice encountered", RuntimeWarning, stacklevel=2)
    return where(empty, np.nan, result)


def nanmax(a: Any, axis: AxisArg = None, *, keepdims: bool = False) -> Tensor:
    """numpy.nanmax: the maximum over `axis` ignoring NaN; nan for an all-NaN slice (numpy's
    RuntimeWarning). Tied maxima share the gradient, NaN entries get 0."""
    return _nan_extremum("nanmax", a, axis, keepdims, -np.inf)


def nanmin(a: Any, axis: AxisArg = None, *, keepdims: bool = False) -> Tensor:
    """numpy.nanmin: the minimum over `axis` ignoring NaN; nan for an all-NaN slice."""
    return _nan_extremum("nanmin", a, axis, keepdims, np.inf)


def _ddof(name: str, ddof: Any) -> Any:
    if isinstance(ddof, bool) or not isinstance(ddof, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name}: ddof must be a number, got {ddof!r}")
    return ddof


def nanvar(a: Any, axis: AxisArg = None, *, ddof: float = 0,
           keepdims: bool = False) -> Tensor:
    """numpy.nanvar: Σ (x − mean)² / (count − ddof) over the non-NaN entries along `axis`;
    nan where count − ddof ≤ 0 (numpy's RuntimeWarning), in numpy's order of operations."""
    filled, mask = _nan_filled(a, 0.0)
    axes = _reduced_axes("nanvar", filled, axis)
    keepdims = _keepdims("nanvar", keepdims)
    ddof = _ddof("nanvar", ddof)
    if mask is None:  # no NaN possible: numpy's var
        return _var(_floating(filled), axis=axes, ddof=ddof, keepdims=keepdims)
    count = np.sum(~mask, axis=axes, dtype=np.intp, keepdims=True)
    mean = _guarded_divide(filled.sum(axis=axes, keepdims=True), count, count == 0)
    deviation = filled - mean
    if mask.any():
        deviation = where(mask, 0.0, deviation)
    total = (deviation * deviation).sum(axis=axes, keepdims=keepdims)
    if not keepdims:
        count = count.reshape(total.shape)
    dof = count - ddof
    bad = dof <= 0
    if bad.any():
        warnings.warn("Degrees of freedom <= 0 for slice.", RuntimeWarning, stacklevel=2)
    return _guarded_divide(total, dof, bad)


def nanstd(a: Any, axis: AxisArg = None, *, ddof: float = 0,
           keepdims: bool = False) -> Tensor:
    """numpy.nanstd: √nanvar; its gradient is 0 where it is 0 (as std's)."""
    filled, mask = _nan_filled(a, 0.0)
    if mask is None:
        axes = _reduced_axes("nanstd", filled, axis)
        return _std(_floating(filled), axis=axes, ddof=_ddof("nanstd", ddof),
                    keepdims=_keepdims("nanstd", keepdims))
    variance = nanvar(a, axis, ddof=ddof, keepdims=keepdims)
    flat, missing = variance.data == 0, np.isnan(variance.data)
    if not (flat.any() or missing.any()):
        return sqrt(variance)
    # √ has an infinite slope at 0 and a nan one at nan: it runs on 1 there (gradient 0),
    # so that no nan reaches the NaN entries' zero gradients
    std = sqrt(where(flat | missing, 1.0, variance))
    return where(flat, 0.0, where(missing, np.nan, std))


# ---------------------------------------------------------------------- append, delete, insert
def append(arr: Any, values: Any, axis: Optional[int] = None) -> Tensor:
    """numpy.append: arr and values joined along `axis` (both flattened when None)."""
    arr = as_tensor(arr)
    values = _operand(values, arr)
    if axis is None:
        arr, values, ax = reshape(arr, -1), reshape(values, -1), 0
    else:
        if arr.ndim == 0:
            raise ValueError("append: zero-dimensional arrays cannot be concatenated (arr has "
                             "shape ()); give axis=None")
        ax = _axis("append", arr, axis)
    _check_joinable("append", [arr, values], ax)
    return concatenate([arr, values], axis=ax)


def _layout(name: str, arr: Tensor, numpy_function: Any, *args: Any, **kwargs: Any) -> Any:
    """numpy_function run on the positions of arr's entries: numpy's own layout (and its
    checks of obj and axis) as an integer array, the error naming `name` and the shape."""
    positions = np.arange(arr.size, dtype=np.intp).reshape(arr.shape)
    try:
        return numpy_function(positions, *args, **kwargs)
    except (IndexError, ValueError, TypeError) as error:
        raise type(error)(f"{name} of shape {arr.shape}: {error}") from None


def delete(arr: Any, obj: Any, axis: Optional[int] = None) -> Tensor:
    """numpy.delete: a copy of arr without the entries `obj` (an index, indices, a slice or
    a boolean mask) along `axis` (of the flattened array when None)."""
    arr = as_tensor(arr)
    obj = raw(obj)
    kept = _layout("delete", arr, np.delete, obj, axis=axis)
    return getitem(reshape(arr, -1), kept)


def insert(arr: Any, obj: Any, values: Any, axis: Optional[int] = None) -> Tensor:
    """numpy.insert: a copy of arr with `values` (broadcast, in arr's dtype) inserted before
    the index or indices `obj` along `axis` (of the flattened array when None)."""
    arr = as_tensor(arr)
    values = _operand(values, arr)
    if values.dtype != arr.dtype:
        values = values.astype(arr.dtype)  # numpy casts the values to arr's dtype
    obj = raw(obj)
    value_positions = arr.size + np.arange(values.size, dtype=np.intp).reshape(values.shape)
    layout = _layout("insert", arr, np.insert, obj, value_positions, axis=axis)
    entries = concatenate([reshape(arr, -1), reshape(values, -1)], axis=0)
    return getitem(entries, layout)


# ---------------------------------------------------------------------- convolve, correlate
_MODES = {"v": "valid", "s": "same", "f": "full", 0: "valid", 1: "same", 2: "full"}


def _mode(name: str, mode: Any) -> str:
    """numpy's reading of mode: a string by its first letter (any case), or 0, 1, 2."""
    key = mode.lower()[:1] if isinstance(mode, str) else mode
    if isinstance(key, bool) or key not in _MODES:
        raise ValueError(f"{name}: mode must be 'full', 'same' or 'valid', got {mode!r}")
    return _MODES[key]


def _vectors(name: str, a: Any, v: Any) -> tuple:
    a = as_tensor(a)
    v = _operand(v, a)
    # numpy's convolve reads a 0-d array as one entry; its correlate refuses one
    lowest = 0 if name == "convolve" else 1
    if not (lowest <= a.ndim <= 1 and lowest <= v.ndim <= 1):
        raise ValueError(f"{name}: a and v must be 1-D{' (or 0-d)' if lowest == 0 else ''}, "
                         f"got shapes {a.shape} and {v.shape}")
    a, v = reshape(a, -1), reshape(v, -1)
    if a.shape[0] == 0 or v.shape[0] == 0:
        raise ValueError(f"{name}: {'a' if a.shape[0] == 0 else 'v'} cannot be empty (shapes "
                         f"{a.shape} and {v.shape})")
    return a, v


def _correlate(x: Tensor, y: Tensor, mode: str) -> Tensor:
    """out[k] = Σᵢ x[k + i − left] y[i] for len(x) ≥ len(y) = m, x zero outside, where numpy
    starts at left = 0 ('valid'), m // 2 ('same') or m − 1 ('full'): a gather of the windows
    (length, m) and one matrix product."""
    n, m = x.shape[0], y.shape[0]
    left, length = {"valid": (0, n - m + 1), "same": (m // 2, n),
                    "full": (m - 1, n + m - 1)}[mode]
    right = max(0, length - 1 - left + m - 1 - (n - 1))
    padded = constant_pad(x, ((left, right),)) if left or right else x
    windows = getitem(padded, np.arange(length)[:, None] + np.arange(m)[None, :])
    return matmul(windows, y)


def convolve(a: Any, v: Any, mode: str = "full") -> Tensor:
    """numpy.convolve of 1-D arrays: out[k] = Σᵢ a[i] v[k − i], mode 'full' (every overlap),
    'same' (the length of the longer, centred) or 'valid' (full overlaps only)."""
    mode = _mode("convolve", mode)
    a, v = _vectors("convolve", a, v)
    if v.shape[0] > a.shape[0]:  # numpy convolves the longer with the shorter
        a, v = v, a
    return _correlate(a, flip(v), mode)


def correlate(a: Any, v: Any, mode: str = "valid") -> Tensor:
    """numpy.correlate of 1-D arrays: out[k] = Σₙ a[n + k] v[n] (real inputs), numpy's modes
    and its offsets (for a shorter a: the correlation of v with a, reversed)."""
    mode = _mode("correlate", mode)
    a, v = _vectors("correlate", a, v)
    if a.shape[0] < v.shape[0]:
        return flip(_correlate(v, a, mode))
    return _correlate(a, v, mode)


# ---------------------------------------------------------------------- cov, corrcoef
def _variables(x: Tensor, rowvar: bool, dtype: Any, is_m: bool) -> Tensor:
    """x as a 2-D array of variables in rows, in `dtype` (numpy's array(x, ndmin=2)). With
    rowvar False numpy transposes m unless it is 1-D, and y unless it is a single row."""
    x = x.astype(dtype) if x.dtype != dtype else x
    original = x.ndim
    if x.ndim < 2:
        x = reshape(x, (1,) * (2 - x.ndim) + x.shape)
    if not rowvar and (original != 1 if is_m else x.shape[0] != 1):
        x = x.T
    return x


def cov(m: Any, y: Any = None, rowvar: bool = True, bias: bool = False,
        ddof: Optional[int] = None, fweights: Any = None, aweights: Any = None, *,
        dtype: Any = None) -> Tensor:
    """numpy.cov without weights: the covariance matrix of the variables in m's rows (its
    columns when rowvar is False) and y's, normalized by N − ddof (ddof: 1, or 0 with
    bias); squeezed, as numpy's."""
    if fweights is not None or aweights is not None:
        raise TypeError("cov: fweights and aweights are not supported (weighted covariance "
                        "has no op here); compute it with average() and matmul")
    m = as_tensor(m)
    if m.ndim > 2:
        raise ValueError(f"cov: m has more than 2 dimensions (shape {m.shape})")
    if y is not None:
        y = _operand(y, m)
        if y.ndim > 2:
            raise ValueError(f"cov: y has more than 2 dimensions (shape {y.shape})")
    if dtype is None:
        dtype = np.result_type(m.dtype, np.float64) if y is None else np.result_type(
            m.dtype, y.dtype, np.float64)
    dtype = np.dtype(dtype)
    if dtype.kind != "f":
        raise TypeError(f"cov: dtype must be a floating dtype, got {dtype}")
    if ddof is not None and (isinstance(ddof, bool) or
                             not isinstance(ddof, (int, np.integer))):
        raise TypeError(f"cov: ddof must be an integer, got {ddof!r}")
    x = _variables(m, rowvar, dtype, is_m=True)
    if x.shape[0] == 0:
        return Tensor._make(np.array([]).reshape(0, 0))
    if y is not None:
        y = _variables(y, rowvar, dtype, is_m=False)
        if y.shape[1] != x.shape[1]:
            raise ValueError(f"cov: m and y have different numbers of observations: "
                             f"{x.shape[1]} and {y.shape[1]} (m of shape {m.shape})")
        x = concatenate([x, y], axis=0)
    if ddof is None:
        ddof = 1 if bias == 0 else 0
    fact = x.shape[1] - ddof
    if fact <= 0:
        warnings.warn("Degrees of freedom <= 0 for slice", RuntimeWarning, stacklevel=2)
        fact = 0.0
    centred = x - x.mean(axis=1)[:, None]
    with np.errstate(divide="ignore"):
        scale = np.true_divide(1, fact)  # numpy multiplies by 1/fact (inf for fact 0)
    return squeeze(dot(centred, centred.T) * scale)


def corrcoef(x: Any, y: Any = None, rowvar: bool = True, *, dtype: Any = None) -> Tensor:
    """numpy.corrcoef: the Pearson correlation coefficients, cov / (σᵢ σⱼ), clipped to
    [−1, 1] as numpy's."""
    c = cov(x, y, rowvar, dtype=dtype)
    if c.ndim == 0:
        return c / c  # one variable: 1 (nan when its variance is 0, inf or nan)
    stddev = sqrt(diagonal(c))
    c = c / stddev[:, None]
    c = c / stddev[None, :]
    return clip(c, -1, 1)


