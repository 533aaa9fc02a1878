"""Gradient clipping by the total norm of all gradients."""

from __future__ import annotations

from typing import Iterable, Union

import numpy as np

from autograd import Tensor


def clip_grad_norm(params: Union[Tensor, Iterable[Tensor]], max_norm: float,
                   norm_type: float = 2.0) -> float:
    """Rescale the gradients so that their total norm is at most `max_norm`; return the
    total norm before clipping.

    The total norm is the `norm_type`-norm of all gradients taken together, as if they were
    one vector (`math.inf` for the largest absolute value); parameters without a gradient
    are skipped. When it exceeds max_norm, every gradient is multiplied by
    max_norm / (total + 1e-6). The gradients are replaced by new Tensors, never changed in
    place, because one gradient Tensor may be shared by several parameters.
    """
    if isinstance(params, Tensor):
        params = [params]
    max_norm = float(max_norm)
    norm_type = float(norm_type)
    if not max_norm >= 0:
        raise ValueError(f"max_norm must be non-negative, got {max_norm}")
    if not norm_type > 0:
        raise ValueError(f"norm_type must be positive (or math.inf), got {norm_type}")
    with_grad = [p for p in params if p.grad is not None]
    # the norm of the per-tensor norms is the norm of all entries together
    norms = [np.linalg.norm(p.grad.data.ravel(), ord=norm_type) for p in with_grad
             if p.grad.data.size]
    if not norms:
        return 0.0
    total = float(np.linalg.norm(np.asarray(norms, dtype=np.float64), ord=norm_type))
    if total > max_norm:
        scale = max_norm / (total + 1e-6)  # a Python float keeps each gradient's dtype
        for p in with_grad:
            p.grad = Tensor(p.grad.data * scale)
    return total
