"""Activations and losses as functions of tensors (the modules in `nn` wrap these).

The two losses are fused ops: one Function each, with a stable forward and the course's
gradient (Ŷ − Y* for softmax cross-entropy, Ŷ·ΣY* − Y* for target rows that do not sum to 1;
σ(s) − y for binary cross-entropy) as backward.
"""

from __future__ import annotations

import math
from typing import Any, Optional

import numpy as np

import autograd
from autograd import Function, LogSoftmax, Sigmoid, Tensor, as_tensor
from autograd.ops.course import softmax_parts
from autograd.ops.formula import ArraySafe
from nn import init as initializers  # (the dropout mask's default generator)

REDUCTIONS = ("mean", "sum", "none")


# ---------------------------------------------------------------------- activations
def sigmoid(x: Tensor, a: float = 1.0) -> Tensor:
    """σ(a·x) = 1 / (1 + e^(−a·x)); the course's slope a makes it steeper as it grows."""
    return autograd.sigmoid(x if a == 1.0 else x * a)


def tanh(x: Tensor) -> Tensor:
    """Hyperbolic tangent."""
    return autograd.tanh(x)


def relu(x: Tensor) -> Tensor:
    """max(x, 0)."""
    return autograd.relu(x)


def step(x: Tensor) -> Tensor:
    """Heaviside step: 1 where x ≥ 0, else 0 (zero gradient: it cannot be trained through)."""
    return autograd.step(x)


def softmax(x: Tensor, axis: int = -1) -> Tensor:
    """e^{xₖ} / Σₖ' e^{xₖ'} along `axis`."""
    return autograd.softmax(x, axis)


# ---------------------------------------------------------------------- dropout
def check_dropout_p(p: Any) -> float:
    """`p` as a float when it is a real number in [0, 1] (bools are not); else ValueError."""
    # `0 <= p <= 1` is False for nan, so nan is refused with the out-of-range values
    if isinstance(p, bool) or not isinstance(p, (int, float, np.integer, np.floating)) \
            or not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout probability must be in [0, 1], got {p!r}")
    return float(p)


def dropout(x: Any, p: float = 0.5, training: bool = True,
            rng: Optional[np.random.Generator] = None) -> Tensor:
    """Inverted dropout: in training, zero each entry with probability p and scale the rest
    by 1/(1 − p), so that the expected value is x; not in training, x itself.

    p = 1 zeros every entry (output and gradient 0, as in PyTorch: there is nothing to
    scale, and 1/(1 − p) would be a division by zero). The mask is drawn from `rng`, else
    nn.init's default generator (`nn.manual_seed`).
    """
    p = check_dropout_p(p)
    x = as_tensor(x)
    if not training or p == 0.0:
        return x
    if p == 1.0:
        # x · 0 rather than a new zeros tensor: the result stays in x's graph (gradient 0)
        # and, as PyTorch's, an inf or nan entry gives nan
        return x * Tensor._make(np.zeros(x.shape, dtype=x.dtype))
    rng = rng or initializers.default_rng()
    keep = (rng.random(x.shape) >= p).astype(x.dtype) / (1.0 - p)
    return x * Tensor(keep)


# ---------------------------------------------------------------------- losses
def _reduce(per_sample: np.ndarray, reduction: str) -> np.ndarray:
    # ufunc reduces over every axis (BCE's input may be (N, K)): np.mean's Python layer costs
    # more than the mean of a batch. The 0-d result as an array (numpy reduces to a scalar),
    # which is what a forward returns.
    if reduction == "mean":
        return np.asarray(np.add.reduce(per_sample, axis=None) * per_sample.dtype.type(
            _mean_scale(per_sample.size)))
    if reduction == "sum":
        return np.asarray(np.add.reduce(per_sample, axis=None))
    return per_sample


def _mean_scale(count: int) -> float:
    # The mean's 1/N, forward and backward. An empty batch's mean is 0/0 = nan, as in numpy
    # and PyTorch, given without numpy's "invalid value" warning (its gradient is empty).
    return 1.0 / count if count else math.nan


class SoftmaxCrossEntropyFn(ArraySafe, Function):
    """∂L/∂S = (Ŷ·Σ_c Y*_c − Y*) / N  with Ŷ = softmax(S)  (mean reduction): Ŷ − Y* for
    labels and for target rows that sum to 1"""

    prediction = "softmax"  # what it computes ŷ from the scores with (a picture's caption)

    @staticmethod
    def forward(ctx, logits, target, reduction):
        shifted, exp, total = softmax_parts(logits, axis=1)
        log_probs = shifted - np.log(total)
        if target.ndim == 1:  # integer labels: −log ŷ_{c*}
            per_sample = -log_probs[_rows(len(target)), target]
        else:  # one-hot or probability targets: −Σ_c y*_c log ŷ_c
            per_sample = -np.add.reduce(target * log_probs, axis=1)
        ctx.save_for_backward(exp / total)  # Ŷ, the softmax
        return _reduce(per_sample, reduction)

    @staticmethod
    def backward(ctx, grad):
        logits, target, reduction = ctx.inputs
        n = logits.shape[0]
        scale = _mean_scale(n) if reduction == "mean" else 1.0
        g = grad.reshape(-1, 1) if grad.ndim == 1 else grad  # one gradient per sample
        # −Σ_c y*_c log ŷ_c has the slope ŷ·Σ_c y*_c − y*: a target row need not sum to 1
        # (PyTorch takes probability targets as given, too)
        if isinstance(logits, Tensor):
            # Tensors (create_graph): Ŷ must come from the graph so that second derivatives
            # flow through it
            probs = logits.softmax(axis=1)
            if target.ndim == 2:
                probs = probs * target.sum(axis=1, keepdims=True)
            y_star = _target_probs(target, logits.shape, logits.dtype)
            grad_logits = (probs - y_star) * (g * scale)
        else:  # arrays: Ŷ·Σ Y* − Y* formed in place, in a copy of the saved softmax
            (probs,) = ctx.saved_tensors
            if target.ndim == 1:
                delta = probs.copy()
                rows = _rows(n)  # (a get and a set: numpy's fancy `-=` costs more)
                delta[rows, target] = delta[rows, target] - 1
            else:
                delta = probs * np.add.reduce(target, axis=1, keepdims=True)
                delta -= target
            delta *= g if scale == 1.0 else g * scale
            grad_logits = delta
        grad_target = None
        if target.ndim == 2 and ctx.needs_input_grad[1]:
            grad_target = -LogSoftmax.run(logits, 1) * (g * scale)
        return grad_logits, grad_target, None


_ROWS: dict = {}


def _rows(n: int) -> np.ndarray:
    """arange(n), read-only and kept: the row index of every label lookup (np.arange costs
    more than the lookup on a batch)."""
    rows = _ROWS.get(n)
    if rows is None:
        if len(_ROWS) >= 64:  # batch sizes are few; never let the cache grow without bound
            _ROWS.clear()
        rows = np.arange(n)
        rows.flags.writeable = False
        _ROWS[n] = rows
    return rows


def _target_probs(target: Tensor, shape: tuple, dtype: Any) -> Tensor:
    # Y* as a (N, K) tensor: one-hot rows for integer labels, the targets themselves otherwise.
    if target.ndim == 2:
        return target
    one_hot = np.zeros(shape, dtype=dtype)
    one_hot[_rows(shape[0]), target.data] = 1
    return Tensor._make(one_hot)


def softmax_cross_entropy(logits: Tensor, target: Any, reduction: str = "mean") -> Tensor:
    """Cross-entropy of softmax(logits) against integer labels (N,) or one-hot/probability
    targets (N, K): −log ŷ_{c*} per sample, computed with log-sum-exp (finite for any logits).
    The loss has the logits' dtype: (N, K) targets of any other dtype (int, bool, float64) are
    cast to it.
    """
    if not isinstance(logits, Tensor):
        logits = as_tensor(logits)
    if logits.data.dtype.kind != "f":
        logits = _floating_scores(logits, target)
    shape = logits.data.shape
    if len(shape) != 2:
        raise ValueError(f"softmax_cross_entropy: logits must be (N, K), got shape {logits.shape}")
    if reduction not in REDUCTIONS:
        _check_reduction(reduction)
    n, k = shape
    t_data = target.data if isinstance(target, Tensor) else target
    if type(t_data) is not np.ndarray or t_data.ndim != 1 or t_data.dtype.kind not in "iu":
        target = _targets(target, logits.dtype)
        t_data = target.data
    if t_data.shape not in ((n,), (n, k)):
        raise ValueError(
            f"softmax_cross_entropy: logits of shape {logits.shape} and targets of shape "
            f"{t_data.shape} do not match (need labels (N,) or targets (N, K))")
    if t_data.ndim == 1 and n and _largest_as_unsigned(t_data) >= k:
        bad = t_data[(t_data < 0) | (t_data >= k)][0]
        raise ValueError(
            f"softmax_cross_entropy: label {bad} is out of range for {k} classes (0..{k - 1})")
    t = target if isinstance(target, Tensor) else Tensor._make(t_data)
    return SoftmaxCrossEntropyFn.apply(logits, t, reduction)


def _targets(target: Any, dtype: np.dtype) -> Tensor:
    """Targets other than an integer label array: float labels that are whole numbers become
    int64 labels, (N, K) targets take the logits' dtype (so that numpy's promotion never
    turns a float32 model's loss into float64)."""
    if isinstance(target, Tensor) and target.ndim == 2 and target.dtype.kind == "f":
        # a float Tensor is cast by an op: a target that requires grad keeps its gradient
        return target if target.dtype == dtype else target.astype(dtype)
    t_data = np.asarray(target.data if isinstance(target, Tensor) else target)
    if t_data.ndim == 1 and t_data.dtype.kind not in "iu":
        if t_data.dtype.kind == "f" and not np.all(t_data == np.round(t_data)):
            raise ValueError("softmax_cross_entropy: 1-D targets must be integer labels")
        t_data = t_data.astype(np.int64)
    elif t_data.ndim == 2:
        t_data = t_data.astype(dtype, copy=False)
    # (any other shape is refused by the caller's shape check)
    return target if isinstance(target, Tensor) and t_data is target.data else \
        Tensor._make(t_data)


def _largest_as_unsigned(labels: np.ndarray) -> int:
    """The largest label, with negative ones read as huge: 0 ≤ y < K in one reduction (the
    label check runs on every batch)."""
    if labels.dtype.kind == "i":
        labels = labels.view(_UNSIGNED[labels.dtype.itemsize])
    return int(np.maximum.reduce(labels))


_UNSIGNED = {size: np.dtype(f"u{size}") for size in (1, 2, 4, 8)}  # by itemsize


class BinaryCrossEntropyFn(ArraySafe, Function):
    """∂L/∂s = (σ(s) − y) / N  (mean reduction)"""

    prediction = "σ"  # what it computes ŷ from the scores with (a picture's caption)

    @staticmethod
    def forward(ctx, logits, target, reduction):
        # max(s, 0) − s·y + log(1 + e^(−|s|)): the same value as −[y log σ(s) + (1−y) log(1−σ(s))]
        # without ever taking the log of 0 or the exp of a large number.
        per_sample = (np.maximum(logits, 0) - logits * target
                      + np.log1p(np.exp(-np.abs(logits))))
        return _reduce(per_sample, reduction)

    @staticmethod
    def backward(ctx, grad):
        logits, target, reduction = ctx.inputs
        g = grad * _mean_scale(logits.size) if reduction == "mean" else grad
        grad_target = -logits * g if ctx.needs_input_grad[1] else None
        return (Sigmoid.run(logits) - target) * g, grad_target, None


def binary_cross_entropy_with_logits(logits: Tensor, target: Any,
                                     reduction: str = "mean") -> Tensor:
    """Binary cross-entropy of σ(logits) against targets in [0, 1], stable for any logits."""
    logits, target = _elementwise_pair("binary_cross_entropy_with_logits", "logits", logits,
                                       target, reduction)
    return BinaryCrossEntropyFn.apply(logits, target, reduction)


def mse_loss(prediction: Tensor, target: Any, reduction: str = "mean") -> Tensor:
    """Mean squared error (ŷ − y)²."""
    prediction, target = _elementwise_pair("mse_loss", "predictions", prediction, target,
                                           reduction)
    squared = (prediction - target) ** 2
    if reduction == "mean":
        return squared.mean()
    return squared.sum() if reduction == "sum" else squared


def _elementwise_pair(loss: str, what: str, prediction: Any, target: Any,
                      reduction: str) -> tuple:
    # Checked where the bad input enters: a loss compared entry by entry needs equal shapes.
    prediction = as_tensor(prediction)
    if prediction.data.dtype.kind != "f":
        prediction = _floating_scores(prediction, target)
    _check_reduction(reduction)
    # Targets take the predictions' dtype (int, bool, float64 alike), so that the loss of a
    # float32 model is float32; a float Tensor is cast by an op, its gradient kept.
    target = as_tensor(target, dtype=prediction.dtype)
    if target.shape != prediction.shape:
        raise ValueError(f"{loss}: {what} of shape {prediction.shape} and targets of shape "
                         f"{target.shape} differ")
    return prediction, target


def _floating_scores(scores: Tensor, target: Any) -> Tensor:
    """Integer or bool scores (constants: nothing to train) as floats, so that float targets
    are never cast to integers: in the targets' float dtype, else the default dtype."""
    t_dtype = getattr(target, "dtype", None)
    kind = getattr(t_dtype, "kind", None)
    return scores.astype(t_dtype if kind == "f" else autograd.get_default_dtype())


def _check_reduction(reduction: str) -> None:
    if reduction not in REDUCTIONS:
        raise ValueError(f"reduction must be one of {REDUCTIONS}, got {reduction!r}")


# ---------------------------------------------------------------------- metrics, penalties
def accuracy(scores: Any, labels: Any) -> float:
    """The fraction of rows whose highest score is the label: 1 − the course's 0/1 loss."""
    scores = np.asarray(scores.data if isinstance(scores, Tensor) else scores)
    labels = np.asarray(labels.data if isinstance(labels, Tensor) else labels)
    if labels.ndim == 2:
        labels = labels.argmax(axis=1)
    predicted = scores.argmax(axis=1) if scores.ndim == 2 else scores
    if predicted.shape != labels.shape:
        raise ValueError(f"accuracy: {predicted.shape[0]} predictions for {labels.shape[0]} labels")
    return float((predicted == labels).mean()) if labels.size else 0.0


def zero_one_loss(scores: Any, labels: Any) -> float:
    """The course's ℓ_{0/1}: the fraction of misclassified rows."""
    return 1.0 - accuracy(scores, labels)


def l2_penalty(params: Any) -> Tensor:
    """Σ‖w‖² over `params`: add α·l2_penalty(weights) to the loss for the course's L²
    regularization, the same as SGD's weight_decay = 2α."""
    total = None
    for p in params:
        term = (p * p).sum()
        total = term if total is None else total + term
    if total is None:
        raise ValueError("l2_penalty of no parameters")
    return total
