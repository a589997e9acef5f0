"""The edit behind "Suppress KCxxx on this line": a `# noqa: KCxxx` comment.

A line that already has `# noqa: KC101` gets the code added to that list (a second
`# noqa` in the same comment would not be read); any other line gets `  # noqa: KCxxx`
after its code or comment. The edit is offered only when it works: the new text must
suppress the code on that line as kerascheck reads it, which it
does not when the line ends inside a string; and a line continued by a backslash gets
none (a comment after the backslash is a syntax error).
"""
from __future__ import annotations

import io
import re
import tokenize
from typing import Optional

from kerascheck.server.checking import suppresses
from kerascheck.server.text import Lines

# The code list of a `# noqa: ...` comment, as kerascheck.suppress reads it.
_CODES = re.compile(r"#\s*noqa:\s*[A-Za-z]+[0-9]+(?:[\s,]+[A-Za-z]+[0-9]+)*", re.I)


def noqa_edit(text: str, line: int, code: str) -> Optional[tuple[int, int, int, str]]:
    """(0-based line, start column, end column, replacement), columns in code points,
    that makes a `# noqa` comment suppress `code` on the 1-based `line`; None when no
    comment there can."""
    lines = Lines(text)
    number = line - 1
    if number < 0 or number >= len(lines.starts):
        return None
    content = lines.line(number)
    comment = _comment_on(text, line)
    listed = _CODES.search(content, comment) if comment is not None else None
    if listed is not None:
        edit = (number, listed.end(), listed.end(), f", {code}")
    elif comment is None and content.rstrip().endswith("\\"):
        return None  # a backslash continuation: nothing may follow it
    else:
        end = len(content.rstrip())
        edit = (number, end, len(content), f"  # noqa: {code}")
    start = lines.starts[number]
    new = text[:start + edit[1]] + edit[3] + text[start + edit[2]:]
    if not suppresses(new, code, line):
        return None
    return edit


def _comment_on(text: str, line: int) -> Optional[int]:
    """The column where the comment of the 1-based `line` starts, or None."""
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.COMMENT and token.start[0] == line:
                return token.start[1]
            if token.start[0] > line:
                return None
    except (tokenize.TokenError, SyntaxError):
        return None
    return None
