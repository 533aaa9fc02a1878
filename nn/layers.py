"""Layers: Linear (the course's s = x W + b), Dropout, Identity."""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from autograd import Affine, Tensor, affine, as_tensor, get_default_dtype
from nn import init
from nn.module import Module, Parameter


class Linear(Module):
    """Affine map s = x W + b, with W of shape (in_features, out_features) as in the course
    (column k of W is the weight vector w_k of output neuron k). It records one `Affine` node;
    with `fused=False` it records `x @ W` and `+ b` as two, as the course's graphs draw them
    (the same values and gradients)."""

    def __init__(self, in_features: int, out_features: int, bias: bool = True,
                 rng: Optional[np.random.Generator] = None, dtype: Any = None,
                 fused: bool = True) -> None:
        dtype = np.dtype(dtype or get_default_dtype())
        self.in_features = in_features
        self.out_features = out_features
        # One Affine node for x W + b (faster), or MatMul then Add, as the course draws them
        self.fused = fused
        self.weight = Parameter(np.empty((in_features, out_features), dtype=dtype))
        init.xavier_uniform_(self.weight, rng=rng)
        self.bias = Parameter(np.zeros(out_features, dtype=dtype)) if bias else None

    def forward(self, x: Any) -> Tensor:
        weight, bias = self.weight, self.bias
        x = _as_input(x, weight.data.dtype)
        shape = x.data.shape
        if not shape or shape[-1] != self.in_features:
            raise ValueError(f"Linear({self.in_features}, {self.out_features}) got input of "
                             f"shape {x.shape}: its last axis must be {self.in_features}")
        if bias is None:
            return x @ weight
        if self.fused:
            if weight.data.shape == (self.in_features, self.out_features) and \
                    bias.data.shape == (self.out_features,):
                return Affine.apply(x, weight, bias)  # (the shapes affine() would check)
            return affine(x, weight, bias)
        return x @ weight + bias

    def extra_repr(self) -> str:
        return (f"in_features={self.in_features}, out_features={self.out_features}, "
                f"bias={self.bias is not None}")


def _as_input(x: Any, dtype: np.dtype) -> Tensor:
    # Data arrives as float64 numpy more often than not; the layer computes in its own dtype
    # instead of letting numpy promote every product to float64.
    if not isinstance(x, Tensor):
        x = Tensor(x)
    return x if x.data.dtype is dtype or x.data.dtype == dtype else x.astype(dtype)


class Dropout(Module):
    """Inverted dropout: in training, zero each entry with probability p and scale the rest
    by 1/(1 − p); in eval mode, the identity."""

    def __init__(self, p: float = 0.5, rng: Optional[np.random.Generator] = None) -> None:
        if not 0.0 <= p < 1.0:
            raise ValueError(f"Dropout probability must be in [0, 1), got {p}")
        self.p = p
        self.rng = rng

    def forward(self, x: Any) -> Tensor:
        x = as_tensor(x)
        if not self.training or self.p == 0.0:
            return x
        rng = self.rng or init.default_rng()
        keep = (rng.random(x.shape) >= self.p).astype(x.dtype) / (1.0 - self.p)
        return x * Tensor(keep)

    def extra_repr(self) -> str:
        return f"p={self.p}"


class Identity(Module):
    """Returns its input unchanged."""

    def forward(self, x: Any) -> Tensor:
        return as_tensor(x)
