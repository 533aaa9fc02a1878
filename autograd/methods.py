"""Tensor's operators and method spellings: `a + b`, `a @ b`, `t[i]`, `a < b`, `t.T`,
`t.sum(axis=0)`, `t.exp()`, `t.reshape(2, 3)`, PyTorch's `t.view(...)`, ... Each calls the op
of autograd.ops that does the work.

They are attached to Tensor from here, above both Tensor and the ops (as DeZero's
`setup_variable` does): autograd/tensor.py imports no op, so the ops can import Tensor without
an import circle. `import autograd` runs this module.
"""

from __future__ import annotations

from typing import Any, Optional, Sequence, Union

import numpy as np

from autograd.ops import (
    Add, Div, MatMul, Mul, Neg, Sub, abs, add, all, any, arccos, arccosh, arcsin, arcsinh, arctan,
    arctanh, argsort, broadcast_to, cast, ceil, clip, clone, cos, cosh, cumprod, cumsum, diagonal,
    div, dot, exp, exp2, expand_dims, expm1, floor, floor_divide, getitem, log, log10, log1p, log2,
    log_softmax, logsumexp, matmul, max, maximum, mean, min, minimum, mod, mul, pow, prod, ptp,
    reciprocal, relu, repeat, reshape, round, sigmoid, sign, sin, sinh, softmax, sqrt, square,
    squeeze, std, step, sub, sum, swapaxes, take, tan, tanh, trace, transpose, trunc, var,
)
from autograd.tensor import Tensor, attach, raw
from autograd.torch_keywords import ddof_habit, torch_aliases, values_indices_habit

Axis = Union[None, int, Sequence[int]]


class TensorMethods:
    """Tensor's operators and methods, written as a class body so that `sum` inside
    `def sum(self, ...)` is the op `sum`; never instantiated: `attach` puts its functions and
    properties on Tensor (below)."""

    # ----------------------------------------------------------------- operators
    # Tensor ⊕ Tensor goes straight to the op: these run for every step of every model.
    def __add__(self, other: Any) -> Tensor:
        return Add.apply(self, other) if isinstance(other, Tensor) else add(self, other)

    def __radd__(self, other: Any) -> Tensor:
        return add(other, self)

    def __sub__(self, other: Any) -> Tensor:
        return Sub.apply(self, other) if isinstance(other, Tensor) else sub(self, other)

    def __rsub__(self, other: Any) -> Tensor:
        return sub(other, self)

    def __mul__(self, other: Any) -> Tensor:
        return Mul.apply(self, other) if isinstance(other, Tensor) else mul(self, other)

    def __rmul__(self, other: Any) -> Tensor:
        return mul(other, self)

    def __truediv__(self, other: Any) -> Tensor:
        return Div.apply(self, other) if isinstance(other, Tensor) else div(self, other)

    def __rtruediv__(self, other: Any) -> Tensor:
        return div(other, self)

    def __floordiv__(self, other: Any) -> Tensor:
        return floor_divide(self, other)

    def __rfloordiv__(self, other: Any) -> Tensor:
        return floor_divide(other, self)

    def __mod__(self, other: Any) -> Tensor:
        return mod(self, other)

    def __rmod__(self, other: Any) -> Tensor:
        return mod(other, self)

    def __pow__(self, other: Any) -> Tensor:
        return pow(self, other)

    def __rpow__(self, other: Any) -> Tensor:
        return pow(other, self)

    def __matmul__(self, other: Any) -> Tensor:
        return MatMul.apply(self, other) if isinstance(other, Tensor) else matmul(self, other)

    def __rmatmul__(self, other: Any) -> Tensor:
        return matmul(other, self)

    def __neg__(self) -> Tensor:
        return Neg.apply(self)

    def __pos__(self) -> Tensor:
        return self

    def __abs__(self) -> Tensor:
        return abs(self)

    def __getitem__(self, index: Any) -> Tensor:
        return getitem(self, index)

    # Comparisons are elementwise and record nothing: their gradient is zero almost everywhere.
    def __eq__(self, other: Any) -> Tensor:  # type: ignore[override]
        return Tensor._make(self.data == raw(other))

    def __ne__(self, other: Any) -> Tensor:  # type: ignore[override]
        return Tensor._make(self.data != raw(other))

    def __lt__(self, other: Any) -> Tensor:
        return Tensor._make(self.data < raw(other))

    def __le__(self, other: Any) -> Tensor:
        return Tensor._make(self.data <= raw(other))

    def __gt__(self, other: Any) -> Tensor:
        return Tensor._make(self.data > raw(other))

    def __ge__(self, other: Any) -> Tensor:
        return Tensor._make(self.data >= raw(other))

    # ----------------------------------------------------------------- methods
    @property
    def T(self) -> Tensor:
        """The transpose (all axes reversed)."""
        return transpose(self)

    @property
    def mT(self) -> Tensor:
        """The last two axes swapped (matrix transpose of a batch)."""
        return swapaxes(self, -1, -2)

    def clone(self) -> Tensor:
        """A copy of the data that stays in the graph (the gradient flows back unchanged)."""
        return clone(self)

    def astype(self, dtype: Any) -> Tensor:
        """A copy with another dtype; differentiable between floating dtypes (an integer or
        bool result does not require grad)."""
        return cast(self, np.dtype(dtype))

    def exp(self) -> Tensor:
        """autograd.exp(self)."""
        return exp(self)

    def log(self) -> Tensor:
        """autograd.log(self): the natural logarithm."""
        return log(self)

    def sqrt(self) -> Tensor:
        """autograd.sqrt(self)."""
        return sqrt(self)

    def abs(self) -> Tensor:
        """autograd.abs(self)."""
        return abs(self)

    def sigmoid(self) -> Tensor:
        """autograd.sigmoid(self): 1 / (1 + e⁻ˣ)."""
        return sigmoid(self)

    def tanh(self) -> Tensor:
        """autograd.tanh(self)."""
        return tanh(self)

    def relu(self) -> Tensor:
        """autograd.relu(self): max(self, 0)."""
        return relu(self)

    def step(self) -> Tensor:
        """autograd.step(self): the Heaviside step, 1 where self ≥ 0, else 0."""
        return step(self)

    def clip(self, min: Any = None, max: Any = None) -> Tensor:
        """autograd.clip(self, min, max): the values limited to [min, max]."""
        return clip(self, min, max)

    def maximum(self, other: Any) -> Tensor:
        """autograd.maximum(self, other), elementwise."""
        return maximum(self, other)

    def minimum(self, other: Any) -> Tensor:
        """autograd.minimum(self, other), elementwise."""
        return minimum(self, other)

    @torch_aliases
    def sum(self, axis: Axis = None, keepdims: bool = False) -> Tensor:
        """autograd.sum(self, axis, keepdims)."""
        return sum(self, axis, keepdims)

    @torch_aliases
    def mean(self, axis: Axis = None, keepdims: bool = False) -> Tensor:
        """autograd.mean(self, axis, keepdims)."""
        return mean(self, axis, keepdims)

    @torch_aliases(habit=values_indices_habit("max"))
    def max(self, axis: Axis = None, keepdims: bool = False) -> Tensor:
        """autograd.max(self, axis, keepdims): the values (argmax for the indices)."""
        return max(self, axis, keepdims)

    @torch_aliases(habit=values_indices_habit("min"))
    def min(self, axis: Axis = None, keepdims: bool = False) -> Tensor:
        """autograd.min(self, axis, keepdims): the values (argmin for the indices)."""
        return min(self, axis, keepdims)

    @torch_aliases
    def logsumexp(self, axis: Axis = None, keepdims: bool = False) -> Tensor:
        """autograd.logsumexp(self, axis, keepdims): log Σ exp(self), computed stably."""
        return logsumexp(self, axis, keepdims)

    @torch_aliases
    def softmax(self, axis: int = -1) -> Tensor:
        """autograd.softmax(self, axis)."""
        return softmax(self, axis)

    @torch_aliases
    def log_softmax(self, axis: int = -1) -> Tensor:
        """autograd.log_softmax(self, axis)."""
        return log_softmax(self, axis)

    @torch_aliases
    def argmax(self, axis: Optional[int] = None, keepdims: bool = False) -> np.ndarray:
        """Indices of the maxima (not differentiable; returns an ndarray)."""
        return self.data.argmax(axis=axis, keepdims=keepdims)

    # numpy's method spellings of the elementwise ops and reductions (autograd.<name>)
    def sin(self) -> Tensor:
        """autograd.sin(self)."""
        return sin(self)

    def cos(self) -> Tensor:
        """autograd.cos(self)."""
        return cos(self)

    def tan(self) -> Tensor:
        """autograd.tan(self)."""
        return tan(self)

    def arcsin(self) -> Tensor:
        """autograd.arcsin(self)."""
        return arcsin(self)

    def arccos(self) -> Tensor:
        """autograd.arccos(self)."""
        return arccos(self)

    def arctan(self) -> Tensor:
        """autograd.arctan(self)."""
        return arctan(self)

    def sinh(self) -> Tensor:
        """autograd.sinh(self)."""
        return sinh(self)

    def cosh(self) -> Tensor:
        """autograd.cosh(self)."""
        return cosh(self)

    def arcsinh(self) -> Tensor:
        """autograd.arcsinh(self)."""
        return arcsinh(self)

    def arccosh(self) -> Tensor:
        """autograd.arccosh(self)."""
        return arccosh(self)

    def arctanh(self) -> Tensor:
        """autograd.arctanh(self)."""
        return arctanh(self)

    def log2(self) -> Tensor:
        """autograd.log2(self)."""
        return log2(self)

    def log10(self) -> Tensor:
        """autograd.log10(self)."""
        return log10(self)

    def log1p(self) -> Tensor:
        """autograd.log1p(self)."""
        return log1p(self)

    def expm1(self) -> Tensor:
        """autograd.expm1(self)."""
        return expm1(self)

    def exp2(self) -> Tensor:
        """autograd.exp2(self)."""
        return exp2(self)

    def square(self) -> Tensor:
        """autograd.square(self)."""
        return square(self)

    def reciprocal(self) -> Tensor:
        """autograd.reciprocal(self)."""
        return reciprocal(self)

    def sign(self) -> Tensor:
        """autograd.sign(self)."""
        return sign(self)

    def floor(self) -> Tensor:
        """autograd.floor(self)."""
        return floor(self)

    def ceil(self) -> Tensor:
        """autograd.ceil(self)."""
        return ceil(self)

    def trunc(self) -> Tensor:
        """autograd.trunc(self)."""
        return trunc(self)

    def round(self, decimals: int = 0) -> Tensor:
        """autograd.round(self, decimals): halves to even, zero gradient."""
        return round(self, decimals)

    @torch_aliases(habit=ddof_habit("var"), unless="ddof")
    def var(self, axis: Any = None, ddof: float = 0, keepdims: bool = False) -> Tensor:
        """autograd.var: the variance, numpy's ddof."""
        return var(self, axis, ddof, keepdims)

    @torch_aliases(habit=ddof_habit("std"), unless="ddof")
    def std(self, axis: Any = None, ddof: float = 0, keepdims: bool = False) -> Tensor:
        """autograd.std: the standard deviation, numpy's ddof."""
        return std(self, axis, ddof, keepdims)

    @torch_aliases
    def prod(self, axis: Any = None, keepdims: bool = False) -> Tensor:
        """autograd.prod: the product (its gradient exact with zeros)."""
        return prod(self, axis, keepdims)

    @torch_aliases
    def cumsum(self, axis: Optional[int] = None) -> Tensor:
        """autograd.cumsum (axis None: over the flattened tensor, as numpy)."""
        return cumsum(self, axis)

    @torch_aliases
    def cumprod(self, axis: Optional[int] = None) -> Tensor:
        """autograd.cumprod (axis None: over the flattened tensor, as numpy)."""
        return cumprod(self, axis)

    @torch_aliases
    def ptp(self, axis: Any = None, keepdims: bool = False) -> Tensor:
        """autograd.ptp: max − min."""
        return ptp(self, axis, keepdims)

    @torch_aliases
    def argmin(self, axis: Optional[int] = None, keepdims: bool = False) -> np.ndarray:
        """Indices of the minima (not differentiable; returns an ndarray, as argmax)."""
        return self.data.argmin(axis=axis, keepdims=keepdims)

    @torch_aliases
    def any(self, axis: Any = None, keepdims: bool = False) -> Any:
        """autograd.any: whether any entry is nonzero (no gradient)."""
        return any(self, axis, keepdims)

    @torch_aliases
    def all(self, axis: Any = None, keepdims: bool = False) -> Any:
        """autograd.all: whether every entry is nonzero (no gradient)."""
        return all(self, axis, keepdims)

    def reshape(self, *shape: Any) -> Tensor:
        """autograd.reshape(self, shape): the values in the same order, another shape; the
        shape as one tuple or as separate ints (`t.reshape(2, 3)`)."""
        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = tuple(shape[0])
        return reshape(self, shape)

    def flatten(self, start_dim: int = 0, end_dim: int = -1) -> Tensor:
        """Merge the axes `start_dim` to `end_dim` (both included, negative counting from the
        end) into one, as PyTorch's `flatten`: a (N, C, H, W) batch `.flatten(1)` is
        (N, C·H·W). A 0-d tensor becomes (1,)."""
        shape = self.data.shape
        if not shape:
            return reshape(self, (1,))
        ndim = len(shape)
        for name, value in (("start_dim", start_dim), ("end_dim", end_dim)):
            if not isinstance(value, (int, np.integer)) or isinstance(value, bool) \
                    or not -ndim <= value < ndim:
                raise ValueError(f"flatten: {name}={value!r} is out of range for a tensor of "
                                 f"{ndim} dimensions (shape {shape})")
        start, end = start_dim % ndim, end_dim % ndim
        if start > end:
            raise ValueError(f"flatten: start_dim {start_dim} comes after end_dim {end_dim} "
                             f"for shape {shape}")
        merged = int(np.prod(shape[start:end + 1]))
        return reshape(self, shape[:start] + (merged,) + shape[end + 1:])

    def transpose(self, *axes: Any) -> Tensor:
        """numpy's transpose: `axes` a permutation of all the axes (reversed when none given).
        PyTorch's `transpose(d0, d1)` swaps two axes: that is `swapaxes(d0, d1)` here."""
        if len(axes) == 1 and isinstance(axes[0], (tuple, list)):
            axes = tuple(axes[0])
        if len(axes) == 2 and self.ndim != 2:
            raise ValueError(
                f"transpose{axes} on a tensor of {self.ndim} dimensions (shape {self.shape}): "
                "numpy's transpose takes a permutation of all the axes. To swap two axes, as "
                f"PyTorch's transpose does, write swapaxes{axes}.")
        return transpose(self, axes or None)

    def swapaxes(self, axis1: int, axis2: int) -> Tensor:
        """autograd.swapaxes(self, axis1, axis2): two axes exchanged."""
        return swapaxes(self, axis1, axis2)

    @torch_aliases
    def expand_dims(self, axis: Union[int, Sequence[int]]) -> Tensor:
        """autograd.expand_dims(self, axis): a new axis of size 1 at `axis`."""
        return expand_dims(self, axis)

    @torch_aliases
    def squeeze(self, axis: Axis = None) -> Tensor:
        """autograd.squeeze(self, axis): axes of size 1 removed (all of them when None)."""
        return squeeze(self, axis)

    def broadcast_to(self, shape: Sequence[int]) -> Tensor:
        """autograd.broadcast_to(self, shape)."""
        return broadcast_to(self, shape)

    # more of numpy's ndarray methods
    def ravel(self) -> Tensor:
        """numpy's ravel: the values as one axis."""
        return reshape(self, (-1,))

    def copy(self) -> Tensor:
        """numpy's copy: a copy of the values that stays in the graph (`clone`)."""
        return clone(self)

    def dot(self, other: Any) -> Tensor:
        """autograd.dot(self, other), numpy's dot."""
        return dot(self, other)

    def diagonal(self, offset: int = 0, axis1: int = 0, axis2: int = 1) -> Tensor:
        """autograd.diagonal(self, offset, axis1, axis2)."""
        return diagonal(self, offset, axis1, axis2)

    def trace(self, offset: int = 0, axis1: int = 0, axis2: int = 1) -> Tensor:
        """autograd.trace(self, offset, axis1, axis2)."""
        return trace(self, offset, axis1, axis2)

    @torch_aliases
    def repeat(self, repeats: Any, axis: Optional[int] = None) -> Tensor:
        """numpy's repeat: each entry `repeats` times (PyTorch's `repeat` is `tile` here)."""
        return repeat(self, repeats, axis)

    @torch_aliases
    def take(self, indices: Any, axis: Optional[int] = None) -> Tensor:
        """autograd.take(self, indices, axis)."""
        return take(self, indices, axis)

    @torch_aliases
    def argsort(self, axis: Optional[int] = -1) -> np.ndarray:
        """The indices that sort along `axis` (not differentiable; an ndarray)."""
        return argsort(self, axis)

    # PyTorch's spellings with numpy's meaning (the README's "coming from PyTorch" table)
    def unsqueeze(self, dim: int) -> Tensor:
        """PyTorch's name for expand_dims(dim): a new axis of size 1 at `dim`."""
        return expand_dims(self, dim)

    def view(self, *shape: Any) -> Tensor:
        """PyTorch's name for reshape (the values in the same order, another shape)."""
        return self.reshape(*shape)

    def permute(self, *dims: Any) -> Tensor:
        """PyTorch's name for transpose(dims): the axes in the order `dims`."""
        if len(dims) == 1 and isinstance(dims[0], (tuple, list)):
            dims = tuple(dims[0])
        return transpose(self, dims)

    def t(self) -> Tensor:
        """PyTorch's t(): the transpose of a matrix; a 0-d or 1-d tensor as it is."""
        if self.ndim > 2:
            raise ValueError(f"t() needs a tensor of at most 2 dimensions, got shape "
                             f"{self.shape}: use swapaxes(d0, d1) or transpose(axes)")
        return transpose(self) if self.ndim == 2 else self

    def dim(self) -> int:
        """PyTorch's name for ndim."""
        return self.data.ndim

    def numel(self) -> int:
        """PyTorch's name for the number of elements (numpy's size)."""
        return self.data.size

    def pow(self, exponent: Any) -> Tensor:
        """self ** exponent."""
        return pow(self, exponent)

    def matmul(self, other: Any) -> Tensor:
        """self @ other."""
        return matmul(self, other)

    def clamp(self, min: Any = None, max: Any = None) -> Tensor:
        """PyTorch's name for clip(min, max)."""
        return clip(self, min, max)

    def float(self) -> Tensor:
        """A float32 copy (differentiable): PyTorch's float()."""
        return cast(self, np.float32)

    def double(self) -> Tensor:
        """A float64 copy (differentiable): PyTorch's double()."""
        return cast(self, np.float64)

    def half(self) -> Tensor:
        """A float16 copy (differentiable): PyTorch's half()."""
        return cast(self, np.float16)


attach(Tensor, TensorMethods)
