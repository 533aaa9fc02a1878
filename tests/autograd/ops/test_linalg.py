"""Linear algebra (autograd/ops/linalg.py, autograd.linalg): values against numpy.linalg
on random batched float64 inputs that are well conditioned (A + n·I, B Bᵀ + n·I, Q diag(λ) Qᵀ
with separated λ, U diag(σ) Vᵀ with separated σ), gradients against finite differences and
second derivatives; the closed forms of the literature; the triangle that cholesky and eigh
read; zero gradients of unused outputs; float32 kept; bad shapes named; and the array path of
each backward against its Tensor path."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd.linalg as la
from autograd import Tensor, grad
from autograd.ops import linalg as D
from autograd.testing import arrays, check_gradients, floats, shapes

rng = np.random.default_rng(11)

# ---------------------------------------------------------------------- inputs by hand


def _t(a):
    return Tensor(np.asarray(a, dtype=np.float64), requires_grad=True)


def _orthogonal(n, generator=rng):
    q, r = np.linalg.qr(generator.normal(size=(n, n)))
    return q * np.sign(np.diag(r))


def general(*shape):
    """Well-conditioned square matrices (…, n, n): random + n·I."""
    n = shape[-1]
    return _t(rng.uniform(-0.5, 0.5, shape) + n * np.eye(n))


def spd(*shape):
    """Symmetric positive definite (…, n, n): B Bᵀ + n·I."""
    b = rng.normal(size=shape)
    return _t(b @ b.swapaxes(-1, -2) + shape[-1] * np.eye(shape[-1]))


def symmetric(*shape):
    """Symmetric (…, n, n) with eigenvalues at least 1 apart."""
    n = shape[-1]
    batch = shape[:-2]
    q = np.stack([_orthogonal(n) for _ in range(int(np.prod(batch)))]).reshape(shape)
    lam = np.arange(n) * 1.5 - n + rng.uniform(0, 0.5, batch + (n,))
    return _t((q * lam[..., None, :]) @ q.swapaxes(-1, -2))


def low_rank(*shape, rank, generator=rng):
    """Singular square matrices (…, n, n) of rank `rank` < n: B Cᵀ with B, C of shape (…, n, r)."""
    b = generator.normal(size=shape[:-1] + (rank,))
    c = generator.normal(size=shape[:-1] + (rank,))
    return _t(b @ c.swapaxes(-1, -2))


def separated(*shape):
    """(…, m, n) with singular values at least 1 apart and at least 1."""
    m, n = shape[-2:]
    k = min(m, n)
    batch = shape[:-2]
    u = np.stack([_orthogonal(m)[:, :k] for _ in range(int(np.prod(batch)))])
    v = np.stack([_orthogonal(n)[:, :k] for _ in range(int(np.prod(batch)))])
    sigma = 1.0 + 1.2 * np.arange(k)[::-1] + rng.uniform(0, 0.5, (len(u), k))
    return _t(((u * sigma[:, None, :]) @ v.swapaxes(-1, -2)).reshape(shape))


# name -> a function of fresh inputs returning the output of one of the Functions added here
# (packed ops: the packed output itself): tests/autograd/test_array_path.py runs its checks
# (array path and Tensor path agree, with and without create_graph) on these too
ARRAY_PATH_CASES = {
    "inv": lambda: D.Inv.apply(general(2, 3, 3)),
    "det": lambda: D.Det.apply(general(2, 3, 3)),
    "det_single": lambda: D.Det.apply(general(3, 3)),
    "cofactor": lambda: D.Cofactor.apply(general(2, 3, 3)),
    "cofactor_singular": lambda: D.Cofactor.apply(low_rank(2, 4, 4, rank=2)),
    "slogdet": lambda: D.Slogdet.apply(general(2, 1, 3, 3)),
    "slogdet_singular": lambda: D.Slogdet.apply(_t([np.eye(2), [[1.0, 2.0], [2.0, 4.0]]])),
    "solve_vector": lambda: D.Solve.apply(general(2, 3, 3), _t(rng.normal(size=3))),
    "solve_broadcast": lambda: D.Solve.apply(general(2, 1, 3, 3), _t(rng.normal(size=(4, 3, 2)))),
    "cholesky": lambda: D.Cholesky.apply(spd(2, 3, 3)),
    "eigh": lambda: D.Eigh.apply(symmetric(2, 3, 3), "L"),
    "eigh_upper": lambda: D.Eigh.apply(symmetric(3, 3), "U"),
    "svd_tall": lambda: D.SVD.apply(separated(2, 4, 3), False),
    "svd_wide": lambda: D.SVD.apply(separated(2, 5), False),
    "svd_square_full": lambda: D.SVD.apply(separated(2, 3, 3), True),
}


def test_array_path_cases_cover_every_function():
    functions = {D.Inv, D.Det, D.Cofactor, D.Slogdet, D.Solve, D.Cholesky, D.Eigh, D.SVD}
    assert {type(case().grad_fn) for case in ARRAY_PATH_CASES.values()} == functions
    assert all(f.array_safe for f in functions)


# ---------------------------------------------------------------------- hypothesis inputs
FAST = settings(deadline=None)  # the profile decides how many examples (tests/conftest.py)
BATCH = shapes(min_dims=0, max_dims=2, max_side=2)  # (), (1,), (2, 1), ...
SIDE = st.integers(1, 3)


def _entries(shape, low=-0.5, high=0.5):
    return arrays(shape, elements=floats(low, high))


@st.composite
def general_matrices(draw, side=SIDE):
    """A + n·I with |aᵢⱼ| ≤ ½: strictly diagonally dominant, so invertible and tame."""
    n = draw(side)
    a = draw(_entries(draw(BATCH) + (n, n)))
    return _t(a + n * np.eye(n))


@st.composite
def spd_matrices(draw):
    n = draw(SIDE)
    b = draw(_entries(draw(BATCH) + (n, n), -1.0, 1.0))
    return _t(b @ b.swapaxes(-1, -2) + n * np.eye(n))


@st.composite
def orthogonal(draw, batch, n):
    """Q = (I − K)⁻¹(I + K) for a skew-symmetric K (Cayley): orthogonal for any K."""
    m = draw(_entries(batch + (n, n), -1.0, 1.0))
    k = m - m.swapaxes(-1, -2)
    eye = np.eye(n)
    return np.linalg.solve(eye - k, eye + k)


@st.composite
def separated_values(draw, batch, k, low):
    """k values per matrix, ascending, at least 1 apart, from `low` on."""
    jitter = draw(_entries(batch + (k,), 0.0, 0.4))
    return low + 1.2 * np.arange(k) + jitter


@st.composite
def symmetric_matrices(draw):
    """Q diag(λ) Qᵀ with eigenvalues at least 0.8 apart (negative ones included)."""
    batch, n = draw(BATCH), draw(SIDE)
    q = draw(orthogonal(batch, n))
    lam = draw(separated_values(batch, n, -1.5))
    return _t((q * lam[..., None, :]) @ q.swapaxes(-1, -2))


@st.composite
def svd_matrices(draw, square=False):
    """U diag(σ) Vᵀ (…, m, n) with singular values ≥ 0.5 and at least 0.8 apart."""
    batch, m = draw(BATCH), draw(SIDE)
    n = m if square else draw(SIDE)
    k = min(m, n)
    u = draw(orthogonal(batch, m))[..., :k]
    v = draw(orthogonal(batch, n))[..., :k]
    sigma = draw(separated_values(batch, k, 0.5))
    return _t((u * sigma[..., None, :]) @ v.swapaxes(-1, -2))


def _close(ours, expected, **kwargs):
    np.testing.assert_allclose(np.asarray(ours.data), expected, **{"rtol": 1e-10, "atol": 1e-12,
                                                                    **kwargs})


# ---------------------------------------------------------------------- properties
@FAST
@given(a=general_matrices())
def test_inv(a):
    _close(la.inv(a), np.linalg.inv(a.data))
    check_gradients(la.inv, a, second_order=True)


@FAST
@given(a=general_matrices())
def test_det(a):
    _close(la.det(a), np.linalg.det(a.data))
    check_gradients(la.det, a, second_order=True)


@FAST
@given(a=general_matrices(), flip=st.booleans())
def test_slogdet(a, flip):
    if flip:  # a negative determinant: sign −1
        a = _t(a.data[..., ::-1, :]) if a.shape[-1] > 1 else _t(-a.data)
    sign, logabsdet = la.slogdet(a)
    expected_sign, expected_log = np.linalg.slogdet(a.data)
    _close(sign, expected_sign)
    _close(logabsdet, expected_log)
    check_gradients(lambda x: la.slogdet(x).logabsdet, a, second_order=True)
    check_gradients(lambda x: la.slogdet(x), a, second_order=True)  # the sign's: zero


@st.composite
def solve_operands(draw):
    a = draw(general_matrices())
    n = a.shape[-1]
    if draw(st.booleans()):
        b_shape = (n,)
    else:  # a stack (…, n, k) whose batch broadcasts against a's
        batch = draw(st.sampled_from([(), a.shape[:-2], (2,) + a.shape[:-2], (1,) * len(
            a.shape[:-2])]))
        b_shape = batch + (n, draw(st.integers(1, 2)))
    return a, _t(draw(_entries(b_shape, -2.0, 2.0)))


@FAST
@given(operands=solve_operands())
def test_solve(operands):
    a, b = operands
    _close(la.solve(a, b), np.linalg.solve(a.data, b.data))
    check_gradients(la.solve, a, b, second_order=True)


@FAST
@given(a=spd_matrices())
def test_cholesky(a):
    low = la.cholesky(a)
    _close(low, np.linalg.cholesky(a.data))
    _close(low @ low.swapaxes(-1, -2), a.data)  # L Lᵀ = A
    check_gradients(la.cholesky, a, second_order=True)
    upper = la.cholesky(a, upper=True)
    _close(upper, np.linalg.cholesky(a.data, upper=True))
    check_gradients(lambda x: la.cholesky(x, upper=True), a)


def _eigh_invariants(w, v, weights):
    # independent of each eigenvector's sign: w, V diag(w²) Vᵀ (= A²), Σ weighted vᵢⱼ²
    return (w, (v * (w * w)[..., None, :]) @ v.swapaxes(-1, -2),
            (v * v * Tensor(weights)).sum(axis=-1))


@FAST
@given(a=symmetric_matrices(), uplo=st.sampled_from(["L", "U"]))
def test_eigh(a, uplo):
    w, v = la.eigh(a, uplo)
    expected_w, expected_v = np.linalg.eigh(a.data, uplo)
    _close(w, expected_w)
    _close(v * v, expected_v ** 2, atol=1e-10)  # the same vectors up to sign
    weights = rng.normal(size=a.shape)
    check_gradients(lambda x: _eigh_invariants(*la.eigh(x, uplo), weights), a,
                    second_order=True)


def _svd_invariants(u, s, vh, weights_u, weights_v):
    # independent of each (uᵢ, vᵢ) pair's sign: S, U diag(S²) Vh, Σ weighted uᵢⱼ², vᵢⱼ²
    return (s, (u * (s * s)[..., None, :]) @ vh,
            (u * u * Tensor(weights_u)).sum(axis=-1), (vh * vh * Tensor(weights_v)).sum(axis=-2))


@FAST
@given(a=svd_matrices())
def test_svd(a):
    u, s, vh = la.svd(a, full_matrices=False)
    expected_u, expected_s, expected_vh = np.linalg.svd(a.data, full_matrices=False)
    _close(s, expected_s)
    _close(u * u, expected_u ** 2, atol=1e-10)
    _close(vh * vh, expected_vh ** 2, atol=1e-10)
    _close((u * s[..., None, :]) @ vh, a.data)
    _close(la.svd(a, compute_uv=False), np.linalg.svd(a.data, compute_uv=False))
    weights_u, weights_v = rng.normal(size=u.shape), rng.normal(size=vh.shape)
    check_gradients(lambda x: _svd_invariants(*la.svd(x, False), weights_u, weights_v), a,
                    second_order=True)
    check_gradients(lambda x: la.svd(x, compute_uv=False), a, second_order=True)


@FAST
@given(a=svd_matrices())
def test_svd_full_matrices(a):
    m, n = a.shape[-2:]
    k = min(m, n)
    u, s, vh = la.svd(a)  # numpy's default, full_matrices=True
    expected_u, expected_s, expected_vh = np.linalg.svd(a.data)
    assert u.shape == expected_u.shape and vh.shape == expected_vh.shape
    _close(s, expected_s)
    _close(u * u, expected_u ** 2, atol=1e-10)
    _close(vh * vh, expected_vh ** 2, atol=1e-10)
    # using only the first min(m, n) columns of U and rows of Vh: exact
    check_gradients(lambda x: (lambda u, s, vh: (u[..., :k] * s[..., None, :]) @ vh[..., :k, :])(
        *la.svd(x)), a, second_order=(m == n))


# ---------------------------------------------------------------------- closed forms
def _grad_of(fn, a):
    a = _t(a.data)
    fn(a).backward()
    return a.grad.data


def test_det_gradient_is_det_times_inverse_transpose():
    a = general(2, 4, 4)
    expected = np.linalg.det(a.data)[:, None, None] * np.linalg.inv(a.data).swapaxes(-1, -2)
    np.testing.assert_allclose(_grad_of(lambda x: la.det(x).sum(), a), expected, rtol=1e-10)


def test_logabsdet_gradient_is_inverse_transpose():
    a = general(3, 3)
    a = _t(-a.data)  # det < 0 for n = 3: the sign does not enter
    assert np.linalg.det(a.data) < 0
    np.testing.assert_allclose(_grad_of(lambda x: la.slogdet(x)[1], a),
                               np.linalg.inv(a.data).T, rtol=1e-10)
    np.testing.assert_array_equal(_grad_of(lambda x: la.slogdet(x)[0], a), 0.0)


def _cofactors_by_minors(a):
    """cof(A)ᵢⱼ = (−1)ⁱ⁺ʲ det(A without row i and column j), by the definition."""
    a = np.asarray(a, dtype=np.float64)
    n = a.shape[-1]
    out = np.empty(a.shape)
    for i in range(n):
        for j in range(n):
            minor = np.delete(np.delete(a, i, axis=-2), j, axis=-1)
            out[..., i, j] = (-1) ** (i + j) * np.linalg.det(minor)
    return out


def test_det_gradient_at_a_singular_matrix_is_the_cofactor_matrix():
    a = _t([[1.0, 2.0], [2.0, 4.0]])  # the issue's: numpy's bare LinAlgError before
    la.det(a).backward()
    np.testing.assert_allclose(a.grad.data, [[4.0, -2.0], [-2.0, 1.0]], atol=1e-12)
    for n, rank in [(3, 2), (3, 1), (4, 2), (4, 0), (1, 0)]:
        m = low_rank(n, n, rank=rank)
        expected = _cofactors_by_minors(m.data)
        np.testing.assert_allclose(_grad_of(la.det, m), expected, atol=1e-12)
        # rank n − 1: a nonzero gradient (det·A⁻ᵀ has no limit form to fall back on); below: 0
        assert (np.abs(expected).max() > 0.1) == (rank == n - 1)


def test_one_singular_matrix_leaves_the_rest_of_the_batch_alone():
    batch = _t(np.stack([general(3, 3).data, low_rank(3, 3, rank=2).data,
                         low_rank(3, 3, rank=1).data, np.zeros((3, 3))]))
    np.testing.assert_allclose(_grad_of(lambda x: la.det(x).sum(), batch),
                               _cofactors_by_minors(batch.data), atol=1e-12)
    check_gradients(la.det, batch, second_order=True)


@st.composite
def singular_matrices(draw):
    """B Cᵀ (…, n, n) with B, C of shape (…, n, r), r < n: ranks n − 1 down to 0."""
    n = draw(st.integers(1, 4))
    rank = draw(st.integers(0, n - 1))
    batch = draw(BATCH)
    b = draw(_entries(batch + (n, rank), -1.5, 1.5))
    c = draw(_entries(batch + (n, rank), -1.5, 1.5))
    return _t(b @ c.swapaxes(-1, -2))


@FAST
@given(a=singular_matrices())
def test_det_at_singular_matrices(a):
    # numpy's own det may warn "divide by zero" at an exactly singular matrix (its LU meets
    # a zero pivot); the value and the cofactor gradient are still right, which is the point
    with np.errstate(divide="ignore"):
        np.testing.assert_allclose(_grad_of(lambda x: la.det(x).sum(), a),
                                   _cofactors_by_minors(a.data), atol=1e-10)
        check_gradients(la.det, a, second_order=True)


@pytest.mark.parametrize("rank", [4, 3, 2])
def test_det_third_derivatives(rank):
    # x ↦ ∂det/∂x built with create_graph: its second derivatives are det's third
    a = general(4, 4) if rank == 4 else low_rank(4, 4, rank=rank)
    first = lambda x: grad(la.det(x), x, create_graph=True)[0]  # noqa: E731
    check_gradients(first, a, second_order=True)


def test_det_second_derivative_closed_form():
    # det [[a, b], [c, d]] = ad − bc: ∂²/∂a∂d = 1, ∂²/∂b∂c = −1, the rest 0, at any matrix
    a = _t([[1.0, 2.0], [2.0, 4.0]])
    (cof,) = grad(la.det(a), a, create_graph=True)
    hessian = np.stack([grad(cof[i, j], a, retain_graph=True)[0].data
                        for i in range(2) for j in range(2)]).reshape(2, 2, 2, 2)
    expected = np.zeros((2, 2, 2, 2))
    expected[0, 0, 1, 1] = expected[1, 1, 0, 0] = 1.0
    expected[0, 1, 1, 0] = expected[1, 0, 0, 1] = -1.0
    np.testing.assert_allclose(hessian, expected, atol=1e-12)


def test_slogdet_at_a_singular_matrix():
    # sign 0 and logabsdet −inf (numpy's values); log|det| has no gradient there: nan for
    # the singular matrices whose logabsdet is used, the exact A⁻ᵀ for the others, 0 for
    # the unused, with or without create_graph
    regular = general(3, 3).data
    rank_two = [[1.0, 2.0, 3.0], [2.0, 4.0, 6.0], [1.0, 0.0, 1.0]]  # exactly: an LU pivot is 0
    batch = _t(np.stack([regular, rank_two, np.zeros((3, 3))]))
    sign, logabsdet = la.slogdet(batch)
    np.testing.assert_array_equal(sign.data, [np.sign(np.linalg.det(regular)), 0.0, 0.0])
    assert logabsdet.data[1] == logabsdet.data[2] == -np.inf
    for create_graph in (False, True):
        (g,) = grad(la.slogdet(batch).logabsdet.sum(), batch, create_graph=create_graph)
        np.testing.assert_allclose(g.data[0], np.linalg.inv(regular).T, rtol=1e-10)
        assert np.isnan(g.data[1:]).all()
        (g,) = grad(la.slogdet(batch).logabsdet[0], batch, create_graph=create_graph)
        np.testing.assert_allclose(g.data[0], np.linalg.inv(regular).T, rtol=1e-10)
        np.testing.assert_array_equal(g.data[1:], 0.0)
    (g,) = grad(la.slogdet(batch).sign.sum(), batch)
    np.testing.assert_array_equal(g.data, 0.0)


def test_det_gradient_at_a_singular_float32_matrix():
    a = Tensor(np.array([[1.0, 2.0], [2.0, 4.0]], np.float32), requires_grad=True)
    la.det(a).backward()
    assert a.grad.dtype == np.float32
    np.testing.assert_allclose(a.grad.data, [[4.0, -2.0], [-2.0, 1.0]], atol=1e-5)


def test_trace_of_inverse_gradient():
    a = general(4, 4)
    inverse = np.linalg.inv(a.data)
    trace = lambda x: (la.inv(x) * Tensor(np.eye(4))).sum()  # noqa: E731
    np.testing.assert_allclose(_grad_of(trace, a), -(inverse @ inverse).T, rtol=1e-10)


@pytest.mark.parametrize("b_shape", [(3,), (3, 2), (2, 3, 2)])
def test_solve_gradient_equals_that_of_inv_times_b(b_shape):
    a, b = general(2, 3, 3), _t(rng.normal(size=b_shape))
    weights = Tensor(rng.normal(size=np.linalg.solve(a.data, b.data).shape))
    by_solve = grad((la.solve(a, b) * weights).sum(), [a, b])
    by_inv = grad(((la.inv(a) @ b) * weights).sum(), [a, b])
    for p, q in zip(by_solve, by_inv):
        np.testing.assert_allclose(p.data, q.data, rtol=1e-10, atol=1e-12)


def _on_lower(symmetric_grad):
    # the gradient of a function of the lower triangle, from the symmetric one
    return np.tril(2 * symmetric_grad, -1) + np.diag(np.diag(symmetric_grad))


def test_eigenvalue_gradient_is_v_v_transpose():
    a = symmetric(4, 4)
    w, v = np.linalg.eigh(a.data)
    for i in range(4):
        outer = np.outer(v[:, i], v[:, i])
        # on symmetric perturbations (through (A + Aᵀ)/2): exactly vᵢvᵢᵀ
        through_sym = _grad_of(lambda x, i=i: la.eigh((x + x.T) * 0.5)[0][i], a)
        np.testing.assert_allclose(through_sym, outer, atol=1e-10)
        # on the matrix itself: numpy reads the lower triangle, the gradient lies there
        np.testing.assert_allclose(_grad_of(lambda x, i=i: la.eigh(x)[0][i], a), _on_lower(outer),
                                   atol=1e-10)
        np.testing.assert_allclose(_grad_of(lambda x, i=i: la.eigh(x, "U")[0][i], a),
                                   _on_lower(outer).T, atol=1e-10)


def test_singular_value_gradient_is_u_v_transpose():
    a = separated(4, 3)
    u, s, vh = np.linalg.svd(a.data)
    for i in range(3):
        np.testing.assert_allclose(_grad_of(lambda x, i=i: la.svd(x, compute_uv=False)[i], a),
                                   np.outer(u[:, i], vh[i]), atol=1e-10)
        np.testing.assert_allclose(_grad_of(lambda x, i=i: la.svd(x)[1][i], a),
                                   np.outer(u[:, i], vh[i]), atol=1e-10)


def test_cholesky_reads_the_lower_triangle_and_matches_the_symmetric_gradient():
    b = _t(rng.normal(size=(3, 3)))
    a = spd(3, 3)
    garbage = np.triu(rng.normal(size=(3, 3)), 1)  # numpy ignores the upper triangle
    np.testing.assert_allclose(la.cholesky(a.data + garbage).data, la.cholesky(a).data)
    weights = Tensor(rng.normal(size=(3, 3)))
    # through A = B Bᵀ + 3I the symmetric (PyTorch's) and the triangle gradients agree: B's
    # gradient equals that of L = cholesky(A) with A built symmetric by finite differences
    check_gradients(lambda x: la.cholesky(x @ x.T + Tensor(3 * np.eye(3))) * weights, b,
                    second_order=True)
    lower = _grad_of(lambda x: (la.cholesky(x) * weights).sum(), a)
    assert np.all(np.triu(lower, 1) == 0)


# ---------------------------------------------------------------------- unused outputs, ties
def test_unused_outputs_contribute_nothing():
    a = symmetric(3, 3)
    w, v = np.linalg.eigh(a.data)
    only_w = _grad_of(lambda x: (la.eigh(x)[0] * Tensor([1.0, 2.0, 3.0])).sum(), a)
    np.testing.assert_allclose(only_w, _on_lower((v * [1.0, 2.0, 3.0]) @ v.T), atol=1e-10)
    m = separated(2, 4, 3)
    only_s = _grad_of(lambda x: la.svd(x, full_matrices=False)[1].sum(), m)
    u, s, vh = np.linalg.svd(m.data, full_matrices=False)
    np.testing.assert_allclose(only_s, u @ vh, atol=1e-10)


def test_repeated_values_give_gradients_of_values_and_nan_for_vectors():
    eye = Tensor(np.eye(3), requires_grad=True)
    la.eigh(eye)[0].sum().backward()  # λ(I) repeated, but Σλ = tr A: gradient I
    np.testing.assert_allclose(eye.grad.data, np.eye(3), atol=1e-12)
    eye.grad = None
    (la.eigh(eye)[1] ** 3).sum().backward()  # the eigenvectors of I are not differentiable
    assert np.isnan(eye.grad.data).any()
    # λ₁ = λ₂ < λ₃: v₃ alone is differentiable, and the tie adds nothing to its gradient
    q = _orthogonal(3)
    tied = _t((q * [1.0, 1.0, 3.0]) @ q.T)
    weights = Tensor(rng.normal(size=3))
    check_gradients(lambda x: (la.eigh(x)[1][:, 2] ** 2 * weights).sum(), tied)
    tied.grad = None
    (la.eigh(tied)[1][:, 0] ** 2 * weights).sum().backward()  # v₁ is not: nan
    assert np.isnan(tied.grad.data).any()
    m = Tensor(np.diag([2.0, 2.0, 1.0])[:, :2].copy(), requires_grad=True)  # σ = 2, 2
    la.svd(m, compute_uv=False).sum().backward()
    assert np.all(np.isfinite(m.grad.data))
    np.testing.assert_allclose(m.grad.data, np.eye(3)[:, :2], atol=1e-12)


def test_svd_full_matrices_extra_columns_have_no_gradient():
    a = separated(4, 2)
    u, s, vh = la.svd(a)
    with pytest.raises(ValueError, match=r"svd of shape \(4, 2\) with full_matrices=True"):
        (u[:, 3] ** 2 * Tensor(rng.normal(size=4))).sum().backward()
    wide = separated(2, 3)
    with pytest.raises(ValueError, match="full_matrices=False"):
        la.svd(wide)[2].sum().backward()
    s_only = _t(a.data)
    la.svd(s_only)[1].sum().backward()  # S alone: fine with the default full_matrices
    np.testing.assert_allclose(s_only.grad.data, u.data[:, :2] @ vh.data, atol=1e-10)
    with pytest.raises(ValueError, match="second derivatives"):
        grad(la.svd(s_only)[1].sum(), s_only, create_graph=True)


# ---------------------------------------------------------------------- dtype, errors, namespace
FLOAT32_CASES = {
    "inv": (la.inv, lambda: general(2, 3, 3)),
    "det": (la.det, lambda: general(3, 3)),
    "slogdet": (lambda a: la.slogdet(a)[1], lambda: general(2, 3, 3)),
    "solve": (lambda a: la.solve(a, a[..., 0]), lambda: general(3, 3)),
    "cholesky": (la.cholesky, lambda: spd(2, 3, 3)),
    "eigh": (lambda a: la.eigh(a)[0], lambda: symmetric(3, 3)),
    "svd": (lambda a: la.svd(a)[1], lambda: separated(3, 2)),
    "svd_uv": (lambda a: la.svd(a, False)[0] ** 2, lambda: separated(2, 3)),
}


@pytest.mark.parametrize("name", sorted(FLOAT32_CASES))
def test_float32_stays_float32(name):
    fn, make = FLOAT32_CASES[name]
    a = Tensor(make().data.astype(np.float32), requires_grad=True)
    out = fn(a)
    assert out.dtype == np.float32
    (out * Tensor(np.ones(out.shape, np.float32))).sum().backward()
    assert a.grad.dtype == np.float32
    assert np.all(np.isfinite(a.grad.data))


@pytest.mark.parametrize("fn, name", [(la.inv, "inv"), (la.det, "det"),
                                      (la.slogdet, "slogdet"), (la.cholesky, "cholesky"),
                                      (la.eigh, "eigh")])
def test_non_square_input_is_named(fn, name):
    with pytest.raises(ValueError, match=rf"{name} needs square matrices in the last two axes, "
                                         r"got shape \(2, 3\)"):
        fn(Tensor(np.ones((2, 3))))
    with pytest.raises(ValueError, match=rf"{name} needs square .* got shape \(3,\)"):
        fn(Tensor(np.ones(3)))


def test_bad_operands_are_named():
    a = general(3, 3)
    with pytest.raises(ValueError, match=r"solve: b of shape \(2,\) does not fit a of shape"):
        la.solve(a, np.ones(2))
    with pytest.raises(ValueError, match=r"solve: b of shape \(4, 3\) does not fit"):
        la.solve(a, np.ones((4, 3)))  # numpy 2: a 2-D b is a matrix, (3, k)
    with pytest.raises(ValueError, match="solve: the batch axes"):
        la.solve(general(2, 3, 3), np.ones((3, 3, 1)))
    with pytest.raises(ValueError, match=r"solve needs square matrices a"):
        la.solve(np.ones((2, 3)), np.ones(2))
    with pytest.raises(ValueError, match=r"svd needs matrices in the last two axes, got shape"):
        la.svd(Tensor(np.ones(3)))
    with pytest.raises(ValueError, match="UPLO must be 'L' or 'U'"):
        la.eigh(a, "X")
    with pytest.raises(ValueError, match=r"Inv of shapes \(2, 3\): inv needs square"):
        D.Inv.apply(Tensor(np.ones((2, 3))))
    with pytest.raises(np.linalg.LinAlgError):
        la.inv(Tensor(np.zeros((2, 2))))
    with pytest.raises(la.LinAlgError):
        la.cholesky(Tensor(-np.eye(2)))


def test_namespace_mirrors_numpy_linalg():
    for name in ["inv", "det", "slogdet", "solve", "cholesky", "eigh", "svd", "norm"]:
        assert name in la.__all__ and callable(getattr(la, name))
        assert hasattr(np.linalg, name)
    x = Tensor(rng.normal(size=(3, 4)), requires_grad=True)
    _close(la.norm(x), np.linalg.norm(x.data))
    w, v = la.eigh(symmetric(2, 2))
    assert isinstance(la.eigh(symmetric(2, 2)), tuple) and w.shape == (2,) and v.shape == (2, 2)
    res = la.svd(separated(3, 2), full_matrices=False)
    assert (res.U.shape, res.S.shape, res.Vh.shape) == ((3, 2), (2,), (2, 2))
    assert la.slogdet(general(2, 2)).logabsdet.shape == ()
    # integers become float64, as in numpy.linalg
    assert la.inv(Tensor(np.array([[2, 1], [1, 2]]))).dtype == np.float64
