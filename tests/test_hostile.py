"""Nothing a user's tree contains may crash the run, hang it, or make it lie.

Inputs that could take the process down (libcst's native parser overflows the C stack on
deep nesting) are run through the real CLI in a subprocess, so a crash fails the test
instead of killing pytest. Property tests (hypothesis, hypothesmith) check that the
checker never raises on any valid program and that findings do not move when a
reformatting does not change the code.
"""
from __future__ import annotations

import ast
import faulthandler
import os
import random
import re
import signal
import stat
import textwrap
import warnings

import hypothesis
import hypothesmith
import libcst as cst
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, strategies as st

from cliutil import CLEAN_SOURCE, KC101_SOURCE, run_cli, write
from kerascheck import check_paths, check_source, cli, engine
from kerascheck.config import Settings
from kerascheck.request import CheckRequest
from kerascheck.rules.base import REGISTRY, Rule

KC101_BYTES = KC101_SOURCE.encode()
# sampled_from() over the rule pages' examples makes hypothesis warn about a long repr.
pytestmark = pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisWarning")
PROPERTY = hypothesis.settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
)


def lint(root, select=None, jobs=1):
    return check_paths([str(root)], Settings(select=select, root=str(root)), jobs=jobs)


def by_file(result):
    found = {}
    for finding in result.findings:
        found.setdefault(os.path.basename(finding.path), []).append((finding.code, finding.line))
    return found


# ---- bytes no parser should see --------------------------------------------------------------
def test_binary_files_named_py_are_kc001(tmp_path):
    rng = random.Random(6)
    write(tmp_path, {
        "image.py": b"\x89PNG\r\n\x1a\n" + bytes(rng.randrange(256) for _ in range(4096)),
        "zeros.py": b"\x00" * 1000,
        "utf16.py": "import keras\n".encode("utf-16"),
        "good.py": KC101_BYTES,
    })
    result = lint(tmp_path)
    assert result.errors == []
    found = by_file(result)
    assert {name: codes[0][0] for name, codes in found.items()} == {
        "image.py": "KC001", "zeros.py": "KC001", "utf16.py": "KC001", "good.py": "KC101",
    }


def test_form_feeds_and_mixed_whitespace_parse_like_python(tmp_path):
    source = "\f" + KC101_SOURCE.replace("\nclass", "\n\f\nclass").replace("    def build", "\f    def build")
    ast.parse(source)  # Python accepts it
    on_the_line = source.replace("        self.w", "\f        self.w")
    ast.parse(on_the_line)
    write(tmp_path, {"model.py": source, "fed.py": on_the_line})
    result = lint(tmp_path)
    assert result.errors == []
    # columns count the form feed, as Python's own error messages would
    assert sorted((os.path.basename(f.path), f.code, f.line, f.column, f.end_column) for f in result.findings) == [
        ("fed.py", "KC101", 7, 19, 35),
        ("model.py", "KC101", 7, 18, 34),
    ]


@pytest.mark.parametrize("variant", ["CRLF", "CR", "BOM+CRLF"])
def test_line_endings_do_not_move_findings(tmp_path, variant):
    data = {
        "CRLF": KC101_BYTES.replace(b"\n", b"\r\n"),
        "CR": KC101_BYTES.replace(b"\n", b"\r"),
        "BOM+CRLF": b"\xef\xbb\xbf" + KC101_BYTES.replace(b"\n", b"\r\n"),
    }[variant]
    write(tmp_path, {"model.py": data})
    [finding] = lint(tmp_path).findings
    assert (finding.line, finding.column, finding.end_line, finding.end_column) == (6, 18, 6, 34)


PYTHON_2 = {
    "print statement": b"import keras\nprint 'hello'\n",
    "exec statement": b"exec 'x = 1'\n",
    "backticks": b"x = `1`\n",
    "old octal": b"mode = 0777\n",
    "ur prefix": b"s = ur'text'\n",
    "raise with comma": b"raise ValueError, 'bad'\n",
    "long integer": b"n = 10L\n",
    "diamond operator": b"if 1 <> 2:\n    pass\n",
}


@pytest.mark.parametrize("name", PYTHON_2)
def test_python_2_code_is_kc001_never_a_crash(tmp_path, name):
    write(tmp_path, {"legacy.py": PYTHON_2[name], "good.py": KC101_BYTES})
    result = lint(tmp_path)
    assert result.errors == []
    found = by_file(result)
    assert found["legacy.py"][0][0] == "KC001", found
    assert found["good.py"] == [("KC101", 6)]


def _generated(megabytes: float) -> str:
    block = "def f_{n}(x):\n    return [x, {n}, 'text', {{'k': x}}]\n\n"
    size, parts, number = 0, [], 0
    while size < megabytes * 1_000_000:
        part = block.format(n=number)
        parts.append(part)
        size += len(part)
        number += 1
    return "".join(parts)


def test_a_generated_module_of_a_few_megabytes_is_checked_like_any_other(tmp_path):
    """ruff checks files of any size; a 1.5 MB module (~15 s, ~1 GB for libcst) with a
    finding at its very end is checked, and the run exits 1 for that finding alone."""
    write(tmp_path, {"generated.py": KC101_SOURCE + _generated(1.5) + KC101_SOURCE.replace("Scale", "Scale2")})
    run = run_cli(["--isolated", "--no-cache", "--select", "KC101", "--output-format", "concise", "."], cwd=tmp_path)
    assert run.returncode == 1, run.stderr
    assert [line.split(": ")[0] for line in run.stdout.splitlines()] == [
        "generated.py:6:18", f"generated.py:{_lines(KC101_SOURCE + _generated(1.5)) + 6}:18",
    ]
    assert "warning" not in run.stderr


def _lines(text: str) -> int:
    return text.count("\n")


def test_past_five_megabytes_a_file_is_skipped_with_a_warning_not_an_error(tmp_path):
    write(tmp_path, {"generated_pb2.py": "import keras\n" + _generated(5.2), "good.py": KC101_BYTES})
    run = run_cli(["--no-cache", "--output-format", "concise", "."], cwd=tmp_path)
    assert run.returncode == 1, run.stderr  # the finding in good.py, not the big file
    assert "good.py:6:18: KC101" in run.stdout
    [message] = [line for line in run.stderr.splitlines() if "generated_pb2.py" in line]
    assert message.startswith("kerascheck: warning: generated_pb2.py: not checked: 5.2 MB of Python")
    assert "(5 MB)" in message and "extend-exclude" in message
    assert "kerascheck: error" not in run.stderr and "Traceback" not in run.stderr
    before = (tmp_path / "generated_pb2.py").read_bytes()
    run = run_cli(["--fix", "--unsafe-fixes", "--output-format", "concise", "."], cwd=tmp_path)
    assert run.returncode == 0, run.stderr  # good.py fixed, the big file left alone with the warning
    assert (tmp_path / "generated_pb2.py").read_bytes() == before
    assert "kerascheck: warning: generated_pb2.py: not checked" in run.stderr


# Each is far past the point where libcst's parser overflows the C stack of a normal thread
# (about 2,000 levels): most are refused by Python's own parser (KC001), the last three are
# valid Python that kerascheck must check or give up on with one clear line.
DEEP = {
    "parentheses": "x = " + "(" * 100_000 + "1" + ")" * 100_000,
    "lists": "x = " + "[" * 50_000 + "]" * 50_000,
    "unary minus": "x = " + "-" * 100_000 + "1",
    "not chain": "x = " + "not " * 50_000 + "x",
    "subscripts": "x = a" + "[0]" * 50_000,
    "calls": "x = f" + "()" * 50_000,
    "attributes": "x = a" + ".b" * 50_000,
    "additions": "x = " + " + ".join(["1"] * 50_000),
    "powers": "x = " + "**".join(["2"] * 30_000),
    "lambdas": "x = " + "lambda: " * 30_000 + "1",
    "conditional expressions": "x = " + "1 if x else " * 30_000 + "1",
    "elif chain": "if a:\n    pass\n" + "elif a:\n    pass\n" * 30_000,
    "indentation": "".join(" " * depth + "if x:\n" for depth in range(200)) + " " * 200 + "pass",
    "and chain (valid)": "x = " + " and ".join(["a"] * 20_000),
    "comparison chain (valid)": "x = " + " < ".join(["a"] * 20_000),
    "string concatenation (valid)": "x = " + " ".join(['"a"'] * 20_000),
}


def _deep_files():
    files = {f"deep_{number:02d}.py": "import keras\n" + text + "\n" for number, text in enumerate(DEEP.values())}
    files["good.py"] = KC101_SOURCE
    return files


def _assert_each_file_accounted_for(run, files):
    assert run.returncode in (1, 2), (run.returncode, run.stderr[-2000:])  # never -11 (SIGSEGV)
    assert "Traceback" not in run.stderr
    assert "good.py:6:18: KC101" in run.stdout
    for name in files:
        if name == "good.py":
            continue
        text = list(DEEP.values())[int(name[5:7])]
        said = [line for line in (run.stdout + run.stderr).splitlines() if name in line]
        try:
            ast.parse(text)
        except (SyntaxError, RecursionError, MemoryError, ValueError):
            assert len(said) == 1 and "KC001" in said[0], (name, said)  # a clear parse error
        else:
            assert len(said) <= 1, said  # checked, or one clear line saying why not


def test_nesting_past_every_recursion_limit_never_crashes_the_pool(tmp_path):
    files = _deep_files()
    write(tmp_path, files)
    run = run_cli(["--no-cache", "-j", "2", "--output-format", "concise", "."], cwd=tmp_path,
                  env={"KERASCHECK_FILE_TIMEOUT": "5"})
    _assert_each_file_accounted_for(run, files)


def test_valid_but_deep_code_does_not_crash_a_serial_run(tmp_path):
    """Serially, libcst parses in the main process: a stack overflow there is the end."""
    files = {name: text for name, text in _deep_files().items() if name in ("deep_13.py", "good.py")}
    write(tmp_path, files)
    run = run_cli(["--no-cache", "-j", "1", "--output-format", "concise", "."], cwd=tmp_path,
                  env={"KERASCHECK_FILE_TIMEOUT": "5"})
    _assert_each_file_accounted_for(run, files)


def test_a_file_that_takes_too_long_is_skipped_with_one_line(tmp_path):
    # Each statement takes libcst about 0.4 s: three make the check at least twice the budget.
    slow = "import keras\n" + ("x = " + " and ".join(["a"] * 20_000) + "\n") * 3
    write(tmp_path, {"slow.py": slow, "good.py": KC101_SOURCE})
    run = run_cli(["--no-cache", "--output-format", "concise", "."], cwd=tmp_path, env={"KERASCHECK_FILE_TIMEOUT": "0.5"})
    assert run.returncode == 2 and "good.py:6:18: KC101" in run.stdout
    assert "slow.py: took more than 0.5 s to check; skipped" in run.stderr


# ---- files that are not what they seem ------------------------------------------------------
def test_a_fifo_named_like_a_python_file_does_not_hang_the_run(tmp_path):
    write(tmp_path, {"good.py": KC101_BYTES})
    os.mkfifo(tmp_path / "pipe.py")
    run = run_cli(["--no-cache", "--output-format", "concise", "."], cwd=tmp_path)  # walked: skipped
    assert run.returncode == 1 and "good.py:6:18: KC101" in run.stdout
    run = run_cli(["--no-cache", "--output-format", "concise", "pipe.py", "good.py"], cwd=tmp_path)  # named
    assert run.returncode == 2
    assert "pipe.py: cannot read file: not a regular file" in run.stderr
    assert "good.py:6:18: KC101" in run.stdout


def test_an_unreadable_file_is_one_error_and_the_run_goes_on(tmp_path, monkeypatch):
    """Tests run as root, so chmod 000 does not stop reading: refuse it in-process."""
    write(tmp_path, {"secret.py": KC101_BYTES, "good.py": KC101_BYTES})
    real_open = os.open

    def deny(path, flags, *args, **kwargs):
        if os.fspath(path).endswith("secret.py"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(engine.os, "open", deny)
    result = lint(tmp_path)
    assert [(os.path.basename(error.path), error.message) for error in result.errors] == [
        ("secret.py", "cannot read file: Permission denied")
    ]
    assert by_file(result) == {"good.py": [("KC101", 6)]}


def test_symlink_loops(tmp_path):
    write(tmp_path, {"pkg/good.py": KC101_BYTES})
    os.symlink(tmp_path / "pkg", tmp_path / "pkg" / "again")  # a directory that contains itself
    os.symlink(tmp_path / "b.py", tmp_path / "a.py")  # a.py -> b.py -> a.py
    os.symlink(tmp_path / "a.py", tmp_path / "b.py")
    run = run_cli(["--no-cache", "--output-format", "concise", "."], cwd=tmp_path)
    assert run.returncode == 1, run.stderr
    assert run.stdout.count("KC101") == 1
    run = run_cli(["--no-cache", "--output-format", "concise", "a.py", "pkg"], cwd=tmp_path)
    assert run.returncode == 2
    assert "a.py: cannot read file: Too many levels of symbolic links" in run.stderr
    assert run.stdout.count("KC101") == 1


def test_files_deleted_between_discovery_and_reading(tmp_path):
    write(tmp_path, {"gone.py": KC101_BYTES, "good.py": KC101_BYTES})
    files = [str(tmp_path / "gone.py"), str(tmp_path / "good.py")]
    os.remove(files[0])
    result = engine.run(CheckRequest.from_settings(files, Settings(select=("KC101",)), cwd=str(tmp_path), jobs=1))
    assert [(error.path, error.message) for error in result.errors] == [
        ("gone.py", "cannot read file: No such file or directory")
    ]
    assert [(f.path, f.code) for f in result.findings] == [("good.py", "KC101")]


def test_files_deleted_between_the_two_passes(tmp_path, monkeypatch):
    write(tmp_path, {"gone.py": KC101_BYTES, "good.py": KC101_BYTES})
    original = engine.Checker.check

    def delete_first(self, scan):
        if scan.path.endswith("gone.py") and os.path.exists(scan.path):
            os.remove(scan.path)
        return original(self, scan)

    monkeypatch.setattr(engine.Checker, "check", delete_first)
    result = lint(tmp_path)
    assert [error.message for error in result.errors] == ["cannot read file: No such file or directory"]
    assert by_file(result) == {"good.py": [("KC101", 6)]}


def test_a_directory_named_like_a_python_file(tmp_path):
    write(tmp_path, {"models.py/layer.py": KC101_BYTES, "top.py": CLEAN_SOURCE})
    run = run_cli(["--no-cache", "--output-format", "concise", "."], cwd=tmp_path)
    assert run.returncode == 1 and run.stdout.startswith(os.path.join("models.py", "layer.py") + ":6:18: KC101")
    run = run_cli(["--no-cache", "--output-format", "concise", "models.py"], cwd=tmp_path)
    assert run.returncode == 1 and "KC101" in run.stdout and "kerascheck: error" not in run.stderr


# ---- kerascheck's own failures ---------------------------------------------------------------
@pytest.fixture
def temporary_rule():
    """Register rule classes for one test only."""
    added = []

    def register(cls):
        added.append(cls.code)
        return cls

    yield register
    for code in added:
        REGISTRY.pop(code, None)


def test_a_rule_that_raises_is_reported_and_the_run_goes_on(tmp_path, monkeypatch, temporary_rule):
    @temporary_rule
    class Exploding(Rule):
        code = "KC997"
        name = "exploding"
        summary = "raises on every class"

        def visit_ClassDef(self, node):
            raise ZeroDivisionError("division by zero in the rule")

    write(tmp_path, {"a.py": KC101_SOURCE, "b.py": KC101_SOURCE})
    monkeypatch.chdir(tmp_path)
    run = CliRunner().invoke(cli.main, ["--no-cache", "--select", "KC101,KC997", "--output-format", "concise", "."])
    assert run.exit_code == 2
    assert run.stdout.count("KC101") == 2  # the other rule's findings are all there
    errors = [line for line in run.stderr.splitlines() if "KC997" in line]
    assert errors == [
        f"kerascheck: error: {name}: rule KC997 crashed (exploding): ZeroDivisionError: division by zero in the rule"
        for name in ("a.py", "b.py")
    ]


def test_a_worker_that_dies_costs_only_its_file(tmp_path, temporary_rule):
    """A segfault in a worker (libcst's parser on input we failed to foresee) must not
    take the run down: the lost files are retried one per process, the culprit alone is
    reported."""

    @temporary_rule
    class Segfault(Rule):
        code = "KC998"
        name = "segfault"
        summary = "kills its process on boom.py"

        def visit_Module(self, node):
            if self.context.path.endswith("boom.py"):
                faulthandler.disable()  # pytest's handler, inherited, would print a traceback
                os.kill(os.getpid(), signal.SIGSEGV)

    files = {f"m{number:02d}.py": KC101_SOURCE for number in range(20)}
    files["boom.py"] = KC101_SOURCE
    write(tmp_path, files)
    result = engine.run(CheckRequest.from_settings(
        [str(tmp_path / name) for name in sorted(files)], Settings(select=("KC101", "KC998")), cwd=str(tmp_path), jobs=2
    ))
    assert [(error.path, error.message) for error in result.errors] == [
        ("boom.py", "libcst's parser crashed on this file (nesting too deep?); skipped")
    ]
    assert sorted(f.path for f in result.findings) == sorted(name for name in files if name != "boom.py")


# ---- properties ------------------------------------------------------------------------------
def _quiet_check(source: str, path: str = "generated.py"):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        findings = check_source(source, path=path, config=Settings(select=("ALL",)))
    crashes = [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)]
    return findings, crashes


def _comparable(findings, shift_from: int = 10**9, by: int = 0):
    def moved(line):
        return line - by if line >= shift_from + by else line

    return sorted(
        (f.code, moved(f.line), f.column, moved(f.end_line or f.line), f.end_column, re.sub(r"\bline \d+", "line N", f.message))
        for f in findings
    )


def _insert_blank_lines(source: str, seed: int, count: int):
    """`source` with `count` blank lines before one of its top-level statements (a place
    where blank lines never change the code), and that statement's first line."""
    tree = ast.parse(source)
    if not tree.body:
        return source + "\n" * count, 10**9
    statement = random.Random(seed).choice(tree.body)
    line = min([statement.lineno, *(d.lineno for d in getattr(statement, "decorator_list", []))])
    lines = source.split("\n")
    return "\n".join([*lines[: line - 1], *[""] * count, *lines[line - 1:]]), line


def _page_blocks() -> list[str]:
    """The Bad and Good examples of every rule page: realistic Keras code that triggers
    (or carefully does not trigger) each rule."""
    pages = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "rules")
    blocks = []
    for name in sorted(os.listdir(pages)):
        if name.endswith(".md"):
            with open(os.path.join(pages, name), encoding="utf-8") as handle:
                blocks += re.findall(r"```python\n(.*?)```", handle.read(), re.S)
    return [block for block in blocks if _parses(block)]


def _parses(source: str) -> bool:
    try:
        ast.parse(source)
        return True
    except SyntaxError:
        return False


PAGE_BLOCKS = _page_blocks()
keras_programs = st.lists(st.sampled_from(PAGE_BLOCKS), min_size=1, max_size=4).map("\n\n".join)
random_programs = hypothesmith.from_grammar().filter(lambda source: "\0" not in source)
# A random body inside a Keras layer's call(), where the rules look hardest.
KERAS_FRAME = "import keras\nimport tensorflow as tf\n\n\nclass Generated(keras.layers.Layer):\n    def call(self, inputs, training=None):\n{body}\n        return inputs\n"
keras_frames = random_programs.map(
    lambda source: KERAS_FRAME.format(body=textwrap.indent(source.strip("\n") or "pass", " " * 8))
)


@PROPERTY
@given(source=st.one_of(random_programs, keras_programs, keras_frames))
def test_the_checker_never_raises(source):
    findings, crashes = _quiet_check(source)
    assert crashes == []
    for finding in findings:
        assert finding.line >= 1 and finding.column >= 1 and "\n" not in finding.message


@PROPERTY
@given(source=st.one_of(keras_programs, random_programs), seed=st.integers(0, 1000), count=st.integers(1, 5))
def test_blank_lines_move_findings_not_change_them(source, seed, count):
    before, _ = _quiet_check(source)
    spaced, line = _insert_blank_lines(source, seed, count)
    after, _ = _quiet_check(spaced)
    assert _comparable(after, shift_from=line, by=count) == _comparable(before)


@PROPERTY
@given(source=keras_programs)
def test_line_endings_and_a_bom_change_nothing(source):
    before = _comparable(_quiet_check(source)[0])
    assert _comparable(_quiet_check(source.replace("\n", "\r\n"))[0]) == before
    as_read_from_disk = b"\xef\xbb\xbf" + source.replace("\n", "\r\n").encode()
    assert _comparable(_quiet_check(as_read_from_disk)[0]) == before
    assert _comparable(_quiet_check(source.replace("\n", "\r").encode())[0]) == before


def test_property_tests_see_real_findings():
    """The page blocks do trigger the rules, so the properties above are not vacuous."""
    codes = {finding.code for block in PAGE_BLOCKS for finding in _quiet_check(block)[0]}
    assert len(codes) >= 10, codes
