"""`make html` and `make notebooks`, without running the notebooks a second time.

The notebooks themselves are executed once, by `make test` (pytest --nbmake); here: the
index page of scripts/notebooks_html.py, the commands the two make targets run (and that
`make test-fast` runs no notebook), and the URL that scripts/jupyter-lab.sh prints (against a
stand-in for `jupyter`).
"""

import importlib.util
import json
import os
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = ROOT / "scripts" / "notebooks_html.py"
spec = importlib.util.spec_from_file_location("notebooks_html", SCRIPT)
notebooks_html = importlib.util.module_from_spec(spec)
sys.modules["notebooks_html"] = notebooks_html      # dataclasses look their module up by name
spec.loader.exec_module(notebooks_html)


def test_title_is_the_first_markdown_heading():
    cells = [
        {"cell_type": "code", "source": "# a comment, not a title"},
        {"cell_type": "markdown", "source": ["Some text\n", "## 05 — Gradient descent\n"]},
        {"cell_type": "markdown", "source": "# later heading"},
    ]
    assert notebooks_html.notebook_title(cells, "fallback") == "05 — Gradient descent"
    assert notebooks_html.notebook_title([{"cell_type": "markdown", "source": "no heading"}],
                                         "05_gradient_descent") == "05_gradient_descent"


def test_every_committed_notebook_has_a_title():
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        title = notebooks_html.notebook_title(cells, "")
        assert title[:2] == path.name[:2], (path.name, title)


def test_index_links_every_page_in_order_and_marks_failures():
    Page = notebooks_html.Page
    pages = [
        Page(Path("notebooks/01_a.ipynb"), "01_a.html", "01 — <Neuron> & co", 3.2),
        Page(Path("notebooks/02_b.ipynb"), "02_b.html", "02 — Softmax", 7.9,
             error="NameError: name 'x' is not defined"),
    ]
    text = notebooks_html.index_html(pages)
    assert re.findall(r'href="([^"]+)"', text) == ["01_a.html", "02_b.html"]
    assert "01 — &lt;Neuron&gt; &amp; co" in text           # titles are escaped
    assert "failed: NameError: name &#x27;x&#x27; is not defined" in text
    assert "2 notebooks, 1 failed" in text
    assert text.count("failed:") == 1
    assert text.startswith("<!DOCTYPE html>")


def make_dry_run(target):
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    result = subprocess.run(["make", "-n", "-B", target], cwd=ROOT, capture_output=True,
                            text=True, check=True)
    return result.stdout


def test_make_html_installs_its_extra_and_renders_into_out_html():
    commands = make_dry_run("html")
    assert "pip install" in commands and "'.[dev,html]'" in commands
    assert "scripts/notebooks_html.py --out out/html" in commands
    assert "ensure-dot.sh" in commands                     # graph pictures need dot


def test_make_notebooks_installs_jupyterlab_and_starts_it_headless():
    commands = make_dry_run("notebooks")
    assert "'.[dev,notebooks]'" in commands
    assert "scripts/jupyter-lab.sh .venv/bin 127.0.0.1 8888" in commands


def test_make_test_runs_neither():
    commands = make_dry_run("test")
    assert "notebooks_html" not in commands
    assert "jupyter-lab" not in commands
    assert "[dev,html]" not in commands and "[dev,notebooks]" not in commands


def test_make_test_runs_every_test_and_notebook_and_make_test_fast_the_tests_not_marked_slow():
    commands = make_dry_run("test")
    assert "-m pytest --nbmake tests notebooks/" in commands and "not slow" not in commands
    assert "scripts/test_oldest.py" in commands
    commands = make_dry_run("test-fast")
    assert '-m pytest -q -m "not slow" tests\n' in commands
    assert "--nbmake" not in commands and "test_oldest" not in commands


FAKE_JUPYTER = """\
import json, socket, sys
args = sys.argv[1:]
port = int(next(a.split("=", 1)[1] for a in args if a.startswith("--port=")))
server = socket.create_server(("127.0.0.1", port))
server.settimeout(20)
print("ARGS " + json.dumps(args), flush=True)
connection, _ = server.accept()        # the script's check that the server is up
connection.close()
server.settimeout(2)
try:                                   # give the banner time to be written
    server.accept()[0].close()
except OSError:
    pass
"""


@pytest.mark.skipif(os.name != "posix" or shutil.which("bash") is None, reason="needs bash")
@pytest.mark.slow
def test_jupyter_lab_script_prints_the_url_jupyter_serves(tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "python").symlink_to(sys.executable)
    jupyter = bin_dir / "jupyter"
    jupyter.write_text(f"#!{sys.executable}\n{FAKE_JUPYTER}")
    jupyter.chmod(0o755)
    with socket.socket() as probe:                 # a free port
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k != "JUPYTER_TOKEN"}
    command = ["bash", "scripts/jupyter-lab.sh", str(bin_dir), "127.0.0.1", str(port)]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=60, env=env)
    assert result.returncode == 0, result.stderr
    args = json.loads(next(line for line in result.stdout.splitlines()
                           if line.startswith("ARGS "))[5:])
    assert args[0] == "lab"
    assert "--no-browser" in args
    assert "--ip=127.0.0.1" in args and f"--port={port}" in args
    assert "--ServerApp.port_retries=0" in args    # the printed port is the served one
    assert "--ServerApp.root_dir=notebooks" in args
    token = next(a.split("=", 1)[1] for a in args if a.startswith("--IdentityProvider.token="))
    assert re.fullmatch(r"[0-9a-f]{48}", token)
    assert f"http://127.0.0.1:{port}/lab?token={token}" in result.stdout
    assert "Ctrl-C" in result.stdout
