"""KC501-KC541, table-driven: every entry's page examples, its INVALID/VALID cases, the
Keras-2 project where it must stay quiet, and its fix's golden output."""
import os
import sys
import textwrap

import pytest

sys.path.insert(0, os.path.dirname(__file__))

from kc5_cases import COUNTS, INVALID, VALID  # noqa: E402
from kc5_fixutil import fix_source  # noqa: E402

from kerascheck import check_paths  # noqa: E402
from kerascheck.config import Settings  # noqa: E402
from kerascheck.rules.keras3.table import BY_CODE, ENTRIES  # noqa: E402
from kerascheck.semantic.target import KERAS3_MARKERS, STANDALONE_KERAS_IMPORT, TF_KERAS_USE  # noqa: E402
from kerascheck.rules import all_rules  # noqa: E402
from lintutil import assert_short, lint  # noqa: E402

CODES = [entry.code for entry in ENTRIES]
RULES = all_rules()


def _found(code, snippet, path="snippet.py"):
    return [f for f in lint(snippet, (code,), path=path) if f.code == code]


def test_every_entry_is_a_registered_rule():
    assert CODES == [f"KC5{n:02d}" for n in range(1, 42)]
    for entry in ENTRIES:
        rule = RULES[entry.code]
        assert (rule.name, rule.severity, rule.default, rule.affects) == (
            entry.name, entry.severity, entry.default, entry.affects
        )
    # KC527 is the opt-in heuristic; everything else is on by default.
    assert [entry.code for entry in ENTRIES if not entry.default] == ["KC527"]


def test_every_entry_has_cases():
    assert set(INVALID) == set(CODES)
    assert set(VALID) == set(CODES)


INVALID_CASES = [(code, name, text) for code, cases in INVALID.items() for name, text in cases.items()]
VALID_CASES = [(code, name, text) for code, cases in VALID.items() for name, text in cases.items()]


@pytest.mark.parametrize("code,name,text", INVALID_CASES, ids=[f"{c}-{n}" for c, n, _ in INVALID_CASES])
def test_invalid(code, name, text):
    found = _found(code, text)
    assert len(found) == COUNTS.get((code, name), 1), found
    for finding in found:
        assert "Keras 3" in finding.message  # every message says which Keras it breaks on
    assert_short(found)


@pytest.mark.parametrize("code,name,text", VALID_CASES, ids=[f"{c}-{n}" for c, n, _ in VALID_CASES])
def test_valid(code, name, text):
    assert _found(code, text) == []


@pytest.mark.parametrize("code", CODES)
def test_bad_example_fires_with_keras3_target_and_not_with_keras2(code):
    entry = BY_CODE[code]
    bad = textwrap.dedent(entry.bad)
    assert _found(code, bad)
    quiet = lint(bad, (code,))  # the same through the API, target auto, no pins: Keras 3
    assert quiet
    from kerascheck import check_source

    assert check_source(bad, config=Settings(select=(code,), target_keras="2")) == []
    assert check_source(bad, config=Settings(select=(code,), target_keras="3"))


@pytest.mark.parametrize("code", CODES)
@pytest.mark.parametrize(
    "pin_file,content",
    [
        ("requirements.txt", "numpy\ntensorflow==2.15.0\n"),
        ("pyproject.toml", '[project]\nname = "p"\ndependencies = ["keras<3", "numpy"]\n'),
        ("setup.py", "from setuptools import setup\nsetup(name='p', install_requires=['tf-keras', 'numpy'])\n"),
    ],
)
def test_keras2_pinned_project_is_quiet(project, code, pin_file, content):
    entry = BY_CODE[code]
    root = project({pin_file: content, "train.py": entry.bad})
    result = check_paths([root], Settings(select=(code,), root=root))
    found = [f for f in result.findings if f.code == code]
    keras_package = STANDALONE_KERAS_IMPORT.search(entry.bad) and not TF_KERAS_USE.search(entry.bad)
    if KERAS3_MARKERS.search(entry.bad):
        # The example also uses Keras 3 APIs (keras.ops...): code mid-migration, checked.
        assert found
    elif "tf-keras" in content and keras_package:
        # A tf-keras pin makes tf.keras Keras 2; `import keras` stays Keras 3 (measured).
        assert found
    else:
        assert found == []
    # ... unless the user says the code is meant for Keras 3.
    result = check_paths([root], Settings(select=(code,), root=root, target_keras="3"))
    assert [f for f in result.findings if f.code == code]


@pytest.mark.parametrize("code", [entry.code for entry in ENTRIES if entry.fixed is not None])
def test_fix_golden(code):
    entry = BY_CODE[code]
    fixed, findings, errors = fix_source(entry.bad, [code], unsafe=True)
    assert errors == []
    assert fixed == entry.fixed
    assert [f for f in findings if f.code == code and f.fixable] == []
    again, _, _ = fix_source(fixed, [code], unsafe=True)
    assert again == fixed


@pytest.mark.parametrize("code", [entry.code for entry in ENTRIES if entry.fixed is None])
def test_no_fix_where_the_spec_says_none(code):
    entry = BY_CODE[code]
    fixed, _, errors = fix_source(entry.bad, [code], unsafe=True)
    assert errors == [] and fixed == textwrap.dedent(entry.bad)


@pytest.mark.parametrize("snippet,says,not_says", [
    (  # standalone: the enum itself is gone
        "import keras\nloss = keras.losses.MeanSquaredError(reduction=keras.losses.Reduction.SUM)\n",
        "AttributeError: module 'keras.losses' has no attribute 'Reduction'", "ValueError",
    ),
    (  # the tf.keras shim keeps the enum: only AUTO fails, with a ValueError
        "import tensorflow as tf\nloss = tf.keras.losses.MeanSquaredError(reduction=tf.keras.losses.Reduction.AUTO)\n",
        "ValueError: Invalid value for argument `reduction`", "AttributeError",
    ),
    (
        "import tensorflow as tf\nloss = tf.keras.losses.MeanSquaredError(reduction='auto')\n",
        "ValueError: Invalid value for argument `reduction`", "AttributeError",
    ),
])
def test_kc530_message_follows_the_spelling(snippet, says, not_says):
    found = [f for f in lint(snippet, ("KC530",)) if f.code == "KC530"]
    assert len(found) == 1
    words = found[0].message + " " + found[0].help
    assert says.partition(":")[0] in found[0].message  # the message names the exception, the help quotes it
    assert says in found[0].help and not_says not in words


def test_kc534_quotes_the_super_call_and_its_help_names_the_class_as_keras_does():
    """In a subclass's `super().__init__(fused=...)`, the message quotes the code written
    and the help quotes Keras 3's error, which names the subclass (measured on 3.15.1:
    "Unrecognized keyword arguments passed to TpuBN: {'fused': True}")."""
    [finding] = [f for f in lint(INVALID["KC534"]["fused= passed on by a BatchNormalization subclass"], ("KC534",),
                                 target_keras="3")]
    assert finding.message.startswith("`super().__init__(fused=...)` is rejected by Keras 3")
    assert "passed to TpuBN: {'fused': ...}" in finding.help
