"""Normalisation layers: BatchNorm1d, BatchNorm2d and LayerNorm, with PyTorch's semantics.

Each forward is built from autograd ops (means with keepdims, a subtraction, a square, a
square root, a division), so its gradient is the true one: through the batch statistics in
training, through the affine map only in eval mode (the running statistics are constants).

    x̂ = (x − μ) / √(σ² + ε),   y = γ·x̂ + β

μ and σ² (biased) are taken per channel over the batch and spatial axes (batch norm) or per
example over the last axes (layer norm). In training, batch norm also updates its running
statistics, without recording anything, with the unbiased variance σ²·n/(n − 1):
running = (1 − momentum)·running + momentum·batch statistic.
"""

from __future__ import annotations

import math
from typing import Any, Optional, Sequence, Union

import numpy as np

from autograd import Tensor, as_tensor, get_default_dtype, no_grad
from nn.layers import _as_input
from nn.module import Module, Parameter

Shape = Union[int, Sequence[int]]


def batch_norm(x: Any, running_mean: Optional[Tensor], running_var: Optional[Tensor],
               weight: Optional[Tensor] = None, bias: Optional[Tensor] = None,
               training: bool = False, momentum: float = 0.1, eps: float = 1e-5) -> Tensor:
    """Batch normalisation of `x` (N, C, *) over every axis but the channel axis 1, as
    PyTorch's F.batch_norm. In training it normalises with the batch's mean and biased
    variance and, when running statistics are given, updates them in place (unrecorded)
    with `momentum` and the unbiased variance; otherwise it uses the running statistics."""
    x = as_tensor(x)
    if x.ndim < 2:
        raise ValueError(f"batch_norm expects input of shape (N, C, *), got shape {x.shape}")
    channels = x.shape[1]
    for what, t in (("running_mean", running_mean), ("running_var", running_var),
                    ("weight", weight), ("bias", bias)):
        if t is not None and tuple(t.shape) != (channels,):
            raise ValueError(f"batch_norm: {what} of shape {tuple(t.shape)} does not fit "
                             f"input of shape {x.shape}: it must be ({channels},), one per "
                             f"channel (axis 1)")
    axes = (0,) + tuple(range(2, x.ndim))
    per_channel = (channels,) + (1,) * (x.ndim - 2)  # broadcasts against (N, C, *)
    count = math.prod(x.shape[i] for i in axes)  # values per channel
    if training:
        if count == 1:
            raise ValueError(f"Expected more than 1 value per channel when training, got "
                             f"input of shape {x.shape}")
        mean = x.mean(axis=axes, keepdims=True)
        centered = x - mean
        var = (centered ** 2).mean(axis=axes, keepdims=True)  # biased, as PyTorch normalises
        normalized = centered / (var + eps).sqrt()
        if count > 0 and (running_mean is not None or running_var is not None):
            with no_grad():
                if running_mean is not None:
                    _blend_(running_mean, mean.data.reshape(channels), momentum)
                if running_var is not None:
                    unbiased = var.data.reshape(channels) * (count / (count - 1))
                    _blend_(running_var, unbiased, momentum)
    else:
        if running_mean is None or running_var is None:
            raise ValueError("batch_norm: running_mean and running_var are needed when not "
                             "training")
        # constants: in eval mode the gradient flows through the affine map only
        mean = running_mean.data.reshape(per_channel)
        inv_std = 1.0 / np.sqrt(running_var.data.reshape(per_channel) + eps)
        normalized = (x - Tensor(mean)) * Tensor(inv_std)
    if weight is not None:
        normalized = normalized * weight.reshape(per_channel)
    if bias is not None:
        normalized = normalized + bias.reshape(per_channel)
    return normalized


def _blend_(running: Tensor, batch_value: np.ndarray, momentum: float) -> None:
    # running ← (1 − momentum)·running + momentum·batch_value, in place, its version bumped
    blended = (1.0 - momentum) * running.data + momentum * batch_value
    np.copyto(running.data, blended, casting="unsafe")
    running.bump_version()


def layer_norm(x: Any, normalized_shape: Shape, weight: Optional[Tensor] = None,
               bias: Optional[Tensor] = None, eps: float = 1e-5) -> Tensor:
    """Layer normalisation of `x` over its last len(normalized_shape) axes (their shape must
    be normalized_shape), with the biased variance, as PyTorch's F.layer_norm."""
    x = as_tensor(x)
    shape = _as_shape(normalized_shape)
    if x.ndim < len(shape) or x.shape[x.ndim - len(shape):] != shape:
        raise ValueError(f"layer_norm over normalized_shape {shape} got input of shape "
                         f"{x.shape}: its last {len(shape)} axes must be {shape}")
    for what, t in (("weight", weight), ("bias", bias)):
        if t is not None and tuple(t.shape) != shape:
            raise ValueError(f"layer_norm: {what} of shape {tuple(t.shape)} must be the "
                             f"normalized_shape {shape}")
    axes = tuple(range(x.ndim - len(shape), x.ndim))
    mean = x.mean(axis=axes, keepdims=True)
    centered = x - mean
    var = (centered ** 2).mean(axis=axes, keepdims=True)
    normalized = centered / (var + eps).sqrt()
    if weight is not None:
        normalized = normalized * weight
    if bias is not None:
        normalized = normalized + bias
    return normalized


def _as_shape(normalized_shape: Shape) -> tuple:
    if isinstance(normalized_shape, (int, np.integer)):
        normalized_shape = (normalized_shape,)
    shape = tuple(normalized_shape)
    if not all(isinstance(n, (int, np.integer)) and not isinstance(n, bool) and n > 0
               for n in shape):
        raise ValueError(f"normalized_shape must be positive integers, got {normalized_shape!r}")
    return tuple(int(n) for n in shape)


class _BatchNorm(Module):
    """What BatchNorm1d and BatchNorm2d share; they differ in the input shapes they take."""

    _ndims: tuple = ()
    _shapes: str = ""

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: Optional[float] = 0.1,
                 affine: bool = True, track_running_stats: bool = True,
                 dtype: Any = None) -> None:
        if isinstance(num_features, bool) or not isinstance(num_features, (int, np.integer)) \
                or num_features < 1:
            raise ValueError(f"{type(self).__name__}: num_features must be a positive integer, "
                             f"got {num_features!r}")
        dtype = np.dtype(dtype or get_default_dtype())
        self.num_features = int(num_features)
        self.eps = eps
        self.momentum = momentum  # None: a cumulative average of every batch, as in PyTorch
        self.affine = affine
        self.track_running_stats = track_running_stats
        self.dtype = dtype
        self.weight = Parameter(np.ones(num_features, dtype)) if affine else None
        self.bias = Parameter(np.zeros(num_features, dtype)) if affine else None
        if track_running_stats:
            self.register_buffer("running_mean", np.zeros(num_features, dtype))
            self.register_buffer("running_var", np.ones(num_features, dtype))
            self.register_buffer("num_batches_tracked", np.array(0, np.int64))
        else:
            self.register_buffer("running_mean", None)
            self.register_buffer("running_var", None)
            self.register_buffer("num_batches_tracked", None)

    def reset_running_stats(self) -> None:
        """Running mean 0, running variance 1, no batch tracked."""
        if self.track_running_stats:
            with no_grad():
                self.running_mean.zero_()
                self.running_var.fill_(1)
                self.num_batches_tracked.zero_()

    def reset_parameters(self) -> None:
        """Running statistics reset, weight (γ) 1 and bias (β) 0."""
        self.reset_running_stats()
        if self.affine:
            with no_grad():
                self.weight.fill_(1)
                self.bias.fill_(0)

    def forward(self, x: Any) -> Tensor:
        x = _as_input(x, self.dtype)
        name = type(self).__name__
        if x.ndim not in self._ndims:
            raise ValueError(f"{name}({self.num_features}) expects input of shape "
                             f"{self._shapes}, got shape {x.shape} ({x.ndim}D)")
        if x.shape[1] != self.num_features:
            raise ValueError(f"{name}({self.num_features}) got input of shape {x.shape}: "
                             f"its axis 1 (channels) must be {self.num_features}")
        momentum = 0.0 if self.momentum is None else self.momentum
        if self.training and self.track_running_stats:
            with no_grad():
                self.num_batches_tracked.data += 1
                self.num_batches_tracked.bump_version()
            if self.momentum is None:  # cumulative moving average
                momentum = 1.0 / int(self.num_batches_tracked.data)
        # batch statistics in training, and always when no running statistics are kept
        # (then running_mean and running_var are None: nothing to update)
        return batch_norm(x, self.running_mean, self.running_var, self.weight, self.bias,
                          self.training or not self.track_running_stats, momentum, self.eps)

    def extra_repr(self) -> str:
        return (f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, "
                f"affine={self.affine}, track_running_stats={self.track_running_stats}")

    def short_repr(self) -> str:
        """The number of channels: "8"."""
        return str(self.num_features)


class BatchNorm1d(_BatchNorm):
    """Batch normalisation of (N, C) or (N, C, L) inputs, per channel C, over N (and L).
    weight γ (ones) and bias β (zeros) when `affine`; buffers running_mean (zeros),
    running_var (ones) and num_batches_tracked; eval mode uses the running statistics."""

    _ndims = (2, 3)
    _shapes = "(N, C) or (N, C, L)"


class BatchNorm2d(_BatchNorm):
    """Batch normalisation of (N, C, H, W) images, per channel C, over N, H and W.
    weight γ (ones) and bias β (zeros) when `affine`; buffers running_mean (zeros),
    running_var (ones) and num_batches_tracked; eval mode uses the running statistics."""

    _ndims = (4,)
    _shapes = "(N, C, H, W)"


class LayerNorm(Module):
    """Layer normalisation over the last len(normalized_shape) axes of each example, with
    weight (ones) and bias (zeros) of normalized_shape when `elementwise_affine` (bias only
    if `bias`), as PyTorch's nn.LayerNorm. The same in training and eval mode."""

    def __init__(self, normalized_shape: Shape, eps: float = 1e-5,
                 elementwise_affine: bool = True, bias: bool = True, dtype: Any = None) -> None:
        dtype = np.dtype(dtype or get_default_dtype())
        self.normalized_shape = _as_shape(normalized_shape)
        self.eps = eps
        self.elementwise_affine = elementwise_affine
        self.dtype = dtype
        self.weight = Parameter(np.ones(self.normalized_shape, dtype)) \
            if elementwise_affine else None
        self.bias = Parameter(np.zeros(self.normalized_shape, dtype)) \
            if elementwise_affine and bias else None

    def forward(self, x: Any) -> Tensor:
        return layer_norm(_as_input(x, self.dtype), self.normalized_shape, self.weight,
                          self.bias, self.eps)

    def extra_repr(self) -> str:
        return (f"{self.normalized_shape}, eps={self.eps}, "
                f"elementwise_affine={self.elementwise_affine}")
