"""Anomaly detection (`with detect_anomaly():`): each op remembers where it was created, and
a NaN or inf that an op produces from finite values, in forward or backward, raises naming
the op and that place."""

from __future__ import annotations

import traceback
from typing import Any

import numpy as np

from autograd.tensor import Tensor


def remember(node: Any, data: np.ndarray, arrays: list) -> None:
    """At record time: where the node was created, and its forward output checked."""
    node.created_at = "".join(traceback.format_stack()[:-2])
    check_finite(node, "forward output", data, arrays)


def check_backward(node: Any, input_grads: Any) -> None:
    """After the node's local derivative: each gradient it sends to an input checked."""
    for i, gx in enumerate(input_grads):
        if gx is not None:
            check_finite(node, f"backward (gradient for input {i})",
                         gx.data if isinstance(gx, Tensor) else gx)


def check_finite(node: Any, what: str, data: Any, inputs: Any = ()) -> None:
    """Raise when `data` holds NaN or inf although `inputs` are finite."""
    if not isinstance(data, np.ndarray) or data.dtype.kind != "f" or np.isfinite(data).all():
        return
    if any(isinstance(a, np.ndarray) and a.dtype.kind == "f" and not np.isfinite(a).all()
           for a in inputs):
        return  # the bad value came in from upstream; the op that made it is named there
    kind = "nan" if np.isnan(data).any() else "inf"
    raise RuntimeError(
        f"{type(node).__name__} produced {kind} in its {what}. It was created at:\n"
        f"{node.created_at or '(place not recorded)'}")
