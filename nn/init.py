"""Weight initializers, and the named schemes that layers start from.

How a layer starts: `nn.Linear` (and so `nn.MLP`) fills its weight W, of shape
(in_features, out_features), with Xavier/Glorot uniform values U(−b, b), b = √(6 / (in + out)),
and its bias with zeros, whatever activation follows. That is the scheme called "xavier".
Others are chosen by name, per layer (`nn.Linear(..., init="torch")`, `nn.MLP(..., init=...)`)
or for every layer made afterwards (`nn.init.set_default_init("torch")`):

- "xavier"  (the default) weight Xavier-uniform, bias 0: suits sigmoid and tanh layers.
- "torch"   PyTorch's nn.Linear default: weight `kaiming_uniform_(a=√5)`, which is
            U(−1/√fan_in, 1/√fan_in), and bias U(−1/√fan_in, 1/√fan_in). Choose it to reproduce
            a PyTorch tutorial's training curves (in distribution: the random numbers differ).
- "kaiming" weight He/Kaiming-uniform for ReLU, U(−√(6 / fan_in), √(6 / fan_in)), bias 0.
- "zeros"   weight and bias 0: for linear and logistic regression; hidden layers started at
            zero stay identical to each other (nothing breaks their symmetry).

Fans follow chainrule's layouts: a dense weight is (in, out), the transpose of PyTorch's
(out, in), so its fan_in is `shape[0]`; a weight of 3 or more dimensions is a convolution's
(C_out, C_in, *kernel), as in PyTorch, so its fan_in is C_in · kernel size.

Each initializer takes an explicit `np.random.Generator`; without one they use the module's
default generator, which `seed(n)` resets for reproducible notebooks.
"""

from __future__ import annotations

import math
from typing import Any, Optional

import numpy as np

from autograd import Tensor

_default_rng = np.random.default_rng()

# The named schemes a layer can start from (see the module docstring), the default first.
LAYER_INITS = ("xavier", "torch", "kaiming", "zeros")
_default_init = "xavier"

FAN_MODES = ("fan_in", "fan_out")
NONLINEARITIES = ("linear", "identity", "conv1d", "conv2d", "conv3d", "conv_transpose1d",
                  "conv_transpose2d", "conv_transpose3d", "sigmoid", "tanh", "relu",
                  "leaky_relu", "selu")


def seed(value: int) -> None:
    """Reseed the default generator used when no `rng` is given (layers, Dropout)."""
    global _default_rng
    _default_rng = np.random.default_rng(value)


def default_rng() -> np.random.Generator:
    """The generator used when no `rng` is given."""
    return _default_rng


def set_default_init(name: str) -> None:
    """Choose the scheme that layers made from now on start from when they are given no
    `init` ("xavier", the default, or "torch", "kaiming", "zeros")."""
    global _default_init
    _default_init = check_init(name)


def get_default_init() -> str:
    """The scheme layers start from when they are given no `init`."""
    return _default_init


def check_init(name: Any) -> str:
    """`name` if it names a layer scheme, else a ValueError listing the choices."""
    if not isinstance(name, str) or name not in LAYER_INITS:
        raise ValueError(f"unknown init {name!r}; choose from {list(LAYER_INITS)}")
    return name


def _fill(t: Tensor, values: Any) -> Tensor:
    # An in-place change like any other: counted, so a graph that saved t refuses backward.
    t.data[...] = values
    t.bump_version()
    return t


def _fans(shape: tuple) -> tuple:
    """(fan_in, fan_out) of a weight of this shape, in chainrule's layouts."""
    if len(shape) < 2:
        raise ValueError(f"fan in/out needs a tensor of at least 2 dimensions, got {shape}")
    if len(shape) == 2:
        # A dense weight is (in_features, out_features), as in the course's s = x W + b:
        # the transpose of PyTorch's (out, in)
        return shape[0], shape[1]
    # A convolution's weight is (C_out, C_in, kH, kW, ...), PyTorch's layout
    receptive = math.prod(shape[2:])
    return shape[1] * receptive, shape[0] * receptive


def calculate_gain(nonlinearity: str, param: Optional[float] = None) -> float:
    """PyTorch's recommended gain for the activation that follows a layer: 1 for linear,
    identity, convolutions and sigmoid; 5/3 for tanh; √2 for relu; √(2 / (1 + a²)) for
    leaky_relu with negative slope a = `param` (0.01 when None); 3/4 for selu."""
    if nonlinearity not in NONLINEARITIES:
        raise ValueError(f"unknown nonlinearity {nonlinearity!r}; choose from "
                         f"{list(NONLINEARITIES)}")
    if nonlinearity == "tanh":
        return 5.0 / 3.0
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        slope = 0.01 if param is None else param
        if isinstance(slope, bool) or not isinstance(slope, (int, float)):
            raise ValueError(f"negative slope {slope!r} is not a number")
        return math.sqrt(2.0 / (1.0 + slope * slope))
    if nonlinearity == "selu":
        return 0.75
    return 1.0


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
    """Glorot/Xavier uniform: U(−b, b) with b = gain·√(6 / (fan_in + fan_out))."""
    fan_in, fan_out = _fans(t.shape)
    if t.size == 0:  # nothing to fill (and no fan to divide by), as in PyTorch
        return t
    bound = gain * math.sqrt(6.0 / (fan_in + fan_out))
    return uniform_(t, -bound, bound, rng)


def xavier_normal_(t: Tensor, gain: float = 1.0,
                   rng: Optional[np.random.Generator] = None) -> Tensor:
    """Glorot/Xavier normal: N(0, σ²) with σ = gain·√(2 / (fan_in + fan_out))."""
    fan_in, fan_out = _fans(t.shape)
    if t.size == 0:
        return t
    return normal_(t, 0.0, gain * math.sqrt(2.0 / (fan_in + fan_out)), rng)


def _kaiming_std(t: Tensor, a: float, mode: str, nonlinearity: str) -> float:
    if mode not in FAN_MODES:
        raise ValueError(f"mode must be one of {list(FAN_MODES)}, got {mode!r}")
    fan_in, fan_out = _fans(t.shape)
    gain = calculate_gain(nonlinearity, a)
    fan = fan_in if mode == "fan_in" else fan_out
    return gain / math.sqrt(fan) if fan else 0.0  # (a fan of 0: an empty tensor, left as is)


def kaiming_uniform_(t: Tensor, a: float = 0.0, mode: str = "fan_in",
                     nonlinearity: str = "leaky_relu",
                     rng: Optional[np.random.Generator] = None) -> Tensor:
    """He/Kaiming uniform, as PyTorch's: U(−b, b) with b = gain·√(3 / fan), where
    gain = calculate_gain(nonlinearity, a) (√(2 / (1 + a²)) for the default leaky_relu of
    negative slope a; a = 0 is ReLU's √2) and fan is the weight's fan_in (keeps the forward
    pass's variance) or fan_out (the backward pass's). A dense weight here is (in, out), so
    fan_in is `t.shape[0]`."""
    std = _kaiming_std(t, a, mode, nonlinearity)
    if t.size == 0:
        return t
    bound = math.sqrt(3.0) * std
    return uniform_(t, -bound, bound, rng)


def kaiming_normal_(t: Tensor, a: float = 0.0, mode: str = "fan_in",
                    nonlinearity: str = "leaky_relu",
                    rng: Optional[np.random.Generator] = None) -> Tensor:
    """He/Kaiming normal, as PyTorch's: N(0, σ²) with σ = gain / √fan (gain and fan as in
    `kaiming_uniform_`)."""
    std = _kaiming_std(t, a, mode, nonlinearity)
    if t.size == 0:
        return t
    return normal_(t, 0.0, std, rng)


def init_layer_(weight: Tensor, bias: Optional[Tensor], name: Optional[str] = None,
                rng: Optional[np.random.Generator] = None) -> None:
    """Fill a layer's weight and bias (None: no bias) in place with the named scheme (None:
    the default, see `set_default_init`); the weight is drawn first, then the bias."""
    name = _default_init if name is None else check_init(name)
    if name == "xavier":
        xavier_uniform_(weight, rng=rng)
    elif name == "torch":
        # PyTorch's nn.Linear.reset_parameters: kaiming_uniform_(a=√5) is U(±1/√fan_in)
        kaiming_uniform_(weight, a=math.sqrt(5.0), rng=rng)
    elif name == "kaiming":
        kaiming_uniform_(weight, nonlinearity="relu", rng=rng)
    else:
        zeros_(weight)
    if bias is None:
        return
    if name == "torch":
        fan_in, _ = _fans(weight.shape)
        bound = 1.0 / math.sqrt(fan_in) if fan_in > 0 else 0.0
        uniform_(bias, -bound, bound, rng)
    else:
        zeros_(bias)
