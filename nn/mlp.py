"""The multi-layer perceptron of the course: Linear layers with an activation between."""

from __future__ import annotations

from typing import Any, Callable, Optional, Sequence, Union

import numpy as np

from autograd import Tensor
from nn.activations import ACTIVATIONS
from nn.layers import Identity, Linear
from nn.module import Module, Sequential

ActivationSpec = Union[str, Module, Callable[[], Module], None]


def make_activation(spec: ActivationSpec) -> Module:
    """A fresh activation module from a name ('sigmoid', 'tanh', 'relu', 'step',
    'softmax', 'identity'), a Module class, or a Module instance."""
    if spec is None or spec == "identity":
        return Identity()
    if isinstance(spec, str):
        if spec not in ACTIVATIONS:
            raise ValueError(f"unknown activation {spec!r}; choose from "
                             f"{sorted(ACTIVATIONS) + ['identity']}")
        return ACTIVATIONS[spec]()
    if isinstance(spec, Module):
        return spec
    return spec()


class MLP(Module):
    """`MLP([2, 8, 2])`: 2 inputs → 8 hidden units → 2 outputs (logits by default).

    Between consecutive Linear layers sits `activation`; after the last one
    `output_activation` (None: the raw scores, to feed SoftmaxCrossEntropy). Every Linear
    layer starts from the scheme `init` names (None: "xavier" unless
    `nn.init.set_default_init` chose another; "torch" for PyTorch's nn.Linear default;
    "kaiming"; "zeros"; see `nn.init`).
    """

    def __init__(self, sizes: Sequence[int], activation: ActivationSpec = "sigmoid",
                 output_activation: ActivationSpec = None, bias: bool = True,
                 rng: Optional[np.random.Generator] = None, dtype: Any = None,
                 init: Optional[str] = None) -> None:
        sizes = list(sizes)
        if len(sizes) < 2 or any(int(s) < 1 for s in sizes):
            raise ValueError(f"MLP needs at least two positive sizes, got {sizes}")
        self.sizes = sizes
        layers: list = []
        for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
            layers.append(Linear(n_in, n_out, bias=bias, rng=rng, dtype=dtype, init=init))
            last = i == len(sizes) - 2
            if not last:
                layers.append(make_activation(activation))
            elif output_activation is not None:
                layers.append(make_activation(output_activation))
        self.layers = Sequential(*layers)

    def forward(self, x: Any) -> Tensor:
        return self.layers(x)

    def extra_repr(self) -> str:
        return f"sizes={self.sizes}"
