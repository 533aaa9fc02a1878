"""The `chainrule` command, run as a user runs it: in a subprocess, on tiny problems."""

import gzip
import json
import struct
import subprocess
import sys

import numpy as np
import pytest

import nn
from autograd import no_grad
from chainrule.training import load_dataset

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def chainrule(*args: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "chainrule", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=300)


def _check_outputs(out, pictures):
    for name in ["model.npz", "metrics.json", "curves.png", "graph.svg", *pictures]:
        assert (out / name).is_file(), name
    for name in ["curves.png", *pictures]:
        assert (out / name).read_bytes().startswith(PNG_MAGIC), name
    assert "<svg" in (out / "graph.svg").read_text()[:500]
    return json.loads((out / "metrics.json").read_text())


def test_train_digits_writes_everything_and_the_model_reloads(tmp_path):
    out = tmp_path / "digits"
    result = chainrule("train", "--data", "digits", "--epochs", "3", "--hidden", "16",
                       "--no-progress", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "test accuracy" in result.stdout and str(out / "digits.png") in result.stdout
    metrics = _check_outputs(out, ["digits.png"])
    assert metrics["sizes"] == [64, 16, 10]
    assert len(metrics["history"]["loss"]) == 3
    assert metrics["test_accuracy"] > 0.8
    # the saved model reproduces the reported accuracy on the same test split
    model = nn.load(nn.MLP(metrics["sizes"], activation=metrics["activation"]),
                    out / "model.npz")
    data = load_dataset("digits", seed=metrics["seed"])
    with no_grad():
        assert nn.accuracy(model(data.X_test), data.y_test) == metrics["test_accuracy"]
    with np.load(out / "model.npz", allow_pickle=False) as archive:
        assert sorted(archive.files) == ["layers.0.bias", "layers.0.weight", "layers.2.bias",
                                         "layers.2.weight"]


def test_train_toy_set_with_schedule_writes_boundary(tmp_path):
    out = tmp_path / "xor"
    result = chainrule("train", "--data", "xor", "--n", "200", "--hidden", "8",
                       "--activation", "tanh", "--epochs", "4", "--schedule", "step",
                       "--step-size", "2", "--gamma", "0.5", "--lr", "0.2", "--out", str(out))
    assert result.returncode == 0, result.stderr
    metrics = _check_outputs(out, ["boundary.png"])
    assert metrics["history"]["lr"] == pytest.approx([0.2, 0.2, 0.1, 0.1])
    assert not (out / "digits.png").exists()


def _write_idx(path, array, code):
    header = struct.pack(">HBB", 0, code, array.ndim) + struct.pack(f">{array.ndim}I",
                                                                     *array.shape)
    with gzip.open(path, "wb") as f:
        f.write(header + array.tobytes())


def test_train_on_idx_files(tmp_path):
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 3, 60).astype(np.uint8)
    images = np.zeros((60, 4, 4), dtype=np.uint8)
    for i, label in enumerate(labels):  # a bright row whose position is the label
        images[i, label] = 255
    _write_idx(tmp_path / "images.gz", images, 0x08)
    _write_idx(tmp_path / "labels.gz", labels, 0x08)
    out = tmp_path / "idx"
    result = chainrule("train", "--idx", str(tmp_path / "images.gz"),
                       str(tmp_path / "labels.gz"), "--epochs", "30", "--hidden", "8",
                       "--no-progress", "--out", str(out))
    assert result.returncode == 0, result.stderr
    metrics = _check_outputs(out, ["digits.png"])
    assert metrics["test_accuracy"] == 1.0


def test_missing_and_corrupt_data_files_give_one_line_errors(tmp_path):
    result = chainrule("train", "--idx", str(tmp_path / "nope.gz"), str(tmp_path / "no.gz"))
    assert result.returncode == 1
    assert result.stderr.strip() == f"chainrule: error: no such data file: {tmp_path / 'nope.gz'}"
    (tmp_path / "bad.idx").write_bytes(b"\x00\x00\x08\x01\x00\x00\x00\x09abc")
    (tmp_path / "labels.idx").write_bytes(b"\x00\x00\x08\x01\x00\x00\x00\x03abc")
    result = chainrule("train", "--idx", str(tmp_path / "bad.idx"), str(tmp_path / "labels.idx"))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("chainrule: error:") and "truncated" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_bad_arguments_are_argparse_errors():
    for args in (["train", "--data", "cifar"], ["train", "--epochs", "0"],
                 ["train", "--momentum", "1.5"], ["frobnicate"], ["graph", "--model", "cnn"]):
        result = chainrule(*args)
        assert result.returncode == 2, args
        assert "usage: chainrule" in result.stderr and "Traceback" not in result.stderr


def test_graph_command_draws_the_neuron_and_an_mlp(tmp_path):
    result = chainrule("graph", "--out", str(tmp_path / "neuron.svg"))
    assert result.returncode == 0, result.stderr
    svg = (tmp_path / "neuron.svg").read_text()
    assert "Sigmoid" in svg and "grad" in svg
    result = chainrule("graph", "--model", "mlp", "--sizes", "3", "4", "2", "--order",
                       "--out", str(tmp_path / "mlp.dot"))
    assert result.returncode == 0, result.stderr
    dot = (tmp_path / "mlp.dot").read_text()
    assert "cluster" in dot and "layers.0" in dot and "SoftmaxCrossEntropyFn" in dot
