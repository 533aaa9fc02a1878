"""PyTorch's keyword spellings of numpy's: `dim=` for `axis=`, `keepdim=` for `keepdims=`.

Names and semantics follow numpy (ARCHITECTURE.md "numpy interop"); a PyTorch spelling with the same
meaning is accepted as an alias, one mechanism for every function and method that takes an
axis. Where PyTorch means something else by the same call (`x.max(dim=1)` returns values and
indices there), the call can only be a PyTorch habit: it raises and says what to write.
"""

from __future__ import annotations

import functools
from typing import Any, Callable, Optional, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

ALIASES = {"dim": "axis", "keepdim": "keepdims"}


def numpy_keywords(name: str, kwargs: dict, habit: Optional[str] = None,
                   unless: Optional[str] = None) -> dict:
    """`kwargs` with PyTorch's `dim`/`keepdim` renamed to numpy's `axis`/`keepdims`.

    `habit`, when given, is the advice raised (TypeError) for `dim=` instead, unless the
    keyword `unless` is given too: the function's PyTorch namesake means something else.
    Giving both spellings of one keyword is an error."""
    if habit is not None and "dim" in kwargs and (unless is None or unless not in kwargs):
        raise TypeError(f"{name}(dim=...) is PyTorch's spelling, and PyTorch's {name} means "
                        f"something else there: {habit}")
    renamed = dict(kwargs)
    for torch_name, numpy_name in ALIASES.items():
        if torch_name in renamed:
            if numpy_name in renamed:
                raise TypeError(f"{name}() got both {numpy_name}= and its PyTorch spelling "
                                f"{torch_name}=; give one")
            renamed[numpy_name] = renamed.pop(torch_name)
    return renamed


def torch_aliases(fn: Optional[F] = None, *, habit: Optional[str] = None,
                  unless: Optional[str] = None) -> Any:
    """Decorator: let `fn` take `dim=`/`keepdim=` for its `axis=`/`keepdims=`.

    `@torch_aliases(habit="...", unless=...)` refuses `dim=` with that advice instead (see
    `numpy_keywords`). The wrapper costs one dictionary check when no keyword is given."""

    def decorate(fn: F) -> F:
        name = fn.__name__

        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if kwargs and ("dim" in kwargs or "keepdim" in kwargs):
                kwargs = numpy_keywords(name, kwargs, habit, unless)
            return fn(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate if fn is None else decorate(fn)


def values_indices_habit(name: str) -> str:
    """The advice for `max(dim=...)`, `min(dim=...)`, `sort(dim=...)`: PyTorch returns
    (values, indices) there."""
    return (f"torch.{name}(x, dim=d) returns (values, indices). Here, as in numpy, write "
            f"{name}(x, axis=d) for the values and arg{name}(x, axis=d) for the indices")


SPLIT_HABIT = ("torch.split(x, size, dim) cuts pieces of that size; numpy's split(x, n, axis) "
               "cuts n equal pieces (or at the indices listed). Write split(x, n, axis=d)")


def ddof_habit(name: str) -> str:
    """The advice for `var(dim=...)` / `std(dim=...)` without ddof: PyTorch's default is the
    unbiased estimate (ddof=1), numpy's is ddof=0."""
    return (f"PyTorch's {name} divides by n − 1 by default, numpy's by n. Write "
            f"{name}(x, axis=d, ddof=1) for PyTorch's value or {name}(x, axis=d) for numpy's "
            "(dim= with an explicit ddof= is accepted)")
