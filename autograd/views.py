"""Views: a tensor whose array is a view of another's (reshape, transpose, slicing, detach)
shares that tensor's version counter, so an in-place change made through either one is
seen by both (autograd/versions.py)."""

from __future__ import annotations

from autograd.mode import per_thread as _per_thread
from autograd.tensor import Tensor, _share_versions


def link(out: Tensor, args: tuple) -> None:
    """`out`'s array may be a view of an input's: then count both on that input's root. (Not
    while backward runs without create_graph: its views are of gradients and saved values,
    gone when it ends, and would only make tensors look viewed.)"""
    if _per_thread.modes.in_backward:
        return
    data = out.data
    base = data.base  # numpy points a view of a view at the array that owns the memory
    for a in args:
        if isinstance(a, Tensor):
            array = a.data
            if array is data or array is base or (base is not None and array.base is base):
                _share_versions(out, a)
                return

