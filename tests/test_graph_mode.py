"""TensorFlow 1 pins: Keras there runs in graph mode, which calls call() once to build a
graph. The rules whose findings depend on how TensorFlow 2 runs call() (eagerly, or
traced by tf.function in fit(): KC103, KC211) were not measured there, so they say
nothing in such a project, and report the same code pinned to TensorFlow 2. (KC212, about
tf.function, reports only on Keras 3.)"""
import pytest

from kerascheck.api import check_paths
from kerascheck.config import Settings
from kerascheck.pages import page_text, section
from kerascheck.rules import all_rules
from kerascheck.semantic.target import verdict_of

# A positive of each rule that depends on TensorFlow 2's execution of call().
MODEL = '''\
import numpy as np
import tensorflow as tf
from tensorflow import keras


class Counter(keras.layers.Layer):
    def call(self, inputs):
        seen = tf.Variable(0.0)
        return inputs + seen


class Center(keras.layers.Layer):
    def call(self, inputs):
        return inputs - np.mean(inputs)
'''
EXECUTION_RULES = {"KC103", "KC211"}


def _codes(project, requirements: str) -> set:
    root = project({"requirements.txt": requirements, "model.py": MODEL})
    findings = check_paths([root], config=Settings(select=tuple(sorted(EXECUTION_RULES)))).findings
    return {finding.code for finding in findings}


def test_the_rules_report_on_tensorflow2(project):
    assert _codes(project, "tensorflow==2.4.1\n") == EXECUTION_RULES


@pytest.mark.parametrize("requirements", ["tensorflow==1.15.0\nKeras==2.3.1\n", "tensorflow-gpu<2\n", "keras==2.2.4\n"])
def test_tensorflow1_pins_silence_them(project, requirements):
    assert _codes(project, requirements) == set()


def test_exactly_these_rules_depend_on_tensorflow2_execution():
    flagged = {code for code, rule in all_rules().items() if rule.measured_on_tensorflow2_only}
    assert flagged == EXECUTION_RULES


@pytest.mark.parametrize(
    "requirements, graph_mode",
    [
        (["tensorflow==1.15.0"], True),
        (["tensorflow-gpu<2"], True),
        (["tensorflow>=1.13,<2.0"], True),
        (["keras==2.2.4"], True),  # multi-backend keras before 2.3 predates TensorFlow 2
        (["keras==2.3.1"], False),  # keras 2.3 runs on TensorFlow 2.0 as well
        (["tensorflow==2.0.0"], False),
        (["tensorflow==2.4.1", "numpy<2"], False),
    ],
)
def test_graph_mode_is_read_from_the_pins(requirements, graph_mode):
    assert verdict_of(requirements, "requirements.txt").graph_mode is graph_mode


@pytest.mark.parametrize("code", sorted(EXECUTION_RULES))
def test_the_page_says_the_rule_is_silent_on_tensorflow1(code):
    body = section(page_text(code), "Affects")
    assert "TensorFlow 1" in body and "says nothing" in body
