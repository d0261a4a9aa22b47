"""Give the C heap's free pages back to the kernel once a process has started.

Start-up leaves holes in glibc's heap: the learned models' artifacts are xz-decompressed
(liblzma takes a dictionary of several MB) and copied into arrays, then the buffers are freed;
glibc keeps freed memory below the heap's top for reuse, so it stays resident (the worker kept
~7 MB of it). ``malloc_trim(0)`` returns every free page to the kernel; memory still in use is
untouched, so it changes no behaviour. A no-op where the C library is not glibc.
"""

from __future__ import annotations

import ctypes
import gc


def release_free_memory() -> bool:
    """Collect garbage, then return free heap pages to the kernel. True if glibc did it."""
    gc.collect()
    try:
        # The symbols already loaded in this process (libc among them): no library search.
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):
        return False
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return bool(trim(0))
