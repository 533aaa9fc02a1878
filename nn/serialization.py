"""Saving and loading parameters as `.npz`: written atomically, read without pickle."""

from __future__ import annotations

import os
import tempfile
import zipfile
from pathlib import Path
from typing import Union

import numpy as np

from nn.module import Module

PathLike = Union[str, "os.PathLike[str]"]


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
    """The arrays of a checkpoint, read with allow_pickle=False."""
    path = Path(path)
    try:
        with np.load(path, allow_pickle=False) as archive:
            return {name: archive[name] for name in archive.files}
    except FileNotFoundError:
        raise
    except (ValueError, OSError, zipfile.BadZipFile, EOFError) as error:
        raise ValueError(f"{path} is not a readable .npz checkpoint: {error}") from None


def load(module: Module, path: PathLike) -> Module:
    """Load a checkpoint into `module`; names and shapes must match (else a ValueError
    listing every difference, and the module unchanged)."""
    module.load_state_dict(load_state(path))
    return module
