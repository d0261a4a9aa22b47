"""Read a learned model's artifact (``worker/artifacts/*.joblib``) without joblib.

``parley train`` writes each artifact with ``joblib.dump`` (xz-compressed): a pickle of a
dict of plain values whose NumPy arrays joblib writes as a ``NumpyArrayWrapper`` followed by
the array's raw bytes. Importing joblib costs a process ~13 MB (it brings multiprocessing,
concurrent.futures and more) for what is, here, one read at start-up: the worker reads the
same format with this small unpickler instead.

It is also stricter than joblib: only the classes such an artifact holds (the wrapper,
NumPy's dtype, array and scalar) may be named in the file; anything else is refused, so a
tampered artifact cannot run code. An artifact this reader does not understand raises
``ArtifactUnreadable``; ``read_artifact`` then falls back to joblib itself.
"""

from __future__ import annotations

import lzma
import pickle
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

_XZ_MAGIC = b"\xfd7zXZ\x00"


class ArtifactUnreadable(Exception):
    """The file is not an artifact this reader understands."""


class _ArrayWrapper:
    """The state of joblib's ``NumpyArrayWrapper``, filled by pickle's BUILD."""


def _scalar(dtype: np.dtype, data: bytes = b"") -> Any:
    return np.frombuffer(data, dtype=dtype, count=1)[0]


_ALLOWED = {
    ("joblib.numpy_pickle", "NumpyArrayWrapper"): _ArrayWrapper,
    ("numpy", "dtype"): np.dtype,
    ("numpy", "ndarray"): np.ndarray,
    ("numpy._core.multiarray", "scalar"): _scalar,
    ("numpy.core.multiarray", "scalar"): _scalar,
}


class _Unpickler(pickle._Unpickler):  # the Python one: its opcode table can be extended
    dispatch = pickle._Unpickler.dispatch.copy()

    def __init__(self, handle: BinaryIO) -> None:
        super().__init__(handle)
        self.handle = handle

    def find_class(self, module: str, name: str) -> Any:
        found = _ALLOWED.get((module, name))
        if found is None:
            raise ArtifactUnreadable(f"the artifact names {module}.{name}")
        return found

    def load_build(self) -> None:
        pickle._Unpickler.load_build(self)
        top = self.stack[-1]
        if isinstance(top, _ArrayWrapper):
            self.stack[-1] = _read_array(self.handle, top)

    dispatch[pickle.BUILD[0]] = load_build


def _read_exactly(handle: BinaryIO, size: int) -> bytes:
    data = handle.read(size)
    if len(data) != size:
        raise ArtifactUnreadable("the artifact ends inside an array")
    return data


def _read_array(handle: BinaryIO, wrapper: _ArrayWrapper) -> np.ndarray:
    state = wrapper.__dict__
    dtype, shape, order = state.get("dtype"), tuple(state.get("shape", ())), state.get("order")
    plain = isinstance(dtype, np.dtype) and not dtype.hasobject
    if not plain or state.get("subclass") is not np.ndarray:
        raise ArtifactUnreadable("the artifact holds an array of objects or a subclass")
    # joblib pads the data to an alignment (one byte says how many padding bytes follow).
    if state.get("numpy_array_alignment_bytes") is not None:
        padding = _read_exactly(handle, 1)[0]
        _read_exactly(handle, padding)
    count = 1
    for n in shape:
        count *= int(n)
    array = np.frombuffer(_read_exactly(handle, count * dtype.itemsize), dtype=dtype).copy()
    if order == "F":
        array = array.reshape(shape[::-1]).transpose()
    else:
        array = array.reshape(shape)
    if not dtype.isnative:
        array = array.astype(dtype.newbyteorder("="))
    return array


def read_joblib_xz(path: Path) -> Any:
    """The object joblib dumped xz-compressed to ``path`` (``ArtifactUnreadable`` if not)."""
    with open(path, "rb") as raw:
        if raw.read(len(_XZ_MAGIC)) != _XZ_MAGIC:
            raise ArtifactUnreadable("not an xz-compressed joblib file")
    try:
        with lzma.open(path, "rb") as handle:
            return _Unpickler(handle).load()
    except (pickle.UnpicklingError, lzma.LZMAError, EOFError, ValueError, TypeError) as error:
        raise ArtifactUnreadable(str(error)) from error


def read_artifact(path: Path) -> Any:
    """A model artifact's contents: read here, or by joblib when this reader cannot."""
    try:
        return read_joblib_xz(path)
    except ArtifactUnreadable:
        import joblib

        return joblib.load(path)
