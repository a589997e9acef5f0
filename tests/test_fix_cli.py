"""`--fix`, `--unsafe-fixes`, `--diff`, `--fix-only` through the installed console script:
what is written, what is printed, the exit codes, the fix in every output format, and
the `fixable`/`unfixable` configuration."""
import json
import os
import re

import jsonschema
import pytest

from cliutil import SARIF_SCHEMA, run_cli, run_python, write


# One safe fix (KC104) and one unsafe fix (KC202).
SOURCE = """\
import keras


class Scale(keras.layers.Layer):
    def build(self, input_shape):
        self.w = self.add_weight("w", shape=(input_shape[-1],))

    def call(self, x, training=True):
        return x * self.w
"""
SAFE_FIXED = SOURCE.replace('add_weight("w"', 'add_weight(name="w"')
ALL_FIXED = SAFE_FIXED.replace("training=True", "training=None")
CLEAN = "import keras\n\nx = keras.Input(shape=(3,))\n"


@pytest.fixture
def project(tmp_path):
    write(tmp_path, {"pkg/model.py": SOURCE, "pkg/clean.py": CLEAN})
    return tmp_path


def _read(root, relative="pkg/model.py") -> str:
    with open(os.path.join(str(root), relative), encoding="utf-8", newline="") as handle:
        return handle.read()


def test_fix_applies_safe_fixes_and_reports_the_rest(project):
    run = run_cli(["--isolated", "--no-cache", "--fix", "--output-format", "concise", "."], cwd=project)
    assert run.returncode == 1  # the unsafe one is left
    assert _read(project) == SAFE_FIXED
    assert run.stdout.splitlines() == [
        "pkg/model.py:8:23: KC202 [error] call() defaults training=True: a plain layer(x) call runs in "
        "training mode"
    ]
    assert run.stderr.splitlines() == [  # ruff's words
        "Found 2 problems in 1 file (1 fixed, 1 remaining: 1 error).",
        "No fixes available (1 hidden fix can be enabled with the `--unsafe-fixes` option).",
    ]
    diff = run_cli(["--isolated", "--diff", "."], cwd=project)
    assert (diff.returncode, diff.stdout) == (0, "")
    assert diff.stderr == "No fixes to make (1 fix available with `--unsafe-fixes`).\n"


def test_unsafe_fixes_and_a_second_run_changes_nothing(project):
    run = run_cli(["--isolated", "--fix", "--unsafe-fixes", "."], cwd=project)
    assert run.returncode == 0, run.stderr
    assert _read(project) == ALL_FIXED
    assert run.stderr.splitlines() == ["Found 2 problems in 1 file (2 fixed, 0 remaining)."]
    again = run_cli(["--isolated", "--fix", "--unsafe-fixes", "."], cwd=project)
    assert again.returncode == 0 and _read(project) == ALL_FIXED
    assert again.stderr.splitlines() == ["All checks passed (2 files checked)."]


def test_check_mode_says_what_is_fixable(project):
    run = run_cli(["--isolated", "--no-cache", "."], cwd=project)
    assert run.returncode == 1 and _read(project) == SOURCE
    assert run.stderr.splitlines() == [
        "Found 2 problems in 1 file (2 errors).",
        "[*] 1 fixable with the `--fix` option (1 hidden fix can be enabled with the `--unsafe-fixes` option).",
    ]
    # each fix is said once: [*] for the one --fix applies, a help line for the unsafe one
    out = run.stdout.splitlines()
    assert out[0].startswith("pkg/model.py:6:34: KC104 [error] [*] the weight's name is passed positionally")
    kc202 = next(number for number, line in enumerate(out) if " KC202 " in line)
    assert out[kc202].startswith("pkg/model.py:8:23: KC202 [error] call() defaults training=True")
    assert out[kc202 + 4].startswith("  = help: its dropout is active")  # the message holds the headline
    assert out[kc202 + 4].endswith("; default to training=None")
    assert out[kc202 + 5:kc202 + 7] == [
        "  = help: --fix --unsafe-fixes applies an unsafe fix (it changes what the code does)", ""
    ]
    assert run.stdout.count("applies an unsafe fix") == 1
    assert "pass the name, and the arguments after it" not in run.stdout


def test_diff_prints_and_writes_nothing(project):
    run = run_cli(["--isolated", "--diff", "."], cwd=project)
    assert run.returncode == 1
    assert _read(project) == SOURCE
    assert run.stdout == (
        "--- a/pkg/model.py\n"
        "+++ b/pkg/model.py\n"
        "@@ -3,7 +3,7 @@\n"
        " \n"
        " class Scale(keras.layers.Layer):\n"
        "     def build(self, input_shape):\n"
        '-        self.w = self.add_weight("w", shape=(input_shape[-1],))\n'
        '+        self.w = self.add_weight(name="w", shape=(input_shape[-1],))\n'
        " \n"
        "     def call(self, x, training=True):\n"
        "         return x * self.w\n"
    )
    assert run.stderr.splitlines() == ["Would fix 1 problem in 1 file (1 additional fix available with `--unsafe-fixes`)."]
    run = run_cli(["--isolated", "--diff", "--unsafe-fixes", "."], cwd=project)
    assert "+    def call(self, x, training=None):" in run.stdout
    assert run.stderr.splitlines() == ["Would fix 2 problems in 1 file."]


def test_diff_to_an_output_file(project):
    run = run_cli(["--isolated", "--diff", "-o", "fix.patch", "."], cwd=project)
    assert run.returncode == 1 and run.stdout == ""
    assert _read(project, "fix.patch").startswith("--- a/pkg/model.py\n+++ b/pkg/model.py\n")
    assert _read(project) == SOURCE


def test_diff_without_fixes_exits_0(tmp_path):
    write(tmp_path, {"clean.py": CLEAN})
    run = run_cli(["--isolated", "--diff", "."], cwd=tmp_path)
    assert (run.returncode, run.stdout, run.stderr) == (0, "", "No fixes to make.\n")


def test_fix_only_reports_nothing_and_exits_0(project):
    run = run_cli(["--isolated", "--fix-only", "."], cwd=project)
    assert run.returncode == 0
    assert run.stdout == ""
    assert _read(project) == SAFE_FIXED
    assert run.stderr.splitlines() == ["Fixed 1 problem in 1 file (1 additional fix available with `--unsafe-fixes`)."]


def test_exit_non_zero_on_fix(project):
    """ruff's --exit-non-zero-on-fix: a run that fixed a file exits 1, even with nothing
    left (--fix) or nothing reported (--fix-only); --exit-zero still wins."""
    run = run_cli(["--isolated", "--fix", "--unsafe-fixes", "--exit-non-zero-on-fix", "."], cwd=project)
    assert run.returncode == 1 and _read(project) == ALL_FIXED and run.stdout == ""
    again = run_cli(["--isolated", "--fix", "--unsafe-fixes", "--exit-non-zero-on-fix", "."], cwd=project)
    assert again.returncode == 0  # nothing to fix any more
    write(project, {"pkg/model.py": SOURCE})
    run = run_cli(["--isolated", "--fix-only", "--exit-non-zero-on-fix", "."], cwd=project)
    assert run.returncode == 1 and _read(project) == SAFE_FIXED
    write(project, {"pkg/model.py": SOURCE})
    run = run_cli(["--isolated", "--fix", "--unsafe-fixes", "--exit-non-zero-on-fix", "--exit-zero", "."], cwd=project)
    assert run.returncode == 0 and _read(project) == ALL_FIXED


def test_unsafe_fixes_alone_changes_no_file_only_the_hints(project):
    """As in ruff: without --fix, --unsafe-fixes only counts the unsafe fixes as fixable."""
    run = run_cli(["--isolated", "--no-cache", "--unsafe-fixes", "--output-format", "concise", "."], cwd=project)
    assert run.returncode == 1 and _read(project) == SOURCE
    assert [line.split(": ", 1)[1].split(" ", 3)[:3] for line in run.stdout.splitlines()] == [
        ["KC104", "[error]", "[*]"], ["KC202", "[error]", "[*]"],
    ]
    assert run.stderr.splitlines()[-1] == "[*] 2 fixable with the `--fix --unsafe-fixes` options."


def test_stdin_fix_prints_the_fixed_source(tmp_path):
    run = run_cli_input(["--isolated", "--fix", "--unsafe-fixes", "--stdin-filename", "model.py"], tmp_path, SOURCE)
    assert run.returncode == 0, run.stderr
    assert run.stdout == ALL_FIXED
    run = run_cli_input(["--isolated", "--fix", "--stdin-filename", "model.py", "--output-format", "concise"], tmp_path, SOURCE)
    assert run.returncode == 1
    assert run.stdout == SAFE_FIXED
    assert "model.py:8:23: KC202 [error] call()" in run.stderr  # the report goes to stderr
    run = run_cli_input(["--isolated", "--diff", "--stdin-filename", "model.py"], tmp_path, SOURCE)
    assert run.returncode == 1 and run.stdout.startswith("--- a/model.py\n+++ b/model.py\n")


def run_cli_input(args, cwd, text):
    import subprocess

    from cliutil import executable

    return subprocess.run([executable(), *args], cwd=str(cwd), input=text, capture_output=True, text=True, timeout=300)


# ---- the fix in every output format ---------------------------------------------------------
def _output(project, fmt) -> str:
    return run_cli(["--isolated", "--no-cache", "--output-format", fmt, "."], cwd=project).stdout


def test_json_has_the_fix(project):
    findings = {f["code"]: f for f in json.loads(_output(project, "json"))}
    safe = findings["KC104"]
    assert safe["fixable"] is True
    assert safe["fix"] == {
        "applicability": "safe",
        "message": "pass the name, and the arguments after it, as keywords",
        "edits": [{"line": 6, "column": 34, "end_line": 6, "end_column": 34, "content": "name="}],
    }
    assert findings["KC202"]["fix"]["applicability"] == "unsafe"
    lines = [json.loads(line) for line in _output(project, "json-lines").splitlines()]
    assert {line["code"]: line["fix"]["applicability"] for line in lines} == {"KC104": "safe", "KC202": "unsafe"}


def test_edits_survive_a_cached_text_run(project):
    """Text formats skip computing the edits; a JSON run after them, from the same
    cache, must not inherit their edit-less fixes."""
    concise = run_cli(["--isolated", "--output-format", "concise", "."], cwd=project)
    assert "KC104 [error] [*]" in concise.stdout
    output = run_cli(["--isolated", "--output-format", "json", "."], cwd=project).stdout
    findings = {f["code"]: f for f in json.loads(output)}
    assert findings["KC104"]["fix"]["edits"] == [
        {"line": 6, "column": 34, "end_line": 6, "end_column": 34, "content": "name="}
    ]


def test_sarif_has_fixes_and_validates(project):
    document = json.loads(_output(project, "sarif"))
    with open(SARIF_SCHEMA, encoding="utf-8") as handle:
        schema = json.load(handle)
    validator = jsonschema.validators.validator_for(schema)
    validator(schema, format_checker=validator.FORMAT_CHECKER).validate(document)
    results = {r["ruleId"]: r for r in document["runs"][0]["results"]}
    [fix] = results["KC104"]["fixes"]
    assert fix["description"]["text"] == "pass the name, and the arguments after it, as keywords"
    assert fix["properties"] == {"applicability": "safe"}
    [change] = fix["artifactChanges"]
    assert change["artifactLocation"] == {"uri": "pkg/model.py", "uriBaseId": "%SRCROOT%"}
    assert change["replacements"] == [{
        "deletedRegion": {"startLine": 6, "startColumn": 34, "endLine": 6, "endColumn": 34},
        "insertedContent": {"text": "name="},
    }]
    assert results["KC202"]["fixes"][0]["properties"] == {"applicability": "unsafe"}


@pytest.mark.parametrize("fmt", ["github", "junit", "gitlab"])
def test_ci_formats_mention_the_fix(project, fmt):
    output = _output(project, fmt)
    assert "(fix: pass the name, and the arguments after it, as keywords, with --fix)" in output
    assert "(fix: default to training=None, with --fix --unsafe-fixes)" in output


# ---- configuration ---------------------------------------------------------------------------
def test_unfixable_in_the_config(project):
    write(project, {"kerascheck.toml": 'unfixable = ["KC104"]\n'})
    findings = {f["code"]: f for f in json.loads(_output_configured(project, "json"))}
    assert findings["KC104"]["fixable"] is False and "fix" not in findings["KC104"]
    run = run_cli(["--fix", "--unsafe-fixes", "."], cwd=project)
    assert _read(project) == SOURCE.replace("training=True", "training=None")
    assert run.returncode == 1


def test_fixable_in_the_config(project):
    write(project, {"pyproject.toml": '[tool.kerascheck]\nfixable = ["KC2"]\n'})
    run_cli(["--fix", "--unsafe-fixes", "."], cwd=project)
    assert _read(project) == SOURCE.replace("training=True", "training=None")


def test_an_unknown_fixable_selector_is_an_error(project):
    write(project, {"kerascheck.toml": 'fixable = ["KC999"]\n'})
    run = run_cli(["--fix", "."], cwd=project)
    assert run.returncode == 2
    assert re.search(r"unknown rule selector 'KC999' \(in .*kerascheck\.toml\)", run.stderr)
    assert _read(project) == SOURCE


def _output_configured(project, fmt) -> str:
    return run_cli(["--no-cache", "--output-format", fmt, "."], cwd=project).stdout


# ---- failures: exit 2, the file untouched ------------------------------------------------------
def test_a_file_that_cannot_be_written_exits_2(project):
    run = run_python(
        """
        import os, sys
        def refuse(*args):
            raise PermissionError(13, "Permission denied")
        os.replace = refuse
        from kerascheck.cli import main
        main(["--isolated", "--fix", "-j", "1", "."])
        """,
        cwd=project,
    )
    assert run.returncode == 2
    assert _read(project) == SOURCE
    assert "kerascheck: error: pkg/model.py: not fixed, the file is left as it was: cannot write it: Permission denied" in run.stderr
    assert sorted(os.listdir(os.path.join(str(project), "pkg"))) == ["clean.py", "model.py"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write a read-only file")
def test_a_read_only_file_exits_2(project):
    path = os.path.join(str(project), "pkg", "model.py")
    os.chmod(path, 0o444)
    run = run_cli(["--isolated", "--fix", "."], cwd=project)
    assert run.returncode == 2 and "the file is read-only" in run.stderr
    assert _read(project) == SOURCE


# ---- --show-fixes (ruff's) ---------------------------------------------------------------------
def test_show_fixes_says_what_each_fix_would_do_in_the_full_format(project):
    run = run_cli(["--isolated", "--no-cache", "--show-fixes", "."], cwd=project)
    assert run.returncode == 1 and _read(project) == SOURCE
    lines = run.stdout.splitlines()
    assert "  = fix (--fix): pass the name, and the arguments after it, as keywords" in lines
    assert "  = fix (unsafe: --fix --unsafe-fixes): default to training=None" in lines
    # the fix is said once: its own line replaces the generic unsafe-fix hint
    assert "applies an unsafe fix" not in run.stdout
    with_unsafe = run_cli(["--isolated", "--no-cache", "--show-fixes", "--unsafe-fixes", "."], cwd=project)
    assert "  = fix (--fix): default to training=None" in with_unsafe.stdout.splitlines()
    plain = run_cli(["--isolated", "--no-cache", "."], cwd=project)
    assert "= fix" not in plain.stdout
    concise = run_cli(["--isolated", "--no-cache", "--show-fixes", "--output-format", "concise", "."], cwd=project)
    assert len(concise.stdout.splitlines()) == 2  # one line per finding, as without it


def test_show_fixes_lists_the_fixes_made_per_file_and_rule(project):
    diff = run_cli(["--isolated", "--show-fixes", "--diff", "."], cwd=project)
    assert _read(project) == SOURCE
    assert diff.stderr.splitlines()[:3] == [
        "Would fix 1 problem:", "- pkg/model.py:", "    1 × KC104 (add-weight-positional-name)"
    ]
    run = run_cli(["--isolated", "--no-cache", "--show-fixes", "--fix", "--unsafe-fixes", "--output-format",
                   "concise", "."], cwd=project)
    assert run.returncode == 0 and _read(project) == ALL_FIXED
    assert run.stderr.splitlines() == [
        "Fixed 2 problems:",
        "- pkg/model.py:",
        "    1 × KC104 (add-weight-positional-name)",
        "    1 × KC202 (training-defaults-true)",
        "Found 2 problems in 1 file (2 fixed, 0 remaining).",
    ]
    again = run_cli(["--isolated", "--no-cache", "--show-fixes", "--fix", "."], cwd=project)
    assert again.stderr.splitlines() == ["All checks passed (2 files checked)."]  # nothing fixed, nothing listed
