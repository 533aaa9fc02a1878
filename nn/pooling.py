"""Pooling layers over NCHW images (no parameters), as torch.nn.MaxPool2d and AvgPool2d."""

from __future__ import annotations

from typing import Any, Optional, Sequence, Union

from autograd import Tensor
from autograd.ops.pool import avg_pool2d, max_pool2d
from nn.module import Module

Size2 = Union[int, Sequence[int]]


class _Pool2d(Module):
    def __init__(self, kernel_size: Size2, stride: Optional[Size2] = None,
                 padding: Size2 = 0) -> None:
        self.kernel_size = kernel_size
        self.stride = kernel_size if stride is None else stride  # as torch's modules show it
        self.padding = padding

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"

    def short_repr(self) -> str:
        """"2×2", "3×3, stride 2, pad 1": the window, then the stride and the padding where
        they are not the usual (a stride of the window's size, no padding)."""
        kernel, stride, padding = (tuple(map(int, v)) if isinstance(v, (tuple, list))
                                   else (int(v), int(v))
                                   for v in (self.kernel_size, self.stride, self.padding))
        parts = ["×".join(map(str, kernel))]
        for name, pair, usual in (("stride", stride, kernel), ("pad", padding, (0, 0))):
            if pair != usual:
                parts.append(f"{name} {pair[0] if len(set(pair)) == 1 else pair}")
        return ", ".join(parts)


class MaxPool2d(_Pool2d):
    """The maximum of each kernel_size window (stride defaults to kernel_size; padding adds
    −inf borders); the gradient goes to each window's first maximum."""

    def forward(self, x: Any) -> Tensor:
        return max_pool2d(x, self.kernel_size, self.stride, self.padding)


class AvgPool2d(_Pool2d):
    """The mean of each kernel_size window (stride defaults to kernel_size; padded zeros
    count in the mean, as PyTorch's count_include_pad=True)."""

    def forward(self, x: Any) -> Tensor:
        return avg_pool2d(x, self.kernel_size, self.stride, self.padding)
