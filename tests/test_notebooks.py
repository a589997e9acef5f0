"""Jupyter notebooks: code cells joined, IPython syntax neutralised line for line (checked
against IPython's own input transformer), findings reported per cell in every format."""
from __future__ import annotations

import ast
import difflib
import json
import textwrap

import pytest
from IPython.core.inputtransformer2 import TransformerManager

from cliutil import KC101_SOURCE, run_cli, run_python, write
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
    assert findings[0].message == "cannot parse this cell: it cannot run, and no rule can check it"
    assert findings[0].help == "invalid syntax (the other cells are still checked)"


# ---- a cell that does not parse hides nothing else -----------------------------------------------
# A KC101 in cell 3, a cell that does not parse (cell 4), a KC101 in cell 6. Cell 6 only
# is a Keras layer through the import of cell 2: the linted module is the good cells joined.
BROKEN_CELL = notebook(
    ("markdown", "# Layers"),
    "import tensorflow as tf\nfrom tensorflow import keras",
    """\
    class Scale(keras.layers.Layer):
        def build(self, input_shape):
            self.w = tf.Variable(1.0)
    """,
    "x = 1\nmodel.fit(x,, epochs=2)\ny = 2",
    ("markdown", "More"),
    """\
    class Shift(keras.layers.Layer):

        def build(self, input_shape):
            self.b = tf.Variable(0.0)

    ZERO = tf.zeros(())  # tf stays in use once the fixes are applied
    """,
)


def test_a_cell_that_does_not_parse_is_one_kc001_and_the_others_are_checked():
    findings = check_source(BROKEN_CELL, path="n.ipynb", config=Settings(select=("KC001", "KC101")))
    assert [(f.code, f.cell, f.line, f.column) for f in findings] == [
        ("KC101", 3, 3, 18), ("KC001", 4, 2, 13), ("KC101", 6, 4, 18),
    ]
    nb = load(BROKEN_CELL)
    assert nb.sources[4][1][12] == ","  # the KC001 column is the stray comma, as written
    assert nb.cells.unparsed == ((4, SourceProblem("invalid syntax", 2, 13)),)
    assert nb.text.splitlines()[5:8] == ["", "", ""]  # cell 4 is blank: the other lines stay put
    ast.parse(nb.text)


def test_the_kc001_of_a_dedented_cell_points_at_the_cell_as_written():
    nb = load(raw_notebook("import keras", "    x = 1\n    y = f(1,, 2)"))
    assert nb.cells.unparsed == ((2, SourceProblem("invalid syntax", 2, 13)),)


@pytest.mark.parametrize(
    "cells, unparsed",
    [
        # IPython 9's `uv` magic: automagic alone in its cell, a syntax error beside Python.
        (("uv pip install keras", "import keras"), []),
        (("uv pip install keras\nimport keras", "import keras"), [1]),
        # A bracket one cell opens and the next closes: IPython compiles each cell alone.
        (("x = (1,", "2)", "y = 3"), [1, 2]),
        # An unknown magic word is not Python either.
        (("import keras", "frobnicate --all data/"), [2]),
    ],
)
def test_which_cells_do_not_parse(cells, unparsed):
    nb = load(raw_notebook(*cells))
    assert [cell for cell, _problem in nb.cells.unparsed] == unparsed
    ast.parse(nb.text)


def test_a_broken_cell_in_a_notebook_without_keras_is_still_kc001():
    findings = check_source(raw_notebook("x = 1", "y = (", "z = 3"), path="n.ipynb")
    assert [(f.code, f.cell, f.line) for f in findings] == [("KC001", 2, 1)]


def test_fix_leaves_a_broken_cell_byte_identical(tmp_path):
    """--fix: the fixes of the other cells are applied, the broken cell and every other
    byte of the notebook stay as they were, the notebook is valid JSON and reads back
    with the broken cell still its only KC001."""
    write(tmp_path, {"n.ipynb": BROKEN_CELL})
    before = (tmp_path / "n.ipynb").read_text(encoding="utf-8")
    run = run_cli(["--isolated", "--no-cache", "--fix", "--unsafe-fixes", "--select", "KC001,KC101",
                   "--output-format", "concise", "."], cwd=tmp_path)
    assert run.returncode == 1, run.stderr
    after = (tmp_path / "n.ipynb").read_text(encoding="utf-8")
    # Byte for byte, the only lines that changed are the two tf.Variable lines.
    changes = [line for line in difflib.ndiff(before.splitlines(), after.splitlines()) if line[:2] in ("- ", "+ ")]
    assert [line[:2] for line in changes] == ["- ", "+ ", "- ", "+ "]
    assert all("tf.Variable(" in line for line in changes[0::2])
    assert all(".add_weight(" in line for line in changes[1::2])
    old, new = json.loads(before), json.loads(after)
    assert new["cells"][3] == old["cells"][3]
    changed = [number for number, (a, b) in enumerate(zip(old["cells"], new["cells"]), start=1) if a != b]
    assert changed == [3, 6]
    assert run.stdout.splitlines() == [
        "n.ipynb:cell 4:2:13: KC001 " + run.stdout.split(" KC001 ", 1)[1].splitlines()[0]
    ]
    assert [(f.code, f.cell) for f in check_source(after, path="n.ipynb")] == [("KC001", 4)]


def test_fixed_lines_never_go_into_a_broken_cell():
    """Lines a fix inserts just below a broken cell open the next cell; a fix that would
    change the broken cell itself is refused."""
    from kerascheck.fix.notebook import NotebookSource
    from kerascheck.fix.textfile import RenderFailed

    raw = raw_notebook("x = (", "import keras\ny = 1")
    source = NotebookSource.read(raw)
    assert source.text == "\nimport keras\ny = 1\n"
    fixed = json.loads(source.render("\nimport os\nimport keras\ny = 1\n"))
    assert [cell["source"] for cell in fixed["cells"]] == ["x = (", "import os\nimport keras\ny = 1"]
    with pytest.raises(RenderFailed, match="cell 1, which does not parse"):
        source.render("import os\n\nimport keras\ny = 1\n")


def test_invalid_json_is_kc001_at_the_json_position(tmp_path):
    write(tmp_path, {"bad.ipynb": '{\n  "cells": [,]\n}\n', "ok.py": "x = 1\n"})
    run = run_cli(["--isolated", "--output-format", "json", "."], cwd=tmp_path)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    (finding,) = json.loads(run.stdout)
    # Not a cell position: the line and column are those of the .ipynb file itself.
    assert "cell" not in finding
    assert (finding["code"], finding["path"], finding["line"], finding["column"]) == ("KC001", "bad.ipynb", 2, 13)
    assert "not valid JSON" in finding["help"]


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


# ---- indented cells and bare magics: IPython's leading_indent and automagic -----------------
def raw_notebook(*sources) -> str:
    """An nbformat-4 notebook of code cells whose sources are kept exactly as given."""
    cells = [{"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [], "source": source}
             for source in sources]
    metadata = {"language_info": {"name": "python"}}
    return json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": metadata, "cells": cells})


def cell_lines(source: str) -> list[str]:
    """A cell's lines as kerascheck.notebooks.load splits them."""
    lines = source.split("\n")
    return lines[:-1] if lines[-1] == "" else lines


IPYTHON_CELLS = {
    # IPython dedents a cell whose first non-blank line is indented ...
    "indented cell": ("  x = 1\n  if x:\n      y = 2", ["x = 1", "if x:", "    y = 2"]),
    "indented by a tab": ("\tx = 1\n\ty = 2", ["x = 1", "y = 2"]),
    "only that line's indentation comes off": (" x = (1,\n  2)\ny = 3", ["x = (1,", " 2)", "y = 3"]),
    "blank lines above the indented line": ("\n   \n    x = 1\n    y = 2", ["", "   ", "x = 1", "y = 2"]),
    "indented line magic": ("  %matplotlib inline\n  import keras", ["pass", "import keras"]),
    "indented cell magic": ("  %%time\n  x = 1", ["", "x = 1"]),
    # ... and runs a cell that is one bare line magic as that magic (automagic).
    "bare ls": ("ls ./data/train/", ["pass"]),
    "bare cd, indented": ("    cd ..", ["pass"]),
    "bare pip": ("pip install -q keras-hub", ["pass"]),
    "bare pwd": ("pwd", ["pass"]),
    "bare magic with options": ("mkdir -p data/raw", ["pass"]),
    "bare magic after blank lines": ("\n\nls data", ["", "", "pass"]),
    "bare magic word, then a call": ("cd(path)", ["pass"]),
    "bare magic, then an operator": ("ls += 3", ["pass"]),
    # Python, as IPython reads it too.
    "assignment to a magic name": ("ls = 3", ["ls = 3"]),
    "comparison": ("ls == 3", ["ls == 3"]),
    "tuple assignment": ("cd, x = 1, 2", ["cd, x = 1, 2"]),
    "attribute of a magic name": ("time.sleep(1)", ["time.sleep(1)"]),
    "not a magic name": ("dir(keras)", ["dir(keras)"]),
    "keyword": ("print(x)", ["print(x)"]),
    # Not single-line cells: IPython leaves a bare magic alone, a syntax error there too.
    "two bare magics": ("pip install a\npip install b", ["pip install a", "pip install b"]),
    "bare magic under a comment": ("# the data\nls data", ["# the data", "ls data"]),
    "bare magic and a blank line": ("ls data\n\n", ["ls data", ""]),
}


@pytest.mark.parametrize("source, expected", IPYTHON_CELLS.values(), ids=IPYTHON_CELLS.keys())
def test_neutralise_dedents_and_reads_bare_magics(source, expected):
    lines = cell_lines(source)
    assert neutralise(lines) == expected
    assert len(expected) == len(lines)


_IPYTHON_SCRIPT = """
import json, sys
from IPython.core.interactiveshell import InteractiveShell
shell = InteractiveShell.instance()
cells = []
for source, names in json.load(sys.stdin):
    shell.user_ns.update(dict.fromkeys(names, 0))
    cells.append(shell.transform_cell(source))
    for name in names:
        del shell.user_ns[name]
import IPython
json.dump({"cells": cells, "magics": sorted(shell.magics_manager.magics["line"]),
           "major": IPython.version_info[0]}, sys.stdout)
"""


@pytest.fixture(scope="module")
def ipython(tmp_path_factory):
    """What a real IPython shell (automagic on, as in Jupyter) makes of cells: each cell
    is (source, names the user has bound). Run in a subprocess, away from this one."""
    import os
    import subprocess
    import sys

    def transform(cells):
        env = {**os.environ, "IPYTHONDIR": str(tmp_path_factory.mktemp("ipython"))}
        run = subprocess.run([sys.executable, "-c", _IPYTHON_SCRIPT], input=json.dumps(cells),
                             capture_output=True, text=True, env=env, timeout=120)
        assert run.returncode == 0, run.stderr
        return json.loads(run.stdout)

    return transform


def _as_pass(line: str) -> str:
    """IPython's call of a magic, as the `pass` kerascheck puts in its place."""
    return line[: len(line) - len(line.lstrip())] + "pass" if "get_ipython()" in line else line


# IPython 9's leading_indent removes the indentation common to every line (textwrap.dedent);
# IPython 8's removes the first line's from every line that starts with it. They agree on
# every cell IPython 9 can run; on these, IPython 9 leaves the first line indented (the
# cell raises IndentationError there) and kerascheck reads the cell as IPython 8 runs it.
IPYTHON_8_ONLY = {"only that line's indentation comes off"}


def test_ipython_agrees_on_dedent_and_automagic(ipython):
    cases = {name: source for name, (source, _) in IPYTHON_CELLS.items() if "cell magic" not in name}
    shadowed = {"history": ("history", ["history"]), "cd call": ("cd(path)", ["cd"]),
                "ls listing": ("ls data/", ["ls"])}
    result = ipython([[source, []] for source in cases.values()] + list(shadowed.values()))
    sources = [*cases.values(), *(source for source, _ in shadowed.values())]
    for name, source, transformed in zip([*cases, *shadowed], sources, result["cells"]):
        names = shadowed[name][1] if name in shadowed else ()
        ours = neutralise(cell_lines(source), frozenset(names))
        first = next((i for i, line in enumerate(ours) if line.strip()), len(ours))
        theirs = [_as_pass(line) for line in transformed.split("\n")]
        if name in IPYTHON_8_ONLY and result["major"] >= 9:
            assert theirs[0] != theirs[0].lstrip() and theirs[0].lstrip() == ours[first], name
            continue
        assert [*ours[first:], ""] == theirs, name  # IPython drops leading blank lines


def test_line_magics_are_ipythons(ipython):
    """LINE_MAGICS is the line magics of IPython's shell, plus those ipykernel adds: all
    of the installed IPython's, and beyond them only those a newer IPython added."""
    from kerascheck.notebooks import IPYTHON_9_MAGICS, KERNEL_MAGICS, LINE_MAGICS

    installed = ipython([])
    newer = IPYTHON_9_MAGICS if installed["major"] < 9 else set()
    assert set(installed["magics"]) == LINE_MAGICS - KERNEL_MAGICS - newer


def test_the_installed_ipythons_magics_are_read_from_its_classes(ipython):
    """What installed_line_magics reads from IPython's Magics classes is what a real shell
    has, but the three aliases InteractiveShell.init_magics registers by hand."""
    from kerascheck.notebooks import installed_line_magics

    assert set(ipython([])["magics"]) - installed_line_magics() == {"ed", "hist", "rep"}


def test_a_magic_missing_from_the_list_comes_from_the_installed_ipython(monkeypatch):
    import kerascheck.notebooks as notebooks

    monkeypatch.setattr(notebooks, "LINE_MAGICS", notebooks.LINE_MAGICS - {"ls", "pwd"})
    assert neutralise(["ls data/"]) == ["pass"]  # not Python: IPython is asked, and knows it
    assert neutralise(["pwd"]) == ["pwd"]  # Python as it stands: IPython is not asked


def test_ordinary_notebooks_never_import_ipython(tmp_path):
    """IPython is only imported for a one-line cell that is neither Python nor a listed
    magic: the cost of importing it (~0.5 s) is paid by no ordinary notebook."""
    code = """
        import sys
        from kerascheck.notebooks import load
        load(sys.argv[1])
        print("IPython" in sys.modules)
    """
    ordinary = raw_notebook("import keras", "ls data/", "model.summary()", "x = (")
    assert run_python(code, tmp_path, [ordinary]).stdout.split() == ["False"]
    unknown = raw_notebook("frobnicate --all data/")
    assert run_python(code, tmp_path, [unknown]).stdout.split() == ["True"]


@pytest.mark.parametrize(
    "cells, kept",
    [
        (("history = model_fit()", "history"), "history"),  # the user's variable, shown
        (("import time", "time"), "time"),
        (("def cd(path):\n    return path", "cd(x)"), "cd(x)"),
        (("from pathlib import Path as ls", "ls"), "ls"),
        (("for pwd in range(3):\n    pass", "pwd"), "pwd"),
    ],
)
def test_a_name_the_notebook_binds_shadows_the_magic(cells, kept):
    """prefilter.is_shadowed: a magic whose name the user bound is not run by automagic."""
    nb = load(raw_notebook(*cells))
    assert nb.text.splitlines()[-1] == kept
    assert load(raw_notebook(cells[-1])).text == "pass\n"  # unbound: the magic runs


def test_a_name_bound_inside_a_function_does_not_shadow():
    nb = load(raw_notebook("def f():\n    ls = 1\n    return ls", "ls data/"))
    assert nb.text.splitlines()[-1] == "pass"


INDENTED = raw_notebook(
    "import tensorflow as tf\nfrom tensorflow import keras",
    "  class Scale(keras.layers.Layer):\n"
    "      def build(self, input_shape):\n"
    "          self.w = tf.Variable(1.0)\n"
    "  layer = keras.layers.Dense(2, input_shape=(5))",
    "ls ./data/train/",
    "\tpwd",
    "run = keras.layers.Dense(4, input_shape=(3))",  # `run` is a magic name: Python here
)


def test_findings_in_an_indented_cell_point_at_the_original_columns():
    nb = load(INDENTED)
    findings = check_source(INDENTED, path="n.ipynb")
    assert [(f.code, f.cell, f.line, f.column) for f in findings] == [
        ("KC101", 2, 3, 20), ("KC402", 2, 4, 46), ("KC402", 5, 1, 42),
    ]
    spans = [nb.sources[f.cell][f.line - 1][f.column - 1:f.end_column - 1] for f in findings]
    assert spans == ["tf.Variable(1.0)", "5", "3"]


def test_indented_cell_from_the_cli(tmp_path):
    write(tmp_path, {"n.ipynb": INDENTED})
    run = run_cli(["--isolated", "--select", "KC101", "."], cwd=tmp_path)
    assert "n.ipynb:cell 2:3:20: KC101" in run.stdout, run.stdout + run.stderr
    out = run.stdout.splitlines()
    shown, caret = next((line, after) for line, after in zip(out, out[1:]) if line.startswith("3 |"))
    assert shown == "3 |           self.w = tf.Variable(1.0)"  # the cell's own line, indentation and all
    assert caret.index("^") == shown.index("tf.Variable")


@pytest.mark.parametrize(
    "cells, expected",
    [
        # A broken indented cell: the error is where it is in the cell as written.
        (("import keras", "    x = 1\n    y = f(1,, 2)"), [("KC001", 2, 2, 13)]),
        # The second line is not indented like the first: IPython fails on it too.
        (("  x = 1\n y = 2",), [("KC001", 1, 2, 1)]),
        # Bare magics in a cell of several lines are a syntax error in Jupyter.
        (("pip install keras\npip install keras-hub",), [("KC001", 1, 1, 5)]),
        # `ls` is the user's variable: `ls data/` is Python, and not valid.
        (("ls = 3", "ls data/"), [("KC001", 2, 1, 4)]),
    ],
)
def test_what_ipython_cannot_run_stays_kc001(cells, expected):
    findings = check_source(raw_notebook(*cells), path="n.ipynb")
    assert [(f.code, f.cell, f.line, f.column) for f in findings] == expected


def test_edits_move_with_the_dedent():
    from kerascheck.finding import Edit

    cells = load(raw_notebook("import keras", "  x = f(\n      1)", "y = 2")).cells
    assert cells.relocate_edit(Edit(2, 5, 2, 6, "g")) == Edit(1, 7, 1, 8, "g", 2)
    # A new line of the content gets the indentation the dedent took.
    assert cells.relocate_edit(Edit(2, 5, 3, 6, "g(\n    2")) == Edit(1, 7, 2, 8, "g(\n      2", 2)
    assert cells.relocate_edit(Edit(1, 1, 1, 1, "a\nb")) == Edit(1, 1, 1, 1, "a\nb", 1)
    assert cells.relocate_edit(Edit(3, 1, 4, 1, "")) is None  # across two cells
    nb = load(raw_notebook("  x = f(\n      1)"))
    assert nb.python(1) == (["x = f(", "    1)"], ["  ", "  "])


def test_fix_edits_in_an_indented_cell_point_at_the_original_columns(tmp_path):
    """The JSON edits of a fix inside a dedented cell are in the cell as written."""
    write(tmp_path, {"n.ipynb": INDENTED})
    run = run_cli(["--isolated", "--no-cache", "--select", "KC402", "--output-format", "json", "."], cwd=tmp_path)
    findings = json.loads(run.stdout)
    nb = load(INDENTED)
    fixed = []
    for finding in findings:
        [edit] = finding["fix"]["edits"]
        line = nb.sources[edit["cell"]][edit["line"] - 1]
        fixed.append(line[:edit["column"] - 1] + edit["content"] + line[edit["end_column"] - 1:])
    assert fixed == [
        "  layer = keras.layers.Dense(2, input_shape=(5,))",
        "run = keras.layers.Dense(4, input_shape=(3,))",
    ]
