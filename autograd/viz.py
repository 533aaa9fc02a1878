"""Graph pictures live in the `viz` package, above nn; this module keeps the old spelling
(`from autograd.viz import draw_graph`) working, importing viz only when a name is used."""

from __future__ import annotations

import importlib
from typing import Any


def __getattr__(name: str) -> Any:
    viz = importlib.import_module("viz")
    try:
        return getattr(viz, name)
    except AttributeError:
        raise AttributeError(f"module 'autograd.viz' has no attribute {name!r} (the pictures "
                             "are in the viz package)") from None


def __dir__() -> list:
    return sorted(importlib.import_module("viz").__all__)
