"""Tensor itself: dtype rules, attributes, conversions, repr, comparisons, identity hashing,
and numerical stability of the saturating ops."""

import warnings

import numpy as np
import pytest

import autograd as ag
from autograd import Tensor


# ---------------------------------------------------------------------- dtype rules
def test_python_scalars_and_lists_become_float32_by_default():
    assert Tensor(1.5).dtype == np.float32
    assert Tensor([1, 2, 3]).dtype == np.float32
    assert Tensor([[1.0, 2.0]]).dtype == np.float32
    assert ag.get_default_dtype() == np.float32


def test_set_default_dtype_changes_and_is_restored():
    try:
        ag.set_default_dtype(np.float64)
        assert Tensor([1.0, 2.0]).dtype == np.float64
        assert Tensor(3).dtype == np.float64
    finally:
        ag.set_default_dtype(np.float32)
    assert Tensor([1.0]).dtype == np.float32
    with pytest.raises(TypeError):
        ag.set_default_dtype(np.int32)


def test_numpy_arrays_keep_their_dtype():
    assert Tensor(np.array([1.0, 2.0])).dtype == np.float64
    assert Tensor(np.zeros(2, dtype=np.float32)).dtype == np.float32
    assert Tensor(np.float64(2.0)).dtype == np.float64
    data = np.arange(3.0)
    assert Tensor(data).data is data  # wrapped, not copied


def test_a_python_or_numpy_scalar_does_not_upcast_float32():
    x = Tensor(np.array([1.0, 2.0], dtype=np.float32), requires_grad=True)
    for y in [x * 2.5, 2.5 * x, x + 1, x / np.float64(2.5), x * np.float64(2.5),
              np.float64(2.5) - x, x ** 2, 2.0 ** x, ag.maximum(x, 0.5), ag.where(
                  np.array([True, False]), x, 0.0)]:
        assert y.dtype == np.float32, y
    (x * np.float64(2.5)).sum().backward()
    assert x.grad.dtype == np.float32
    np.testing.assert_allclose(x.grad.data, [2.5, 2.5])


def test_float64_tensors_stay_float64():
    x = Tensor(np.array([1.0]))
    assert (x * 2.5).dtype == np.float64 and (x + Tensor(np.ones(1))).dtype == np.float64


def test_requires_grad_on_integer_or_bool_data_is_a_type_error():
    with pytest.raises(TypeError, match="floating"):
        Tensor(np.array([1, 2]), requires_grad=True)
    with pytest.raises(TypeError, match="floating"):
        Tensor(np.array([True]), requires_grad=True)
    with pytest.raises(TypeError):
        Tensor(np.arange(3)).requires_grad_()


# ---------------------------------------------------------------------- attributes
def test_attributes():
    data = np.arange(6.0).reshape(2, 3)
    x = Tensor(data, requires_grad=True, name="x")
    assert x.data is data
    assert x.shape == (2, 3) and x.ndim == 2 and x.size == 6 and x.dtype == np.float64
    assert x.grad is None and x.requires_grad and x.grad_fn is None and x.is_leaf
    assert x.name == "x"
    assert x.T.shape == (3, 2)
    np.testing.assert_array_equal(x.T.data, data.T)
    y = x * 2
    assert not y.is_leaf and type(y.grad_fn).__name__ == "Mul" and y.requires_grad
    assert Tensor(1.0).name is None


def test_numpy_item_and_asarray():
    x = Tensor(np.array([[1.5, 2.0]]))
    assert x.numpy() is x.data
    np.testing.assert_array_equal(np.asarray(x), [[1.5, 2.0]])
    assert np.asarray(x, dtype=np.float32).dtype == np.float32
    assert Tensor(np.array(2.5)).item() == 2.5
    assert isinstance(Tensor(np.array([2.5])).item(), float)
    assert float(Tensor(np.array(1.5))) == 1.5
    with pytest.raises(ValueError, match="one element"):
        x.item()
    assert x.tolist() == [[1.5, 2.0]]
    assert len(x) == 1 and [t.shape for t in x] == [(2,)]


def test_repr_shows_values_and_grad_fn():
    x = Tensor([1.0, 2.0], requires_grad=True)
    y = x * 3
    text = repr(y)
    assert "3." in text and "6." in text
    assert "grad_fn=<Mul>" in text
    assert "requires_grad=True" in repr(x)
    assert "dtype=float64" in repr(Tensor(np.array([1.0])))


def test_comparisons_are_elementwise_and_not_differentiable():
    x = Tensor(np.array([1.0, 2.0, 3.0]), requires_grad=True)
    for result, expected in [(x > 2, [False, False, True]), (x >= 2, [False, True, True]),
                             (x < 2, [True, False, False]), (x <= 2, [True, True, False]),
                             (x == 2, [False, True, False]), (x != 2, [True, False, True]),
                             (x == Tensor(np.array([1.0, 0.0, 3.0])), [True, False, True])]:
        assert isinstance(result, Tensor)
        assert result.dtype == bool and not result.requires_grad and result.grad_fn is None
        np.testing.assert_array_equal(result.data, expected)


def test_tensors_hash_by_identity():
    a = Tensor(np.array([1.0]))
    b = Tensor(np.array([1.0]))
    assert len({a, b}) == 2
    table = {a: "a", b: "b"}
    assert table[a] == "a" and table[b] == "b"
    assert a in {a} and b not in {a}


def test_ndarray_on_the_left_gives_a_tensor():
    x = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    for y in [np.ones(2) + x, np.ones(2) * x, np.ones(2) - x, np.ones(2) / x,
              np.eye(2) @ x]:
        assert isinstance(y, Tensor) and y.requires_grad
    (np.array([3.0, 4.0]) * x).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [3.0, 4.0])


# ---------------------------------------------------------------------- stability
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sigmoid_is_finite_and_warning_free_at_extremes(dtype):
    x = Tensor(np.array([-1000.0, -50.0, 0.0, 50.0, 1000.0], dtype=dtype), requires_grad=True)
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        y = x.sigmoid()
        y.sum().backward()
    assert y.dtype == dtype and x.grad.dtype == dtype
    np.testing.assert_allclose(y.data, [0.0, 0.0, 0.5, 1.0, 1.0], atol=1e-20)
    assert np.isfinite(x.grad.data).all()
    np.testing.assert_allclose(x.grad.data, [0.0, 0.0, 0.25, 0.0, 0.0], atol=1e-20)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_softmax_family_is_finite_for_huge_logits(dtype):
    logits = np.array([[1e4, -1e4, 0.0], [-1e4, -1e4, -1e4]], dtype=dtype)
    x = Tensor(logits, requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        p = x.softmax(axis=1)
        log_p = x.log_softmax(axis=1)
        lse = x.logsumexp(axis=1)
        (p.sum() + log_p[:, 0].sum() + lse.sum()).backward()
    np.testing.assert_allclose(p.data, [[1, 0, 0], [1 / 3, 1 / 3, 1 / 3]], atol=1e-6)
    np.testing.assert_allclose(log_p.data[0], [0.0, -2e4, -1e4], rtol=1e-6)
    np.testing.assert_allclose(lse.data, [1e4, -1e4 + np.log(3)], rtol=1e-6)
    assert np.isfinite(x.grad.data).all()


def test_flatten_merges_the_axes_from_start_dim_to_end_dim_as_pytorch():
    x = Tensor(np.arange(2 * 3 * 4 * 5, dtype=np.float64).reshape(2, 3, 4, 5),
               requires_grad=True)
    assert x.flatten().shape == (120,)
    assert x.flatten(1).shape == (2, 60)
    assert x.flatten(1, 2).shape == (2, 12, 5)
    assert x.flatten(-2).shape == (2, 3, 20)
    assert x.flatten(2, 2).shape == (2, 3, 4, 5)
    np.testing.assert_array_equal(x.flatten(1).data, x.data.reshape(2, 60))
    x.flatten(1, 2).sum().backward()
    np.testing.assert_array_equal(x.grad.data, np.ones((2, 3, 4, 5)))
    assert Tensor(3.0).flatten().shape == (1,)
    assert Tensor(np.zeros((0, 3))).flatten(1).shape == (0, 3)


@pytest.mark.parametrize("args, message", [
    ((4,), "start_dim=4 is out of range for a tensor of 4 dimensions"),
    ((0, -5), "end_dim=-5 is out of range"),
    ((2, 1), "start_dim 2 comes after end_dim 1"),
    ((1.0,), "start_dim=1.0 is out of range"),
])
def test_flatten_refuses_bad_dims(args, message):
    with pytest.raises(ValueError, match=message):
        Tensor(np.zeros((2, 3, 4, 5))).flatten(*args)


@pytest.mark.parametrize("name", [
    "sin", "cos", "tan", "arctan", "sinh", "cosh", "arcsinh", "exp2", "expm1", "square",
    "sign", "floor", "ceil", "trunc"])
def test_numpy_method_spellings_of_elementwise_ops(name):
    data = np.array([[0.3, -0.7], [1.2, 0.05]])
    x = Tensor(data, requires_grad=True)
    out = getattr(x, name)()
    np.testing.assert_allclose(out.data, getattr(np, name)(data))
    np.testing.assert_allclose(out.data, getattr(ag, name)(x).data)
    out.sum().backward()
    assert x.grad is not None and x.grad.shape == data.shape


def test_numpy_method_spellings_of_reductions():
    data = np.array([[1.0, 2.0, 0.5], [3.0, -1.0, 4.0]])
    x = Tensor(data, requires_grad=True)
    np.testing.assert_allclose(x.var(axis=1, ddof=1).data, data.var(axis=1, ddof=1))
    np.testing.assert_allclose(x.std().data, data.std())
    np.testing.assert_allclose(x.prod(axis=0, keepdims=True).data,
                               data.prod(axis=0, keepdims=True))
    np.testing.assert_allclose(x.cumsum(1).data, data.cumsum(1))
    np.testing.assert_allclose(x.cumprod().data, data.cumprod())
    np.testing.assert_allclose(x.ptp(axis=0).data, np.ptp(data, axis=0))
    np.testing.assert_allclose(x.round(0).data, data.round(0))
    assert x.argmin() == data.argmin() and bool(x.any().data) and bool(x.all().data)
    (x.var() + x.prod()).backward()
    expected = 2 * (data - data.mean()) / data.size + data.prod() / data
    np.testing.assert_allclose(x.grad.data, expected)
    for name in ("log2", "log10", "log1p", "reciprocal", "arccosh"):
        y = Tensor(np.array([1.5, 2.0]), requires_grad=True)
        np.testing.assert_allclose(getattr(y, name)().data, getattr(np, name)(y.data))
    for name in ("arcsin", "arccos", "arctanh"):
        y = Tensor(np.array([0.25, -0.5]), requires_grad=True)
        np.testing.assert_allclose(getattr(y, name)().data, getattr(np, name)(y.data))
