"""The backward pass as the pictures see it: the engine's order, and the engine's own pass
(`engine.walk`) reporting the gradient each node sends to each input. No `.grad` is written
and no hook runs; the graph is kept."""

from __future__ import annotations

from typing import Any, Iterator, Optional, Sequence

import numpy as np

from autograd import engine, mode
from autograd.tensor import Tensor
from viz.model import key_of


def backward_order(roots: list, strict: bool = False) -> list:
    """The nodes in the order backward visits them (`engine.topological_order`, which walks
    the recorded edges, so it works on a released graph too). With `strict`, the graph must
    still be alive (a pass over it needs the inputs)."""
    order = engine.topological_order([r.grad_fn for r in roots if r.grad_fn is not None])
    if strict and any(node.released for node in order):
        raise RuntimeError(
            "this needs the graph alive, but backward() already released it: build it "
            "again, or call backward(retain_graph=True) the first time")
    return order


def seeds(roots: list, grad_outputs: Optional[Sequence[Any]]) -> list:
    """∂L/∂root of each root as a Tensor: the one given, else ones."""
    if grad_outputs is not None and len(grad_outputs) != len(roots):
        raise ValueError(f"got {len(grad_outputs)} grad_outputs for {len(roots)} roots")
    found = []
    for i, r in enumerate(roots):
        seed = None if grad_outputs is None else grad_outputs[i]
        found.append(Tensor(np.ones(r.shape, dtype=r.dtype) if seed is None else seed,
                            dtype=r.dtype))
    return found


def steps(roots: list, grad_outputs: Optional[Sequence[Any]]) -> Iterator[tuple]:
    """After each node of the backward pass: (node, every gradient so far, how many
    contributions each tensor received so far), keyed like the graph model's tensors."""
    start = seeds(roots, grad_outputs)
    backward_order(roots, strict=True)
    reports: list = []          # (node, its parents, the gradient sent to each)
    walking = [i for i, r in enumerate(roots) if r.requires_grad]
    if walking:
        engine.walk([roots[i] for i in walking], [start[i] for i in walking],
                    report=lambda node, _g, sent: reports.append((node, node.parents(), sent)))
    grads: dict = {}
    received: dict = {}
    for r, seed in zip(roots, start):
        _add(grads, key_of(r), seed)
    for node, parents, input_grads in reports:
        for parent, gx in zip(parents, input_grads):
            key = id(parent)
            received[key] = received.get(key, 0) + 1
            if gx is not None:
                _add(grads, key, gx)
        yield node, grads, received


def gradients(roots: list, grad_outputs: Optional[Sequence[Any]]) -> dict:
    """Every gradient of the graph, keyed like the graph model's tensors."""
    grads: dict = {}
    for _node, so_far, _received in steps(roots, grad_outputs):
        grads = so_far
    return grads


def _add(grads: dict, key: int, g: Tensor) -> None:
    with mode.no_grad():
        grads[key] = g if key not in grads else grads[key] + g
