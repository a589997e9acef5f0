"""The edits of one fix, for the outputs that show them (JSON, SARIF): where the text
changes and what it becomes, computed by applying the fix alone and comparing texts."""
from __future__ import annotations

from kerascheck.finding import Edit
from kerascheck.fix.textfile import common_ends, line_opcodes, split_lines


def edits_between(old: str, new: str) -> tuple[Edit, ...]:
    """The smallest replacements turning `old` into `new`, one per changed block of
    lines; lines and columns 1-based, ends exclusive, as findings count them."""
    old_lines = split_lines(old)
    new_lines = split_lines(new)
    edits = []
    for tag, i1, i2, j1, j2 in line_opcodes(old_lines, new_lines):
        if tag == "equal":
            continue
        before = "".join(old_lines[i1:i2])
        after = "".join(new_lines[j1:j2])
        head, tail = common_ends(before, after)
        start = _position(before, head, i1)
        end = _position(before, len(before) - tail, i1)
        edits.append(Edit(start[0], start[1], end[0], end[1], after[head:len(after) - tail]))
    return tuple(edits)


def _position(block: str, offset: int, first_line: int) -> tuple[int, int]:
    """(line, column), 1-based, of `offset` in `block`, which starts at 0-based line
    `first_line` of the file."""
    line = first_line + 1 + block.count("\n", 0, offset)
    column = offset - (block.rfind("\n", 0, offset) + 1) + 1
    return line, column
