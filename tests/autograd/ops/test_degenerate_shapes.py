"""Empty and degenerate shapes (issue 19, item 10): the products of empty vectors and matrices
give numpy's answer (an empty sum is 0) and conv2d and pooling with a batch of 0, or with 0
input or output channels, give the empty (or bias-only) output of PyTorch's shape rule.
Every gradient is an ndarray of its input's shape and dtype: empty for an empty input, zeros
for a non-empty input that only meets empty axes, and finite differences agree (first and
second order)."""

import numpy as np
import pytest

import autograd as ag
from autograd import Tensor, grad
from autograd.ops.conv import conv2d, fold, unfold
from autograd.ops.pool import avg_pool2d, max_pool2d
from autograd.testing import check_gradients
from tests.autograd.ops.test_conv import naive_conv2d, out_side
from tests.autograd.ops.test_pool import loop_pool

rng = np.random.default_rng(19)


def _inputs(*shapes):
    return [Tensor(rng.normal(size=s), requires_grad=True) for s in shapes]


def _gradients_fit(inputs, out):
    """Backward of Σ out·G: each input's .grad an ndarray of its shape and dtype."""
    (out * Tensor(rng.normal(size=out.shape))).sum().backward()
    for x in inputs:
        assert type(x.grad.data) is np.ndarray
        assert x.grad.shape == x.shape and x.grad.dtype == x.dtype
    return [x.grad.data for x in inputs]


# ---------------------------------------------------------------------- products
# name -> (ours, numpy's, input shapes)
PRODUCTS = {
    "inner_empty_vectors": (ag.inner, np.inner, [(0,), (0,)]),
    "inner_rows_of_nothing": (ag.inner, np.inner, [(2, 0), (3, 0)]),
    "inner_no_rows": (ag.inner, np.inner, [(0, 3), (2, 3)]),
    "dot_empty_vectors": (ag.dot, np.dot, [(0,), (0,)]),
    "dot_empty_inner_axis": (ag.dot, np.dot, [(2, 0), (0, 3)]),
    "dot_no_rows": (ag.dot, np.dot, [(0, 2), (2, 3)]),
    "dot_nd_empty_inner_axis": (ag.dot, np.dot, [(2, 3, 0), (4, 0, 5)]),
    "dot_nd_empty_batch": (ag.dot, np.dot, [(2, 0, 3), (4, 3, 5)]),
    "vdot_empty": (ag.vdot, np.vdot, [(0,), (0,)]),
    "vdot_empty_matrices": (ag.vdot, np.vdot, [(2, 0), (0, 3)]),
    "vdot_matrices": (ag.vdot, np.vdot, [(2, 3), (3, 2)]),
    "outer_empty": (ag.outer, np.outer, [(0,), (3,)]),
    "outer_empty_matrix": (ag.outer, np.outer, [(2, 0), (3,)]),
    "matmul_empty_inner_axis": (ag.matmul, np.matmul, [(2, 0), (0, 3)]),
    "matmul_empty_vectors": (ag.matmul, np.matmul, [(0,), (0,)]),
    "matmul_vector_matrix": (ag.matmul, np.matmul, [(0,), (0, 3)]),
    "matmul_matrix_vector": (ag.matmul, np.matmul, [(2, 0), (0,)]),
    "matmul_no_rows": (ag.matmul, np.matmul, [(0, 2), (2, 3)]),
    "matmul_empty_batch": (ag.matmul, np.matmul, [(0, 2, 2), (2, 3)]),
    "matmul_broadcast": (ag.matmul, np.matmul, [(3, 1, 1, 0), (2, 0, 4)]),
    "tensordot_1_empty": (lambda a, b: ag.tensordot(a, b, 1),
                          lambda a, b: np.tensordot(a, b, 1), [(0,), (0,)]),
    "tensordot_1_inner": (lambda a, b: ag.tensordot(a, b, 1),
                          lambda a, b: np.tensordot(a, b, 1), [(2, 0), (0, 3)]),
    "tensordot_2": (ag.tensordot, np.tensordot, [(2, 0, 3), (0, 3, 4)]),
    "tensordot_0": (lambda a, b: ag.tensordot(a, b, 0),
                    lambda a, b: np.tensordot(a, b, 0), [(0, 2), (3,)]),
    "tensordot_pairs": (lambda a, b: ag.tensordot(a, b, ([1], [0])),
                        lambda a, b: np.tensordot(a, b, ([1], [0])), [(3, 0), (0, 0)]),
    "einsum_inner": (lambda a, b: ag.einsum("i,i", a, b),
                     lambda a, b: np.einsum("i,i", a, b), [(0,), (0,)]),
    "einsum_matmul": (lambda a, b: ag.einsum("ij,jk->ik", a, b),
                      lambda a, b: np.einsum("ij,jk->ik", a, b), [(2, 0), (0, 3)]),
    "einsum_batch": (lambda a, b: ag.einsum("bij,bjk->bik", a, b),
                     lambda a, b: np.einsum("bij,bjk->bik", a, b), [(0, 2, 3), (0, 3, 2)]),
    "einsum_trace": (lambda a: ag.einsum("ii", a), lambda a: np.einsum("ii", a), [(0, 0)]),
    "einsum_sum": (lambda a: ag.einsum("ij->", a), lambda a: np.einsum("ij->", a), [(2, 0)]),
    "einsum_ellipsis": (lambda a, b: ag.einsum("...i,...i", a, b),
                        lambda a, b: np.einsum("...i,...i", a, b), [(0, 3), (1, 3)]),
    "kron": (ag.kron, np.kron, [(0,), (3,)]),
    "trace": (ag.trace, np.trace, [(0, 0)]),
}


@pytest.mark.parametrize("name", sorted(PRODUCTS))
def test_products_of_empty_shapes_agree_with_numpy(name):
    fn, np_fn, shapes = PRODUCTS[name]
    inputs = _inputs(*shapes)
    out = fn(*inputs)
    expected = np_fn(*[x.data for x in inputs])
    assert type(out.data) is np.ndarray and out.shape == np.shape(expected)
    assert out.dtype == np.float64
    np.testing.assert_array_equal(out.data, expected)
    _gradients_fit(inputs, out)
    check_gradients(fn, *_inputs(*shapes), second_order=True)


def test_an_empty_sum_is_zero_and_its_gradients_are_zeros():
    a, b = _inputs((0,), (0,))
    out = ag.inner(a, b)  # "cannot reshape array of size 0" before
    assert out.shape == () and out.item() == 0.0
    out.backward()
    assert a.grad.shape == b.grad.shape == (0,)
    a, b = _inputs((2, 0), (0, 3))
    out = a @ b
    np.testing.assert_array_equal(out.data, np.zeros((2, 3)))
    # no rows: the other operand meets only empty axes, so its gradient is 0, not missing
    a, b = _inputs((0, 2), (2, 3))
    (grad_a, grad_b) = _gradients_fit([a, b], ag.tensordot(a, b, 1))
    assert grad_a.shape == (0, 2)
    np.testing.assert_array_equal(grad_b, np.zeros((2, 3)))


# ---------------------------------------------------------------------- conv2d
# (x shape, weight shape, with a bias, keyword arguments)
CONVOLUTIONS = {
    "batch_0": ((0, 3, 5, 5), (4, 3, 3, 3), True, {}),
    "batch_0_strided": ((0, 2, 6, 5), (3, 2, 2, 3), True,
                        dict(stride=2, padding=1, dilation=(1, 2))),
    "no_output_channels": ((2, 3, 5, 5), (0, 3, 3, 3), True, {}),
    "no_output_channels_padded": ((2, 3, 4, 4), (0, 3, 3, 3), False, dict(padding=1)),
    "no_input_channels": ((2, 0, 5, 5), (4, 0, 3, 3), True, {}),
    "no_input_channels_no_bias": ((2, 0, 5, 4), (3, 0, 2, 2), False, dict(stride=(2, 1))),
    "nothing": ((0, 0, 4, 4), (0, 0, 3, 3), True, {}),
}


def _conv_case(name):
    x_shape, w_shape, with_bias, kwargs = CONVOLUTIONS[name]
    inputs = _inputs(x_shape, w_shape, *([(w_shape[0],)] if with_bias else []))
    return inputs, (lambda x, w, b=None: conv2d(x, w, b, **kwargs)), kwargs


@pytest.mark.parametrize("name", sorted(CONVOLUTIONS))
def test_conv2d_of_empty_shapes(name):
    inputs, fn, kwargs = _conv_case(name)
    x, w = inputs[:2]
    b = inputs[2] if len(inputs) > 2 else None
    pairs = {k: (v, v) if isinstance(v, int) else v for k, v in kwargs.items()}
    stride, padding, dilation = (pairs.get("stride", (1, 1)), pairs.get("padding", (0, 0)),
                                 pairs.get("dilation", (1, 1)))
    out = fn(*inputs)
    # PyTorch's shape rule; with no input channels each output is the bias alone
    expected = naive_conv2d(x.data, w.data, None if b is None else b.data, stride, padding,
                            dilation)
    sides = tuple(out_side(*a) for a in zip(x.shape[2:], w.shape[2:], stride, padding,
                                            dilation))
    assert out.shape == (x.shape[0], w.shape[0]) + sides == expected.shape
    np.testing.assert_allclose(out.data, expected, rtol=1e-12, atol=1e-12)
    grads = _gradients_fit(inputs, out)
    if out.size == 0:  # nothing flows back: each non-empty gradient is zeros
        for g in grads:
            np.testing.assert_array_equal(g, 0.0)
    check_gradients(fn, *_conv_case(name)[0], second_order=True)


def test_conv2d_without_input_channels_gives_the_bias_and_its_gradient():
    x, w, b = _inputs((2, 0, 4, 4), (3, 0, 2, 2), (3,))
    out = conv2d(x, w, b)
    np.testing.assert_array_equal(out.data, np.broadcast_to(b.data[:, None, None], (2, 3, 3, 3)))
    out.sum().backward()
    np.testing.assert_array_equal(b.grad.data, np.full(3, 2 * 3 * 3.0))  # N·OH·OW each
    assert x.grad.shape == (2, 0, 4, 4) and w.grad.shape == (3, 0, 2, 2)


@pytest.mark.parametrize("shape", [(0, 3, 5, 5), (2, 0, 5, 5)])
def test_unfold_and_fold_of_empty_shapes(shape):
    x = Tensor(rng.normal(size=shape), requires_grad=True)
    cols = unfold(x, 3, padding=1)
    assert cols.shape == (shape[0], shape[1] * 9, 25)
    check_gradients(lambda x: unfold(x, 3, padding=1), x, second_order=True)
    c = Tensor(rng.normal(size=cols.shape), requires_grad=True)
    assert fold(c, (5, 5), 3, padding=1).shape == shape
    check_gradients(lambda c: fold(c, (5, 5), 3, padding=1), c, second_order=True)


# ---------------------------------------------------------------------- pooling
POOLINGS = [((0, 3, 4, 4), dict(kernel_size=2)),
            ((0, 2, 5, 6), dict(kernel_size=3, stride=1, padding=1)),
            ((0, 1, 7, 5), dict(kernel_size=(3, 2), stride=(2, 3))),
            ((2, 0, 4, 4), dict(kernel_size=2)),
            ((2, 0, 5, 5), dict(kernel_size=3, stride=2, padding=1))]


@pytest.mark.parametrize("kind, pool", [("max", max_pool2d), ("avg", avg_pool2d)])
@pytest.mark.parametrize("shape, kwargs", POOLINGS)
def test_pooling_of_empty_shapes(kind, pool, shape, kwargs):
    x = Tensor(rng.normal(size=shape), requires_grad=True)
    out = pool(x, **kwargs)
    kernel = kwargs["kernel_size"]
    kernel = (kernel, kernel) if isinstance(kernel, int) else kernel
    stride = kwargs.get("stride", kernel)
    stride = (stride, stride) if isinstance(stride, int) else stride
    padding = kwargs.get("padding", 0)
    padding = (padding, padding)
    expected, _ = loop_pool(x.data, kernel, stride, padding, kind)
    assert out.shape == expected.shape and out.shape[:2] == shape[:2]
    assert type(out.data) is np.ndarray and out.dtype == x.dtype
    _gradients_fit([x], out)
    check_gradients(lambda x: pool(x, **kwargs), Tensor(x.data.copy(), requires_grad=True),
                    second_order=True)


def test_pooling_an_empty_batch_with_create_graph():
    x = Tensor(np.zeros((0, 2, 4, 4)), requires_grad=True)
    for pool in (max_pool2d, avg_pool2d):
        (g,) = grad(pool(x, 2).sum(), x, create_graph=True)
        assert type(g.data) is np.ndarray and g.shape == x.shape and g.dtype == x.dtype


@pytest.mark.parametrize("shape", [(2, 3, 0), (0, 3, 4), (2, 0, 4)])
def test_affine_with_an_empty_axis(shape):
    # the layer's xW + b on a batch with leading axes: W's gradient sums over every row
    rng = np.random.default_rng(0)
    x = Tensor(rng.normal(size=shape), requires_grad=True)
    w = Tensor(rng.normal(size=(shape[-1], 2)), requires_grad=True)
    b = Tensor(rng.normal(size=(2,)), requires_grad=True)
    y = ag.affine(x, w, b)
    np.testing.assert_array_equal(y.data, x.data @ w.data + b.data)
    (y * 1.5).sum().backward()
    rows = x.data.reshape(int(np.prod(shape[:-1])), shape[-1])
    np.testing.assert_array_equal(w.grad.data, rows.T @ np.full((len(rows), 2), 1.5))
    np.testing.assert_array_equal(b.grad.data, np.full(2, 1.5 * len(rows)))
    for t in (x, w, b):
        assert type(t.grad.data) is np.ndarray and t.grad.shape == t.shape


def test_vdot_of_different_sizes_is_refused():
    with pytest.raises(ValueError, match=r"vdot: shapes \(2,\) and \(3,\) have different sizes"):
        ag.vdot(Tensor(np.ones(2)), Tensor(np.ones(3)))
