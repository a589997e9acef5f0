"""The Python API: kerascheck.check_paths and kerascheck.check_source."""
import dataclasses
import os
import pathlib
import warnings

import libcst as cst
import pytest

import kerascheck
from cliutil import CLEAN_SOURCE, KC101_SOURCE, write
from kerascheck import Finding, RunError, Severity, check_paths, check_source
from kerascheck.config import ConfigError, Settings
from kerascheck.discovery import DiscoveryError
from kerascheck.fix import FixMode
from kerascheck.rules.base import REGISTRY, Rule


def test_public_names():
    for name in ("check_paths", "check_source", "Finding", "RunError", "Severity", "__version__"):
        assert name in kerascheck.__all__ and hasattr(kerascheck, name)


def test_check_source_returns_findings():
    [finding] = check_source(KC101_SOURCE, path="models/scale.py")
    assert isinstance(finding, Finding)
    assert (finding.code, finding.name, finding.severity) == ("KC101", "tf-variable-in-layer", Severity.ERROR)
    assert (finding.path, finding.line, finding.column, finding.end_line, finding.end_column) == (
        "models/scale.py", 6, 18, 6, 34,
    )
    assert finding.message.startswith("tf.Variable 'w' ")
    # tf.Variable(1.0) -> self.add_weight(shape=(), initializer="ones"): an unsafe fix
    assert finding.fixable is True and finding.fix.applicability == "unsafe"
    assert finding.to_dict()["line"] == 6


def test_check_source_clean_and_default_path():
    assert check_source(CLEAN_SOURCE) == []
    [finding] = check_source(KC101_SOURCE)
    assert finding.path.endswith(".py")


def test_check_source_uses_the_given_settings_not_config_files(tmp_path, monkeypatch):
    write(tmp_path, {"pyproject.toml": '[tool.kerascheck]\nignore = ["KC101"]\n'})
    monkeypatch.chdir(tmp_path)
    assert [f.code for f in check_source(KC101_SOURCE)] == ["KC101"]
    assert check_source(KC101_SOURCE, config=Settings(ignore=("KC101",))) == []
    assert check_source(KC101_SOURCE, config=Settings(select=("KC001",))) == []


def test_check_source_syntax_error():
    [finding] = check_source("import keras\nprint 'x'\n")
    assert (finding.code, finding.line) == ("KC001", 2)


def test_check_source_rejects_unknown_selectors():
    with pytest.raises(ConfigError, match="unknown rule selector 'KC9'"):
        check_source(KC101_SOURCE, config=Settings(select=("KC9",)))


def test_check_source_warns_about_a_crashing_rule_and_keeps_the_other_findings():
    class Crashy(Rule):
        code = "KC996"
        name = "crashy"
        summary = "raises"

        def visit_Call(self, node: cst.Call) -> None:
            raise ValueError("broken rule")

    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            findings = check_source(KC101_SOURCE, path="m.py", config=Settings(select=("KC101", "KC996")))
        assert [f.code for f in findings] == ["KC101"]
        [warning] = [w for w in caught if issubclass(w.category, RuntimeWarning)]
        assert "KC996" in str(warning.message) and "broken rule" in str(warning.message)
        assert "m.py" in str(warning.message)
    finally:
        REGISTRY.pop("KC996", None)


def test_check_paths_result(tmp_path, monkeypatch):
    write(tmp_path, {"pkg/a.py": KC101_SOURCE, "pkg/b.py": CLEAN_SOURCE, "pkg/c.py": KC101_SOURCE})
    monkeypatch.chdir(tmp_path)
    result = check_paths(["pkg"])
    assert result.files_checked == 3
    assert result.errors == []
    assert [(f.path, f.line, f.code) for f in result.findings] == [
        (os.path.join("pkg", "a.py"), 6, "KC101"),
        (os.path.join("pkg", "c.py"), 6, "KC101"),
    ]


def test_a_fixing_run_is_fixed_and_never_confirmed(tmp_path):
    """`fix` with confirm on (from the settings, as `confirm = true` in pyproject.toml
    gives it): the file is fixed, and nothing is confirmed, as on the command line
    (fixing never executes the code)."""
    path = tmp_path / "m.py"
    path.write_text('import keras\n\nclass S(keras.layers.Layer):\n    def build(self, s):\n'
                    '        self.w = self.add_weight("w", shape=(3,))\n')
    result = check_paths([str(path)], Settings(root=str(tmp_path), confirm=True), fix=FixMode())
    assert 'add_weight(name="w"' in path.read_text()
    assert [done.fixed for done in result.fixes] == [{"KC104": 1}]
    assert result.findings == [] and result.confirmation is None


def test_check_paths_accepts_one_string_or_path_objects(tmp_path, monkeypatch):
    write(tmp_path, {"src/a.py": KC101_SOURCE})
    monkeypatch.chdir(tmp_path)
    expected = [(os.path.join("src", "a.py"), "KC101")]
    assert [(f.path, f.code) for f in check_paths("src").findings] == expected
    assert [(f.path, f.code) for f in check_paths(pathlib.Path("src")).findings] == expected
    assert [(f.path, f.code) for f in check_paths([pathlib.Path("src") / "a.py"]).findings] == expected


def test_check_paths_defaults_to_the_cwd_and_its_config(tmp_path, monkeypatch):
    write(tmp_path, {"a.py": KC101_SOURCE, "sub/b.py": KC101_SOURCE, "kerascheck.toml": 'extend-exclude = ["sub"]\n'})
    monkeypatch.chdir(tmp_path)
    assert [f.path for f in check_paths().findings] == ["a.py"]


def test_check_paths_paths_outside_the_cwd_stay_absolute(tmp_path, monkeypatch):
    write(tmp_path, {"project/a.py": KC101_SOURCE, "elsewhere/.keep": ""})
    monkeypatch.chdir(tmp_path / "elsewhere")
    [finding] = check_paths([str(tmp_path / "project")], Settings()).findings
    assert finding.path == str(tmp_path / "project" / "a.py")


def test_check_paths_errors(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(DiscoveryError, match="path does not exist: nope"):
        check_paths(["nope"], Settings())
    with pytest.raises(ConfigError):
        check_paths(["."], Settings(ignore=("XYZ",)))


def test_parallel_run_equals_serial_run(tmp_path):
    files = {f"pkg/m{i:02d}.py": KC101_SOURCE if i % 3 else CLEAN_SOURCE for i in range(40)}
    files["pkg/__init__.py"] = ""
    files["pkg/base.py"] = "from tensorflow import keras\n\nclass Base(keras.layers.Layer):\n    pass\n"
    files["pkg/user.py"] = (
        "import tensorflow as tf\nfrom .base import Base\n\nclass U(Base):\n"
        "    def build(self, s):\n        self.v = tf.Variable(1.0)\n"
    )
    write(tmp_path, files)
    serial = check_paths([str(tmp_path)], Settings(root=str(tmp_path)), jobs=1)
    parallel = check_paths([str(tmp_path)], Settings(root=str(tmp_path)), jobs=2)
    assert serial.findings == parallel.findings
    assert [dataclasses.asdict(f) for f in serial.findings] == [dataclasses.asdict(f) for f in parallel.findings]
    assert len(serial.findings) == 27  # 26 files with i % 3 != 0, plus user.py's cross-file base
    assert serial.files_checked == parallel.files_checked == 43


def test_findings_are_sorted_and_hashable(tmp_path):
    write(tmp_path, {"b.py": KC101_SOURCE, "a.py": KC101_SOURCE + KC101_SOURCE.replace("Scale", "Other")})
    findings = check_paths([str(tmp_path)], Settings(root=str(tmp_path)), jobs=1).findings
    keys = [(os.path.basename(f.path), f.line) for f in findings]
    assert keys == [("a.py", 6), ("a.py", 12), ("b.py", 6)]
    assert len(set(findings)) == 3


def test_run_error_string():
    error = RunError("pkg/a.py", "crashed (crashy): ValueError: x", "KC996")
    assert str(error) == "pkg/a.py: rule KC996 crashed (crashy): ValueError: x"
    assert str(RunError("pkg/a.py", "cannot read file: Permission denied")) == (
        "pkg/a.py: cannot read file: Permission denied"
    )


def test_python_warnings_about_the_checked_code_stay_inside():
    """Python's compiler warns about some valid code (an invalid escape, calling an int
    literal): that is the user's business, not something kerascheck should emit."""
    source = 'import keras\npattern = "\\d+"\nx = 1(2) if False else 0\n'
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert check_source(source) == []
    assert [str(w.message) for w in caught] == []
