"""`extend = "../pyproject.toml"`: a configuration inherits another, as ruff's does.
The extending file's settings go on top, patterns stay relative to the file that wrote
them, and a cycle, a missing file or a bad value is a ConfigError naming itself."""
import os

import pytest

from cliutil import write
from kerascheck import check_paths
from kerascheck.config import ConfigError, _rebased, load_settings, settings_from_table

BASE = """\
[tool.kerascheck]
select = ["KC1"]
extend-select = ["KC207"]
ignore = ["KC104"]
extend-keras-bases = ["lib.Base"]
per-file-ignores = { "pkg/tests/*" = ["KC101"] }
extend-exclude = ["pkg/gen/", "scratch/"]
output-format = "concise"
"""


def test_the_extending_file_layers_its_settings_on_the_base(tmp_path):
    write(tmp_path, {
        "pyproject.toml": BASE,
        "pkg/pyproject.toml": '[tool.kerascheck]\nextend = "../pyproject.toml"\nextend-select = ["KC208"]\n'
                              'ignore = ["KC105"]\nextend-keras-bases = ["lib.Other"]\noutput-format = "json"\n',
    })
    settings = load_settings(cwd=str(tmp_path / "pkg"))
    assert settings.source == str(tmp_path / "pkg" / "pyproject.toml")
    assert settings.extends == (str(tmp_path / "pyproject.toml"),)
    assert settings.root == str(tmp_path / "pkg")
    assert settings.select == ("KC1",)
    assert settings.extend_select == ("KC207", "KC208")
    assert settings.ignore == ("KC104", "KC105")
    assert settings.extra_bases == ("lib.Base", "lib.Other")
    assert settings.output_format == "json"
    # The base's patterns, written for the directory above, now said from pkg/.
    assert settings.per_file_ignores == (("/tests/*", ("KC101",)),)
    assert settings.extend_exclude == ("/gen/", "scratch/")


def test_select_in_the_extending_file_replaces_the_base_selection(tmp_path):
    write(tmp_path, {
        "base.toml": 'select = ["KC1"]\nextend-select = ["KC207"]\n',
        "kerascheck.toml": 'extend = "base.toml"\nselect = ["KC2"]\n',
    })
    settings = load_settings(cwd=str(tmp_path))
    assert (settings.select, settings.extend_select) == (("KC2",), ())


def test_a_chain_of_three_files_and_a_kerascheck_toml_base(tmp_path):
    write(tmp_path, {
        "shared/kerascheck.toml": 'ignore = ["KC101"]\n',
        "pyproject.toml": '[tool.kerascheck]\nextend = "shared/kerascheck.toml"\nignore = ["KC102"]\n',
        "app/kerascheck.toml": 'extend = "../pyproject.toml"\nignore = ["KC103"]\n',
    })
    settings = load_settings(cwd=str(tmp_path / "app"))
    assert settings.ignore == ("KC101", "KC102", "KC103")
    assert settings.extends == (str(tmp_path / "pyproject.toml"), str(tmp_path / "shared" / "kerascheck.toml"))


def test_a_pyproject_without_our_table_extends_to_nothing(tmp_path):
    write(tmp_path, {"pyproject.toml": "[project]\nname = 'x'\n", "pkg/kerascheck.toml": 'extend = "../pyproject.toml"\n'})
    assert load_settings(cwd=str(tmp_path / "pkg")).select is None


@pytest.mark.parametrize("files, message", [
    ({"kerascheck.toml": 'extend = "kerascheck.toml"\n'}, "circular 'extend'"),
    ({"kerascheck.toml": 'extend = "b.toml"\n', "b.toml": 'extend = "kerascheck.toml"\n'}, "circular 'extend'"),
    ({"kerascheck.toml": 'extend = "missing.toml"\n'}, "names 'missing.toml', which is not a file"),
    ({"kerascheck.toml": "extend = 3\n"}, "option 'extend' in"),
    ({"kerascheck.toml": 'extend = "b.toml"\n', "b.toml": "select = [\n"}, "b.toml: invalid TOML"),
    ({"kerascheck.toml": 'extend = "b.toml"\n', "b.toml": 'colour = "red"\n'}, "unknown option 'colour' in"),
])
def test_errors_name_themselves(tmp_path, files, message):
    write(tmp_path, files)
    with pytest.raises(ConfigError, match=message.replace("(", r"\(")):
        load_settings(cwd=str(tmp_path))


def test_the_cycle_message_shows_the_chain(tmp_path):
    write(tmp_path, {"kerascheck.toml": 'extend = "b.toml"\n', "b.toml": 'extend = "./kerascheck.toml"\n'})
    with pytest.raises(ConfigError) as raised:
        load_settings(cwd=str(tmp_path))
    first, second = (os.path.realpath(tmp_path / name) for name in ("kerascheck.toml", "b.toml"))
    assert f"{first} -> {second} -> {first}" in str(raised.value)


def test_an_unknown_selector_in_the_base_names_both_files(tmp_path):
    from kerascheck.api import resolve_settings

    write(tmp_path, {"base.toml": 'select = ["KC9"]\n', "kerascheck.toml": 'extend = "base.toml"\n'})
    with pytest.raises(ConfigError, match=r"unknown rule selector 'KC9' \(in .*kerascheck.toml, or .*base.toml which it extends\)"):
        resolve_settings(load_settings(cwd=str(tmp_path)))


def test_settings_from_a_table_extend_relative_to_its_root(tmp_path):
    write(tmp_path, {"base.toml": 'ignore = ["KC101"]\n'})
    assert settings_from_table({"extend": "base.toml"}, root=str(tmp_path)).ignore == ("KC101",)


@pytest.mark.parametrize("pattern, defined_in, root, expected", [
    ("tests/*", "/r", "/r", "tests/*"),
    ("pkg/tests/*", "/r", "/r/pkg", "/tests/*"),
    ("/pkg/gen/", "/r", "/r/pkg", "/gen/"),
    ("other/x.py", "/r", "/r/pkg", None),  # elsewhere in the base's tree
    ("*/tests/*", "/r", "/r/pkg", "/tests/*"),
    ("**/tests/*", "/r", "/r/pkg", "**/tests/*"),
    ("pkg/", "/r", "/r/pkg/sub", "**"),  # names a directory root is in: all of it
    ("build", "/r", "/r/pkg", "build"),  # any depth
    ("pkg", "/r", "/r/pkg/sub", "**"),
    ("*_pb2.py", "/r/sub", "/r", "/sub/**/*_pb2.py"),  # the base is below root
    ("gen/x.py", "/r/sub", "/r", "/sub/gen/x.py"),
    ("!keep.py", "/r/sub", "/r", "!/sub/**/keep.py"),
    ("tests/*", "/r/a", "/r/b", None),  # a sibling: nothing of root is below it
])
def test_patterns_move_to_the_extending_root(pattern, defined_in, root, expected):
    assert _rebased(pattern, defined_in, root) == expected


def test_a_run_applies_the_inherited_ignores_and_excludes(tmp_path):
    layer = "import tensorflow as tf\nimport keras\n\nclass S(keras.layers.Layer):\n    def build(self, s):\n        self.w = tf.Variable(1.0)\n"
    write(tmp_path, {
        "pyproject.toml": BASE,
        "pkg/pyproject.toml": '[tool.kerascheck]\nextend = "../pyproject.toml"\n',
        "pkg/model.py": layer,
        "pkg/tests/test_model.py": layer,
        "pkg/gen/generated.py": layer,
    })
    settings = load_settings(cwd=str(tmp_path / "pkg"))
    found = check_paths([str(tmp_path / "pkg")], settings).findings
    assert [(os.path.basename(f.path), f.code) for f in found] == [("model.py", "KC101")]
