"""Pictures on screen and on disk: the `Graph` Jupyter shows, and files written with or
without the graphviz `dot` program (without it, the DOT text and a warning naming the
install command, never a traceback)."""

from __future__ import annotations

import os
import shutil
import warnings
from typing import Any, Iterable, Optional

import graphviz

INSTALL_HINT = ("install Graphviz: `sudo apt-get install graphviz` (Debian/Ubuntu), "
                "`brew install graphviz` (macOS) or `conda install graphviz`")
FORMATS = ("svg", "png", "pdf", "dot", "gv")


class GraphvizMissingWarning(UserWarning):
    """The graphviz `dot` program is not installed, so only the DOT text could be written."""


class Graph(graphviz.Digraph):
    """A `graphviz.Digraph` that Jupyter shows inline; without the `dot` program it shows its
    DOT source and a warning with the install command instead of a traceback. `drawing`
    is what it was written from: its nodes with their labels, clusters and edges."""

    drawing: Any = None

    def _repr_mimebundle_(self, include: Optional[Iterable[str]] = None,
                          exclude: Optional[Iterable[str]] = None, **kwargs: Any) -> dict:
        if shutil.which("dot") is None:
            warn_missing("the picture cannot be shown")
            return {"text/plain": self.source}
        try:
            return super()._repr_mimebundle_(include, exclude, **kwargs)
        except graphviz.ExecutableNotFound:
            warn_missing("the picture cannot be shown")
            return {"text/plain": self.source}


def file_format(path: str, format: Optional[str]) -> str:
    """The format to write `path` in: `format`, else its extension; one of FORMATS."""
    fmt = (format or os.path.splitext(path)[1].lstrip(".")).lower()
    if fmt not in FORMATS:
        raise ValueError(f"save_graph: unknown format {fmt!r} for {path!r}; use a path ending "
                         "in .svg, .png, .pdf, .dot or .gv (or pass format=)")
    return fmt


def save(graph: graphviz.Digraph, path: str, fmt: str) -> str:
    """Write `graph` to `path` in `fmt` and return the path written: the DOT text next to
    it (extension .dot) when the `dot` program is missing, with a GraphvizMissingWarning."""
    if fmt in ("dot", "gv"):
        _write_text(path, graph.source)
        return path
    try:
        if shutil.which("dot") is None:
            raise graphviz.ExecutableNotFound(("dot",))
        data = graph.pipe(format=fmt)
    except graphviz.ExecutableNotFound:
        dot_path = os.path.splitext(path)[0] + ".dot"
        _write_text(dot_path, graph.source)
        warn_missing(f"{path} could not be drawn; its DOT text was saved to {dot_path}",
                     stacklevel=4)
        return dot_path
    with open(path, "wb") as f:
        f.write(data)
    return path


def _write_text(path: str, text: str) -> None:
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def warn_missing(what: str, stacklevel: int = 3) -> None:
    """Warn that the `dot` program is missing, so `what`, naming the install command."""
    warnings.warn(GraphvizMissingWarning(
        f"the graphviz `dot` program was not found, so {what}. To draw pictures, "
        f"{INSTALL_HINT}. The DOT text is always available as `graph.source`."),
        stacklevel=stacklevel)
