"""`nn.summary(model, input_shape)`: each layer's output shape and parameter count, as
students know them from Keras' `model.summary()` and torchinfo.

    print(nn.summary(model, (1, 1, 28, 28)))

One batch of zeros of `input_shape` (the batch axis included, as torchinfo's `input_size`)
runs through the model under `no_grad`; every module reports the shape it returned, in the
order the modules ran, indented by depth. A row's parameters are the module's own (a
container's are those of its layers below it, shown on their rows), so the column sums to
the total.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional, Sequence

import numpy as np

from autograd import Tensor, no_grad
from nn.module import Module, Parameter


@dataclass
class LayerRow:
    """One module of the summary: its dotted name, class, depth, output shape, parameters."""

    name: str
    kind: str
    depth: int
    output_shape: Optional[tuple] = None
    params: int = 0
    trainable: int = 0


@dataclass
class Summary:
    """The table `nn.summary` returns: `print()` it, or read `rows` and the totals."""

    input_shape: tuple
    rows: list = field(default_factory=list)

    @property
    def total_params(self) -> int:
        """Every parameter entry of the model (each shared parameter once)."""
        return sum(row.params for row in self.rows)

    @property
    def trainable_params(self) -> int:
        """The entries of parameters that require grad."""
        return sum(row.trainable for row in self.rows)

    def __str__(self) -> str:
        header = ("layer", "output shape", "params")
        lines = [(f"{'  ' * row.depth}{row.name} ({row.kind})" if row.name else row.kind,
                  _shape_text(row.output_shape), f"{row.params:,}" if row.params else "-")
                 for row in self.rows]
        lines.insert(0, ("input", _shape_text(self.input_shape), "-"))
        widths = [max(len(text[i]) for text in [header, *lines]) for i in range(3)]
        rule = "-" * (sum(widths) + 4)

        def fmt(cells: Sequence[str]) -> str:
            return f"{cells[0]:<{widths[0]}}  {cells[1]:<{widths[1]}}  {cells[2]:>{widths[2]}}"

        body = [fmt(header), rule, *[fmt(cells) for cells in lines], rule,
                f"total parameters: {self.total_params:,}",
                f"trainable parameters: {self.trainable_params:,}",
                f"non-trainable parameters: {self.total_params - self.trainable_params:,}"]
        return "\n".join(body)

    def __repr__(self) -> str:
        return str(self)


def summary(model: Module, input_shape: Sequence[int], dtype: Any = None) -> Summary:
    """Run one batch of zeros of `input_shape` through `model` and tabulate each module's
    output shape and parameter count (see the module docstring). `dtype` defaults to that of
    the model's first parameter (float32 for a model without any)."""
    if not isinstance(model, Module):
        raise TypeError(f"summary needs an nn.Module, got {type(model).__name__}")
    shape = tuple(input_shape)
    if not shape or any(not isinstance(n, (int, np.integer)) or n < 1 for n in shape):
        raise ValueError(f"summary: input_shape must be positive integers (the batch axis "
                         f"included, e.g. (1, 1, 28, 28)), got {input_shape!r}")
    if dtype is None:
        first = next(model.parameters(), None)
        dtype = first.dtype if first is not None else np.float32
    result = Summary(input_shape=shape)
    depths = _depths(model)
    seen: set = set()
    wrapped = []
    for name, module in model.named_modules():
        if module is model and list(module.children()):
            continue  # the whole model: its layers are the rows
        wrapped.append(module)
        module.forward = _recording(module, name, depths.get(id(module), 0), result, seen)
    try:
        with no_grad():
            model(Tensor(np.zeros(shape, dtype=dtype)))
    finally:
        for module in wrapped:
            del module.forward  # the instance attribute: the class's forward shows again
    return result


def _recording(module: Module, name: str, depth: int, result: Summary, seen: set) -> Any:
    forward = module.forward

    def run(*args: Any, **kwargs: Any) -> Any:
        row = LayerRow(name=name, kind=type(module).__name__, depth=depth)
        result.rows.append(row)  # before running: a container's row precedes its layers'
        for value in vars(module).values():
            if isinstance(value, Parameter) and id(value) not in seen:
                seen.add(id(value))
                row.params += value.data.size
                row.trainable += value.data.size if value.requires_grad else 0
        out = forward(*args, **kwargs)
        row.output_shape = tuple(out.shape) if hasattr(out, "shape") else None
        return out

    return run


def _depths(model: Module) -> dict:
    # the model's own layers at depth 0 (the model itself is no row when it has layers)
    return {id(module): max(name.count(".") + 1, 1) - 1 if name else 0
            for name, module in model.named_modules()}


def _shape_text(shape: Optional[tuple]) -> str:
    return "-" if shape is None else "(" + ", ".join(str(n) for n in shape) + ")"
