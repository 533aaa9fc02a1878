"""Module, Parameter and Sequential: the containers every layer is built from."""

from __future__ import annotations

from typing import Any, Iterator, Mapping, Optional

import numpy as np

from autograd import Tensor, dtypes
from autograd.mode import per_thread as _per_thread


class Parameter(Tensor):
    """A Tensor that is a learnable weight of a Module: it always requires grad."""

    def __init__(self, data: Any, dtype: Any = None, name: Optional[str] = None) -> None:
        super().__init__(data, requires_grad=True, dtype=dtype, name=name)


class Module:
    """Base class of layers and models.

    Subclasses set Parameters and sub-Modules as attributes in `__init__` and define
    `forward`; calling the module runs `forward`. Parameters are found by walking the
    attributes in the order they were set, so names read like the code:
    `layers.0.weight`. Non-trainable state (BatchNorm's running statistics) is registered
    with `register_buffer`: saved and loaded with the parameters, never trained.
    """

    training: bool = True
    # Names of this module's buffers, in registration order; register_buffer gives a module
    # its own list (subclasses need not call Module.__init__).
    _buffer_names: tuple = ()

    def forward(self, *args: Any) -> Any:
        """The computation of this module; subclasses define it."""
        raise NotImplementedError(f"{type(self).__name__} must define forward()")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        # Ops recorded during forward remember this module (node.scope), so a graph
        # picture can put each layer's nodes in a labelled box.
        modes = _per_thread.modes  # this thread's: another thread's forward has its own scope
        previous = modes.scope
        modes.scope = self
        try:
            return self.forward(*args, **kwargs)
        finally:
            modes.scope = previous

    # ------------------------------------------------------------------ the tree
    def named_children(self) -> Iterator[tuple]:
        """(attribute name, sub-module) for each direct sub-module."""
        for name, value in vars(self).items():
            if isinstance(value, Module):
                yield name, value

    def children(self) -> Iterator["Module"]:
        """The direct sub-modules."""
        for _, child in self.named_children():
            yield child

    def named_modules(self, prefix: str = "") -> Iterator[tuple]:
        """(dotted name, module) for this module ("") and every module below it, each module
        once, under the first name it is reached by (as PyTorch's memo does): a shared
        module is listed once, and a module that contains itself does not loop forever."""
        seen: set = set()
        stack = [(prefix, self)]
        while stack:
            name, module = stack.pop()
            if id(module) in seen:
                continue
            seen.add(id(module))
            yield name, module
            below = [(f"{name}.{child_name}" if name else child_name, child)
                     for child_name, child in module.named_children()]
            stack.extend(reversed(below))

    def modules(self) -> Iterator["Module"]:
        """This module and every module below it."""
        for _, module in self.named_modules():
            yield module

    def named_parameters(self) -> Iterator[tuple]:
        """(dotted name, Parameter) for every parameter, e.g. ('layers.0.weight', W)."""
        seen: set = set()
        for module_name, module in self.named_modules():
            for name, value in vars(module).items():
                if isinstance(value, Parameter) and id(value) not in seen:
                    seen.add(id(value))
                    yield (f"{module_name}.{name}" if module_name else name), value

    def parameters(self) -> Iterator[Parameter]:
        """Every parameter, once each."""
        for _, p in self.named_parameters():
            yield p

    # ------------------------------------------------------------------ buffers
    def register_buffer(self, name: str, value: Any) -> Optional[Tensor]:
        """Make `value` (an array or Tensor; None for "not kept") the buffer `self.<name>`:
        state that is not trained (not in parameters(), no gradient) but is part of
        state_dict(), saved and loaded by nn.save / nn.load, as PyTorch's register_buffer.
        An array becomes a Tensor that does not require grad (its dtype kept: Python
        numbers get the default dtype); a Tensor is stored as it is, detached if it records
        a graph. Assigning `self.<name>` later keeps it a buffer; update it in place
        (`buffer.copy_(new)` under no_grad, or write `.data` and call `bump_version()`)."""
        if not isinstance(name, str) or not name.isidentifier():
            raise ValueError(f"a buffer name must be an identifier, got {name!r}")
        if name in vars(self) and name not in self._buffer_names:
            raise KeyError(f"{type(self).__name__} already has an attribute {name!r}")
        if isinstance(value, Parameter):
            raise TypeError(f"buffer {name!r}: a Parameter is trained, not a buffer; assign "
                            f"it as an attribute instead")
        if value is not None:
            if isinstance(value, Tensor):
                value = value.detach() if value.grad_fn is not None or value.requires_grad \
                    else value
            else:
                value = Tensor(value)
        if "_buffer_names" not in vars(self):
            self._buffer_names = []
        if name not in self._buffer_names:
            self._buffer_names.append(name)
        setattr(self, name, value)
        return value

    def named_buffers(self) -> Iterator[tuple]:
        """(dotted name, Tensor) for every buffer of this module and below, once each
        (a buffer set to None is left out)."""
        seen: set = set()
        for module_name, module in self.named_modules():
            for name, value in _own_buffers(module):
                if id(value) not in seen:
                    seen.add(id(value))
                    yield (f"{module_name}.{name}" if module_name else name), value

    def buffers(self) -> Iterator[Tensor]:
        """Every buffer, once each."""
        for _, b in self.named_buffers():
            yield b

    def _named_state(self) -> Iterator[tuple]:
        # What state_dict holds: each module's parameters, then its buffers (PyTorch's
        # order), module by module; a shared tensor once, under its first name.
        seen: set = set()
        for module_name, module in self.named_modules():
            own = [(name, value) for name, value in vars(module).items()
                   if isinstance(value, Parameter)]
            own.extend(_own_buffers(module))
            for name, value in own:
                if id(value) not in seen:
                    seen.add(id(value))
                    yield (f"{module_name}.{name}" if module_name else name), value

    def zero_grad(self) -> None:
        """Forget the gradients of every parameter."""
        for p in self.parameters():
            p.grad = None

    def train(self, mode: bool = True) -> "Module":
        """Switch to training behaviour (e.g. Dropout active) in this module and below."""
        for module in self.modules():
            module.training = mode
        return self

    def eval(self) -> "Module":
        """Switch to evaluation behaviour (e.g. Dropout off)."""
        return self.train(False)

    # ------------------------------------------------------------------ state
    def state_dict(self) -> dict:
        """{dotted name: a copy of the array} of every parameter and buffer."""
        return {name: t.data.copy() for name, t in self._named_state()}

    def load_state_dict(self, state: Mapping[str, Any]) -> None:
        """Copy arrays into the parameters and buffers. Names and shapes must match exactly
        and each array must hold real numbers (float or integer; not bool, complex, text or
        dates; integers only for an integer buffer); on any mismatch a ValueError lists every
        missing, unexpected, mis-shaped and wrongly typed entry, and the module is left
        unchanged. Each tensor's version is bumped, so a graph recorded before the load
        cannot be backpropagated through afterwards."""
        self._load(state, "state")

    def _load(self, state: Mapping[str, Any], source: str) -> None:
        # load_state_dict, with `source` ("state", "checkpoint <path>") in its messages
        arrays = {name: np.asarray(value) for name, value in state.items()}
        self._check_state({name: (a.shape, a.dtype) for name, a in arrays.items()}, source)
        named = list(self._named_state())
        # The dtypes fit; the values must too: numpy's same_kind cast would load a uint64
        # count of 2⁶⁴ − 1 into an int64 buffer as −1 (and 1e300 into float32 as inf).
        for name, t in named:
            dtypes.check_fits(f"{source} does not fit {type(self).__name__}; nothing was "
                              f"loaded: array {name!r}", arrays[name], t.dtype)
        # Nothing is written before every entry has been checked: no half-loaded model.
        for name, t in named:
            np.copyto(t.data, arrays[name], casting="same_kind")
            t.bump_version()

    def _check_state(self, entries: Mapping[str, tuple], source: str = "state") -> None:
        """Raise a ValueError listing every way `entries` ({name: (shape, dtype)}) does not
        fit this module's parameters and buffers. nn.load calls it with the .npy headers of
        a checkpoint, before it reads any array."""
        params = dict(self._named_state())
        missing = [name for name in params if name not in entries]
        unexpected = [name for name in entries if name not in params]
        misshaped, mistyped = [], []
        for name, p in params.items():
            if name not in entries:
                continue
            shape, dtype = tuple(entries[name][0]), np.dtype(entries[name][1])
            if shape != p.shape:
                misshaped.append(f"{name}: expected {p.shape}, got {shape}")
            # Integers are exact real numbers; bool in place of weights is a mix-up (a mask).
            # An integer buffer (a count) takes integers only: a float would be truncated.
            if p.dtype.kind in "iu" and dtype.kind not in "iu":
                mistyped.append(f"{name}: expected integers for {p.dtype}, got {dtype}")
            elif dtype.kind not in "fiu":
                mistyped.append(f"{name}: expected real numbers for {p.dtype}, got {dtype}")
        # shapes hold commas, so those entries are separated by semicolons
        lines = [f"{kind}: {separator.join(found)}" for kind, separator, found in (
            ("missing", ", ", missing), ("unexpected", ", ", unexpected),
            ("mis-shaped", "; ", misshaped), ("wrong dtype", "; ", mistyped)) if found]
        if lines:
            raise ValueError("\n  ".join(
                [f"{source} does not fit {type(self).__name__}; nothing was loaded"] + lines))

    # ------------------------------------------------------------------ printing
    def extra_repr(self) -> str:
        """What this module prints inside its parentheses (its settings)."""
        return ""

    # What a graph picture (the viz package) makes of this module: "loss" (its output is
    # named L, the labels fed to it y*), "affine" (s = xW + b: its x @ W is named xW), or
    # None, a layer like any other.
    graph_role: Optional[str] = None

    def short_repr(self) -> str:
        """This module's settings in a few characters, for its box in a graph picture
        (draw_graph(..., collapse=True)): "2→3" for Linear(2, 3); by default extra_repr()."""
        return self.extra_repr()

    def __repr__(self) -> str:
        return _module_repr(self, ())


def _own_buffers(module: Module) -> list:
    # (name, Tensor) of the buffers this module itself registered, None ones left out
    values = vars(module)
    own = []
    for name in module._buffer_names:
        value = values.get(name)
        if value is None:
            continue
        if not isinstance(value, Tensor):  # as PyTorch refuses such an assignment
            raise TypeError(f"{type(module).__name__}.{name} is a buffer: it must be a Tensor "
                            f"or None, got {type(value).__name__} (use "
                            f"register_buffer({name!r}, value) to replace it)")
        own.append((name, value))
    return own


def _module_repr(module: Module, enclosing: tuple) -> str:
    # One line per module, its parameters' shapes beside it, children indented below. A
    # child that is one of its own enclosing modules (a cycle) prints as `Name(...)`, so repr
    # ends; a module shared by two parents is printed in full under each. A child class with
    # its own __repr__ prints with it.
    own = [f"{name} {tuple(p.shape)}" for name, p in vars(module).items()
           if isinstance(p, Parameter)]
    comment = "  # " + ", ".join(own) if own else ""
    head = f"{type(module).__name__}({module.extra_repr()}"
    children = list(module.named_children())
    if not children:
        return f"{head}){comment}"
    enclosing = enclosing + (id(module),)
    lines = [head + comment]
    for name, child in children:
        if id(child) in enclosing:
            text = f"{type(child).__name__}(...)  # cycle: an enclosing module"
        elif type(child).__repr__ is Module.__repr__:
            text = _module_repr(child, enclosing)
        else:
            text = repr(child)
        lines.append(f"  ({name}): " + text.replace("\n", "\n  "))
    lines.append(")")
    return "\n".join(lines)


class Sequential(Module):
    """Modules applied one after the other: `Sequential(Linear(2, 8), Sigmoid(), ...)`."""

    def __init__(self, *modules: Module) -> None:
        self._items = list(modules)
        for m in self._items:
            if not isinstance(m, Module):
                raise TypeError(f"Sequential takes Modules, got {type(m).__name__}")

    def named_children(self) -> Iterator[tuple]:
        for i, m in enumerate(self._items):
            yield str(i), m

    def forward(self, x: Any) -> Any:
        for m in self._items:
            x = m(x)
        return x

    def __getitem__(self, index: int) -> Module:
        return self._items[index]

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[Module]:
        return iter(self._items)

    def append(self, module: Module) -> "Sequential":
        """Add a module at the end."""
        self._items.append(module)
        return self
