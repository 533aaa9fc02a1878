"""Dtype rules, in one place.

- Python scalars and lists become the default floating dtype (float32 unless changed).
- numpy arrays keep their dtype (so float64 stays float64 and float32 stays float32).
- A Python scalar combined with a floating tensor takes the tensor's dtype: an op never
  silently upcasts float32 to float64.
- An op that computes in floats (mean, softmax, norm, sigmoid, ...) turns integer and bool
  input into the float numpy gives it: `floating_result`, one rule for every such op.
- A value written into an array of another dtype (a pad constant, a checkpoint's array)
  must fit it, or the op refuses: `check_fits`.
"""

from __future__ import annotations

import functools
from typing import Any, Optional

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


def floating_result(dtype: Any, ufunc: Optional[np.ufunc] = None) -> np.dtype:
    """The dtype that an op computing in floats works in, and returns, for input of `dtype`.

    - A floating dtype is kept (float16, float32, float64, longdouble).
    - Integers, unsigned integers and bools become the float numpy gives them, so that
      np.<function>(tensor) and np.<function>(array) agree in value and dtype:
      - an elementwise op that numpy computes with `ufunc` (exp for sigmoid, logaddexp for
        softplus) takes that ufunc's loop: float16 for bool and 8-bit integers, float32 for
        16-bit ones, float64 for wider ones (np.exp of uint8 is float16);
      - a reduction or a statistic (ufunc None: mean, var, std, norm, logsumexp, softmax,
        log_softmax, median, quantile, trapezoid) computes in float64, as numpy's mean, var,
        std and linalg.norm do (and scipy's logsumexp and softmax).

    The cast comes first, so nothing is computed in the integer dtype: no max subtracted in
    uint8 (1 − 3 = 254), no int64 sum that wraps. PyTorch instead gives integers its default
    float dtype or refuses them (torch.mean of an int64 tensor raises); chainrule follows
    numpy's dtypes because a Tensor reaches these ops through numpy's functions too. Where
    numpy's own answer would be garbage (a nan written into integers, a value out of a
    dtype's range), the op refuses as PyTorch does (`check_fits`).
    """
    dtype = np.dtype(dtype)
    if dtype.kind == "f":
        return dtype
    if dtype.kind not in "biu":
        raise TypeError(f"expected real numbers (float, int or bool), got dtype {dtype}")
    return np.dtype(np.float64) if ufunc is None else _loop_float(dtype, ufunc)


@functools.lru_cache(maxsize=None)
def _loop_float(dtype: np.dtype, ufunc: np.ufunc) -> np.dtype:
    # the output dtype of the loop numpy picks for `ufunc` on `dtype` inputs
    return ufunc.resolve_dtypes((dtype,) * ufunc.nin + (None,) * ufunc.nout)[-1]


def as_floating(array: np.ndarray, ufunc: Optional[np.ufunc] = None) -> np.ndarray:
    """`array` in `floating_result(array.dtype, ufunc)`: the array itself when it is floating."""
    if array.dtype.kind == "f":
        return array
    return array.astype(floating_result(array.dtype, ufunc))


def check_fits(what: str, values: Any, dtype: Any) -> None:
    """Raise ValueError, naming `what`, unless every value survives a cast to `dtype` as a
    value (PyTorch's checked conversion, which refuses what would overflow):

    - an integer dtype takes finite numbers within its range (a fraction is truncated, as
      numpy's and PyTorch's casts do);
    - a floating dtype takes nan, ±inf and finite numbers up to its largest magnitude (they
      round to the nearest);
    - bool takes any number (nonzero is True).

    numpy's cast would write garbage instead: uint64 2⁶⁴−1 as int64 −1, nan as int64's
    minimum (or as uint8 0), 300 as uint8 44, 1e300 as float32 inf.
    """
    dtype = np.dtype(dtype)
    values = np.asarray(values)
    check_numeric(values.dtype, values)
    if dtype.kind == "b" or values.size == 0 or np.can_cast(values.dtype, dtype, "safe"):
        return  # (every value of a safe cast fits: a checkpoint of the model's own dtypes)
    if dtype.kind in "iu":
        info = np.iinfo(dtype)
        if values.dtype.kind in "iu":
            bad = (values < info.min) | (values > info.max)
        else:
            whole = np.trunc(values)
            # info.max + 1 and info.min are powers of two (or 0): exact in every float
            with np.errstate(invalid="ignore"):
                bad = ~np.isfinite(values) | (whole < info.min) | (whole >= info.max + 1)
        limits = f"integers from {info.min} to {info.max}"
    elif dtype.kind == "f":
        largest = np.finfo(dtype).max
        with np.errstate(invalid="ignore", over="ignore"):
            bad = np.isfinite(values) & (np.abs(values.astype(np.float64)
                                                if values.dtype.kind in "iu" else values)
                                         > largest)
        limits = f"magnitudes up to {largest}"
    else:
        raise TypeError(f"{what}: the target dtype must hold real numbers, got {dtype}")
    if np.any(bad):
        first = values[bad].flat[0].item()
        raise ValueError(f"{what}: {first!r} does not fit {dtype} ({limits})")
