"""The `chainrule` command, run as a user runs it (in a subprocess, or through main() in this
process), on tiny problems."""

import contextlib
import gzip
import hashlib
import io
import json
import os
import re
import signal
import struct
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

import nn
from autograd import no_grad
from chainrule.cli import main
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


@pytest.mark.slow
def test_train_digits_writes_everything_and_the_model_reloads(tmp_path):
    out = tmp_path / "digits"
    result = chainrule("train", "--data", "digits", "--epochs", "3", "--hidden", "16",
                       "--no-progress", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "test accuracy" in result.stdout and str(out / "digits.png") in result.stdout
    metrics = _check_outputs(out, ["digits.png"])
    assert metrics["sizes"] == [64, 16, 10]
    assert len(metrics["history"]["train_loss"]) == 3
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


@pytest.mark.slow
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


@pytest.mark.slow
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


@pytest.mark.slow
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


@pytest.mark.slow
def test_bad_arguments_are_argparse_errors():
    for args in (["train", "--data", "cifar"], ["train", "--epochs", "0"],
                 ["train", "--momentum", "1.5"], ["frobnicate"], ["graph", "--model", "cnn"]):
        result = chainrule(*args)
        assert result.returncode == 2, args
        assert "usage: chainrule" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.slow
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


# ---------------------------------------------------------------- trust: no silent wrong answers
# These run main() in-process (fast); the Ctrl-C test runs a real process.

def run_main(*args: str) -> tuple:
    """(exit status, stdout, stderr) of `chainrule ARGS`, argparse's exits included."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = main(list(args))
        except SystemExit as exit_:
            status = exit_.code
    return status, out.getvalue(), err.getvalue()


def strict_json(text: str):
    """json.loads that refuses NaN and Infinity (Python's json accepts them by default)."""
    def refuse(constant):
        raise ValueError(f"not strict JSON: {constant}")
    return json.loads(text, parse_constant=refuse)


def snapshot(folder) -> dict:
    """Every file under `folder` (hidden ones too) with its bytes."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


def previous_run(folder) -> dict:
    """A folder that holds a previous run's files; returns its snapshot."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in ["model.npz", "metrics.json", "curves.png", "graph.svg", "digits.png"]:
        (folder / name).write_bytes(b"previous run's " + name.encode())
    return snapshot(folder)


TINY = ["--data", "xor", "--n", "60", "--hidden", "4", "--epochs", "2", "--no-progress"]


@pytest.mark.parametrize("args, message", [
    (["train", "--lr", "inf"], "argument --lr: must be a finite number > 0, got 'inf'"),
    (["train", "--lr", "1e400"], "argument --lr: must be a finite number > 0, got '1e400'"),
    (["train", "--lr", "nan"], "argument --lr: must be a finite number > 0, got 'nan'"),
    (["train", "--lr", "fast"], "argument --lr: must be a finite number > 0, got 'fast'"),
    (["train", "--weight-decay", "inf"],
     "argument --weight-decay: must be a finite number >= 0, got 'inf'"),
    (["train", "--gamma", "inf"], "argument --gamma: must be a number in (0, 1], got 'inf'"),
    (["train", "--gamma", "0"], "argument --gamma: must be a number in (0, 1], got '0'"),
    (["train", "--decay-rate", "-1"],
     "argument --decay-rate: must be a finite number >= 0, got '-1'"),
    (["train", "--momentum", "1"], "argument --momentum: must be a number in [0, 1), got '1'"),
    (["train", "--n", "1"], "argument --n: must be an integer from 2 to 1000000, got '1'"),
    (["train", "--seed", "-1"], "argument --seed: must be an integer >= 0, got '-1'"),
    (["train", "--epochs", "2.5"], "argument --epochs: must be an integer >= 1, got '2.5'"),
    (["train", "--hidden", "8", "0"],
     "argument --hidden: must be an integer from 1 to 10000, got '0'"),
    (["graph", "--seed", "-5"], "argument --seed: must be an integer >= 0, got '-5'"),
    (["graph", "--model", "mlp", "--sizes", "5"],
     "argument --sizes: needs at least 2 sizes (input and output), got 1"),
    (["graph", "--out", "g.jpg"], "argument --out: must be a picture file ending in .svg, "
     ".png, .pdf, .dot or .gv, got 'g.jpg'"),
    (["graph", "--out", "g"], "argument --out: must be a picture file ending in .svg, .png, "
     ".pdf, .dot or .gv, got 'g'"),
])
def test_every_number_and_name_is_checked_before_anything_runs(tmp_path, args, message):
    out = tmp_path / ("out" if args[0] == "train" else "g.svg")
    status, stdout, stderr = run_main(*args, *([] if "--out" in args else ["--out", str(out)]))
    assert status == 2
    assert stderr.startswith(f"usage: chainrule {args[0]}")
    assert stderr.splitlines()[-1] == f"chainrule {args[0]}: error: {message}"
    assert "Traceback" not in stderr and "_positive" not in stderr and stdout == ""
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("where", ["file", "under a file"])
def test_an_unwritable_out_is_reported_before_training(tmp_path, where):
    blocker = tmp_path / "blocker"
    blocker.write_text("a file, not a folder")
    out = blocker if where == "file" else blocker / "run"
    status, stdout, stderr = run_main("train", *TINY, "--out", str(out))
    assert status == 1 and stdout == ""
    assert stderr == f"chainrule: error: cannot write to --out {out}: {blocker} is a file\n"
    assert blocker.read_text() == "a file, not a folder"


def test_a_read_only_out_is_reported_before_training(tmp_path, monkeypatch):
    from chainrule import output

    out = tmp_path / "read-only"
    out.mkdir()
    out.chmod(0o555)
    if getattr(os, "geteuid", lambda: 1)() == 0:  # root writes anyway: refuse as the OS would
        def refuse(**kwargs):
            raise PermissionError(13, "Permission denied")
        monkeypatch.setattr(output.tempfile, "mkdtemp", refuse)
    try:
        status, stdout, stderr = run_main("train", *TINY, "--out", str(out))
    finally:
        out.chmod(0o755)
    assert status == 1 and stdout == ""
    assert stderr == f"chainrule: error: cannot write to --out {out}: Permission denied\n"
    assert list(out.iterdir()) == []


@pytest.mark.parametrize("args, line", [
    # a NaN loss: stopped in the batch where it appears, numpy's warnings kept in
    (["--data", "xor", "--n", "100", "--hidden", "8", "8", "--activation", "relu",
      "--lr", "1e8"],
     r"loss became nan in epoch 1: the learning rate 1e\+08 is too large; try --lr 0\.1"),
    # a finite loss that explodes: stopped after the epoch where it passes 100× its start
    (["--data", "xor", "--n", "100", "--hidden", "8", "--lr", "1e6"],
     r"loss grew to \S+ in epoch 1, over 100 times its start \(0\.\d+\): the learning "
     r"rate 1e\+06 is too large; try --lr 0\.1"),
    (["--data", "digits", "--hidden", "16", "--lr", "1000"],
     r"loss grew to \S+ in epoch 1, over 100 times its start \(2\.\d+\): the learning "
     r"rate 1000 is too large; try --lr 0\.1"),
    # chance accuracy at the end, the loss above where it started
    (["--data", "digits", "--hidden", "16", "--lr", "10", "--momentum", "0.9"],
     r"loss rose from 2\.\d+ to \S+ in 2 epochs: the learning rate 10 is too large; "
     r"try --lr 0\.1"),
])
def test_a_diverging_run_stops_with_advice_and_writes_nothing(tmp_path, args, line):
    out = tmp_path / "run"
    before = previous_run(out)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        status, stdout, stderr = run_main("train", *args, "--epochs", "2", "--no-progress",
                                          "--out", str(out))
    assert status == 1
    assert re.fullmatch(f"chainrule: error: {line}\n", stderr), stderr
    assert [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)] == []
    assert "wrote" not in stdout
    assert snapshot(out) == before


@pytest.mark.slow
def test_metrics_json_is_strict_json_with_the_run_id_and_its_files(tmp_path):
    out = tmp_path / "run"
    status, stdout, stderr = run_main("train", *TINY, "--out", str(out))
    assert status == 0, stderr
    metrics = strict_json((out / "metrics.json").read_text())
    assert sorted(metrics["files"]) == sorted(p.name for p in out.iterdir())
    assert re.fullmatch("[0-9a-f]{32}", metrics["run_id"])
    assert metrics["start_loss"] > metrics["history"]["train_loss"][-1]


def test_the_metrics_writer_turns_nan_and_inf_into_null(tmp_path):
    from chainrule.output import write_json

    path = write_json(tmp_path / "m.json", {"loss": [1.0, float("nan")], "lr": float("inf"),
                                            "acc": np.float32(0.5)})
    assert strict_json(path.read_text()) == {"loss": [1.0, None], "lr": None, "acc": 0.5}


@pytest.mark.slow
def test_a_run_replaces_every_file_of_the_previous_run(tmp_path):
    out = tmp_path / "run"
    (out).mkdir()
    (out / "notes.txt").write_text("the user's own file")
    assert run_main("train", *TINY, "--out", str(out))[0] == 0
    assert (out / "boundary.png").is_file()
    first = strict_json((out / "metrics.json").read_text())
    status, stdout, stderr = run_main("train", "--data", "digits", "--hidden", "8",
                                      "--epochs", "1", "--no-progress", "--out", str(out))
    assert status == 0, stderr
    metrics = strict_json((out / "metrics.json").read_text())
    assert not (out / "boundary.png").exists()  # the xor run's picture is not left beside
    assert sorted(p.name for p in out.iterdir()) == sorted([*metrics["files"], "notes.txt"])
    assert metrics["run_id"] != first["run_id"]
    assert (out / "notes.txt").read_text() == "the user's own file"


def test_an_interrupt_while_writing_leaves_out_as_it_was(tmp_path, monkeypatch):
    from chainrule import plots

    def interrupted(*args, **kwargs):  # Ctrl-C after model.npz was written
        raise KeyboardInterrupt

    monkeypatch.setattr(plots, "plot_curves", interrupted)
    out = tmp_path / "run"
    before = previous_run(out)
    status, stdout, stderr = run_main("train", *TINY, "--out", str(out))
    assert status == 130
    assert stderr == f"chainrule: interrupted; {out} was left as it was\n"
    assert snapshot(out) == before
    new = tmp_path / "new" / "run"  # a folder that did not exist is not created
    assert run_main("train", *TINY, "--out", str(new))[0] == 130
    assert list(tmp_path.iterdir()) == [out]


@pytest.mark.slow
def test_an_interrupt_while_the_files_move_into_place_lets_them_all_arrive(tmp_path,
                                                                          monkeypatch):
    from chainrule import output

    real_replace = output.os.replace
    calls = []

    def replace_then_interrupt(src, dst):  # Ctrl-C in the middle of the moves into out
        real_replace(src, dst)
        if Path(dst).parent == out:
            calls.append(dst)
            if len(calls) == 1:
                os.kill(os.getpid(), signal.SIGINT)

    out = tmp_path / "run"
    monkeypatch.setattr(output.os, "replace", replace_then_interrupt)
    previous_run(out)
    status, stdout, stderr = run_main("train", *TINY, "--out", str(out))
    assert len(calls) > 2
    assert status == 130
    assert stderr == f"chainrule: interrupted after {out} was written in full\n"
    metrics = strict_json((out / "metrics.json").read_text())
    assert sorted(p.name for p in out.iterdir()) == sorted(metrics["files"])
    assert b"previous run" not in b"".join(snapshot(out).values())


@pytest.mark.skipif(os.name != "posix", reason="sends SIGINT")
@pytest.mark.slow
def test_ctrl_c_during_training_exits_130_and_leaves_out_as_it_was(tmp_path):
    out = tmp_path / "run"
    before = previous_run(out)
    process = subprocess.Popen(
        [sys.executable, "-m", "chainrule", "train", "--data", "digits", "--hidden", "8",
         "--epochs", "500", "--no-progress", "--out", str(out)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        # a suite started in the background (`make test &`) ignores SIGINT, and so would the
        # child: give it the default disposition, so that Python installs its Ctrl-C handler
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        line = process.stdout.readline()
        while line and not line.startswith("epoch 1/"):  # wait until it is training
            line = process.stdout.readline()
        assert line, process.stderr.read()
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == 130, stderr
    assert stderr == f"chainrule: interrupted; {out} was left as it was\n"
    assert snapshot(out) == before


def test_graph_writes_its_picture_whole_and_reports_a_bad_out_in_one_line(tmp_path):
    status, stdout, stderr = run_main("graph", "--out", str(tmp_path / "new" / "g.dot"))
    assert status == 0, stderr
    assert sorted(p.name for p in (tmp_path / "new").iterdir()) == ["g.dot"]
    (tmp_path / "folder.svg").mkdir()
    status, stdout, stderr = run_main("graph", "--out", str(tmp_path / "folder.svg"))
    assert status == 1 and stdout == ""
    assert stderr == (f"chainrule: error: cannot write to --out {tmp_path / 'folder.svg'}: "
                      f"{tmp_path / 'folder.svg'} is a folder\n")


def _idx_pair(tmp_path, images, labels, image_code=0x08, label_code=0x08):
    _write_idx(tmp_path / "images.gz", images, image_code)
    _write_idx(tmp_path / "labels.gz", labels, label_code)
    return str(tmp_path / "images.gz"), str(tmp_path / "labels.gz")


def _big_endian(array):
    return array.astype(array.dtype.newbyteorder(">"))


NAN_PIXELS = np.zeros((4, 2, 2), dtype=np.float32)
NAN_PIXELS[1, 0, 1] = np.nan


@pytest.mark.parametrize("images, labels, codes, problem", [
    (np.zeros((1, 4, 4), np.uint8), np.zeros(1, np.uint8), (0x08, 0x08),
     "{images}: 1 sample; training needs at least 2 (one to train on, one to test)"),
    # nn.datasets.load_idx_pair may refuse these first, in its own words (one line all the same)
    (np.zeros((4, 0, 0), np.uint8), np.array([0, 1, 0, 1], np.uint8), (0x08, 0x08), None),
    (_big_endian(NAN_PIXELS), np.array([0, 1, 0, 1], np.uint8), (0x0D, 0x08),
     "{images}: pixels must be finite numbers; 1 of them is NaN or infinite"),
    (np.zeros((4, 2, 2), np.uint8), _big_endian(np.array([0, 1, 2, 2_000_000_000], np.int32)),
     (0x08, 0x0C), "{labels}: label 2000000000 is out of range: labels must be class "
     "numbers from 0 to 65535"),
    (np.zeros((4, 2, 2), np.uint8), np.zeros(4, np.uint8), (0x08, 0x08),
     "{labels}: every label is 0; a classifier needs at least 2 classes"),
])
def test_idx_files_the_command_cannot_train_on_give_one_line_errors(tmp_path, images, labels,
                                                                    codes, problem):
    images_path, labels_path = _idx_pair(tmp_path, images, labels, *codes)
    out = tmp_path / "run"
    status, stdout, stderr = run_main("train", "--idx", images_path, labels_path,
                                      "--no-progress", "--out", str(out))
    assert status == 1 and stdout == ""
    if problem is None:
        assert stderr.startswith("chainrule: error: ") and images_path in stderr
        assert len(stderr.splitlines()) == 1 and "Traceback" not in stderr
    else:
        assert stderr == ("chainrule: error: "
                          + problem.format(images=images_path, labels=labels_path) + "\n")
    assert not out.exists()


def test_any_loader_error_on_idx_files_is_one_line(tmp_path):
    images_path, labels_path = _idx_pair(tmp_path, np.zeros((4, 2, 2), np.uint8),
                                         _big_endian(np.zeros(4, np.float32)), 0x08, 0x0D)
    status, stdout, stderr = run_main("train", "--idx", images_path, labels_path,
                                      "--out", str(tmp_path / "run"))
    assert status == 1 and stdout == ""
    assert stderr.startswith("chainrule: error: ") and "labels must be integers" in stderr
    assert len(stderr.splitlines()) == 1


@pytest.mark.parametrize("name, path, sha256", [
    ("mnist-sample", "MNIST_SAMPLE_IMAGES_PATH", "MNIST_SAMPLE_IMAGES_SHA256"),
    ("digits", "DIGITS_PATH", "DIGITS_SHA256"),
])
def test_a_damaged_shipped_data_file_is_one_line_error(tmp_path, monkeypatch, name, path,
                                                        sha256):
    from nn import datasets

    shipped = getattr(datasets, path)
    damaged = tmp_path / shipped.name  # a copy with one byte flipped: the shipped one stays
    raw = bytearray(shipped.read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    damaged.write_bytes(bytes(raw))
    monkeypatch.setattr(datasets, path, damaged)
    datasets._digits_table.cache_clear()  # read once per process: read the damaged copy
    out = tmp_path / "run"
    status, stdout, stderr = run_main("train", "--data", name, "--epochs", "1",
                                      "--no-progress", "--out", str(out))
    assert status == 1 and stdout == ""
    assert stderr == (f"chainrule: error: --data {name}: {damaged} is not the shipped file "
                      f"(sha256 {hashlib.sha256(raw).hexdigest()}, expected "
                      f"{getattr(datasets, sha256)}); reinstall chainrule\n")
    assert not out.exists()


@pytest.mark.parametrize("lr", ["1e-06", "0.5"])
def test_inputs_that_overflow_the_untrained_model_are_blamed_not_the_learning_rate(tmp_path,
                                                                                   lr):
    # finite float32 pixels, so the data check lets them in; the first forward pass overflows
    images = 3e38 * np.random.default_rng(0).choice([-1, 1], (6, 8, 8)).astype(np.float32)
    images_path, labels_path = _idx_pair(tmp_path, _big_endian(images),
                                         np.array([0, 1] * 3, np.uint8), 0x0D)
    out = tmp_path / "run"
    status, stdout, stderr = run_main("train", "--idx", images_path, labels_path, "--hidden",
                                      "--lr", lr, "--no-progress", "--out", str(out))
    assert status == 1 and "epoch" not in stdout
    assert re.fullmatch(r"chainrule: error: images\.gz: the untrained model's loss is already "
                        r"(nan|inf), before any update, so no learning rate can help: the "
                        r"inputs are out of range \(values up to 3e\+38 in magnitude overflow "
                        r"the model's float32 arithmetic\); scale them, e\.g\. into \[0, 1\]\n",
                        stderr), stderr
    assert not out.exists()


@pytest.mark.parametrize("args, skipped", [
    (["--data", "digits", "--hidden", "8"], "curves.png and digits.png were"),
    (["--data", "xor", "--n", "60", "--hidden", "4"], "curves.png and boundary.png were"),
    pytest.param(["--data", "digits", "--model", "cnn"],
                 "curves.png, digits.png, filters.png and feature-maps.png were",
                 marks=pytest.mark.slow),  # an epoch of the CNN
])
def test_without_matplotlib_a_run_writes_its_model_and_metrics_and_names_what_it_skipped(
        tmp_path, monkeypatch, args, skipped):
    # as an install without the plots extra: chainrule.plots' `import matplotlib` fails
    monkeypatch.delitem(sys.modules, "chainrule.plots", raising=False)
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    out = tmp_path / "run"
    previous_run(out)  # its pictures must not be left beside this run's files
    status, stdout, stderr = run_main("train", *args, "--epochs", "1", "--no-progress",
                                      "--out", str(out))
    assert status == 0, stderr
    assert stderr == (f"chainrule: warning: matplotlib is not installed, so {skipped} not "
                      f"drawn (the model, the metrics and the graph are still written); to "
                      f"draw them, install the plots extra: pip install 'chainrule[plots]'\n")
    metrics = strict_json((out / "metrics.json").read_text())
    assert sorted(metrics["files"]) == ["graph.svg", "metrics.json", "model.npz"]
    assert sorted(p.name for p in out.iterdir()) == sorted(metrics["files"])
    assert "<svg" in (out / "graph.svg").read_text()[:500]
    assert "Traceback" not in stdout + stderr


def test_a_broken_plots_import_other_than_matplotlib_is_not_hidden(monkeypatch):
    from chainrule.cli import _plots_module

    monkeypatch.delitem(sys.modules, "chainrule.plots", raising=False)
    monkeypatch.setitem(sys.modules, "autograd", None)  # chainrule.plots imports autograd
    with pytest.raises(ModuleNotFoundError, match="autograd"):
        _plots_module()


# ---------------------------------------------------------------- a student's first hour

@pytest.mark.slow
def test_an_mlp_without_a_hidden_layer_is_not_titled_with_an_activation(tmp_path):
    status, stdout, stderr = run_main("graph", "--model", "mlp", "--sizes", "2", "3",
                                      "--out", str(tmp_path / "g.dot"))
    assert status == 0, stderr
    dot = (tmp_path / "g.dot").read_text()
    assert "MLP [2, 3] (no hidden layer: no activation), softmax cross-entropy" in dot
    assert "sigmoid" not in dot.lower()
    status, stdout, stderr = run_main("graph", "--model", "mlp", "--sizes", "2", "3", "2",
                                      "--activation", "tanh", "--out", str(tmp_path / "h.dot"))
    assert status == 0, stderr
    assert "MLP [2, 3, 2] (tanh), softmax cross-entropy" in (tmp_path / "h.dot").read_text()
    # the same for train: its first line, the graph's title and metrics.json
    out = tmp_path / "run"
    status, stdout, stderr = run_main("train", "--data", "xor", "--n", "60", "--epochs", "1",
                                      "--hidden", "--out", str(out))
    assert status == 0, stderr
    assert stdout.splitlines()[0] == ("chainrule: training MLP [2, 2] (no hidden layer: no "
                                      "activation) on xor: 45 train / 15 test samples")
    assert "one training step of MLP [2, 2] (no hidden layer: no activation) on xor" in (
        out / "graph.svg").read_text()
    assert "sigmoid" not in stdout.lower()
    assert strict_json((out / "metrics.json").read_text())["activation"] is None


def _help_entries(text: str) -> dict:
    """{option: its help text} from an argparse help screen's options section."""
    entries, current = {}, None
    for line in text.split("options:\n", 1)[1].splitlines():
        match = re.match(r"  (-\S+)(.*)", line)
        if match:
            current = match.group(1).rstrip(",")
            entries[current] = match.group(2)
        elif current is not None:
            entries[current] += " " + line.strip()
    return {option: " ".join(words.split()) for option, words in entries.items()}


@pytest.mark.parametrize("command", ["train", "graph"])
def test_every_option_of_the_help_has_a_help_text_and_its_default(command):
    from chainrule.cli import build_parser

    status, stdout, stderr = run_main(command, "--help")
    assert status == 0 and stderr == ""
    entries = _help_entries(stdout)
    subparser = build_parser()._subparsers._group_actions[0].choices[command]
    options = [a for a in subparser._actions if a.option_strings != ["-h", "--help"]]
    assert sorted(entries) == sorted(["-h", *(a.option_strings[0] for a in options)])
    for action in options:
        entry = entries[action.option_strings[0]]
        assert action.help and len(action.help) > 10, action.dest
        default = action.default
        shown = ("none" if default is None else "off" if default is False
                 else " ".join(map(str, default)) if isinstance(default, list) else str(default))
        assert entry.endswith(f"(default: {shown})"), entry
        metavar = " ".join(action.metavar) if isinstance(action.metavar, tuple) else ""
        assert len(entry.replace(metavar, "")) > len(f" (default: {shown})") + 10, entry
    if command == "train":
        assert entries["--hidden"].endswith("(default: 64)")
        assert entries["--lr"] == ("LR learning rate η0 (default: 0.5 for mlp, 0.05 for cnn, "
                                   "0.02 for lenet)")
        assert entries["--no-progress"].endswith("(default: off)")
    else:
        assert entries["--sizes"].endswith("(default: 2 3 2)")


@pytest.mark.slow
def test_a_log_file_gets_one_plain_line_per_epoch_and_no_progress_bar(tmp_path):
    out = tmp_path / "run"
    with open(tmp_path / "stdout.log", "w") as stdout, open(tmp_path / "stderr.log", "w") as err:
        result = subprocess.run([sys.executable, "-m", "chainrule", "train", "--data", "xor",
                                 "--n", "60", "--hidden", "4", "--epochs", "3",
                                 "--out", str(out)], stdout=stdout, stderr=err, timeout=300)
    log, errors = (tmp_path / "stdout.log").read_text(), (tmp_path / "stderr.log").read_text()
    assert result.returncode == 0, errors
    assert "\r" not in log + errors and errors == ""
    lines = log.splitlines()
    history = strict_json((out / "metrics.json").read_text())["history"]
    assert lines[0].startswith("chainrule: training MLP [2, 4, 2] (sigmoid) on xor")
    assert lines[1:4] == [
        f"epoch {e}/3: train loss {history['train_loss'][e - 1]:.4f}, train accuracy "
        f"{history['train_accuracy'][e - 1]:.4f}, test loss {history['test_loss'][e - 1]:.4f}, "
        f"test accuracy {history['test_accuracy'][e - 1]:.4f}, lr 0.5" for e in (1, 2, 3)]
    assert lines[4].startswith(f"train accuracy {history['train_accuracy'][-1]:.4f}   test "
                               f"accuracy {history['test_accuracy'][-1]:.4f}   time ")
    # model.npz, curves.png, boundary.png, graph.svg, metrics.json
    assert lines[5] == "wrote:" and len(lines) == 6 + 5


class _Terminal(io.StringIO):
    def isatty(self):
        return True


@pytest.mark.slow
def test_a_terminal_gets_a_progress_bar_with_the_same_figures(tmp_path, monkeypatch):
    pytest.importorskip("tqdm")
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stdout", terminal)
    status = main(["train", *TINY[:-1], "--out", str(tmp_path / "run")])  # no --no-progress
    monkeypatch.undo()
    assert status == 0
    text = terminal.getvalue()
    assert "\r" in text and "epoch 1/" not in text
    history = strict_json((tmp_path / "run" / "metrics.json").read_text())["history"]
    last = (f"train_loss={history['train_loss'][-1]:.4f}, "
            f"train_acc={history['train_accuracy'][-1]:.4f}, "
            f"test_loss={history['test_loss'][-1]:.4f}, "
            f"test_acc={history['test_accuracy'][-1]:.4f}, lr=0.5")
    assert last in text


@pytest.mark.slow
def test_metrics_json_holds_the_figures_after_each_epoch_and_the_final_ones(tmp_path):
    out = tmp_path / "run"
    status, stdout, stderr = run_main("train", *TINY[:-3], "--epochs", "3", "--no-progress",
                                      "--out", str(out))
    assert status == 0, stderr
    metrics = strict_json((out / "metrics.json").read_text())
    history = metrics["history"]
    assert sorted(history) == ["lr", "test_accuracy", "test_loss", "train_accuracy",
                               "train_loss"]
    assert all(len(values) == 3 for values in history.values())
    assert metrics["measured"] == "the model after each epoch, on the whole train and test sets"
    for name in ["train_loss", "test_loss", "train_accuracy", "test_accuracy"]:
        assert metrics[name] == history[name][-1]
    # and they are the saved model's figures on the whole sets
    model = nn.load(nn.MLP(metrics["sizes"], activation=metrics["activation"]),
                    out / "model.npz")
    data = load_dataset("xor", n=60, seed=0)
    with no_grad():
        assert nn.accuracy(model(data.X_train), data.y_train) == metrics["train_accuracy"]
        test_loss = nn.SoftmaxCrossEntropy()(model(data.X_test), data.y_test).item()
    assert test_loss == pytest.approx(metrics["test_loss"], rel=1e-6)


# ---------------------------------------------------------------- ConvNets: --model cnn, lenet

def _reload(out, metrics):
    """The run's model.npz loaded into the architecture metrics.json names."""
    from chainrule.models import build_model

    model = build_model(metrics["model"], metrics["input_shape"], metrics["n_classes"])
    return nn.load(model, out / "model.npz")


@pytest.mark.slow
def test_train_cnn_on_digits_writes_filters_and_feature_maps_and_the_model_reloads(tmp_path):
    out = tmp_path / "cnn"
    status, stdout, stderr = run_main("train", "--data", "digits", "--model", "cnn",
                                      "--epochs", "2", "--no-progress", "--out", str(out))
    assert status == 0, stderr
    assert stdout.splitlines()[0] == ("chainrule: training small CNN (2 conv + 1 dense layer) "
                                      "on digits: 1347 train / 450 test samples")
    metrics = _check_outputs(out, ["digits.png", "filters.png", "feature-maps.png"])
    assert sorted(metrics["files"]) == sorted(p.name for p in out.iterdir())
    assert (metrics["model"], metrics["input_shape"], metrics["n_classes"]) == ("cnn",
                                                                                [1, 8, 8], 10)
    assert metrics["sizes"] is None and metrics["activation"] is None
    assert (metrics["lr"], metrics["epochs"]) == (0.05, 2)  # cnn's default lr
    assert metrics["test_accuracy"] > 0.85
    svg = (out / "graph.svg").read_text()
    assert "one training step of small CNN (2 conv + 1 dense layer) on digits (batch of 2)" in svg
    assert "Conv2d" in svg
    # drawn collapsed: one box per layer with its shapes, no op ellipse for the convolution
    assert "0 · Conv2d(1→16, 3×3, pad 1)" in svg and "(2, 1, 8, 8) → (2, 16, 8, 8)" in svg
    # model.npz reloads into the same architecture and gives the reported figures
    model = _reload(out, metrics)
    data = load_dataset("digits", seed=0, images=True)
    with no_grad():
        assert nn.accuracy(model(data.X_test), data.y_test) == metrics["test_accuracy"]
    with np.load(out / "model.npz", allow_pickle=False) as archive:
        assert sorted(archive.files) == ["0.bias", "0.weight", "3.bias", "3.weight",
                                         "7.bias", "7.weight"]
        assert archive["0.weight"].shape == (16, 1, 3, 3)
    # a later MLP run into the same folder leaves no ConvNet picture behind
    status, stdout, stderr = run_main("train", *TINY, "--out", str(out))
    assert status == 0, stderr
    assert not (out / "filters.png").exists() and not (out / "feature-maps.png").exists()


def _stripes(n, side, seed=0):
    """Images whose label (0, 1, 2) is where a bright horizontal band is (top/middle/bottom)."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 3, n).astype(np.uint8)
    images = rng.integers(0, 40, (n, side, side)).astype(np.uint8)
    band = side // 3
    for i, label in enumerate(labels):
        images[i, label * band:(label + 1) * band] = 255
    return images, labels


@pytest.mark.slow
def test_train_lenet_on_idx_images_and_reload(tmp_path):
    images, labels = _stripes(80, 12)  # lenet's smallest images: 12x12
    images_path, labels_path = _idx_pair(tmp_path, images, labels)
    out = tmp_path / "lenet"
    status, stdout, stderr = run_main("train", "--idx", images_path, labels_path,
                                      "--model", "lenet", "--epochs", "15", "--lr", "0.05",
                                      "--batch-size", "16", "--no-progress", "--out", str(out))
    assert status == 0, stderr
    assert stdout.startswith("chainrule: training LeNet-style CNN (2 conv + 2 dense layers) "
                             "on images.gz: 60 train / 20 test samples")
    metrics = _check_outputs(out, ["digits.png", "filters.png", "feature-maps.png"])
    assert (metrics["model"], metrics["input_shape"]) == ("lenet", [1, 12, 12])
    assert metrics["test_accuracy"] >= 0.9
    model = _reload(out, metrics)
    with np.load(out / "model.npz", allow_pickle=False) as archive:
        assert archive["0.weight"].shape == (8, 1, 5, 5)
        assert archive["7.weight"].shape == (16, 64)  # 16 channels of 1x1 after the pools
        np.testing.assert_array_equal(model[9].weight.data, archive["9.weight"])


@pytest.mark.slow
def test_the_pictures_of_a_conv_run_name_the_model(tmp_path, monkeypatch):
    from chainrule import plots

    titles = {}
    for name in ["plot_filters", "plot_feature_maps"]:
        real = getattr(plots, name)

        def spy(*args, _real=real, _name=name):
            titles[_name] = args[-1]
            return _real(*args)
        monkeypatch.setattr(plots, name, spy)
    status, stdout, stderr = run_main("train", "--data", "digits", "--model", "cnn",
                                      "--epochs", "1", "--no-progress",
                                      "--out", str(tmp_path / "run"))
    assert status == 0, stderr
    assert titles == {"plot_filters": "small CNN (2 conv + 1 dense layer) on digits",
                      "plot_feature_maps": "small CNN (2 conv + 1 dense layer) on digits"}


@pytest.mark.parametrize("args, message", [
    (["--model", "cnn", "--data", "xor"], "argument --model: cnn needs images; --data xor is "
     "a set of 2-D points (use --data digits, mnist-sample or --idx)"),
    (["--model", "lenet", "--data", "moons"], "argument --model: lenet needs images; --data "
     "moons is a set of 2-D points (use --data digits, mnist-sample or --idx)"),
    (["--model", "lenet"], "argument --model: lenet needs images of at least 12x12 "
     "pixels, got 8x8 (--data digits); try --data mnist-sample or --model cnn"),
    (["--model", "cnn", "--hidden", "32"], "argument --hidden: applies to --model mlp only; "
     "--model cnn has fixed layers (see --help)"),
    (["--model", "lenet", "--data", "mnist-sample", "--activation", "tanh"],
     "argument --activation: applies to --model mlp only; --model lenet has fixed layers "
     "(see --help)"),
    (["--model", "resnet"], "argument --model: invalid choice: 'resnet' (choose from "
     "mlp, cnn, lenet)"),
])
def test_a_conv_model_on_what_it_cannot_take_is_an_argparse_error(tmp_path, args, message):
    out = tmp_path / "run"
    status, stdout, stderr = run_main("train", *args, "--out", str(out))
    assert status == 2 and stdout == ""
    assert stderr.startswith("usage: chainrule train")
    last = stderr.splitlines()[-1].replace("'mlp', 'cnn', 'lenet'", "mlp, cnn, lenet")
    assert last == f"chainrule train: error: {message}"
    assert list(tmp_path.iterdir()) == []


def test_the_mlp_s_options_given_with_their_default_values_are_refused_too(tmp_path):
    # refused because they were given, whatever their value: never silently ignored
    status, stdout, stderr = run_main("train", "--model", "cnn", "--hidden", "64",
                                      "--out", str(tmp_path / "run"))
    assert status == 2 and "argument --hidden: applies to --model mlp only" in stderr


@pytest.mark.parametrize("images, message", [
    (np.zeros((6, 16), np.uint8), "{images}: --model cnn needs images (an IDX file of shape "
     "(n, rows, cols)), but the header declares shape (6, 16)"),
    (np.zeros((6, 3, 3), np.uint8), "images.gz: --model cnn needs images of at least 4x4 "
     "pixels, got 3x3"),
])
def test_idx_files_a_conv_model_cannot_take_give_one_line_errors(tmp_path, images, message):
    images_path, labels_path = _idx_pair(tmp_path, images, np.array([0, 1] * 3, np.uint8))
    out = tmp_path / "run"
    status, stdout, stderr = run_main("train", "--idx", images_path, labels_path,
                                      "--model", "cnn", "--out", str(out))
    assert status == 1 and stdout == ""
    assert stderr == "chainrule: error: " + message.format(images=images_path) + "\n"
    assert not out.exists()


@pytest.mark.slow
def test_an_mlp_trains_on_the_flat_mnist_sample(tmp_path):
    out = tmp_path / "mlp"
    status, stdout, stderr = run_main("train", "--data", "mnist-sample", "--hidden", "16",
                                      "--epochs", "1", "--no-progress", "--out", str(out))
    assert status == 0, stderr
    assert stdout.splitlines()[0] == ("chainrule: training MLP [784, 16, 10] (sigmoid) on "
                                      "mnist-sample: 4000 train / 1000 test samples")
    metrics = _check_outputs(out, ["digits.png"])
    assert metrics["model"] == "mlp" and metrics["input_shape"] == [784]
    assert metrics["lr"] == 0.5 and metrics["test_accuracy"] > 0.8
    assert not (out / "filters.png").exists()


def test_the_help_says_which_options_are_the_mlp_s_and_the_per_model_defaults():
    status, stdout, stderr = run_main("train", "--help")
    assert status == 0
    entries = _help_entries(stdout)
    assert entries["--model"].startswith("{mlp,cnn,lenet} mlp: an MLP of --hidden layers")
    assert "The ConvNets need images: digits, mnist-sample or 3-D --idx files" in (
        entries["--model"])
    assert entries["--model"].endswith("(default: mlp)")
    assert entries["--hidden"].startswith("[HIDDEN ...] --model mlp only: hidden layer sizes")
    assert "--model mlp only" in entries["--activation"]
    assert entries["--epochs"] == ("EPOCHS passes over the training set (default: 20 for mlp, "
                                   "10 for cnn, 8 for lenet)")
    assert "mnist-sample: 5,000 28x28 MNIST digits" in entries["--data"]
