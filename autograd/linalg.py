"""autograd.linalg: numpy.linalg for Tensors, differentiable (twice) and batched over leading
axes as numpy is.

    import autograd.linalg as la
    x = Tensor(np.eye(3) * 2.0, requires_grad=True)
    la.det(x).backward()                  # ∂det(A)/∂A = cof(A) (= det(A)·A⁻ᵀ if invertible)
    w, v = la.eigh(x)                     # numpy's (eigenvalues, eigenvectors)

The ops and their gradients live in autograd/ops/linalg.py (norm in
autograd/ops/reductions.py); the limits are stated there: cholesky and eigh read one
triangle, so their gradients lie on it; eigenvector and singular-vector gradients need
distinct values; the extra columns of svd's full_matrices=True have no gradient. det's
gradient is the cofactor matrix, which exists at singular matrices too; inv and solve of a
singular matrix raise numpy's LinAlgError, also available here, and slogdet gives numpy's
(0, −inf) there, with a nan gradient.
"""

from numpy.linalg import LinAlgError

from autograd.ops.linalg import cholesky, det, eigh, inv, slogdet, solve, svd
from autograd.ops.linalg import linalg_matrix_power as matrix_power
from autograd.ops.linalg import linalg_multi_dot as multi_dot
from autograd.ops.linalg import linalg_pinv as pinv
from autograd.ops.reductions import norm

__all__ = [
    "LinAlgError", "cholesky", "det", "eigh", "inv", "matrix_power", "multi_dot", "norm", "pinv",
    "slogdet", "solve", "svd",
]
