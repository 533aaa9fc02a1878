"""Losses as modules: `loss_fn = SoftmaxCrossEntropy(); loss = loss_fn(logits, labels)`.

Every loss is computed in its scores' dtype: targets of another dtype (int or bool labels,
float64 numpy data) are cast to it, so a float32 model's loss and gradients stay float32.
"""

from __future__ import annotations

from typing import Any

from autograd import Tensor
from nn import functional as F
from nn.module import Module


class _Loss(Module):
    graph_role = "loss"

    def __init__(self, reduction: str = "mean") -> None:
        F._check_reduction(reduction)
        self.reduction = reduction

    def extra_repr(self) -> str:
        return f"reduction={self.reduction!r}"


class SoftmaxCrossEntropy(_Loss):
    """Softmax followed by cross-entropy, fused and stable: logits (N, K) against integer
    labels (N,) or one-hot / probability targets (N, K). ∂L/∂S = (Ŷ − Y*)/N."""

    def forward(self, logits: Any, target: Any) -> Tensor:
        return F.softmax_cross_entropy(logits, target, self.reduction)


class BinaryCrossEntropy(_Loss):
    """Binary cross-entropy on logits (σ is applied inside, stably). ∂L/∂s = (σ(s) − y)/N."""

    def forward(self, logits: Any, target: Any) -> Tensor:
        return F.binary_cross_entropy_with_logits(logits, target, self.reduction)


class MSELoss(_Loss):
    """Mean squared error."""

    def forward(self, prediction: Any, target: Any) -> Tensor:
        return F.mse_loss(prediction, target, self.reduction)


# ---------------------------------------------------------------------- PyTorch's names
# Subclasses, not bare assignments, so that a repr says the name the user wrote. Their
# `reduction` is keyword-only: PyTorch's first positional argument is `weight`, and
# `CrossEntropyLoss(w)` must fail rather than take w for a reduction.
class CrossEntropyLoss(SoftmaxCrossEntropy):
    """PyTorch's name for `SoftmaxCrossEntropy`, with the same meaning: logits (N, K) against
    class indices (N,) or class probabilities (N, K); `reduction` "mean" (over the N samples,
    the default), "sum" or "none".

    PyTorch's `weight=`, `ignore_index=` and `label_smoothing=` (and the deprecated
    `size_average=`, `reduce=`) are not implemented: passing one raises TypeError. A label
    outside 0..K−1 (PyTorch's ignored −100 included) raises ValueError.
    """

    def __init__(self, *, reduction: str = "mean") -> None:
        super().__init__(reduction)


class BCEWithLogitsLoss(BinaryCrossEntropy):
    """PyTorch's name for `BinaryCrossEntropy`, with the same meaning: binary cross-entropy
    of σ(logits) against float targets in [0, 1] of the logits' shape, computed stably;
    `reduction` "mean" (over every entry, the default), "sum" or "none".

    PyTorch's `weight=` and `pos_weight=` (and the deprecated `size_average=`, `reduce=`)
    are not implemented: passing one raises TypeError.
    """

    def __init__(self, *, reduction: str = "mean") -> None:
        super().__init__(reduction)
