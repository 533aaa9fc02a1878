"""chainrule as a user installs it: the wheel, in a fresh venv, with none of its extras.

`make test` runs everything else from the editable install with the dev extras, which has
matplotlib; here the command must still write a run's model and metrics (and say which
pictures it could not draw and why), and `chainrule graph` must work.
"""

import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # builds the wheel and installs it into a fresh venv

ROOT = Path(__file__).resolve().parents[2]
PIP = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--quiet"]


def _run(command, cwd, timeout=300):
    # Nothing of this checkout may leak in: the venv's own site-packages only.
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    return subprocess.run([str(c) for c in command], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout)


def _checked(command, cwd):
    result = _run(command, cwd)
    assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(folder, bin) of a fresh venv with the wheel built from this checkout installed with
    its dependencies (numpy, graphviz) and no extra."""
    tmp = tmp_path_factory.mktemp("wheel")
    # The build reads a copy (setuptools writes build/ and *.egg-info beside the sources):
    # pyproject.toml, the README it names, and the packages it includes.
    source = tmp / "source"
    source.mkdir()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    for name in ["pyproject.toml", project["project"]["readme"]]:
        shutil.copy2(ROOT / name, source / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info")
    for pattern in project["tool"]["setuptools"]["packages"]["find"]["include"]:
        shutil.copytree(ROOT / pattern.rstrip("*"), source / pattern.rstrip("*"),
                        ignore=ignore)
    _checked([*PIP, "wheel", "--no-deps", "--wheel-dir", tmp / "dist", source], tmp)
    (wheel,) = (tmp / "dist").glob("chainrule-*.whl")
    # A venv without pip of its own (faster to make); this pip installs into it.
    _checked([sys.executable, "-m", "venv", "--without-pip", tmp / "venv"], tmp)
    python = tmp / "venv" / "bin" / "python"
    _checked([*PIP, "--python", python, "install", wheel], tmp)
    work = tmp / "work"
    work.mkdir()
    where = _checked([python, "-c", "import chainrule; print(chainrule.__file__)"], work)
    assert Path(where.stdout.strip()).is_relative_to(tmp / "venv")
    # what the extras would bring is not there
    assert _run([python, "-c", "import matplotlib"], work).returncode != 0
    return work, tmp / "venv" / "bin"


def test_train_without_the_plots_extra_writes_the_model_and_metrics_and_says_why(installed):
    work, bin_dir = installed
    result = _run([bin_dir / "chainrule", "train", "--data", "digits", "--epochs", "2",
                   "--out", "run"], work)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert ("chainrule: warning: matplotlib is not installed, so curves.png and digits.png "
            "were not drawn (the model, the metrics and the graph are still written); to "
            "draw them, install the plots extra: pip install 'chainrule[plots]'"
            in result.stderr.splitlines())
    metrics = json.loads((work / "run" / "metrics.json").read_text())
    # graph.svg, or graph.dot (and one warning line) where graphviz's dot is missing
    graph = "graph.svg" if shutil.which("dot") else "graph.dot"
    assert sorted(metrics["files"]) == sorted(["model.npz", graph, "metrics.json"])
    assert sorted(p.name for p in (work / "run").iterdir()) == sorted(metrics["files"])
    assert metrics["epochs"] == 2 and len(metrics["history"]["train_loss"]) == 2
    assert metrics["test_accuracy"] > 0.8
    assert (work / "run" / "model.npz").read_bytes()[:2] == b"PK"  # numpy's .npz: a zip


@pytest.mark.parametrize("name", ["neuron.svg", "neuron.dot"])
def test_graph_works_from_the_wheel(installed, name):
    work, bin_dir = installed
    result = _run([bin_dir / "chainrule", "graph", "--model", "neuron", "--out", name], work)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    written = Path(result.stdout.strip().removeprefix("wrote "))
    assert written.name == (name if shutil.which("dot") or name.endswith(".dot")
                            else "neuron.dot")
    text = (work / written).read_text()
    assert ("<svg" in text[:500]) if written.suffix == ".svg" else text.startswith("digraph")
    assert "ŷ" in text  # the neuron's output node
