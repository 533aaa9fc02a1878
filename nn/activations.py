"""Activation functions as modules (their function forms are in nn.functional)."""

from __future__ import annotations

from typing import Any

from autograd import Tensor, as_tensor
from nn import functional as F
from nn.module import Module


class Sigmoid(Module):
    """σ(a·x) = 1 / (1 + e^(−a·x)); a → ∞ approaches the step function."""

    def __init__(self, a: float = 1.0) -> None:
        self.a = a

    def forward(self, x: Any) -> Tensor:
        return F.sigmoid(x if isinstance(x, Tensor) else as_tensor(x), self.a)

    def extra_repr(self) -> str:
        return f"a={self.a}"


class Tanh(Module):
    """Hyperbolic tangent."""

    def forward(self, x: Any) -> Tensor:
        return F.tanh(as_tensor(x))


class ReLU(Module):
    """max(x, 0)."""

    def forward(self, x: Any) -> Tensor:
        return F.relu(as_tensor(x))


class Step(Module):
    """Heaviside step H(x): 1 where x ≥ 0, else 0 (the formal neuron of 1943; zero gradient)."""

    def forward(self, x: Any) -> Tensor:
        return F.step(as_tensor(x))


class Softmax(Module):
    """Softmax along `axis`: turns scores into probabilities."""

    def __init__(self, axis: int = -1) -> None:
        self.axis = axis

    def forward(self, x: Any) -> Tensor:
        return F.softmax(as_tensor(x), self.axis)

    def extra_repr(self) -> str:
        return f"axis={self.axis}"


ACTIVATIONS = {"sigmoid": Sigmoid, "tanh": Tanh, "relu": ReLU, "step": Step,
               "softmax": Softmax}
