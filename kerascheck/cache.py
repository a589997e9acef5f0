"""The result cache: `.kerascheck_cache/`, so that a second run only redoes what changed.

One entry per (file, settings), written atomically (a temporary file, then `os.replace`),
so concurrent runs never see half an entry; an entry that does not verify (a checksum
guards every one) is a miss, and the run rewrites it. What an entry holds and when it
still counts:

- the first-pass scan of the file (its facts), valid while the file's content digest
  is unchanged;
- the file's findings, valid while, in addition, every file whose facts the checker
  looked up while checking it has the same content as then (recorded during the check:
  the base class in another file, the module a name was resolved through) and no file
  then absent appeared. Editing a base class re-checks its subclasses' files, and only
  them. A class of an installed package that the check asked about (a base read from
  sys.path, kerascheck.semantic.external) counts as a dependency too, named
  `external:<qualified name>`, whose "content" is what the class resolved to: the
  package's source is read again on every run, so upgrading it re-checks exactly the
  files whose answer changed.

The settings that change results (kerascheck's own code, Python and libcst versions,
the enabled rules, `extend-keras-bases`) are part of the entry's key; output format,
per-file-ignores and the like are applied after the cache and are not.

Entries are pickles, read back with an unpickler that builds nothing but kerascheck's
own data classes, so a planted cache file cannot run code.
"""
from __future__ import annotations

import dataclasses
import enum
import hashlib
import io
import os
import pickle
import shutil
import sys
import tempfile
import zlib
from typing import Iterable, Mapping, Optional, Sequence

DIRECTORY_NAME = ".kerascheck_cache"
_TAG_NAME = "CACHEDIR.TAG"
_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by kerascheck.\n"
    "# For information about cache directory tags, see https://bford.info/cachedir/\n"
)
_MAGIC = b"kerascheck-cache-1\n"
_CHECKSUM_BYTES = 16
# The dependency that stands for "every file of the run" (a rule iterated over them all).
EVERYTHING = "*"



@dataclasses.dataclass(frozen=True)
class Dependencies:
    """The files a check looked up: those that were modules of the run, with their
    content digests, and those that were not (a file appearing there may change a
    resolution). The absent ones are most of the lookups (every place an import could
    have pointed to), so they are kept as one compressed block."""

    present: tuple = ()  # ((path, digest), ...), or ((EVERYTHING, digest of them all),)
    absent: bytes = b""  # zlib("\n".join(sorted paths))


def digest(data) -> str:
    """The content digest of a file (bytes) or of text handed in memory."""
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def code_fingerprint() -> str:
    """Digest of everything that can change a result without changing the input:
    kerascheck's own source files, and the Python and libcst versions."""
    return _FINGERPRINT


def _fingerprint() -> str:
    import libcst

    package = os.path.dirname(os.path.abspath(__file__))
    hasher = hashlib.blake2b(digest_size=16)
    hasher.update(f"{sys.version}|{getattr(libcst, '__version__', '?')}".encode())
    for directory, subdirectories, names in os.walk(package):
        subdirectories.sort()
        for name in sorted(names):
            if name.endswith(".py"):
                path = os.path.join(directory, name)
                hasher.update(os.path.relpath(path, package).encode())
                try:
                    with open(path, "rb") as handle:
                        hasher.update(handle.read())
                except OSError:
                    hasher.update(b"?")
    return hasher.hexdigest()


# Taken when kerascheck is imported, before the rules are: if the sources change while a
# process runs, its entries carry the older fingerprint, which no later process computes.
_FINGERPRINT = _fingerprint()


@dataclasses.dataclass
class Entry:
    """What the cache keeps for one file under one set of settings."""

    path: str
    content: str  # digest of the content the scan and the outcome were computed from
    scan: object  # engine.FileScan
    findings: Optional[list] = None  # None: the second pass has not been cached
    errors: Optional[list] = None
    dependencies: Dependencies = Dependencies()


class Cache:
    """The cache of one run: `directory` (usually `<project>/.kerascheck_cache`) and the
    settings that results depend on."""

    def __init__(
        self, directory: str, rule_codes: Iterable[str] = (), extra_bases: Sequence[str] = (), options: Optional[Mapping] = None
    ):
        """`options`: the other run-wide values results depend on (the Keras target and
        the project's pins, whether fixes carry their edits), as a mapping of reprs."""
        self.directory = os.path.abspath(directory)
        self.fingerprint = code_fingerprint()
        self.version_directory = os.path.join(self.directory, "v1-" + self.fingerprint[:20])
        settings = "|".join(
            [",".join(sorted(rule_codes)), ",".join(extra_bases), repr(sorted((options or {}).items()))]
        )
        self._settings = digest(settings)
        self.warning: Optional[str] = None  # why the cache could not be written, once
        self._prepared = False
        self.hits = 0
        self.writes = 0

    # ---- entries ---------------------------------------------------------------------
    def _entry_path(self, path: str) -> str:
        key = digest(f"{self._settings}|{path}")
        return os.path.join(self.version_directory, key[:2], key[2:])

    def load(self, path: str) -> Optional[Entry]:
        """The entry of `path`, or None when there is none or it does not verify."""
        try:
            with open(self._entry_path(path), "rb") as handle:
                blob = handle.read()
        except OSError:
            return None
        entry = _decode(blob)
        if not isinstance(entry, Entry) or entry.path != path:
            return None
        return entry

    def store(self, entry: Entry) -> None:
        """Write `entry` atomically; a failure is remembered in `warning`, never raised."""
        if self.warning is not None:
            return
        try:
            self._prepare()
            target = self._entry_path(entry.path)
            os.makedirs(os.path.dirname(target), exist_ok=True)
            _write_atomically(target, _encode(entry))
            self.writes += 1
        except (OSError, pickle.PicklingError, TypeError, AttributeError, RecursionError) as error:
            self.warning = f"cannot write the cache in {self.directory}: {_reason(error)}; continuing without it"

    def _prepare(self) -> None:
        """Create the directory with its CACHEDIR.TAG and .gitignore; drop the entries
        of other kerascheck versions, which can never be read again."""
        if self._prepared:
            return
        os.makedirs(self.directory, exist_ok=True)
        for name, text in ((_TAG_NAME, _TAG), (".gitignore", "# Created by kerascheck.\n*\n")):
            if not os.path.exists(os.path.join(self.directory, name)):
                _write_atomically(os.path.join(self.directory, name), text.encode())
        for name in os.listdir(self.directory):
            stale = os.path.join(self.directory, name)
            if name.startswith("v1-") and stale != self.version_directory:
                shutil.rmtree(stale, ignore_errors=True)
        self._prepared = True


class Snapshot:
    """The content digests of this run's modules (the files with first-pass facts), against
    which recorded dependencies are written and checked."""

    def __init__(self, digests: Mapping[str, str]):
        self.digests = digests
        self._everything: Optional[str] = None

    def everything(self) -> str:
        if self._everything is None:
            self._everything = digest(
                "\n".join(f"{path}\0{value}" for path, value in sorted(self.digests.items()))
            )
        return self._everything

    def dependencies(self, asked: Optional[Iterable[str]]) -> Dependencies:
        """The recorded lookups of one check, against this snapshot. `asked` None: the
        check looked at every module."""
        if asked is None:
            return Dependencies(present=((EVERYTHING, self.everything()),))
        present, absent = [], []
        for path in set(asked):
            if not isinstance(path, str):
                continue
            if path in self.digests:
                present.append((path, self.digests[path]))
            else:
                absent.append(path)
        blob = zlib.compress("\n".join(sorted(absent)).encode("utf-8", "surrogatepass")) if absent else b""
        return Dependencies(tuple(sorted(present)), blob)

    def still_valid(self, dependencies: Dependencies) -> bool:
        for path, recorded in dependencies.present:
            current = self.everything() if path == EVERYTHING else self.digests.get(path)
            if current != recorded:
                return False
        if dependencies.absent:
            absent = zlib.decompress(dependencies.absent).decode("utf-8", "surrogatepass").split("\n")
            if any(path in self.digests for path in absent):
                return False
        return True


def clean(directory: str) -> bool:
    """Remove a kerascheck cache directory. Returns False when there is none; raises
    ValueError when `directory` exists but is not a kerascheck cache (no CACHEDIR.TAG
    of ours): `kerascheck clean --cache-dir ~` must not delete a home directory."""
    if not os.path.lexists(directory):
        return False
    tag = os.path.join(directory, _TAG_NAME)
    try:
        with open(tag, encoding="utf-8") as handle:
            ours = "created by kerascheck" in handle.read()
    except OSError:
        ours = False
    if not ours or os.path.islink(directory) or not os.path.isdir(directory):
        raise ValueError(f"{directory} is not a kerascheck cache directory (no kerascheck CACHEDIR.TAG); not removing it")
    shutil.rmtree(directory)
    return True


# ---- the entry format --------------------------------------------------------------------
def _encode(entry: Entry) -> bytes:
    payload = pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL)
    return _MAGIC + hashlib.blake2b(payload, digest_size=_CHECKSUM_BYTES).digest() + payload


def _decode(blob: bytes) -> Optional[Entry]:
    header = len(_MAGIC) + _CHECKSUM_BYTES
    if not blob.startswith(_MAGIC) or len(blob) < header:
        return None
    checksum, payload = blob[len(_MAGIC):header], blob[header:]
    if hashlib.blake2b(payload, digest_size=_CHECKSUM_BYTES).digest() != checksum:
        return None
    try:
        return _DataOnlyUnpickler(io.BytesIO(payload)).load()
    except Exception:  # anything at all: a miss, rewritten by this run
        return None


class _DataOnlyUnpickler(pickle.Unpickler):
    """Builds kerascheck's data classes and enums, frozensets and sets, nothing else."""

    _BUILTINS = {"frozenset": frozenset, "set": set}

    def find_class(self, module: str, name: str):
        if module == "builtins" and name in self._BUILTINS:
            return self._BUILTINS[name]
        if module == "kerascheck" or module.startswith("kerascheck."):
            loaded = sys.modules.get(module)  # never import: only what the run already has
            found = getattr(loaded, name, None) if loaded is not None and "." not in name else None
            if isinstance(found, type) and (
                dataclasses.is_dataclass(found) or issubclass(found, enum.Enum)
            ):
                return found
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a cache entry")


def _write_atomically(target: str, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(dir=os.path.dirname(target), prefix=".tmp-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, target)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


def _reason(error: BaseException) -> str:
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return f"{type(error).__name__}: {error}"


__all__ = ["Cache", "Entry", "Snapshot", "DIRECTORY_NAME", "clean", "digest", "code_fingerprint"]
