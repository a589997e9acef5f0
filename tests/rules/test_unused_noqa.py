"""KC002 unused-noqa: directives whose kerascheck codes silence nothing, and the traps
that must stay quiet (other tools' codes, blanket directives, KC002 itself)."""
import textwrap

from kerascheck import check_paths
from kerascheck.api import fix_source
from kerascheck.config import Settings
from lintutil import Invalid, lint, rule_tests

INVALID = {
    "a code whose rule did not run, `import keras`": Invalid("""
        import keras

        layer = keras.layers.Dense(3)  # noqa: KC101
    """, message_contains="non-enabled: `KC101`"),
    "a code no rule has, `from tensorflow import keras`": Invalid("""
        from tensorflow import keras

        layer = keras.layers.Dense(3)  # noqa: KC999
    """, message_contains="unknown: `KC999`"),
    "a code listed twice, `import tf_keras`": Invalid("""
        import tf_keras

        layer = tf_keras.layers.Dense(3)  # noqa: KC999, KC999
    """, message_contains="duplicated: `KC999`"),
    "lower-case codes, `from keras.layers import Layer`": Invalid("""
        from keras.layers import Layer

        class Block(Layer):  # noqa: kc301
            pass
    """, message_contains="`KC301`"),
    "beside another tool's code": Invalid("""
        import keras

        layer = keras.layers.Dense(3)  # noqa: E501, KC104
    """, message_contains="non-enabled: `KC104`"),
    "after another comment": """
        import keras

        layer = keras.layers.Dense(3)  # type: ignore  # noqa: KC104
    """,
    "a directive alone on its line": """
        import keras

        # noqa: KC104
        layer = keras.layers.Dense(3)
    """,
    "at the end of a multi-line string": """
        import keras

        NOTE = '''
        a note'''  # noqa: KC104
    """,
    "two directives": Invalid("""
        import keras

        a = keras.layers.Dense(3)  # noqa: KC101
        b = keras.layers.Dense(3)  # noqa: KC102
    """, count=2),
}

VALID = {
    "a blanket noqa (shared with the other linters)": """
        import keras

        layer = keras.layers.Dense(3)  # noqa
    """,
    "other tools' codes only": """
        import keras

        layer = keras.layers.Dense(3)  # noqa: E501, F401, PLR0913
    """,
    "a directive naming KC002 itself": """
        import keras

        layer = keras.layers.Dense(3)  # noqa: KC101, KC002
    """,
    "KC002 silenced for the file": """
        # kerascheck: noqa: KC002
        import keras

        layer = keras.layers.Dense(3)  # noqa: KC101
    """,
    "a file-level directive": """
        # kerascheck: noqa: KC101
        import keras

        layer = keras.layers.Dense(3)
    """,
    "`# noqa: KC101` inside a string": """
        import keras

        layer = keras.layers.Dense(3, name="# noqa: KC101")
    """,
    "a mention in prose": """
        import keras

        layer = keras.layers.Dense(3)  # not a noqa: KC101
    """,
    "a directive without its colon (KC003's)": """
        import keras

        layer = keras.layers.Dense(3)  # noqa KC101
    """,
}

test_triggers, test_does_not_trigger = rule_tests("KC002", INVALID, VALID)

LAYER = """\
import tensorflow as tf
from tensorflow import keras


class Scale(keras.layers.Layer):
    def build(self, input_shape):
        self.w = tf.Variable(1.0){comment}
"""


def _codes(source: str, select, target_keras: str = "auto"):
    return [(finding.code, finding.message) for finding in lint(source, select, target_keras=target_keras)]


def test_a_directive_that_silences_its_finding_is_not_reported():
    source = LAYER.format(comment="  # noqa: KC101")
    assert _codes(source, ("KC101", "KC002")) == []


def test_only_the_codes_that_silenced_nothing_are_reported():
    source = LAYER.format(comment="  # noqa: KC104, KC101, E501")
    assert _codes(source, ("KC101", "KC104", "KC002")) == [("KC002", "Unused `noqa` directive (unused: `KC104`)")]


def test_the_kinds_are_named_as_ruff_names_them():
    source = LAYER.format(comment="  # noqa: KC101, KC104, KC207, KC998, KC104")
    assert _codes(source, ("KC101", "KC104", "KC002")) == [(
        "KC002",
        "Unused `noqa` directive (unused: `KC104`; non-enabled: `KC207`; unknown: `KC998`; duplicated: `KC104`)",
    )]


def test_the_help_says_what_each_kind_means():
    source = LAYER.format(comment="  # noqa: KC101, KC104, KC998")
    [finding] = [f for f in lint(source, ("KC101", "KC104", "KC002")) if f.code == "KC002"]
    assert finding.help == (
        "unused: the rule ran and reported nothing on this line; unknown: no kerascheck rule has that code. "
        "Left in place, a code hides the next finding of its rule on this line"
    )


def test_target_aware_a_directive_for_a_finding_this_keras_does_not_have():
    """KC101 bites on Keras 3 only: on a Keras 2 target its directive silences nothing."""
    source = LAYER.format(comment="  # noqa: KC101")
    assert _codes(source, ("KC101", "KC002"), target_keras="3") == []
    found = _codes(source, ("KC101", "KC002"), target_keras="2")
    assert found == [("KC002", "Unused `noqa` directive (unused: `KC101`)")]


def test_the_finding_is_at_the_directive():
    source = LAYER.format(comment="  # noqa: KC104")
    [finding] = lint(source, ("KC101", "KC104", "KC002"), target_keras="2")
    assert (finding.code, finding.line, finding.column) == ("KC002", 7, 36)


def test_a_per_file_ignored_finding_still_uses_its_directive(tmp_path):
    """noqa comes before per-file-ignores: the directive did silence the finding."""
    (tmp_path / "layer.py").write_text(LAYER.format(comment="  # noqa: KC101"), encoding="utf-8")
    settings = Settings(select=("KC101", "KC002"), per_file_ignores=(("layer.py", ("KC101",)),), root=str(tmp_path))
    assert check_paths([str(tmp_path)], settings).findings == []


def test_per_file_ignores_silence_kc002(tmp_path):
    (tmp_path / "layer.py").write_text(LAYER.format(comment="  # noqa: KC104"), encoding="utf-8")
    settings = Settings(select=("KC101", "KC002"), root=str(tmp_path))
    assert [f.code for f in check_paths([str(tmp_path)], settings).findings] == ["KC101", "KC002"]
    ignoring = Settings(select=("KC101", "KC002"), per_file_ignores=(("*.py", ("KC002",)),), root=str(tmp_path))
    assert [f.code for f in check_paths([str(tmp_path)], ignoring).findings] == ["KC101"]


def test_a_file_kerascheck_does_not_check_is_not_judged(tmp_path):
    """A module that never mentions Keras is skipped, its directives with it."""
    (tmp_path / "plain.py").write_text("import numpy as np\n\nx = np.zeros(3)  # noqa: KC101\n", encoding="utf-8")
    (tmp_path / "layer.py").write_text("import keras\n\nx = keras.layers.Dense(3)  # noqa: KC101\n", encoding="utf-8")
    found = check_paths([str(tmp_path)], Settings(select=("KC002",), root=str(tmp_path))).findings
    assert [(f.path.rpartition("/")[2], f.code) for f in found] == [("layer.py", "KC002")]


def _fixed(code: str, select=("KC101", "KC002")) -> str:
    fixed, left, errors = fix_source(textwrap.dedent(code), config=Settings(select=select))
    assert errors == []
    assert "KC002" not in {finding.code for finding in left}
    return fixed


def test_fix_keeps_the_used_and_foreign_codes():
    source = LAYER.format(comment="  # noqa: KC104, KC101, E501 -- legacy checkpoints")
    assert _fixed(source) == LAYER.format(comment="  # noqa: KC101, E501 -- legacy checkpoints")


def test_fix_removes_a_directive_left_with_nothing():
    assert _fixed("""\
        import keras

        a = keras.layers.Dense(3)  # noqa: KC104
        b = keras.layers.Dense(3)  # noqa: KC104 -- the reason goes with it
        c = keras.layers.Dense(3)  # noqa: KC104  # type: ignore
        d = keras.layers.Dense(3)  # type: ignore  # noqa: KC104
        # noqa: KC104
        e = keras.layers.Dense(3)
    """) == textwrap.dedent("""\
        import keras

        a = keras.layers.Dense(3)
        b = keras.layers.Dense(3)
        c = keras.layers.Dense(3)  # type: ignore
        d = keras.layers.Dense(3)  # type: ignore
        e = keras.layers.Dense(3)
    """)


def test_fix_inside_brackets_and_at_the_end_of_a_multiline_string():
    assert _fixed('''\
        import keras

        layer = keras.layers.Dense(  # noqa: KC104
            3,  # noqa: KC101, E501
        )
        NOTE = """
        text"""  # noqa: KC104
    ''') == textwrap.dedent('''\
        import keras

        layer = keras.layers.Dense(
            3,  # noqa: E501
        )
        NOTE = """
        text"""
    ''')


def test_fix_in_a_notebook():
    import json

    notebook = json.dumps({
        "cells": [
            {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
             "source": ["import keras\n", "layer = keras.layers.Dense(3)  # noqa: KC104\n"]},
        ],
        "metadata": {"kernelspec": {"language": "python", "name": "python3"}},
        "nbformat": 4, "nbformat_minor": 5,
    })
    fixed, left, errors = fix_source(notebook, path="demo.ipynb", config=Settings(select=("KC002",)))
    assert errors == [] and left == []
    assert json.loads(fixed)["cells"][0]["source"] == ["import keras\n", "layer = keras.layers.Dense(3)\n"]
