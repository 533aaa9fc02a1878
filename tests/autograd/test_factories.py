"""Tensor factories: values, shapes, dtypes, requires_grad leaves, *_like, seeded random
draws, and the errors that name the factory."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd as ag
from autograd import Tensor
from autograd.factories import (
    __all__ as factories_all,
    arange, empty, empty_like, eye, full, full_like, linspace, ones, ones_like, rand, randn,
    zeros, zeros_like,
)
from autograd.testing import floats, shapes


@pytest.fixture
def float64_default():
    ag.set_default_dtype(np.float64)
    try:
        yield
    finally:
        ag.set_default_dtype(np.float32)


def test_all_lists_the_factories():
    assert set(factories_all) == {
        "zeros", "ones", "full", "empty", "eye", "arange", "linspace", "zeros_like",
        "ones_like", "full_like", "empty_like", "rand", "randn"}


# ------------------------------------------------------------------ values and shapes
def test_zeros_ones_full_empty_values_and_shapes():
    for shape, expected in [(3, (3,)), ((2, 3), (2, 3)), ([2, 0], (2, 0)), ((), ()),
                            (np.int64(4), (4,)), ((np.int32(1), 2), (1, 2))]:
        for t in (zeros(shape), ones(shape), full(shape, 2.5), empty(shape)):
            assert isinstance(t, Tensor) and t.shape == expected and t.is_leaf
            assert not t.requires_grad and t.dtype == np.float32
        np.testing.assert_array_equal(zeros(shape).data, np.zeros(expected))
        np.testing.assert_array_equal(ones(shape).data, np.ones(expected))
        np.testing.assert_array_equal(full(shape, 2.5).data, np.full(expected, 2.5))


def test_eye():
    np.testing.assert_array_equal(eye(3).data, np.eye(3))
    np.testing.assert_array_equal(eye(2, 4, k=1).data, np.eye(2, 4, k=1))
    np.testing.assert_array_equal(eye(3, k=-1).data, np.eye(3, k=-1))
    assert eye(0).shape == (0, 0) and eye(3).dtype == np.float32


def test_arange_follows_numpy_for_integers():
    t = arange(5)
    assert t.dtype == np.int64
    np.testing.assert_array_equal(t.data, [0, 1, 2, 3, 4])
    np.testing.assert_array_equal(arange(2, 10, 3).data, [2, 5, 8])
    np.testing.assert_array_equal(arange(5, 0, -2).data, [5, 3, 1])
    assert arange(3, 1).shape == (0,)
    assert arange(np.int32(3)).dtype == np.int64
    assert arange(4, dtype=np.int32).dtype == np.int32


def test_arange_with_floats_gives_the_default_float_dtype(float64_default):
    np.testing.assert_allclose(arange(0.0, 1.0, 0.25).data, [0, 0.25, 0.5, 0.75])
    assert arange(0.0, 1.0, 0.25).dtype == np.float64
    assert arange(3, dtype=np.float16).dtype == np.float16


def test_arange_float32_by_default():
    assert arange(0, 1, 0.5).dtype == np.float32
    assert arange(3, dtype=np.float32).dtype == np.float32
    np.testing.assert_array_equal(arange(3, dtype=np.float32).data, [0, 1, 2])


def test_linspace():
    t = linspace(0, 1, 5)
    assert t.dtype == np.float32 and t.shape == (5,)
    np.testing.assert_allclose(t.data, [0, 0.25, 0.5, 0.75, 1])
    np.testing.assert_allclose(linspace(0, 1, 4, endpoint=False).data, [0, 0.25, 0.5, 0.75])
    assert linspace(0, 1).shape == (50,) and linspace(0, 1, 0).shape == (0,)
    assert linspace(0, 4, 5, dtype=np.int64).dtype == np.int64


# ------------------------------------------------------------------------- dtypes
def test_set_default_dtype_is_respected(float64_default):
    for t in (zeros(2), ones(2), full(2, 1), empty(2), eye(2), linspace(0, 1, 3), rand(2, seed=0),
              randn(2, seed=0)):
        assert t.dtype == np.float64, t


def test_explicit_dtypes():
    assert zeros(2, dtype=np.float64).dtype == np.float64
    assert ones(2, dtype="int32").dtype == np.int32
    assert full(2, 7, dtype=np.int64).dtype == np.int64
    assert full(2, True, dtype=bool).data.tolist() == [True, True]
    assert empty(2, dtype=np.uint8).dtype == np.uint8
    assert eye(2, dtype=np.float16).dtype == np.float16
    assert rand(3, seed=1, dtype=np.float64).dtype == np.float64
    assert randn(3, seed=1, dtype=np.float16).dtype == np.float16
    assert full(2, 7).dtype == np.float32  # the default float dtype, even for an int fill


# ------------------------------------------------------------------ requires_grad leaves
@pytest.mark.parametrize("make", [
    lambda: zeros(3, requires_grad=True), lambda: ones(3, requires_grad=True),
    lambda: full(3, 0.5, requires_grad=True), lambda: empty(3, requires_grad=True),
    lambda: arange(3.0, requires_grad=True), lambda: linspace(0, 1, 3, requires_grad=True),
    lambda: zeros_like(np.zeros(3), requires_grad=True),
    lambda: ones_like(Tensor([1.0, 2.0, 3.0]), requires_grad=True),
    lambda: full_like(np.zeros(3), 2.0, requires_grad=True),
    lambda: rand(3, seed=0, requires_grad=True), lambda: randn(3, seed=0, requires_grad=True),
])
def test_requires_grad_leaves_get_gradients(make):
    x = make()
    assert x.requires_grad and x.is_leaf and x.grad is None
    (x * 2).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [2.0, 2.0, 2.0])
    assert x.grad.dtype == x.dtype


def test_eye_gradient_flows():
    w = eye(2, requires_grad=True)
    (w @ Tensor([[1.0], [2.0]])).sum().backward()
    np.testing.assert_array_equal(w.grad.data, [[1.0, 2.0], [1.0, 2.0]])


# -------------------------------------------------------------------------- *_like
def test_like_copies_shape_and_dtype():
    source = Tensor(np.arange(6, dtype=np.float64).reshape(2, 3), requires_grad=True)
    for t in (zeros_like(source), ones_like(source), full_like(source, 3.0),
              empty_like(source)):
        assert t.shape == (2, 3) and t.dtype == np.float64
        assert not t.requires_grad and t.is_leaf  # requires_grad is not copied
    np.testing.assert_array_equal(zeros_like(source).data, np.zeros((2, 3)))
    np.testing.assert_array_equal(ones_like(source).data, np.ones((2, 3)))
    np.testing.assert_array_equal(full_like(source, 3.0).data, np.full((2, 3), 3.0))
    ints = np.arange(4, dtype=np.int32)
    assert zeros_like(ints).dtype == np.int32 and full_like(ints, 5).data.tolist() == [5] * 4


def test_like_with_a_dtype():
    source = Tensor(np.zeros((2, 2), dtype=np.float64))
    assert zeros_like(source, dtype=np.float32).dtype == np.float32
    assert ones_like(source, dtype=np.int64).dtype == np.int64
    assert full_like(np.arange(3), 0.5, dtype=np.float32).dtype == np.float32


def test_like_does_not_share_memory():
    source = Tensor(np.zeros(3))
    out = zeros_like(source)
    out.data[0] = 1.0
    assert source.data[0] == 0.0


# --------------------------------------------------------------------------- random
def test_rand_shapes_and_range():
    for t in (rand(2, 3, seed=0), rand((2, 3), seed=0), rand([2, 3], seed=0)):
        assert t.shape == (2, 3) and t.dtype == np.float32 and t.is_leaf
    np.testing.assert_array_equal(rand(2, 3, seed=0).data, rand((2, 3), seed=0).data)
    assert rand(seed=0).shape == () and rand(0, seed=0).shape == (0,)
    big = rand(10_000, seed=1).data
    assert big.min() >= 0.0 and big.max() < 1.0 and 0.45 < big.mean() < 0.55
    half = rand(10_000, seed=1, dtype=np.float16).data
    assert half.min() >= 0.0 and half.max() < 1.0


def test_randn_statistics():
    x = randn(20_000, seed=3, dtype=np.float64).data
    assert abs(x.mean()) < 0.05 and abs(x.std() - 1.0) < 0.05
    assert randn(2, 3, seed=0).shape == (2, 3) and randn((4,), seed=0).shape == (4,)


@pytest.mark.parametrize("factory", [rand, randn])
def test_random_is_reproducible_with_a_seed_or_a_generator(factory):
    a = factory(3, 4, seed=42).data
    np.testing.assert_array_equal(a, factory(3, 4, seed=42).data)
    assert not np.array_equal(a, factory(3, 4, seed=43).data)
    np.testing.assert_array_equal(factory(3, 4, rng=np.random.default_rng(7)).data,
                                  factory(3, 4, rng=np.random.default_rng(7)).data)
    rng = np.random.default_rng(7)
    first, second = factory(5, rng=rng).data, factory(5, rng=rng).data
    assert not np.array_equal(first, second)  # the generator advances


@pytest.mark.parametrize("factory", [rand, randn])
def test_random_ignores_and_leaves_numpy_global_state(factory):
    np.random.seed(0)
    a = factory(4, seed=5).data
    np.random.seed(123)
    b = factory(4, seed=5).data
    np.testing.assert_array_equal(a, b)  # the global seed changes nothing
    np.random.seed(0)
    state = np.random.get_state()
    factory(4, seed=5)
    factory(4)  # no seed: a fresh generator, still not the global one
    after = np.random.get_state()
    np.testing.assert_array_equal(state[1], after[1])
    assert state[2] == after[2]


# --------------------------------------------------------------------------- errors
@pytest.mark.parametrize("call, name", [
    (lambda: zeros(-1), "zeros"), (lambda: ones((2, -3)), "ones"),
    (lambda: full(-2, 1.0), "full"), (lambda: empty((-1,)), "empty"),
    (lambda: eye(-1), "eye"), (lambda: eye(2, -1), "eye"),
    (lambda: rand(-2, seed=0), "rand"), (lambda: randn(2, -1, seed=0), "randn"),
    (lambda: linspace(0, 1, -1), "linspace"),
])
def test_negative_sizes_are_value_errors(call, name):
    with pytest.raises(ValueError, match=f"^{name}: .*"):
        call()


@pytest.mark.parametrize("call, name", [
    (lambda: zeros(2.0), "zeros"), (lambda: ones((2, 1.5)), "ones"),
    (lambda: zeros("3"), "zeros"), (lambda: zeros((True, 2)), "zeros"),
    (lambda: zeros(None), "zeros"), (lambda: eye(2.0), "eye"), (lambda: eye(2, k=0.5), "eye"),
    (lambda: rand(2.5, seed=0), "rand"), (lambda: randn((2, "a"), seed=0), "randn"),
    (lambda: linspace(0, 1, 2.0), "linspace"), (lambda: arange("3"), "arange"),
    (lambda: arange(None), "arange"), (lambda: linspace("a", 1), "linspace"),
    (lambda: full(2, "x"), "full"), (lambda: full(2, None), "full"),
    (lambda: zeros_like([1.0, 2.0]), "zeros_like"), (lambda: ones_like(3), "ones_like"),
])
def test_non_integer_shapes_and_bad_arguments_are_type_errors(call, name):
    with pytest.raises(TypeError, match=f"^{name}: .*"):
        call()


@pytest.mark.parametrize("call, name", [
    (lambda: zeros(2, dtype="nonsense"), "zeros"), (lambda: ones(2, dtype=np.complex64), "ones"),
    (lambda: full(2, 1.0, dtype=str), "full"), (lambda: empty(2, dtype=object), "empty"),
    (lambda: eye(2, dtype="float99"), "eye"), (lambda: arange(3, dtype="bogus"), "arange"),
    (lambda: linspace(0, 1, dtype=np.complex128), "linspace"),
    (lambda: zeros_like(np.zeros(2), dtype="bogus"), "zeros_like"),
    (lambda: rand(2, seed=0, dtype="bogus"), "rand"),
    (lambda: rand(2, seed=0, dtype=np.int64), "rand"),
    (lambda: randn(2, seed=0, dtype=bool), "randn"),
])
def test_unknown_or_non_real_dtypes_are_type_errors(call, name):
    with pytest.raises(TypeError, match=f"^{name}: .*dtype"):
        call()


@pytest.mark.parametrize("call, name", [
    (lambda: zeros(2, dtype=np.int64, requires_grad=True), "zeros"),
    (lambda: ones(2, dtype=bool, requires_grad=True), "ones"),
    (lambda: full(2, 1, dtype=np.int32, requires_grad=True), "full"),
    (lambda: eye(2, dtype=np.int8, requires_grad=True), "eye"),
    (lambda: arange(3, requires_grad=True), "arange"),
    (lambda: arange(3, dtype=np.int32, requires_grad=True), "arange"),
    (lambda: linspace(0, 1, 3, dtype=np.int64, requires_grad=True), "linspace"),
    (lambda: zeros_like(np.arange(3), requires_grad=True), "zeros_like"),
    (lambda: ones_like(Tensor(np.array([True])), requires_grad=True), "ones_like"),
])
def test_requires_grad_on_non_floating_dtype_is_a_type_error(call, name):
    with pytest.raises(TypeError, match=f"^{name}: .*(floating|gradients)"):
        call()


def test_integer_arange_requires_grad_message_says_what_to_write():
    with pytest.raises(TypeError, match="int64.*dtype=np.float32"):
        arange(5, requires_grad=True)
    assert arange(5, dtype=np.float32, requires_grad=True).requires_grad


def test_requires_grad_must_be_a_bool():
    with pytest.raises(TypeError, match="^zeros: requires_grad"):
        zeros(2, requires_grad="yes")


def test_arange_and_linspace_value_errors():
    with pytest.raises(ValueError, match="^arange: step"):
        arange(0, 5, 0)
    with pytest.raises(ValueError, match="^arange: .*finite"):
        arange(0, float("inf"))
    with pytest.raises(ValueError, match="^linspace: .*finite"):
        linspace(0, float("nan"))


def test_full_refuses_a_fill_value_an_integer_dtype_cannot_hold():
    with pytest.raises(ValueError, match="^full: fill_value 2.5"):
        full(2, 2.5, dtype=np.int64)
    with pytest.raises(ValueError, match="^full: fill_value 300"):
        full(2, 300, dtype=np.uint8)
    with pytest.raises(ValueError, match="^full_like: fill_value"):
        full_like(np.arange(3), float("nan"))
    np.testing.assert_array_equal(full(2, 2.0, dtype=np.int64).data, [2, 2])


@pytest.mark.parametrize("factory", [rand, randn])
def test_random_argument_errors(factory):
    name = factory.__name__
    with pytest.raises(TypeError, match=f"^{name}: give rng= or seed=, not both"):
        factory(2, rng=np.random.default_rng(0), seed=0)
    with pytest.raises(TypeError, match=f"^{name}: rng must be an np.random.Generator"):
        factory(2, rng=np.random.RandomState(0))
    with pytest.raises(TypeError, match=f"^{name}: seed"):
        factory(2, seed=1.5)
    with pytest.raises(ValueError, match=f"^{name}: seed"):
        factory(2, seed=-1)


# --------------------------------------------------------------------------- properties
# Random shapes (0-d, size-0 and size-1 axes), dtypes and requires_grad: each factory's shape,
# dtype and values are numpy's (the default float dtype standing in for dtype=None), and
# requires_grad is honoured for float dtypes and a TypeError for the others.
DTYPES = [None, np.float16, np.float32, np.float64, np.int32, np.int64, np.uint8, bool]


def expected_dtype(dtype, default=None):
    if dtype is not None:
        return np.dtype(dtype)
    return ag.get_default_dtype() if default is None else np.dtype(default)


def check_factory(make, expected, dtype, requires_grad, compare_values=True):
    """`make(requires_grad)` against the numpy array `expected` of the right dtype."""
    if requires_grad and not np.issubdtype(expected.dtype, np.floating):
        with pytest.raises(TypeError):
            make(requires_grad)
        return
    t = make(requires_grad)
    assert isinstance(t, Tensor) and t.is_leaf and t.grad is None
    assert t.shape == expected.shape and t.dtype == expected.dtype
    assert t.requires_grad is requires_grad
    if compare_values:
        tolerance = 1e-3 if expected.dtype == np.float16 else 1e-6
        np.testing.assert_allclose(t.data, expected, rtol=tolerance, atol=tolerance)


@given(shape=shapes(max_dims=3, min_side=0, max_side=3), dtype=st.sampled_from(DTYPES),
       requires_grad=st.booleans(), source_dtype=st.sampled_from(DTYPES[1:]))
def test_shape_dtype_and_requires_grad_follow_numpy(shape, dtype, requires_grad,
                                                     source_dtype):
    want = expected_dtype(dtype)
    fill = 1 if want == np.bool_ else 2
    for make, expected, values in [
        (lambda g: zeros(shape, dtype, g), np.zeros(shape, want), True),
        (lambda g: ones(shape, dtype, g), np.ones(shape, want), True),
        (lambda g: full(shape, fill, dtype, g), np.full(shape, fill, want), True),
        (lambda g: empty(shape, dtype, g), np.empty(shape, want), False),
    ]:
        check_factory(make, expected, dtype, requires_grad, values)
    source = np.ones(shape, source_dtype)
    like = expected_dtype(dtype, source_dtype)
    for make, expected, values in [
        (lambda g: zeros_like(source, dtype, g), np.zeros_like(source, like), True),
        (lambda g: ones_like(Tensor(source), dtype, g), np.ones_like(source, like), True),
        (lambda g: full_like(source, fill, dtype, g), np.full_like(source, fill, like), True),
        (lambda g: empty_like(Tensor(source), dtype, g), np.empty_like(source, like), False),
    ]:
        check_factory(make, expected, dtype, requires_grad, values)


@given(n=st.integers(0, 4), m=st.none() | st.integers(0, 4), k=st.integers(-4, 4),
       dtype=st.sampled_from(DTYPES), requires_grad=st.booleans())
def test_eye_follows_numpy(n, m, k, dtype, requires_grad):
    check_factory(lambda g: eye(n, m, k, dtype, g), np.eye(n, m, k, expected_dtype(dtype)),
                  dtype, requires_grad)


@given(start=st.integers(-5, 5), stop=st.none() | st.integers(-5, 5),
       step=st.sampled_from([-3, -2, -1, 1, 2, 3]), as_float=st.booleans(),
       dtype=st.sampled_from(DTYPES[:6]), requires_grad=st.booleans())
def test_arange_follows_numpy(start, stop, step, as_float, dtype, requires_grad):
    if as_float:  # a float argument gives the default float dtype, not numpy's float64
        start, step = float(start), float(step)
    reference = np.arange(start, step=step) if stop is None else np.arange(start, stop, step)
    default = np.int64 if not as_float else None
    want = expected_dtype(dtype, default)
    check_factory(lambda g: arange(start, stop, step, dtype, g), reference.astype(want),
                  dtype, requires_grad)


@given(start=floats(), stop=floats(), num=st.integers(0, 6), endpoint=st.booleans(),
       dtype=st.sampled_from(DTYPES[:4]), requires_grad=st.booleans())
def test_linspace_follows_numpy(start, stop, num, endpoint, dtype, requires_grad):
    expected = np.linspace(start, stop, num, endpoint).astype(expected_dtype(dtype))
    check_factory(lambda g: linspace(start, stop, num, endpoint, dtype, g), expected, dtype,
                  requires_grad)
