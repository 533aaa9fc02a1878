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
