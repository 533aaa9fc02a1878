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
    that already has the wanted dtype. Anything but numbers (None, strings, objects,
    complex or date values) is refused with a TypeError, never turned into nan."""
    if isinstance(value, np.ndarray):
        check_numeric(value.dtype, value)
        return value if dtype is None or value.dtype == dtype else _cast(value, dtype)
    if value is None or isinstance(value, (str, bytes)):
        raise TypeError(f"a tensor's data must be numbers, got {type(value).__name__} "
                        f"{value!r}")
    array = np.asarray(value)  # without a dtype first, to see what the values are
    check_numeric(array.dtype, value)
    if isinstance(value, np.generic) and dtype is None:
        return array
    return _cast(array, _default_dtype if dtype is None else dtype)


def check_numeric(dtype: np.dtype, value: Any) -> None:
    """Raise TypeError unless `dtype` holds real numbers (float, int, unsigned or bool)."""
    if dtype.kind not in "biuf":
        shown = f"an array of dtype {dtype}" if isinstance(value, np.ndarray) else (
            f"{type(value).__name__} {_short_repr(value)} (numpy makes it dtype {dtype})")
        raise TypeError(f"a tensor's data must be real numbers (float, int or bool), got {shown}")


def _cast(array: np.ndarray, dtype: Any) -> np.ndarray:
    dtype = np.dtype(dtype)
    if dtype.kind not in "biuf":
        raise TypeError(f"a tensor's dtype must be a real number type (float, int or bool), "
                        f"got {dtype}")
    return array.astype(dtype)


def _short_repr(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def operand_array(value: Any, like: np.ndarray) -> np.ndarray:
    """Convert the non-tensor operand of a binary op: Python scalars take `like`'s float dtype."""
    if isinstance(value, np.ndarray):
        check_numeric(value.dtype, value)
        return value
    if isinstance(value, (bool, int, float)) and not isinstance(value, np.generic):
        dtype = like.dtype if like.dtype.kind == "f" else _default_dtype
        if isinstance(value, int) and like.dtype.kind in "iu":
            dtype = like.dtype
        return np.asarray(value, dtype=dtype)
    if isinstance(value, np.generic):
        check_numeric(value.dtype, value)
        # numpy scalars follow the same rule as Python ones: the tensor's float dtype wins
        dtype = like.dtype if like.dtype.kind == "f" and value.dtype.kind in "biuf" else None
        return np.asarray(value, dtype=dtype)
    if value is None or isinstance(value, (str, bytes)):
        raise TypeError(f"cannot combine a Tensor with {type(value).__name__} {value!r}: an "
                        "operand must be a number, an array or a Tensor")
    return to_array(value)
