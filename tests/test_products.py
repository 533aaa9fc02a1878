"""The products of autograd.ops.products: values equal numpy's on random float64 inputs of a
few shapes each, gradients against finite differences and second derivatives, float32 kept,
and bad shapes answered by an error naming the op and both shapes."""

import numpy as np
import pytest

import autograd as ag
from autograd import Tensor, gradcheck, gradgradcheck

rng = np.random.default_rng(3)


def arr(*shape):
    return rng.normal(size=shape)


# name -> (our function, numpy's function, input arrays)
CASES = {
    "dot_vv": (ag.dot, np.dot, (arr(4), arr(4))),
    "dot_mv": (ag.dot, np.dot, (arr(3, 4), arr(4))),
    "dot_mm": (ag.dot, np.dot, (arr(3, 4), arr(4, 2))),
    "dot_nd": (ag.dot, np.dot, (arr(2, 3, 4), arr(2, 4, 3))),
    "dot_scalar": (ag.dot, np.dot, (arr(), arr(2, 3))),
    "outer": (ag.outer, np.outer, (arr(3), arr(2, 2))),
    "inner_vv": (ag.inner, np.inner, (arr(4), arr(4))),
    "inner_nd": (ag.inner, np.inner, (arr(2, 3), arr(4, 3))),
    "tensordot_2": (ag.tensordot, np.tensordot, (arr(2, 3, 4), arr(3, 4, 2))),
    "tensordot_1": (lambda a, b: ag.tensordot(a, b, 1), lambda a, b: np.tensordot(a, b, 1),
                    (arr(2, 3), arr(3, 2))),
    "tensordot_0": (lambda a, b: ag.tensordot(a, b, 0), lambda a, b: np.tensordot(a, b, 0),
                    (arr(2), arr(3))),
    "tensordot_pairs": (lambda a, b: ag.tensordot(a, b, ([0, 2], [2, 0])),
                        lambda a, b: np.tensordot(a, b, ([0, 2], [2, 0])),
                        (arr(2, 3, 4), arr(4, 3, 2))),
    "einsum_matmul": (lambda a, b: ag.einsum("ij,jk->ik", a, b),
                      lambda a, b: np.einsum("ij,jk->ik", a, b), (arr(3, 4), arr(4, 2))),
    "einsum_implicit": (lambda a, b: ag.einsum("ij,jk", a, b),
                        lambda a, b: np.einsum("ij,jk", a, b), (arr(3, 4), arr(4, 2))),
    "einsum_implicit_order": (lambda a: ag.einsum("ji", a), lambda a: np.einsum("ji", a),
                              (arr(2, 3),)),
    "einsum_sum": (lambda a: ag.einsum("ij->", a), lambda a: np.einsum("ij->", a),
                   (arr(2, 3),)),
    "einsum_batch_three": (lambda a, b, c: ag.einsum("bij,bjk,k->bi", a, b, c),
                           lambda a, b, c: np.einsum("bij,bjk,k->bi", a, b, c),
                           (arr(2, 3, 4), arr(2, 4, 2), arr(2))),
    "einsum_summed_alone": (lambda a, b: ag.einsum("ij,k->k", a, b),
                            lambda a, b: np.einsum("ij,k->k", a, b), (arr(2, 3), arr(4))),
    "kron_2d": (ag.kron, np.kron, (arr(2, 3), arr(3, 2))),
    "kron_1d": (ag.kron, np.kron, (arr(3), arr(2))),
    "kron_mixed": (ag.kron, np.kron, (arr(2), arr(2, 3))),
    "trace": (ag.trace, np.trace, (arr(3, 4),)),
    "trace_offset": (lambda a: ag.trace(a, 1, 2, 0), lambda a: np.trace(a, 1, 2, 0),
                     (arr(3, 2, 4),)),
    "diag_embed": (ag.diag, np.diag, (arr(3),)),
    "diag_embed_k": (lambda v: ag.diag(v, -2), lambda v: np.diag(v, -2), (arr(3),)),
    "diag_read": (ag.diag, np.diag, (arr(3, 4),)),
    "diag_read_k": (lambda m: ag.diag(m, 1), lambda m: np.diag(m, 1), (arr(4, 3),)),
    "diagonal": (ag.diagonal, np.diagonal, (arr(3, 4),)),
    "diagonal_axes": (lambda a: ag.diagonal(a, -1, 2, 0), lambda a: np.diagonal(a, -1, 2, 0),
                      (arr(4, 2, 3),)),
    "tril": (ag.tril, np.tril, (arr(3, 4),)),
    "tril_k": (lambda m: ag.tril(m, -1), lambda m: np.tril(m, -1), (arr(2, 3, 3),)),
    "triu": (ag.triu, np.triu, (arr(4, 3),)),
    "triu_k": (lambda m: ag.triu(m, 1), lambda m: np.triu(m, 1), (arr(2, 3, 4),)),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_values_equal_numpy(name):
    fn, np_fn, arrays = CASES[name]
    out = fn(*[Tensor(a) for a in arrays])
    expected = np_fn(*arrays)
    assert out.shape == np.shape(expected)
    assert out.dtype == np.float64
    np.testing.assert_allclose(out.data, expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("name", sorted(CASES))
def test_gradients_and_second_derivatives(name):
    fn, _, arrays = CASES[name]
    inputs = [Tensor(a.copy(), requires_grad=True) for a in arrays]
    assert gradcheck(fn, inputs)
    assert gradgradcheck(fn, inputs)


@pytest.mark.parametrize("name", ["dot_mm", "einsum_batch_three", "kron_2d", "trace_offset",
                                  "diag_embed", "tril_k", "tensordot_2"])
def test_float32_stays_float32(name):
    fn, _, arrays = CASES[name]
    inputs = [Tensor(a.astype(np.float32), requires_grad=True) for a in arrays]
    out = fn(*inputs)
    assert out.dtype == np.float32
    out.sum().backward()
    assert all(x.grad.dtype == np.float32 for x in inputs)


def test_functions_take_arrays_and_numbers():
    np.testing.assert_allclose(ag.dot([1.0, 2.0], [3.0, 4.0]).data, 11.0)
    np.testing.assert_allclose(ag.outer(np.ones(2), 2.0).data, [[2.0], [2.0]])
    np.testing.assert_allclose(ag.einsum("i,i", np.arange(3.0), np.arange(3.0)).data, 5.0)


@pytest.mark.parametrize("call, shapes", [
    (lambda: ag.dot(Tensor(arr(3, 4)), Tensor(arr(3, 2))), ("(3, 4)", "(3, 2)")),
    (lambda: ag.dot(Tensor(arr(2, 3, 4)), Tensor(arr(2, 3, 4))), ("(2, 3, 4)", "(2, 3, 4)")),
    (lambda: ag.inner(Tensor(arr(3)), Tensor(arr(2))), ("(3,)", "(2,)")),
    (lambda: ag.tensordot(Tensor(arr(2, 3)), Tensor(arr(3, 2))), ("(2, 3)", "(3, 2)")),
    (lambda: ag.tensordot(Tensor(arr(2, 3)), Tensor(arr(3,)), 3), ("(2, 3)", "(3,)")),
    (lambda: ag.tensordot(Tensor(arr(2, 3)), Tensor(arr(3, 2)), ([0], [0])),
     ("(2, 3)", "(3, 2)")),
    (lambda: ag.einsum("ij,jk->ik", Tensor(arr(2, 3)), Tensor(arr(4, 2))), ("(2, 3)", "(4, 2)")),
])
def test_bad_shapes_name_the_op_and_both_shapes(call, shapes):
    with pytest.raises(ValueError) as error:
        call()
    message = str(error.value).lower()
    assert any(op in message for op in ("dot", "inner", "tensordot", "einsum"))
    assert all(s in str(error.value) for s in shapes)


@pytest.mark.parametrize("call", [
    lambda: ag.einsum("ii->i", Tensor(arr(2, 2))),
    lambda: ag.einsum("...i->i", Tensor(arr(2, 2))),
    lambda: ag.einsum("ij,j->i", Tensor(arr(2, 2))),
    lambda: ag.einsum("ijk->i", Tensor(arr(2, 2))),
    lambda: ag.diag(Tensor(arr(2, 2, 2))),
    lambda: ag.diagonal(Tensor(arr(3))),
    lambda: ag.diagonal(Tensor(arr(3, 3)), 0, 1, 1),
    lambda: ag.tril(Tensor(arr(3))),
    lambda: ag.triu(Tensor(arr(3))),
])
def test_unsupported_or_bad_calls_raise_value_error(call):
    with pytest.raises(ValueError):
        call()
