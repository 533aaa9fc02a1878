"""Numbers, shapes and indices as the pictures write them: short, and as numpy code reads."""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from viz.style import ARG_CHARS, TINY


def number(value: Any) -> str:
    """One entry: ints and bools as they are, floats to 4 significant digits (no "-0")."""
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    value = float(value)
    return "0" if value == 0 else f"{value:.4g}"


def summary(array: np.ndarray) -> list:
    """A few short lines: every entry of a tiny array, else min / mean / max."""
    if array.size == 0:
        return ["empty"]
    if array.ndim == 0:
        return [number(array.item())]
    if array.size <= TINY:
        if array.ndim == 2 and array.shape[1] > 1:   # a small matrix: one line per row
            return ["[" + ", ".join(number(v) for v in row) + "]" for row in array]
        return ["[" + ", ".join(number(v) for v in array.ravel()) + "]"]
    if array.dtype.kind == "b":
        return [f"{int(array.sum())} of {array.size} true"]
    with np.errstate(all="ignore"):
        mean = array.astype(np.float64).mean()
    return [f"min {number(array.min())} · mean {number(mean)} · max {number(array.max())}"]


def mean_abs(array: np.ndarray) -> float:
    """The mean |entry| of a gradient, in float64 (what color_by_grad colours by)."""
    with np.errstate(all="ignore"):
        return float(np.abs(array.astype(np.float64)).mean())


def shape_text(shape: Optional[tuple], dtype: Any) -> str:
    """"(4, 2) float32", "scalar", "(3,)"; "shape unknown" for a released node that no
    gradient reached (its output gone)."""
    if shape is None:
        return "shape unknown"
    text = "scalar" if shape == () else "(" + ", ".join(str(s) for s in shape) + \
        ("," if len(shape) == 1 else "") + ")"
    return f"{text} {dtype}" if dtype is not None else text


def step_mark(step: int) -> str:
    """The mark of backward step `step`: ① .. ⑳ read well at a glance; then "#21"."""
    return chr(0x2460 + step - 1) if 1 <= step <= 20 else f"#{step}"


def value_text(value: Any) -> str:
    """A non-tensor argument of an op: an array by its dtype and shape, else its repr."""
    if isinstance(value, np.ndarray):
        return f"{value.dtype}{list(value.shape)}"
    return repr(value)


def index_text(index: Any, room: int = ARG_CHARS - 3) -> str:
    """An index as numpy code would write it, short: `0, :`, `[0, 1], [2, 0]`, `mask (2, 3)`;
    an integer array too long to list shows its first entries and its length."""
    items = index if isinstance(index, tuple) else (index,)
    texts = [_index_item(item, full=True) for item in items]
    if sum(len(t) + 2 for t in texts) > room:
        texts = [_index_item(item, full=False) for item in items]
    text = ", ".join(texts)
    if isinstance(index, tuple) and len(index) == 1:
        text += ","
    return text if len(text) <= room else text[:room - 1] + "…"


def _index_item(item: Any, full: bool) -> str:
    if item is Ellipsis:
        return "..."
    if item is None:
        return "None"
    if isinstance(item, slice):
        start = "" if item.start is None else str(item.start)
        stop = "" if item.stop is None else str(item.stop)
        return f"{start}:{stop}" + ("" if item.step is None else f":{item.step}")
    if isinstance(item, (bool, np.bool_)):
        return str(bool(item))
    if isinstance(item, (int, np.integer)):
        return str(int(item))
    array = np.asarray(item)
    if array.dtype.kind == "b":
        return f"mask {shape_text(array.shape, None)}"
    if array.dtype.kind in "iu":
        if array.size <= (8 if full else 3) and array.ndim <= 2:
            return str(array.tolist())
        if array.ndim == 1:
            return "[" + ", ".join(str(v) for v in array[:3].tolist()) + f", … ({array.size})]"
        return f"{array.dtype} {shape_text(array.shape, None)}"
    text = repr(item)
    return text if len(text) <= 16 else text[:15] + "…"
