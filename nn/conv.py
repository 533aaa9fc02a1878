"""Convolution layers on NCHW images, as PyTorch's: Conv2d, and Flatten to hand a ConvNet's
feature maps to its dense layers."""

from __future__ import annotations

import math
from typing import Any, Optional, Sequence, Union

import numpy as np

from autograd import Tensor, as_tensor, get_default_dtype
from autograd.ops.conv import _pair, conv2d
from nn import init as initializers
from nn.layers import _as_input
from nn.module import Module, Parameter

IntPair = Union[int, Sequence[int]]


class Conv2d(Module):
    """2-D convolution (PyTorch's cross-correlation) of (N, C_in, H, W) images:
    out[n, o] = b[o] + Σ_c W[o, c] ⋆ x[n, c], weight (C_out, C_in, kH, kW), bias (C_out,).

    Starts as PyTorch's nn.Conv2d does: weight from kaiming_uniform_(a=√5), which is
    U(±1/√fan_in) with fan_in = C_in·kH·kW, and bias from U(±1/√fan_in); draws come from
    `rng`, else nn.init's default generator (`nn.manual_seed`). The input is cast to the
    layer's dtype (float32 unless `dtype` or the default dtype says otherwise).
    """

    def __init__(self, in_channels: int, out_channels: int, kernel_size: IntPair,
                 stride: IntPair = 1, padding: IntPair = 0, dilation: IntPair = 1,
                 bias: bool = True, rng: Optional[np.random.Generator] = None,
                 dtype: Any = None) -> None:
        for name, value in (("in_channels", in_channels), ("out_channels", out_channels)):
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value <= 0:
                raise ValueError(f"Conv2d: {name} must be a positive int, got {value!r}")
        self.in_channels = int(in_channels)
        self.out_channels = int(out_channels)
        self.kernel_size = _pair(kernel_size, "kernel_size", "Conv2d")
        self.stride = _pair(stride, "stride", "Conv2d")
        self.padding = _pair(padding, "padding", "Conv2d")
        self.dilation = _pair(dilation, "dilation", "Conv2d")
        for name in ("kernel_size", "stride", "dilation"):
            if min(getattr(self, name)) <= 0:
                raise ValueError(f"Conv2d: {name} must be positive, got {getattr(self, name)}")
        if min(self.padding) < 0:
            raise ValueError(f"Conv2d: padding must be non-negative, got {self.padding}")
        dtype = np.dtype(dtype or get_default_dtype())
        self.weight = Parameter(np.empty((out_channels, in_channels) + self.kernel_size,
                                         dtype=dtype))
        self.bias = Parameter(np.empty(out_channels, dtype=dtype)) if bias else None
        self.reset_parameters(rng=rng)

    def reset_parameters(self, rng: Optional[np.random.Generator] = None) -> None:
        """Draw the weight and the bias afresh, in place, as PyTorch's reset_parameters()."""
        initializers.kaiming_uniform_(self.weight, a=math.sqrt(5.0), rng=rng)
        if self.bias is not None:
            fan_in = self.in_channels * self.kernel_size[0] * self.kernel_size[1]
            bound = 1.0 / math.sqrt(fan_in)
            initializers.uniform_(self.bias, -bound, bound, rng=rng)

    def forward(self, x: Any) -> Tensor:
        x = _as_input(x, self.weight.data.dtype)
        return conv2d(x, self.weight, self.bias, self.stride, self.padding, self.dilation)

    def extra_repr(self) -> str:
        text = (f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
                f"stride={self.stride}")
        if self.padding != (0, 0):
            text += f", padding={self.padding}"
        if self.dilation != (1, 1):
            text += f", dilation={self.dilation}"
        if self.bias is None:
            text += ", bias=False"
        return text

    def short_repr(self) -> str:
        """"1→8, 5×5, pad 2": the channels and the kernel, then the stride, padding,
        dilation and a missing bias where they are not the usual."""
        parts = [f"{self.in_channels}→{self.out_channels}", "×".join(map(str, self.kernel_size))]
        for name, pair, usual in (("stride", self.stride, (1, 1)), ("pad", self.padding, (0, 0)),
                                  ("dilation", self.dilation, (1, 1))):
            if pair != usual:
                parts.append(f"{name} {pair[0] if pair[0] == pair[1] else pair}")
        return ", ".join(parts + ([] if self.bias is not None else ["no bias"]))


class Flatten(Module):
    """Merge the axes start_dim … end_dim into one, as PyTorch's nn.Flatten (by default
    every axis but the batch's: (N, C, H, W) becomes (N, C·H·W)); a reshape."""

    def __init__(self, start_dim: int = 1, end_dim: int = -1) -> None:
        self.start_dim = start_dim
        self.end_dim = end_dim

    def forward(self, x: Any) -> Tensor:
        return as_tensor(x).flatten(self.start_dim, self.end_dim)

    def extra_repr(self) -> str:
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"

    def short_repr(self) -> str:
        """"" for the usual axes 1 … -1, else "start…end"."""
        usual = (self.start_dim, self.end_dim) == (1, -1)
        return "" if usual else f"{self.start_dim}…{self.end_dim}"
