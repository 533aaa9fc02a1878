"""Tensor: one numpy array, its gradient, and the node of the graph that made it.

This module holds what a Tensor is (its data, grad, requires_grad, grad_fn, versions) and
imports nothing above it. The rest is attached to the class by the modules above, so that
the ops can import Tensor and there is no import circle; `import autograd` runs them all:

    autograd/methods.py   the operators (+, @, t[i], <, ...) and method spellings (t.sum(),
                          t.exp(), t.reshape(), t.T, PyTorch's t.view(), ...)
    autograd/engine.py    t.backward()
    autograd/hooks.py     t.retain_grad(), t.register_hook()
    autograd/inplace.py   +=, t[i] = v, add_(), copy_(), zero_(), ... (in-place changes)
    autograd/interop.py   numpy's protocol (np.exp(t), np.sum(t), np.asarray(t))

An editor's go-to-definition on `t.sum` finds nothing here: look in those modules
(`help(Tensor.sum)` names the one).
"""

from __future__ import annotations

import copy
from types import FunctionType
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Optional

import numpy as np

from autograd import dtypes, versions

if TYPE_CHECKING:
    from autograd.function import Function

class Tensor:
    """An n-dimensional array that records the operations applied to it.

    `data` is the numpy array (wrapped, not copied); `grad` is filled by `backward()` for
    leaves that require grad; `grad_fn` is the Function node that produced this tensor, or
    None for a leaf.
    """

    # Operators, methods, backward(), hooks, in-place, numpy protocol: attached from above

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
        """The length of each axis (numpy's shape)."""
        return self.data.shape

    @property
    def ndim(self) -> int:
        """The number of axes."""
        return self.data.ndim

    @property
    def size(self) -> int:
        """numpy's number of elements (an int; PyTorch's `size()` is `shape` here)."""
        return ElementCount(self.data.size)

    @property
    def dtype(self) -> np.dtype:
        """The numpy dtype of the data."""
        return self.data.dtype

    @property
    def is_leaf(self) -> bool:
        """True for tensors made by the user rather than by an op that recorded a graph."""
        return self.grad_fn is None

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

    # retain_grad() and register_hook(): autograd/hooks.py

    def detach(self) -> "Tensor":
        """A new leaf sharing this data, cut from the graph (an in-place change of either one
        counts as a change of both)."""
        out = Tensor._make(self.data)
        _share_versions(out, self)
        return out

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


def attach(cls: type, namespace: type) -> None:
    """Put the functions and properties of `namespace`, a class body used only to hold them,
    on `cls`: how the modules above Tensor attach its operators and methods. A name that
    `cls` already defines is refused, so a method is never silently replaced."""
    for name, member in vars(namespace).items():
        if isinstance(member, (FunctionType, property)):
            if name in vars(cls):
                raise TypeError(f"{cls.__name__}.{name} is defined twice: in {cls.__name__} "
                                f"and in {namespace.__qualname__}")
            function = member.fget if isinstance(member, property) else member
            function.__qualname__ = f"{cls.__name__}.{name}"  # what help() and reprs show
            setattr(cls, name, member)
