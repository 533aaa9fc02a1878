"""Weight initializers. Each takes an explicit `np.random.Generator`; without one they use
the module's default generator, which `seed(n)` resets for reproducible notebooks."""

from __future__ import annotations

import math
from typing import Any, Optional

import numpy as np

from autograd import Tensor

_default_rng = np.random.default_rng()


def seed(value: int) -> None:
    """Reseed the default generator used when no `rng` is given (layers, Dropout)."""
    global _default_rng
    _default_rng = np.random.default_rng(value)


def default_rng() -> np.random.Generator:
    """The generator used when no `rng` is given."""
    return _default_rng


def _fill(t: Tensor, values: Any) -> Tensor:
    # An in-place change like any other: counted, so a graph that saved t refuses backward.
    t.data[...] = values
    t.bump_version()
    return t


def _fans(shape: tuple) -> tuple:
    if len(shape) < 2:
        raise ValueError(f"fan in/out needs a tensor of at least 2 dimensions, got {shape}")
    # Linear weights are (in_features, out_features), as in the course's s = x W + b
    receptive = math.prod(shape[2:])
    return shape[0] * receptive, shape[1] * receptive


def uniform_(t: Tensor, low: float = 0.0, high: float = 1.0,
             rng: Optional[np.random.Generator] = None) -> Tensor:
    """Fill with U(low, high) in place."""
    return _fill(t, (rng or _default_rng).uniform(low, high, t.shape))


def normal_(t: Tensor, mean: float = 0.0, std: float = 1.0,
            rng: Optional[np.random.Generator] = None) -> Tensor:
    """Fill with N(mean, std²) in place."""
    return _fill(t, (rng or _default_rng).normal(mean, std, t.shape))


def constant_(t: Tensor, value: float) -> Tensor:
    """Fill with one value in place."""
    return _fill(t, value)


def zeros_(t: Tensor) -> Tensor:
    """Fill with zeros in place."""
    return constant_(t, 0.0)


def xavier_uniform_(t: Tensor, gain: float = 1.0,
                    rng: Optional[np.random.Generator] = None) -> Tensor:
    """Glorot/Xavier uniform: U(−a, a) with a = gain·√(6 / (fan_in + fan_out))."""
    fan_in, fan_out = _fans(t.shape)
    bound = gain * math.sqrt(6.0 / (fan_in + fan_out))
    return uniform_(t, -bound, bound, rng)


def xavier_normal_(t: Tensor, gain: float = 1.0,
                   rng: Optional[np.random.Generator] = None) -> Tensor:
    """Glorot/Xavier normal: N(0, σ²) with σ = gain·√(2 / (fan_in + fan_out))."""
    fan_in, fan_out = _fans(t.shape)
    return normal_(t, 0.0, gain * math.sqrt(2.0 / (fan_in + fan_out)), rng)


def kaiming_uniform_(t: Tensor, gain: float = math.sqrt(2.0),
                     rng: Optional[np.random.Generator] = None) -> Tensor:
    """He/Kaiming uniform for ReLU layers: U(−a, a) with a = gain·√(3 / fan_in)."""
    fan_in, _ = _fans(t.shape)
    bound = gain * math.sqrt(3.0 / fan_in)
    return uniform_(t, -bound, bound, rng)


def kaiming_normal_(t: Tensor, gain: float = math.sqrt(2.0),
                    rng: Optional[np.random.Generator] = None) -> Tensor:
    """He/Kaiming normal for ReLU layers: N(0, σ²) with σ = gain / √fan_in."""
    fan_in, _ = _fans(t.shape)
    return normal_(t, 0.0, gain / math.sqrt(fan_in), rng)
