"""The installed console script, run as a real subprocess: exit codes, output formats,
the summary, color, statistics, the `rule`/`rules` subcommands, crash reporting, and
the wheel."""
import json
import os
import re
import subprocess
import sys
import zipfile

import pytest

from cliutil import CLEAN_SOURCE, KC101_SOURCE, concise_lines, executable, run_cli, run_python, write
from kerascheck.rules import all_rules

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
JSON_KEYS = {"code", "name", "severity", "path", "line", "column", "end_line", "end_column", "message", "help", "fixable"}
ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture
def two_findings(tmp_path):
    """Two files with one KC101 each, one clean file, all below a sub-folder."""
    write(
        tmp_path,
        {
            "src/a.py": KC101_SOURCE,
            "src/pkg/b.py": KC101_SOURCE.replace("self.w =", "self.kernel ="),
            "src/clean.py": CLEAN_SOURCE,
        },
    )
    return tmp_path


# ---- exit codes -------------------------------------------------------------------------
def test_exit_0_when_clean(tmp_path):
    write(tmp_path, {"clean.py": CLEAN_SOURCE, "other.py": "x = 1\n"})
    run = run_cli(["."], cwd=tmp_path)
    assert run.returncode == 0
    assert run.stdout == ""
    assert run.stderr == "All checks passed (2 files checked).\n"


def test_no_all_clear_when_a_file_could_not_be_checked(tmp_path):
    """A file kerascheck could not read is no "All checks passed": the summary says so."""
    write(tmp_path, {"clean.py": CLEAN_SOURCE})
    os.symlink(tmp_path / "loop.py", tmp_path / "loop.py")
    run = run_cli(["--no-cache", "clean.py", "loop.py"], cwd=tmp_path)
    assert run.returncode == 2
    assert "All checks passed" not in run.stderr
    assert run.stderr.splitlines()[-1] == (
        "No problems found, but 1 file could not be fully checked (see the errors above; 2 files in the run)."
    )


def test_exit_1_with_findings_and_exit_zero(two_findings):
    assert run_cli(["src"], cwd=two_findings).returncode == 1
    run = run_cli(["--exit-zero", "src"], cwd=two_findings)
    assert run.returncode == 0
    assert "KC101" in run.stdout


@pytest.mark.parametrize(
    "args",
    [["missing.py"], ["--select", "NOPE"], ["--output-format", "xml"], ["--no-such-flag"], ["--jobs", "0"]],
)
def test_exit_2_on_usage_errors(two_findings, args):
    run = run_cli(args, cwd=two_findings)
    assert run.returncode == 2
    assert run.stdout == ""
    assert "Traceback" not in run.stderr


def test_no_arguments_lints_the_current_directory(two_findings):
    run = run_cli(["--output-format", "concise"], cwd=two_findings)
    assert [line.split(":")[0] for line in concise_lines(run.stdout)] == ["src/a.py", "src/pkg/b.py"]


def test_explicit_check_subcommand(two_findings):
    run = run_cli(["check", "--output-format", "concise", "src/a.py"], cwd=two_findings)
    assert run.returncode == 1
    assert concise_lines(run.stdout)[0].startswith("src/a.py:6:18: KC101 ")


def test_version_and_help(tmp_path):
    run = run_cli(["--version"], cwd=tmp_path)
    assert run.returncode == 0 and "kerascheck" in run.stdout and re.search(r"\d+\.\d+\.\d+", run.stdout)
    run = run_cli(["--help"], cwd=tmp_path, env={"COLUMNS": "80"})
    assert run.returncode == 0 and "rules" in run.stdout and "check" in run.stdout


def test_help_lists_every_command_uncut(tmp_path):
    """click cuts a command's first sentence to fit the line (`Print the ... (e.g.`); each
    command's short help is whole, wrapped at any width."""
    from kerascheck.cli import main

    for width in ("60", "80", "200"):
        run = run_cli(["--help"], cwd=tmp_path, env={"COLUMNS": width})
        commands = " ".join(run.stdout.split("Commands:", 1)[1].split())
        assert "..." not in commands and "(e.g." not in commands
        for name, command in main.commands.items():
            assert f"{name} {command.short_help}" in commands


# ---- output formats -----------------------------------------------------------------------
def test_concise_format(two_findings):
    run = run_cli(["--output-format", "concise", "src"], cwd=two_findings)
    lines = concise_lines(run.stdout)
    assert len(lines) == 2
    for line, path, attribute, column in zip(lines, ["src/a.py", "src/pkg/b.py"], ["w", "kernel"], [18, 23]):
        assert re.fullmatch(rf"{re.escape(path)}:6:{column}: KC101 \[error\] tf\.Variable '{attribute}' .+", line), line
    # with --unsafe-fixes, --fix would repair them: ruff's [*], and a hint that names both options
    run = run_cli(["--output-format", "concise", "--unsafe-fixes", "src"], cwd=two_findings)
    assert all(" KC101 [error] [*] tf.Variable" in line for line in concise_lines(run.stdout))
    assert run.stderr.splitlines()[-1] == "[*] 2 fixable with the `--fix --unsafe-fixes` options."


def test_full_format_shows_source_and_carets(two_findings):
    run = run_cli(["src/a.py"], cwd=two_findings)
    lines = run.stdout.splitlines()
    assert lines[0].startswith("src/a.py:6:18: KC101 [error] tf.Variable 'w'")
    assert lines[1].strip() == "|"
    assert lines[2] == "6 |         self.w = tf.Variable(1.0)"
    caret_line = lines[3]
    assert caret_line.index("^") == lines[2].index("tf.Variable")
    assert caret_line.count("^") == len("tf.Variable(1.0)")
    # then the finding's help (the detail, the fix to write); the unsafe fix this run does
    # not apply is said once, by the options that apply it
    assert lines[4].startswith("  = help: ") and "self.add_weight" in lines[4]
    assert lines[5:] == ["  = help: --fix --unsafe-fixes applies an unsafe fix (it changes what the code does)", ""]


def test_a_long_source_line_is_cut_to_the_terminal_width(tmp_path):
    """The snippet's source line, not the finding's first line, is cut with an ellipsis
    to the terminal width (COLUMNS here), keeping the carets under the flagged code."""
    padding = "x" * 200
    write(tmp_path, {"m.py": KC101_SOURCE.replace("tf.Variable(1.0)", f"tf.Variable(1.0); {padding} = 1")})
    run = run_cli(["m.py"], cwd=tmp_path, env={"COLUMNS": "60"})
    head, _, shown, carets, *_ = run.stdout.splitlines()
    assert len(head) > 60  # the message is never cut
    assert len(shown) == 60 and shown.endswith("…") and shown.startswith("6 |         self.w = tf.Variable(1.0); xxx")
    assert carets.index("^") == shown.index("tf.Variable") and carets.count("^") == len("tf.Variable(1.0)")
    wide = run_cli(["m.py"], cwd=tmp_path, env={"COLUMNS": "400"}).stdout.splitlines()
    assert wide[2] == f"6 |         self.w = tf.Variable(1.0); {padding} = 1"


def test_full_is_the_default(two_findings):
    assert run_cli(["src"], cwd=two_findings).stdout == run_cli(["--output-format", "full", "src"], cwd=two_findings).stdout


def test_json_format(two_findings):
    run = run_cli(["--output-format", "json", "src"], cwd=two_findings)
    assert run.returncode == 1
    findings = json.loads(run.stdout)
    assert len(findings) == 2
    for finding in findings:
        # `cell` is added only to notebook findings, `fix` only to findings that have one
        assert set(finding) == JSON_KEYS | {"fix"}
    first = findings[0]
    assert first.pop("fix")["applicability"] == "unsafe"
    assert first == {
        "code": "KC101",
        "name": "tf-variable-in-layer",
        "severity": "error",
        "path": "src/a.py",
        "line": 6,
        "column": 18,
        "end_line": 6,
        "end_column": 34,
        "message": first["message"],
        "help": first["help"],
        "fixable": True,
    }
    assert first["message"].startswith("tf.Variable 'w' ")
    assert "self.add_weight" in first["help"]
    assert findings[1]["path"] == "src/pkg/b.py"
    # json is for machines: no summary on stderr
    assert "Found" not in run.stderr


def test_json_with_no_findings_is_an_empty_array(tmp_path):
    write(tmp_path, {"clean.py": CLEAN_SOURCE})
    run = run_cli(["--output-format", "json"], cwd=tmp_path)
    assert run.returncode == 0
    assert json.loads(run.stdout) == []


def test_json_columns_are_one_based(tmp_path):
    write(tmp_path, {"m.py": "import tensorflow as tf\nimport keras\nclass L(keras.Layer):\n  def build(self, s):\n    self.w=tf.Variable(1)\n"})
    [finding] = json.loads(run_cli(["--output-format", "json"], cwd=tmp_path).stdout)
    assert (finding["line"], finding["column"]) == (5, 12)


def test_paths_relative_to_the_cwd_when_below_it(two_findings):
    sub = two_findings / "src"
    run = run_cli(["--output-format", "json", "pkg"], cwd=sub)
    assert [f["path"] for f in json.loads(run.stdout)] == [os.path.join("pkg", "b.py")]
    # given as an absolute path, still shown relative to the cwd
    run = run_cli(["--output-format", "json", str(sub / "a.py")], cwd=sub)
    assert [f["path"] for f in json.loads(run.stdout)] == ["a.py"]
    # outside the cwd: shown absolute
    run = run_cli(["--output-format", "json", str(two_findings / "src" / "a.py")], cwd=sub / "pkg")
    assert [f["path"] for f in json.loads(run.stdout)] == [str(two_findings / "src" / "a.py")]


# ---- summary, statistics, color -------------------------------------------------------------
def test_summary_on_stderr(two_findings):
    """ruff's order: the problems found, then what --fix can do about them."""
    for fmt in ("full", "concise"):
        run = run_cli(["--output-format", fmt, "src"], cwd=two_findings)
        assert run.stderr.splitlines() == [
            "Found 2 problems in 2 files (2 errors).",
            "No fixes available (2 hidden fixes can be enabled with the `--unsafe-fixes` option).",
        ]
        assert "Found" not in run.stdout
    run = run_cli(["src/a.py"], cwd=two_findings)
    assert run.stderr.splitlines() == [
        "Found 1 problem in 1 file (1 error).",
        "No fixes available (1 hidden fix can be enabled with the `--unsafe-fixes` option).",
    ]


def test_statistics(two_findings):
    run = run_cli(["--statistics", "src"], cwd=two_findings)
    assert run.returncode == 1
    assert [line.split() for line in run.stdout.splitlines()] == [["2", "KC101", "tf-variable-in-layer"]]
    assert "Found 2 problems" in run.stderr


def test_statistics_as_json(two_findings):
    """ruff's `--statistics --output-format json`: one object per rule, no summary."""
    run = run_cli(["--statistics", "--output-format", "json", "src"], cwd=two_findings)
    assert run.returncode == 1
    assert json.loads(run.stdout) == [{"code": "KC101", "name": "tf-variable-in-layer", "count": 2, "fixable": False}]
    assert run.stderr == ""
    run = run_cli(["--statistics", "--output-format", "json", "--unsafe-fixes", "src"], cwd=two_findings)
    assert json.loads(run.stdout)[0]["fixable"] is True
    run = run_cli(["--statistics", "--unsafe-fixes", "src"], cwd=two_findings)
    assert [line.split() for line in run.stdout.splitlines()] == [["2", "KC101", "[*]", "tf-variable-in-layer"]]


@pytest.mark.parametrize("fmt", ["sarif", "github", "junit", "gitlab", "json-lines"])
def test_statistics_in_a_format_that_cannot_show_them_is_a_usage_error(two_findings, fmt):
    run = run_cli(["--statistics", "--output-format", fmt, "src"], cwd=two_findings)
    assert (run.returncode, run.stdout) == (2, "")
    assert run.stderr == "kerascheck: error: --statistics prints text or JSON: use it with --output-format full, concise, json\n"


def test_no_color_when_not_a_tty(two_findings):
    run = run_cli(["src"], cwd=two_findings)
    assert not ANSI.search(run.stdout) and not ANSI.search(run.stderr)


def _run_in_pty(args, cwd, env):
    """Run with stdout on a pseudo-terminal; return what the terminal received."""
    import pty

    master, slave = pty.openpty()
    environment = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    environment.update(env)
    process = subprocess.Popen([executable(), *args], cwd=str(cwd), env=environment, stdout=slave, stderr=subprocess.PIPE)
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=300)
    os.close(master)
    return b"".join(chunks).decode()


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pty")
def test_color_on_a_tty_unless_no_color(two_findings):
    colored = _run_in_pty(["src"], two_findings, {})
    assert ANSI.search(colored), colored
    assert "KC101" in ANSI.sub("", colored)
    plain = _run_in_pty(["src"], two_findings, {"NO_COLOR": "1"})
    assert "KC101" in plain and not ANSI.search(plain)
    # no-color.org: an empty NO_COLOR is as if it were not set
    assert ANSI.search(_run_in_pty(["src"], two_findings, {"NO_COLOR": ""}))
    assert not ANSI.search(_run_in_pty(["src"], two_findings, {"TERM": "dumb"}))
    # --color decides over the environment and the terminal
    assert not ANSI.search(_run_in_pty(["--color", "never", "src"], two_findings, {"FORCE_COLOR": "1"}))
    assert ANSI.search(_run_in_pty(["--color", "always", "src"], two_findings, {"NO_COLOR": "1"}))


def test_color_when_piped_only_if_forced(two_findings):
    assert ANSI.search(run_cli(["src"], cwd=two_findings, env={"FORCE_COLOR": "1"}).stdout)
    assert ANSI.search(run_cli(["--color", "always", "src"], cwd=two_findings).stdout)
    assert not ANSI.search(run_cli(["src"], cwd=two_findings, env={"FORCE_COLOR": "1", "NO_COLOR": "1"}).stdout)
    assert not ANSI.search(run_cli(["src"], cwd=two_findings, env={"FORCE_COLOR": ""}).stdout)
    colored = run_cli(["--color", "always", "--output-format", "concise", "src"], cwd=two_findings).stdout
    plain = run_cli(["--output-format", "concise", "src"], cwd=two_findings).stdout
    assert ANSI.sub("", colored) == plain
    assert run_cli(["--color", "sometimes", "src"], cwd=two_findings).returncode == 2


# ---- what is printed: -q, -s, warnings ----------------------------------------------------------
def test_quiet_prints_the_findings_only(two_findings):
    run = run_cli(["-q", "--output-format", "concise", "src"], cwd=two_findings)
    assert run.returncode == 1
    assert len(concise_lines(run.stdout)) == 2 and run.stderr == ""
    assert run_cli(["--quiet", "src"], cwd=two_findings).stderr == ""


def test_silent_prints_nothing_but_errors(two_findings, tmp_path):
    run = run_cli(["-s", "src"], cwd=two_findings)
    assert (run.returncode, run.stdout, run.stderr) == (1, "", "")
    assert run_cli(["--silent", "src/clean.py"], cwd=two_findings).returncode == 0
    os.symlink(two_findings / "loop.py", two_findings / "loop.py")
    run = run_cli(["-s", "--no-cache", "loop.py"], cwd=two_findings)
    assert run.returncode == 2 and run.stderr.startswith("kerascheck: error: loop.py: cannot read file")


def test_a_bad_output_format_variable_is_named(two_findings):
    run = run_cli(["src"], cwd=two_findings, env={"KERASCHECK_OUTPUT_FORMAT": "xml"})
    assert (run.returncode, run.stdout) == (2, "")
    assert run.stderr.startswith("kerascheck: error: KERASCHECK_OUTPUT_FORMAT='xml' is not an output format; use one of full, ")
    run = run_cli(["src"], cwd=two_findings, env={"KERASCHECK_OUTPUT_FORMAT": "json"})
    assert len(json.loads(run.stdout)) == 2
    # the flag wins over the variable, which is then not read
    for value in ("json", "xml"):
        run = run_cli(["--output-format", "concise", "src"], cwd=two_findings, env={"KERASCHECK_OUTPUT_FORMAT": value})
        assert run.returncode == 1 and run.stdout.startswith("src/a.py:6:18: KC101")


# ---- --show-files ------------------------------------------------------------------------------
def test_show_files_lists_what_a_run_would_check(two_findings):
    write(two_findings, {"src/notes.ipynb": "{}", "venv/lib.py": "x = 1\n", "src/data.txt": "x"})
    run = run_cli(["--show-files"], cwd=two_findings)
    assert run.returncode == 0
    assert run.stdout.splitlines() == ["src/a.py", "src/clean.py", "src/notes.ipynb", "src/pkg/b.py"]
    assert run.stderr == ""
    run = run_cli(["--show-files", "--extend-exclude", "pkg", "src"], cwd=two_findings)
    assert run.stdout.splitlines() == ["src/a.py", "src/clean.py", "src/notes.ipynb"]
    run = run_cli(["--show-files", "--force-exclude", "venv/lib.py", "src/a.py"], cwd=two_findings)
    assert run.stdout.splitlines() == ["src/a.py"]
    run = run_cli(["--show-files", "missing/"], cwd=two_findings)
    assert run.returncode == 2 and "path does not exist: missing/" in run.stderr


# ---- rule / rules ---------------------------------------------------------------------------
def test_rule_prints_the_page(tmp_path):
    run = run_cli(["rule", "KC101"], cwd=tmp_path)
    assert run.returncode == 0
    assert run.stdout.startswith("# KC101: tf-variable-in-layer\n")
    for heading in ("## What it does", "## Why is this bad?", "## Bad", "## Good"):
        assert heading in run.stdout
    assert run_cli(["rule", "kc101"], cwd=tmp_path).stdout == run.stdout


def test_rule_unknown_code(tmp_path):
    run = run_cli(["rule", "KC999"], cwd=tmp_path)
    assert run.returncode == 2
    assert run.stderr.splitlines() == ["kerascheck: error: unknown rule 'KC999'; `kerascheck rules` lists them"]


def test_rules_lists_every_rule(tmp_path):
    run = run_cli(["rules"], cwd=tmp_path)
    assert run.returncode == 0
    rules = all_rules()
    lines = run.stdout.splitlines()
    assert [line.split()[0] for line in lines] == list(rules)
    for line, (code, rule) in zip(lines, rules.items()):
        fields = line.split()
        assert fields[1] == rule.name
        assert fields[2] == ("on" if rule.default else "off")
        assert fields[3] == rule.severity.value
        assert line.rstrip().endswith(rule.summary)
    off = [line.split()[0] for line in lines if line.split()[2] == "off"]
    assert set(off) <= {"KC002", "KC207", "KC208", "KC527"}  # the opt-in rules of the catalogs, and unused-noqa


def test_rules_json(tmp_path):
    run = run_cli(["rules", "--output-format", "json"], cwd=tmp_path)
    rows = json.loads(run.stdout)
    rules = all_rules()
    assert [row["code"] for row in rows] == list(rules)
    for row in rows:
        rule = rules[row["code"]]
        assert {"code", "name", "default", "severity", "summary"} <= set(row)
        assert (row["name"], row["default"], row["severity"], row["summary"]) == (
            rule.name, rule.default, rule.severity.value, rule.summary,
        )
        assert isinstance(row["default"], bool) and row["summary"]
        assert row["fix"] == list(rule.fix_safety)
    safety = {row["code"]: row["fix"] for row in rows}
    assert safety["KC104"] == ["safe"] and safety["KC511"] == ["unsafe"] and safety["KC001"] == []


# ---- a rule that crashes ----------------------------------------------------------------------
PLUGIN = """
    import sys
    import libcst as cst
    from kerascheck.finding import Severity
    from kerascheck.rules.base import Rule
    from kerascheck.cli import main

    class Crashy(Rule):
        code = "KC998"
        name = "crashy-rule"
        summary = "raises on boom()"

        def visit_Call(self, node):
            if isinstance(node.func, cst.Name) and node.func.value == "boom":
                raise RuntimeError("kaboom")

    class WarnPrint(Rule):
        code = "KC997"
        name = "warn-print"
        severity = Severity.WARNING
        summary = "warns on print()"

        def visit_Call(self, node):
            if isinstance(node.func, cst.Name) and node.func.value == "print":
                self.report(node, "print() called")

    sys.argv = ["kerascheck", *sys.argv[1:]]
    main()
"""


def test_crashing_rule_is_reported_and_the_run_goes_on(tmp_path):
    write(
        tmp_path,
        {
            "a_crash.py": "import keras\nboom()\nprint('after the crash, same file')\n",
            "b_model.py": KC101_SOURCE,
            "c_more.py": "import keras\nprint(keras)\n",
        },
    )
    run = run_python(PLUGIN, tmp_path, ["--output-format", "concise", "--select", "KC101,KC997,KC998", "."])
    assert run.returncode == 2, run.stderr
    assert "Traceback" not in run.stderr
    [error] = [line for line in run.stderr.splitlines() if "KC998" in line]
    assert "a_crash.py" in error and "crashy-rule" in error and "kaboom" in error
    assert error.startswith("kerascheck: error: ")
    codes = [(line.split(":")[0], line.split()[1]) for line in concise_lines(run.stdout)]
    # the crashed rule's sibling rules still report in the same file, and the other files are checked
    assert codes == [("a_crash.py", "KC997"), ("b_model.py", "KC101"), ("c_more.py", "KC997")]


def test_crash_beats_exit_zero(tmp_path):
    write(tmp_path, {"a.py": "import keras\nboom()\n"})
    run = run_python(PLUGIN, tmp_path, ["--exit-zero", "--select", "KC998", "."])
    assert run.returncode == 2


def test_summary_counts_severities(tmp_path):
    write(tmp_path, {"a.py": "import keras\nprint(1)\nprint(2)\n", "b.py": KC101_SOURCE})
    run = run_python(PLUGIN, tmp_path, ["--select", "KC101,KC997", "."])
    assert run.returncode == 1
    assert run.stderr.splitlines()[-2:] == [
        "Found 3 problems in 2 files (1 error, 2 warnings).",
        "No fixes available (1 hidden fix can be enabled with the `--unsafe-fixes` option).",
    ]
    run = run_python(PLUGIN, tmp_path, ["--statistics", "--select", "KC101,KC997", "."])
    assert [line.split() for line in run.stdout.splitlines()] == [
        ["2", "KC997", "warn-print"],
        ["1", "KC101", "tf-variable-in-layer"],
    ]


# ---- packaging and the no-TensorFlow promise ----------------------------------------------------
def test_static_core_never_imports_tensorflow_or_keras(tmp_path):
    write(tmp_path, {"a.py": KC101_SOURCE, "b.py": "import keras\nfrom tensorflow import keras as k\n"})
    code = """
        import sys
        import kerascheck
        from kerascheck.cli import main  # the CLI module too
        result = kerascheck.check_paths([sys.argv[1]])
        kerascheck.check_source(open(sys.argv[1] + "/a.py").read())
        assert [f.code for f in result.findings] == ["KC101"], result.findings
        heavy = sorted(m for m in sys.modules if m.split(".")[0] in ("tensorflow", "keras", "tf_keras", "jax", "torch"))
        print(heavy)
    """
    run = run_python(code, tmp_path, [str(tmp_path)])
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    run = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", ".", "--no-deps", "--no-build-isolation", "-q", "-w", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr
    [built] = [name for name in os.listdir(out) if name.endswith(".whl")]
    return zipfile.ZipFile(os.path.join(out, built))


def test_wheel_ships_every_rule_page(wheel):
    names = set(wheel.namelist())
    assert "kerascheck/pages/KC101.md" in names
    for code in all_rules():
        assert f"kerascheck/pages/{code}.md" in names, code
    assert wheel.read("kerascheck/pages/KC101.md").decode().startswith("# KC101: ")


def test_wheel_does_not_require_tensorflow(wheel):
    [metadata] = [name for name in wheel.namelist() if name.endswith(".dist-info/METADATA")]
    requires = [line for line in wheel.read(metadata).decode().splitlines() if line.startswith("Requires-Dist:")]
    core = [line for line in requires if "extra ==" not in line]
    assert any("libcst" in line for line in core)
    for line in core:
        assert not re.search(r"tensorflow|keras|torch|jax", line, re.I), line
    [entry_points] = [name for name in wheel.namelist() if name.endswith(".dist-info/entry_points.txt")]
    assert "kerascheck = kerascheck.cli:main" in wheel.read(entry_points).decode()


def test_wheel_works_without_the_source_tree(wheel, tmp_path):
    """Installed from the wheel (unpacked on sys.path, away from the repository), the
    pages come from the package itself."""
    wheel.extractall(tmp_path / "site")
    code = """
        import sys
        sys.path.insert(0, sys.argv[1])
        import kerascheck.pages
        assert kerascheck.pages.__file__.startswith(sys.argv[1]), kerascheck.pages.__file__
        print(kerascheck.pages.page_text("KC101").splitlines()[0])
    """
    run = run_python(code, tmp_path, [str(tmp_path / "site")])
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "# KC101: tf-variable-in-layer"
