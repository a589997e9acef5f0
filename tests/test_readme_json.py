"""The README's "JSON findings" table is what `--output-format json` writes: every key of
a real report is documented, and every documented key appears, each where the table
says (always, in a notebook, with a fix, with --confirm)."""
import io
import json
import os
import re
import subprocess
import sys

import pytest

from cliutil import KC101_SOURCE, write
from kerascheck import check_paths
from kerascheck.config import Settings
from kerascheck.report import FORMATS
from test_notebooks import notebook

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
START, END = "<!-- json-fields:start -->", "<!-- json-fields:end -->"

# A raw dropout in call() with no training test (KC201): a finding with no fix.
UNGATED = """\
import tensorflow as tf
import keras


class Noisy(keras.layers.Layer):
    def call(self, x):
        return tf.nn.dropout(x, rate=0.5)
"""


def documented() -> dict[str, tuple[str, set]]:
    """key -> (when, the field names its value lists), from the README table."""
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as handle:
        table = handle.read().split(START)[1].split(END)[0]
    rows = {}
    for line in table.strip().splitlines()[2:]:
        key, when, value = (cell.strip() for cell in line.strip("|").split("|"))
        names = {name for name in re.findall(r"`([^`]+)`", value) if re.fullmatch(r"[a-z_]+", name)}
        rows[key.strip("`")] = (when, names)
    return rows


def _always() -> set:
    return {key for key, (when, _) in documented().items() if when == "always"}


def _report(tmp_path) -> list[dict]:
    write(tmp_path, {
        "ungated.py": UNGATED,
        "layer.py": KC101_SOURCE,
        "train.ipynb": notebook(KC101_SOURCE),
    })
    result = check_paths([str(tmp_path)], Settings(select=("KC101", "KC201"), root=str(tmp_path)))
    out = io.StringIO()
    FORMATS["json"](result, out, False)
    return json.loads(out.getvalue())


def test_a_finding_without_a_fix_has_exactly_the_keys_documented_as_always(tmp_path):
    plain = [finding for finding in _report(tmp_path) if finding["code"] == "KC201"]
    assert plain and all(set(finding) == _always() for finding in plain)


def test_a_fixable_finding_adds_the_fix_object_as_documented(tmp_path):
    rows = documented()
    [fixable] = [f for f in _report(tmp_path) if f["code"] == "KC101" and not f["path"].endswith(".ipynb")]
    assert set(fixable) == _always() | {"fix"} and fixable["fixable"] is True
    assert set(fixable["fix"]) == rows["fix"][1]
    edits = fixable["fix"]["edits"]
    assert edits and all(set(edit) == rows["fix.edits[]"][1] - {"cell"} for edit in edits)


def test_a_notebook_finding_adds_its_cell_in_the_finding_and_its_edits(tmp_path):
    rows = documented()
    [in_notebook] = [f for f in _report(tmp_path) if f["path"].endswith(".ipynb")]
    assert set(in_notebook) == _always() | {"cell", "fix"}
    assert all(set(edit) == rows["fix.edits[]"][1] for edit in in_notebook["fix"]["edits"])


def test_every_documented_key_is_accounted_for():
    """The table documents nothing the tests above and below do not check."""
    assert set(documented()) == _always() | {"cell", "fix", "fix.edits[]", "confirmation"}


@pytest.mark.slow
def test_confirm_adds_the_confirmation_as_documented(tmp_path):
    """A real --confirm run (it builds the class with the installed Keras)."""
    write(tmp_path, {"layer.py": KC101_SOURCE})
    run = subprocess.run(
        [sys.executable, "-m", "kerascheck", "--confirm", "--isolated", "--no-cache", "--output-format", "json",
         "--confirm-timeout", "120", "layer.py"],
        cwd=str(tmp_path), capture_output=True, text=True, timeout=900,
    )
    [finding] = json.loads(run.stdout)
    assert set(finding) == _always() | {"fix", "confirmation"}, run.stderr
    assert set(finding["confirmation"]) == documented()["confirmation"][1]
