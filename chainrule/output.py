"""Writing a command's files so that two runs' files are never mixed in one folder.

A run writes everything into a hidden staging folder first (inside `--out` when it exists,
else in its nearest existing parent, so the final moves are renames on one file system).
Only when every file is complete does `Staging.commit` move them into place, with Ctrl-C
held back for those few renames. A run that fails or is interrupted before that discards
the staging folder and leaves `--out` exactly as it was.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import signal
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any, Iterator, Optional, Sequence

import numpy as np

STAGING_PREFIX = ".chainrule-partial-"


class OutputError(Exception):
    """An output place that cannot be written: reported in one line, before any work."""


class InterruptedAfterCommit(KeyboardInterrupt):
    """Ctrl-C came while the files moved into place: they all arrived, then it stopped."""


class Staging:
    """A staging folder for one run's files, moved into `folder` all at once by `commit`.

    Use it as a context manager: leaving the block without a commit (an error, Ctrl-C)
    removes the staging folder, so `folder` is left as it was. `targets` are the names the
    run will write: each must be free or a file (a folder there could not be replaced, and
    finding that out in the middle of the moves would leave a mix). `shown` is how
    messages name the place (the user's `--out`).
    """

    def __init__(self, folder: Path, targets: Sequence[str] = (),
                 shown: Optional[Path] = None) -> None:
        self.folder = Path(folder)
        self.shown = self.folder if shown is None else Path(shown)
        self.path = self._create(targets)

    def _create(self, targets: Sequence[str]) -> Path:
        if self.folder.is_dir():
            for name in targets:
                if (self.folder / name).is_dir():
                    self._fail(f"{self.folder / name} is a folder")
            parent = self.folder
        else:
            parent = _nearest_existing(self.folder)
            if not parent.is_dir():
                self._fail(f"{parent} is a file")
        try:
            path = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=parent))
        except OSError as error:
            self._fail(error.strerror or str(error))
        # mkdtemp makes the folder private (0700); when it becomes --out itself it should
        # get the permissions any folder made by the user would get.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(path, 0o777 & ~umask)
        return path

    def _fail(self, reason: str) -> None:
        raise OutputError(f"cannot write to --out {self.shown}: {reason}")

    def __enter__(self) -> "Staging":
        return self

    def __exit__(self, kind: Optional[type], error: Optional[BaseException],
                 traceback: Optional[TracebackType]) -> None:
        if self.path.exists():  # not committed: throw this run's partial files away
            shutil.rmtree(self.path, ignore_errors=True)

    def commit(self, files: Sequence[Path], last: Optional[Path] = None,
               replaces: Sequence[str] = ()) -> list:
        """Move `files` (in the staging folder) into the folder, `last` after all others,
        and remove the names in `replaces` that this run did not write (a previous run's
        files). Returns the final paths. A folder that did not exist is the staging folder
        renamed: one atomic step. Into an existing folder, `last` is removed first and moved
        in last, so while it is there the folder holds one run's files and no other's."""
        names = [Path(f).name for f in files] + ([] if last is None else [Path(last).name])
        with _sigint_held_back(self.shown):
            if not self.folder.exists():
                self.folder.parent.mkdir(parents=True, exist_ok=True)
                os.rename(self.path, self.folder)
            else:
                if last is not None:
                    (self.folder / Path(last).name).unlink(missing_ok=True)
                for name in names[: len(files)]:
                    os.replace(self.path / name, self.folder / name)
                for name in replaces:
                    if name not in names:
                        (self.folder / name).unlink(missing_ok=True)
                if last is not None:
                    os.replace(self.path / Path(last).name, self.folder / Path(last).name)
                self.path.rmdir()
        return [self.folder / name for name in names]


def _nearest_existing(path: Path) -> Path:
    for candidate in [path, *path.absolute().parents]:
        if candidate.exists():
            return candidate
    return Path(path.absolute().anchor)


@contextmanager
def _sigint_held_back(shown: Path) -> Iterator[None]:
    """Hold Ctrl-C back until the block is done, then raise InterruptedAfterCommit (stopping
    halfway through the moves is what would mix two runs).
    Python lets only the main thread set signal handlers; elsewhere the block just runs."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: caught.append(signum))
    try:
        yield
    finally:
        # signal.signal returns None for a handler not set from Python: restore Python's own
        signal.signal(signal.SIGINT,
                      signal.default_int_handler if previous is None else previous)
    if caught:
        raise InterruptedAfterCommit(f"{shown} was written in full")


def write_json(path: Path, data: Any) -> Path:
    """Write `data` as strict JSON: NaN and ±inf become null (Python's json would write the
    bare words NaN and Infinity, which other JSON readers reject); numpy scalars become
    numbers."""
    path = Path(path)
    path.write_text(json.dumps(_strict(data), indent=2, allow_nan=False) + "\n")
    return path


def _strict(value: Any) -> Any:
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: _strict(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_strict(item) for item in value]
    return value
