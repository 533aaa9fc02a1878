"""The products of autograd.ops.linalg: values equal numpy's on random float64 inputs of a
few shapes each, gradients against finite differences and second derivatives, float32 kept,
and bad shapes answered by an error naming the op and both shapes; then hypothesis property
tests of each op over random shapes, axes and offsets."""

import string

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import autograd as ag
from autograd import Tensor, gradcheck, gradgradcheck, no_grad
from autograd.engine import derivative
from autograd.testing import arrays, check_gradients, shapes

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


# ---------------------------------------------------------------------- property tests
# Random shapes (0-d and size-1 axes included) and float64 values: each op's value equals
# numpy's on the same arrays, and its first and second derivatives agree with finite
# differences. The products are multilinear (or linear), so they are smooth everywhere.
SIDE = dict(min_side=1, max_side=3)


def sized(ndim):
    return shapes(min_dims=ndim, max_dims=ndim, **SIDE)


def either_sign(axis, ndim):
    """`axis` or the same axis counted from the end."""
    return st.sampled_from([axis, axis - ndim])


def agrees_with_numpy(fn, np_fn, *arrays):
    out = fn(*[Tensor(a) for a in arrays])
    expected = np_fn(*arrays)
    assert out.shape == np.shape(expected)
    assert out.dtype == np.float64
    np.testing.assert_allclose(out.data, expected, rtol=1e-12, atol=1e-12)
    check_gradients(fn, *[Tensor(a.copy(), requires_grad=True) for a in arrays],
                    second_order=True)


@st.composite
def dot_operands(draw, a_ndim):
    """dot's cases: a scalar on either side, vectors, matrices and N-d (a's last axis
    against b's second-to-last, or b's only one)."""
    a_shape = draw(sized(a_ndim))
    b_shape = list(draw(shapes(max_dims=3, **SIDE)))
    if a_shape and b_shape:
        b_shape[0 if len(b_shape) == 1 else -2] = a_shape[-1]
    return draw(arrays(a_shape)), draw(arrays(tuple(b_shape)))


@pytest.mark.parametrize("a_ndim", [0, 1, 2, 3])
@given(data=st.data())
def test_dot_property(a_ndim, data):
    agrees_with_numpy(ag.dot, np.dot, *data.draw(dot_operands(a_ndim)))


@st.composite
def inner_operands(draw):
    a_shape = draw(shapes(max_dims=3, **SIDE))
    b_shape = list(draw(shapes(max_dims=2, **SIDE)))
    if a_shape and b_shape:
        b_shape[-1] = a_shape[-1]
    return draw(arrays(a_shape)), draw(arrays(tuple(b_shape)))


@given(inner_operands())
def test_inner_property(operands):
    agrees_with_numpy(ag.inner, np.inner, *operands)


@given(a=arrays(shapes(max_dims=2, **SIDE)), b=arrays(shapes(max_dims=2, **SIDE)))
def test_outer_property(a, b):
    agrees_with_numpy(ag.outer, np.outer, a, b)


@st.composite
def tensordot_operands(draw):
    """(a, b, axes): an int N (a's last N against b's first N) or a pair of axis lists,
    in any order and counted from either end."""
    a_shape = draw(shapes(min_dims=1, max_dims=3, **SIDE))
    b_shape = list(draw(shapes(min_dims=1, max_dims=3, **SIDE)))
    most = min(len(a_shape), len(b_shape))
    if draw(st.booleans()):
        n = draw(st.integers(0, most))
        b_shape[:n] = a_shape[len(a_shape) - n:]
        axes = n
    else:
        k = draw(st.integers(1, most))
        axes_a = draw(st.permutations(range(len(a_shape))))[:k]
        axes_b = draw(st.permutations(range(len(b_shape))))[:k]
        for i, j in zip(axes_a, axes_b):
            b_shape[j] = a_shape[i]
        axes = ([draw(either_sign(i, len(a_shape))) for i in axes_a],
                [draw(either_sign(j, len(b_shape))) for j in axes_b])
    return draw(arrays(a_shape)), draw(arrays(tuple(b_shape))), axes


@given(tensordot_operands())
def test_tensordot_property(operands):
    a, b, axes = operands
    agrees_with_numpy(lambda x, y: ag.tensordot(x, y, axes),
                      lambda x, y: np.tensordot(x, y, axes), a, b)


# einsum patterns: numpy's whole notation (HIPS autograd's systematic tests use all of it)
EINSUM_PATTERNS = [
    "ij,jk->ik",          # matrix product
    "bij,bjk->bik",       # batch matmul
    "i,j->ij",            # outer
    "ij->ji",             # transpose
    "ij->",               # sum
    "ij,j->i",            # matrix-vector
    "ij,ij->ij",          # elementwise
    "ijk->kij",           # axis permutation
    "ij,jk,kl->il",       # chain of three
    "ij,k->k",            # a letter summed in one operand alone
    "ij,jk",              # implicit output
    "ji",                 # implicit transpose
    "Ba",                 # implicit order: A-Z before a-z, as numpy
    ",ij->ij",            # a 0-d scale
    # a subscript repeated within one operand: a diagonal (its gradient a diagonal embedding)
    "ii->i",              # the diagonal
    "ii",                 # the trace (implicit: i is used twice, so it is summed)
    "iij->j",
    "iii->i",
    "iji->ij",
    "ijk,lji,lli->lki",   # the third operand's diagonal over l
    "ii,i->i",
    "ii,jj->ij",
    # the ellipsis: broadcast axes, right-aligned, of any number (0 included) per operand
    "...ij,...jk->...ik",
    "...jk,...lj->...lk",
    "...,...->...",
    "jk...,lj...->lk...",
    "j...k,lj...->lk...",
    "...ij,...jk",        # implicit with an ellipsis: the broadcast axes first
    "...ii->...i",
    "i...->...",          # an explicit output without i: summed
    "...i,i...",          # implicit: i used twice
    "ij->...ij",          # an ellipsis in the output only: no axes
    "...",
    "i, ...i -> ...",     # spaces are ignored, as numpy
]


@st.composite
def einsum_operands(draw, subscripts):
    """Operands for `subscripts`: one size per letter (shared by its repeats in an operand),
    any of an operand's letters possibly of size 1 (numpy broadcasts it against the others),
    and each '...' covering the last 0 to all axes of one batch shape, each of those axes
    possibly of size 1."""
    terms = subscripts.replace(" ", "").partition("->")[0].split(",")
    letters = sorted(set("".join(terms)) - set("."))
    sizes = {c: draw(st.integers(1, 3)) for c in letters}
    batch = draw(shapes(max_dims=2, **SIDE))
    operands = []
    for term in terms:
        own = {c: draw(st.sampled_from([sizes[c], 1])) for c in sorted(set(term) - set("."))}
        before, ellipsis, after = term.partition("...")
        covered = batch[len(batch) - draw(st.integers(0, len(batch))):] if ellipsis else ()
        middle = tuple(draw(st.sampled_from([n, 1])) for n in covered)
        shape = tuple(own[c] for c in before) + middle + tuple(own[c] for c in after)
        operands.append(draw(arrays(shape)))
    return operands


@pytest.mark.parametrize("subscripts", EINSUM_PATTERNS)
@given(data=st.data())
def test_einsum_property(subscripts, data):
    agrees_with_numpy(lambda *xs: ag.einsum(subscripts, *xs),
                      lambda *xs: np.einsum(subscripts, *xs),
                      *data.draw(einsum_operands(subscripts)))


def as_sublists(subscripts, operands):
    """numpy's sublist form of a subscripts call: ('ij,jk->ik', a, b) as
    (a, [8, 9], b, [9, 10], [8, 10]) (letter k is its index in A-Z a-z, '...' Ellipsis)."""
    labels = string.ascii_uppercase + string.ascii_lowercase

    def sublist(term):
        before, ellipsis, after = term.partition("...")
        return ([labels.index(c) for c in before] + ([Ellipsis] if ellipsis else [])
                + [labels.index(c) for c in after])

    inputs, arrow, output = subscripts.replace(" ", "").partition("->")
    args = [x for operand, term in zip(operands, inputs.split(","))
            for x in (operand, sublist(term))]
    return args + ([sublist(output)] if arrow else [])


@pytest.mark.parametrize("subscripts", ["ij,jk->ik", "ij,jk", "Ba", "ii->i", "ii",
                                        "ijk,lji,lli->lki", "...ij,...jk->...ik",
                                        "...ij,...jk", "j...k,lj...->lk...", ",ij->ij"])
@given(data=st.data())
def test_einsum_sublist_property(subscripts, data):
    operands = data.draw(einsum_operands(subscripts))

    def ours(*xs):
        return ag.einsum(*as_sublists(subscripts, xs))

    def numpys(*xs):
        return np.einsum(*as_sublists(subscripts, xs))

    agrees_with_numpy(ours, numpys, *operands)
    # the same as the subscripts string, and dispatched by numpy on Tensors
    tensors = [Tensor(x) for x in operands]
    np.testing.assert_allclose(ours(*tensors).data, ag.einsum(subscripts, *tensors).data,
                               rtol=1e-12, atol=1e-12)
    through_numpy = numpys(*tensors)
    assert isinstance(through_numpy, Tensor)
    np.testing.assert_allclose(through_numpy.data, np.einsum(subscripts, *operands),
                               rtol=1e-12, atol=1e-12)


def test_einsum_sublists_take_tuples_arrays_and_numpy_integers():
    a, b = arr(2, 3), arr(3, 4)
    expected = np.einsum(a, [0, 1], b, [1, 2], [0, 2])
    for sub_a, sub_b, out in [((0, 1), (1, 2), (0, 2)),
                              (np.array([0, 1]), np.array([1, 2]), np.array([0, 2])),
                              ([np.int64(0), 1], [1, np.int32(2)], [0, 2])]:
        np.testing.assert_allclose(ag.einsum(a, sub_a, b, sub_b, out).data, expected,
                                   rtol=1e-12)
    # Ellipsis in a sublist, and the output sublist left out (implicit)
    np.testing.assert_allclose(ag.einsum(arr(2, 3, 3), [Ellipsis, 0, 0], [Ellipsis]).data.shape,
                               (2,))
    c = arr(4, 2, 3)
    np.testing.assert_allclose(ag.einsum(c, [Ellipsis, 0, 1], b, [1, 2]).data,
                               np.einsum(c, [Ellipsis, 0, 1], b, [1, 2]), rtol=1e-12)


def test_einsum_errors_are_numpys_too():
    # each refused call of test_einsum_errors is refused by numpy (the messages differ)
    for call in [lambda: np.einsum("ij,jk->ik", arr(2, 3), arr(4, 2)),
                 lambda: np.einsum("...i,...i", arr(2, 3), arr(4, 3)),
                 lambda: np.einsum("ij->ii", arr(2, 2)), lambda: np.einsum("...i->i", arr(2, 2)),
                 lambda: np.einsum("ij", arr(2)), lambda: np.einsum("i..", arr(2)),
                 lambda: np.einsum(arr(2, 3), [0, 52]), lambda: np.einsum(arr(2, 3), [0, 1, 2])]:
        with pytest.raises(ValueError):
            call()
    # and both accept an ellipsis that covers no axes
    np.testing.assert_allclose(ag.einsum("ij->ij...", arr(2, 2)).shape, (2, 2))


def test_einsum_repeated_subscript_gradient_is_a_diagonal_embedding():
    a = Tensor(arr(3, 3), requires_grad=True)
    g = arr(3)
    ag.einsum("ii->i", a).backward(Tensor(g))
    np.testing.assert_array_equal(a.grad.data, np.diag(g))
    a.grad = None
    ag.einsum("ii", a).backward()  # the trace: ∂/∂A = I
    np.testing.assert_array_equal(a.grad.data, np.eye(3))
    # second order through the embedding: ∂²(Σᵢ Aᵢᵢ²)/∂A² · V = 2 diag(V)
    (first,) = ag.grad(ag.einsum("ii,ii->", a, a), a, create_graph=True)
    np.testing.assert_allclose(first.data, 2 * np.diag(np.diag(a.data)), rtol=1e-12)
    v = arr(3, 3)
    (second,) = ag.grad((first * Tensor(v)).sum(), a)
    np.testing.assert_allclose(second.data, 2 * np.diag(np.diag(v)), rtol=1e-12)


def test_einsum_broadcast_axes_get_their_gradient_summed_back():
    a = Tensor(arr(1, 3), requires_grad=True)  # the '...' axis of size 1 against 4
    b = Tensor(arr(4, 3), requires_grad=True)
    ag.einsum("...i,...i->...", a, b).sum().backward()
    assert a.grad.shape == (1, 3)
    np.testing.assert_allclose(a.grad.data, b.data.sum(axis=0, keepdims=True), rtol=1e-12)
    np.testing.assert_allclose(b.grad.data, np.broadcast_to(a.data, (4, 3)), rtol=1e-12)


@pytest.mark.parametrize("subscripts, shapes", [
    ("ijk,lji,lli->lki", [(2, 3, 1), (2, 3, 2), (2, 2, 2)]),
    ("...ij,...jk->...ik", [(2, 3), (4, 1, 3, 2)]),
    ("ii,i->i", [(1, 1), (3,)]),
    ("ij,k", [(2, 3), (4,)]),
])
def test_einsum_array_path_and_tensor_path_agree(subscripts, shapes):
    # ARCHITECTURE.md: one backward formula, run on arrays without create_graph and on Tensors
    # with it; the diagonal embedding, broadcasting and spreading take both paths
    inputs = [Tensor(arr(*s), requires_grad=True) for s in shapes]
    out = ag.einsum(subscripts, *inputs)
    node = out.grad_fn
    g = arr(*out.shape)
    with no_grad():
        by_tensors = node.backward(node, Tensor(g.copy()))
    by_arrays = derivative(node, g.copy(), raw=True)
    for x, t, a in zip(inputs, by_tensors[1:], by_arrays[1:]):
        assert isinstance(t, Tensor) and not isinstance(a, Tensor)
        assert np.shape(a) == x.shape == t.shape
        np.testing.assert_allclose(np.asarray(a), t.data, rtol=1e-12, atol=1e-12)


def test_einsum_float32_stays_float32_through_diagonals_and_broadcasting():
    a = Tensor(arr(2, 3, 3).astype(np.float32), requires_grad=True)
    b = Tensor(arr(1, 3).astype(np.float32), requires_grad=True)
    out = ag.einsum("...ii,...i->...i", a, b)
    assert out.dtype == np.float32
    out.sum().backward()
    assert a.grad.dtype == b.grad.dtype == np.float32


@pytest.mark.parametrize("call, match", [
    (lambda: ag.einsum("ij,jk->ik", arr(2, 3), arr(4, 2)),
     r"einsum 'ij,jk->ik'.*'j' has size 3 in operand 0 and 4 in operand 1"),
    (lambda: ag.einsum("...ij,...jk->...ik", arr(2, 3), arr(2, 2, 3)),
     r"Einsum of shapes \(2, 3\) and \(2, 2, 3\).*'j' has size 3 .* and 2"),
    (lambda: ag.einsum("...i,...i", arr(2, 3), arr(4, 3)),
     r"axis -1 under '\.\.\.' has size 2 in operand 0 and 4 in operand 1"),
    (lambda: ag.einsum("ii->i", arr(2, 3)), r"'i' is repeated in operand 0 \(shape \(2, 3\)\)"),
    (lambda: ag.einsum("ij->ii", arr(2, 2)), "the output has subscript 'i' more than once"),
    (lambda: ag.einsum("i->j", arr(2)), "output subscript 'j' is in no operand"),
    (lambda: ag.einsum("...i->i", arr(2, 2)), r"covers 1 axis .* no '\.\.\.'"),
    (lambda: ag.einsum("ij", arr(2)), r"'ij' name 2 axes of operand 0, which has 1"),
    (lambda: ag.einsum("i", arr(2, 2)), r"'i' name 1 axis of operand 0, which has 2"),
    (lambda: ag.einsum("ij...", arr(2)), r"'ij\.\.\.' name 2 axes"),
    (lambda: ag.einsum("i,i", arr(2)), "2 operand subscripts for 1 operands"),
    (lambda: ag.einsum("i..", arr(2)), "not part of one ellipsis"),
    (lambda: ag.einsum("...i...", arr(2)), "not part of one ellipsis"),
    (lambda: ag.einsum("i->i->i", arr(2)), "'->'"),
    (lambda: ag.einsum("i-i", arr(2)), "'->'"),
    (lambda: ag.einsum("i1", arr(2, 2)), "invalid subscript '1'"),
    (lambda: ag.einsum("i"), "at least one operand"),
    (lambda: ag.einsum(arr(2, 3), [0, 1, 2]), r"'ABC' name 3 axes .*sublists read as"),
    (lambda: ag.einsum(arr(2, 3), [0], arr(3), [0]), r"'A' name 1 axis of operand 0"),
    (lambda: ag.einsum(arr(2, 3), [0, 1], [1, 1]), "more than once"),
    (lambda: ag.einsum(arr(2, 3), [0, 52]), r"valid range \[0, 52\)"),
    (lambda: ag.einsum(arr(2, 3), [0, -1]), r"valid range \[0, 52\)"),
    (lambda: ag.einsum(arr(2, 3), [0, Ellipsis, Ellipsis]), "more than one Ellipsis"),
])
def test_einsum_errors(call, match):
    with pytest.raises(ValueError, match=match):
        call()


@pytest.mark.parametrize("call, match", [
    (lambda: ag.einsum(arr(2, 3), [0, 1.0]), "must be an integer or Ellipsis, got 1.0"),
    (lambda: ag.einsum(arr(2, 3), [True, 1]), "must be an integer or Ellipsis, got True"),
    (lambda: ag.einsum(arr(2, 3), 0), "must be a list or a tuple"),
    (lambda: ag.einsum(arr(2, 3), ["a", "b"]), "got 'a'"),
])
def test_einsum_sublist_type_errors(call, match):
    with pytest.raises(TypeError, match=match):
        call()


@pytest.mark.parametrize("a_ndim, b_ndim", [(1, 1), (1, 2), (2, 1), (2, 2), (0, 2), (2, 0)])
@given(data=st.data())
def test_kron_property(a_ndim, b_ndim, data):
    a, b = data.draw(arrays(sized(a_ndim))), data.draw(arrays(sized(b_ndim)))
    agrees_with_numpy(ag.kron, np.kron, a, b)


@st.composite
def diagonal_case(draw):
    """(a, offset, axis1, axis2): 2-d or 3-d, any two distinct axes counted from either end,
    offsets that reach past the edge (an empty diagonal) included."""
    ndim = draw(st.integers(2, 3))
    a = draw(arrays(sized(ndim)))
    axis1, axis2 = draw(st.permutations(range(ndim)))[:2]
    return (a, draw(st.integers(-3, 3)), draw(either_sign(axis1, ndim)),
            draw(either_sign(axis2, ndim)))


@given(diagonal_case())
def test_diagonal_property(case):
    a, offset, axis1, axis2 = case
    agrees_with_numpy(lambda x: ag.diagonal(x, offset, axis1, axis2),
                      lambda x: np.diagonal(x, offset, axis1, axis2), a)


@given(diagonal_case())
def test_trace_property(case):
    a, offset, axis1, axis2 = case
    agrees_with_numpy(lambda x: ag.trace(x, offset, axis1, axis2),
                      lambda x: np.trace(x, offset, axis1, axis2), a)


@given(v=arrays(shapes(min_dims=1, max_dims=2, **SIDE)), k=st.integers(-3, 3))
def test_diag_property(v, k):
    # a 1-d v is put on the k-th diagonal of a square matrix; a 2-d v's k-th diagonal is read
    agrees_with_numpy(lambda x: ag.diag(x, k), lambda x: np.diag(x, k), v)


@pytest.mark.parametrize("name", ["tril", "triu"])
@given(m=arrays(shapes(min_dims=2, max_dims=4, **SIDE)), k=st.integers(-3, 3))
def test_triangle_property(name, m, k):
    agrees_with_numpy(lambda x: getattr(ag, name)(x, k),
                      lambda x: getattr(np, name)(x, k), m)
