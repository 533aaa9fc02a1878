"""Layers: Linear (the course's s = x W + b), Dropout, Identity."""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from autograd import Affine, Tensor, affine, as_tensor, get_default_dtype
from nn import functional as F
from nn import init as initializers  # (`init` is Linear's argument)
from nn.module import Module, Parameter


class Linear(Module):
    """Affine map s = x W + b, with W of shape (in_features, out_features) as in the course
    (column k of W is the weight vector w_k of output neuron k). It records one `Affine` node;
    with `fused=False` it records `x @ W` and `+ b` as two, as the course's graphs draw them
    (the same values and gradients).

    Initialisation, `init` (see `nn.init`): "xavier", the default unless
    `nn.init.set_default_init` changed it, draws W from Xavier/Glorot uniform
    U(±√(6 / (in + out))) and sets b = 0, whatever activation follows; "torch" is PyTorch's
    nn.Linear default, W and b from U(±1/√in_features); "kaiming" is He uniform for ReLU,
    U(±√(6 / in)), b = 0; "zeros" sets both to 0. Draws come from `rng`, else nn.init's
    default generator (`nn.manual_seed`).
    """

    def __init__(self, in_features: int, out_features: int, bias: bool = True,
                 rng: Optional[np.random.Generator] = None, dtype: Any = None,
                 fused: bool = True, init: Optional[str] = None) -> None:
        init = initializers.get_default_init() if init is None else initializers.check_init(init)
        dtype = np.dtype(dtype or get_default_dtype())
        self.in_features = in_features
        self.out_features = out_features
        # One Affine node for x W + b (faster), or MatMul then Add, as the course draws them
        self.fused = fused
        self.init = init  # the scheme it started from, for reset_parameters
        self.weight = Parameter(np.empty((in_features, out_features), dtype=dtype))
        self.bias = Parameter(np.empty(out_features, dtype=dtype)) if bias else None
        self.reset_parameters(rng=rng)

    def reset_parameters(self, init: Optional[str] = None,
                         rng: Optional[np.random.Generator] = None) -> None:
        """Draw W and b afresh, in place, with `init` (None: the scheme the layer was made
        with), as PyTorch's `reset_parameters()`."""
        initializers.init_layer_(self.weight, self.bias, self.init if init is None else init,
                                 rng)

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

    graph_role = "affine"

    def short_repr(self) -> str:
        """"2→3", or "2→3, no bias"."""
        return f"{self.in_features}→{self.out_features}" + ("" if self.bias is not None
                                                            else ", no bias")


def _as_input(x: Any, dtype: np.dtype) -> Tensor:
    # Data arrives as float64 numpy more often than not; the layer computes in its own dtype
    # instead of letting numpy promote every product to float64.
    if not isinstance(x, Tensor):
        if type(x) is np.ndarray and x.dtype == dtype:
            return Tensor._make(x)  # what Tensor(x) makes of a batch in the layer's dtype
        x = Tensor(x)
    if x.data.dtype is dtype or x.data.dtype == dtype:
        return x
    cast = x.astype(dtype)
    if x.name is not None:  # the cast is the same data to a reader of the graph picture
        cast.name = x.name
    return cast


class Dropout(Module):
    """Inverted dropout (`nn.functional.dropout`): in training, zero each entry with
    probability p and scale the rest by 1/(1 − p); p = 1 gives zeros (gradient 0), as in
    PyTorch; in eval mode, the identity. p outside [0, 1] raises ValueError."""

    def __init__(self, p: float = 0.5, rng: Optional[np.random.Generator] = None) -> None:
        self.p = F.check_dropout_p(p)
        self.rng = rng

    def forward(self, x: Any) -> Tensor:
        return F.dropout(x, self.p, self.training, self.rng)

    def extra_repr(self) -> str:
        return f"p={self.p}"


class Identity(Module):
    """Returns its input unchanged."""

    def forward(self, x: Any) -> Tensor:
        return as_tensor(x)
