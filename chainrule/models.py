"""The models `chainrule train --model ...` builds: the MLP, and two small ConvNets.

    mlp    nn.MLP([features, *hidden, classes], activation)          flat samples
    cnn    conv 3x3 (1→16, pad 1), ReLU, max-pool 2, conv 3x3 (16→32, pad 1), ReLU,
           max-pool 2, flatten, Linear → classes                      small images (8x8 digits)
    lenet  conv 5x5 (1→8, pad 2), ReLU, max-pool 2, conv 5x5 (8→16), ReLU, max-pool 2,
           flatten, Linear → 64, ReLU, Linear 64 → classes            28x28 (MNIST)

A ConvNet takes images (N, C, H, W); its dense layer's size follows from H and W, so the same
architecture rebuilt with `build_model` from metrics.json's "input_shape" reloads model.npz.
"""

from __future__ import annotations

from typing import Optional, Sequence

import numpy as np

import nn

try:  # the lead may export them from nn; the layers themselves live in nn.conv
    from nn import Conv2d, Flatten  # type: ignore[attr-defined]
except ImportError:
    from nn.conv import Conv2d, Flatten

MODEL_NAMES = ["mlp", "cnn", "lenet"]
CONV_MODELS = ("cnn", "lenet")
# The smallest image side each ConvNet works on: cnn halves the side twice (4 → 2 → 1);
# lenet pads its first 5x5 conv, halves, convolves 5x5 unpadded and halves again (12 → 1).
MIN_IMAGE_SIDE = {"cnn": 4, "lenet": 12}
IMAGE_MODEL_NAMES = {"cnn": "small CNN (2 conv + 1 dense layer)",
                     "lenet": "LeNet-style CNN (2 conv + 2 dense layers)"}


def describe_mlp(sizes: Sequence[int], activation: str) -> str:
    """`MLP [64, 32, 10] (sigmoid)`; without a hidden layer no activation is used, and the
    name says so instead of naming one."""
    if len(sizes) <= 2:
        return f"MLP {list(sizes)} (no hidden layer: no activation)"
    return f"MLP {list(sizes)} ({activation})"


def describe_model(name: str, sizes: Optional[Sequence[int]] = None,
                   activation: str = "sigmoid") -> str:
    """How titles and the first line name the model: `describe_mlp` for the MLP,
    e.g. "LeNet-style CNN (2 conv + 2 dense layers)" for a ConvNet."""
    if name == "mlp":
        return describe_mlp(sizes or [], activation)
    return IMAGE_MODEL_NAMES[name]


def too_small(name: str, image_shape: Sequence[int]) -> Optional[str]:
    """Why the ConvNet `name` cannot take images of `image_shape` (rows, cols), or None."""
    side = MIN_IMAGE_SIDE[name]
    if min(image_shape) < side:
        rows, cols = image_shape
        return (f"--model {name} needs images of at least {side}x{side} pixels, "
                f"got {rows}x{cols}")
    return None


def build_model(name: str, input_shape: Sequence[int], n_classes: int,
                hidden: Sequence[int] = (64,), activation: str = "sigmoid",
                seed: int = 0) -> nn.Module:
    """The model `name` for samples of `input_shape` ((features,) for the MLP, (C, H, W) for
    a ConvNet) and `n_classes` outputs, its weights drawn from `seed`. `hidden` and
    `activation` are the MLP's; the ConvNets have fixed layers."""
    rng = np.random.default_rng(seed)
    if name == "mlp":
        (features,) = input_shape
        return nn.MLP([features, *hidden, n_classes], activation=activation, rng=rng)
    channels, rows, cols = input_shape
    if name == "cnn":
        flat = 32 * (rows // 2 // 2) * (cols // 2 // 2)
        return nn.Sequential(
            Conv2d(channels, 16, 3, padding=1, rng=rng), nn.ReLU(), nn.MaxPool2d(2),
            Conv2d(16, 32, 3, padding=1, rng=rng), nn.ReLU(), nn.MaxPool2d(2),
            Flatten(), nn.Linear(flat, n_classes, rng=rng))
    if name == "lenet":
        flat = 16 * ((rows // 2 - 4) // 2) * ((cols // 2 - 4) // 2)
        return nn.Sequential(
            Conv2d(channels, 8, 5, padding=2, rng=rng), nn.ReLU(), nn.MaxPool2d(2),
            Conv2d(8, 16, 5, rng=rng), nn.ReLU(), nn.MaxPool2d(2),
            Flatten(), nn.Linear(flat, 64, rng=rng), nn.ReLU(), nn.Linear(64, n_classes, rng=rng))
    raise ValueError(f"unknown model {name!r}; choose from {', '.join(MODEL_NAMES)}")


def conv_layers(model: nn.Module) -> list:
    """The Conv2d layers of `model`, in order, as (index in the Sequential, layer)."""
    if not isinstance(model, nn.Sequential):
        return []
    return [(i, layer) for i, layer in enumerate(model) if isinstance(layer, Conv2d)]
