"""Execute the course notebooks into standalone HTML pages, figures embedded, plus an index.

    python scripts/notebooks_html.py [--out out/html] [--jobs N] [NOTEBOOK ...]

Each notebook runs in a fresh kernel from its own folder (as `make test` runs it); its page
is written to OUT/<name>.html, with the notebook's outputs (plots as PNG, graphs as SVG)
inside the file, so it opens without a Jupyter server. A notebook that fails still gets its
page, with the cells up to the error and the error itself, and is marked in OUT/index.html;
the exit status is then 1. The pages load MathJax from its CDN to typeset the formulas:
offline, the text and the figures show, the formulas stay as LaTeX source.
"""

from __future__ import annotations

import argparse
import html
import os
import re
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*m")


@dataclass
class Page:
    """One notebook's page: where it came from, where it went, how it went."""

    notebook: Path
    html_name: str
    title: str
    seconds: float
    error: str | None = None


def notebook_title(cells: list[dict], fallback: str) -> str:
    """The first Markdown heading's text: '# 05 — Gradient descent' -> '05 — Gradient descent'."""
    for cell in cells:
        if cell.get("cell_type") != "markdown":
            continue
        source = cell.get("source", "")
        text = "".join(source) if isinstance(source, list) else source
        for line in text.splitlines():
            if line.startswith("#"):
                title = line.lstrip("#").strip()
                if title:
                    return title
    return fallback


def index_html(pages: list[Page]) -> str:
    """The index page: one link per notebook, in order, with its title, time and any error."""
    items = []
    for page in pages:
        link = f'<a href="{html.escape(page.html_name, quote=True)}">{html.escape(page.title)}</a>'
        note = f"{page.seconds:.0f} s"
        if page.error is not None:
            note = f'<strong class="error">failed: {html.escape(page.error)}</strong> ({note})'
        items.append(f"  <li>{link} <span class=\"note\">{note}</span></li>")
    failed = sum(page.error is not None for page in pages)
    summary = f"{len(pages)} notebooks" + (f", {failed} failed" if failed else "")
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="en">',
        '<head><meta charset="utf-8"><title>chainrule notebooks</title>',
        "<style>body{font-family:sans-serif;max-width:48em;margin:2em auto;line-height:1.6}"
        ".note{color:#666;font-size:90%}.error{color:#b00}</style></head>",
        "<body>",
        "<h1>chainrule: the course notebooks</h1>",
        f"<p>{summary}, executed with their outputs. "
        "Each page stands alone: its figures are inside it.</p>",
        "<ol>",
        *items,
        "</ol>",
        "</body>",
        "</html>",
        "",
    ])


def write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def render(notebook: Path, out_dir: Path, timeout: int) -> Page:
    """Execute one notebook in a fresh kernel and write its standalone HTML page."""
    import nbformat
    from nbclient.exceptions import CellExecutionError
    from nbconvert import HTMLExporter
    from jupyter_client import KernelManager
    from nbconvert.preprocessors import ExecutePreprocessor

    start = time.perf_counter()
    nb = nbformat.read(notebook, as_version=4)
    error = None
    executor = ExecutePreprocessor(timeout=timeout, kernel_name="python3")
    # a local socket file instead of TCP ports: nothing listens on the network
    sockets = tempfile.TemporaryDirectory(prefix="chainrule-kernel-")
    kernel = KernelManager(kernel_name="python3", transport="ipc",
                           ip=os.path.join(sockets.name, "kernel"))
    try:
        executor.preprocess(nb, {"metadata": {"path": str(notebook.parent)}}, km=kernel)
    except CellExecutionError as exc:   # the cells run so far, the error among them
        lines = ANSI_ESCAPE.sub("", str(exc)).strip().splitlines()
        error = lines[-1][:200] if lines else "error"
    except Exception as exc:            # a kernel that died or timed out
        error = f"{type(exc).__name__}: {exc}"[:200]
    finally:                            # the kernel is ours (km=), so we shut it down
        if kernel.has_kernel:
            kernel.shutdown_kernel()
        sockets.cleanup()
    body, _ = HTMLExporter(template_name="lab", embed_images=True).from_notebook_node(nb)
    html_name = notebook.stem + ".html"
    write_atomic(out_dir / html_name, body)
    title = notebook_title(nb.cells, notebook.stem)
    return Page(notebook, html_name, title, time.perf_counter() - start, error)


def shown(path: Path) -> str:
    """A path as short as it can be said from here."""
    relative = os.path.relpath(path)
    return path.as_posix() if relative.startswith("..") else relative


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path,
                        help="notebooks to render (default: notebooks/*.ipynb)")
    parser.add_argument("--out", type=Path, default=ROOT / "out" / "html")
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1),
                        help="notebooks run at once (default: 2, or 1 on one core)")
    parser.add_argument("--timeout", type=int, default=600, help="seconds per cell")
    args = parser.parse_args(argv)
    notebooks = ([p.resolve() for p in args.notebooks]
                 or sorted((ROOT / "notebooks").glob("*.ipynb")))
    if not notebooks:
        print("no notebooks found", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        futures = [pool.submit(render, nb, args.out, args.timeout) for nb in notebooks]
        pages = []
        for future in futures:
            page = future.result()
            pages.append(page)
            status = "ok" if page.error is None else f"FAILED: {page.error}"
            where = shown(args.out / page.html_name)
            print(f"  {page.seconds:5.1f} s  {where}  {status}", flush=True)
    write_atomic(args.out / "index.html", index_html(pages))
    failed = [p for p in pages if p.error is not None]
    print(f"{len(pages) - len(failed)} of {len(pages)} notebooks rendered in "
          f"{time.perf_counter() - start:.0f} s; open {shown(args.out / 'index.html')}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
