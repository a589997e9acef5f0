"""A one-line progress bar on stderr for `--confirm` (only on a terminal, and only when
there are more than a few classes to build)."""
from __future__ import annotations

import shutil
import sys
from typing import TextIO

MIN_CLASSES = 4


class ProgressBar:
    def __init__(self, stream: TextIO = None):
        self.stream = stream or sys.stderr
        self.active = False

    def enabled(self, total: int) -> bool:
        isatty = getattr(self.stream, "isatty", None)
        return total >= MIN_CLASSES and bool(isatty and isatty())

    def __call__(self, done: int, total: int, label: str) -> None:
        if not self.enabled(total):
            return
        if done >= total:
            self.clear()
            return
        width = 24
        filled = int(width * done / total)
        line = f"kerascheck: confirming [{'#' * filled}{'.' * (width - filled)}] {done}/{total} {label}"
        columns = shutil.get_terminal_size((80, 20)).columns
        self.stream.write("\r\x1b[K" + line[: columns - 1])
        self.stream.flush()
        self.active = True

    def clear(self) -> None:
        if self.active:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.active = False

    def note(self, text: str) -> None:
        """Print a message without garbling the bar."""
        self.clear()
        self.stream.write(text + "\n")
        self.stream.flush()
