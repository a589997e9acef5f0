"""Positions in the client's units, the server's copy of a buffer, and the `# noqa` edit."""
import pytest

from kerascheck.server.noqa import noqa_edit
from kerascheck.server.text import UTF8, UTF16, UTF32, Lines, apply_change, line_edits
from kerascheck.suppress import Suppressions


def test_columns_count_in_the_negotiated_units():
    lines = Lines('s = "😀é"; x = 1\n')
    # "x" is the 12th code point: 13 UTF-16 units (the emoji is two), 15 UTF-8 bytes
    column = lines.line(0).index("x")
    assert lines.position(0, column, UTF32) == (0, column)
    assert lines.position(0, column, UTF16) == (0, column + 1)
    assert lines.position(0, column, UTF8) == (0, column + 4)
    for encoding in (UTF8, UTF16, UTF32):
        character = lines.position(0, column, encoding)[1]
        assert lines.code_point(0, character, encoding) == column


def test_only_lsp_line_breaks_end_a_line():
    text = "a = 1\f\nb = '\u2028'\r\nc = 3\rd = 4"
    lines = Lines(text)
    assert [lines.line(n) for n in range(4)] == ["a = 1\f", "b = '\u2028'", "c = 3", "d = 4"]


def test_an_incremental_change_after_a_form_feed_lands_where_the_editor_put_it():
    text = "import keras\n\f\nx = 1\n"
    changed = apply_change(text, (2, 4, 2, 5), "2", UTF16)
    assert changed == "import keras\n\f\nx = 2\n"
    assert apply_change(text, None, "new", UTF16) == "new"
    # past the end of a line or of the text: clamped, as LSP says
    assert apply_change("ab\n", (0, 99, 5, 0), "!", UTF16) == "ab!"


@pytest.mark.parametrize("old,new", [
    ("a\nb\nc\n", "a\nB\nc\n"),
    ("a\nb\nc", "a\nb\nc\nd"),
    ("a\r\nb\r\n", "a\r\nx\r\ny\r\nb\r\n"),
    ("a\nb\nc\n", "c\n"),
    ("é😀\nb\n", "é😀\nbb\n"),
])
def test_line_edits_turn_the_old_text_into_the_new(old, new):
    edits = line_edits(old, new, UTF16)
    lines = Lines(old)
    result = old
    for start, end, replacement in reversed(edits):
        result = result[:lines.offset(*start, UTF16)] + replacement + result[lines.offset(*end, UTF16):]
    assert result == new
    assert all(start[1] == 0 for start, _end, _text in edits)


def suppressed_after(text, line, code):
    number, start, end, content = noqa_edit(text, line, code)
    offset = Lines(text).starts[number]
    new = text[:offset + start] + content + text[offset + end:]
    assert Suppressions.parse(new).suppresses(code, line)
    return new


def test_noqa_is_appended_to_a_plain_line():
    assert suppressed_after("x = f()   \ny = 2\n", 1, "KC101") == "x = f()  # noqa: KC101\ny = 2\n"


def test_noqa_extends_an_existing_list_rather_than_adding_a_second_comment():
    text = "x = f()  # noqa: KC104 because\n"
    assert suppressed_after(text, 1, "KC101") == "x = f()  # noqa: KC104, KC101 because\n"


def test_noqa_follows_another_comment():
    assert suppressed_after("x = f()  # why\n", 1, "KC101") == "x = f()  # why  # noqa: KC101\n"


def test_noqa_is_not_offered_where_no_comment_can_go():
    assert noqa_edit('x = """doc\nstill doc\n"""\n', 1, "KC101") is None  # inside a string
    assert noqa_edit("x = 1 + \\\n    2\n", 1, "KC101") is None  # a backslash continuation
    assert noqa_edit("x = 1\n", 5, "KC101") is None


def test_noqa_keeps_crlf_line_endings():
    assert suppressed_after("x = f()\r\ny = 2\r\n", 1, "KC101") == "x = f()  # noqa: KC101\r\ny = 2\r\n"
