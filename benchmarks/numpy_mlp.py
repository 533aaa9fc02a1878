"""The floor: an MLP training step written by hand in numpy from the course's formulas.

    forward:   Hₗ = f(Hₗ₋₁ Wₗ + bₗ),   S = H_{L−1} W_L + b_L,   Ŷ = softmax(S)
    backward:  Δʸ = (Ŷ − Y*) / N,   ∂W_L = H_{L−1}ᵀ Δʸ,   ∂b_L = Σₙ Δʸ
               Δʰ = Δ Wᵀ ⊙ f'(H)   (sigmoid: H ⊙ (1 − H), tanh: 1 − H²)
    update:    W ← W − η ∂W
"""

from __future__ import annotations

import numpy as np


def sigmoid(u: np.ndarray) -> np.ndarray:
    # the same formula chainrule's Sigmoid uses, so both sides do the same arithmetic
    with np.errstate(over="ignore"):
        return 1 / (1 + np.exp(-u))


class NumpyMLP:
    """Weights as plain arrays; `step` is one SGD step on a batch, by the course's formulas."""

    def __init__(self, weights: list, biases: list, activation: str = "sigmoid") -> None:
        self.W = [w.copy() for w in weights]
        self.b = [b.copy() for b in biases]
        self.activation = activation

    def forward(self, X: np.ndarray) -> tuple:
        H = [X]
        for W, b in zip(self.W[:-1], self.b[:-1]):
            U = H[-1] @ W + b
            H.append(sigmoid(U) if self.activation == "sigmoid" else np.tanh(U))
        S = H[-1] @ self.W[-1] + self.b[-1]
        return H, S

    def gradients(self, X: np.ndarray, y: np.ndarray) -> tuple:
        """(loss, [∂W per layer], [∂b per layer])."""
        H, S = self.forward(X)
        S = S - S.max(axis=1, keepdims=True)
        E = np.exp(S)
        P = E / E.sum(axis=1, keepdims=True)
        n = len(X)
        loss = -np.log(P[np.arange(n), y]).mean()
        delta = P
        delta[np.arange(n), y] -= 1
        delta /= n
        dW: list = [None] * len(self.W)
        db: list = [None] * len(self.W)
        for layer in range(len(self.W) - 1, -1, -1):
            dW[layer] = H[layer].T @ delta
            db[layer] = delta.sum(axis=0)
            if layer:
                Hl = H[layer]
                local = Hl * (1 - Hl) if self.activation == "sigmoid" else 1 - Hl * Hl
                delta = (delta @ self.W[layer].T) * local
        return loss, dW, db

    def step(self, X: np.ndarray, y: np.ndarray, lr: float) -> float:
        loss, dW, db = self.gradients(X, y)
        for W, b, gW, gb in zip(self.W, self.b, dW, db):
            W -= lr * gW
            b -= lr * gb
        return loss

    def predict(self, X: np.ndarray) -> np.ndarray:
        return self.forward(X)[1]
