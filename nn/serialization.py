"""Saving and loading parameters as `.npz`: written atomically, read without pickle.

A checkpoint is read header first: the archive's member names and each `.npy` header (shape
and dtype) are checked before any array is read, so a file that does not fit costs only its
headers to reject, however much data it holds.
"""

from __future__ import annotations

import contextlib
import io
import math
import os
import tempfile
import zipfile
import zlib
from pathlib import Path
from typing import Iterator, NamedTuple, Union

import numpy as np
from numpy.lib import format as npy

from nn.module import Module

PathLike = Union[str, "os.PathLike[str]"]

# The longest .npy header numpy writes (version 1.0: a 2-byte length); longer ones are refused.
_HEADER_LIMIT = len(npy.MAGIC_PREFIX) + 2 + 2 + 0xFFFF


class _Member(NamedTuple):
    """One array of a checkpoint as its header describes it."""
    info: zipfile.ZipInfo
    shape: tuple
    dtype: np.dtype


def save(module: Module, path: PathLike) -> Path:
    """Write the module's parameters to `path` (.npz). The file is written to a temporary
    name beside it and renamed, so a crash never leaves a half-written checkpoint."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            np.savez(f, **module.state_dict())
        # mkstemp makes the file private (0600); give it the permissions a plain open() would
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def load_state(path: PathLike) -> dict:
    """The arrays of a checkpoint, read with allow_pickle=False. Raises ValueError naming the
    file and the problem when it is not a readable .npz of plain arrays."""
    path = Path(path)
    with _checkpoint(path) as (archive, members):
        return _read_arrays(path, archive, members)


def load(module: Module, path: PathLike) -> Module:
    """Load a checkpoint into `module`; names, shapes and dtypes (real numbers) must match,
    else a ValueError lists every difference and the module is unchanged. The differences are
    found from the .npy headers, before any array is read. Every value must fit its tensor's
    dtype (dtypes.check_fits), else a ValueError and the module is unchanged too."""
    path = Path(path)
    with _checkpoint(path) as (archive, members):
        module._check_state({name: (m.shape, m.dtype) for name, m in members.items()},
                            source=f"checkpoint {path}")
        state = _read_arrays(path, archive, members)
    module._load(state, f"checkpoint {path}")
    return module


@contextlib.contextmanager
def _checkpoint(path: Path) -> Iterator[tuple[zipfile.ZipFile, dict[str, _Member]]]:
    """The open archive and its members' headers ({name: _Member}), every header checked.
    The file is closed on the way out, whatever goes wrong (no leaked handle)."""
    with open(path, "rb") as file:  # a missing file is FileNotFoundError, as open() says
        if file.read(len(npy.MAGIC_PREFIX)) == npy.MAGIC_PREFIX:
            raise ValueError(f"{path} is a single .npy array, not an .npz checkpoint "
                             f"(nn.save writes one; np.load reads a .npy)")
        file.seek(0)
        try:
            archive = zipfile.ZipFile(file)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
            raise _unreadable(path, error) from None
        with archive:
            yield archive, _members(path, archive)


def _members(path: Path, archive: zipfile.ZipFile) -> dict[str, _Member]:
    # Reads at most _HEADER_LIMIT bytes of each member: its .npy header, nothing more.
    members: dict[str, _Member] = {}
    for info in archive.infolist():
        name = info.filename.removesuffix(".npy")
        if name == info.filename:
            raise _unreadable(path, f"member {info.filename} is not a .npy array")
        if name in members:
            raise _unreadable(path, f"array {name!r} appears twice")
        try:
            with archive.open(info) as stream:
                shape, dtype, header_size = _npy_header(stream)
        except (ValueError, OSError, EOFError, zipfile.BadZipFile, zlib.error) as error:
            raise _unreadable(path, f"array {name!r}: {error}") from None
        if dtype.hasobject:
            raise _unreadable(path, f"array {name!r} holds Python objects, which only pickle "
                                    f"can read (checkpoints are read with allow_pickle=False)")
        data_size = math.prod(shape) * dtype.itemsize
        if info.file_size != header_size + data_size:
            raise _unreadable(path, f"array {name!r}: its header promises shape {shape} of "
                                    f"{dtype}, {data_size} bytes, but the member holds "
                                    f"{info.file_size - header_size}")
        members[name] = _Member(info, shape, dtype)
    return members


def _npy_header(stream) -> tuple[tuple, np.dtype, int]:
    # (shape, dtype, header size) of a .npy stream, from its first _HEADER_LIMIT bytes at most.
    reader = io.BytesIO(stream.read(_HEADER_LIMIT))
    version = npy.read_magic(reader)
    if version == (1, 0):
        shape, _, dtype = npy.read_array_header_1_0(reader)
    elif version == (2, 0):
        shape, _, dtype = npy.read_array_header_2_0(reader)
    else:
        raise ValueError(f"unsupported .npy format version {version[0]}.{version[1]}")
    return tuple(shape), dtype, reader.tell()


def _read_arrays(path: Path, archive: zipfile.ZipFile, members: dict[str, _Member]) -> dict:
    # Every header was checked: each read is exactly the size its header promises.
    try:
        arrays = {}
        for name, member in members.items():
            with archive.open(member.info) as stream:
                arrays[name] = npy.read_array(stream, allow_pickle=False)
        return arrays
    except (ValueError, OSError, EOFError, zipfile.BadZipFile, zlib.error) as error:
        raise _unreadable(path, error) from None


def _unreadable(path: Path, problem: object) -> ValueError:
    return ValueError(f"{path} is not a readable .npz checkpoint: {problem}")
