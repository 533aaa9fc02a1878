"""What an op says about itself in a picture: its arguments, the names of its operands and
its local derivative.

An op names its tensor operands by declaring them on its class, `operands = ("x", "W", "b")`
(Affine), written the way its derivative writes them; without a declaration they are the
names of its forward's parameters (Sub's a and b), and a `*args` parameter's arguments are
numbered a₁, a₂, ... The derivative is the first line of the op's docstring
(`Function.derivative`).
"""

from __future__ import annotations

import inspect
import re
import textwrap
from typing import Optional

from autograd.function import Function
from autograd.tensor import Tensor
from viz.style import ARG_CHARS, DERIVATIVE_CHARS
from viz.text import index_text, value_text

_FORWARD_PARAMETERS: dict = {}
_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
# the parts of a derivative, "∂(A@B)/∂A: G @ Bᵀ,  ∂(A@B)/∂B: Aᵀ @ G", and whom each is for
_DERIVATIVE_PART = re.compile(r",\s{2,}(?=∂)")
_WITH_RESPECT_TO = re.compile(r"/∂\s*([A-Za-z]+)")


def forward_names(cls: type) -> list:
    """The names of forward's parameters after ctx, one per positional argument; a `*args`
    parameter gives None (its arguments are numbered where they are used)."""
    names = _FORWARD_PARAMETERS.get(cls)
    if names is None:
        try:
            params = list(inspect.signature(cls.forward).parameters.values())[1:]
            names = [p.name if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) else None
                     for p in params]
        except (TypeError, ValueError):
            names = []
        _FORWARD_PARAMETERS[cls] = names
    return names


def operands(cls: type) -> list:
    """The op's names for its arguments, one per forward parameter: its declared `operands`,
    else forward's parameter names (None for a `*args` parameter)."""
    declared = getattr(cls, "operands", None)
    return list(declared) if declared is not None else forward_names(cls)


def operand_labels(node: Function, positions: list) -> Optional[list]:
    """The edge labels of an op with two or more tensor operands, one per argument position
    (MatMul's A and B, Affine's x, W, b, Sub's a and b; a `*args` op's a₁, a₂, ...). None for
    an op with a single operand. A released op knows only its inputs that required grad:
    those are labelled when there are two, or when the one left is not the first."""
    if len(positions) < 2 and not (node.released and positions and positions[0] > 0):
        return None
    names = operands(type(node))
    if names and names[-1] is None:         # *args: a₁, a₂, ...
        first = len(names) - 1
        return names[:first] + [f"a{str(k + 1).translate(_SUBSCRIPTS)}"
                                for k in range(max(positions) + 1 - first)]
    return names


def arguments(node: Function) -> str:
    """The op's non-tensor arguments, named after forward's parameters: "axis=1"; an index
    reads as numpy does, "a[[0, 1], [2, 0]]"."""
    if not node.inputs:
        return ""
    names = forward_names(type(node))
    parts = []
    for i, value in enumerate(node.inputs):
        if isinstance(value, Tensor) or value is None or value is False:
            continue    # None and False are the defaults: they would only clutter
        name = names[i] if i < len(names) else None
        if name == "index":
            parts.append(f"a[{index_text(value)}]")
            continue
        text = value_text(value)
        if len(text) > ARG_CHARS:
            text = text[:ARG_CHARS - 1] + "…"
        parts.append(f"{name}={text}" if name else text)
    return ", ".join(parts)


def derivative(node: Function) -> str:
    """The op's local derivative, only the parts for the inputs that need a gradient: a Pow
    by a constant exponent shows ∂/∂a, not ∂/∂b; a first layer's Affine (x is data) shows
    ∂/∂W and ∂/∂b."""
    text = _whole_first_sentence(node)
    parts = _DERIVATIVE_PART.split(text)
    if len(parts) < 2:
        return text
    names = operands(type(node))
    needs = node.needs_input_grad
    kept = [part for part in parts if not _for_unneeded_input(part, names, needs)]
    return ",  ".join(kept) if kept else text


def _whole_first_sentence(node: Function) -> str:
    # the docstring's first line, taken on when it stops inside parentheses
    text = node.derivative()
    if text.count("(") > text.count(")"):
        lines = [line.strip() for line in (type(node).__doc__ or "").strip().splitlines()]
        for line in lines[1:3]:
            if not line:
                break
            text = f"{text} {line}"
            if text.count("(") <= text.count(")"):
                break
    return text


def _for_unneeded_input(part: str, names: list, needs: tuple) -> bool:
    # whether this part of a derivative is ∂/∂(an input that gets no gradient): the name
    # after ∂ is an operand's, in any case, or a single letter that starts just one of them
    match = _WITH_RESPECT_TO.search(part)
    if match is None:
        return False
    wrt = match.group(1).lower()
    exact = any(n and n.lower() == wrt for n in names)
    index = [i for i, name in enumerate(names) if name is not None
             and (name.lower() == wrt or (len(wrt) == 1 and not exact
                                          and name[:1].lower() == wrt))]
    return len(index) == 1 and index[0] < len(needs) and not needs[index[0]]


def wrap_derivative(text: str) -> list:
    """A derivative as lines of at most DERIVATIVE_CHARS, broken between its parts
    (∂/∂a,  ∂/∂b) where it can, else between words; never more than three lines."""
    if len(text) <= DERIVATIVE_CHARS:
        return [text] if text else []
    lines: list = []
    for part in _DERIVATIVE_PART.split(text):
        if lines and len(lines[-1]) + 3 + len(part) <= DERIVATIVE_CHARS:
            lines[-1] += ",  " + part
        else:
            if lines:
                lines[-1] += ","
            lines += textwrap.wrap(part, DERIVATIVE_CHARS) or [part]
    if len(lines) > 3:
        lines = lines[:3]
        lines[-1] = lines[-1][:DERIVATIVE_CHARS - 2].rstrip(" ,") + " …"
    return lines
