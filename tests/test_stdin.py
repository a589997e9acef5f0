"""`--stdin-filename PATH` (or `-`): an editor pipes an unsaved buffer; it is linted as PATH,
with the project around PATH informing the index."""
from __future__ import annotations

import json
import os
import subprocess

from cliutil import CLEAN_SOURCE, KC101_SOURCE, executable, write
from kerascheck.api import check_stdin
from kerascheck.config import Settings

SUBCLASS = """\
import tensorflow as tf
from pkg.base import Base

class Scale(Base):
    def build(self, input_shape):
        self.w = tf.Variable(1.0)
"""


def pipe(cwd, args, data: bytes):
    environment = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "KERASCHECK_OUTPUT_FORMAT")}
    return subprocess.run([executable(), *args], cwd=str(cwd), input=data, capture_output=True, env=environment, timeout=300)


def project(tmp_path):
    write(tmp_path, {
        "pkg/__init__.py": "",
        "pkg/base.py": "from tensorflow import keras\n\nclass Base(keras.layers.Layer):\n    pass\n",
        "pkg/model.py": "x = 1\n",  # the saved file is clean; the buffer is not
    })
    return tmp_path


def test_buffer_is_linted_as_the_named_file(tmp_path):
    project(tmp_path)
    run = pipe(tmp_path, ["--isolated", "--output-format", "concise", "--stdin-filename", "pkg/model.py"],
               SUBCLASS.encode())
    assert run.returncode == 1, run.stderr
    assert run.stdout.decode().startswith("pkg/model.py:6:18: KC101")


def test_dash_and_a_file_that_does_not_exist_yet(tmp_path):
    project(tmp_path)
    run = pipe(tmp_path, ["--isolated", "--output-format", "json", "--stdin-filename", "pkg/new.py", "-"],
               SUBCLASS.encode())
    assert [(f["path"], f["code"]) for f in json.loads(run.stdout)] == [("pkg/new.py", "KC101")]


def test_dash_alone_reads_stdin_as_ruff_does(tmp_path):
    """`kerascheck -`: stdin, reported as `-`, without --stdin-filename."""
    run = pipe(tmp_path, ["--isolated", "--output-format", "concise", "-"], KC101_SOURCE.encode())
    assert run.returncode == 1, run.stderr
    assert run.stdout.decode().startswith("-:6:18: KC101 [error] tf.Variable")
    run = pipe(tmp_path, ["--isolated", "-"], CLEAN_SOURCE.encode())
    assert run.returncode == 0 and run.stderr == b"All checks passed (1 file checked).\n"
    run = pipe(tmp_path, ["--isolated", "--fix", "-"], b"import keras\nx = keras.layers.Dense(2, input_shape=(3))\n")
    assert run.stdout == b"import keras\nx = keras.layers.Dense(2, input_shape=(3,))\n"
    run = pipe(tmp_path, ["--isolated", "--show-files", "-"], b"")
    assert run.stdout == b"-\n"


def test_clean_buffer(tmp_path):
    run = pipe(tmp_path, ["--isolated", "--stdin-filename", "m.py"], CLEAN_SOURCE.encode())
    assert run.returncode == 0 and b"1 file checked" in run.stderr


def test_per_file_ignores_match_the_name(tmp_path):
    write(tmp_path, {"kerascheck.toml": 'per-file-ignores = { "legacy/*" = ["KC101"] }\n'})
    run = pipe(tmp_path, ["--stdin-filename", "legacy/m.py"], KC101_SOURCE.encode())
    assert run.returncode == 0, run.stdout


def test_notebook_buffer(tmp_path):
    notebook = json.dumps({"cells": [{"cell_type": "markdown", "source": "# x"},
                                     {"cell_type": "code", "source": KC101_SOURCE}]})
    run = pipe(tmp_path, ["--isolated", "--output-format", "concise", "--stdin-filename", "n.ipynb"], notebook.encode())
    assert run.stdout.decode().startswith("n.ipynb:cell 2:6:18: KC101")


def test_undecodable_and_broken_buffers_are_kc001(tmp_path):
    for data in (b"x = '\xff\xfe'\n", b"def f(:\n", b"# -*- coding: klingon -*-\n"):
        run = pipe(tmp_path, ["--isolated", "--output-format", "concise", "--stdin-filename", "m.py"], data)
        assert run.returncode == 1 and b"KC001" in run.stdout and b"Traceback" not in run.stderr


def test_encoding_cookie_is_honoured(tmp_path):
    source = "# -*- coding: latin-1 -*-\n" + KC101_SOURCE.replace("1.0", "1.0)  # caf\xe9 (")
    run = pipe(tmp_path, ["--isolated", "--output-format", "concise", "--stdin-filename", "m.py"],
               source.encode("latin-1"))
    assert b"KC101" in run.stdout, run.stdout + run.stderr


def test_paths_and_stdin_together_is_a_usage_error(tmp_path):
    write(tmp_path, {"other.py": "x = 1\n"})
    for args in (["--stdin-filename", "m.py", "other.py"], ["-", "other.py"], ["-", "-"], ["--diff-base", "HEAD", "-"]):
        run = pipe(tmp_path, args, b"")
        assert run.returncode == 2 and b"Traceback" not in run.stderr, args
        assert run.stderr == b"kerascheck: error: stdin (`-` or --stdin-filename) is one file: give no other PATHS and no --diff-base\n"


def test_api(tmp_path, monkeypatch):
    project(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = check_stdin("pkg/model.py", SUBCLASS, Settings(root=str(tmp_path)))
    assert [(f.path, f.line) for f in result.findings] == [("pkg/model.py", 6)]
