"""Hypothesis strategies and gradient checks for property tests of ops, yours and ours.

Needs hypothesis (a dev extra); `import autograd` alone does not import this module.

    from autograd.testing import gradient_test, positive, tensors

    test_my_op = gradient_test(MyOp.apply, tensors(shape=(3,), elements=positive()))

pytest then runs `test_my_op` on random inputs, checking backward against finite differences.
The element strategies keep values away from the places where an op is not differentiable
(kinks such as |x| at 0, poles such as 1/x at 0, ties of max), where finite differences and
any backward formula rightly disagree.
"""

from __future__ import annotations

import math
from typing import Any, Callable, Optional, Sequence, Union

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from autograd.gradcheck import GradcheckError, gradcheck, gradgradcheck
from autograd.tensor import Tensor

Shape = tuple
ShapeArg = Union[None, int, Sequence[int], st.SearchStrategy]

__all__ = [
    "shapes", "broadcastable_shapes", "axis_of", "axes_of", "floats", "positive", "away_from",
    "arrays", "distinct_arrays", "tensors", "check_gradients", "gradient_test",
]


# ---------------------------------------------------------------------- shapes
def shapes(min_dims: int = 0, max_dims: int = 3, min_side: int = 1,
           max_side: int = 4) -> st.SearchStrategy:
    """Array shapes, 0-d and size-1 axes included: `shapes(max_dims=2)` gives (), (3,), (1, 4)..."""
    return hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=min_side,
                            max_side=max_side)


def broadcastable_shapes(num_shapes: int = 2, min_dims: int = 0, max_dims: int = 3,
                         min_side: int = 1, max_side: int = 4) -> st.SearchStrategy:
    """Tuples of `num_shapes` shapes that broadcast together, e.g. ((2, 1, 3), (4, 1)).

    Size-1 axes, missing leading axes and 0-d shapes all occur:

        @given(broadcastable_shapes())
        def test_add(shapes): a_shape, b_shape = shapes; ...
    """
    return hnp.mutually_broadcastable_shapes(
        num_shapes=num_shapes, min_dims=min_dims, max_dims=max_dims, min_side=min_side,
        max_side=max_side).map(lambda b: tuple(b.input_shapes))


@st.composite
def axis_of(draw: Callable, ndim: int, none: bool = True) -> Optional[int]:
    """An axis of an `ndim`-dimensional array, positive or negative (or None, when `none`):
    `axis_of(2)` gives None, 0, 1, -1 or -2."""
    choices = ([st.none()] if none else []) + ([st.integers(-ndim, ndim - 1)] if ndim else [])
    return draw(st.one_of(*choices))


@st.composite
def axes_of(draw: Callable, ndim: int) -> Any:
    """None, one axis, or a tuple of distinct axes of an `ndim`-dimensional array, each
    positive or negative: what a reduction's `axis=` takes."""
    chosen = draw(st.lists(st.integers(0, max(ndim - 1, 0)), unique=True, max_size=ndim))
    several = tuple(draw(st.sampled_from([a, a - ndim])) for a in chosen)
    return draw(st.sampled_from([None, several] + ([several[0]] if several else [])))


# ---------------------------------------------------------------------- elements
def floats(min_value: float = -3.0, max_value: float = 3.0) -> st.SearchStrategy:
    """Finite floats in [min_value, max_value] (no nan, inf or subnormals)."""
    return st.floats(min_value=min_value, max_value=max_value, allow_nan=False,
                     allow_infinity=False, allow_subnormal=False)


def positive(min_value: float = 0.1, max_value: float = 3.0) -> st.SearchStrategy:
    """Floats in [min_value, max_value], min_value > 0: inputs of log, sqrt, 1/x, x**y."""
    if min_value <= 0:
        raise ValueError(f"positive() needs min_value > 0, got {min_value}")
    return floats(min_value, max_value)


def away_from(points: Union[float, Sequence[float]], margin: float = 0.1,
              min_value: float = -3.0, max_value: float = 3.0) -> st.SearchStrategy:
    """Floats in [min_value, max_value] at least `margin` from each of `points`.

    `away_from(0)` suits abs and relu (a kink at 0); `away_from([-1, 1])` suits clip(-1, 1).
    Drawn from the allowed intervals directly, so nothing is filtered out.
    """
    points = sorted([points] if isinstance(points, (int, float)) else points)
    intervals = []
    low = min_value
    for p in points:
        if p - margin > low:
            intervals.append((low, p - margin))
        low = max(low, p + margin)
    if low < max_value:
        intervals.append((low, max_value))
    if not intervals:
        raise ValueError(f"away_from: nothing in [{min_value}, {max_value}] is {margin} away "
                         f"from {points}")
    return st.one_of(*[floats(lo, hi) for lo, hi in intervals])


# ---------------------------------------------------------------------- arrays and tensors
def _shape_strategy(shape: ShapeArg) -> st.SearchStrategy:
    if shape is None:
        return shapes()
    if isinstance(shape, st.SearchStrategy):
        return shape
    return st.just((shape,) if isinstance(shape, int) else tuple(shape))


def arrays(shape: ShapeArg = None, dtype: Any = np.float64,
           elements: Optional[st.SearchStrategy] = None) -> st.SearchStrategy:
    """numpy arrays of `shape` (a shape, a strategy of shapes, or None for any small shape)
    with entries from `elements` (default: `floats()`)."""
    return hnp.arrays(np.dtype(dtype), _shape_strategy(shape),
                      elements=floats() if elements is None else elements)


@st.composite
def distinct_arrays(draw: Callable, shape: ShapeArg = None, min_gap: float = 0.01,
                    min_value: float = -3.0, max_value: float = 3.0,
                    dtype: Any = np.float64) -> np.ndarray:
    """Arrays whose entries are pairwise at least `min_gap` apart: no ties, so max, min,
    maximum, minimum and sorting are differentiable at them.

    Entries sit on a grid of spacing 2·min_gap, each moved by up to min_gap, in random order.
    """
    shape = draw(_shape_strategy(shape))
    size = math.prod(shape)
    slots = int((max_value - min_value - min_gap) // (2 * min_gap)) + 1
    if size > slots:
        raise ValueError(f"distinct_arrays: {size} entries {min_gap} apart do not fit in "
                         f"[{min_value}, {max_value}]")
    chosen = draw(st.lists(st.integers(0, slots - 1), min_size=size, max_size=size,
                           unique=True))
    jitter = draw(st.lists(floats(0.0, min_gap), min_size=size, max_size=size))
    values = [min_value + 2 * min_gap * k + j for k, j in zip(chosen, jitter)]
    return np.array(values, dtype=dtype).reshape(shape)


def tensors(shape: ShapeArg = None, requires_grad: bool = True,
            elements: Optional[st.SearchStrategy] = None, dtype: Any = np.float64,
            distinct: bool = False, min_gap: float = 0.01) -> st.SearchStrategy:
    """float64 Tensors (requiring grad by default) built on `arrays(shape, dtype, elements)`,
    or on `distinct_arrays(shape, min_gap)` with `distinct=True`.

        tensors(shape=(2, 3), elements=positive())      # inputs of log
    """
    if distinct:
        if elements is not None:
            raise ValueError("tensors: give either elements or distinct=True")
        source = distinct_arrays(shape, min_gap=min_gap, dtype=dtype)
    else:
        source = arrays(shape, dtype, elements)
    return source.map(lambda a: Tensor(a, requires_grad=requires_grad))


# ---------------------------------------------------------------------- checks
def _describe(value: Any) -> str:
    if isinstance(value, Tensor):
        return f"Tensor(shape={value.shape}, dtype={value.dtype}):\n{value.data!r}"
    return repr(value)


def _name(fn: Callable[..., Any]) -> str:
    # `MyOp.apply` is a classmethod bound to MyOp: name it by the class, not by Function
    owner = getattr(fn, "__self__", None)
    if isinstance(owner, type):
        return f"{owner.__name__}.{fn.__name__}"
    return getattr(fn, "__qualname__", None) or repr(fn)


def check_gradients(fn: Callable[..., Any], *inputs: Any, second_order: bool = False,
                    **gradcheck_kwargs: Any) -> bool:
    """Check the backward of `fn(*inputs)` against finite differences (and, with
    `second_order=True`, its second derivatives via gradgradcheck).

    Raises GradcheckError naming the function, the worst entry and the inputs:

        check_gradients(lambda a, b: a * b, Tensor(x, requires_grad=True), y_tensor)
    """
    name = _name(fn)
    checks = [("gradcheck", gradcheck)] + ([("gradgradcheck", gradgradcheck)]
                                           if second_order else [])
    for label, check in checks:
        try:
            check(fn, list(inputs), **gradcheck_kwargs)
        except GradcheckError as error:
            described = "\n".join(f"  input {i}: {_describe(x)}" for i, x in enumerate(inputs))
            raise GradcheckError(f"{label} of {name}: {error}\n{described}") from None
    return True


def gradient_test(fn: Callable[..., Any], *strategies: st.SearchStrategy,
                  second_order: bool = False, max_examples: Optional[int] = None,
                  **gradcheck_kwargs: Any) -> Callable[[], None]:
    """A pytest test, decorated with hypothesis' @given, that runs `check_gradients` on
    `fn(*inputs)` with one input drawn from each strategy. In a test file:

        from autograd.testing import gradient_test, tensors
        test_my_op = gradient_test(MyOp.apply, tensors(shape=(3,)), second_order=True)
    """
    if not strategies:
        raise ValueError("gradient_test needs one strategy per input of fn")
    names = [f"input_{i}" for i in range(len(strategies))]

    @given(**dict(zip(names, strategies)))
    def test(**drawn: Any) -> None:
        check_gradients(fn, *[drawn[n] for n in names], second_order=second_order,
                        **gradcheck_kwargs)

    name = "".join(c if c.isalnum() else "_" for c in _name(fn)).strip("_")
    test.__name__ = test.__qualname__ = f"test_gradients_of_{name}"
    if max_examples is not None:
        test = settings(max_examples=max_examples)(test)
    return test
