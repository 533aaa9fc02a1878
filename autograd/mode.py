"""Grad mode (no_grad / enable_grad) and anomaly detection: the only global state of the engine."""

from __future__ import annotations

import functools
from typing import Any, Callable, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

# Read directly (`mode.grad_enabled`) by Function.apply on every op: a plain module attribute
# is the cheapest flag Python has.
grad_enabled: bool = True
anomaly_enabled: bool = False
# Whatever object is "current" while ops run (nn.Module sets itself during its forward);
# each recorded node keeps it as `node.scope`, so pictures can group nodes by layer.
# The engine never looks inside it.
scope: object = None


def is_grad_enabled() -> bool:
    """True when ops record the graph."""
    return grad_enabled


class _GradModeSwitch:
    """A context manager and decorator that sets grad mode and restores it on exit."""

    enabled: bool

    def __enter__(self) -> None:
        global grad_enabled
        self._previous = grad_enabled
        grad_enabled = self.enabled

    def __exit__(self, *exc_info: object) -> None:
        global grad_enabled
        grad_enabled = self._previous

    def __call__(self, fn: F) -> F:
        switch = type(self)

        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with switch():
                return fn(*args, **kwargs)

        return wrapper  # type: ignore[return-value]


class no_grad(_GradModeSwitch):
    """Turn graph recording off: `with no_grad(): ...` or `@no_grad()`."""

    enabled = False


class enable_grad(_GradModeSwitch):
    """Turn graph recording back on inside a `no_grad` block."""

    enabled = True


class set_grad_enabled(_GradModeSwitch):
    """Set grad mode to `mode` for the block: `with set_grad_enabled(False): ...`."""

    def __init__(self, mode: bool) -> None:
        self.enabled = bool(mode)

    def __call__(self, fn: F) -> F:
        enabled = self.enabled

        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with set_grad_enabled(enabled):
                return fn(*args, **kwargs)

        return wrapper  # type: ignore[return-value]


class detect_anomaly:
    """While on, each op remembers where it was created and a NaN or inf produced in forward
    or backward raises a RuntimeError naming the op and that place."""

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled

    def __enter__(self) -> None:
        global anomaly_enabled
        self._previous = anomaly_enabled
        anomaly_enabled = self.enabled

    def __exit__(self, *exc_info: object) -> None:
        global anomaly_enabled
        anomaly_enabled = self._previous


def is_anomaly_enabled() -> bool:
    """True inside `detect_anomaly()`."""
    return anomaly_enabled
