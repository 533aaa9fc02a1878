"""Dtype rules, in one place.

- Python scalars and lists become the default floating dtype (float32 unless changed).
- numpy arrays keep their dtype (so float64 stays float64 and float32 stays float32).
- A Python scalar combined with a floating tensor takes the tensor's dtype: an op never
  silently upcasts float32 to float64.
"""

from __future__ import annotations

from typing import Any

import numpy as np

_default_dtype: np.dtype = np.dtype(np.float32)


def set_default_dtype(dtype: Any) -> None:
    """Set the dtype given to Python scalars and lists (float32 or float64)."""
    global _default_dtype
    dtype = np.dtype(dtype)
    if dtype.kind != "f":
        raise TypeError(f"default dtype must be a floating dtype, got {dtype}")
    _default_dtype = dtype


def get_default_dtype() -> np.dtype:
    """The dtype given to Python scalars and lists."""
    return _default_dtype


def is_floating(dtype: np.dtype) -> bool:
    """True for float16/32/64 dtypes: only those may require grad."""
    return dtype.kind == "f"


def to_array(value: Any, dtype: Any = None) -> np.ndarray:
    """Turn user data into an ndarray following the rules above; never copies an ndarray
    that already has the wanted dtype."""
    if isinstance(value, np.ndarray):
        return value if dtype is None or value.dtype == dtype else value.astype(dtype)
    if isinstance(value, np.generic) and dtype is None:
        return np.asarray(value)
    array = np.asarray(value, dtype=_default_dtype if dtype is None else dtype)
    return array


def operand_array(value: Any, like: np.ndarray) -> np.ndarray:
    """Convert the non-tensor operand of a binary op: Python scalars take `like`'s float dtype."""
    if isinstance(value, np.ndarray):
        return value
    if isinstance(value, (bool, int, float)) and not isinstance(value, np.generic):
        dtype = like.dtype if like.dtype.kind == "f" else _default_dtype
        if isinstance(value, int) and like.dtype.kind in "iu":
            dtype = like.dtype
        return np.asarray(value, dtype=dtype)
    if isinstance(value, np.generic):
        # numpy scalars follow the same rule as Python ones: the tensor's float dtype wins
        dtype = like.dtype if like.dtype.kind == "f" and value.dtype.kind in "biuf" else None
        return np.asarray(value, dtype=dtype)
    return to_array(value)
