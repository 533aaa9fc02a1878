"""The checks shared by the optimizers and the schedules: one function per kind of value.

Each returns the value normalised (a Python float, int or bool) or raises ValueError naming
the setting and the value, so that a nan or an infinity never reaches a learning rate
(inf·0 is nan) and a bad checkpoint is refused when it is loaded, not several steps later.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np


def _is_real(value: Any) -> bool:
    # bool is an int to Python, but `lr=True` is a mistake, not the number 1
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)


def is_integer(value: Any) -> bool:
    """True for Python and numpy integers, False for bools (`True` is not a count)."""
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


def check_range(name: str, value: Any, low: float = 0.0, high: float = math.inf,
                high_open: bool = False) -> float:
    """`value` as a float when it is a finite real number in [low, high] (or [low, high)
    with `high_open`); otherwise ValueError naming `name` and the value."""
    # `low <= value` is False for NaN, so NaN is refused with the out-of-range values. The
    # first test is the fast path for an already checked Python float: every step re-checks
    # its groups.
    inside = (type(value) is float or _is_real(value)) and low <= value and (
        value < high if high_open else value <= high) and math.isfinite(value)
    if not inside:
        upper = "" if high == math.inf else f", {high:g}{')' if high_open else ']'}"
        expected = f">= {low:g}" if not upper else f"in [{low:g}{upper}"
        raise ValueError(f"Invalid {name}: {value!r}, expected a finite number {expected}")
    return float(value)


def check_nonnegative(name: str, value: Any) -> float:
    """`value` as a float when it is finite and >= 0 (a learning rate, a decay rate, ...)."""
    return check_range(name, value)


def check_beta(index: int, value: Any) -> float:
    """A beta of Adam as a float in [0, 1)."""
    return check_range(f"beta parameter at index {index}", value, 0.0, 1.0, high_open=True)


def check_count(name: str, value: Any, minimum: int = 0) -> int:
    """`value` as an int when it is an integer >= minimum (a step count, a step size)."""
    if not is_integer(value) or value < minimum:
        raise ValueError(f"Invalid {name}: {value!r}, expected an integer >= {minimum}")
    return int(value)


def check_positive_count(name: str, value: Any) -> int:
    """`value` as an int when it is an integer >= 1."""
    return check_count(name, value, 1)


def check_flag(name: str, value: Any) -> bool:
    """`value` as a bool when it is True or False (numpy's bools too): `nesterov="no"` would
    otherwise be true."""
    if not isinstance(value, (bool, np.bool_)):
        raise ValueError(f"Invalid {name}: {value!r}, expected True or False")
    return bool(value)


class named:
    """`with named("parameter group 1"):` prefixes the message of a ValueError raised inside
    with where it happened, so one check serves every place that uses it."""

    # a small class: @contextmanager does the same with a generator per use, more slowly
    __slots__ = ("prefix",)

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: Any, error: Any, traceback: Any) -> None:
        if kind is ValueError:
            raise ValueError(f"{self.prefix}: {error}") from None
