"""Tensor: one numpy array, its gradient, and the node of the graph that made it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator, Optional, Sequence, Union

import copy
import weakref

import numpy as np

from autograd import dtypes, versions
from autograd.mode import per_thread as _per_thread
from autograd.torch_keywords import ddof_habit, torch_aliases, values_indices_habit

if TYPE_CHECKING:
    from autograd.function import Function

Axis = Union[None, int, Sequence[int]]


class Tensor:
    """An n-dimensional array that records the operations applied to it.

    `data` is the numpy array (wrapped, not copied); `grad` is filled by `backward()` for
    leaves that require grad; `grad_fn` is the Function node that produced this tensor, or
    None for a leaf.
    """


    # Class-level defaults: a tensor made by an op only sets `data` (and, when recorded,
    # requires_grad and grad_fn), which keeps the per-op cost of the engine small.
    # `grad` and `requires_grad` are properties that check what is assigned; the engine reads
    # and writes the plain `_grad` and `_requires_grad` on its hot path.
    _grad: Optional["Tensor"] = None
    _requires_grad: bool = False
    grad_fn: Optional["Function"] = None
    name: Optional[str] = None
    _hooks: Optional[list] = None
    # Versions (autograd/versions.py): counted on the root tensor, the one whose array this
    # tensor's array is a view of (`_base`), or on the tensor itself when it is no view.
    _base: Optional["Tensor"] = None
    _version: int = 0
    _changed_at: int = 0
    _changes: Any = None
    _has_views: bool = False  # some tensor's `_base` is this one

    def __init__(self, data: Any, requires_grad: bool = False, dtype: Any = None,
                 name: Optional[str] = None) -> None:
        if isinstance(data, Tensor):
            source = data
            data = data.data
            self.data: np.ndarray = dtypes.to_array(data, dtype)
            if self.data is data:  # the same array: changes through either one count for both
                _share_versions(self, source)
        else:
            self.data = dtypes.to_array(data, dtype)
        if name is not None:
            self.name = name
        if requires_grad:
            self.requires_grad_(True)

    @classmethod
    def _make(cls, data: np.ndarray) -> "Tensor":
        # The ops' fast path: `data` is already an ndarray with the right dtype.
        t = object.__new__(cls)
        t.data = data
        return t

    @property
    def shape(self) -> tuple:
        return self.data.shape

    @property
    def ndim(self) -> int:
        return self.data.ndim

    @property
    def size(self) -> int:
        """numpy's number of elements (an int; PyTorch's `size()` is `shape` here)."""
        return ElementCount(self.data.size)

    @property
    def dtype(self) -> np.dtype:
        return self.data.dtype

    @property
    def is_leaf(self) -> bool:
        """True for tensors made by the user rather than by an op that recorded a graph."""
        return self.grad_fn is None

    @property
    def T(self) -> "Tensor":
        """The transpose (all axes reversed)."""
        return transpose(self)

    @property
    def mT(self) -> "Tensor":
        """The last two axes swapped (matrix transpose of a batch)."""
        return swapaxes(self, -1, -2)

    @property
    def version(self) -> int:
        """How many times this tensor's data (or data it shares with a view) was changed in
        place."""
        return (self if self._base is None else self._base)._version

    def bump_version(self) -> None:
        """Record an in-place change of the data. chainrule's in-place operators, optimizers
        and `nn.load` call it; call it yourself after writing into `.data` directly, so that
        backward through a graph that saved the old values raises instead of being wrong."""
        versions.record_change(self if self._base is None else self._base)

    @property
    def requires_grad(self) -> bool:
        """Whether gradients are computed for this tensor (set only on floating leaves)."""
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, requires_grad: bool) -> None:
        self.requires_grad_(requires_grad)

    def requires_grad_(self, requires_grad: bool = True) -> "Tensor":
        """Set `requires_grad` in place (leaves only); floating data only may require grad."""
        if not isinstance(requires_grad, (bool, np.bool_)):
            raise TypeError(f"requires_grad must be True or False, got {requires_grad!r}")
        if requires_grad and not dtypes.is_floating(self.data.dtype):
            raise TypeError(
                f"only floating-point tensors can require gradients, got dtype {self.data.dtype}")
        if not requires_grad and self.grad_fn is not None:
            raise RuntimeError("requires_grad can only be switched off on a leaf tensor; "
                               "use detach() for a non-leaf one")
        self._requires_grad = bool(requires_grad)
        return self

    @property
    def grad(self) -> Optional["Tensor"]:
        """The gradient accumulated by backward (leaves, and non-leaves after
        `retain_grad()`); None until then. Only None or a Tensor of this tensor's shape and
        dtype can be assigned."""
        return self._grad

    @grad.setter
    def grad(self, value: Optional["Tensor"]) -> None:
        if value is not None:
            check_gradient(self, value, "the assigned .grad")
        self._grad = value

    # ----------------------------------------------------------------- autograd
    def backward(self, grad: Any = None, retain_graph: bool = False,
                 create_graph: bool = False) -> None:
        """Accumulate d(self)/d(leaf) into the `.grad` of every leaf that requires grad.

        `grad` is the gradient flowing into this tensor; it may be left out for a scalar.
        """
        engine.backward([self], None if grad is None else [grad], retain_graph=retain_graph,
                        create_graph=create_graph)

    # retain_grad() and register_hook(): autograd/hooks.py

    def detach(self) -> "Tensor":
        """A new leaf sharing this data, cut from the graph (an in-place change of either one
        counts as a change of both)."""
        out = Tensor._make(self.data)
        _share_versions(out, self)
        return out

    def clone(self) -> "Tensor":
        """A copy of the data that stays in the graph (the gradient flows back unchanged)."""
        return clone(self)

    def zero_grad(self) -> None:
        """Forget the accumulated gradient."""
        self._grad = None

    # ----------------------------------------------------------------- conversion
    def numpy(self) -> np.ndarray:
        """The underlying array (shared, not copied)."""
        return self.data

    def item(self) -> Any:
        """The value of a one-element tensor as a Python number."""
        if self.data.size != 1:
            raise ValueError(f"item() needs a tensor of one element, got shape {self.shape}")
        return self.data.item()

    def tolist(self) -> Any:
        """The values as nested Python lists."""
        return self.data.tolist()

    def astype(self, dtype: Any) -> "Tensor":
        """A copy with another dtype; differentiable between floating dtypes (an integer or
        bool result does not require grad)."""
        return cast(self, np.dtype(dtype))

    # numpy calls on Tensors run chainrule's ops (autograd/interop.py): `np.exp(t)`,
    # `ndarray + t`, `np.sum(t)` return Tensors in the graph; numpy functions without an op
    # raise instead of converting the Tensor and dropping its graph.
    def __array_ufunc__(self, ufunc: np.ufunc, method: str, *inputs: Any, **kwargs: Any) -> Any:
        return interop.array_ufunc(ufunc, method, inputs, kwargs)

    def __array_function__(self, func: Callable[..., Any], types: tuple, args: tuple,
                           kwargs: dict) -> Any:
        return interop.array_function(func, types, args, kwargs)

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        # As in PyTorch: a tensor in the graph is not turned into an array behind the user's
        # back (`np.array([t, u])`, `np.mean([t, u])`, `Tensor([t, u])` would drop the graph).
        if self._requires_grad and _per_thread.modes.grad_enabled:
            raise TypeError(
                f"a Tensor that requires grad (shape {self.shape}) was converted to a numpy "
                "array, which would drop its graph (np.array([...]) and np.mean([...]) of "
                "Tensors, Tensor([...]) of Tensors, np.asarray(t) do this). To stay in the "
                "graph use the chainrule op: autograd.stack([...]), autograd.mean(...), ...; "
                "for the values only, use t.detach().numpy() (or convert under no_grad()).")
        # numpy 2's protocol: copy=True asks for an array of the caller's own (np.array(t)
        # is one, and must not change with t), copy=False for this very buffer or an error,
        # None for a copy only where the dtype needs one
        if dtype is not None and np.dtype(dtype) != self.data.dtype:
            if copy is False:
                raise ValueError(f"a Tensor of dtype {self.data.dtype} cannot become an array "
                                 f"of dtype {np.dtype(dtype)} without a copy (copy=False)")
            return self.data.astype(dtype)
        return self.data.copy() if copy else self.data

    # Copies: a pickle holds the values as a leaf, as PyTorch's does (the graph, its nodes
    # and version counters stay behind); deepcopy copies leaves only, as PyTorch does: a copy
    # of a graph would send its gradients to copies of the user's leaves.
    def __getstate__(self) -> dict:
        state = {k: v for k, v in self.__dict__.items() if k not in _NOT_COPIED}
        if self.grad_fn is not None:
            state.pop("_grad", None)  # a non-leaf's retained gradient is part of its graph
        if self._base is not None:
            state["data"] = self.data.copy()  # a view's own values, not the whole buffer
        return state

    def __deepcopy__(self, memo: dict) -> "Tensor":
        if self.grad_fn is not None:
            raise RuntimeError(
                f"deepcopy of a tensor made by an op ({self.grad_fn.name}, shape {self.shape}):"
                " only leaf tensors support deepcopy, as in PyTorch (a copy of its graph would "
                "send gradients to copies of your leaves). Copy the values with "
                "t.detach().clone(), or deepcopy the leaves it was computed from.")
        new = object.__new__(type(self))
        memo[id(self)] = new
        new.__dict__.update(copy.deepcopy(self.__getstate__(), memo))
        return new

    def __len__(self) -> int:
        if self.data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return len(self.data)

    def __iter__(self) -> Iterator["Tensor"]:
        for i in range(len(self)):
            yield self[i]

    def __bool__(self) -> bool:
        return bool(self.data)

    def __float__(self) -> float:
        return float(self.item())

    def __int__(self) -> int:
        return int(self.item())

    def __repr__(self) -> str:
        body = np.array2string(self.data, separator=", ", prefix="Tensor(", precision=4,
                               threshold=50, edgeitems=3)
        extras = []
        if self.data.dtype != dtypes.get_default_dtype():
            extras.append(f"dtype={self.data.dtype}")
        if self.grad_fn is not None:
            extras.append(f"grad_fn=<{type(self.grad_fn).__name__}>")
        elif self.requires_grad:
            extras.append("requires_grad=True")
        if self.name:
            extras.append(f"name={self.name!r}")
        return "Tensor(" + ", ".join([body] + extras) + ")"

    # Identity hashing: `==` is elementwise, and the engine keys nodes by identity.
    __hash__ = object.__hash__

    # ----------------------------------------------------------------- operators
    # Tensor ⊕ Tensor goes straight to the op: these run for every step of every model.
    def __add__(self, other: Any) -> "Tensor":
        return Add.apply(self, other) if isinstance(other, Tensor) else add(self, other)

    def __radd__(self, other: Any) -> "Tensor":
        return add(other, self)

    def __sub__(self, other: Any) -> "Tensor":
        return Sub.apply(self, other) if isinstance(other, Tensor) else sub(self, other)

    def __rsub__(self, other: Any) -> "Tensor":
        return sub(other, self)

    def __mul__(self, other: Any) -> "Tensor":
        return Mul.apply(self, other) if isinstance(other, Tensor) else mul(self, other)

    def __rmul__(self, other: Any) -> "Tensor":
        return mul(other, self)

    def __truediv__(self, other: Any) -> "Tensor":
        return Div.apply(self, other) if isinstance(other, Tensor) else div(self, other)

    def __rtruediv__(self, other: Any) -> "Tensor":
        return div(other, self)

    def __floordiv__(self, other: Any) -> "Tensor":
        return floor_divide(self, other)

    def __rfloordiv__(self, other: Any) -> "Tensor":
        return floor_divide(other, self)

    def __mod__(self, other: Any) -> "Tensor":
        return mod(self, other)

    def __rmod__(self, other: Any) -> "Tensor":
        return mod(other, self)

    def __pow__(self, other: Any) -> "Tensor":
        return pow(self, other)

    def __rpow__(self, other: Any) -> "Tensor":
        return pow(other, self)

    def __matmul__(self, other: Any) -> "Tensor":
        return MatMul.apply(self, other) if isinstance(other, Tensor) else matmul(self, other)

    def __rmatmul__(self, other: Any) -> "Tensor":
        return matmul(other, self)

    def __neg__(self) -> "Tensor":
        return Neg.apply(self)

    def __pos__(self) -> "Tensor":
        return self

    def __abs__(self) -> "Tensor":
        return abs(self)

    def __getitem__(self, index: Any) -> "Tensor":
        return getitem(self, index)

    # Comparisons are elementwise and record nothing: their gradient is zero almost everywhere.
    def __eq__(self, other: Any) -> "Tensor":  # type: ignore[override]
        return Tensor._make(self.data == raw(other))

    def __ne__(self, other: Any) -> "Tensor":  # type: ignore[override]
        return Tensor._make(self.data != raw(other))

    def __lt__(self, other: Any) -> "Tensor":
        return Tensor._make(self.data < raw(other))

    def __le__(self, other: Any) -> "Tensor":
        return Tensor._make(self.data <= raw(other))

    def __gt__(self, other: Any) -> "Tensor":
        return Tensor._make(self.data > raw(other))

    def __ge__(self, other: Any) -> "Tensor":
        return Tensor._make(self.data >= raw(other))

    # ----------------------------------------------------------------- in place
    # PyTorch's rules (DESIGN.md "Mutation, versions and threads"): these change this
    # tensor's own array and return the tensor itself, so `p -= lr * p.grad` updates p.
    def __iadd__(self, other: Any) -> "Tensor":
        return self._in_place("+=", add, other)

    def __isub__(self, other: Any) -> "Tensor":
        return self._in_place("-=", sub, other)

    def __imul__(self, other: Any) -> "Tensor":
        return self._in_place("*=", mul, other)

    def __itruediv__(self, other: Any) -> "Tensor":
        return self._in_place("/=", div, other)

    def __imatmul__(self, other: Any) -> "Tensor":
        return self._in_place("@=", matmul, other)

    def __ipow__(self, other: Any) -> "Tensor":
        return self._in_place("**=", pow, other)

    def __setitem__(self, index: Any, value: Any) -> None:
        self._in_place("t[index] = value", lambda a, v: set_item(a, index, v), value)

    def add_(self, other: Any, alpha: float = 1) -> "Tensor":
        """self += alpha · other, in place."""
        return self._in_place("add_", add, other if alpha == 1 else mul(other, alpha))

    def sub_(self, other: Any, alpha: float = 1) -> "Tensor":
        """self −= alpha · other, in place."""
        return self._in_place("sub_", sub, other if alpha == 1 else mul(other, alpha))

    def mul_(self, other: Any) -> "Tensor":
        """self ·= other, in place."""
        return self._in_place("mul_", mul, other)

    def div_(self, other: Any) -> "Tensor":
        """self /= other, in place."""
        return self._in_place("div_", div, other)

    def clamp_(self, min: Any = None, max: Any = None) -> "Tensor":
        """Limit the values to [min, max], in place."""
        return self._in_place("clamp_", lambda a: clip(a, min, max))

    def fill_(self, value: Any) -> "Tensor":
        """Set every entry to `value`, in place."""
        return self._in_place("fill_", lambda a, v: set_item(a, Ellipsis, v), value)

    def zero_(self) -> "Tensor":
        """Set every entry to 0, in place."""
        return self.fill_(0)

    def copy_(self, src: Any) -> "Tensor":
        """Copy `src` (broadcast to this shape) into this tensor, in place."""
        return self._in_place("copy_", lambda a, v: set_item(a, Ellipsis, v), src)

    def _in_place(self, name: str, op: Callable[..., "Tensor"], *operands: Any) -> "Tensor":
        """Make `op(self, *operands)` this tensor's new value, in its own array.

        When nothing is recorded the result is simply written into the array. When the graph
        is recorded (grad mode on, and this tensor or an operand requires grad), the old value
        keeps its place in the graph under a new Tensor, the op is recorded on it, and this
        tensor becomes that op's output: gradients stay right. Every change bumps the version,
        so a node that saved the old values refuses to run backward.
        """
        recording = _per_thread.modes.grad_enabled and (self._requires_grad or any(
            isinstance(o, Tensor) and o._requires_grad for o in operands))
        _check_in_place(self, name, recording)
        if not recording:
            values = op(self, *operands).data
            _check_writable(self, name, values)
            _write_in_place(self, values)
            return self
        if not dtypes.is_floating(self.data.dtype):
            raise TypeError(f"{name} on a tensor of dtype {self.data.dtype} with an operand "
                            "that requires grad: the result would need a gradient, and only "
                            "floating-point tensors have one")
        # Everything that can fail runs before the graph or the array is touched.
        old = Tensor._make(self.data.copy())  # the old value, in the old place of the graph
        old._requires_grad = self._requires_grad
        old.grad_fn = self.grad_fn
        # `b += b`, `b *= b`: the operand is the old value too, not the tensor being written
        result = op(old, *[old if o is self else o for o in operands])
        if result.data.dtype != self.data.dtype:
            result = cast(result, self.data.dtype)
        _check_writable(self, name, result.data)
        # a retained .grad is the gradient of the tensor the user holds: of the new value
        retained = None
        if self.grad_fn is not None:
            retained, self.grad_fn._retained = self.grad_fn._retained, None
            _hand_over_output(self, old)
        _write_in_place(self, result.data)
        node = result.grad_fn
        self.grad_fn = node
        self._requires_grad = True
        node._output_ref = weakref.ref(self)
        node._saved = tuple(self.data if v is result.data else v for v in node._saved)
        node.sequence = versions.next_sequence()  # its own write is no change under it
        node._retained = retained
        return self

    # ----------------------------------------------------------------- methods
    def exp(self) -> "Tensor":
        return exp(self)

    def log(self) -> "Tensor":
        return log(self)

    def sqrt(self) -> "Tensor":
        return sqrt(self)

    def abs(self) -> "Tensor":
        return abs(self)

    def sigmoid(self) -> "Tensor":
        return sigmoid(self)

    def tanh(self) -> "Tensor":
        return tanh(self)

    def relu(self) -> "Tensor":
        return relu(self)

    def step(self) -> "Tensor":
        return step(self)

    def clip(self, min: Any = None, max: Any = None) -> "Tensor":
        return clip(self, min, max)

    def maximum(self, other: Any) -> "Tensor":
        return maximum(self, other)

    def minimum(self, other: Any) -> "Tensor":
        return minimum(self, other)

    @torch_aliases
    def sum(self, axis: Axis = None, keepdims: bool = False) -> "Tensor":
        return sum(self, axis, keepdims)

    @torch_aliases
    def mean(self, axis: Axis = None, keepdims: bool = False) -> "Tensor":
        return mean(self, axis, keepdims)

    @torch_aliases(habit=values_indices_habit("max"))
    def max(self, axis: Axis = None, keepdims: bool = False) -> "Tensor":
        return max(self, axis, keepdims)

    @torch_aliases(habit=values_indices_habit("min"))
    def min(self, axis: Axis = None, keepdims: bool = False) -> "Tensor":
        return min(self, axis, keepdims)

    @torch_aliases
    def logsumexp(self, axis: Axis = None, keepdims: bool = False) -> "Tensor":
        return logsumexp(self, axis, keepdims)

    @torch_aliases
    def softmax(self, axis: int = -1) -> "Tensor":
        return softmax(self, axis)

    @torch_aliases
    def log_softmax(self, axis: int = -1) -> "Tensor":
        return log_softmax(self, axis)

    @torch_aliases
    def argmax(self, axis: Optional[int] = None, keepdims: bool = False) -> np.ndarray:
        """Indices of the maxima (not differentiable; returns an ndarray)."""
        return self.data.argmax(axis=axis, keepdims=keepdims)

    # numpy's method spellings of the elementwise ops and reductions (autograd.<name>)
    def sin(self) -> "Tensor":
        """autograd.sin(self)."""
        return sin(self)

    def cos(self) -> "Tensor":
        """autograd.cos(self)."""
        return cos(self)

    def tan(self) -> "Tensor":
        """autograd.tan(self)."""
        return tan(self)

    def arcsin(self) -> "Tensor":
        """autograd.arcsin(self)."""
        return arcsin(self)

    def arccos(self) -> "Tensor":
        """autograd.arccos(self)."""
        return arccos(self)

    def arctan(self) -> "Tensor":
        """autograd.arctan(self)."""
        return arctan(self)

    def sinh(self) -> "Tensor":
        """autograd.sinh(self)."""
        return sinh(self)

    def cosh(self) -> "Tensor":
        """autograd.cosh(self)."""
        return cosh(self)

    def arcsinh(self) -> "Tensor":
        """autograd.arcsinh(self)."""
        return arcsinh(self)

    def arccosh(self) -> "Tensor":
        """autograd.arccosh(self)."""
        return arccosh(self)

    def arctanh(self) -> "Tensor":
        """autograd.arctanh(self)."""
        return arctanh(self)

    def log2(self) -> "Tensor":
        """autograd.log2(self)."""
        return log2(self)

    def log10(self) -> "Tensor":
        """autograd.log10(self)."""
        return log10(self)

    def log1p(self) -> "Tensor":
        """autograd.log1p(self)."""
        return log1p(self)

    def expm1(self) -> "Tensor":
        """autograd.expm1(self)."""
        return expm1(self)

    def exp2(self) -> "Tensor":
        """autograd.exp2(self)."""
        return exp2(self)

    def square(self) -> "Tensor":
        """autograd.square(self)."""
        return square(self)

    def reciprocal(self) -> "Tensor":
        """autograd.reciprocal(self)."""
        return reciprocal(self)

    def sign(self) -> "Tensor":
        """autograd.sign(self)."""
        return sign(self)

    def floor(self) -> "Tensor":
        """autograd.floor(self)."""
        return floor(self)

    def ceil(self) -> "Tensor":
        """autograd.ceil(self)."""
        return ceil(self)

    def trunc(self) -> "Tensor":
        """autograd.trunc(self)."""
        return trunc(self)

    def round(self, decimals: int = 0) -> "Tensor":
        """autograd.round(self, decimals): halves to even, zero gradient."""
        return _round(self, decimals)

    @torch_aliases(habit=ddof_habit("var"), unless="ddof")
    def var(self, axis: Any = None, ddof: float = 0, keepdims: bool = False) -> "Tensor":
        """autograd.var: the variance, numpy's ddof."""
        return var(self, axis, ddof, keepdims)

    @torch_aliases(habit=ddof_habit("std"), unless="ddof")
    def std(self, axis: Any = None, ddof: float = 0, keepdims: bool = False) -> "Tensor":
        """autograd.std: the standard deviation, numpy's ddof."""
        return std(self, axis, ddof, keepdims)

    @torch_aliases
    def prod(self, axis: Any = None, keepdims: bool = False) -> "Tensor":
        """autograd.prod: the product (its gradient exact with zeros)."""
        return prod(self, axis, keepdims)

    @torch_aliases
    def cumsum(self, axis: Optional[int] = None) -> "Tensor":
        """autograd.cumsum (axis None: over the flattened tensor, as numpy)."""
        return cumsum(self, axis)

    @torch_aliases
    def cumprod(self, axis: Optional[int] = None) -> "Tensor":
        """autograd.cumprod (axis None: over the flattened tensor, as numpy)."""
        return cumprod(self, axis)

    @torch_aliases
    def ptp(self, axis: Any = None, keepdims: bool = False) -> "Tensor":
        """autograd.ptp: max − min."""
        return ptp(self, axis, keepdims)

    @torch_aliases
    def argmin(self, axis: Optional[int] = None, keepdims: bool = False) -> np.ndarray:
        """Indices of the minima (not differentiable; returns an ndarray, as argmax)."""
        return self.data.argmin(axis=axis, keepdims=keepdims)

    @torch_aliases
    def any(self, axis: Any = None, keepdims: bool = False) -> Any:
        """autograd.any: whether any entry is nonzero (no gradient)."""
        return _any(self, axis, keepdims)

    @torch_aliases
    def all(self, axis: Any = None, keepdims: bool = False) -> Any:
        """autograd.all: whether every entry is nonzero (no gradient)."""
        return _all(self, axis, keepdims)

    def reshape(self, *shape: Any) -> "Tensor":
        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = tuple(shape[0])
        return reshape(self, shape)

    def flatten(self, start_dim: int = 0, end_dim: int = -1) -> "Tensor":
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

    def transpose(self, *axes: Any) -> "Tensor":
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

    def swapaxes(self, axis1: int, axis2: int) -> "Tensor":
        return swapaxes(self, axis1, axis2)

    @torch_aliases
    def expand_dims(self, axis: Union[int, Sequence[int]]) -> "Tensor":
        return expand_dims(self, axis)

    @torch_aliases
    def squeeze(self, axis: Axis = None) -> "Tensor":
        return squeeze(self, axis)

    def broadcast_to(self, shape: Sequence[int]) -> "Tensor":
        return broadcast_to(self, shape)

    # more of numpy's ndarray methods
    def ravel(self) -> "Tensor":
        """numpy's ravel: the values as one axis."""
        return reshape(self, (-1,))

    def copy(self) -> "Tensor":
        """numpy's copy: a copy of the values that stays in the graph (`clone`)."""
        return clone(self)

    def dot(self, other: Any) -> "Tensor":
        """autograd.dot(self, other), numpy's dot."""
        return dot(self, other)

    def diagonal(self, offset: int = 0, axis1: int = 0, axis2: int = 1) -> "Tensor":
        """autograd.diagonal(self, offset, axis1, axis2)."""
        return diagonal(self, offset, axis1, axis2)

    def trace(self, offset: int = 0, axis1: int = 0, axis2: int = 1) -> "Tensor":
        """autograd.trace(self, offset, axis1, axis2)."""
        return trace(self, offset, axis1, axis2)

    @torch_aliases
    def repeat(self, repeats: Any, axis: Optional[int] = None) -> "Tensor":
        """numpy's repeat: each entry `repeats` times (PyTorch's `repeat` is `tile` here)."""
        return repeat(self, repeats, axis)

    @torch_aliases
    def take(self, indices: Any, axis: Optional[int] = None) -> "Tensor":
        """autograd.take(self, indices, axis)."""
        return take(self, indices, axis)

    @torch_aliases
    def argsort(self, axis: Optional[int] = -1) -> np.ndarray:
        """The indices that sort along `axis` (not differentiable; an ndarray)."""
        return argsort(self, axis)

    # PyTorch's spellings with numpy's meaning (the README's "coming from PyTorch" table)
    def unsqueeze(self, dim: int) -> "Tensor":
        """PyTorch's name for expand_dims(dim): a new axis of size 1 at `dim`."""
        return expand_dims(self, dim)

    def view(self, *shape: Any) -> "Tensor":
        """PyTorch's name for reshape (the values in the same order, another shape)."""
        return self.reshape(*shape)

    def permute(self, *dims: Any) -> "Tensor":
        """PyTorch's name for transpose(dims): the axes in the order `dims`."""
        if len(dims) == 1 and isinstance(dims[0], (tuple, list)):
            dims = tuple(dims[0])
        return transpose(self, dims)

    def t(self) -> "Tensor":
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

    def pow(self, exponent: Any) -> "Tensor":
        """self ** exponent."""
        return pow(self, exponent)

    def matmul(self, other: Any) -> "Tensor":
        """self @ other."""
        return matmul(self, other)

    def clamp(self, min: Any = None, max: Any = None) -> "Tensor":
        """PyTorch's name for clip(min, max)."""
        return clip(self, min, max)

    def float(self) -> "Tensor":
        """A float32 copy (differentiable): PyTorch's float()."""
        return cast(self, np.float32)

    def double(self) -> "Tensor":
        """A float64 copy (differentiable): PyTorch's double()."""
        return cast(self, np.float64)

    def half(self) -> "Tensor":
        """A float16 copy (differentiable): PyTorch's half()."""
        return cast(self, np.float16)


class ElementCount(int):
    """`t.size`: numpy's number of elements, an int. Calling it, PyTorch's `t.size()`, raises
    and says what to write: numpy and PyTorch mean different things by `size`."""

    def __call__(self, *dims: Any) -> None:
        raise TypeError(f"t.size is numpy's number of elements ({int(self)}), not PyTorch's "
                        "size(): write t.shape for the shape (t.shape[d] for size(d)) and "
                        "t.numel() or t.size for the count")


def check_gradient(tensor: Tensor, grad: Any, what: str) -> None:
    """Raise unless `grad` can be the gradient of `tensor`: a Tensor of its shape and dtype."""
    if not isinstance(grad, Tensor):
        raise TypeError(f"{what} must be None or a Tensor, got {type(grad).__name__}")
    if grad.data.shape != tensor.data.shape:
        raise ValueError(f"{what} has shape {grad.data.shape}, but the tensor has shape "
                         f"{tensor.data.shape}: a gradient has its tensor's shape")
    if grad.data.dtype != tensor.data.dtype:
        raise TypeError(f"{what} has dtype {grad.data.dtype}, but the tensor has dtype "
                        f"{tensor.data.dtype}: a gradient has its tensor's dtype")


# What belongs to the graph or to the shared buffer's version counter, not to the values.
_NOT_COPIED = frozenset(("grad_fn", "_base", "_version", "_changed_at", "_changes",
                         "_has_views", "_hooks"))


def _share_versions(view: Tensor, source: Tensor) -> None:
    # `view`'s array shares memory with `source`'s: count both on source's root.
    root = source if source._base is None else source._base
    view._base = root
    root._has_views = True


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


def bump_versions(tensors: Iterable[Tensor]) -> None:
    """`t.bump_version()` for each of `tensors`, changed together (one optimizer step)."""
    versions.record_changes([t if t._base is None else t._base for t in tensors])


def raw(value: Any) -> Any:
    """The values of `value`: its array for a Tensor, `value` itself otherwise."""
    return value.data if isinstance(value, Tensor) else value


def as_tensor(value: Any, dtype: Any = None) -> Tensor:
    """`value` itself when it is a Tensor, else a constant Tensor of it."""
    if isinstance(value, Tensor):
        return value if dtype is None or value.dtype == dtype else value.astype(dtype)
    return Tensor(value, dtype=dtype)


# The operators above delegate to the op library; imported last because the ops need Tensor.
from autograd.ops import (  # noqa: E402
    Add,
    Div,
    MatMul,
    Mul,
    Neg,
    Sub,
    abs,
    add,
    arccos,
    arccosh,
    arcsin,
    arcsinh,
    arctan,
    arctanh,
    broadcast_to,
    cast,
    ceil,
    clip,
    argsort,
    clone,
    cos,
    cosh,
    cumprod,
    cumsum,
    diagonal,
    div,
    dot,
    exp,
    exp2,
    expand_dims,
    expm1,
    floor,
    floor_divide,
    getitem,
    log,
    log10,
    log1p,
    log2,
    log_softmax,
    logsumexp,
    matmul,
    max,
    maximum,
    mean,
    min,
    minimum,
    mod,
    mul,
    pow,
    prod,
    ptp,
    reciprocal,
    relu,
    repeat,
    reshape,
    set_item,
    sigmoid,
    sign,
    sin,
    sinh,
    softmax,
    sqrt,
    square,
    squeeze,
    std,
    step,
    sub,
    sum,
    swapaxes,
    take,
    tan,
    tanh,
    trace,
    transpose,
    trunc,
    var,
)
# (aliased: the module itself uses Python's any, and round and all would shadow theirs too)
from autograd.ops import all as _all  # noqa: E402
from autograd.ops import any as _any  # noqa: E402
from autograd.ops import round as _round  # noqa: E402

# backward() calls the engine, which needs Tensor: imported last, as the ops are
from autograd import engine  # noqa: E402
from autograd import interop  # noqa: E402
