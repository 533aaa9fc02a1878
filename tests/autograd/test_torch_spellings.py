"""PyTorch's spellings with numpy's meaning (ARCHITECTURE.md, "numpy interop"): dim=/keepdim= give
the same values and gradients as axis=/keepdims= on every function and method that takes an
axis; unsqueeze, view, permute, t(), ... are the numpy ops they name; a call that can only
be a PyTorch habit with another meaning here raises and says what to write."""

import numpy as np
import pytest

import autograd as ag
from autograd import Tensor

rng = np.random.default_rng(11)


def t(*shape):
    return Tensor(rng.uniform(0.5, 2.0, shape), requires_grad=True)


def same(a, b):
    """Same values and, for Tensors in the graph, the same gradient of a random projection."""
    a_data, b_data = (x.data if isinstance(x, Tensor) else np.asarray(x) for x in (a, b))
    np.testing.assert_array_equal(a_data, b_data)


# name -> (the call with numpy's keywords, the same call with PyTorch's)
KEYWORD_PAIRS = {
    "sum": (lambda x: ag.sum(x, axis=1, keepdims=True), lambda x: ag.sum(x, dim=1, keepdim=True)),
    "mean": (lambda x: x.mean(axis=0), lambda x: x.mean(dim=0)),
    "logsumexp": (lambda x: ag.logsumexp(x, axis=1), lambda x: ag.logsumexp(x, dim=1)),
    "logsumexp_method": (lambda x: x.logsumexp(axis=1, keepdims=True),
                         lambda x: x.logsumexp(dim=1, keepdim=True)),
    "prod": (lambda x: x.prod(axis=1), lambda x: x.prod(dim=1)),
    "cumsum": (lambda x: ag.cumsum(x, axis=1), lambda x: ag.cumsum(x, dim=1)),
    "cumprod": (lambda x: x.cumprod(axis=0), lambda x: x.cumprod(dim=0)),
    "norm": (lambda x: ag.norm(x, axis=1), lambda x: ag.norm(x, dim=1)),
    "average": (lambda x: ag.average(x, axis=0), lambda x: ag.average(x, dim=0)),
    "ptp": (lambda x: x.ptp(axis=1), lambda x: x.ptp(dim=1)),
    "var_ddof": (lambda x: x.var(axis=0, ddof=1), lambda x: x.var(dim=0, ddof=1)),
    "std_ddof": (lambda x: ag.std(x, axis=1, ddof=0), lambda x: ag.std(x, dim=1, ddof=0)),
    "softmax": (lambda x: ag.softmax(x, axis=0), lambda x: ag.softmax(x, dim=0)),
    "log_softmax": (lambda x: x.log_softmax(axis=0), lambda x: x.log_softmax(dim=0)),
    "concatenate": (lambda x: ag.concatenate([x, x], axis=1), lambda x: ag.cat([x, x], dim=1)),
    "stack": (lambda x: ag.stack([x, x], axis=2), lambda x: ag.stack([x, x], dim=2)),
    "expand_dims": (lambda x: ag.expand_dims(x, axis=1), lambda x: x.unsqueeze(1)),
    "squeeze": (lambda x: x[:, :1].squeeze(axis=1), lambda x: x[:, :1].squeeze(dim=1)),
    "repeat": (lambda x: ag.repeat(x, 2, axis=0), lambda x: x.repeat(2, dim=0)),
    "take": (lambda x: x.take([0, 2], axis=1), lambda x: ag.take(x, [0, 2], dim=1)),
    "take_along_axis": (lambda x: ag.take_along_axis(x, np.array([[1], [0], [2]]), axis=1),
                        lambda x: ag.take_along_axis(x, np.array([[1], [0], [2]]), dim=1)),
    "argmax": (lambda x: x.argmax(axis=1, keepdims=True), lambda x: x.argmax(dim=1, keepdim=True)),
    "argmin": (lambda x: ag.argmin(x, axis=0), lambda x: ag.argmin(x, dim=0)),
    "argsort": (lambda x: x.argsort(axis=0), lambda x: ag.argsort(x, dim=0)),
    "any": (lambda x: (x > 1).any(axis=1), lambda x: (x > 1).any(dim=1)),
    "all": (lambda x: ag.all(x > 1, axis=0, keepdims=True),
            lambda x: ag.all(x > 1, dim=0, keepdim=True)),
}


@pytest.mark.parametrize("name", sorted(KEYWORD_PAIRS))
def test_dim_and_keepdim_mean_axis_and_keepdims(name):
    numpy_call, torch_call = KEYWORD_PAIRS[name]
    x = t(3, 4)
    a, b = numpy_call(x), torch_call(x)
    same(a, b)
    if isinstance(a, Tensor) and a.requires_grad:
        g = rng.normal(size=a.shape)
        (ga,) = ag.grad(a, [x], Tensor(g))
        (gb,) = ag.grad(b, [x], Tensor(g))
        np.testing.assert_array_equal(ga.data, gb.data)


def test_both_spellings_at_once_is_an_error():
    x = t(2, 3)
    with pytest.raises(TypeError, match=r"sum\(\) got both axis= and its PyTorch spelling dim="):
        ag.sum(x, axis=0, dim=0)
    with pytest.raises(TypeError, match=r"both keepdims= and .* keepdim="):
        x.mean(axis=0, keepdims=True, keepdim=True)


@pytest.mark.parametrize("call, advice", [
    (lambda x: x.max(dim=1), r"returns \(values, indices\).*max\(x, axis=d\).*argmax"),
    (lambda x: ag.min(x, dim=0), r"returns \(values, indices\).*min\(x, axis=d\).*argmin"),
    (lambda x: ag.sort(x, dim=0), r"returns \(values, indices\).*sort\(x, axis=d\).*argsort"),
    (lambda x: x.var(dim=0), r"n − 1 by default.*var\(x, axis=d, ddof=1\)"),
    (lambda x: ag.std(x, dim=1), r"n − 1 by default.*std\(x, axis=d, ddof=1\)"),
    (lambda x: ag.split(x, 2, dim=1), r"pieces of that size.*split\(x, n, axis=d\)"),
    (lambda x: x.size(), r"t\.size is numpy's number of elements \(6\).*t\.shape"),
    (lambda x: x.reshape(1, 2, 3).transpose(0, 1), r"permutation of all the axes.*swapaxes"),
    (lambda x: x.reshape(1, 2, 3).t(), r"at most 2 dimensions"),
])
def test_a_pytorch_habit_with_another_meaning_raises_and_says_what_to_write(call, advice):
    with pytest.raises((TypeError, ValueError), match=advice):
        call(t(2, 3))


def test_numpy_meanings_where_pytorch_means_something_else():
    x = t(2, 3)
    assert x.size == 6 and isinstance(x.size, int)  # numpy's count, PyTorch's numel()
    same(x.transpose(0, 1), x)  # numpy: the identity permutation of a 2-D tensor
    same(x.max(1), x.data.max(1))  # numpy: the values only
    same(x.repeat(2), np.repeat(x.data, 2))  # numpy's repeat (PyTorch's is tile)
    same(x.var(0), x.data.var(0))  # ddof=0


def test_pytorch_methods_are_the_numpy_ops_they_name():
    x = t(2, 3)
    same(x.unsqueeze(-1), x.data[..., None])
    same(x.view(3, 2), x.data.reshape(3, 2))
    same(x.view((6,)), x.data.ravel())
    same(x.permute(1, 0), x.data.T)
    same(x.reshape(1, 2, 3).permute((2, 0, 1)), x.data.reshape(1, 2, 3).transpose(2, 0, 1))
    same(x.t(), x.data.T)
    same(x[0].t(), x.data[0])
    assert x.dim() == 2 and x.numel() == 6
    same(x.pow(2), x.data ** 2)
    same(x.matmul(x.T), x.data @ x.data.T)
    same(x.clamp(0.8, 1.2), np.clip(x.data, 0.8, 1.2))
    assert x.float().dtype == np.float32 and x.double().dtype == np.float64
    assert x.half().dtype == np.float16
    same(x.clone(), x.data)
    same(x.log1p(), np.log1p(x.data))
    # they are in the graph
    (g,) = ag.grad((x.float().double() * x.t().t()).sum(), [x])
    np.testing.assert_allclose(g.data, 2 * x.data, rtol=1e-6)


def test_numpy_methods_added_for_numpy_users():
    x = t(3, 3)
    same(x.ravel(), x.data.ravel())
    same(x.copy(), x.data)
    assert x.copy() is not x and x.copy().requires_grad
    same(x.dot(x), x.data.dot(x.data))
    same(x.diagonal(1), x.data.diagonal(1))
    same(x.trace(), x.data.trace())
    same(x.take([0, 4]), x.data.take([0, 4]))
    same(x.argsort(axis=0), x.data.argsort(axis=0))


def test_clip_takes_numpys_keywords():
    x = Tensor(np.array([-2.0, 0.5, 3.0]), requires_grad=True)
    same(ag.clip(x, a_min=0.0, a_max=1.0), [0.0, 0.5, 1.0])
    same(ag.clip(x, a_max=1.0), [-2.0, 0.5, 1.0])
    with pytest.raises(TypeError, match="a bound twice"):
        ag.clip(x, 0.0, a_min=1.0)
    with pytest.raises(ValueError, match="clip needs min or max"):
        ag.clip(x)


def test_index_update_is_the_functional_setitem():
    x = Tensor(np.array([1.0, 2.0, 3.0]), requires_grad=True)
    v = Tensor(np.array(5.0), requires_grad=True)
    y = ag.index_update(x, 1, v)
    same(y, [1.0, 5.0, 3.0])
    same(x, [1.0, 2.0, 3.0])  # out of place
    (y * Tensor(np.array([1.0, 2.0, 3.0]))).sum().backward()
    same(x.grad, [1.0, 0.0, 3.0])
    same(v.grad, 2.0)
