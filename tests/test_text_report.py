"""The text report without a subprocess: how a snippet is cut to the terminal width, the
finding's first line, the summary and the statistics (the CLI tests run them for real)."""
from __future__ import annotations

import io

import pytest

from cliutil import KC101_SOURCE
from kerascheck import check_source
from kerascheck.config import Settings
from kerascheck.report import text
from kerascheck.results import CheckResult

LINE = "abcdefghijklmnopqrstuvwxyz" * 4  # 104 characters


@pytest.mark.parametrize(
    "start, length, width, shown, caret_start, caret_length",
    [
        (5, 3, 200, LINE, 5, 3),  # fits: as it is
        (5, 3, 20, LINE[:19] + "…", 5, 3),  # cut at the end
        (5, 90, 20, LINE[:19] + "…", 5, 14),  # the carets stop at the cut
        (18, 3, 20, LINE[:19] + "…", 18, 1),  # the span starts on the last character shown
        (60, 4, 20, "…" + LINE[55:73] + "…", 6, 4),  # past the width: cut around the span
        (100, 4, 20, "…" + LINE[95:], 6, 4),  # near the end: nothing is left out after it
    ],
)
def test_cut_keeps_the_flagged_code_in_view(start, length, width, shown, caret_start, caret_length):
    out, at, carets = text.cut(LINE, start, length, width)
    assert (out, at, carets) == (shown, caret_start, caret_length)
    assert len(out) <= width
    visible = out[at:at + carets].rstrip("…")
    assert visible and LINE[start:start + len(visible)] == visible


def _result(source: str, settings: Settings) -> CheckResult:
    findings = check_source(source, path="m.py", config=settings)
    return CheckResult(findings=findings, files_checked=1)


SAFE_AND_UNSAFE = KC101_SOURCE + '        self.v = self.add_weight("v", shape=())\n'


def test_first_line_and_fix_marker():
    result = _result(SAFE_AND_UNSAFE, Settings(select=("KC101", "KC104")))
    out = io.StringIO()
    text.render_concise(result, out)
    kc101, kc104 = out.getvalue().splitlines()
    assert kc101.startswith("m.py:6:18: KC101 [error] tf.Variable 'w'")
    assert kc104.startswith("m.py:7:34: KC104 [error] [*] the weight's name")
    out = io.StringIO()
    text.render_concise(result, out, unsafe_fixes=True)
    assert out.getvalue().splitlines()[0].startswith("m.py:6:18: KC101 [error] [*] tf.Variable")


def test_summary_lines():
    result = _result(SAFE_AND_UNSAFE, Settings(select=("KC101", "KC104")))
    assert text.summary(result).splitlines() == [
        "Found 2 problems in 1 file (2 errors).",
        "[*] 1 fixable with the `--fix` option (1 hidden fix can be enabled with the `--unsafe-fixes` option).",
    ]
    assert text.summary(result, unsafe_fixes=True).splitlines()[1] == "[*] 2 fixable with the `--fix --unsafe-fixes` options."
    clean = _result("x = 1\n", Settings())
    assert text.summary(clean) == "All checks passed (1 file checked)."


def test_statistics_text_and_rows():
    result = _result(SAFE_AND_UNSAFE + KC101_SOURCE.replace("Scale", "Other"), Settings(select=("KC101", "KC104")))
    assert text.statistics(result) == "    2  KC101  [ ] tf-variable-in-layer\n    1  KC104  [*] add-weight-positional-name\n"
    assert text.statistics(_result(KC101_SOURCE, Settings(select=("KC101",)))) == "    1  KC101  tf-variable-in-layer\n"


def test_use_color(monkeypatch):
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    for name in ("NO_COLOR", "FORCE_COLOR", "TERM"):
        monkeypatch.delenv(name, raising=False)
    assert text.use_color(Terminal()) and not text.use_color(io.StringIO())
    assert text.use_color(io.StringIO(), "always") and not text.use_color(Terminal(), "never")
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert text.use_color(io.StringIO())
    monkeypatch.setenv("NO_COLOR", "1")
    assert not text.use_color(Terminal())
