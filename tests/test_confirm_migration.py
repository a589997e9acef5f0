"""--confirm for the KC5xx migration rules: the table's introspection probes, run against
the REAL installed Keras (Keras 3 from the test extra; Keras 2 from tf_keras).

Each Keras run is one `kerascheck` process (plus its one confirmation worker), shared
by the tests of a module-scoped fixture. The static process never imports Keras.
"""
import ast
import importlib.util
import json
import os
import re
import textwrap
from importlib.metadata import version

import pytest

from cliutil import run_cli
from kerascheck.confirm.runner import Options, Runner, Summary
from kerascheck.confirm.targets import MIGRATION, flagged_text, migration_member
from kerascheck.finding import Finding
from kerascheck.rules.keras3.table import BY_CODE

needs_keras = pytest.mark.skipif(
    importlib.util.find_spec("tensorflow") is None or importlib.util.find_spec("keras") is None,
    reason="needs TensorFlow and Keras (the test extra)",
)
needs_tf_keras = pytest.mark.skipif(importlib.util.find_spec("tf_keras") is None, reason="needs tf_keras (the test extra)")

# Keras 2 code, flagged under --target-keras 3. Lines are referred to by number below.
SNIPPET = textwrap.dedent(
    """\
    from keras import backend as K
    from keras.engine.topology import Layer
    from keras.optimizers import Adam


    def train(model, generator, x):
        K.set_value(model.optimizer.lr, 0.01)
        K.set_value(model.optimizer.lr, 0.001)
        opt = Adam(lr=0.01)
        model.fit_generator(generator, steps_per_epoch=10)
        return K.sum(x, axis=-1), opt, Layer
    """
)
# (line, code) -> the member its probe looks up ("" for a probe of a fixed expression).
EXPECTED = {
    (2, "KC509"): "keras.engine.topology",
    (7, "KC501"): "set_value",
    (7, "KC503"): "",
    (8, "KC501"): "set_value",
    (8, "KC503"): "",
    (9, "KC502"): "",
    (10, "KC504"): "fit_generator",
    (11, "KC501"): "sum",
}
DISTINCT_PROBES = len({(code, member) for (_, code), member in EXPECTED.items()})  # 6: both set_value lines share one

# `import keras` gives tf_keras, as in an environment where Keras 2 is the installed Keras.
KERAS2_SHIM = textwrap.dedent(
    """\
    import sys

    import tf_keras

    sys.modules[__name__] = tf_keras
    """
)
SUMMARY = re.compile(
    r"Confirmation on Keras (\S+): (\d+) confirmed, (\d+) not reproduced, (\d+) skipped \((.*?) in [\d.]+ s"
)


def _write_snippet(directory) -> str:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "train.py").write_text(SNIPPET, encoding="utf-8")
    return str(directory)


def _confirm_cli(directory: str, *extra: str, env=None) -> dict:
    run = run_cli(["--confirm", "--select", "KC5", "--target-keras", "3", "--output-format", "json",
                   "--isolated", "--no-cache", *extra, "train.py"], cwd=directory, env=env)
    assert run.returncode == 1, run.stderr
    found = SUMMARY.search(run.stderr)
    assert found, run.stderr
    return {
        "findings": {(f["line"], f["code"]): f for f in json.loads(run.stdout)},
        "summary": found.groups(),
        "stderr": run.stderr,
    }


@pytest.fixture(scope="module")
def keras3_run(tmp_path_factory):
    return _confirm_cli(_write_snippet(tmp_path_factory.mktemp("keras3")))


@pytest.fixture(scope="module")
def keras2_directory(tmp_path_factory):
    root = tmp_path_factory.mktemp("keras2")
    shim = root / "shim"
    shim.mkdir()
    (shim / "keras.py").write_text(KERAS2_SHIM, encoding="utf-8")
    return _write_snippet(root / "project"), {"PYTHONPATH": str(shim)}


@pytest.fixture(scope="module")
def keras2_run(keras2_directory):
    directory, env = keras2_directory
    return _confirm_cli(directory, env=env)


# ---- Keras 3: the pitfalls are there -------------------------------------------------------------------
@needs_keras
def test_every_kc5_finding_is_confirmed_with_the_keras_version(keras3_run):
    keras_version = version("keras")
    findings = keras3_run["findings"]
    assert set(findings) == set(EXPECTED)
    for key, finding in findings.items():
        confirmation = finding["confirmation"]
        assert set(confirmation) == {"status", "detail", "keras_version"}
        assert confirmation["status"] == "confirmed", (key, confirmation)
        assert confirmation["keras_version"] == keras_version
        assert f"on Keras {keras_version}, " in confirmation["detail"], confirmation


@needs_keras
def test_details_say_what_was_looked_up(keras3_run):
    detail = {key: f["confirmation"]["detail"] for key, f in keras3_run["findings"].items()}
    assert "`keras.backend.set_value` raises AttributeError: module 'keras.backend' has no attribute 'set_value'" \
        in detail[(7, "KC501")]
    assert "`keras.backend.sum` raises AttributeError" in detail[(11, "KC501")]
    assert "`keras.optimizers.Adam(lr=0.01)` raises ValueError: Argument(s) not recognized" in detail[(9, "KC502")]
    assert "`keras.Sequential().fit_generator` raises AttributeError" in detail[(10, "KC504")]
    assert "`importlib.import_module('keras.engine.topology')` raises ModuleNotFoundError" in detail[(2, "KC509")]
    assert detail[(7, "KC501")] == detail[(8, "KC501")]  # one probe for both


@needs_keras
def test_summary_counts_findings_and_probes_each_pair_once(keras3_run):
    keras_version, confirmed, not_reproduced, skipped, work = keras3_run["summary"]
    assert keras_version == version("keras")
    assert (int(confirmed), int(not_reproduced), int(skipped)) == (len(EXPECTED), 0, 0)
    assert work == f"{DISTINCT_PROBES} migration probes"  # no class built for KC5xx


# ---- Keras 2 installed: the pitfalls do not bite, and the statuses say so ------------------------------
@needs_keras
@needs_tf_keras
def test_keras2_install_is_not_reproduced_and_says_keras2(keras2_run):
    tf_keras_version = version("tf_keras")
    findings = keras2_run["findings"]
    assert set(findings) == set(EXPECTED)
    for (line, code), finding in findings.items():
        confirmation = finding["confirmation"]
        if code == "KC509":  # the probe raises on Keras 2 too (no keras.engine there): it cannot tell
            assert confirmation["status"] == "skipped", confirmation
            assert f"Keras 2 ({tf_keras_version}) is installed" in confirmation["detail"]
            assert confirmation["keras_version"] is None
            continue
        assert confirmation["status"] == "not-reproduced", (line, code, confirmation)
        assert "on the installed Keras 2" in confirmation["detail"] and "about Keras 3" in confirmation["detail"]
        assert confirmation["keras_version"] == tf_keras_version
    assert "`keras.backend.set_value` raises no AttributeError" in findings[(7, "KC501")]["confirmation"]["detail"]
    assert keras2_run["summary"][:4] == (tf_keras_version, "0", str(len(EXPECTED) - 1), "1")


@needs_keras
@needs_tf_keras
def test_confirm_only_drops_the_not_reproduced_ones_like_the_class_probes(keras2_directory, keras2_run):
    directory, env = keras2_directory
    only = _confirm_cli(directory, "--confirm-only", env=env)
    kept = {key for key, f in keras2_run["findings"].items() if f["confirmation"]["status"] != "not-reproduced"}
    assert set(only["findings"]) == kept == {(2, "KC509")}
    assert only["summary"][1:4] == keras2_run["summary"][1:4]  # the dropped ones were probed and counted


# ---- through the API: a probe that does not reproduce on Keras 3, members that cannot be told --------
@needs_keras
def test_runner_not_reproduced_and_skipped(tmp_path):
    source = tmp_path / "mixed.py"
    source.write_text(textwrap.dedent(
        """\
        import keras
        from keras import backend as K


        def loss(y, p):
            return K.epsilon() + K.sum(y - p)


        TABLE = {"name": "value"}
        """
    ), encoding="utf-8")
    path = str(source)
    findings = [
        # A finding on a name Keras 3 keeps (as an over-eager rule would report it): the
        # entry's own probe looks it up and does not reproduce the AttributeError.
        Finding(path, 6, 12, "KC501", "m", end_line=6, end_column=21),
        Finding(path, 6, 26, "KC501", "m", end_line=6, end_column=31),
        # The flagged text names nothing the probe can look up (a string literal).
        Finding(path, 9, 10, "KC501", "m", end_line=9, end_column=16),
        Finding(path, 6, 12, "KC101", "m"),  # a class probe outside any class: skipped without a worker job
    ]
    with Runner(Options(timeout=60)) as runner:
        out = runner.confirm(findings, [path])
    epsilon, total, literal, outside = (f.confirmation for f in out)
    keras_version = version("keras")
    assert (epsilon.status, epsilon.detail, epsilon.keras_version) == (
        "not-reproduced", "`keras.backend.epsilon` raises no AttributeError", keras_version)
    assert total.status == "confirmed" and total.detail.startswith(f"on Keras {keras_version}, `keras.backend.sum`")
    assert literal.status == "skipped" and "cannot tell which Keras name `\"name\"`" in literal.detail
    assert outside.status == "skipped" and "not inside a class" in outside.detail
    summary = runner.summary
    assert (summary.counts["confirmed"], summary.counts["not-reproduced"], summary.counts["skipped"]) == (1, 1, 2)
    assert (summary.probes, summary.classes) == (2, 0)
    assert "2 migration probes in" in summary.line()


# ---- without Keras --------------------------------------------------------------------------------------
def test_without_confirm_no_confirmation_keys(tmp_path):
    directory = _write_snippet(tmp_path)
    run = run_cli(["--select", "KC5", "--target-keras", "3", "--output-format", "json", "--isolated", "--no-cache",
                   "train.py"], cwd=directory)
    assert run.returncode == 1, run.stderr
    findings = json.loads(run.stdout)
    assert {(f["line"], f["code"]) for f in findings} == set(EXPECTED)
    assert not any("confirmation" in f for f in findings)
    assert "Confirmation on" not in run.stderr


def test_every_kc5_code_is_probed_and_no_class_is_built_for_it():
    assert MIGRATION == {code for code in BY_CODE if code.startswith("KC5")}
    from kerascheck.confirm.targets import CONFIRMABLE

    assert not MIGRATION & CONFIRMABLE


@pytest.mark.parametrize(
    "source,line,column,end_column,code,member",
    [
        ("from keras import backend as K\nK.set_value(v, 1)\n", 2, 1, 12, "KC501", "set_value"),
        ("import keras\nkeras.backend.set_value(v, 1)\n", 2, 1, 24, "KC501", "set_value"),
        ("from keras.backend import set_value, sum as ksum\n", 1, 38, 41, "KC501", "sum"),
        ("from keras.layers import core\n", 1, 26, 30, "KC509", "keras.layers.core"),
        ("from tensorflow.keras.utils import np_utils\n", 1, 36, 44, "KC509", "keras.utils.np_utils"),
        ("from tensorflow.keras.layers.core import Dense\n", 1, 6, 34, "KC509", "keras.layers.core"),
        ("import tensorflow as tf\ny = tf.keras.utils.np_utils\n", 2, 5, 28, "KC509", "keras.utils.np_utils"),
        ("from keras import backend as K\nK.tensorflow_backend\n", 2, 1, 21, "KC509", "keras.backend.tensorflow_backend"),
        ("import tensorflow as tf\nl = tf.compat.v1.keras.layers.CuDNNGRU(3)\n", 2, 5, 39, "KC528", "CuDNNGRU"),
        ("model.layers[0].output_shape\n", 1, 1, 29, "KC515", "output_shape"),
        ("opt = Adam(lr=0.01)\n", 1, 12, 19, "KC502", ""),  # a fixed probe: no member
        ("x = 'set_value'\n", 1, 5, 16, "KC501", None),  # no name to look up
        ("import foo as K\nK.engine\n", 2, 1, 9, "KC509", None),  # not a keras module
    ],
)
def test_flagged_name(source, line, column, end_column, code, member):
    assert migration_member(code, ast.parse(source), source, line, column, line, end_column)[0] == member


def test_flagged_text_spans_lines_and_collapses_whitespace():
    text = "x = (K\n     .set_value)(v, 1)\n"
    assert flagged_text(text, 1, 6, 2, 16) == "K .set_value"
    assert flagged_text("K.set_value(v)\n", 1, 1) == "K.set_value"


def test_summary_line_counts_probes_and_classes():
    summary = Summary(keras_version="3.15.1", classes=2, probes=5, seconds=1.0)
    summary.counts.update({"confirmed": 6, "skipped": 1})
    assert summary.line() == ("Confirmation on Keras 3.15.1: 6 confirmed, 0 not reproduced, 1 skipped "
                              "(2 classes, 5 migration probes in 1.0 s).")
    assert "(0 classes in" in Summary().line()



# ==== issue 15: KC405, KC406 (begin) ================================================================
# Class rules whose findings sit in module code: their probe introspects the installed Keras
# like a migration row's. KC406's pitfall bites on Keras 2 too, so a Keras 2 install confirms it.
MODULE_SNIPPET = textwrap.dedent(
    """\
    import keras

    dense = keras.layers.Dense(4, name="block1/dense")
    model = keras.Sequential([keras.layers.Dense(4), keras.layers.Dense(1)])
    features = keras.Model(model.inputs, model.outputs)
    first = model.layers[0].output
    """
)


def _module_cli(directory, env=None) -> dict:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "module.py").write_text(MODULE_SNIPPET, encoding="utf-8")
    run = run_cli(["--confirm", "--select", "KC405,KC406", "--target-keras", "3", "--output-format", "json",
                   "--isolated", "--no-cache", "module.py"], cwd=str(directory), env=env)
    assert run.returncode == 1, run.stderr
    return {(f["line"], f["code"]): f["confirmation"] for f in json.loads(run.stdout)}


@needs_keras
def test_module_code_findings_are_confirmed_on_keras3(tmp_path):
    found = _module_cli(tmp_path / "project")
    assert set(found) == {(3, "KC405"), (5, "KC406"), (6, "KC406")}
    assert all(c["status"] == "confirmed" and c["keras_version"] == version("keras") for c in found.values()), found
    assert "`keras.layers.Dense(1, name='block1/dense')` raises ValueError" in found[(3, "KC405")]["detail"]
    assert "`keras.Sequential([keras.layers.Dense(1)]).inputs[0]` raises AttributeError" in found[(5, "KC406")]["detail"]
    assert "has never been called" in found[(6, "KC406")]["detail"]


@needs_keras
@needs_tf_keras
def test_module_code_findings_on_a_keras2_install(keras2_directory, tmp_path):
    _, env = keras2_directory
    # The shim first, then whatever the run already puts on the path (a worktree's checkout).
    path = os.pathsep.join(filter(None, [env["PYTHONPATH"], os.environ.get("PYTHONPATH")]))
    found = _module_cli(tmp_path / "project", env={"PYTHONPATH": path})
    assert found[(3, "KC405")]["status"] == "not-reproduced"  # Keras 2 accepts the name (measured)
    assert "on the installed Keras 2" in found[(3, "KC405")]["detail"]
    inputs, layer = found[(5, "KC406")], found[(6, "KC406")]
    assert inputs["status"] == "confirmed" and "TypeError: 'NoneType' object is not subscriptable" in inputs["detail"]
    assert layer["status"] == "confirmed" and "has no inbound nodes" in layer["detail"]
    assert inputs["keras_version"] == version("tf_keras")


@pytest.mark.parametrize("text,member", [
    ("model.inputs", "inputs[0]"),
    ("model.outputs", "outputs[0]"),
    ("model.layers[0].output", "layers[0].output"),
    ('model.get_layer("hidden").input', "layers[0].input"),
    ("layer.output", "layers[0].output"),
])
def test_kc406_probes_what_the_finding_reads(text, member):
    source = f"x = {text}\n"
    assert migration_member("KC406", ast.parse(source), source, 1, 5, 1, 5 + len(text))[0] == member
# ==== issue 15: KC405, KC406 (end) ==================================================================
