"""Jupyter notebooks: code cells joined, IPython syntax neutralised line for line (checked
against IPython's own input transformer), findings reported per cell in every format."""
from __future__ import annotations

import ast
import json
import textwrap

import pytest
from IPython.core.inputtransformer2 import TransformerManager

from cliutil import KC101_SOURCE, run_cli, write
from kerascheck import check_paths, check_source
from kerascheck.config import Settings
from kerascheck.notebooks import load, neutralise
from kerascheck.sources import SourceProblem


def notebook(*cells, language="python") -> str:
    """An nbformat-4 notebook; a cell is source text, or ("markdown", text)."""
    raw = []
    for cell in cells:
        kind, source = cell if isinstance(cell, tuple) else ("code", cell)
        lines = textwrap.dedent(source).splitlines(keepends=True)
        entry = {"cell_type": kind, "metadata": {}, "source": lines}
        if kind == "code":
            entry.update(execution_count=None, outputs=[])
        raw.append(entry)
    metadata = {
        "kernelspec": {"display_name": language, "language": language, "name": language},
        "language_info": {"name": language},
    }
    return json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": metadata, "cells": raw}, indent=1)


# ---- neutralising IPython syntax --------------------------------------------------------------
NEUTRALISED = {
    "line magic": ("%matplotlib inline\nimport keras", ["pass", "import keras"]),
    "shell escape": ("!pip install -q keras-hub\nx = 1", ["pass", "x = 1"]),
    "double shell escape": ("!!ls\nx = 1", ["pass", "x = 1"]),
    "help before": ("?keras.layers.Dense\n??keras", ["pass", "pass"]),
    "help after": ("keras.layers.Dense?\nmodel.fit??", ["pass", "pass"]),
    "assigned shell": ("files = !ls data/\nprint(files)", ["files = None", "print(files)"]),
    "assigned magic": ("out = %sx ls", ["out = None"]),
    "magic in a block": (
        "for i in range(3):\n    !echo {i}\n    %time f()",
        ["for i in range(3):", "    pass", "    pass"],
    ),
    "continued shell escape": ("!pip install \\\n    keras\nx = 1", ["pass", "", "x = 1"]),
    "% continuing a bracket": ('x = ("%s"\n     % (1,))', ['x = ("%s"', "     % (1,))"]),
    "% after a backslash": ('y = "%d" \\\n    % 3', ['y = "%d" \\', "    % 3"]),
    "% in a triple-quoted string": ('s = """\n%not magic\n!nor this\n"""', ['s = """', "%not magic", "!nor this", '"""']),
    "modulo": ("a = b % c\nd = e != f", ["a = b % c", "d = e != f"]),
    "comment with an open bracket": ("x = 1  # (\n%time f()", ["x = 1  # (", "pass"]),
    "future import": ("from __future__ import annotations\nx: int = 1", ["pass", "x: int = 1"]),
    "python cell magic": ("%%time\nmodel.fit(x)", ["", "model.fit(x)"]),
    "capture cell magic": ("%%capture cap\n!pip install keras\nimport os", ["", "pass", "import os"]),
    "bash cell magic": ("%%bash\nls -l\necho $((1 + 2))", ["", "", ""]),
    "writefile cell magic": ("%%writefile m.py\nclass A(:\n", ["", ""]),
}


@pytest.mark.parametrize("source, expected", NEUTRALISED.values(), ids=NEUTRALISED.keys())
def test_neutralise(source, expected):
    lines = source.split("\n")
    if lines[-1] == "":
        lines.pop()
    out = neutralise(lines)
    assert out == expected
    assert len(out) == len(lines)
    ast.parse("\n".join(out) + "\n")


@pytest.mark.parametrize(
    "source",
    [source for name, (source, _) in NEUTRALISED.items()
     if "cell magic" not in name and "continued" not in name and name != "future import"],
)
def test_ipython_agrees_on_which_lines_are_ipython_syntax(source):
    """IPython's own transformer (what runs the cell) rewrites exactly the lines we neutralise."""
    lines = source.split("\n")
    transformed = TransformerManager().transform_cell(source + "\n").rstrip("\n").split("\n")
    assert len(transformed) == len(lines)
    ours = neutralise(lines)
    assert [a != b for a, b in zip(lines, transformed)] == [a != b for a, b in zip(lines, ours)]


# ---- the adapter ------------------------------------------------------------------------------
def test_cells_map_back_to_their_numbers_and_lines():
    nb = load(notebook(("markdown", "# T\n"), "import keras\nx = 1\n", "", ("markdown", "more"), "y = 2\n"))
    assert nb.text == "import keras\nx = 1\ny = 2\n"
    assert nb.cells.locate(1) == (2, 1)
    assert nb.cells.locate(2) == (2, 2)
    assert nb.cells.locate(3) == (5, 1)  # the empty cell 3 has no lines; markdown counts
    assert nb.sources == {2: ["import keras", "x = 1"], 5: ["y = 2"]}


@pytest.mark.parametrize(
    "text, message",
    [
        ('{"cells": [', "not valid JSON"),
        ("[1, 2]", "top level is not a JSON object"),
        ('{"metadata": {}}', "no list of cells"),
        ('{"cells": [3]}', "cell 1 is not an object"),
        ('{"cells": [{"cell_type": "code", "source": 3}]}', "source of cell 1 is not text"),
    ],
)
def test_broken_notebooks_are_source_problems(text, message):
    problem = load(text)
    assert isinstance(problem, SourceProblem) and message in problem.message


def test_nbformat_3_and_string_sources_and_crlf():
    v3 = {"nbformat": 3, "worksheets": [{"cells": [
        {"cell_type": "markdown", "source": "x"},
        {"cell_type": "code", "input": "import keras\r\nx = 1\r\n"},
    ]}]}
    nb = load(json.dumps(v3))
    assert nb.text == "import keras\nx = 1\n" and nb.cells.locate(2) == (2, 2)


# ---- end to end ---------------------------------------------------------------------------------
# A notebook as people write them: a title, installs, magics, a %% cell that is not Python,
# a help request, a `%` that continues an expression, and the pitfall in cell 6.
REAL = notebook(
    ("markdown", "# Training a custom layer\n\nKeras tutorial."),
    "!pip install -q --upgrade keras tensorflow\n%load_ext tensorboard",
    "%matplotlib inline\nimport numpy as np\nimport tensorflow as tf\nfrom tensorflow import keras",
    "%%bash\nnvidia-smi\nif [ -d data ]; then echo ok; fi",
    "?keras.layers.Layer",
    """\
    %%time
    label = ("epochs: %d"
             % 3)


    class Scale(keras.layers.Layer):
        def build(self, input_shape):
            self.w = tf.Variable(1.0)

        def call(self, x):
            return x * self.w
    """,
    "model = keras.Sequential([Scale()])\n%timeit model(np.ones((1, 2)))",
)


def test_real_notebook_from_the_cli(tmp_path):
    write(tmp_path, {"train.ipynb": REAL})
    run = run_cli(["--isolated", "--output-format", "concise", "."], cwd=tmp_path)
    assert run.returncode == 1, run.stderr
    assert run.stdout.splitlines() == [
        "train.ipynb:cell 6:8:18: KC101 " + run.stdout.split(" KC101 ", 1)[1].splitlines()[0]
    ]
    full = run_cli(["--isolated", "."], cwd=tmp_path).stdout
    assert "8 |         self.w = tf.Variable(1.0)" in full  # the cell's own line
    as_json = json.loads(run_cli(["--isolated", "--output-format", "json", "."], cwd=tmp_path).stdout)
    assert [(f["code"], f["cell"], f["line"], f["column"]) for f in as_json] == [("KC101", 6, 8, 18)]
    sarif = json.loads(run_cli(["--isolated", "--output-format", "sarif", "."], cwd=tmp_path).stdout)
    (result,) = sarif["runs"][0]["results"]
    assert result["properties"]["cell"] == 6
    assert result["locations"][0]["physicalLocation"]["region"]["startLine"] == 8


def test_noqa_in_a_cell():
    source = notebook("import tensorflow as tf\nfrom tensorflow import keras",
                      KC101_SOURCE.replace("tf.Variable(1.0)", "tf.Variable(1.0)  # noqa: KC101"))
    assert check_source(source, path="n.ipynb") == []


def test_syntax_error_in_a_cell_is_kc001_in_cell_terms():
    findings = check_source(notebook("import keras", "x = 1\ndef f(:\n    pass"), path="n.ipynb")
    assert [(f.code, f.cell, f.line) for f in findings] == [("KC001", 2, 2)]


def test_invalid_json_is_kc001_at_the_json_position(tmp_path):
    write(tmp_path, {"bad.ipynb": '{\n  "cells": [,]\n}\n', "ok.py": "x = 1\n"})
    run = run_cli(["--isolated", "--output-format", "json", "."], cwd=tmp_path)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    (finding,) = json.loads(run.stdout)
    # Not a cell position: the line and column are those of the .ipynb file itself.
    assert "cell" not in finding
    assert (finding["code"], finding["path"], finding["line"], finding["column"]) == ("KC001", "bad.ipynb", 2, 13)
    assert "not valid JSON" in finding["message"]


@pytest.mark.parametrize("data", [b"\xff\xfe garbage", b"", b"null", '{"cells": "x"}'.encode()])
def test_hostile_notebooks_never_crash(tmp_path, data):
    write(tmp_path, {"x.ipynb": data})
    run = run_cli(["--isolated", "."], cwd=tmp_path)
    assert run.returncode == 1 and "KC001" in run.stdout and "Traceback" not in run.stderr


def test_valid_ipython_that_is_not_a_valid_module_is_not_kc001():
    """Each cell is compiled alone, with top-level await allowed: neither a future import
    opening a later cell nor `await` outside a function is an error in a notebook."""
    source = notebook("import asyncio\nimport keras", "from __future__ import annotations\nx: int = 1",
                      "await asyncio.sleep(0)\nasync with lock:\n    pass")
    assert check_source(source, path="n.ipynb") == []


def test_non_python_kernel_is_not_linted():
    assert check_source(notebook("library(ggplot2)\nx <- 1", language="R"), path="r.ipynb") == []


def test_notebooks_are_discovered_by_default_and_can_be_excluded(tmp_path):
    write(tmp_path, {
        "a.ipynb": notebook("import tensorflow as tf\nfrom tensorflow import keras", KC101_SOURCE),
        ".ipynb_checkpoints/a-checkpoint.ipynb": notebook(KC101_SOURCE),
    })
    found = check_paths([str(tmp_path)], Settings(root=str(tmp_path)))
    assert [(f.path.rsplit("/", 1)[-1], f.cell) for f in found.findings] == [("a.ipynb", 2)]
    excluded = check_paths([str(tmp_path)], Settings(root=str(tmp_path), extend_exclude=("*.ipynb",)))
    assert excluded.findings == [] and excluded.files_checked == 0


def test_notebook_uses_a_base_class_from_the_project(tmp_path):
    """The cross-file index reaches the modules a notebook imports."""
    write(tmp_path, {
        "layers/__init__.py": "from .base import Base\n",
        "layers/base.py": "from tensorflow import keras\n\nclass Base(keras.layers.Layer):\n    pass\n",
        "explore.ipynb": notebook(
            "import tensorflow as tf\nfrom layers import Base",
            "class Scale(Base):\n    def build(self, input_shape):\n        self.w = tf.Variable(1.0)\n",
        ),
    })
    run = run_cli(["--isolated", "--output-format", "concise", "explore.ipynb"], cwd=tmp_path)
    assert run.stdout.startswith("explore.ipynb:cell 2:3:18: KC101"), run.stdout + run.stderr
