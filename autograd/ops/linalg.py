"""Linear algebra with numpy's semantics, differentiable (the matrix product MatMul and the
layer's Affine are the course's, in course.py):

- products: dot, outer, inner, vdot, tensordot, einsum, kron, and the diagonal family
  (trace, diag, diagonal) with tril and triu. Most are compositions of reshape, transpose,
  matmul, sum and mul; einsum and the diagonal read and scatter are Functions of their own.
  Float dtypes are kept; each is differentiable twice. Empty operands give numpy's answer
  (an empty sum is 0) and gradients of their shapes.
- numpy.linalg's inv, det, slogdet, solve, cholesky, eigh and svd, each batched over leading
  axes (…, n, n) as numpy is, each one Function whose backward formula runs on arrays and
  on Tensors (so second derivatives work).
- numpy.linalg's matrix_power, pinv and multi_dot (as `linalg_matrix_power`, `linalg_pinv`,
  `linalg_multi_dot`), compositions of those: matrix_power's repeated squaring and
  multi_dot's chain order are numpy's, so their values are numpy's too.

Decisions for the decompositions:

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
- linalg_pinv is differentiable where svd is (distinct nonzero singular values: full-rank
  matrices with simple spectrum); rank-deficient inputs give numpy's value but a nan
  gradient.
"""

from __future__ import annotations

import functools
import operator
import string
from typing import Any, NamedTuple, Sequence, Union

import numpy as np

from autograd.function import Function
from autograd.mode import is_grad_enabled
from autograd.ops.arguments import _NO_VALUE, _constant, _operand, _operands
from autograd.ops.course import IndexAdd, MatMul, matmul, reshape, unbroadcast
from autograd.ops.formula import ArraySafe, broadcast_to, constant, raw, where
from autograd.ops.shape import Concatenate, swapaxes
from autograd.tensor import Tensor, as_tensor

__all__ = [
    "Cholesky", "Cofactor", "Det", "Diagonal", "DiagonalEmbed", "Eigh", "EighResult", "Einsum",
    "Inv", "SVD", "SVDResult", "Slogdet", "SlogdetResult", "Solve",
    "cholesky", "det", "diag", "diagonal", "dot", "eigh", "einsum", "inner", "inv", "kron",
    "linalg_matrix_power", "linalg_multi_dot", "linalg_pinv", "outer", "slogdet", "solve", "svd",
    "tensordot", "trace", "tril", "triu", "vdot",
]


# ---------------------------------------------------------------------- products
def _pair(a: Any, b: Any) -> tuple:
    """Both operands as Tensors (numbers take the dtype of a Tensor beside them)."""
    return _operands(a if isinstance(b, Tensor) else as_tensor(a), b)


def _shape_error(op: str, a: Tensor, b: Tensor, why: str) -> ValueError:
    return ValueError(f"{op}: shapes {a.shape} and {b.shape} {why}")


# ---------------------------------------------------------------------- einsum
# numpy's labels: a-z and A-Z; a sublist's integer k is the k-th of A..Z a..z (numpy's own
# mapping, so that the implicit output's order, by label, is the same)
_LABELS = string.ascii_uppercase + string.ascii_lowercase


_ELLIPSIS = "..."


def _sublist_subscripts(args: tuple) -> tuple:
    """numpy's sublist form einsum(op0, sub0, op1, sub1, ..., [output sublist]) as
    (subscripts string, operands): integer k in [0, 52) is the k-th of A..Z a..z, and
    Ellipsis is '...'."""
    operands, sublists = list(args[0::2]), list(args[1::2])
    output = None
    if len(args) % 2:  # an odd count: the last one is the output's sublist
        output = operands.pop()
    if not operands:
        raise ValueError("einsum needs at least one operand and its sublist")

    def letters(sublist: Any, what: str) -> str:
        if not isinstance(sublist, (list, tuple, np.ndarray)):
            raise TypeError(f"einsum: the subscripts of {what} must be a list or a tuple, got "
                            f"{type(sublist).__name__}")
        out = []
        for item in sublist:
            if item is Ellipsis:
                if _ELLIPSIS in out:
                    raise ValueError(f"einsum: the sublist of {what} has more than one "
                                     "Ellipsis")
                out.append(_ELLIPSIS)
                continue
            if isinstance(item, (bool, np.bool_)):
                raise TypeError(f"einsum: each subscript must be an integer or Ellipsis, got "
                                f"{item!r} in the sublist of {what}")
            try:
                k = operator.index(item)
            except TypeError:
                raise TypeError(f"einsum: each subscript must be an integer or Ellipsis, got "
                                f"{item!r} in the sublist of {what}") from None
            if not 0 <= k < len(_LABELS):
                raise ValueError(f"einsum: subscript {k} in the sublist of {what} is not "
                                 f"within the valid range [0, {len(_LABELS)})")
            out.append(_LABELS[k])
        return "".join(out)

    terms = [letters(s, f"operand {i}") for i, s in enumerate(sublists)]
    subscripts = ",".join(terms)
    if output is not None:
        subscripts += "->" + letters(output, "the output")
    return subscripts, operands


def _letters(subscripts: str, term: str, what: str) -> str:
    """A term's letters, '...' (at most once) kept; anything else is an error."""
    if term.count(_ELLIPSIS) > 1 or "." in term.replace(_ELLIPSIS, "", 1):
        raise ValueError(f"einsum {subscripts!r}: {what} has a '.' that is not part of one "
                         "ellipsis '...'")
    for c in term.replace(_ELLIPSIS, ""):
        if c not in _LABELS:
            raise ValueError(f"einsum {subscripts!r}: invalid subscript {c!r} in {what}; "
                             "subscripts must be letters a-z, A-Z")
    return term


def _count(n: int) -> str:
    return f"{n} axis" if n == 1 else f"{n} axes"


@functools.lru_cache(maxsize=1024)
def _explicit(subscripts: str, shapes: tuple) -> tuple:
    """(input terms, output term) of an einsum over operands of `shapes`, made explicit:
    the output spelt out (implicit mode: '...' then the letters used once, in order), and
    each '...' replaced by letters of its own, one per axis it covers (right-aligned: an
    operand with fewer such axes takes the last ones, numpy's broadcasting). Checks every
    rule numpy checks: counts, one '->', letters, axes per operand, an output letter once
    and from an input, repeated letters of one operand equal in size, sizes 1 or equal
    across operands."""
    if not isinstance(subscripts, str):
        raise TypeError(f"einsum: subscripts must be a string, got {type(subscripts).__name__}")
    spec = subscripts.replace(" ", "")
    inputs, arrow, output = spec.partition("->")
    if "-" in inputs + output or ">" in inputs + output:
        raise ValueError(f"einsum {subscripts!r}: '-' and '>' may appear only as one '->' "
                         "before the output")
    terms = inputs.split(",")
    if len(terms) != len(shapes):
        raise ValueError(f"einsum {subscripts!r}: {len(terms)} operand subscripts for "
                         f"{len(shapes)} operands")
    terms = [_letters(subscripts, t, f"operand {i}") for i, t in enumerate(terms)]
    covered = []  # how many axes each operand's '...' covers
    for i, (term, shape) in enumerate(zip(terms, shapes)):
        named = len(term.replace(_ELLIPSIS, ""))
        if (named > len(shape)) or (_ELLIPSIS not in term and named != len(shape)):
            raise ValueError(f"einsum {subscripts!r}: subscripts {term!r} name {_count(named)} "
                             f"of operand {i}, which has {len(shape)} (shape {shape})")
        covered.append(len(shape) - named if _ELLIPSIS in term else 0)
    broadcast = max(covered)
    used = set("".join(terms) + output) - set(".")
    spare = [c for c in _LABELS if c not in used]
    if broadcast > len(spare):
        raise ValueError(f"einsum {subscripts!r}: the ellipsis covers {broadcast} axes and "
                         f"only {len(spare)} letters are left to name them (numpy's 52)")
    ellipsis = "".join(spare[:broadcast])
    terms = [t.replace(_ELLIPSIS, ellipsis[broadcast - n:]) for t, n in zip(terms, covered)]
    if arrow:
        _letters(subscripts, output, "the output")
        for c in output.replace(_ELLIPSIS, ""):
            if output.count(c) > 1:
                raise ValueError(f"einsum {subscripts!r}: the output has subscript {c!r} "
                                 "more than once")
            if not any(c in t for t in terms):
                raise ValueError(f"einsum {subscripts!r}: output subscript {c!r} is in no "
                                 "operand's subscripts")
        if broadcast and _ELLIPSIS not in output:
            raise ValueError(f"einsum {subscripts!r}: the ellipsis covers {_count(broadcast)} "
                             "of an operand and the output has no '...'")
        output = output.replace(_ELLIPSIS, ellipsis)
    else:  # implicit mode: the broadcast axes, then the letters used once, in order
        letters = "".join(terms)
        output = ellipsis + "".join(sorted(c for c in set(letters) - set(ellipsis)
                                           if letters.count(c) == 1))
    sizes: dict = {}  # letter -> (size, operand) of its first size other than 1
    for i, (term, shape) in enumerate(zip(terms, shapes)):
        for c, n in zip(term, shape):
            what = (f"subscript {c!r}" if c not in ellipsis else
                    f"axis {ellipsis.index(c) - broadcast} under '...'")
            first = shape[term.index(c)]
            if n != first:
                raise ValueError(f"einsum {subscripts!r}: {what} is repeated in operand {i} "
                                 f"(shape {shape}) over axes of sizes {first} and {n}")
            if n != 1:
                size, j = sizes.setdefault(c, (n, i))
                if size != n:
                    raise ValueError(f"einsum {subscripts!r}: {what} has size {size} in "
                                     f"operand {j} and {n} in operand {i}, which do not "
                                     "broadcast")
    return tuple(terms), output


class Einsum(ArraySafe, Function):
    """∂einsum(..., Aᵢ, ...)/∂Aᵢ: einsum of G with the other operands into Aᵢ's subscripts"""

    @staticmethod
    def forward(ctx, subscripts, *operands):
        terms, output = _explicit(subscripts, tuple(np.shape(o) for o in operands))
        out = np.einsum(f"{','.join(terms)}->{output}", *operands)
        return out if type(out) is np.ndarray else np.asarray(out)

    @staticmethod
    def backward(ctx, grad):
        subscripts, *operands = ctx.inputs
        terms, output = _explicit(subscripts, tuple(o.shape for o in operands))
        grads = [None]
        for i in range(len(operands)):
            needed = ctx.needs_input_grad[i + 1]
            grads.append(_operand_grad(grad, output, terms, operands, i) if needed else None)
        return tuple(grads)


def _operand_grad(grad: Any, output: str, terms: tuple, operands: list, i: int) -> Any:
    """∂/∂Aᵢ of the einsum (explicit terms and output) given its output's gradient G: the
    einsum of G and the other operands into Aᵢ's letters (each once); summed back over the
    axes Aᵢ broadcast from size 1, spread over a letter Aᵢ alone has, and, for a letter
    Aᵢ repeats, put on that diagonal (zeros elsewhere: it read only the diagonal)."""
    term, shape = terms[i], operands[i].shape
    unique = "".join(dict.fromkeys(term))  # each letter once, in order
    others = [j for j in range(len(terms)) if j != i]
    seen = set(output).union(*(terms[j] for j in others))
    kept = "".join(c for c in unique if c in seen)
    spec = ",".join([output] + [terms[j] for j in others]) + "->" + kept
    g = Einsum.run(spec, grad, *[operands[j] for j in others])
    size = {c: shape[term.index(c)] for c in unique}
    wanted = tuple(size[c] for c in unique)
    if kept != unique:  # a letter in Aᵢ alone, summed there: G is the same along it
        g = g.reshape(tuple(g.shape[kept.index(c)] if c in kept else 1 for c in unique))
    g = unbroadcast(g, wanted)  # Aᵢ's size-1 axes, broadcast against larger ones
    if g.shape != wanted:
        g = broadcast_to(g, wanted)
    if unique != term:  # a repeated letter: Aᵢ's entries off its diagonal were not read
        index = tuple(np.arange(size[c]).reshape([-1 if d == c else 1 for d in unique])
                      for c in term)
        g = IndexAdd.run(g, index, shape)
    return g


def einsum(subscripts: Any, *operands: Any) -> Tensor:
    """numpy's einsum: `einsum('ij,jk->ik', a, b)` (explicit output or implicit, repeated
    subscripts for diagonals and traces, '...' for broadcast axes) or the sublist form
    `einsum(a, [0, 1], b, [1, 2], [0, 2])` (Ellipsis allowed in a sublist)."""
    if isinstance(subscripts, str):
        if not operands:
            raise ValueError("einsum needs at least one operand")
        return Einsum.apply(subscripts, *[as_tensor(o) for o in operands])
    spec, arrays = _sublist_subscripts((subscripts,) + operands)
    tensors = [as_tensor(o) for o in arrays]
    try:
        return Einsum.apply(spec, *tensors)
    except ValueError as error:
        raise ValueError(f"{error} (the sublists read as subscripts {spec!r}: 0-25 are A-Z, "
                         "26-51 are a-z)") from None


# ---------------------------------------------------------------------- contractions
def tensordot(a: Any, b: Any, axes: Union[int, Sequence] = 2) -> Tensor:
    """Σ over a's `axes[0]` against b's `axes[1]` (an int N: a's last N, b's first N)."""
    a, b = _pair(a, b)
    if isinstance(axes, (int, np.integer)):
        if axes < 0 or axes > min(a.ndim, b.ndim):
            raise _shape_error("tensordot", a, b, f"cannot be contracted over {axes} axes")
        axes_a, axes_b = list(range(a.ndim - axes, a.ndim)), list(range(axes))
    else:
        axes_a, axes_b = axes
        axes_a = [axes_a] if isinstance(axes_a, (int, np.integer)) else list(axes_a)
        axes_b = [axes_b] if isinstance(axes_b, (int, np.integer)) else list(axes_b)
    try:
        axes_a = [int(x) + a.ndim if x < 0 else int(x) for x in axes_a]
        axes_b = [int(x) + b.ndim if x < 0 else int(x) for x in axes_b]
        bad = (len(axes_a) != len(axes_b) or len(set(axes_a)) != len(axes_a)
               or len(set(axes_b)) != len(axes_b)
               or any(a.shape[i] != b.shape[j] for i, j in zip(axes_a, axes_b)))
    except IndexError:
        bad = True
    if bad:
        raise _shape_error("tensordot", a, b, f"do not match over axes {axes_a} and {axes_b}")
    free_a = [i for i in range(a.ndim) if i not in axes_a]
    free_b = [j for j in range(b.ndim) if j not in axes_b]
    # every size written out: a −1 cannot be inferred beside an axis of size 0 (numpy's rule)
    rows, size, columns = (_size(a.shape, free_a), _size(a.shape, axes_a),
                           _size(b.shape, free_b))
    out_shape = tuple(a.shape[i] for i in free_a) + tuple(b.shape[j] for j in free_b)
    a2 = a.transpose(*(free_a + axes_a)).reshape(rows, size)
    b2 = b.transpose(*(axes_b + free_b)).reshape(size, columns)
    return MatMul.apply(a2, b2).reshape(out_shape)


def _size(shape: tuple, axes: list) -> int:
    """The number of entries over `axes` of `shape` (1 for none)."""
    return int(np.prod([shape[i] for i in axes], dtype=np.int64))


def dot(a: Any, b: Any) -> Tensor:
    """numpy's dot: a product with a scalar, the inner product of vectors, else Σ over a's
    last axis against b's second-to-last (its only one when b is 1-D)."""
    a, b = _pair(a, b)
    if a.ndim == 0 or b.ndim == 0:
        return a * b
    k = 0 if b.ndim == 1 else b.ndim - 2
    if a.shape[-1] != b.shape[k]:
        raise _shape_error("dot", a, b, f"are not aligned ({a.shape[-1]} != {b.shape[k]})")
    if b.ndim <= 2:
        return MatMul.apply(a, b)
    return tensordot(a, b, axes=([a.ndim - 1], [k]))


def inner(a: Any, b: Any) -> Tensor:
    """Σ over the last axes of a and b (a product when either is a scalar)."""
    a, b = _pair(a, b)
    if a.ndim == 0 or b.ndim == 0:
        return a * b
    if a.shape[-1] != b.shape[-1]:
        raise _shape_error("inner", a, b, "differ in their last axis")
    return tensordot(a, b, axes=([a.ndim - 1], [b.ndim - 1]))


def vdot(a: Any, b: Any) -> Tensor:
    """numpy's vdot of real arrays: Σᵢ aᵢ bᵢ over the flattened a and b (0 when empty)."""
    a, b = _pair(a, b)
    if a.size != b.size:
        raise _shape_error("vdot", a, b, f"have different sizes ({a.size} != {b.size})")
    return MatMul.apply(a.reshape(a.size), b.reshape(b.size))


def outer(a: Any, b: Any) -> Tensor:
    """aᵢ bⱼ of the flattened a and b."""
    a, b = _pair(a, b)
    return a.reshape(-1, 1) * b.reshape(1, -1)


def kron(a: Any, b: Any) -> Tensor:
    """The Kronecker product: blocks a[i] · b (the shorter shape padded with leading 1s)."""
    a, b = _pair(a, b)
    n = max(a.ndim, b.ndim)
    sa = (1,) * (n - a.ndim) + a.shape
    sb = (1,) * (n - b.ndim) + b.shape
    spread_a = a.reshape(*[d for s in sa for d in (s, 1)]) if n else a
    spread_b = b.reshape(*[d for s in sb for d in (1, s)]) if n else b
    return (spread_a * spread_b).reshape(tuple(x * y for x, y in zip(sa, sb)))


# ---------------------------------------------------------------------- diagonals
def _diagonal_index(shape: tuple, offset: int) -> tuple:
    """Rows and columns of the diagonal at `offset` of the last two axes of `shape`."""
    rows, cols = shape[-2], shape[-1]
    n = max(0, min(rows + min(offset, 0), cols - max(offset, 0)))
    i = np.arange(n)
    return i + max(-offset, 0), i + max(offset, 0)


class Diagonal(ArraySafe, Function):
    """∂diagonal(a)/∂a: G scattered back onto that diagonal, zeros elsewhere"""

    @staticmethod
    def forward(ctx, a, offset, axis1, axis2):
        return np.diagonal(a, offset, axis1, axis2).copy()

    @staticmethod
    def backward(ctx, grad):
        a, offset, axis1, axis2 = ctx.inputs
        return DiagonalEmbed.run(grad, a.shape, offset, axis1, axis2), None, None, None


class DiagonalEmbed(ArraySafe, Function):
    """∂/∂g of (zeros(shape) with g on a diagonal) = that diagonal of G"""

    @staticmethod
    def forward(ctx, g, shape, offset, axis1, axis2):
        out = np.zeros(shape, dtype=g.dtype)
        moved = np.moveaxis(out, (axis1, axis2), (-2, -1))  # a view: writing fills out
        rows, cols = _diagonal_index(moved.shape, offset)
        moved[..., rows, cols] = g
        return out

    @staticmethod
    def backward(ctx, grad):
        _, shape, offset, axis1, axis2 = ctx.inputs
        return Diagonal.run(grad, offset, axis1, axis2), None, None, None, None


def diagonal(a: Any, offset: int = 0, axis1: int = 0, axis2: int = 1) -> Tensor:
    """numpy's diagonal: the (axis1, axis2) diagonal at `offset`, as the last axis."""
    a = as_tensor(a)
    if a.ndim < 2:
        raise ValueError(f"diagonal needs at least 2 dimensions, got shape {a.shape}")
    axis1, axis2 = int(axis1) % a.ndim, int(axis2) % a.ndim
    if axis1 == axis2:
        raise ValueError(f"diagonal: axis1 and axis2 are the same ({axis1}) for shape "
                         f"{a.shape}")
    return Diagonal.apply(a, int(offset), axis1, axis2)


def trace(a: Any, offset: int = 0, axis1: int = 0, axis2: int = 1) -> Tensor:
    """Σ of the (axis1, axis2) diagonal at `offset`."""
    return diagonal(a, offset, axis1, axis2).sum(axis=-1)


def diag(v: Any, k: int = 0) -> Tensor:
    """numpy's diag: a 1-D v on the k-th diagonal of a square matrix, or a 2-D v's k-th
    diagonal."""
    v = as_tensor(v)
    if v.ndim == 1:
        n = v.shape[0] + abs(int(k))
        return DiagonalEmbed.apply(v, (n, n), int(k), 0, 1)
    if v.ndim == 2:
        return diagonal(v, k)
    raise ValueError(f"diag needs a 1-D or 2-D input, got shape {v.shape}")


def _triangle(name: str, m: Any, k: int, lower: bool) -> Tensor:
    m = as_tensor(m)
    if m.ndim < 2:
        raise ValueError(f"{name} needs at least 2 dimensions, got shape {m.shape}")
    rows, cols = m.shape[-2:]
    mask = np.tri(rows, cols, k if lower else k - 1, dtype=bool)
    mask = mask if lower else ~mask
    return m * Tensor._make(mask.astype(m.dtype))


def tril(m: Any, k: int = 0) -> Tensor:
    """The lower triangle: m where column ≤ row + k (last two axes), else 0."""
    return _triangle("tril", m, k, lower=True)


def triu(m: Any, k: int = 0) -> Tensor:
    """The upper triangle: m where column ≥ row + k (last two axes), else 0."""
    return _triangle("triu", m, k, lower=False)


# ---------------------------------------------------------------------- decompositions: helpers
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


# ---------------------------------------------------------------------- numpy.linalg's compositions
def _stacked_square(name: str, a: Tensor) -> None:
    if a.ndim < 2:
        raise np.linalg.LinAlgError(f"{name}: {a.ndim}-dimensional array given (shape "
                                    f"{a.shape}). Array must be at least two-dimensional")
    if a.shape[-1] != a.shape[-2]:
        raise np.linalg.LinAlgError(f"{name}: last 2 dimensions of the array must be square, "
                                    f"got shape {a.shape}")


def linalg_matrix_power(a: Any, n: int) -> Tensor:
    """numpy.linalg.matrix_power: aⁿ of each square matrix in the last two axes by repeated
    squaring (numpy's order of products); n < 0 inverts first, n = 0 gives the identity (a
    constant: its gradient is zero)."""
    a = as_tensor(a)
    _stacked_square("matrix_power", a)
    try:
        n = operator.index(n)
    except TypeError:
        raise TypeError(f"matrix_power: exponent must be an integer, got {n!r}") from None
    if n == 0:
        return Tensor._make(np.broadcast_to(np.eye(a.shape[-2], dtype=a.dtype),
                                            a.shape).copy())
    if n < 0:
        a = inv(a)
        n = -n
    if n == 1:
        return a
    if n == 2:
        return matmul(a, a)
    if n == 3:
        return matmul(matmul(a, a), a)
    z = result = None  # bits of n from the lowest: z = a^(2^i)
    while n > 0:
        z = a if z is None else matmul(z, z)
        n, bit = divmod(n, 2)
        if bit:
            result = z if result is None else matmul(result, z)
    return result


def linalg_pinv(a: Any, rcond: Any = None, hermitian: bool = False, *,
                rtol: Any = _NO_VALUE) -> Tensor:
    """numpy.linalg.pinv: the Moore-Penrose pseudo-inverse V diag(1/s) Uᵀ from the thin svd,
    singular values at most rcond·max(s) counted as 0. Differentiable where svd is:
    distinct nonzero singular values (a full-rank matrix with a simple spectrum); a
    rank-deficient matrix gets numpy's value but a nan gradient."""
    a = as_tensor(a)
    if a.ndim < 2:
        raise np.linalg.LinAlgError(f"pinv: {a.ndim}-dimensional array given (shape "
                                    f"{a.shape}). Array must be at least two-dimensional")
    if hermitian:
        raise ValueError("pinv: hermitian=True (numpy's eigh path) is not supported; the svd "
                         "path (hermitian=False) gives the same pseudo-inverse")
    if rcond is None:
        if rtol is _NO_VALUE:
            rcond = 1e-15
        elif rtol is None:
            rcond = max(a.shape[-2:]) * np.finfo(a.dtype).eps
        else:
            rcond = rtol
    elif rtol is not _NO_VALUE:
        raise ValueError("pinv: `rtol` and `rcond` can't be both set.")
    rcond = np.asarray(_constant("pinv", "rcond", rcond))
    if a.size == 0:
        m, n = a.shape[-2:]
        return Tensor._make(np.empty(a.shape[:-2] + (n, m), dtype=a.dtype))
    u, s, vt = svd(a, full_matrices=False)
    cutoff = rcond[..., np.newaxis] * np.amax(s.data, axis=-1, keepdims=True)
    large = s.data > cutoff
    # 1/s where s is kept, 0 elsewhere; the division never sees a dropped (maybe 0) value
    inverse = where(large, 1 / where(large, s, 1.0), 0.0)
    return matmul(swapaxes(vt, -1, -2), inverse[..., None] * swapaxes(u, -1, -2))


def _chain_order(shapes: list) -> np.ndarray:
    """numpy's _multi_dot_matrix_chain_order: the split of each sub-chain that needs the
    fewest scalar products (dynamic programming)."""
    n = len(shapes)
    p = [s[0] for s in shapes] + [shapes[-1][1]]
    cost = np.zeros((n, n), dtype=np.double)
    split = np.empty((n, n), dtype=np.intp)
    for length in range(1, n):
        for i in range(n - length):
            j = i + length
            cost[i, j] = np.inf
            for k in range(i, j):
                q = cost[i, k] + cost[k + 1, j] + p[i] * p[k + 1] * p[j + 1]
                if q < cost[i, j]:
                    cost[i, j] = q
                    split[i, j] = k
    return split


def linalg_multi_dot(arrays: Sequence[Any], *, out: None = None) -> Tensor:
    """numpy.linalg.multi_dot: the product of two or more matrices in the order of fewest
    scalar products (numpy's); the first may be a row vector and the last a column vector
    (1-D), the result then 1-D or 0-d."""
    if out is not None:
        raise TypeError("multi_dot: out= is not supported (a Tensor cannot be written into "
                        "an array); use the returned Tensor")
    if isinstance(arrays, (Tensor, np.ndarray)) and np.ndim(raw(arrays)) < 3:
        raise TypeError("multi_dot: give a sequence (a list or a tuple) of arrays")
    arrays = list(arrays)
    n = len(arrays)
    if n < 2:
        raise ValueError(f"multi_dot: expecting at least two arrays, got {n}")
    first = as_tensor(arrays[0])
    arrays = [first] + [_operand(x, first) for x in arrays[1:]]
    if n == 2:
        return dot(arrays[0], arrays[1])
    ndim_first, ndim_last = arrays[0].ndim, arrays[-1].ndim
    if ndim_first == 1:
        arrays[0] = reshape(arrays[0], (1, -1))
    if ndim_last == 1:
        arrays[-1] = reshape(arrays[-1], (-1, 1))
    for x in arrays:
        if x.ndim != 2:
            raise np.linalg.LinAlgError(f"multi_dot: {x.ndim}-dimensional array given (shape "
                                        f"{x.shape}). Array must be two-dimensional")
    shapes = [x.shape for x in arrays]
    for left, right in zip(shapes[:-1], shapes[1:]):
        if left[1] != right[0]:
            raise ValueError(f"multi_dot: shapes {shapes} are not aligned ({left} and {right})")
    if n == 3:
        (a0, a1b0), (b1c0, c1) = shapes[0], shapes[2]
        if a0 * b1c0 * (a1b0 + c1) < a1b0 * c1 * (a0 + b1c0):  # numpy's two costs
            result = dot(dot(arrays[0], arrays[1]), arrays[2])
        else:
            result = dot(arrays[0], dot(arrays[1], arrays[2]))
    else:
        split = _chain_order(shapes)

        def product(i: int, j: int) -> Tensor:
            if i == j:
                return arrays[i]
            return dot(product(i, split[i, j]), product(split[i, j] + 1, j))

        result = product(0, n - 1)
    if ndim_first == 1 and ndim_last == 1:
        return result[0, 0]
    if ndim_first == 1 or ndim_last == 1:
        return reshape(result, -1)
    return result
