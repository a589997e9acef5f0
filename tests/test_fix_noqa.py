"""--add-noqa's text edit (kerascheck.fix.noqa): where each directive goes, how it merges
with one already there, and that it never changes anything but comments."""
import textwrap

import pytest

from kerascheck import check_source
from kerascheck.config import Settings
from kerascheck.fix import RenderFailed
from kerascheck.fix.noqa import with_directives

LAYER = """\
import tensorflow as tf
from tensorflow import keras


class Scale(keras.layers.Layer):
    def build(self, input_shape):
"""


def _added(body: str, select=("KC101", "KC104", "KC003")):
    """(the layer with directives for its findings, lines edited), and the proof that
    a lint of the result is clean."""
    text = LAYER + textwrap.indent(textwrap.dedent(body), " " * 8)
    settings = Settings(select=select)
    new, count = with_directives(text, check_source(text, config=settings))
    assert check_source(new, config=settings) == []
    return new[len(LAYER):], count


def test_appends_a_directive_at_the_end_of_the_line():
    assert _added("self.w = tf.Variable(1.0)   \n") == ("        self.w = tf.Variable(1.0)  # noqa: KC101\n", 1)


def test_two_findings_on_a_line_share_one_sorted_directive():
    new, count = _added('self.w = tf.Variable(1.0); self.add_weight("v", (2,))\n')
    assert (new, count) == ('        self.w = tf.Variable(1.0); self.add_weight("v", (2,))  # noqa: KC101, KC104\n', 1)


def test_merges_with_a_directive_already_there_and_keeps_the_rest_of_the_comment():
    new, count = _added("self.w = tf.Variable(1.0)  # type: ignore  # noqa: E501 -- long\n")
    assert (new, count) == ("        self.w = tf.Variable(1.0)  # type: ignore  # noqa: E501, KC101 -- long\n", 1)


def test_an_invalid_directive_gets_its_colon_and_the_new_codes():
    new, count = _added("self.w = tf.Variable(1.0)  # noqa KC104\n")
    assert (new, count) == ("        self.w = tf.Variable(1.0)  # noqa: KC101, KC104\n", 1)


def test_never_inside_a_multiline_string_nor_after_a_backslash():
    new, count = _added('self.w = tf.Variable(1.0, name="""w\n""")\nself.v = \\\n    tf.Variable(2.0)\n')
    assert count == 2
    assert new == (
        '        self.w = tf.Variable(1.0, name="""w\n'
        '        """)  # noqa: KC101\n'
        "        self.v = \\\n"
        "            tf.Variable(2.0)  # noqa: KC101\n"
    )


def test_a_finding_on_a_bracketed_line():
    new, count = _added("self.w = tf.Variable(\n    1.0,\n)\n")
    assert (new, count) == ("        self.w = tf.Variable(  # noqa: KC101\n            1.0,\n        )\n", 1)


def test_nothing_to_add():
    assert with_directives(LAYER, []) == (LAYER, 0)


class _Finding:
    def __init__(self, code, line):
        self.code, self.line = code, line


def test_a_finding_on_a_string_s_inner_line_goes_where_the_string_ends():
    text = 'x = """\nkeras\n"""\n'
    assert with_directives(text, [_Finding("KC101", 2)]) == ('x = """\nkeras\n"""  # noqa: KC101\n', 1)


def test_a_directive_that_would_change_the_code_is_refused(monkeypatch):
    """The last guard: were the line mapping wrong, the comment would land in the string
    and change the code; the edit is refused instead."""
    from kerascheck.suppress import Suppressions

    monkeypatch.setattr(Suppressions, "noqa_line", lambda self, line: line)
    with pytest.raises(RenderFailed, match="change the code"):
        with_directives('x = """\nkeras\n"""\n', [_Finding("KC101", 2)])


def test_a_file_python_does_not_parse_is_refused():
    with pytest.raises(RenderFailed):
        with_directives("x = (\n", [_Finding("KC101", 1)])
