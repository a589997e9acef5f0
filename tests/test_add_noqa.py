"""`kerascheck --add-noqa` through the real CLI: every finding gets its directive, the
files keep their bytes otherwise (line endings, encoding, notebooks' JSON), and nothing
is written that could break a file."""
import json
import os
import stat

import pytest

from cliutil import KC101_SOURCE, run_cli, write
from test_notebooks import notebook

TWO = """\
import tensorflow as tf
from tensorflow import keras


class Scale(keras.layers.Layer):
    def build(self, input_shape):
        self.w = tf.Variable(1.0)  # noqa: E501
        self.v = tf.Variable(1.0, name=\"\"\"v
\"\"\")
        self.add_weight("u", (2,))
"""


def _read(path) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


def test_adds_a_directive_for_every_finding_then_the_project_is_clean(tmp_path):
    write(tmp_path, {
        "pkg/layer.py": TWO,
        "pkg/clean.py": "import keras\n\nx = keras.layers.Dense(3)\n",
        "train.ipynb": notebook("import tensorflow as tf\nfrom tensorflow import keras",
                                "class S(keras.layers.Layer):\n    def build(self, s):\n        self.w = tf.Variable(1.0)\n"),
    })
    clean_before = _read(tmp_path / "pkg/clean.py")
    run = run_cli(["--isolated", "--add-noqa", "."], cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert run.stderr.strip().splitlines()[-1] == "Added 4 noqa directives."
    assert run.stdout == ""
    assert (tmp_path / "pkg/layer.py").read_text(encoding="utf-8") == """\
import tensorflow as tf
from tensorflow import keras


class Scale(keras.layers.Layer):
    def build(self, input_shape):
        self.w = tf.Variable(1.0)  # noqa: E501, KC101
        self.v = tf.Variable(1.0, name=\"\"\"v
\"\"\")  # noqa: KC101
        self.add_weight("u", (2,))  # noqa: KC104
"""
    assert _read(tmp_path / "pkg/clean.py") == clean_before
    cells = json.loads((tmp_path / "train.ipynb").read_text(encoding="utf-8"))["cells"]
    assert cells[1]["source"][-1] == "        self.w = tf.Variable(1.0)  # noqa: KC101\n"
    check = run_cli(["--isolated", "."], cwd=tmp_path)
    assert check.returncode == 0, check.stdout + check.stderr
    again = run_cli(["--isolated", "--add-noqa", "."], cwd=tmp_path)
    assert again.returncode == 0 and again.stderr.strip().splitlines()[-1] == "Added 0 noqa directives."


def test_keeps_line_endings_and_encoding(tmp_path):
    crlf = KC101_SOURCE.replace("\n", "\r\n").encode("utf-8")
    latin = ("# -*- coding: latin-1 -*-\n# café\n" + KC101_SOURCE).encode("latin-1")
    write(tmp_path, {"crlf.py": crlf, "latin.py": latin})
    run = run_cli(["--isolated", "--add-noqa", "."], cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert "Added 2 noqa directives." in run.stderr
    assert _read(tmp_path / "crlf.py") == crlf.replace(b"tf.Variable(1.0)\r\n", b"tf.Variable(1.0)  # noqa: KC101\r\n")
    assert _read(tmp_path / "latin.py") == latin.replace(b"tf.Variable(1.0)\n", b"tf.Variable(1.0)  # noqa: KC101\n")


def test_respects_select_and_per_file_ignores(tmp_path):
    write(tmp_path, {
        "pyproject.toml": '[tool.kerascheck]\nper-file-ignores = { "ignored.py" = ["KC101"] }\n',
        "ignored.py": KC101_SOURCE,
        "kept.py": KC101_SOURCE,
    })
    run = run_cli(["--add-noqa", "."], cwd=tmp_path)
    assert run.returncode == 0 and "Added 1 noqa directive." in run.stderr
    assert (tmp_path / "ignored.py").read_text(encoding="utf-8") == KC101_SOURCE
    assert "# noqa: KC101" in (tmp_path / "kept.py").read_text(encoding="utf-8")
    assert run_cli(["--add-noqa", "--select", "KC2", "."], cwd=tmp_path).stderr.strip().endswith("Added 0 noqa directives.")


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write a read-only file")
def test_a_file_that_cannot_be_written_is_reported_and_left_whole(tmp_path):
    write(tmp_path, {"locked.py": KC101_SOURCE, "open.py": KC101_SOURCE})
    locked = tmp_path / "locked.py"
    os.chmod(locked, stat.S_IRUSR)
    try:
        run = run_cli(["--isolated", "--add-noqa", "."], cwd=tmp_path)
    finally:
        os.chmod(locked, stat.S_IRUSR | stat.S_IWUSR)
    assert run.returncode == 2
    assert "locked.py: no directive added, the file is left as it was: the file is read-only" in run.stderr
    assert "Added 1 noqa directive." in run.stderr
    assert locked.read_text(encoding="utf-8") == KC101_SOURCE


def test_a_syntax_error_is_left_alone(tmp_path):
    write(tmp_path, {"broken.py": "import keras\nx = (\n"})
    run = run_cli(["--isolated", "--add-noqa", "."], cwd=tmp_path)
    assert run.returncode == 0 and "Added 0 noqa directives." in run.stderr
    assert (tmp_path / "broken.py").read_text(encoding="utf-8") == "import keras\nx = (\n"


def test_does_not_combine_with_fixing_or_stdin(tmp_path):
    write(tmp_path, {"a.py": KC101_SOURCE})
    for extra in (["--fix"], ["--diff"], ["--fix-only"], ["--stdin-filename", "a.py"]):
        run = run_cli(["--isolated", "--add-noqa", *extra], cwd=tmp_path)
        assert run.returncode == 2 and "--add-noqa" in run.stderr and "Traceback" not in run.stderr
    assert (tmp_path / "a.py").read_text(encoding="utf-8") == KC101_SOURCE
