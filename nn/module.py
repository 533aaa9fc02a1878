"""Module, Parameter and Sequential: the containers every layer is built from."""

from __future__ import annotations

from typing import Any, Iterator, Optional

import numpy as np

from autograd import Tensor, mode


class Parameter(Tensor):
    """A Tensor that is a learnable weight of a Module: it always requires grad."""

    def __init__(self, data: Any, dtype: Any = None, name: Optional[str] = None) -> None:
        super().__init__(data, requires_grad=True, dtype=dtype, name=name)


class Module:
    """Base class of layers and models.

    Subclasses set Parameters and sub-Modules as attributes in `__init__` and define
    `forward`; calling the module runs `forward`. Parameters are found by walking the
    attributes in the order they were set, so names read like the code:
    `layers.0.weight`.
    """

    training: bool = True

    def forward(self, *args: Any) -> Any:
        """The computation of this module; subclasses define it."""
        raise NotImplementedError(f"{type(self).__name__} must define forward()")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        # Ops recorded during forward remember this module (node.scope), so a graph
        # picture can put each layer's nodes in a labelled box.
        modes = mode.current()  # this thread's: another thread's forward has its own scope
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
        """(dotted name, module) for this module ("") and every module below it."""
        stack = [(prefix, self)]
        while stack:
            name, module = stack.pop()
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
        """{dotted name: a copy of the parameter's array}."""
        return {name: p.data.copy() for name, p in self.named_parameters()}

    def load_state_dict(self, state: dict) -> None:
        """Copy arrays into the parameters. Names and shapes must match exactly; on any
        mismatch a ValueError lists every missing, unexpected and mis-shaped entry, and the
        module is left unchanged."""
        params = dict(self.named_parameters())
        missing = [name for name in params if name not in state]
        unexpected = [name for name in state if name not in params]
        misshaped = [f"{name}: expected {params[name].shape}, got {np.shape(state[name])}"
                     for name in params if name in state
                     and np.shape(state[name]) != params[name].shape]
        if missing or unexpected or misshaped:
            lines = [f"state does not fit {type(self).__name__}; nothing was loaded"]
            if missing:
                lines.append("missing: " + ", ".join(missing))
            if unexpected:
                lines.append("unexpected: " + ", ".join(unexpected))
            if misshaped:
                lines.append("mis-shaped: " + "; ".join(misshaped))
            raise ValueError("\n  ".join(lines))
        for name, p in params.items():
            np.copyto(p.data, state[name], casting="same_kind")

    # ------------------------------------------------------------------ printing
    def extra_repr(self) -> str:
        """What this module prints inside its parentheses (its settings)."""
        return ""

    def __repr__(self) -> str:
        # One line per module, its parameters' shapes beside it, children indented below.
        own = [f"{name} {tuple(p.shape)}" for name, p in vars(self).items()
               if isinstance(p, Parameter)]
        comment = "  # " + ", ".join(own) if own else ""
        children = list(self.named_children())
        if not children:
            return f"{type(self).__name__}({self.extra_repr()}){comment}"
        lines = [f"{type(self).__name__}({self.extra_repr()}{comment}"]
        for name, child in children:
            lines.append(f"  ({name}): " + repr(child).replace("\n", "\n  "))
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
