"""A finding's help (the detail its short message leaves out) reaches every output that has
room for it: the full text format's `= help:` line, JSON's `help`, SARIF's
`properties.help`, and the editor's diagnostic (second line); the concise format and the
first line of the full format stay one short line."""
from __future__ import annotations

import io
import json

from kerascheck import check_source
from kerascheck.config import Settings
from kerascheck.report import FORMATS
from kerascheck.results import CheckResult
from kerascheck.server.convert import diagnostic
from kerascheck.server.text import Lines

SOURCE = '''\
import keras
import tensorflow as tf


class Scale(keras.layers.Layer):
    def build(self, input_shape):
        self.w = tf.Variable(1.0)
'''


def _result(directory=None) -> CheckResult:
    """The findings of SOURCE; with a directory, the file is written there first so the
    full format can show its source line."""
    path = "m.py"
    if directory is not None:
        path = str(directory / "m.py")
        (directory / "m.py").write_text(SOURCE)
    findings = check_source(SOURCE, path=path, config=Settings(select=("KC101",)))
    assert [finding.code for finding in findings] == ["KC101"]
    assert findings[0].help
    return CheckResult(findings=findings, files_checked=1)


def _render(name: str, result: CheckResult) -> str:
    out = io.StringIO()
    FORMATS[name](result, out, False)
    return out.getvalue()


def test_the_full_format_shows_the_help_under_the_snippet_and_concise_does_not(tmp_path):
    result = _result(tmp_path)
    [finding] = result.findings
    full = _render("full", result).splitlines()
    assert full[0].endswith(finding.message)
    assert f"  = help: {finding.help}" in full
    source_line = next(i for i, line in enumerate(full) if "self.w = tf.Variable(1.0)" in line)
    assert full.index(f"  = help: {finding.help}") > source_line
    concise = _render("concise", result)
    assert finding.help not in concise and finding.message in concise


def test_json_and_sarif_carry_the_help():
    result = _result()
    [finding] = result.findings
    [record] = json.loads(_render("json", result))
    assert record["help"] == finding.help
    [sarif_result] = json.loads(_render("sarif", result))["runs"][0]["results"]
    assert sarif_result["properties"]["help"] == finding.help
    assert sarif_result["message"]["text"] == finding.message


def test_the_editor_diagnostic_has_the_help_on_its_second_line():
    [finding] = _result().findings
    shown = diagnostic(finding, Lines(SOURCE), "utf-16")
    assert shown.message.split("\n") == [finding.message, finding.help]
