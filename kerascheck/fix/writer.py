"""Writing a fixed file atomically: all of the new content or none of it.

The content goes to a temporary file in the same directory (so the rename cannot cross
file systems), is flushed to disk, gets the original's permission bits (and owner, when
allowed), and replaces the original with one `os.replace`. A reader never sees half a
file; a failure at any step leaves the original untouched and removes the temporary
file. A symbolic link is followed: the file it points to is replaced, the link stays.
Before replacing, the file is read again: if it changed since it was linted (an editor
saved it meanwhile), it is not overwritten.
"""
from __future__ import annotations

import os
import stat
import tempfile


class WriteFailed(Exception):
    """The file could not be written; it is unchanged."""


def write_atomically(path: str, expected: bytes, content: bytes) -> None:
    """Replace the file at `path`, whose content must still be `expected`, by `content`."""
    target = os.path.realpath(path)
    try:
        status = os.stat(target)
    except OSError as error:
        raise WriteFailed(f"cannot read it again: {error.strerror or error}") from None
    if not os.access(target, os.W_OK):
        raise WriteFailed("the file is read-only")
    try:
        with open(target, "rb") as handle:
            current = handle.read()
    except OSError as error:
        raise WriteFailed(f"cannot read it again: {error.strerror or error}") from None
    if current != expected:
        raise WriteFailed("it changed while it was being fixed")
    directory = os.path.dirname(target) or "."
    try:
        handle, temporary = tempfile.mkstemp(dir=directory, prefix="." + os.path.basename(target) + ".", suffix=".kerascheck")
    except OSError as error:
        raise WriteFailed(f"cannot create a temporary file beside it: {error.strerror or error}") from None
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, stat.S_IMODE(status.st_mode))
        if hasattr(os, "chown"):
            try:
                os.chown(temporary, status.st_uid, status.st_gid)
            except OSError:
                pass  # not ours to give away: the new file keeps our ownership
        os.replace(temporary, target)
    except OSError as error:
        _remove(temporary)
        raise WriteFailed(f"cannot write it: {error.strerror or error}") from None
    except BaseException:
        _remove(temporary)
        raise


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
