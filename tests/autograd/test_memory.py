"""Memory stays flat over training: graphs are freed after each step, by reference counting
alone (no reference cycles, so nothing waits for the garbage collector). Files are read
header first: rejecting a decompression bomb costs almost nothing."""

import gc
import gzip
import struct
import tracemalloc
import zipfile

import numpy as np
import pytest

import nn
import optim
from autograd import Function, Tensor
from nn import datasets

MiB = 1 << 20


def live_nodes() -> int:
    return sum(isinstance(obj, Function) for obj in gc.get_objects())


def _training_step_factory():
    rng = np.random.default_rng(0)
    model = nn.MLP([8, 16, 3], rng=rng)
    opt = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    X = rng.standard_normal((10, 8)).astype(np.float32)
    y = rng.integers(0, 3, 10)

    def step() -> float:
        opt.zero_grad()
        loss = nn.SoftmaxCrossEntropy()(model(X), y)
        loss.backward()
        opt.step()
        return loss.item()

    return step


def test_training_loop_does_not_grow_the_number_of_live_graph_nodes():
    step = _training_step_factory()
    for _ in range(5):
        step()
    gc.collect()
    after_5 = live_nodes()
    for _ in range(200):
        step()
    gc.collect()
    assert live_nodes() == after_5


def test_a_training_step_creates_no_reference_cycles():
    step = _training_step_factory()
    step()
    gc.collect()
    gc.disable()
    try:
        for _ in range(50):
            step()
        # everything the steps allocated was already freed by reference counting
        assert gc.collect() == 0
    finally:
        gc.enable()


def test_backward_frees_the_saved_tensors_of_a_graph_kept_alive():
    x = Tensor(np.ones((1000, 100)), requires_grad=True)
    loss = (x.exp() * 2.0).sum()
    node = loss.grad_fn
    loss.backward()
    assert node.released
    exp_node = node.parents()[0].parents()[0]
    assert exp_node.inputs is None and exp_node._saved == ()


def test_backward_restores_the_garbage_collector_state():
    x = Tensor(np.ones(3), requires_grad=True)
    assert gc.isenabled()
    (x * 2).sum().backward()
    assert gc.isenabled()
    gc.disable()
    try:
        (x * 2).sum().backward()
        assert not gc.isenabled()
    finally:
        gc.enable()
    try:
        (x * Tensor(np.ones(4))).sum().backward()  # a bad shape raises inside forward
    except ValueError:
        pass
    y = (x * 2).sum()
    y.backward()
    try:
        y.backward()  # released graph: raises inside the pass
    except RuntimeError:
        pass
    assert gc.isenabled()


# --- decompression bombs ------------------------------------------------------------------

def _peak_bytes(action) -> int:
    """The peak of traced memory while `action` runs. tracemalloc sees numpy's arrays and
    zlib's buffers as well as Python's objects."""
    tracemalloc.start()
    try:
        action()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_rejecting_an_idx_gzip_bomb_reads_only_its_header(tmp_path):
    # A 2x2 image followed by 256 MiB of zeros: concatenated gzip members, each 1 MiB of
    # zeros in about 1 kB, make a file of ~0.3 MB (fast to build).
    image = bytes([0, 0, 0x08, 2]) + struct.pack(">2I", 2, 2) + bytes(4)
    path = tmp_path / "bomb-idx2-ubyte.gz"
    path.write_bytes(gzip.compress(image) + gzip.compress(bytes(MiB)) * 256)
    assert path.stat().st_size < 400_000

    def reject():
        with pytest.raises(ValueError, match=r"trailing bytes after the data: the header "
                                             r"declares shape \(2, 2\) of uint8, 4 bytes"):
            datasets.load_idx(path)

    assert _peak_bytes(reject) < 50 * MiB


@pytest.mark.parametrize("bomb_name, message", [
    ("junk", "unexpected: junk"),
    ("weight", r"mis-shaped: weight: expected \(2, 2\), got \(134217728,\)"),
])
def test_rejecting_an_npz_bomb_reads_only_the_headers(tmp_path, bomb_name, message):
    model = nn.Linear(2, 2)
    path = tmp_path / "bomb.npz"
    zeros = bytes(MiB)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        for name, array in model.state_dict().items():
            if name != bomb_name:
                with archive.open(f"{name}.npy", "w") as member:
                    np.lib.format.write_array(member, array)
        with archive.open(f"{bomb_name}.npy", "w", force_zip64=True) as member:
            np.lib.format.write_array_header_1_0(
                member, {"descr": "|u1", "fortran_order": False, "shape": (128 * MiB,)})
            for _ in range(128):
                member.write(zeros)
    assert path.stat().st_size < 2 * MiB
    before = [p.data.copy() for p in model.parameters()]

    def reject():
        with pytest.raises(ValueError, match=message):
            nn.load(model, path)

    assert _peak_bytes(reject) < 50 * MiB
    for p, q in zip(before, model.parameters()):
        np.testing.assert_array_equal(p, q.data)
