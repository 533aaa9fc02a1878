"""Grad mode (no_grad / enable_grad), anomaly detection and the current module scope: the
engine's only mutable state, kept per thread as in PyTorch.

Two threads training two models at once must not see each other's `no_grad` blocks, and a
backward pass (which turns grad mode off while it runs) must not switch recording off in
another thread: so every flag lives in a `threading.local`, and a new thread starts with
the defaults (grad mode on, anomaly detection off, no scope).
"""

from __future__ import annotations

import functools
import inspect
import threading
from typing import Any, Callable, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


class Modes:
    """The flags of one thread (`current()`); a new thread starts with these defaults."""

    __slots__ = ("grad_enabled", "anomaly_enabled", "scope", "in_backward")

    def __init__(self) -> None:
        self.grad_enabled: bool = True  # read by Function.apply on every op
        self.anomaly_enabled: bool = False
        # Whatever object is "current" while ops run (nn.Module sets itself during its
        # forward); each recorded node keeps it as `node.scope`, so pictures can group
        # nodes by layer. The engine never looks inside it.
        self.scope: object = None
        # True while the engine runs backward formulas that record nothing
        self.in_backward: bool = False


class _PerThread(threading.local):
    # One thread-local read gives the thread's Modes, whose slots are cheap to read: apply
    # reads three flags per op, and each read of a threading.local attribute costs more.
    def __init__(self) -> None:
        self.modes = Modes()


per_thread = _PerThread()


def current() -> Modes:
    """This thread's modes."""
    return per_thread.modes


class backward_mode:
    """While a backward pass runs: grad mode on only under create_graph (so the formulas
    are recorded then, and cost plain numpy otherwise), and `in_backward` set when they run
    on arrays. Both are restored at the end."""

    def __init__(self, create_graph: bool) -> None:
        self.create_graph = create_graph

    def __enter__(self) -> None:
        modes = per_thread.modes
        self._previous = modes.grad_enabled, modes.in_backward
        modes.grad_enabled = self.create_graph
        modes.in_backward = not self.create_graph

    def __exit__(self, *exc_info: object) -> None:
        per_thread.modes.grad_enabled, per_thread.modes.in_backward = self._previous


def is_grad_enabled() -> bool:
    """True when ops record the graph (in this thread)."""
    return per_thread.modes.grad_enabled


def _decorate(fn: Callable, make_switch: Callable[[], Any]) -> Callable:
    """`fn` run under a fresh switch from `make_switch()`; for a generator function, the
    switch is on each time the generator body runs and off while its caller runs (a plain
    wrapper would switch it only while the generator object is created)."""
    if inspect.isgeneratorfunction(fn):
        @functools.wraps(fn)
        def generator_wrapper(*args: Any, **kwargs: Any) -> Any:
            generator = fn(*args, **kwargs)
            try:
                with make_switch():
                    item = generator.send(None)
                while True:
                    try:
                        sent = yield item
                    except GeneratorExit:
                        with make_switch():
                            generator.close()
                        raise
                    except BaseException as error:
                        with make_switch():
                            item = generator.throw(error)
                    else:
                        with make_switch():
                            item = generator.send(sent)
            except StopIteration as stop:
                return stop.value

        return generator_wrapper

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with make_switch():
            return fn(*args, **kwargs)

    return wrapper


class _GradModeSwitch:
    """A context manager and decorator that sets grad mode and restores it on exit."""

    enabled: bool

    def __enter__(self) -> None:
        modes = per_thread.modes
        self._previous = modes.grad_enabled
        modes.grad_enabled = self.enabled

    def __exit__(self, *exc_info: object) -> None:
        per_thread.modes.grad_enabled = self._previous

    def __call__(self, fn: F) -> F:
        return _decorate(fn, type(self))  # type: ignore[return-value]


class no_grad(_GradModeSwitch):
    """Turn graph recording off: `with no_grad(): ...` or `@no_grad()` (generators too)."""

    enabled = False


class enable_grad(_GradModeSwitch):
    """Turn graph recording back on inside a `no_grad` block."""

    enabled = True


class set_grad_enabled(_GradModeSwitch):
    """Set grad mode to `mode`, as PyTorch does: called as a function it takes effect at once
    (`set_grad_enabled(False)`); as `with set_grad_enabled(False): ...` the previous mode comes
    back at the end of the block; as a decorator it applies while the function runs."""

    def __init__(self, mode: bool) -> None:
        if not isinstance(mode, (bool, int)):
            raise TypeError(f"set_grad_enabled needs a bool, got {type(mode).__name__}")
        self.enabled = bool(mode)
        modes = per_thread.modes
        self._previous = modes.grad_enabled
        modes.grad_enabled = self.enabled

    def __enter__(self) -> None:
        pass  # the constructor already switched

    def __call__(self, fn: F) -> F:
        # Used as a decorator: undo the constructor's switch, apply it only inside fn.
        per_thread.modes.grad_enabled = self._previous
        enabled = self.enabled

        def make_switch() -> "_GradModeSwitch":
            switch = _GradModeSwitch()
            switch.enabled = enabled
            return switch

        return _decorate(fn, make_switch)  # type: ignore[return-value]


class detect_anomaly:
    """While on (in this thread), each op remembers where it was created and a NaN or inf
    produced in forward or backward raises a RuntimeError naming the op and that place."""

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = bool(enabled)

    def __enter__(self) -> None:
        modes = per_thread.modes
        self._previous = modes.anomaly_enabled
        modes.anomaly_enabled = self.enabled

    def __exit__(self, *exc_info: object) -> None:
        per_thread.modes.anomaly_enabled = self._previous

    def __call__(self, fn: F) -> F:
        enabled = self.enabled
        return _decorate(fn, lambda: detect_anomaly(enabled))  # type: ignore[return-value]


def is_anomaly_enabled() -> bool:
    """True inside `detect_anomaly()` (in this thread)."""
    return per_thread.modes.anomaly_enabled
