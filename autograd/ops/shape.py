"""Shape and rearrangement: the ops that move values around without changing them, and
numpy's functions that rearrange or copy values, written with those ops.

The ops: expand_dims, squeeze, swapaxes, indexed assignment (set_item), concatenate, stack
and where. Reshape, transpose, broadcast_to and indexing (getitem, whose backward is the
scatter IndexAdd) are the course's, in course.py.

numpy's functions, differentiable: flip fliplr flipud rot90 roll repeat tile, the split
family (split array_split hsplit vsplit dsplit), the stacks (hstack vstack dstack
column_stack), moveaxis rollaxis, atleast_1d/2d/3d, ravel, take, take_along_axis,
put_along_axis, sort, select, and the non-differentiable argsort. Each is a composition of
the ops, with numpy's names, signatures and semantics:

- reversal, rolling, gathering (flip, rot90, roll, take, take_along_axis, sort, repeat with
  per-entry counts, split) are one GetItem each (per rolled axis for roll); its backward is
  IndexAdd, a scatter where repeated positions add up, and that scatter's backward is the
  gather again, so second derivatives come with it.
- put_along_axis is one SetItem (out of place): the gradient reaches `arr` where it was not
  overwritten and, of a position written twice, only the value numpy actually wrote (the last).
- repeat with one count and tile are reshape → broadcast_to → reshape: their backward is a sum.
- the stacks are concatenate, moveaxis and rollaxis are transpose, ravel and atleast_*d are
  reshape.
- select is a chain of where, from the last condition to the first (the first true one wins).

Where numpy returns a copy (roll, repeat, tile, take, sort), so does this module; where it
returns a view (flip, rot90, split, moveaxis, ravel), the result is a view that shares the
input's version counter. Bad axes raise numpy's AxisError (a ValueError and an IndexError),
bad sections and shapes a ValueError, both naming the function and the shapes.
"""

from __future__ import annotations

import operator
from typing import Any, Optional, Sequence, Union

import numpy as np
from numpy.exceptions import AxisError

from autograd.dtypes import operand_array
from autograd.function import Function
from autograd.ops.arguments import normalize_axes
from autograd.ops.course import (
    Reshape, Transpose, _has_integer_array, _plain_index, broadcast_to, getitem, reshape,
    unbroadcast,
)
from autograd.ops.elementwise import Clone
from autograd.ops.formula import ArraySafe, constant
from autograd.tensor import Tensor, as_tensor, raw
from autograd.torch_keywords import SPLIT_HABIT, torch_aliases, values_indices_habit

__all__ = [
    "Concatenate", "ExpandDims", "SetItem", "Squeeze", "Stack", "Where",
    "argsort", "array_split", "atleast_1d", "atleast_2d", "atleast_3d", "cat", "column_stack",
    "concatenate", "dsplit", "dstack", "expand_dims", "flip", "fliplr", "flipud", "hsplit",
    "hstack", "index_update", "moveaxis", "put_along_axis", "ravel", "repeat", "roll", "rollaxis",
    "rot90", "select", "set_item", "sort", "split", "squeeze", "stack", "swapaxes", "take",
    "take_along_axis", "tile", "vsplit", "vstack", "where",
]

AxisArg = Union[None, int, Sequence[int]]


# ---------------------------------------------------------------------- the ops
class ExpandDims(ArraySafe, Function):
    """∂expand_dims(a)/∂a: squeeze the new axes out of the gradient"""

    reads = ((),)

    @staticmethod
    def forward(ctx, a, axis):
        return np.expand_dims(a, axis)

    @staticmethod
    def backward(ctx, grad):
        a, _ = ctx.inputs
        return grad.reshape(a.shape), None


class Squeeze(ArraySafe, Function):
    """∂squeeze(a)/∂a: give the gradient its size-1 axes back"""

    reads = ((),)

    @staticmethod
    def forward(ctx, a, axis):
        return a.squeeze(axis)

    @staticmethod
    def backward(ctx, grad):
        a, _ = ctx.inputs
        return grad.reshape(a.shape), None


class SetItem(ArraySafe, Function):
    """∂(a with a[i] := v)/∂a = [position ∉ i],  ∂/∂v = the gradient at i (summed over v's
    broadcasting; of a position written twice, only the value written last counts)"""

    @staticmethod
    def forward(ctx, a, index, v):
        out = a.copy()
        out[index] = v
        return out

    @staticmethod
    def backward(ctx, grad):
        a, index, v = ctx.inputs
        need_a, _, need_v = ctx.needs_input_grad
        grad_a = grad_v = None
        if need_a:
            kept = np.ones(a.shape, dtype=grad.dtype)
            kept[index] = 0
            grad_a = grad * constant(kept, grad)
        if need_v:
            grad_v = grad[index]
            written = _last_writes(a.shape, index)
            if written is not None:
                grad_v = grad_v * constant(written.astype(grad.dtype), grad)
            # numpy lets v carry extra leading size-1 axes; unbroadcast works on the rest
            rank = min(v.ndim, grad_v.ndim)
            grad_v = unbroadcast(grad_v, v.shape[v.ndim - rank:]).reshape(v.shape)
        return grad_a, None, grad_v


def axis_index(axis: int, index: Any, ndim: int) -> tuple:
    """The index that applies `index` along `axis` (of `ndim` axes) and takes every entry of
    the others: `x[axis_index(1, slice(None, None, -1), x.ndim)]` reverses axis 1."""
    return (slice(None),) * axis + (index,) + (slice(None),) * (ndim - axis - 1)


def _slice(t: Tensor, axis: int, start: Optional[int], stop: Optional[int],
           step: Optional[int] = None) -> Tensor:
    """t[start:stop:step] along `axis` (a view)."""
    return getitem(t, axis_index(axis, slice(start, stop, step), t.ndim))


def _last_writes(shape: tuple, index: Any) -> Optional[np.ndarray]:
    """For an index with integer arrays, which entries of a[index] = v actually land (numpy
    keeps the last write to a repeated position); None when every entry lands."""
    if not _has_integer_array(index):
        return None
    selected = np.zeros(shape, dtype=bool)[index].shape
    order = np.arange(int(np.prod(selected)), dtype=np.intp).reshape(selected)
    landed = np.full(shape, -1, dtype=np.intp)
    landed[index] = order
    return landed[index] == order


class Concatenate(ArraySafe, Function):
    """∂concat(a₁…aₙ)/∂aₖ: the k-th slice of the gradient along the axis"""

    @staticmethod
    def forward(ctx, axis, *arrays):
        return np.concatenate(arrays, axis=axis)

    @staticmethod
    def backward(ctx, grad):
        axis, *tensors = ctx.inputs
        axis = axis % grad.ndim
        grads: list = [None]
        start = 0
        for t, need in zip(tensors, ctx.needs_input_grad[1:]):
            stop = start + t.shape[axis]
            grads.append(grad[axis_index(axis, slice(start, stop), grad.ndim)] if need else None)
            start = stop
        return tuple(grads)


class Stack(ArraySafe, Function):
    """∂stack(a₁…aₙ)/∂aₖ: the k-th entry of the gradient along the new axis"""

    @staticmethod
    def forward(ctx, axis, *arrays):
        return np.stack(arrays, axis=axis)

    @staticmethod
    def backward(ctx, grad):
        axis, *tensors = ctx.inputs
        axis = axis % grad.ndim
        grads: list = [None]
        for k, need in enumerate(ctx.needs_input_grad[1:]):
            grads.append(grad[axis_index(axis, k, grad.ndim)] if need else None)
        return tuple(grads)


class Where(ArraySafe, Function):
    """∂where(c, a, b)/∂a = [c],  ∂where(c, a, b)/∂b = [not c]"""

    @staticmethod
    def forward(ctx, condition, a, b):
        return np.where(condition, a, b)

    @staticmethod
    def backward(ctx, grad):
        condition, a, b = ctx.inputs
        need_a, need_b = ctx.needs_input_grad[1:]
        chosen = np.broadcast_to(condition, grad.shape).astype(grad.dtype)
        return (None,
                unbroadcast(grad * constant(chosen, grad), a.shape) if need_a else None,
                unbroadcast(grad * constant(1 - chosen, grad), b.shape) if need_b else None)


def swapaxes(a: Tensor, axis1: int, axis2: int) -> Tensor:
    """Exchange two axes."""
    for axis in (axis1, axis2):
        if not isinstance(axis, (int, np.integer)) or isinstance(axis, bool):
            raise TypeError(f"swapaxes: an axis must be an integer, got {axis!r}")
        if not -a.ndim <= axis < a.ndim:
            raise ValueError(f"swapaxes: axis {axis} is out of range for a tensor of "
                             f"{a.ndim} dimensions (shape {a.shape})")
    perm = list(range(a.ndim))
    perm[axis1], perm[axis2] = perm[axis2], perm[axis1]
    return Transpose.apply(a, tuple(perm))


@torch_aliases
def expand_dims(a: Tensor, axis: Union[int, Sequence[int]]) -> Tensor:
    """Insert size-1 axes at `axis`."""
    return ExpandDims.apply(a, axis if isinstance(axis, int) else tuple(axis))


@torch_aliases
def squeeze(a: Tensor, axis: Union[None, int, Sequence[int]] = None) -> Tensor:
    """Remove size-1 axes (all of them when `axis` is None)."""
    if axis is not None:
        for ax in normalize_axes(axis, a.ndim):
            if a.shape[ax] != 1:
                raise ValueError(
                    f"Squeeze of shape {a.shape}: axis {ax} has size {a.shape[ax]}, not 1")
        axis = axis if isinstance(axis, int) else tuple(axis)
    return Squeeze.apply(a, axis)


def set_item(a: Tensor, index: Any, v: Any) -> Tensor:
    """A copy of `a` with `a[index] = v` (v broadcast to the selected shape); the functional
    form behind `t[index] = v`."""
    if not isinstance(v, Tensor):
        v = Tensor._make(operand_array(v, a.data))
    return SetItem.apply(a, _plain_index(index), v)


@torch_aliases
def concatenate(tensors: Sequence[Tensor], axis: int = 0) -> Tensor:
    """Join tensors along an existing axis."""
    tensors = _as_tensors(tensors)
    return Concatenate.apply(axis, *tensors)


@torch_aliases
def stack(tensors: Sequence[Tensor], axis: int = 0) -> Tensor:
    """Join tensors of one shape along a new axis."""
    tensors = _as_tensors(tensors)
    return Stack.apply(axis, *tensors)


def where(condition: Any, a: Any, b: Any) -> Tensor:
    """Elementwise choice: a where `condition` holds, else b (broadcasting)."""
    condition = np.asarray(condition.data if isinstance(condition, Tensor) else condition,
                           dtype=bool)
    like = a.data if isinstance(a, Tensor) else b.data if isinstance(b, Tensor) else None
    if like is None:
        a = Tensor(a)
        like = a.data
    a = a if isinstance(a, Tensor) else Tensor._make(operand_array(a, like))
    b = b if isinstance(b, Tensor) else Tensor._make(operand_array(b, like))
    return Where.apply(condition, a, b)


def _as_tensors(tensors: Sequence[Any]) -> list:
    tensors = [t if isinstance(t, Tensor) else Tensor(t) for t in tensors]
    if not tensors:
        raise ValueError("need at least one tensor to join")
    return tensors


# PyTorch's names for the same functions (an alias only where the meaning is the same):
# torch.cat(tensors, dim) and a functional `t[index] = v`.
cat = concatenate


index_update = set_item


# ---------------------------------------------------------------------- argument checks
def _axis(name: str, a: Any, axis: Any, what: str = "axis") -> int:
    """`axis` as a non-negative int, or numpy's AxisError naming `name` and a's shape."""
    if not isinstance(axis, (int, np.integer)) or isinstance(axis, (bool, np.bool_)):
        raise TypeError(f"{name}: {what} must be an integer, got {axis!r}")
    ndim = a.ndim
    if not -ndim <= axis < ndim:
        raise AxisError(f"{name} of shape {a.shape}: {what} {axis} is out of bounds for an "
                        f"array of {ndim} dimensions")
    return int(axis) % ndim


def _axes(name: str, a: Any, axis: AxisArg, what: str = "axis") -> tuple:
    """`axis` (None: all; an int; a sequence) as non-negative ints in the order given."""
    if axis is None:
        return tuple(range(a.ndim))
    items = tuple(axis) if isinstance(axis, (list, tuple, np.ndarray)) else (axis,)
    axes = tuple(_axis(name, a, item, what) for item in items)
    if len(set(axes)) != len(axes):
        raise ValueError(f"{name} of shape {a.shape}: repeated {what} in {axis!r}")
    return axes


def _count(name: str, value: Any, what: str) -> int:
    """An integer argument (a section count, a repetition), TypeError for anything else."""
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name}: {what} must be an integer, got {value!r}")
    try:
        return operator.index(value)
    except TypeError:
        raise TypeError(f"{name}: {what} must be an integer, got {value!r}") from None


def _integer_indices(name: str, indices: Any, kinds: str = "iu",
                     error: type = IndexError) -> np.ndarray:
    """An index argument as an array of one of the dtype `kinds` (`error` otherwise, the
    exception numpy raises there)."""
    indices = raw(indices)
    if isinstance(indices, (list, tuple)) and len(indices) == 0:
        return np.zeros(0, dtype=np.intp)  # [] alone reads as float64
    indices = np.asarray(indices)
    if indices.dtype.kind not in kinds:
        raise error(f"{name}: indices must be an integer array, got dtype {indices.dtype}")
    return indices


def _check_bounds(name: str, indices: np.ndarray, shape: tuple, axis: Optional[int],
                  size: int) -> None:
    """Indices into an axis of `size` entries (axis None: of the flattened array of `shape`),
    checked here so that the error names the function, not the getitem inside it."""
    if indices.size and (indices.max() >= size or indices.min() < -size):
        bad = indices[(indices >= size) | (indices < -size)].flat[0]
        where = "the flattened array" if axis is None else f"axis {axis}"
        raise IndexError(f"{name} of shape {shape}: index {bad} is out of bounds for {where} "
                         f"with size {size}")


def _fresh(out: Tensor, a: Tensor) -> Tensor:
    """`out`, copied when it still shares memory with `a`: numpy's repeat and tile return new
    arrays, and a broadcast view (read-only, aliased) must not pass for one."""
    if out is a or np.may_share_memory(out.data, a.data):
        return Clone.apply(out)
    return out


# ---------------------------------------------------------------------- reversal, rotation
def flip(m: Any, axis: AxisArg = None) -> Tensor:
    """numpy.flip: reverse the order of entries along `axis` (all axes when None); a view."""
    m = as_tensor(m)
    axes = _axes("flip", m, axis)
    return getitem(m, tuple(slice(None, None, -1) if i in axes else slice(None)
                            for i in range(m.ndim)))


def fliplr(m: Any) -> Tensor:
    """numpy.fliplr: reverse the columns (axis 1) of an array of 2 or more dimensions."""
    m = as_tensor(m)
    if m.ndim < 2:
        raise ValueError(f"fliplr: input must be >= 2-d, got shape {m.shape}")
    return flip(m, 1)


def flipud(m: Any) -> Tensor:
    """numpy.flipud: reverse the rows (axis 0) of an array of 1 or more dimensions."""
    m = as_tensor(m)
    if m.ndim < 1:
        raise ValueError(f"flipud: input must be >= 1-d, got shape {m.shape}")
    return flip(m, 0)


def rot90(m: Any, k: int = 1, axes: Sequence[int] = (0, 1)) -> Tensor:
    """numpy.rot90: rotate by 90° k times in the plane of `axes`, from the first axis towards
    the second; a view."""
    m = as_tensor(m)
    axes = tuple(axes)
    if len(axes) != 2:
        raise ValueError(f"rot90: len(axes) must be 2, got axes={axes}")
    first, second = (_axis("rot90", m, ax, "an axis in axes") for ax in axes)
    if first == second:
        raise ValueError(f"rot90 of shape {m.shape}: axes must be different, got {axes}")
    k = _count("rot90", k, "k") % 4
    if k == 0:
        return getitem(m, ...)  # numpy's m[:], a view
    if k == 2:
        return flip(m, (first, second))
    swapped = list(range(m.ndim))
    swapped[first], swapped[second] = second, first
    if k == 1:
        return Transpose.apply(flip(m, second), tuple(swapped))
    return flip(Transpose.apply(m, tuple(swapped)), second)


def roll(a: Any, shift: Union[int, Sequence[int]], axis: AxisArg = None) -> Tensor:
    """numpy.roll: shift entries cyclically along `axis` (of the flattened array when None);
    shifts along one axis given twice add up. A copy."""
    a = as_tensor(a)
    if axis is None:
        return reshape(roll(reshape(a, -1), shift, 0), a.shape)
    shifts, axes = np.asarray(shift), np.asarray(axis)
    for value, what in ((shifts, "shift"), (axes, "axis")):
        if value.size and value.dtype.kind not in "iu":
            raise TypeError(f"roll: {what} must be integers, got {value!r}")
    try:
        pairs = np.broadcast(shifts, axes)
    except ValueError:
        raise ValueError(f"roll of shape {a.shape}: shift {shift!r} and axis {axis!r} do not "
                         "pair up (they must broadcast together)") from None
    if pairs.ndim > 1:
        raise ValueError("roll: 'shift' and 'axis' should be scalars or 1D sequences")
    total: dict = {}
    for s, ax in pairs:
        ax = _axis("roll", a, int(ax))
        total[ax] = total.get(ax, 0) + int(s)
    out = a
    for ax, s in sorted(total.items()):
        size = a.shape[ax]
        if size == 0 or s % size == 0:
            continue
        # out[i] = a[(i − s) mod n]: one gather along this axis (a slice of indices)
        out = getitem(out, axis_index(ax, (np.arange(size) - s) % size, a.ndim))
    return Clone.apply(a) if out is a else out


# ---------------------------------------------------------------------- repeat, tile
@torch_aliases
def repeat(a: Any, repeats: Union[int, Sequence[int]], axis: Optional[int] = None) -> Tensor:
    """numpy.repeat: each entry along `axis` (of the flattened array when None) `repeats`
    times, one count for all or one per entry. A copy."""
    a = as_tensor(a)
    counts = np.asarray(raw(repeats))
    if counts.size and counts.dtype.kind not in "biu":
        raise TypeError(f"repeat: repeats must be integers, got {repeats!r}")
    if counts.ndim > 1:
        raise ValueError(f"repeat: repeats must be an integer or a 1-D sequence, got shape "
                         f"{counts.shape}")
    counts = counts.astype(np.intp)
    if (counts < 0).any():
        raise ValueError(f"repeat: repeats may not contain negative values, got {repeats!r}")
    if axis is None:
        source, ax = reshape(a, -1), 0
    else:
        source, ax = a, _axis("repeat", a, axis)
    shape = source.shape
    if counts.size == 1:
        # one count r: spread each entry over a new axis of length r and merge the two axes;
        # the backward is then a sum over the broadcast axis (no scatter)
        r = int(counts.reshape(()))
        spread = reshape(source, shape[:ax + 1] + (1,) + shape[ax + 1:])
        wide = broadcast_to(spread, shape[:ax + 1] + (r,) + shape[ax + 1:])
        return _fresh(reshape(wide, shape[:ax] + (shape[ax] * r,) + shape[ax + 1:]), a)
    if counts.shape != (shape[ax],):
        raise ValueError(f"repeat of shape {a.shape}: {counts.size} repeats for axis {ax} of "
                         f"size {shape[ax]}")
    return getitem(source, axis_index(ax, np.repeat(np.arange(shape[ax]), counts), source.ndim))


def tile(A: Any, reps: Union[int, Sequence[int]]) -> Tensor:
    """numpy.tile: A repeated reps[i] times along each axis (the shorter of A's shape and reps
    padded with leading 1s). A copy."""
    a = as_tensor(A)
    try:
        reps = tuple(reps)
    except TypeError:
        reps = (reps,)
    reps = tuple(_count("tile", r, "reps") for r in reps)
    if any(r < 0 for r in reps):
        raise ValueError(f"tile of shape {a.shape}: reps must be non-negative, got {reps}")
    ndim = max(len(reps), a.ndim)
    shape = (1,) * (ndim - a.ndim) + a.shape
    reps = (1,) * (ndim - len(reps)) + reps
    # each axis of size s becomes (r, s) by broadcasting, then the pairs merge: blocks of A
    spread = reshape(a, tuple(x for s in shape for x in (1, s)))
    wide = broadcast_to(spread, tuple(x for r, s in zip(reps, shape) for x in (r, s)))
    return _fresh(reshape(wide, tuple(r * s for r, s in zip(reps, shape))), a)


# ---------------------------------------------------------------------- splitting
def _pieces(name: str, ary: Any, indices_or_sections: Any, axis: int, equal: bool) -> list:
    a = as_tensor(ary)
    ax = _axis(name, a, axis)
    size = a.shape[ax]
    if np.ndim(indices_or_sections) == 0:
        sections = _count(name, indices_or_sections, "the number of sections")
        if sections <= 0:
            raise ValueError(f"{name}: number sections must be larger than 0, got {sections}")
        if equal and size % sections:
            raise ValueError(f"{name}: array split does not result in an equal division: axis "
                             f"{ax} of shape {a.shape} has {size} entries, not a multiple of "
                             f"{sections}")
        # numpy's rule: the first size % sections pieces are one entry longer
        each, extra = divmod(size, sections)
        lengths = [each + 1] * extra + [each] * (sections - extra)
        bounds = [0] + np.cumsum(lengths).tolist()
    else:
        points = [_count(name, i, "a split index") for i in indices_or_sections]
        bounds = [0] + points + [size]
    # python slicing as numpy's: negative points count from the end, out of range clamps
    return [getitem(a, axis_index(ax, slice(start, stop), a.ndim))
            for start, stop in zip(bounds[:-1], bounds[1:])]


@torch_aliases(habit=SPLIT_HABIT)
def split(ary: Any, indices_or_sections: Union[int, Sequence[int]], axis: int = 0) -> list:
    """numpy.split: a list of views, `indices_or_sections` equal pieces or pieces between the
    given indices along `axis`; equal pieces must divide the axis exactly."""
    return _pieces("split", ary, indices_or_sections, axis, equal=True)


def array_split(ary: Any, indices_or_sections: Union[int, Sequence[int]],
                axis: int = 0) -> list:
    """numpy.array_split: split, where N pieces of an axis of length L need not be equal (the
    first L mod N are one longer)."""
    return _pieces("array_split", ary, indices_or_sections, axis, equal=False)


def hsplit(ary: Any, indices_or_sections: Union[int, Sequence[int]]) -> list:
    """numpy.hsplit: split along axis 1 (axis 0 of a 1-D array)."""
    a = as_tensor(ary)
    if a.ndim == 0:
        raise ValueError("hsplit only works on arrays of 1 or more dimensions, got shape ()")
    return _pieces("hsplit", a, indices_or_sections, 1 if a.ndim > 1 else 0, equal=True)


def vsplit(ary: Any, indices_or_sections: Union[int, Sequence[int]]) -> list:
    """numpy.vsplit: split along axis 0 of an array of 2 or more dimensions."""
    a = as_tensor(ary)
    if a.ndim < 2:
        raise ValueError(f"vsplit only works on arrays of 2 or more dimensions, got shape "
                         f"{a.shape}")
    return _pieces("vsplit", a, indices_or_sections, 0, equal=True)


def dsplit(ary: Any, indices_or_sections: Union[int, Sequence[int]]) -> list:
    """numpy.dsplit: split along axis 2 of an array of 3 or more dimensions."""
    a = as_tensor(ary)
    if a.ndim < 3:
        raise ValueError(f"dsplit only works on arrays of 3 or more dimensions, got shape "
                         f"{a.shape}")
    return _pieces("dsplit", a, indices_or_sections, 2, equal=True)


# ---------------------------------------------------------------------- at least n-d
def _at_least(arys: tuple, shape_of: Any) -> Union[Tensor, tuple]:
    # numpy gives the array back itself when it has enough dimensions, and a tuple of
    # results for several arrays
    out = tuple(reshape(t, shape_of(t.shape)) for t in (as_tensor(a) for a in arys))
    return out[0] if len(out) == 1 else out


def atleast_1d(*arys: Any) -> Union[Tensor, tuple]:
    """numpy.atleast_1d: a 0-d array as shape (1,); several arrays give a tuple."""
    return _at_least(arys, lambda s: s if len(s) >= 1 else (1,))


def atleast_2d(*arys: Any) -> Union[Tensor, tuple]:
    """numpy.atleast_2d: () → (1, 1), (n,) → (1, n); several arrays give a tuple."""
    return _at_least(arys, lambda s: s if len(s) >= 2 else (1,) * (2 - len(s)) + s)


def atleast_3d(*arys: Any) -> Union[Tensor, tuple]:
    """numpy.atleast_3d: () → (1, 1, 1), (n,) → (1, n, 1), (m, n) → (m, n, 1); several arrays
    give a tuple."""
    def shape_of(s: tuple) -> tuple:
        return {0: (1, 1, 1), 1: (1,) + s + (1,), 2: s + (1,)}.get(len(s), s)
    return _at_least(arys, shape_of)


# ---------------------------------------------------------------------- stacking
def _join(name: str, tup: Any, expand: Any, axis_of: Any) -> Tensor:
    if isinstance(tup, (Tensor, np.ndarray)):
        raise TypeError(f"{name}: arrays to stack must be passed as a sequence such as a list "
                        "or a tuple")
    arrays = [expand(as_tensor(t)) for t in tup]
    if not arrays:
        raise ValueError(f"{name}: need at least one array to concatenate")
    try:
        return concatenate(arrays, axis=axis_of(arrays[0]))
    except ValueError as error:  # Concatenate's message names the shapes
        raise ValueError(f"{name}: {error}") from None


def hstack(tup: Sequence[Any]) -> Tensor:
    """numpy.hstack: join along axis 1 (axis 0 for 1-D arrays); 0-d arrays count as (1,)."""
    return _join("hstack", tup, atleast_1d, lambda first: 0 if first.ndim == 1 else 1)


def vstack(tup: Sequence[Any]) -> Tensor:
    """numpy.vstack: join along axis 0 after atleast_2d ((n,) becomes a row (1, n))."""
    return _join("vstack", tup, atleast_2d, lambda first: 0)


def dstack(tup: Sequence[Any]) -> Tensor:
    """numpy.dstack: join along axis 2 after atleast_3d."""
    return _join("dstack", tup, atleast_3d, lambda first: 2)


def column_stack(tup: Sequence[Any]) -> Tensor:
    """numpy.column_stack: 1-D (and 0-d) arrays as columns, joined along axis 1."""
    return _join("column_stack", tup, lambda t: reshape(t, (-1, 1)) if t.ndim < 2 else t,
                 lambda first: 1)


# ---------------------------------------------------------------------- axes
def moveaxis(a: Any, source: Union[int, Sequence[int]],
             destination: Union[int, Sequence[int]]) -> Tensor:
    """numpy.moveaxis: move axes `source` to positions `destination`, the others keeping
    their order; a view."""
    a = as_tensor(a)
    source = _axes("moveaxis", a, source, "source")
    destination = _axes("moveaxis", a, destination, "destination")
    if len(source) != len(destination):
        raise ValueError(f"moveaxis: `source` and `destination` arguments must have the same "
                         f"number of elements, got {source} and {destination}")
    order = [i for i in range(a.ndim) if i not in source]
    for dest, src in sorted(zip(destination, source)):
        order.insert(dest, src)
    return Transpose.apply(a, tuple(order))


def rollaxis(a: Any, axis: int, start: int = 0) -> Tensor:
    """numpy.rollaxis: move `axis` to sit before position `start` (moveaxis is clearer)."""
    a = as_tensor(a)
    axis = _axis("rollaxis", a, axis)
    start = _count("rollaxis", start, "start")
    n = a.ndim
    if start < 0:
        start += n
    if not 0 <= start < n + 1:
        raise AxisError(f"rollaxis of shape {a.shape}: 'start' arg requires {-n} <= start < "
                        f"{n + 1}, but {start - n if start < 0 else start} was passed in")
    if axis < start:
        start -= 1  # the axis leaves its place before it is inserted
    order = [i for i in range(n) if i != axis]
    order.insert(start, axis)
    return Transpose.apply(a, tuple(order))


def ravel(a: Any, order: str = "C") -> Tensor:
    """numpy.ravel: the entries as a 1-D array, in C (row-major) or F (column-major) order."""
    a = as_tensor(a)
    if order not in ("C", "F"):
        raise ValueError(f"ravel: order must be 'C' or 'F', got {order!r}")
    return Reshape.apply(a if order == "C" else Transpose.apply(a, None), (-1,))


# ---------------------------------------------------------------------- gathers, scatters
@torch_aliases
def take(a: Any, indices: Any, axis: Optional[int] = None, mode: str = "raise") -> Tensor:
    """numpy.take: the entries at `indices` along `axis` (of the flattened array when None);
    mode 'raise' (negative indices count from the end), 'wrap' or 'clip'. A copy."""
    a = as_tensor(a)
    # numpy's take casts booleans to the indices 0 and 1 (it does not mask)
    indices = _integer_indices("take", indices, "biu", TypeError).astype(np.intp, copy=False)
    source, ax = (reshape(a, -1), 0) if axis is None else (a, _axis("take", a, axis))
    size = source.shape[ax]
    if mode not in ("raise", "wrap", "clip"):
        raise ValueError(f"take: mode must be 'raise', 'wrap' or 'clip', got {mode!r}")
    if size == 0 and indices.size:
        raise IndexError(f"take of shape {a.shape}: cannot do a non-empty take from an empty "
                         f"axis {ax}")
    if mode == "raise":
        _check_bounds("take", indices, a.shape, None if axis is None else ax, size)
    elif mode == "wrap":
        indices = indices % max(size, 1)
    else:
        indices = np.clip(indices, 0, max(size - 1, 0))
    # an index array, 0-d included, selects a copy (numpy's take never returns a view)
    return getitem(source, axis_index(ax, indices, source.ndim))


def _along_axis(name: str, arr: Any, indices: Any, axis: Optional[int]) -> tuple:
    """(arr, its flattened form when axis is None, the index of numpy's *_along_axis): the
    indices along `axis` beside an arange for every other axis, broadcast together."""
    arr = as_tensor(arr)
    indices = _integer_indices(name, indices)
    if axis is None:
        if indices.ndim != 1:
            raise ValueError(f"{name}: when axis=None, indices must have a single dimension, "
                             f"got shape {indices.shape}")
        source, ax = reshape(arr, -1), 0
    else:
        source, ax = arr, _axis(name, arr, axis)
        if indices.ndim != arr.ndim:
            raise ValueError(f"{name}: indices of shape {indices.shape} and arr of shape "
                             f"{arr.shape} must have the same number of dimensions")
    for d, (i, n) in enumerate(zip(indices.shape, source.shape)):
        if d != ax and i != n and 1 not in (i, n):
            raise ValueError(f"{name}: indices of shape {indices.shape} do not broadcast "
                             f"against arr of shape {arr.shape} outside axis {ax}")
    _check_bounds(name, indices, arr.shape, None if axis is None else ax, source.shape[ax])
    ndim = source.ndim
    index = tuple(indices if d == ax else
                  np.arange(n).reshape((1,) * d + (-1,) + (1,) * (ndim - d - 1))
                  for d, n in enumerate(source.shape))
    return arr, source, index


@torch_aliases
def take_along_axis(arr: Any, indices: Any, axis: Optional[int] = -1) -> Tensor:
    """numpy.take_along_axis: out[..., j, ...] = arr[..., indices[..., j, ...], ...] along
    `axis` (indices of arr's number of dimensions; 1-D with axis None). A copy."""
    _, source, index = _along_axis("take_along_axis", arr, indices, axis)
    return getitem(source, index)


def _assignable(shape: tuple, target: tuple) -> bool:
    """Whether numpy's `x[index] = v` takes v of `shape` for positions of shape `target`:
    v broadcasts to them, and may carry extra leading size-1 axes."""
    extra = len(shape) - len(target)
    if extra > 0:
        if any(n != 1 for n in shape[:extra]):
            return False
        shape = shape[extra:]
    return all(n in (1, t) for n, t in zip(shape[::-1], target[::-1]))


def put_along_axis(arr: Any, indices: Any, values: Any, axis: Optional[int]) -> Tensor:
    """numpy.put_along_axis out of place: a copy of arr with values (broadcast) written at
    `indices` along `axis`. Of a position written twice the last write lands, as in numpy,
    and only that value gets the position's gradient."""
    arr, source, index = _along_axis("put_along_axis", arr, indices, axis)
    written = np.broadcast_shapes(*(i.shape for i in index))
    given = np.shape(raw(values))
    if not _assignable(given, written):
        raise ValueError(f"put_along_axis: values of shape {given} do not broadcast to the "
                         f"shape {written} of the positions written (arr of shape "
                         f"{arr.shape}, indices of shape {np.shape(raw(indices))})")
    return reshape(set_item(source, index, values), arr.shape)


@torch_aliases(habit=values_indices_habit("sort"))
def sort(a: Any, axis: Optional[int] = -1, kind: Optional[str] = None, *,
         stable: Optional[bool] = None) -> Tensor:
    """numpy.sort: the entries sorted along `axis` (of the flattened array when None); the
    gradient goes back through the sorting permutation (tied entries: numpy's argsort's
    order)."""
    a = as_tensor(a)
    source, ax = (reshape(a, -1), 0) if axis is None else (a, _axis("sort", a, axis))
    order = np.argsort(source.data, axis=ax, kind=kind, stable=stable)
    return take_along_axis(source, order, ax)


@torch_aliases
def argsort(a: Any, axis: Optional[int] = -1, kind: Optional[str] = None, *,
            stable: Optional[bool] = None) -> np.ndarray:
    """numpy.argsort: the indices that sort `a` along `axis`; an integer array, no graph."""
    data = np.asarray(raw(a))
    if axis is not None:
        _axis("argsort", data, axis)
    return np.argsort(data, axis=axis, kind=kind, stable=stable)


# ---------------------------------------------------------------------- select
def _numpy_operand(value: Any) -> Any:
    """What np.select's dtype rule sees: a Tensor's array, a Python number as it is (weak,
    NEP 50), anything else as numpy's array of it."""
    if isinstance(value, Tensor):
        return value.data
    return value if type(value) in (int, float, complex) else np.asarray(value)


def select(condlist: Sequence[Any], choicelist: Sequence[Any], default: Any = 0) -> Tensor:
    """numpy.select: choicelist[i] where condlist[i] is the first true condition, else
    `default`, all broadcast together; the dtype is numpy's result type of the choices and
    the default. Differentiable in every choice and in `default` (a Tensor): where applied
    from the last condition to the first, so the gradient reaches the choice that was
    picked."""
    condlist, choicelist = list(condlist), list(choicelist)
    if len(condlist) != len(choicelist):
        raise ValueError(f"select: list of cases must be same length as list of conditions "
                         f"({len(condlist)} conditions, {len(choicelist)} choices)")
    if not condlist:
        raise ValueError("select with an empty condition list is not possible")
    values = [_numpy_operand(v) for v in choicelist + [default]]
    try:
        dtype = np.result_type(*values)
    except TypeError as error:
        raise TypeError(f"select: choicelist and default value do not have a common dtype: "
                        f"{error}") from None
    if dtype.kind not in "biuf":  # numpy would make strings or objects of them
        raise TypeError(f"select: the choices and the default must be real numbers (float, "
                        f"int or bool); together they are dtype {dtype}")
    conditions = [np.asarray(raw(c)) for c in condlist]
    cond_shapes = [c.shape for c in conditions]
    choice_shapes = [np.shape(v) for v in values]
    try:
        np.broadcast_shapes(*cond_shapes, *choice_shapes)
    except ValueError:
        raise ValueError(f"select: the conditions' shapes {cond_shapes}, the choices' shapes "
                         f"{choice_shapes[:-1]} and the default's {choice_shapes[-1]} do not "
                         "broadcast together") from None
    for i, c in enumerate(conditions):
        if c.dtype != np.bool_:
            raise TypeError(f"select: invalid entry {i} in condlist: should be boolean ndarray, "
                            f"got dtype {c.dtype}")

    def typed(value: Any) -> Tensor:
        if isinstance(value, Tensor):
            return value if value.dtype == dtype else value.astype(dtype)
        return Tensor._make(np.asarray(value, dtype=dtype))

    result = typed(default)
    for condition, choice in zip(conditions[::-1], choicelist[::-1]):
        result = where(condition, typed(choice), result)
    return result
