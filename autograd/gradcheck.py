"""Finite-difference gradient checking, for the library's tests and for users' own ops.

The check is on a random projection: for outputs y = f(x) and a fixed random v, the scalar
L(x) = Σ v·f(x) has gradient Jᵀv. Backward gives it in one pass; central differences give
each entry as (L(x + εeᵢ) − L(x − εeᵢ)) / 2ε. A wrong backward fails for almost every v.
All of it runs in float64, whatever the dtype of the inputs.

`fn` always runs with grad mode on, the finite-difference evaluations included (as in
torch.autograd.gradcheck): a function that itself calls `autograd.grad` or `.backward()` on
its inputs (a gradient penalty, a Hessian-vector product) is checked like any other. Each
finite-difference evaluation's graph is dropped as soon as its outputs are read.
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np

from autograd import engine
from autograd.mode import enable_grad
from autograd.tensor import Tensor


class GradcheckError(AssertionError):
    """A backward formula disagrees with finite differences."""


def gradcheck(fn: Callable[..., Any], inputs: Any, eps: float = 1e-6, atol: float = 1e-5,
              rtol: float = 1e-3, raise_exception: bool = True, seed: int = 0) -> bool:
    """Check the gradients of `fn(*inputs)` against central finite differences.

    `inputs` is a Tensor or a sequence of them (other values pass through unchanged); those
    that require grad are checked. `fn` may return one Tensor or a tuple of Tensors. On a
    mismatch raises GradcheckError naming the worst entry (input, index, analytic, numeric),
    or returns False when `raise_exception=False`.
    """
    args = _float64_inputs(inputs)
    checked = [i for i, a in enumerate(args) if isinstance(a, Tensor) and a.requires_grad]
    if not checked:
        raise ValueError("gradcheck: no input requires grad")
    with enable_grad():  # (also inside a caller's no_grad: backward needs the graph)
        outputs = _as_tuple(fn(*args))
        rng = np.random.default_rng(seed)
        projections = [rng.standard_normal(out.shape) for out in outputs]
        loss = None
        for out, v in zip(outputs, projections):
            term = (out.astype(np.float64) * Tensor(v, dtype=np.float64)).sum()
            loss = term if loss is None else loss + term
        if not loss.requires_grad:
            analytic = [np.zeros(args[i].shape) for i in checked]
        else:
            grads = engine.grad(loss, [args[i] for i in checked], allow_unused=True)
            analytic = [np.zeros(args[i].shape) if g is None else np.asarray(g.data, np.float64)
                        for i, g in zip(checked, grads)]
    del outputs, loss  # the analytic graph is not needed by the numeric pass

    def projected(*xs: Any) -> float:
        # L(x) = Σ v·f(x) from the outputs' arrays: the projection itself needs no graph
        return sum(float(np.vdot(v, np.asarray(out.data, dtype=np.float64)))
                   for out, v in zip(_as_tuple(fn(*xs)), projections))

    worst = None
    for position, i in enumerate(checked):
        numeric = _numeric_gradient(projected, args, i, eps)
        error = np.abs(analytic[position] - numeric) - (atol + rtol * np.abs(numeric))
        error = np.where(np.isnan(error), np.inf, error)  # a nan gradient is never right
        if error.size and error.max() > 0:
            flat = int(np.argmax(error))
            index = np.unravel_index(flat, error.shape) if error.ndim else ()
            candidate = (error.max(), i, index, analytic[position][index], numeric[index])
            if worst is None or candidate[0] > worst[0]:
                worst = candidate
    if worst is None:
        return True
    if not raise_exception:
        return False
    _, i, index, a_value, n_value = worst
    raise GradcheckError(
        f"gradcheck failed: the gradient for input {i} at index {tuple(int(k) for k in index)} "
        f"is {a_value:.8g} by backward but {n_value:.8g} by finite differences "
        f"(eps={eps}, atol={atol}, rtol={rtol})")


def gradgradcheck(fn: Callable[..., Any], inputs: Any, eps: float = 1e-6, atol: float = 1e-5,
                  rtol: float = 1e-3, raise_exception: bool = True, seed: int = 1) -> bool:
    """Check second derivatives: gradcheck on x ↦ ∂(Σ v·fn(x))/∂x, built with create_graph."""
    args = _float64_inputs(inputs)
    checked = [i for i, a in enumerate(args) if isinstance(a, Tensor) and a.requires_grad]
    rng = np.random.default_rng(seed)
    with enable_grad():  # fn may itself call grad: it always runs with grad mode on
        projections = [rng.standard_normal(out.shape) for out in _as_tuple(fn(*args))]

    def first_derivatives(*xs: Any) -> tuple:
        wanted = [xs[i] for i in checked]
        with enable_grad():  # create_graph needs grad mode, also inside a caller's no_grad
            total = None
            for out, v in zip(_as_tuple(fn(*xs)), projections):
                term = (out * Tensor(v, dtype=out.dtype)).sum()
                total = term if total is None else total + term
            if not total.requires_grad:
                return tuple(Tensor._make(np.zeros(x.shape)) for x in wanted)
            grads = engine.grad(total, wanted, create_graph=True, allow_unused=True)
        return tuple(Tensor._make(np.zeros(x.shape)) if g is None else g
                     for x, g in zip(wanted, grads))

    return gradcheck(first_derivatives, args, eps=eps, atol=atol, rtol=rtol,
                     raise_exception=raise_exception, seed=seed)


def _numeric_gradient(fn: Callable[..., float], args: list, i: int, eps: float) -> np.ndarray:
    x = args[i]
    original = x.data
    grad = np.zeros(original.shape)
    flat = grad.reshape(-1)
    # grad mode on, as for the analytic pass: `fn` may call autograd.grad on its inputs.
    # Shifting x by rebinding its array (not writing into it) leaves the caller's array and
    # x's version counter alone.
    try:
        with enable_grad():
            for k in range(original.size):
                for sign in (1, -1):
                    shifted = original.copy()
                    shifted.reshape(-1)[k] += sign * eps
                    x.data = shifted
                    flat[k] += sign * fn(*args)
                flat[k] /= 2 * eps
    finally:
        x.data = original
    return grad


def _float64_inputs(inputs: Any) -> list:
    if isinstance(inputs, Tensor) or not isinstance(inputs, Sequence):
        inputs = (inputs,)
    result = []
    for a in inputs:
        if isinstance(a, Tensor) and a.dtype.kind == "f":
            result.append(Tensor(np.array(a.data, dtype=np.float64), requires_grad=a.requires_grad))
        else:
            result.append(a)
    return result


def _as_tuple(outputs: Any) -> tuple:
    if isinstance(outputs, Tensor):
        return (outputs,)
    if isinstance(outputs, (tuple, list)):
        return tuple(outputs)
    raise TypeError(f"gradcheck: fn must return a Tensor or a tuple of Tensors, "
                    f"got {type(outputs).__name__}")

