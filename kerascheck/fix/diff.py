"""`--diff`: the unified diff of what `--fix` would write, in the form `git apply` and
`patch -p1` take (`a/PATH` and `b/PATH`, relative to the directory kerascheck ran in).

The diff is computed on the file's own text, line endings and BOM included, so it
applies to the bytes on disk; a last line without a newline gets the usual
`\\ No newline at end of file` marker.
"""
from __future__ import annotations

import difflib

from kerascheck.fix.textfile import split_lines

_NO_NEWLINE = "\\ No newline at end of file\n"


def unified_diff(path: str, old: str, new: str, context: int = 3) -> str:
    shown = path.replace("\\", "/")
    out = []
    lines = difflib.unified_diff(
        split_lines(old), split_lines(new), fromfile=f"a/{shown}", tofile=f"b/{shown}", n=context
    )
    for line in lines:
        if line.endswith(("\n", "\r")):
            out.append(line)
        else:
            out.append(line + "\n" + _NO_NEWLINE)
    return "".join(out)
