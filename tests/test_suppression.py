"""`# noqa` per line and `# kerascheck: noqa` per file."""
import textwrap

import libcst as cst
import pytest

from cliutil import run_cli, write
from kerascheck import check_source
from kerascheck.config import Settings
from kerascheck.rules.base import REGISTRY, Rule
from kerascheck.suppress import Suppressions, suppressions_for

HEAD = """\
import tensorflow as tf
from tensorflow import keras

class Scale(keras.layers.Layer):
    def build(self, input_shape):
"""


def layer(*lines: str) -> str:
    """A Keras layer whose build() holds `lines` (line 6 onwards)."""
    return HEAD + "".join(f"        {line}\n" for line in lines)


@pytest.fixture
def print_rule():
    """A dummy rule, KC991, reporting every `print(...)`: a second code to suppress."""

    class PrintCall(Rule):
        code = "KC991"
        name = "print-call"
        summary = "test rule"

        def visit_Call(self, node: cst.Call) -> None:
            if isinstance(node.func, cst.Name) and node.func.value == "print":
                self.report(node, "print() called")

    yield PrintCall
    REGISTRY.pop("KC991", None)


def found(source: str, select=("KC101",)) -> list[tuple[str, int]]:
    return [(f.code, f.line) for f in check_source(source, config=Settings(select=select))]


def test_unsuppressed_baseline():
    assert found(layer("self.w = tf.Variable(1.0)")) == [("KC101", 6)]


@pytest.mark.parametrize(
    "comment",
    [
        "# noqa",
        "#noqa",
        "# NOQA",
        "# noqa: KC101",
        "# noqa:KC101",
        "# noqa: kc101",
        "# noqa: KC101, KC302",
        "# noqa: KC302,KC101",
        "# noqa: KC302 KC101",
        "# noqa: KC101 -- legacy checkpoint format",
        "# type: ignore  # noqa: KC101",
        "# noqa : KC101",  # ruff takes a space before the colon too
        "# noqa E501",  # another tool's code without the colon: theirs, a blanket noqa as in flake8
        "# noqa because the weight is restored by hand",  # a blanket noqa and its reason
    ],
)
def test_line_noqa_suppresses(comment):
    assert found(layer(f"self.w = tf.Variable(1.0)  {comment}")) == []


@pytest.mark.parametrize(
    "comment",
    [
        "# noqa: KC302",
        "# noqa: KC1",  # a prefix is not the code
        "# noqa: KC1011",
        "# noqa: E501",
        "# no qa",
        "# not a noqa: KC101",  # a mention in prose is not a directive
        "# noqa KC101",  # no colon: invalid (KC003), never a blanket noqa
        "#noqaKC101",
        "# noqa KC302, E501",
    ],
)
def test_line_noqa_for_another_code_does_not_suppress(comment):
    assert found(layer(f"self.w = tf.Variable(1.0)  {comment}")) == [("KC101", 6)]


def test_noqa_inside_a_string_does_not_count():
    assert found(layer('self.w = tf.Variable(1.0); note = "# noqa"')) == [("KC101", 6)]
    assert found(layer("self.w = tf.Variable(1.0); note = '# noqa: KC101'")) == [("KC101", 6)]


def test_noqa_inside_a_multiline_string_does_not_count():
    source = layer(
        'doc = """',
        '# noqa',
        '"""; self.w = tf.Variable(1.0)',
    )
    assert found(source) == [("KC101", 8)]


def test_a_line_inside_a_multiline_string_takes_the_directive_where_the_string_ends():
    """The finding starts on a line that cannot hold a comment: its directive goes
    where the string ends, as in ruff."""
    source = layer(
        'self.w = tf.Variable(1.0, name="""w',
        '""")  # noqa: KC101',
        'self.v = tf.Variable(1.0, name="""v',
        '""")',
    )
    assert found(source) == [("KC101", 8)]


def test_a_backslash_continued_line_takes_the_directive_of_the_line_it_continues_on():
    source = layer(
        "self.w = \\",
        "    tf.Variable(1.0)  # noqa: KC101",
        "self.v = tf.Variable(1.0) + \\",
        "    0  # noqa: KC101",
    )
    assert found(source) == []


def test_noqa_applies_to_its_own_line_only():
    source = layer(
        "# noqa",
        "self.w = tf.Variable(1.0)",
        "self.v = tf.Variable(2.0)  # noqa: KC101",
        "self.u = tf.Variable(3.0)",
    )
    assert found(source) == [("KC101", 7), ("KC101", 9)]


def test_noqa_on_the_first_line_of_a_multiline_finding():
    source = layer(
        "self.w = tf.Variable(  # noqa: KC101",
        "    1.0,",
        ")",
        "self.v = tf.Variable(",
        "    1.0,",
        ")",
    )
    assert found(source) == [("KC101", 9)]


@pytest.mark.parametrize(
    "directive",
    ["# kerascheck: noqa", "#kerascheck:noqa", "# KERASCHECK: NOQA", "# kerascheck: noqa: KC101"],
)
def test_file_level_noqa(directive):
    source = directive + "\n" + layer("self.w = tf.Variable(1.0)", "self.v = tf.Variable(1.0)")
    assert found(source) == []


def test_file_level_noqa_anywhere_in_the_file():
    source = layer("self.w = tf.Variable(1.0)") + "\n# kerascheck: noqa\n"
    assert found(source) == []


def test_file_level_noqa_with_codes_keeps_the_other_codes(print_rule):
    body = layer("self.w = tf.Variable(1.0)", "print(self.w)")
    assert found(body, ("KC101", "KC991")) == [("KC101", 6), ("KC991", 7)]
    assert found("# kerascheck: noqa: KC101\n" + body, ("KC101", "KC991")) == [("KC991", 8)]
    assert found("# kerascheck: noqa: KC991, KC101\n" + body, ("KC101", "KC991")) == []
    assert found("# kerascheck: noqa\n" + body, ("KC101", "KC991")) == []


def test_line_noqa_with_two_codes_on_a_line_with_two_findings(print_rule):
    body = layer("self.w = tf.Variable(1.0); print(self.w)  # noqa: KC101")
    assert found(body, ("KC101", "KC991")) == [("KC991", 6)]
    body = layer("self.w = tf.Variable(1.0); print(self.w)  # noqa: KC101, KC991")
    assert found(body, ("KC101", "KC991")) == []


def test_a_plain_noqa_is_not_file_wide():
    source = "# noqa\n" + layer("self.w = tf.Variable(1.0)")
    assert found(source) == [("KC101", 7)]


def test_suppressions_parse():
    text = textwrap.dedent(
        """\
        # kerascheck: noqa: KC205
        x = 1  # noqa: KC101,KC102
        y = "# noqa"
        z = 2  # noqa
        """
    )
    parsed = Suppressions.parse(text)
    assert parsed.file_wide == frozenset({"KC205"})
    assert parsed.by_line[2] == frozenset({"KC101", "KC102"})
    assert 3 not in parsed.by_line
    assert parsed.suppresses("KC101", 2) and not parsed.suppresses("KC103", 2)
    assert parsed.suppresses("KC999", 4)
    assert parsed.suppresses("KC205", 3) and not parsed.suppresses("KC101", 3)
    assert suppressions_for("x = 1\n") is None


def test_directives_as_written_and_what_the_noqa_stage_used():
    text = textwrap.dedent(
        """\
        x = 1  # type: ignore  # noqa: KC101, e501 -- reason
        y = 2  # noqa KC101
        z = 3  # noqa
        s = '''
        '''  # noqa: KC102
        """
    )
    parsed = Suppressions.parse(text)
    first = parsed.directives[1]
    assert (first.column, first.codes, first.invalid) == (7, ("KC101", "E501"), False)
    assert first.comment[first.start:first.end] == "# noqa: KC101, e501"
    assert parsed.directives[2].invalid and parsed.directives[2].codes == ("KC101",)
    assert not parsed.suppresses("KC101", 2)
    assert parsed.directives[3].codes == () and not parsed.directives[3].invalid
    assert parsed.noqa_line(4) == 5 and parsed.noqa_line(1) == 1
    assert parsed.suppresses("KC102", 4) and parsed.suppresses("KC101", 1) and parsed.suppresses("KC104", 3)
    assert parsed.used == {(5, "KC102"), (1, "KC101"), (3, "KC104")}


def test_noqa_through_the_cli(tmp_path):
    write(
        tmp_path,
        {
            "quiet.py": "# kerascheck: noqa\n" + layer("self.w = tf.Variable(1.0)"),
            "loud.py": layer("self.w = tf.Variable(1.0)", "self.v = tf.Variable(1.0)  # noqa: KC101"),
        },
    )
    run = run_cli(["--output-format", "concise"], cwd=tmp_path)
    assert run.returncode == 1
    assert [line.split(" ")[0] for line in run.stdout.splitlines()] == ["loud.py:6:18:"]
    assert "Found 1 problem in 1 file" in run.stderr


def test_a_rule_judging_the_directives_that_crashes_takes_nothing_else_down():
    """Rule.judge_suppressions runs after the noqa stage; a bug there is reported as the
    rule's crash, and the other findings stay."""

    class Broken(Rule):
        code = "KC992"
        name = "broken-judge"
        summary = "test rule"

        @classmethod
        def judge_suppressions(cls, noqa, module, enabled, known):
            raise ValueError("boom")

    try:
        source = layer("self.w = tf.Variable(1.0)", "self.v = tf.Variable(1.0)  # noqa: KC101")
        with pytest.warns(RuntimeWarning, match=r"crashed \(broken-judge\): ValueError: boom"):
            found_now = found(source, ("KC101", "KC992"))
        assert found_now == [("KC101", 6)]
    finally:
        REGISTRY.pop("KC992", None)
