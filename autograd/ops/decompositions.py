"""Differentiable linear algebra with numpy.linalg's semantics: inv, det, slogdet, solve,
cholesky, eigh and svd, each batched over leading axes (…, n, n) as numpy is.

Each op is one Function whose backward formula runs on arrays and on Tensors (so second
derivatives work). Decisions:

- Several outputs, one node: the engine has single-output Functions, so slogdet, eigh and svd
  pack their results into one array (slogdet: (…, 2) = [sign, log|det|]; eigh: (…, n+1, n),
  w in the first row and V below; svd: U, S and Vh flattened and concatenated along the last
  axis). The function forms cut it apart with getitem and reshape, so an output that is not
  used gets zeros and contributes nothing.
- cholesky and eigh read one triangle of the input, as LAPACK does (the lower one; eigh's
  UPLO='U' the upper), so their gradient lies on that triangle: an off-diagonal entry counts
  twice, the other triangle gets 0. This is the derivative of what numpy computes, for every
  input, and it equals the symmetric textbook gradient on symmetric perturbations
  (e.g. A = B Bᵀ: the gradient that reaches B is the same).
- eigh and svd need distinct eigenvalues / singular values (and nonzero singular values for a
  non-square U or V) for the vectors that get a gradient: where two coincide (to rounding:
  numpy's matrix_rank tolerance, n·eps·max) and one of their vectors is used, the gradient
  is nan, never a made-up number such as 1/(rounding error). Vectors that get no gradient
  add nothing, so functions of w or S alone (or of the vectors of simple values) are
  differentiable with repeated values elsewhere.
- svd with full_matrices=True on a non-square matrix: the extra columns of U (or rows of Vh)
  are not determined by A, so a gradient through them raises ValueError; a gradient that uses
  only the first min(m, n) of them is exact. Second derivatives need full_matrices=False
  (or compute_uv=False) there.
- det's gradient is the cofactor matrix cof(A) (det(A)·A⁻ᵀ where A is invertible), which
  exists at every matrix, singular ones included; it is computed through the SVD with no
  division, and its own gradient is written with cofactors again, so every order works.
- slogdet at a singular matrix (numpy's sign 0, logabsdet −∞): log|det| has no gradient
  there, so the matrices of a batch that are singular and whose logabsdet is used get nan
  (the others their exact A⁻ᵀ, unused ones 0); nothing raises.
- Real floating inputs; the dtype is kept (float32 stays float32).
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from autograd.function import Function
from autograd.mode import is_grad_enabled
from autograd.ops.course import unbroadcast
from autograd.ops.formula import ArraySafe, broadcast_to, constant, raw, where
from autograd.ops.shape import Concatenate
from autograd.tensor import Tensor, as_tensor

__all__ = [
    "Inv", "Det", "Cofactor", "Slogdet", "Solve", "Cholesky", "Eigh", "SVD",
    "EighResult", "SVDResult", "SlogdetResult",
    "inv", "det", "slogdet", "solve", "cholesky", "eigh", "svd",
]


# ---------------------------------------------------------------------- helpers
def _mT(x: Any) -> Any:
    """The matrix transpose of the last two axes (an array or a Tensor)."""
    return x.swapaxes(-1, -2)


def _row(x: Any) -> Any:
    """(…, n) as (…, 1, n): entry j of a row, the same down every column."""
    return x.reshape(x.shape[:-1] + (1, x.shape[-1]))


def _column(x: Any) -> Any:
    """(…, n) as (…, n, 1)."""
    return x.reshape(x.shape + (1,))


def _scalar_matrix(x: Any) -> Any:
    """(…) as (…, 1, 1): one number per matrix of a batch."""
    return x.reshape(x.shape + (1, 1))


def _const(values: np.ndarray, like: Any) -> Any:
    """Constant `values` in `like`'s dtype, as the same kind as `like`: a float64 mask must
    not turn a float32 gradient into float64."""
    return constant(values.astype(raw(like).dtype), like)


def _quotient(num: Any, den: Any, used: np.ndarray, tol: Any) -> Any:
    """num / den, where |den| ≤ tol (two eigenvalues or singular values equal to rounding, a
    singular value of 0) a derivative exists only if that entry's vectors are not used: 0
    there when `used` (a mask that broadcasts to num: their gradient is nonzero) is False,
    else nan: 1/(rounding error) would be a made-up number."""
    undefined = np.broadcast_to(np.abs(raw(den)) <= tol, num.shape)
    if not undefined.any():
        return num / den
    quotient = num / where(undefined, 1.0, den)  # num is 0 there when nothing is used
    bad = undefined & used
    return where(bad, np.nan, quotient) if bad.any() else quotient


def _tolerance(values: Any, count: int, power: int = 1) -> np.ndarray:
    """(…, 1, 1): count · eps · max|value|ᵖᵒʷᵉʳ per matrix, below which two values (or one
    value and 0) are equal to rounding (numpy's matrix_rank tolerance)."""
    values = raw(values)
    scale = np.abs(values).max(axis=-1, initial=0.0) ** power
    return _scalar_matrix(count * np.finfo(values.dtype).eps * scale)


def _used_columns(grad: Any) -> np.ndarray:
    """(…, n): whether column j of a gradient (…, m, n) of vectors is nonzero."""
    return (raw(grad) != 0).any(axis=-2)


def _used_pairs(columns: np.ndarray) -> np.ndarray:
    """(…, n, n): whether vector i or j is used, off the diagonal (whose entry F leaves 0)."""
    n = columns.shape[-1]
    return (columns[..., None, :] | columns[..., :, None]) & ~np.eye(n, dtype=bool)


def _sym(x: Any) -> Any:
    """The symmetric part (X + Xᵀ)/2."""
    return (x + _mT(x)) * 0.5


def _on_triangle(sym: Any, lower: bool) -> Any:
    """The gradient of a function of the triangle that is read (lower or upper), from the
    symmetric gradient: an off-diagonal entry stands for two, the other triangle for none."""
    n = sym.shape[-1]
    weights = 2.0 * np.tri(n, k=-1) + np.eye(n)
    return sym * _const(weights if lower else weights.T, sym)


def _check_square(name: str, shape: tuple) -> None:
    if len(shape) < 2 or shape[-1] != shape[-2]:
        raise ValueError(f"{name} needs square matrices in the last two axes, got shape {shape}")


def _check_matrices(name: str, shape: tuple) -> None:
    if len(shape) < 2:
        raise ValueError(f"{name} needs matrices in the last two axes, got shape {shape}")


def _floating(x: Any) -> Tensor:
    """x as a Tensor; integers become float64, as numpy.linalg makes them."""
    x = as_tensor(x)
    return x if x.dtype.kind == "f" else x.astype(np.float64)


def _linalg(function: type, *args: Any) -> Any:
    """function.run(*args) (apply on Tensors), numpy's LinAlgError (a singular matrix) kept as
    one: apply turns the ValueErrors of a forward, LinAlgError among them, into plain ones."""
    try:
        return function.run(*args)
    except ValueError as error:
        if isinstance(error.__context__, np.linalg.LinAlgError):
            raise np.linalg.LinAlgError(str(error)) from None
        raise


# ---------------------------------------------------------------------- inv
class Inv(ArraySafe, Function):
    """∂A⁻¹/∂A: Ā = −A⁻ᵀ Ḡ A⁻ᵀ"""

    @staticmethod
    def forward(ctx, a):
        _check_square("inv", a.shape)
        out = np.linalg.inv(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        (out,) = ctx.saved_tensors  # A⁻¹ itself: under create_graph its own node differentiates
        out_t = _mT(out)
        return -(out_t @ grad @ out_t)


def inv(a: Any) -> Tensor:
    """The inverse of each square matrix in the last two axes (numpy.linalg.inv)."""
    a = _floating(a)
    _check_square("inv", a.shape)
    return _linalg(Inv, a)


# ---------------------------------------------------------------------- det, slogdet
def _products_but_one(x: np.ndarray) -> np.ndarray:
    """(…, n): entry i the product of all entries but xᵢ, from prefix and suffix products
    (no division, so a zero entry is no problem)."""
    ones = np.ones_like(x[..., :1])
    before = np.cumprod(np.concatenate([ones, x[..., :-1]], axis=-1), axis=-1)
    after = np.cumprod(np.concatenate([ones, x[..., :0:-1]], axis=-1), axis=-1)[..., ::-1]
    return before * after


class Cofactor(ArraySafe, Function):
    """∂⟨Ḡ, cof A⟩/∂A = −Σⱼ cof([[A, ḡⱼ], [eⱼᵀ, 0]]) restricted to A's block (ḡⱼ: column j of Ḡ)

    cof(A) is the cofactor matrix, ∂det(A)/∂A (the transposed adjugate; det(A)·A⁻ᵀ for an
    invertible A). Forward: with A = U S Vᵀ, cof(A) = det(U)·det(V)·U diag(Πⱼ≠ᵢ sⱼ) Vᵀ, as
    cof(XY) = cof(X) cof(Y) and cof(Q) = det(Q)·Q for an orthogonal Q. Backward: ⟨Ḡ, cof A⟩ =
    Σⱼ eⱼᵀ adj(A) ḡⱼ = −Σⱼ det([[A, ḡⱼ], [eⱼᵀ, 0]]) (the bordered determinant), whose
    gradient is the top-left block of those bordered matrices' cofactors: the formula uses
    Cofactor itself, so it is differentiable to any order. The second derivative of det
    costs n cofactors of size n + 1 per matrix."""

    @staticmethod
    def forward(ctx, a):
        _check_square("cofactor", a.shape)
        u, s, vh = np.linalg.svd(a)
        sign = np.sign(np.linalg.det(u) * np.linalg.det(vh))  # ±1: rounding removed
        return _scalar_matrix(sign) * ((u * _row(_products_but_one(s))) @ vh)

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.inputs
        n = a.shape[-1]
        batch = a.shape[:-2] + (n,)
        # the bordered matrices [[A, ḡⱼ], [eⱼᵀ, 0]], stacked along a new axis j before the two
        top = Concatenate.run(-1, broadcast_to(a.reshape(a.shape[:-2] + (1, n, n)),
                                               batch + (n, n)),
                              _column(_mT(grad)))
        last_row = np.concatenate([np.eye(n), np.zeros((n, 1))], axis=-1)[:, None, :]
        bottom = np.broadcast_to(last_row.astype(raw(grad).dtype), batch + (1, n + 1))
        cofactors = Cofactor.run(Concatenate.run(-2, top, bottom))
        return -cofactors[..., :n, :n].sum(axis=-3)


class Det(ArraySafe, Function):
    """∂det(A)/∂A = cof(A), the cofactor matrix (= det(A)·A⁻ᵀ for an invertible A)"""

    @staticmethod
    def forward(ctx, a):
        _check_square("det", a.shape)
        return np.asarray(np.linalg.det(a))  # numpy gives a scalar for one matrix

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.inputs
        return _scalar_matrix(grad) * Cofactor.run(a)


def det(a: Any) -> Tensor:
    """The determinant of each square matrix in the last two axes (numpy.linalg.det)."""
    a = _floating(a)
    _check_square("det", a.shape)
    return _linalg(Det, a)


class Slogdet(ArraySafe, Function):
    """∂log|det A|/∂A = A⁻ᵀ,  ∂sign(det A)/∂A = 0  (packed: (…, 2) = [sign, log|det|])"""

    @staticmethod
    def forward(ctx, a):
        _check_square("slogdet", a.shape)
        sign, logabsdet = np.linalg.slogdet(a)
        out = np.stack([sign, logabsdet], axis=-1)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        (a,) = ctx.inputs
        (out,) = ctx.saved_tensors
        # the sign is piecewise constant: only the log's gradient grad[..., 1] flows back
        grad_log = _scalar_matrix(grad[..., 1])
        singular = _scalar_matrix(raw(out)[..., 0] == 0)  # numpy's sign 0: log|det| = −∞
        if singular.any():  # a stand-in I keeps inv from raising; nan replaces its gradient
            a = where(singular, np.eye(a.shape[-1], dtype=raw(a).dtype), a)
        grad_a = grad_log * _mT(_linalg(Inv, a))
        undefined = singular & (raw(grad_log) != 0)
        return where(undefined, np.nan, grad_a) if undefined.any() else grad_a


class SlogdetResult(NamedTuple):
    """numpy's (sign, logabsdet) of slogdet, as Tensors."""

    sign: Tensor
    logabsdet: Tensor


def slogdet(a: Any) -> SlogdetResult:
    """(sign, log|det|) of each square matrix (numpy.linalg.slogdet): det = sign·exp(logabsdet)
    without overflow. The sign has zero gradient. A singular matrix gives sign 0 and
    logabsdet −inf, and where its logabsdet is used its gradient is nan (log|det| has none
    there; PyTorch's is inf/nan too, or an error under create_graph); the other matrices of
    the batch get their exact gradients."""
    a = _floating(a)
    _check_square("slogdet", a.shape)
    packed = _linalg(Slogdet, a)
    return SlogdetResult(packed[..., 0], packed[..., 1])


# ---------------------------------------------------------------------- solve
def _check_solve(a_shape: tuple, b_shape: tuple) -> None:
    """numpy 2's rule: b is a vector (n,) only when it is 1-D, else a stack (…, n, k)."""
    if len(a_shape) < 2 or a_shape[-1] != a_shape[-2]:
        raise ValueError(f"solve needs square matrices a in the last two axes, got a of shape "
                         f"{a_shape} (and b of shape {b_shape})")
    n = a_shape[-1]
    if len(b_shape) == 0 or (len(b_shape) == 1 and b_shape[0] != n) or \
            (len(b_shape) >= 2 and b_shape[-2] != n):
        raise ValueError(f"solve: b of shape {b_shape} does not fit a of shape {a_shape}: b must "
                         f"be ({n},) or (..., {n}, k)")
    if len(b_shape) >= 2:
        try:
            np.broadcast_shapes(a_shape[:-2], b_shape[:-2])
        except ValueError:
            raise ValueError(f"solve: the batch axes of a of shape {a_shape} and b of shape "
                             f"{b_shape} do not broadcast") from None


class Solve(ArraySafe, Function):
    """∂(A⁻¹B)/∂B = A⁻ᵀḠ,  ∂(A⁻¹B)/∂A = −(A⁻ᵀḠ) Xᵀ  (X = A⁻¹B)"""

    operands = ("A", "B")  # its operands as its derivative names them (pictures)

    @staticmethod
    def forward(ctx, a, b):
        _check_solve(a.shape, b.shape)
        out = np.linalg.solve(a, b)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        a, b = ctx.inputs
        (x,) = ctx.saved_tensors
        need_a, need_b = ctx.needs_input_grad
        if b.ndim == 1:  # a vector b is one column: give it (and X, Ḡ) that axis
            grad, x = _column(grad), _column(x)
        grad_b = _linalg(Solve, _mT(a), grad)  # A⁻ᵀḠ, over the broadcast batch
        grad_a = unbroadcast(-(grad_b @ _mT(x)), a.shape) if need_a else None
        if need_b:
            grad_b = unbroadcast(grad_b, b.shape + (1,) if b.ndim == 1 else b.shape)
            grad_b = grad_b.reshape(b.shape)
        return grad_a, grad_b if need_b else None


def solve(a: Any, b: Any) -> Tensor:
    """X with A X = B (numpy.linalg.solve, numpy 2's rule): b of shape (n,) is one vector;
    any other b is a stack of (n, k) matrices, its batch axes broadcast against a's."""
    a, b = _floating(a), _floating(b)
    _check_solve(a.shape, b.shape)
    return _linalg(Solve, a, b)


# ---------------------------------------------------------------------- cholesky
class Cholesky(ArraySafe, Function):
    """∂L/∂A: Ā = sym(L⁻ᵀ Φ(LᵀḠ) L⁻¹) on the lower triangle (Φ: lower part, diagonal halved)"""

    @staticmethod
    def forward(ctx, a):
        _check_square("cholesky", a.shape)
        out = np.linalg.cholesky(a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        # Murray 2016 / PyTorch: from dA = dL Lᵀ + L dLᵀ, L⁻¹ dL = Φ(L⁻¹ dA L⁻ᵀ)
        (low,) = ctx.saved_tensors
        n = low.shape[-1]
        phi = _const(np.tri(n, k=-1) + 0.5 * np.eye(n), grad)
        low_inv = _linalg(Inv, low)
        middle = _mT(low_inv) @ ((_mT(low) @ grad) * phi) @ low_inv
        return _on_triangle(_sym(middle), lower=True)


def cholesky(a: Any, upper: bool = False) -> Tensor:
    """The Cholesky factor L (lower, L Lᵀ = A) of each symmetric positive-definite matrix
    (numpy.linalg.cholesky); only the lower triangle of `a` is read. With upper=True, numpy
    2's U = Lᵀ (Uᵀ U = A) from the upper triangle."""
    a = _floating(a)
    _check_square("cholesky", a.shape)
    if upper:  # the upper triangle of A is the lower one of Aᵀ
        return _mT(_linalg(Cholesky, _mT(a)))
    return _linalg(Cholesky, a)


# ---------------------------------------------------------------------- eigh
def _eigh_parts(packed: Any) -> tuple:
    """(w, V) of eigh's packed (…, n+1, n): w the first row, V below."""
    return packed[..., 0, :], packed[..., 1:, :]


class Eigh(ArraySafe, Function):
    """∂λᵢ/∂A = vᵢvᵢᵀ,  Ā = V (F ∘ VᵀV̄) Vᵀ for V (Fᵢⱼ = 1/(λⱼ−λᵢ), i≠j), on the triangle read"""

    @staticmethod
    def forward(ctx, a, uplo):
        _check_square("eigh", a.shape)
        w, v = np.linalg.eigh(a, UPLO=uplo)
        out = np.concatenate([w[..., None, :], v], axis=-2)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        # Giles 2008: dλ = diag(Vᵀ dA V), dV = V (F ∘ (Vᵀ dA V)) for a symmetric dA
        _, uplo = ctx.inputs
        (out,) = ctx.saved_tensors
        w, v = _eigh_parts(out)
        grad_w, grad_v = _eigh_parts(grad)
        n = w.shape[-1]
        v_t = _mT(v)
        off = _const(1.0 - np.eye(n), grad)
        middle = (_row(grad_w) * _const(np.eye(n), grad)
                  + _quotient((v_t @ grad_v) * off, _row(w) - _column(w),
                              _used_pairs(_used_columns(grad_v)), _tolerance(w, n)))
        return _on_triangle(_sym(v @ middle @ v_t), lower=uplo == "L"), None


class EighResult(NamedTuple):
    """numpy's (eigenvalues, eigenvectors) of eigh, as Tensors."""

    eigenvalues: Tensor
    eigenvectors: Tensor


def eigh(a: Any, UPLO: str = "L") -> EighResult:  # (numpy's name and default)
    """(w, V) of each symmetric matrix (numpy.linalg.eigh): ascending eigenvalues w and the
    eigenvectors as the columns of V, A = V diag(w) Vᵀ. Only the `UPLO` triangle ('L' lower,
    'U' upper) of `a` is read. The eigenvectors' gradient needs distinct eigenvalues."""
    if UPLO not in ("L", "U"):
        raise ValueError(f"eigh: UPLO must be 'L' or 'U', got {UPLO!r}")
    a = _floating(a)
    _check_square("eigh", a.shape)
    w, v = _eigh_parts(_linalg(Eigh, a, UPLO))
    return EighResult(w, v)


# ---------------------------------------------------------------------- svd
def _svd_parts(packed: Any, m: int, n: int, full_matrices: bool) -> tuple:
    """(U, S, Vh) of svd's packed (…, m·p + k + q·n): U (…, m, p), S (…, k), Vh (…, q, n)."""
    k = min(m, n)
    p, q = (m, n) if full_matrices else (k, k)
    batch = packed.shape[:-1]
    u = packed[..., :m * p].reshape(batch + (m, p))
    s = packed[..., m * p:m * p + k]
    vh = packed[..., m * p + k:].reshape(batch + (q, n))
    return u, s, vh


class SVD(ArraySafe, Function):
    """∂σᵢ/∂A = uᵢvᵢᵀ,  U, V: Ā = U[(F∘(UᵀŪ−ŪᵀU))Σ + Σ(F∘(VᵀV̄−V̄ᵀV))]Vᵀ (+ 2 terms if m≠n)

    In full (Townsend 2016; Giles 2008), Fᵢⱼ = 1/(σⱼ²−σᵢ²) off the diagonal and 0 on it:
    Ā = U[(F∘(UᵀŪ−ŪᵀU))Σ + diag(S̄) + Σ(F∘(VᵀV̄−V̄ᵀV))]Vᵀ + (I−UUᵀ)ŪΣ⁻¹Vᵀ + UΣ⁻¹V̄ᵀ(I−VVᵀ).
    Packed output: U, S and Vh flattened and concatenated along the last axis."""

    @staticmethod
    def forward(ctx, a, full_matrices):
        _check_matrices("svd", a.shape)
        u, s, vh = np.linalg.svd(a, full_matrices=full_matrices)
        batch = a.shape[:-2]
        out = np.concatenate([u.reshape(batch + (-1,)), s, vh.reshape(batch + (-1,))], axis=-1)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx, grad):
        a, full_matrices = ctx.inputs
        (out,) = ctx.saved_tensors
        m, n = a.shape[-2:]
        k = min(m, n)
        u, s, vh = _svd_parts(out, m, n, full_matrices)
        grad_u, grad_s, grad_vh = _svd_parts(grad, m, n, full_matrices)
        if full_matrices and m != n:
            _check_no_extra_gradient(raw(grad_u)[..., k:], raw(grad_vh)[..., k:, :], a.shape,
                                     isinstance(grad, Tensor) and is_grad_enabled())
            u, grad_u = u[..., :k], grad_u[..., :k]
            vh, grad_vh = vh[..., :k, :], grad_vh[..., :k, :]
        eye = _const(np.eye(k), grad)
        off = _const(1.0 - np.eye(k), grad)
        s_row, s_column = _row(s), _column(s)
        gap = s_row * s_row - s_column * s_column  # σⱼ² − σᵢ²
        u_t, v = _mT(u), _mT(vh)
        ut_gu = u_t @ grad_u  # UᵀŪ
        vt_gv = vh @ _mT(grad_vh)  # VᵀV̄
        used_u, used_v = _used_columns(grad_u), _used_columns(_mT(grad_vh))
        tie = _tolerance(s, 2 * max(m, n), power=2)  # σⱼ² − σᵢ² = (σⱼ − σᵢ)(σⱼ + σᵢ)
        middle = (_quotient((ut_gu - _mT(ut_gu)) * off, gap, _used_pairs(used_u), tie) * s_row
                  + _row(grad_s) * eye
                  + s_column * _quotient((vt_gv - _mT(vt_gv)) * off, gap, _used_pairs(used_v),
                                         tie))
        grad_a = u @ middle @ vh
        zero = _tolerance(s, max(m, n))
        if m > k:  # U's columns span only part of ℝᵐ: Ū's part outside them, (I − UUᵀ)Ū
            grad_a = grad_a + _quotient(grad_u - u @ ut_gu, s_row, _row(used_u), zero) @ vh
        if n > k:  # likewise for V in ℝⁿ
            grad_a = grad_a + u @ _mT(_quotient(_mT(grad_vh) - v @ vt_gv, s_row,
                                                _row(used_v), zero))
        return grad_a, None


def _check_no_extra_gradient(extra_u: np.ndarray, extra_vh: np.ndarray, shape: tuple,
                             second_order: bool) -> None:
    # With full_matrices=True on a non-square A, the last m − k columns of U (or n − k rows
    # of Vh) are any orthonormal completion LAPACK picks: no function of A, no derivative.
    if extra_u.any() or extra_vh.any():
        raise ValueError(
            f"svd of shape {shape} with full_matrices=True: the gradient reaches the extra "
            "columns of U (or rows of Vh) beyond min(m, n), which are not determined by the "
            "matrix and have no derivative; use full_matrices=False")
    if second_order:
        raise ValueError(
            f"svd of shape {shape} with full_matrices=True: second derivatives (create_graph) "
            "are supported only with full_matrices=False or compute_uv=False")


class SVDResult(NamedTuple):
    """numpy's (U, S, Vh) of svd, as Tensors."""

    U: Tensor
    S: Tensor
    Vh: Tensor


def svd(a: Any, full_matrices: bool = True, compute_uv: bool = True) -> Any:
    """numpy.linalg.svd of each matrix in the last two axes: A = U diag(S) Vh with S
    descending. compute_uv=False gives S alone (differentiable twice, also with repeated
    singular values). The gradient through U and Vh needs distinct (and, for a non-square
    matrix, nonzero) singular values; with full_matrices=True on a non-square matrix the
    extra columns of U (rows of Vh) have no gradient (ValueError if one reaches them)."""
    a = _floating(a)
    _check_matrices("svd", a.shape)
    m, n = a.shape[-2:]
    if not compute_uv:  # the thin factorization: its U and V are all the gradient needs
        return _svd_parts(_linalg(SVD, a, False), m, n, False)[1]
    full_matrices = bool(full_matrices)
    return SVDResult(*_svd_parts(_linalg(SVD, a, full_matrices), m, n, full_matrices))
