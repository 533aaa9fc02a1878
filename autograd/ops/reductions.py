"""The reductions and statistics over axes besides the course's sum, mean and logsumexp
(course.py): max min prod var std cumsum cumprod norm argmax argmin any all average ptp,
with numpy's semantics (axis None, int, negative or tuple; keepdims).

Where an op is a short composition of existing ops (average, ptp, most norms) it is written
as one, so that its gradient (and its gradient's gradient) comes from those ops. Decisions:

- prod: ∂/∂aⱼ is the product of the other entries, computed as the product of the entries
  before aⱼ and of those after it (exclusive cumulative products from the left and from the
  right): no division, so exact with any number of zeros, and itself differentiable, so
  second (and higher) derivatives are exact at zeros too.
- std: the gradient at zero variance is 0 (as PyTorch's std_backward does), not nan.
  norm (every ord): the gradient at the zero vector (a zero row, with axis=) is 0 likewise.
- Integer and bool input: var, std and norm compute in float64, as numpy's do
  (dtypes.floating_result); prod, cumsum and cumprod keep numpy's integer results.
- cumprod: the gradient is computed without division (see Cumprod), exact with zeros, and
  so are its second (and higher) derivatives. Its cost along the axis is O(n log n) work in
  ⌈log₂ n⌉ vectorized steps.
- max, min (and ptp): tied entries share the gradient evenly.
- argmax, argmin, any, all: not differentiable; integer / bool results, no graph.
"""

from __future__ import annotations

import builtins
import math
from typing import Any, Optional

import numpy as np

from autograd.dtypes import as_floating, floating_result
from autograd.function import Function
from autograd.ops.arguments import Axis, _checked, _reduction_args, normalize_axes
from autograd.ops.course import Mean, Transpose, _expand_back, _reduced_count, kept_shape
from autograd.ops.formula import ArraySafe, constant, raw, where
from autograd.ops.shape import Concatenate, axis_index
from autograd.torch_keywords import ddof_habit, torch_aliases, values_indices_habit
from autograd.tensor import Tensor, as_tensor

__all__ = [
    "Max", "Min", "Prod", "Var", "Std", "Cumsum", "Cumprod", "L2Norm",
    "max", "min", "prod", "var", "std", "cumsum", "cumprod", "norm", "argmax", "argmin",
    "any", "all", "average", "ptp",
]


# ---------------------------------------------------------------------- max, min
class Max(ArraySafe, Function):
    """∂max(a)/∂aⱼ = [aⱼ = max] / #ties  (ties share the gradient evenly)"""

    @staticmethod
    def forward(ctx, a, axis, keepdims):
        out = np.maximum.reduce(a, axis=axis, keepdims=keepdims)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        return _extremum_backward(ctx, grad)


class Min(ArraySafe, Function):
    """∂min(a)/∂aⱼ = [aⱼ = min] / #ties  (ties share the gradient evenly)"""

    @staticmethod
    def forward(ctx, a, axis, keepdims):
        out = np.minimum.reduce(a, axis=axis, keepdims=keepdims)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        return _extremum_backward(ctx, grad)


def _extremum_backward(ctx: Function, grad: Any) -> tuple:
    a, axis, keepdims = ctx.inputs
    axes = normalize_axes(axis, a.ndim)
    (out,) = ctx.saved_tensors
    extremum = raw(out).reshape(kept_shape(a.shape, axes))
    hits = (raw(a) == extremum).astype(grad.dtype)
    share = hits / hits.sum(axis=axes, keepdims=True)
    return _expand_back(grad, a.shape, axes, keepdims) * constant(share, grad), None, None


@torch_aliases(habit=values_indices_habit("max"))
def max(a: Tensor, axis: Axis = None, keepdims: bool = False) -> Tensor:
    """Maximum over `axis`; tied maxima share the gradient evenly."""
    return Max.apply(a, *_reduction_args(a, axis, keepdims))


@torch_aliases(habit=values_indices_habit("min"))
def min(a: Tensor, axis: Axis = None, keepdims: bool = False) -> Tensor:
    """Minimum over `axis`; tied minima share the gradient evenly."""
    return Min.apply(a, *_reduction_args(a, axis, keepdims))


# ---------------------------------------------------------------------- prod
def _shift(x: Any, axis: int, by: int, fill: float) -> Any:
    """x moved `by` places along `axis`, its length kept: by > 0 puts x[k − by] at k (`fill`
    before), by < 0 puts x[k + |by|] at k (`fill` after). Arrays or Tensors."""
    n = x.shape[axis]
    d = builtins.min(abs(by), n)  # (this module's min is the reduction)
    block = np.full(x.shape[:axis] + (d,) + x.shape[axis + 1:], fill, dtype=raw(x).dtype)
    if by > 0:
        return Concatenate.run(axis, block, x[axis_index(axis, slice(None, n - d), x.ndim)])
    return Concatenate.run(axis, x[axis_index(axis, slice(d, None), x.ndim)], block)


def _exclusive_cumprod(a: Any, axis: int) -> Any:
    """Π_{i<k} aᵢ at k (1 at the start), along `axis`: no division, exact with zeros."""
    return Cumprod.run(_shift(a, axis, 1, 1.0), axis)


def _products_of_the_others(a: Any, axes: tuple) -> Any:
    """Π_{i≠j} aᵢ at each j, over the reduced `axes`: the product of the entries before j
    times that of the entries after j (the reduced axes flattened, in order)."""
    kept = tuple(i for i in range(a.ndim) if i not in axes)
    order = kept + axes
    moved = a if order == tuple(range(a.ndim)) else Transpose.run(a, order)
    rest = tuple(a.shape[i] for i in kept)
    last = len(rest)
    flat = moved.reshape(rest + (math.prod(a.shape[i] for i in axes),))
    before = _exclusive_cumprod(flat, last)
    after = _flip(_exclusive_cumprod(_flip(flat, last), last), last)
    others = (before * after).reshape(moved.shape)
    if moved is a:
        return others
    return Transpose.run(others, tuple(int(i) for i in np.argsort(order)))


class Prod(ArraySafe, Function):
    """∂(Πᵢ aᵢ)/∂aⱼ = Π_{i<j} aᵢ · Π_{i>j} aᵢ  (no division: exact with zeros, to all orders)"""

    @staticmethod
    def forward(ctx, a, axis, keepdims):
        return np.multiply.reduce(a, axis=axis, keepdims=keepdims)

    @staticmethod
    def backward(ctx, grad):
        a, axis, keepdims = ctx.inputs
        axes = normalize_axes(axis, a.ndim)
        others = _products_of_the_others(a, axes)
        return _expand_back(grad, a.shape, axes, keepdims) * others, None, None


@torch_aliases
def prod(a: Tensor, axis: Axis = None, keepdims: bool = False) -> Tensor:
    """Product over `axis` (all axes when None)."""
    return Prod.apply(a, *_checked("prod", a, axis, keepdims))


# ---------------------------------------------------------------------- var, std
def _var_backward(a: Any, grad: Any, axis: Axis, ddof: float, keepdims: bool) -> Any:
    # ∂var/∂aⱼ = 2 (aⱼ − mean) / (n − ddof)
    axes = normalize_axes(axis, a.ndim)
    dof = _reduced_count(a.shape, axes) - ddof
    scale = 2.0 / dof if dof > 0 else math.nan
    centred = a - Mean.run(a, axes, True)
    return _expand_back(grad, a.shape, axes, keepdims) * centred * scale


class Var(ArraySafe, Function):
    """∂var(a)/∂aⱼ = 2 (aⱼ − mean) / (n − ddof)"""

    @staticmethod
    def forward(ctx, a, axis, ddof, keepdims):
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.asarray(np.var(a, axis=axis, ddof=ddof, keepdims=keepdims))

    @staticmethod
    def backward(ctx, grad):
        a, axis, ddof, keepdims = ctx.inputs
        return _var_backward(a, grad, axis, ddof, keepdims), None, None, None


class Std(ArraySafe, Function):
    """∂std(a)/∂aⱼ = (aⱼ − mean) / ((n − ddof) std)  (0 where std = 0, as in PyTorch)"""

    @staticmethod
    def forward(ctx, a, axis, ddof, keepdims):
        with np.errstate(invalid="ignore", divide="ignore"):
            out = np.asarray(np.std(a, axis=axis, ddof=ddof, keepdims=keepdims))
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        a, axis, ddof, keepdims = ctx.inputs
        (out,) = ctx.saved_tensors
        flat = raw(out) == 0
        grad_var = where(flat, 0.0, grad / (2.0 * where(flat, 1.0, out)))
        return _var_backward(a, grad_var, axis, ddof, keepdims), None, None, None


def _ddof(ddof: Any) -> float:
    if isinstance(ddof, bool) or not isinstance(ddof, (int, float, np.integer, np.floating)):
        raise TypeError(f"ddof must be a number, got {ddof!r}")
    return ddof


@torch_aliases(habit=ddof_habit("var"), unless="ddof")
def var(a: Tensor, axis: Axis = None, ddof: float = 0, keepdims: bool = False) -> Tensor:
    """Variance over `axis`, numpy's: Σ (a − mean)² / (n − ddof)."""
    axis, keepdims = _checked("var", a, axis, keepdims)
    return Var.apply(a, axis, _ddof(ddof), keepdims)


@torch_aliases(habit=ddof_habit("std"), unless="ddof")
def std(a: Tensor, axis: Axis = None, ddof: float = 0, keepdims: bool = False) -> Tensor:
    """Standard deviation over `axis`, numpy's (√var); its gradient is 0 where it is 0."""
    axis, keepdims = _checked("std", a, axis, keepdims)
    return Std.apply(a, axis, _ddof(ddof), keepdims)


# ---------------------------------------------------------------------- cumsum, cumprod
def _cum_axis(name: str, a: Any, axis: Any) -> Optional[int]:
    if axis is None:
        return None
    if isinstance(axis, bool) or not isinstance(axis, (int, np.integer)):
        raise TypeError(f"{name}: the axis must be an integer or None, got {axis!r}")
    ndim = np.ndim(a)
    if ndim == 0 and axis in (0, -1):
        return None  # numpy takes a 0-d array as 1-d here: [x], as with axis None
    if not -ndim <= axis < ndim:
        raise ValueError(f"{name} of shape {np.shape(a)}: axis {axis} is out of bounds for a "
                         f"tensor of {ndim} dimensions")
    return int(axis) % ndim


def _flip(x: Any, axis: int) -> Any:
    return x[axis_index(axis, slice(None, None, -1), x.ndim)]


def _reverse_cumsum(grad: Any, axis: int) -> Any:
    return _flip(Cumsum.run(_flip(grad, axis), axis), axis)


class Cumsum(ArraySafe, Function):
    """∂(Σ_{i≤k} aᵢ)/∂aⱼ = [j ≤ k]  (the gradient is a reversed cumulative sum)"""

    @staticmethod
    def forward(ctx, a, axis):
        return np.cumsum(a, axis=axis)

    @staticmethod
    def backward(ctx, grad):
        a, axis = ctx.inputs
        if axis is None:  # numpy flattens
            return _reverse_cumsum(grad, 0).reshape(a.shape), None
        return _reverse_cumsum(grad, axis), None


def _suffix_sums_of_products(g: Any, a: Any, axis: int) -> Any:
    """Sⱼ = Σ_{k≥j} gₖ Π_{j<i≤k} aᵢ along `axis` (the recurrence Sⱼ = gⱼ + aⱼ₊₁ Sⱼ₊₁),
    without division, by doubling: after the step of offset d, `total` holds the terms
    k < j + 2d and `factor` holds Π_{j<i≤j+2d} aᵢ (0 past the end, where total is 0)."""
    n = g.shape[axis]
    total, factor = g, _shift(a, axis, -1, 0.0)
    d = 1
    while d < n:
        total = total + factor * _shift(total, axis, -d, 0.0)
        if 2 * d < n:
            factor = factor * _shift(factor, axis, -d, 0.0)
        d *= 2
    return total


class Cumprod(ArraySafe, Function):
    """∂(Π_{i≤k} aᵢ)/∂aⱼ = [j ≤ k] Π_{i<j} aᵢ · Π_{j<i≤k} aᵢ  (no division: exact with zeros)"""

    @staticmethod
    def forward(ctx, a, axis):
        return np.cumprod(a, axis=axis)

    @staticmethod
    def backward(ctx, grad):
        a, axis = ctx.inputs
        shape = a.shape
        if axis is None:  # numpy flattens
            a, axis = a.reshape(-1), 0
        # Σₖ gₖ ∂outₖ/∂aⱼ = Π_{i<j} aᵢ · Sⱼ,  Sⱼ = Σ_{k≥j} gₖ Π_{j<i≤k} aᵢ
        result = _exclusive_cumprod(a, axis) * _suffix_sums_of_products(grad, a, axis)
        return result.reshape(shape), None


@torch_aliases
def cumsum(a: Tensor, axis: Optional[int] = None) -> Tensor:
    """Cumulative sum along `axis` (None: of the flattened tensor, as numpy; a 0-d tensor
    takes axis 0 or −1 as numpy does, giving [x])."""
    return Cumsum.apply(a, _cum_axis("cumsum", a, axis))


@torch_aliases
def cumprod(a: Tensor, axis: Optional[int] = None) -> Tensor:
    """Cumulative product along `axis` (None: of the flattened tensor, as numpy; a 0-d tensor
    takes axis 0 or −1 as numpy does, giving [x])."""
    return Cumprod.apply(a, _cum_axis("cumprod", a, axis))


# ---------------------------------------------------------------------- norm
class L2Norm(ArraySafe, Function):
    """∂‖a‖₂/∂aⱼ = aⱼ / ‖a‖₂  (0 at the zero vector, as in PyTorch)"""

    @staticmethod
    def forward(ctx, a, axis, keepdims):
        a = as_floating(a)  # integers and bools: float64 before they are squared
        out = np.sqrt(np.add.reduce(a * a, axis=axis, keepdims=keepdims))
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        a, axis, keepdims = ctx.inputs
        (out,) = ctx.saved_tensors
        axes = normalize_axes(axis, a.ndim)
        flat = raw(out) == 0
        scaled = where(flat, 0.0, grad / where(flat, 1.0, out))
        return _expand_back(scaled, a.shape, axes, keepdims) * a, None, None


@torch_aliases
def norm(x: Tensor, ord: Any = None, axis: Axis = None, keepdims: bool = False) -> Tensor:
    """numpy.linalg.norm for vectors (ord None or 2, 1, inf, −inf, any p ≥ 1) and the
    Frobenius norm of matrices (ord None or 'fro' over two axes). Other matrix norms raise.
    Integer and bool input is cast to float64 first, as numpy does; the gradient at the zero
    vector is 0 for every ord, as PyTorch's."""
    x = as_tensor(x)
    if x.dtype.kind != "f":
        x = x.astype(floating_result(x.dtype))
    axis, keepdims = _checked("norm", x, axis, keepdims)
    axes = normalize_axes(axis, x.ndim)
    if ord is None or (ord == "fro" and len(axes) == 2) or (ord == 2 and len(axes) == 1):
        return L2Norm.apply(x, axis, keepdims)
    if isinstance(ord, str) or len(axes) != 1:
        raise ValueError(f"norm of shape {x.shape}: ord={ord!r} over axes {axes} is not "
                         "supported (vector norms over one axis; 'fro' over two)")
    if ord == math.inf:
        return x.abs().max(axis=axis, keepdims=keepdims)
    if ord == -math.inf:
        return x.abs().min(axis=axis, keepdims=keepdims)
    if isinstance(ord, bool) or not isinstance(ord, (int, float, np.integer, np.floating)) \
            or not ord >= 1:
        raise ValueError(f"norm of shape {x.shape}: ord must be None, 'fro', inf, −inf or a "
                         f"number ≥ 1, got {ord!r}")
    if ord == 1:
        return x.abs().sum(axis=axis, keepdims=keepdims)
    total = (x.abs() ** float(ord)).sum(axis=axis, keepdims=True)
    zero = raw(total) == 0  # a zero row (or one whose Σ|x|ᵖ underflows)
    if zero.any():
        # s^(1/p) has an infinite slope at s = 0 and ∞·0 is nan: a zero row's norm is taken
        # of a row of ones instead and replaced by 0, so that nothing in its graph meets 0
        # and its gradient is 0 to every order
        total = (where(zero, 1.0, x).abs() ** float(ord)).sum(axis=axis, keepdims=True)
        out = where(zero, 0.0, total ** (1.0 / ord))
    else:
        out = total ** (1.0 / ord)
    return out if keepdims else out.reshape(
        tuple(n for i, n in enumerate(x.shape) if i not in axes))




# ---------------------------------------------------------------------- not differentiable
def _plain(name: str, fn: Any, x: Any, axis: Any, keepdims: Any) -> Any:
    axis, keepdims = _checked(name, x, axis, keepdims)
    result = np.asarray(fn(raw(x), axis=axis, keepdims=keepdims))
    return Tensor._make(result) if isinstance(x, Tensor) else result


@torch_aliases
def argmax(x: Any, axis: Optional[int] = None, keepdims: bool = False) -> Any:
    """Index of the maximum (of the flattened tensor when axis is None); integer, no graph."""
    if axis is not None:
        _cum_axis("argmax", x, axis)
    return _plain("argmax", np.argmax, x, axis, keepdims)


@torch_aliases
def argmin(x: Any, axis: Optional[int] = None, keepdims: bool = False) -> Any:
    """Index of the minimum (of the flattened tensor when axis is None); integer, no graph."""
    if axis is not None:
        _cum_axis("argmin", x, axis)
    return _plain("argmin", np.argmin, x, axis, keepdims)


@torch_aliases
def any(x: Any, axis: Axis = None, keepdims: bool = False) -> Any:
    """Whether any entry is nonzero over `axis`; bool, no graph."""
    return _plain("any", np.any, x, axis, keepdims)


@torch_aliases
def all(x: Any, axis: Axis = None, keepdims: bool = False) -> Any:
    """Whether every entry is nonzero over `axis`; bool, no graph."""
    return _plain("all", np.all, x, axis, keepdims)


# ---------------------------------------------------------------------- compositions
@torch_aliases
def average(x: Tensor, axis: Axis = None, weights: Any = None) -> Tensor:
    """numpy.average: Σ w·x / Σ w over `axis`, differentiable in x and in `weights` (same
    shape as x, or 1-D along an int axis)."""
    x = as_tensor(x)
    axis, _ = _checked("average", x, axis, False)
    if weights is None:
        return x.mean(axis=axis)
    w = as_tensor(weights)
    if w.shape != x.shape:
        if axis is None or not isinstance(axis, (int, np.integer)):
            raise ValueError(f"average of shape {x.shape}: weights of shape {w.shape} differ "
                             "from it; give an int axis for 1-D weights")
        ax = axis % x.ndim
        if w.ndim != 1 or w.shape[0] != x.shape[ax]:
            raise ValueError(f"average of shape {x.shape}: 1-D weights of shape {w.shape} "
                             f"must have the length of axis {axis}")
        w = w.reshape((-1,) + (1,) * (x.ndim - ax - 1))
    total = w.sum(axis=axis) if w.shape == x.shape else w.sum()
    if np.any(raw(total) == 0):
        raise ZeroDivisionError("average: the weights sum to zero, which has no average")
    return (x * w).sum(axis=axis) / total


@torch_aliases
def ptp(x: Tensor, axis: Axis = None, keepdims: bool = False) -> Tensor:
    """max − min over `axis` (numpy.ptp); ties share the gradient as in Max and Min."""
    x = as_tensor(x)
    axis, keepdims = _checked("ptp", x, axis, keepdims)
    return Max.apply(x, axis, keepdims) - Min.apply(x, axis, keepdims)

