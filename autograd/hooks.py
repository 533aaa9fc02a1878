"""What the user sees of a gradient while backward runs: hooks (`register_hook`), a
non-leaf's retained `.grad` (`retain_grad`), and `grad()`'s wanted non-leaf tensors. The
backward pass asks `observed` once which nodes have any of them; the rest cost nothing."""

from __future__ import annotations

import weakref
from typing import Any, Callable, Optional

import numpy as np

from autograd.tensor import Tensor, check_gradient

Hook = Callable[[Tensor], Optional[Tensor]]
# True once any hook or retain_grad was set on a non-leaf: until then no pass looks for them
registered = False


class RemovableHandle:
    """Returned by `register_hook`; `remove()` takes the hook off again."""

    def __init__(self, hooks: list, hook: Hook) -> None:
        self._hooks = hooks
        self._hook = hook

    def remove(self) -> None:
        """Stop calling the hook."""
        if self._hook in self._hooks:
            self._hooks.remove(self._hook)


def retain_grad(self: Tensor) -> None:
    """Keep `.grad` for this non-leaf tensor after backward."""
    global registered
    if self.grad_fn is not None:
        self.grad_fn._retained = weakref.ref(self)
        registered = True
    elif not self.requires_grad:
        raise RuntimeError("retain_grad() on a tensor that does not require grad")


def register_hook(self: Tensor, hook: Hook) -> RemovableHandle:
    """Call `hook(grad)` when this tensor's gradient is computed; a returned tensor
    replaces the gradient."""
    global registered
    if not self.requires_grad:
        raise RuntimeError("cannot register a hook on a tensor that does not require grad")
    # A non-leaf tensor's hooks live on its node, so they still run when the user has
    # dropped every reference to the tensor itself.
    owner = self.grad_fn if self.grad_fn is not None else self
    if owner._hooks is None:
        owner._hooks = []
    owner._hooks.append(hook)
    registered = registered or self.grad_fn is not None
    return RemovableHandle(owner._hooks, hook)


Tensor.retain_grad = retain_grad  # type: ignore[attr-defined]
Tensor.register_hook = register_hook  # type: ignore[attr-defined]


class Wanted:
    """grad()'s inputs: the gradient of each non-leaf one is put into `found` (by id) when
    backward reaches its node."""

    def __init__(self, tensors: list, found: dict) -> None:
        self.nodes = {t.grad_fn: t for t in tensors if t.grad_fn is not None}
        self.found = found


def observed(order: list, wanted: Optional[Wanted], run_hooks: bool) -> dict:
    """{node: what to do with the gradient of its output} for the nodes whose gradient a
    user sees: g ↦ the gradient the pass goes on with."""
    nodes = list(wanted.nodes) if wanted is not None else []
    if run_hooks and registered:
        nodes += [node for node in order if node._hooks or node._retained is not None]
    return {node: _Observer(node, wanted, run_hooks) for node in nodes}


class _Observer:
    def __init__(self, node: Any, wanted: Optional[Wanted], run_hooks: bool) -> None:
        self.node, self.wanted, self.run_hooks = node, wanted, run_hooks

    def __call__(self, g: Any) -> Any:
        raw = type(g) is not Tensor
        t = Tensor._make(np.asarray(g)) if raw else g  # a hook, .grad, grad() see a Tensor
        node = self.node
        if self.run_hooks and node._hooks:
            t = run(node._hooks, t)
        if self.run_hooks and node._retained is not None and self.wanted is None:
            tensor = node._retained()
            if tensor is not None:
                tensor._grad = t if tensor._grad is None else tensor._grad + t
        if self.wanted is not None and node in self.wanted.nodes:
            self.wanted.found[id(self.wanted.nodes[node])] = t
        return t.data if raw else t


def run(hooks: list, g: Tensor) -> Tensor:
    """Each hook in turn; one that returns a Tensor replaces the gradient."""
    for hook in list(hooks):
        replaced = hook(g)
        if replaced is not None:
            check_gradient(g, replaced, f"the gradient returned by hook {_name(hook)}")
            g = replaced
    return g


def _name(hook: Callable) -> str:
    return getattr(hook, "__qualname__", None) or repr(hook)


__all__ = ["RemovableHandle", "Wanted", "observed", "register_hook", "retain_grad", "run"]
