"""KC003 invalid-noqa: `# noqa KC101` without the colon, and the directives that are
fine or belong to other tools."""
import textwrap

from kerascheck.api import fix_source
from kerascheck.config import Settings
from lintutil import Invalid, lint, rule_tests

INVALID = {
    "a space instead of the colon, `import keras`": Invalid("""
        import keras

        layer = keras.layers.Dense(3)  # noqa KC404
    """, message_contains="write `# noqa: KC404`"),
    "nothing between noqa and the code, `from tensorflow import keras`": """
        from tensorflow import keras

        layer = keras.layers.Dense(3)  #noqaKC404
    """,
    "several codes, one of them another tool's, `import tf_keras`": Invalid("""
        import tf_keras

        layer = tf_keras.layers.Dense(3)  # noqa E501, KC404
    """, message_contains="`# noqa: E501, KC404`"),
    "upper-case NOQA, lower-case code, `from keras.layers import Layer`": """
        from keras.layers import Layer

        class Block(Layer):  # NOQA kc301
            pass
    """,
    "after another comment": """
        import keras

        layer = keras.layers.Dense(3)  # type: ignore  # noqa KC404 reason
    """,
}

VALID = {
    "the colon is there": """
        import keras

        layer = keras.layers.Dense(3)  # noqa: KC404
    """,
    "a space before the colon": """
        import keras

        layer = keras.layers.Dense(3)  # noqa : KC404
    """,
    "other tools' codes without the colon (theirs: a blanket noqa)": """
        import keras

        layer = keras.layers.Dense(3)  # noqa E501
    """,
    "a blanket noqa with its reason": """
        import keras

        layer = keras.layers.Dense(3)  # noqa because the layer is built elsewhere
    """,
    "inside a string": """
        import keras

        layer = keras.layers.Dense(3, name="# noqa KC404")
    """,
}

test_triggers, test_does_not_trigger = rule_tests("KC003", INVALID, VALID)

LAYER = """\
import tensorflow as tf
from tensorflow import keras


class Scale(keras.layers.Layer):
    def build(self, input_shape):
        self.w = tf.Variable(1.0){comment}
"""


def test_an_invalid_directive_suppresses_nothing():
    found = [(f.code, f.line) for f in lint(LAYER.format(comment="  # noqa KC101"), ("KC101", "KC003"))]
    assert sorted(found) == [("KC003", 7), ("KC101", 7)]


def test_fix_adds_the_colon_and_the_directive_then_works():
    for written, fixed in (("# noqa KC101", "# noqa: KC101"), ("#noqaKC101", "#noqa: KC101")):
        source = LAYER.format(comment=f"  {written}")
        result, left, errors = fix_source(source, config=Settings(select=("KC101", "KC003")))
        assert errors == [] and left == []
        assert result == LAYER.format(comment=f"  {fixed}")


def test_kc003_is_on_by_default():
    source = textwrap.dedent(LAYER.format(comment="  # noqa KC101"))
    assert "KC003" in {finding.code for finding in lint(source, select=None)}
