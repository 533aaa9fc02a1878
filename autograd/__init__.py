"""chainrule's autograd engine: Tensors that record their graph, and a backward pass that
applies the chain rule one local derivative per node."""

from autograd.tensor import Tensor, as_tensor, bump_versions  # noqa: I001  (Tensor first: the ops need it)
from autograd.function import Function
from autograd.engine import backward, grad, topological_order
from autograd.mode import (
    detect_anomaly, enable_grad, is_anomaly_enabled, is_grad_enabled, no_grad, set_grad_enabled,
)
from autograd.dtypes import get_default_dtype, set_default_dtype
from autograd.factories import *  # noqa: F403  (zeros, ones, arange, randn, ...)
from autograd.factories import __all__ as _factories_all
from autograd.gradcheck import GradcheckError, gradcheck, gradgradcheck
from autograd.ops import *  # noqa: F403  (the function forms: autograd.exp(x), ...)
from autograd.ops import __all__ as _ops_all
from autograd import linalg  # noqa: E402  (numpy.linalg's functions: autograd.linalg.inv, ...)
# Tensor's operators and methods, in-place changes and numpy protocol: attached on import
from autograd import inplace, interop, methods  # noqa: F401, E402

__all__ = [
    "Tensor", "as_tensor", "bump_versions", "Function", "backward", "grad", "topological_order",
    "no_grad", "enable_grad", "set_grad_enabled", "is_grad_enabled", "detect_anomaly",
    "is_anomaly_enabled", "get_default_dtype", "set_default_dtype", "gradcheck",
    "gradgradcheck", "GradcheckError", "linalg",
    "draw_graph", "backward_steps", "save_graph",  # noqa: F405  (from viz, by __getattr__)
    *_factories_all, *_ops_all,
]


def __getattr__(name: str) -> object:
    # The pictures are in the viz package, above nn: imported on first use, never by autograd
    # itself (PEP 562).
    if name in ("draw_graph", "backward_steps", "save_graph"):
        import viz

        return getattr(viz, name)
    raise AttributeError(f"module 'autograd' has no attribute {name!r}")
