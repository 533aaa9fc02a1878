"""The README's Python examples run as written."""

import re
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def test_readme_python_blocks_run():
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.S)
    assert len(blocks) >= 2
    namespace: dict = {}
    for block in blocks:
        exec(compile(block, str(README), "exec"), namespace)
    x = namespace["x"]
    assert x.grad is not None and x.grad.shape == (2, 2)
    assert namespace["sched"].get_last_lr() == [0.125]  # 0.5 · 0.5^⌊20/10⌋


def test_readme_first_screen_is_in_the_order_a_student_needs():
    text = README.read_text()
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    first = ["## Two commands", "## Open the notebooks", "## A 20-line tour",
             "## Coming from PyTorch"]
    assert headings[:4] == first
    assert text.index("make notebooks") < text.index("## A 20-line tour")
    assert "make html" in text.split("## A 20-line tour")[0]


def test_every_name_the_pytorch_table_gives_exists():
    import autograd
    import nn
    import optim

    text = README.read_text()
    table = text.split("## Coming from PyTorch")[1].split("\n## ")[0]
    rows = [line for line in table.splitlines() if line.startswith("| `")]
    assert len(rows) >= 15
    packages = {"autograd": autograd, "nn": nn, "optim": optim}
    checked = 0
    for row in rows:
        ours = row.split("|")[2]  # the chainrule column
        for package, dotted in re.findall(r"\b(autograd|nn|optim)\.([A-Za-z_][\w.]*)", ours):
            target = packages[package]
            for part in dotted.split("."):
                target = getattr(target, part)  # AttributeError names a missing one
            checked += 1
    assert checked >= 12
