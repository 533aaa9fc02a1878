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
