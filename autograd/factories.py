"""Tensor factories: zeros, ones, full, empty, eye, arange, linspace, the `*_like` forms and
the random rand / randn. Each returns a new leaf Tensor.

Dtype rules (see autograd/dtypes.py):

- The float factories (zeros, ones, full, empty, eye, linspace, rand, randn) give the default
  float dtype (float32 unless `autograd.set_default_dtype` changed it) when `dtype` is None.
  `full` does too, whatever the type of `fill_value` (pass `dtype=np.int64` for integers).
- `arange` keeps numpy's rule for integers: integer arguments give int64 unless `dtype` is
  given. Any floating argument gives the default float dtype (numpy would give float64; in
  chainrule a Python float becomes the default float dtype everywhere).
- `zeros_like(t)` and friends copy `t`'s shape and dtype unless `dtype` is given; they do not
  copy `requires_grad` (as in PyTorch).
- Only floating tensors may require grad: `requires_grad=True` with any other dtype (an
  integer `arange` included) is a TypeError, as it is for `Tensor`.

Random factories never touch numpy's global random state: pass `rng=` (an
`np.random.Generator`) or `seed=`; both is a TypeError; neither draws from a fresh
`np.random.default_rng()` (not reproducible).

Bad input raises an error that names the factory: TypeError for wrong types (a non-integer
size, an unknown or non-numeric dtype), ValueError for wrong values (a negative size, a zero
step, a non-finite bound).
"""

from __future__ import annotations

import numbers
import warnings
from typing import Any, Optional, Sequence, Union

import numpy as np

from autograd import dtypes
from autograd.tensor import Tensor

__all__ = [
    "zeros", "ones", "full", "empty", "eye", "arange", "linspace",
    "zeros_like", "ones_like", "full_like", "empty_like", "rand", "randn",
]

Shape = Union[int, Sequence[int]]


# ----------------------------------------------------------------------------- checks
def _is_int(value: Any) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


def _is_real(value: Any) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))


def _shape(name: str, shape: Any) -> tuple:
    """An int or a sequence of ints, all >= 0, as a tuple."""
    if _is_int(shape):
        dims: tuple = (shape,)
    elif isinstance(shape, (str, bytes)) or not hasattr(shape, "__iter__"):
        raise TypeError(f"{name}: shape must be an int or a sequence of ints, got "
                        f"{type(shape).__name__} {shape!r}")
    else:
        dims = tuple(shape)
    for dim in dims:
        if not _is_int(dim):
            raise TypeError(f"{name}: shape must be an int or a sequence of ints, got "
                            f"{shape!r} (contains {type(dim).__name__} {dim!r})")
        if dim < 0:
            raise ValueError(f"{name}: negative dimension {dim} in shape {shape!r}")
    return tuple(int(dim) for dim in dims)


def _size(name: str, what: str, value: Any) -> int:
    if not _is_int(value):
        raise TypeError(f"{name}: {what} must be an int, got {type(value).__name__} {value!r}")
    if value < 0:
        raise ValueError(f"{name}: {what} must be >= 0, got {value}")
    return int(value)


def _varargs_shape(name: str, shape: tuple) -> tuple:
    """rand(2, 3), rand((2, 3)) and rand([2, 3]) all mean shape (2, 3); rand() is a scalar."""
    if len(shape) == 1 and not _is_int(shape[0]):
        return _shape(name, shape[0])
    return _shape(name, shape)


def _dtype(name: str, dtype: Any, default: np.dtype) -> np.dtype:
    if dtype is None:
        return default
    try:
        resolved = np.dtype(dtype)
    except TypeError as error:
        raise TypeError(f"{name}: unknown dtype {dtype!r}") from error
    if resolved.kind not in "biuf":
        raise TypeError(f"{name}: dtype must be a real number type (float, int or bool), "
                        f"got {resolved}")
    return resolved


def _check_requires_grad(name: str, requires_grad: Any, dtype: np.dtype) -> None:
    if not isinstance(requires_grad, (bool, np.bool_)):
        raise TypeError(f"{name}: requires_grad must be True or False, got {requires_grad!r}")
    if requires_grad and not dtypes.is_floating(dtype):
        raise TypeError(f"{name}: only floating-point tensors can require gradients, got "
                        f"dtype {dtype}")


def _real(name: str, what: str, value: Any) -> float:
    if not _is_real(value):
        raise TypeError(f"{name}: {what} must be a real number, got "
                        f"{type(value).__name__} {value!r}")
    if not np.isfinite(value):
        raise ValueError(f"{name}: {what} must be finite, got {value!r}")
    return value


def _leaf(data: np.ndarray, requires_grad: bool) -> Tensor:
    out = Tensor(data)
    if requires_grad:
        out.requires_grad_(True)
    return out


def _like_source(name: str, t: Any) -> np.ndarray:
    if isinstance(t, Tensor):
        return t.data
    if isinstance(t, np.ndarray):
        return t
    raise TypeError(f"{name}: expected a Tensor or an ndarray, got {type(t).__name__}")


def _fill_array(name: str, shape: tuple, fill_value: Any, dtype: np.dtype) -> np.ndarray:
    if not isinstance(fill_value, (numbers.Real, np.bool_)):
        raise TypeError(f"{name}: fill_value must be a real number or a bool, got "
                        f"{type(fill_value).__name__} {fill_value!r}")
    if dtype.kind != "f":
        # an integer or bool tensor must hold exactly the value asked for, never a truncation
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            try:
                cast = np.array(fill_value).astype(dtype)
            except (OverflowError, ValueError):
                cast = None
        if cast is None or not np.isfinite(fill_value) or cast.item() != fill_value:
            raise ValueError(f"{name}: fill_value {fill_value!r} does not fit dtype {dtype} "
                             "exactly")
    return np.full(shape, fill_value, dtype=dtype)


# ------------------------------------------------------------------------- factories
def zeros(shape: Shape, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """A leaf Tensor of zeros; `shape` is an int or a sequence of ints."""
    dims = _shape("zeros", shape)
    dtype = _dtype("zeros", dtype, dtypes.get_default_dtype())
    _check_requires_grad("zeros", requires_grad, dtype)
    return _leaf(np.zeros(dims, dtype=dtype), requires_grad)


def ones(shape: Shape, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """A leaf Tensor of ones; `shape` is an int or a sequence of ints."""
    dims = _shape("ones", shape)
    dtype = _dtype("ones", dtype, dtypes.get_default_dtype())
    _check_requires_grad("ones", requires_grad, dtype)
    return _leaf(np.ones(dims, dtype=dtype), requires_grad)


def full(shape: Shape, fill_value: Any, dtype: Any = None,
         requires_grad: bool = False) -> Tensor:
    """A leaf Tensor filled with `fill_value`. The dtype is the default float dtype unless
    given (also for an int fill_value); an integer dtype must hold fill_value exactly."""
    dims = _shape("full", shape)
    dtype = _dtype("full", dtype, dtypes.get_default_dtype())
    _check_requires_grad("full", requires_grad, dtype)
    return _leaf(_fill_array("full", dims, fill_value, dtype), requires_grad)


def empty(shape: Shape, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """A leaf Tensor whose values are whatever the memory held (numpy's `empty`): write
    every element before reading it."""
    dims = _shape("empty", shape)
    dtype = _dtype("empty", dtype, dtypes.get_default_dtype())
    _check_requires_grad("empty", requires_grad, dtype)
    return _leaf(np.empty(dims, dtype=dtype), requires_grad)


def eye(n: int, m: Optional[int] = None, k: int = 0, dtype: Any = None,
        requires_grad: bool = False) -> Tensor:
    """An (n, m) leaf Tensor with ones on the k-th diagonal (m defaults to n; k > 0 above the
    main diagonal, k < 0 below), zeros elsewhere."""
    rows = _size("eye", "n", n)
    cols = rows if m is None else _size("eye", "m", m)
    if not _is_int(k):
        raise TypeError(f"eye: k must be an int, got {type(k).__name__} {k!r}")
    dtype = _dtype("eye", dtype, dtypes.get_default_dtype())
    _check_requires_grad("eye", requires_grad, dtype)
    return _leaf(np.eye(rows, cols, k=int(k), dtype=dtype), requires_grad)


def arange(start: Union[int, float], stop: Union[int, float, None] = None,
           step: Union[int, float] = 1, dtype: Any = None,
           requires_grad: bool = False) -> Tensor:
    """Evenly spaced values in [start, stop) (numpy's `arange`; `arange(n)` is 0 .. n-1).

    Integer arguments give int64 (numpy's rule) unless `dtype` is given; a floating argument
    gives the default float dtype. An int64 result cannot require grad: pass float arguments
    or `dtype=np.float32`. With a non-integer step the number of values is
    ceil((stop - start) / step), which rounding can make one more than expected; `linspace`
    is the safer choice there."""
    if stop is None:
        start, stop = 0, start
    for what, value in (("start", start), ("stop", stop), ("step", step)):
        _real("arange", what, value)
    if step == 0:
        raise ValueError("arange: step must not be zero")
    integral = all(_is_int(value) for value in (start, stop, step))
    default = np.dtype(np.int64) if integral else dtypes.get_default_dtype()
    dtype = _dtype("arange", dtype, default)
    if requires_grad is True and integral and not dtypes.is_floating(dtype):
        raise TypeError("arange: integer arguments give an int64 tensor, which cannot require "
                        "gradients; pass dtype=np.float32 (or float arguments)")
    _check_requires_grad("arange", requires_grad, dtype)
    if dtype.kind == "f":  # computed in float64, then rounded once to the dtype
        data = np.arange(start, stop, step, dtype=np.float64).astype(dtype)
    else:
        data = np.arange(start, stop, step, dtype=dtype)
    return _leaf(data, requires_grad)


def linspace(start: float, stop: float, num: int = 50, endpoint: bool = True,
             dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """`num` evenly spaced values from start to stop (stop included when `endpoint`), in the
    default float dtype unless `dtype` is given (numpy's `linspace`)."""
    _real("linspace", "start", start)
    _real("linspace", "stop", stop)
    num = _size("linspace", "num", num)
    if not isinstance(endpoint, (bool, np.bool_)):
        raise TypeError(f"linspace: endpoint must be True or False, got {endpoint!r}")
    dtype = _dtype("linspace", dtype, dtypes.get_default_dtype())
    _check_requires_grad("linspace", requires_grad, dtype)
    if dtype.kind == "f":
        data = np.linspace(start, stop, int(num), endpoint=bool(endpoint)).astype(dtype)
    else:
        data = np.linspace(start, stop, int(num), endpoint=bool(endpoint), dtype=dtype)
    return _leaf(data, requires_grad)


def zeros_like(t: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """Zeros with the shape of `t` (a Tensor or an ndarray) and its dtype unless given."""
    source = _like_source("zeros_like", t)
    dtype = _dtype("zeros_like", dtype, source.dtype)
    _check_requires_grad("zeros_like", requires_grad, dtype)
    return _leaf(np.zeros(source.shape, dtype=dtype), requires_grad)


def ones_like(t: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """Ones with the shape of `t` (a Tensor or an ndarray) and its dtype unless given."""
    source = _like_source("ones_like", t)
    dtype = _dtype("ones_like", dtype, source.dtype)
    _check_requires_grad("ones_like", requires_grad, dtype)
    return _leaf(np.ones(source.shape, dtype=dtype), requires_grad)


def full_like(t: Any, fill_value: Any, dtype: Any = None,
              requires_grad: bool = False) -> Tensor:
    """`fill_value` everywhere, with the shape of `t` and its dtype unless given (an integer
    dtype must hold fill_value exactly)."""
    source = _like_source("full_like", t)
    dtype = _dtype("full_like", dtype, source.dtype)
    _check_requires_grad("full_like", requires_grad, dtype)
    return _leaf(_fill_array("full_like", source.shape, fill_value, dtype), requires_grad)


def empty_like(t: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """Uninitialized values (see `empty`) with the shape of `t` and its dtype unless given."""
    source = _like_source("empty_like", t)
    dtype = _dtype("empty_like", dtype, source.dtype)
    _check_requires_grad("empty_like", requires_grad, dtype)
    return _leaf(np.empty(source.shape, dtype=dtype), requires_grad)


# ---------------------------------------------------------------------------- random
def _generator(name: str, rng: Any, seed: Any) -> np.random.Generator:
    if rng is not None and seed is not None:
        raise TypeError(f"{name}: give rng= or seed=, not both")
    if rng is not None:
        if not isinstance(rng, np.random.Generator):
            raise TypeError(f"{name}: rng must be an np.random.Generator (np.random.default_rng"
                            f"(seed)), got {type(rng).__name__}")
        return rng
    if seed is not None:
        if not (_is_int(seed) or isinstance(seed, np.random.SeedSequence)):
            raise TypeError(f"{name}: seed must be an int, got {type(seed).__name__} {seed!r}")
        if _is_int(seed) and seed < 0:
            raise ValueError(f"{name}: seed must be >= 0, got {seed}")
    return np.random.default_rng(seed)  # seed None: fresh entropy, never the global state


def _random_dtype(name: str, dtype: Any, requires_grad: Any) -> np.dtype:
    dtype = _dtype(name, dtype, dtypes.get_default_dtype())
    if not dtypes.is_floating(dtype):
        raise TypeError(f"{name}: dtype must be a floating dtype, got {dtype}")
    _check_requires_grad(name, requires_grad, dtype)
    return dtype


def _draw_dtype(dtype: np.dtype) -> np.dtype:
    # numpy's Generator draws float32 and float64 directly; other floats go through float64
    return dtype if dtype in (np.float32, np.float64) else np.dtype(np.float64)


def rand(*shape: Any, rng: Optional[np.random.Generator] = None, seed: Optional[int] = None,
         dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """Uniform samples in [0, 1): `rand(2, 3)` or `rand((2, 3))`, from `rng` (an
    np.random.Generator) or a Generator seeded with `seed`; never numpy's global state."""
    dims = _varargs_shape("rand", shape)
    dtype = _random_dtype("rand", dtype, requires_grad)
    generator = _generator("rand", rng, seed)
    data = generator.random(dims, dtype=_draw_dtype(dtype)).astype(dtype, copy=False)
    if data.dtype.itemsize < 4:  # rounding to float16 can give 1.0: keep the interval open
        data = np.minimum(data, np.nextafter(dtype.type(1), dtype.type(0)))
    return _leaf(np.asarray(data, dtype=dtype), requires_grad)


def randn(*shape: Any, rng: Optional[np.random.Generator] = None, seed: Optional[int] = None,
          dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """Standard normal samples (mean 0, variance 1): `randn(2, 3)` or `randn((2, 3))`, from
    `rng` (an np.random.Generator) or a Generator seeded with `seed`; never numpy's global
    state."""
    dims = _varargs_shape("randn", shape)
    dtype = _random_dtype("randn", dtype, requires_grad)
    generator = _generator("randn", rng, seed)
    data = generator.standard_normal(dims, dtype=_draw_dtype(dtype)).astype(dtype, copy=False)
    return _leaf(np.asarray(data, dtype=dtype), requires_grad)
