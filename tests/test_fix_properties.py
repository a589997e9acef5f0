"""The "never break a file" promises, checked from the outside on real code and on
generated programs with Keras pitfalls injected:

1. the fixed text parses;
2. every fixed finding is gone (with --unsafe-fixes, no finding with a fix is left);
3. no finding appears that the original did not have;
4. a second --fix changes nothing.

A fix may also be refused: then the text must be exactly the original and a run error
says why. Each check here recomputes the findings itself instead of trusting the fixer.
"""
import ast
import json
import os
import shutil
import textwrap
from collections import Counter

import hypothesmith
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from cliutil import run_cli
from kerascheck import check_source
from kerascheck.api import fix_source

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "fixtures")
GOLDEN_INPUTS = os.path.join(ROOT, "tests", "fix")


def _keys(findings) -> Counter:
    return Counter((finding.code, finding.message) for finding in findings)


def assert_never_breaks(text: str, path: str = "module.py") -> bool:
    """Fix `text` with every default rule and the unsafe fixes; check the promises.
    Returns whether anything was fixed."""
    before = check_source(text, path=path)
    fixed, _left, errors = fix_source(text, path=path, unsafe=True)
    if errors:
        assert fixed == text, "a refused fix must leave the text as it was"
        assert all("not fixed, the file is left as it was" in error.message or error.code for error in errors)
        return False
    if path.endswith(".py"):
        ast.parse(fixed)  # 1
    after = check_source(fixed, path=path)
    fixable = _keys(finding for finding in before if finding.fixable)
    before_keys, after_keys = _keys(before), _keys(after)
    for key, count in after_keys.items():
        assert count <= before_keys[key] - fixable[key], f"{key} after the fix"  # 2 and 3
    assert [finding for finding in after if finding.fixable] == []  # 2
    again, _, errors = fix_source(fixed, path=path, unsafe=True)
    assert errors == [] and again == fixed  # 4
    return fixed != text


def _python_files(top: str) -> list[str]:
    return sorted(
        os.path.relpath(os.path.join(directory, name), ROOT)
        for directory, _, names in os.walk(top)
        for name in names
        if name.endswith(".py") and not name.endswith(".fixed.py")
    )


@pytest.mark.parametrize("relative", _python_files(FIXTURES) + _python_files(GOLDEN_INPUTS))
def test_never_breaks_the_fixtures(relative):
    with open(os.path.join(ROOT, relative), encoding="utf-8") as handle:
        text = handle.read()
    assert_never_breaks(text, os.path.basename(relative))


def test_fixtures_fixed_as_projects(tmp_path):
    """The whole fixtures tree, as projects (cross-file knowledge on), through the CLI."""
    copy = tmp_path / "fixtures"
    shutil.copytree(FIXTURES, copy)
    before = json.loads(run_cli(["--isolated", "--no-cache", "--output-format", "json", "."], cwd=copy).stdout)
    run = run_cli(["--isolated", "--fix", "--unsafe-fixes", "--output-format", "json", "."], cwd=copy)
    assert run.returncode in (0, 1), run.stderr
    after = json.loads(run.stdout)
    assert [finding for finding in after if finding["fixable"]] == []
    fixable = Counter((f["path"], f["code"], f["message"]) for f in before if f["fixable"])
    before_keys = Counter((f["path"], f["code"], f["message"]) for f in before)
    for key, count in Counter((f["path"], f["code"], f["message"]) for f in after).items():
        assert count <= before_keys[key] - fixable[key], key
    assert sum(fixable.values()) >= 13
    for relative in _python_files(str(copy)):
        with open(os.path.join(ROOT, relative), encoding="utf-8") as handle:
            ast.parse(handle.read())
    again = run_cli(["--isolated", "--diff", "--unsafe-fixes", "."], cwd=copy)
    assert (again.returncode, again.stdout) == (0, "")


# ---- generated programs with pitfalls injected ----------------------------------------------------
PITFALLS = [
    """\
    import keras
    import tensorflow as tf

    class Linear(keras.layers.Layer):
        def __init__(self, units):
            super().__init__(self)
            self.units = units

        def build(self, input_shape):
            HOLE
            self.w = self.add_weight("w", shape=(input_shape[-1], self.units))
            self.b = tf.Variable(tf.zeros((self.units,)), trainable=True)
            self.support_masking = True

        def call(self, x, training=True):
            return self.dense.call(x, trainable=False)
    """,
    """\
    import keras
    import tensorflow as tf

    class Block(keras.layers.Layer):
        def __init__(self, **kwargs):
            self.supports_masking = True
            super().__init(**kwrags)

        def build(self, input_shape):
            HOLE
            self.scale = tf.Variable(0.5)

    inputs = keras.Input(shape=3)
    """,
]


def _inject(program: str, pitfall: str, where: str) -> str:
    pitfall = textwrap.dedent(pitfall)
    if where == "inside":
        body = textwrap.indent(program, " " * 12).strip("\n") or "pass"
        return pitfall.replace("HOLE", body.lstrip(), 1)
    pitfall = pitfall.replace("HOLE", "pass")
    program = program if program.endswith("\n") or not program else program + "\n"
    return pitfall + "\n" + program if where == "after" else program + "\n" + pitfall


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(
    program=hypothesmith.from_grammar(),
    pitfall=st.sampled_from(PITFALLS),
    where=st.sampled_from(["before", "after", "inside"]),
)
def test_never_breaks_generated_programs(program, pitfall, where):
    text = _inject(program, pitfall, where)
    try:
        compile(text, "generated.py", "exec")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        assume(False)
    assert_never_breaks(text, "generated.py")


@pytest.mark.parametrize("pitfall", PITFALLS)
@pytest.mark.parametrize("where", ["before", "after", "inside"])
def test_the_injected_pitfalls_are_fixed(pitfall, where):
    """The generated-program test means something: the pitfalls alone are all fixed."""
    text = _inject("x = 1\n", pitfall, where)
    assert assert_never_breaks(text, "generated.py")
    fixed, left, _ = fix_source(text, path="generated.py", unsafe=True)
    assert [finding for finding in left if finding.fixable] == []
    assert "tf.Variable" not in fixed and "add_weight(" in fixed
