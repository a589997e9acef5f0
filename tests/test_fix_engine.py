"""The fix machinery on its own: choosing fixes that do not overlap, replacing nodes by
identity, adding imports, the fix-and-lint loop and its promises, writing the text back
as it was encoded, notebooks cell by cell, the atomic writer, and the diff."""
import json
import os
import shutil
import stat
import subprocess
from collections import Counter

import libcst as cst
import pytest

from kerascheck import engine
from kerascheck.api import fix_source
from kerascheck.config import Settings
from kerascheck.fix import FixMode
from kerascheck.fix.apply import Candidate, FixFailed, apply_fixes, code_of, select
from kerascheck.fix.diff import unified_diff
from kerascheck.fix.fixer import Fixer
from kerascheck.fix.edits import edits_between
from kerascheck.fix.loop import MAX_ROUNDS, Pass, fix_until_stable, verify
from kerascheck.fix.notebook import NotebookSource
from kerascheck.fix.textfile import PythonSource, RenderFailed, splice
from kerascheck.fix.writer import WriteFailed, write_atomically
from kerascheck.request import CheckRequest
from kerascheck.rules import all_rules
from kerascheck.rules.base import Fix

KC104_SOURCE = (
    "import keras\n"
    "\n"
    "\n"
    "class Scale(keras.layers.Layer):\n"
    "    def build(self, input_shape):\n"
    "        # the kernel\n"
    '        self.w = self.add_weight("w", shape=(3,))\n'
)
KC104_FIXED = KC104_SOURCE.replace('add_weight("w"', 'add_weight(name="w"')


# ---- choosing and applying ------------------------------------------------------------------
def test_overlapping_fixes_wait_and_the_earliest_wins():
    first = Fix((), True, "a")
    second = Fix((), True, "b")
    third = Fix((), True, "c")
    a = Candidate(first, (3, 0), "KC1", ("KC1", ""), (((3, 0), (3, 10)),))
    b = Candidate(second, (2, 0), "KC2", ("KC2", ""), (((3, 5), (3, 6)),))  # inside a, reported earlier
    c = Candidate(third, (4, 0), "KC3", ("KC3", ""), (((4, 0), (4, 2)),))
    chosen, waiting = select([a, b, c])
    assert [x.code for x in chosen] == ["KC2", "KC3"]
    assert [x.code for x in waiting] == ["KC1"]


def test_findings_sharing_a_fix_are_fixed_together():
    shared = Fix((), True, "moved")
    one = Candidate(shared, (1, 0), "KC105", ("KC105", "a"), (((5, 0), (5, 9)),))
    two = Candidate(shared, (2, 0), "KC105", ("KC105", "b"), (((5, 0), (5, 9)),))
    chosen, waiting = select([two, one])
    assert chosen == [one, two] and waiting == []


def test_replacement_is_by_identity_not_by_equality():
    module = cst.parse_module("a = 1\nb = 1\n")
    second_one = module.body[1].body[0].value
    fixed = apply_fixes(module, [Fix.replace(second_one, cst.Integer("2"), safe=True, description="")])
    assert code_of(fixed) == "a = 1\nb = 2\n"


def test_a_node_from_another_tree_fails_cleanly():
    module = cst.parse_module("a = 1\n")
    stranger = cst.parse_expression("1")
    with pytest.raises(FixFailed):
        apply_fixes(module, [Fix.replace(stranger, cst.Integer("2"), safe=True, description="")])


def test_removal_and_flattening():
    module = cst.parse_module("def f():\n    x = 1\n    y = 2\n    z = 3\n")
    body = module.body[0].body.body
    fix = Fix(
        ((body[0], cst.RemoveFromParent()), (body[2], cst.FlattenSentinel([body[2], body[0]]))),
        safe=True, description="move",
    )
    assert code_of(apply_fixes(module, [fix])) == "def f():\n    y = 2\n    z = 3\n    x = 1\n"


@pytest.mark.parametrize(
    "source, expected",
    [
        ("x = 1\n", "import keras\nx = 1\n"),
        ('"""Doc."""\nx = 1\n', '"""Doc."""\nimport keras\nx = 1\n'),
        ("from __future__ import annotations\nimport os\n\nx = 1\n",
         "from __future__ import annotations\nimport os\nimport keras\n\nx = 1\n"),
        ("#!/usr/bin/env python\n# -*- coding: utf-8 -*-\nimport os\n",
         "#!/usr/bin/env python\n# -*- coding: utf-8 -*-\nimport os\nimport keras\n"),
        ("import keras\nx = 1\n", "import keras\nx = 1\n"),  # present: not added twice
        ("try:\n    import keras\nexcept ImportError:\n    keras = None\n",
         "try:\n    import keras\nexcept ImportError:\n    keras = None\n"),
    ],
)
def test_imports_a_fix_needs_are_added_once(source, expected):
    module = cst.parse_module(source)
    target = module.body[-1]
    fix = Fix(((target, target),), True, "uses keras", imports=("import keras",))
    assert code_of(apply_fixes(module, [fix, fix])) == expected


@pytest.mark.parametrize("source", ["from tensorflow import keras\nx = 1\n", "keras = None\nx = 1\n", "import keras_core as keras\nx = 1\n"])
def test_an_import_never_rebinds_a_name(source):
    module = cst.parse_module(source)
    target = module.body[-1]
    fix = Fix(((target, target),), True, "uses keras", imports=("import keras",))
    with pytest.raises(FixFailed, match="binds `keras` to something else"):
        apply_fixes(module, [fix])


def test_import_keras_is_satisfied_by_a_submodule_import():
    module = cst.parse_module("import keras.ops\nx = 1\n")
    target = module.body[-1]
    fix = Fix(((target, target),), True, "", imports=("import keras",))
    assert code_of(apply_fixes(module, [fix])) == "import keras.ops\nx = 1\n"


def test_from_imports_are_added_after_the_import_block():
    module = cst.parse_module("import os\nfrom keras import layers\n\nx = 1\n")
    target = module.body[-1]
    fix = Fix(((target, target),), True, "", imports=("from keras import ops", "from keras import layers"))
    assert code_of(apply_fixes(module, [fix])) == "import os\nfrom keras import layers\nfrom keras import ops\n\nx = 1\n"


# ---- the loop and its promises --------------------------------------------------------------
def test_verify_names_the_finding_a_fix_would_add():
    before = Counter({("KC104", "m"): 1})
    assert verify(before, Counter({("KC104", "m"): 1}), Counter()) is None
    assert "did not have: KC205 mask" in verify(before, Counter({("KC104", "m"): 1}), Counter({("KC205", "mask"): 1}))
    assert "still there" in verify(before, Counter({("KC104", "m"): 1}), Counter({("KC104", "m"): 1}))


def _integer_pass(text: str) -> Pass:
    """A lint that offers to increment the first integer of `text`, forever."""
    module = cst.parse_module(text)
    number = module.body[0].body[0].value
    fix = Fix.replace(number, cst.Integer(str(int(number.value) + 1)), safe=True, description="+1")
    candidate = Candidate(fix, (1, 0), "KC999", ("KC999", "x"), (((1, 4), (1, 5)),))
    return Pass(text, module, [candidate], Counter({("KC999", "x"): 1}))


def test_fixes_that_never_settle_are_given_up():
    outcome = fix_until_stable(_integer_pass("x = 1\n"), _integer_pass)
    assert outcome.failure == f"the fixes did not settle after {MAX_ROUNDS} rounds"
    assert outcome.text == "x = 1\n" and not outcome.changed


def test_a_fix_that_changes_nothing_is_a_failure():
    module = cst.parse_module("x = 1\n")
    number = module.body[0].body[0].value
    fix = Fix.replace(number, cst.Integer("1"), safe=True, description="same")
    first = Pass("x = 1\n", module, [Candidate(fix, (1, 0), "KC999", ("KC999", "x"), (((1, 4), (1, 5)),))])
    outcome = fix_until_stable(first, lambda text: pytest.fail("no second lint"))
    assert outcome.failure == "the KC999 fix changes nothing"


def test_a_fix_whose_code_does_not_parse_leaves_the_file(monkeypatch):
    from kerascheck.rules import input_shape_not_tuple

    def broken(value, batch):
        return Fix.replace(value, cst.Name("lambda"), safe=True, description="broken")  # a keyword: no parse

    monkeypatch.setattr(input_shape_not_tuple, "_tuple_fix", broken)
    source = "import keras\nx = keras.Input(shape=3)\n"
    fixed, findings, errors = fix_source(source, config=Settings(select=("KC402",)))
    assert fixed == source
    assert [f.code for f in findings] == ["KC402"]
    assert len(errors) == 1 and "does not parse" in errors[0].message and "left as it was" in errors[0].message


def test_a_fix_that_adds_a_finding_leaves_the_file(monkeypatch):
    from kerascheck.rules import misspelled_keras_attribute

    original = misspelled_keras_attribute.Fix

    class OtherTypo:
        @staticmethod
        def replace(node, new, **options):  # one typo for another, itself offering no fix
            if node.value != "support_masking":
                return None
            return original.replace(node, cst.Name("supports_maskin"), **options)

    monkeypatch.setattr(misspelled_keras_attribute, "Fix", OtherTypo)
    source = "import keras\nclass L(keras.layers.Layer):\n    support_masking = True\n"
    fixed, findings, errors = fix_source(source, config=Settings(select=("KC209",)))
    assert fixed == source
    assert "fixing would add a finding it did not have: KC209 'supports_maskin'" in errors[0].message


def test_suppressed_and_ignored_findings_are_not_fixed(tmp_path):
    source = KC104_SOURCE.replace('shape=(3,))\n', 'shape=(3,))  # noqa: KC104\n')
    fixed, findings, errors = fix_source(source)
    assert fixed == source and errors == [] and findings == []


def test_unfixable_codes_are_neither_fixed_nor_shown_as_fixable():
    settings = Settings(unfixable=("KC104",))
    fixed, findings, errors = fix_source(KC104_SOURCE, config=settings)
    assert fixed == KC104_SOURCE
    assert [(f.code, f.fixable, f.fix) for f in findings] == [("KC104", False, None)]
    fixed, findings, errors = fix_source(KC104_SOURCE, config=Settings(fixable=("KC1",)))
    assert fixed == KC104_FIXED


def test_edits_of_a_finding_describe_its_fix():
    from kerascheck import check_source

    [finding] = check_source(KC104_SOURCE)
    assert finding.fix.applicability == "safe"
    [edit] = finding.fix.edits
    lines = KC104_SOURCE.split("\n")
    line = lines[edit.line - 1]
    assert line[: edit.column - 1] + edit.content + line[edit.end_column - 1:] == KC104_FIXED.split("\n")[edit.line - 1]


def test_edits_between_texts():
    [edit] = edits_between("a = f(3)\nb = 2\n", "a = f((3,))\nb = 2\n")
    assert (edit.line, edit.column, edit.end_line, edit.end_column, edit.content) == (1, 7, 1, 8, "(3,)")
    first, second = edits_between("x = 1\ny = 2\nz = 3\n", "import k\nx = 1\ny = 2\nz = 4\n")
    assert (first.line, first.column, first.end_line, first.end_column, first.content) == (1, 1, 1, 1, "import k\n")
    assert (second.line, second.column, second.content) == (3, 5, "4")


# ---- the file as it was encoded ---------------------------------------------------------------
def test_crlf_lines_stay_crlf_and_untouched_lines_keep_their_bytes():
    raw = "a = 1\r\nb = 2\nc = 3\r\n"
    text = "a = 1\nb = 2\nc = 3\n"
    assert splice(raw, text, "a = 1\nb = 2\nx = 0\nc = 4\n") == "a = 1\r\nb = 2\nx = 0\r\nc = 4\r\n"


def test_a_file_without_final_newline_keeps_it_that_way():
    assert splice("a = 1\nb = 2", "a = 1\nb = 2", "a = 1\nb = 3") == "a = 1\nb = 3"


def test_crlf_round_trip():
    data = KC104_SOURCE.replace("\n", "\r\n").encode()
    fixed, _, errors = fix_source_bytes(data)
    assert errors == [] and fixed == KC104_FIXED.replace("\n", "\r\n").encode()


def test_bom_round_trip():
    data = b"\xef\xbb\xbf" + KC104_SOURCE.encode()
    fixed, _, errors = fix_source_bytes(data)
    assert errors == [] and fixed == b"\xef\xbb\xbf" + KC104_FIXED.encode()


def test_pep263_cookie_round_trip():
    source = "# -*- coding: latin-1 -*-\n# Ré\n" + KC104_SOURCE
    fixed, _, errors = fix_source_bytes(source.encode("latin-1"))
    assert errors == [] and fixed == ("# -*- coding: latin-1 -*-\n# Ré\n" + KC104_FIXED).encode("latin-1")


def test_text_the_encoding_cannot_hold_is_refused():
    source = PythonSource.read("# -*- coding: latin-1 -*-\nx = 1\n".encode("latin-1"))
    with pytest.raises(RenderFailed):
        source.render("# -*- coding: latin-1 -*-\nx = '€'\n")


def fix_source_bytes(data: bytes, path: str = "m.py"):
    """fix_source for bytes, through the engine's fixing entry point."""
    scan = engine.scan_file(path, data)
    plan = engine.build_plan(Settings().enabled_codes(all_rules()), [scan])
    findings, errors, done = Fixer.for_plan(plan).fix(scan, FixMode(unsafe=True, write=False))
    return (done.content if done is not None and done.content is not None else data), findings, errors


# ---- notebooks --------------------------------------------------------------------------------
def _notebook(cells, nbformat=4) -> dict:
    document = {"metadata": {"kernelspec": {"language": "python", "name": "python3"}}, "nbformat": nbformat, "nbformat_minor": 5}
    if nbformat == 4:
        document["cells"] = cells
    else:
        document["worksheets"] = [{"cells": cells}]
    return document


def _code(source, **extra):
    return {"cell_type": "code", "execution_count": 1, "metadata": {"collapsed": False}, "outputs": [], "source": source, **extra}


NOTEBOOK_CELLS = [
    {"cell_type": "markdown", "metadata": {}, "source": ["# Model\n", "with é"]},
    _code(["%matplotlib inline\n", "import keras"], outputs=[{"output_type": "stream", "name": "stdout", "text": ["é\n"]}]),
    _code([
        "class Scale(keras.layers.Layer):\n",
        "    def build(self, input_shape):\n",
        '        self.w = self.add_weight("w", shape=(3,))\n',
        "\n",
        "    def call(self, x):\n",
        "        return x * self.w",
    ]),
    _code("!pip list\nx = keras.Input(shape=4)\n", outputs=[{"output_type": "execute_result", "data": {"image/png": "iVBOR"}, "metadata": {}, "execution_count": 3}]),
]


def test_notebook_round_trip_changes_only_the_fixed_lines():
    raw = json.dumps(_notebook(NOTEBOOK_CELLS), indent=1, ensure_ascii=False) + "\n"
    fixed, findings, errors = fix_source(raw, path="model.ipynb")
    assert errors == [] and findings == []
    expected = raw.replace('add_weight(\\"w\\"', 'add_weight(name=\\"w\\"').replace("shape=4)", "shape=(4,))")
    assert fixed == expected
    # a second pass changes nothing
    assert fix_source(fixed, path="model.ipynb")[0] == fixed


def test_notebook_in_compact_json_and_nbformat_3():
    cells = []
    for cell in json.loads(json.dumps(NOTEBOOK_CELLS)):
        if cell["cell_type"] == "code":
            cell["input"] = cell.pop("source")
        cells.append(cell)
    raw = json.dumps(_notebook(cells, nbformat=3))
    fixed, findings, errors = fix_source(raw, path="old.ipynb")
    assert errors == [] and findings == []
    before, after = json.loads(raw), json.loads(fixed)
    assert after["worksheets"][0]["cells"][2]["input"][2] == '        self.w = self.add_weight(name="w", shape=(3,))\n'
    after["worksheets"][0]["cells"][2]["input"] = before["worksheets"][0]["cells"][2]["input"]
    after["worksheets"][0]["cells"][3]["input"] = before["worksheets"][0]["cells"][3]["input"]
    assert after == before


def test_a_fix_in_an_indented_cell_keeps_the_indentation():
    """IPython dedents a cell whose first line is indented; the fixed lines get the
    indentation back, new lines included, so the cell keeps its shape."""
    cells = [
        _code(["import keras\n"]),
        _code([
            "  class Scale(keras.layers.Layer):\n",
            "      def build(self, input_shape):\n",
            "          self.w = self.add_weight(\"w\", shape=(3,))\n",
            "  inputs = keras.Input(shape=4)\n",
        ]),
    ]
    raw = json.dumps(_notebook(cells), indent=1) + "\n"
    fixed, findings, errors = fix_source(raw, path="indented.ipynb")
    assert errors == [] and findings == []
    assert json.loads(fixed)["cells"][1]["source"] == [
        "  class Scale(keras.layers.Layer):\n",
        "      def build(self, input_shape):\n",
        "          self.w = self.add_weight(name=\"w\", shape=(3,))\n",
        "  inputs = keras.Input(shape=(4,))\n",
    ]
    assert fix_source(fixed, path="indented.ipynb")[0] == fixed


def test_new_lines_of_a_fix_in_an_indented_cell_get_its_indentation():
    cells = [
        _code(["import keras\n", "model = keras.Sequential([keras.Input((3, 2)), keras.layers.LSTM(2, stateful=True)])\n"]),
        _code(["  for epoch in range(3):\n", "      model.reset_states()\n", "  print(epoch)\n"]),
    ]
    raw = json.dumps(_notebook(cells), indent=1) + "\n"
    settings = Settings().with_overrides(select=["KC531"], target_keras="3")
    fixed, findings, errors = fix_source(raw, path="loop.ipynb", config=settings, unsafe=True)
    assert errors == [] and findings == []
    assert json.loads(fixed)["cells"][1]["source"] == [
        "  for epoch in range(3):\n",
        "      for layer in model.layers:\n",
        "          if hasattr(layer, \"reset_states\"):\n",
        "              layer.reset_states()\n",
        "  print(epoch)\n",
    ]


def test_a_fix_of_ipython_syntax_or_across_cells_is_refused():
    raw = json.dumps(_notebook(NOTEBOOK_CELLS), indent=1)
    source = NotebookSource.read(raw)
    lines = source.text.split("\n")
    assert lines[0] == "pass"  # %matplotlib inline, as the linter reads it
    with pytest.raises(RenderFailed, match="IPython syntax"):
        source.render("\n".join(["pass = 1", *lines[1:]]))
    with pytest.raises(RenderFailed, match="two notebook cells"):
        source.render("\n".join([lines[0], "import keras2", "class Scale2(keras.layers.Layer):", *lines[3:]]))


def test_notebook_bom_is_kept():
    raw = json.dumps(_notebook(NOTEBOOK_CELLS), indent=1).encode()
    scan = engine.scan_file("n.ipynb", b"\xef\xbb\xbf" + raw)
    plan = engine.build_plan(Settings().enabled_codes(all_rules()), [scan])
    _, errors, done = Fixer.for_plan(plan).fix(scan, FixMode(write=False))
    assert errors == [] and done.content.startswith(b"\xef\xbb\xbf{")


# ---- writing ----------------------------------------------------------------------------------
def test_atomic_write_keeps_the_permissions(tmp_path):
    path = tmp_path / "m.py"
    path.write_bytes(b"old\n")
    os.chmod(path, 0o751)
    write_atomically(str(path), b"old\n", b"new\n")
    assert path.read_bytes() == b"new\n"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o751
    assert os.listdir(tmp_path) == ["m.py"]


def test_a_file_that_cannot_be_replaced_is_left_whole(tmp_path, monkeypatch):
    path = tmp_path / "m.py"
    path.write_bytes(b"old\n")

    def refuse(source, target):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(WriteFailed, match="cannot write it: Permission denied"):
        write_atomically(str(path), b"old\n", b"new\n")
    assert path.read_bytes() == b"old\n"
    assert os.listdir(tmp_path) == ["m.py"]  # no temporary file left behind


def test_a_file_that_changed_meanwhile_is_not_overwritten(tmp_path):
    path = tmp_path / "m.py"
    path.write_bytes(b"edited\n")
    with pytest.raises(WriteFailed, match="changed while"):
        write_atomically(str(path), b"old\n", b"new\n")
    assert path.read_bytes() == b"edited\n"


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write a read-only file")
def test_a_read_only_file_is_refused(tmp_path):
    path = tmp_path / "m.py"
    path.write_bytes(b"old\n")
    os.chmod(path, 0o444)
    with pytest.raises(WriteFailed, match="read-only"):
        write_atomically(str(path), b"old\n", b"new\n")


def test_a_symlink_stays_a_symlink(tmp_path):
    real = tmp_path / "real.py"
    real.write_bytes(b"old\n")
    link = tmp_path / "link.py"
    link.symlink_to(real)
    write_atomically(str(link), b"old\n", b"new\n")
    assert link.is_symlink() and real.read_bytes() == b"new\n"


def test_run_reports_a_write_failure_and_leaves_the_file(tmp_path, monkeypatch):
    path = tmp_path / "m.py"
    path.write_text(KC104_SOURCE)
    monkeypatch.setattr(os, "replace", lambda *a: (_ for _ in ()).throw(PermissionError(13, "Permission denied")))
    result = engine.run(CheckRequest.from_settings([str(path)], Settings(), cwd=str(tmp_path), jobs=1, fix=FixMode()))
    assert path.read_text() == KC104_SOURCE
    assert [str(error) for error in result.errors] == [
        "m.py: not fixed, the file is left as it was: cannot write it: Permission denied"
    ]
    assert [f.code for f in result.findings] == ["KC104"] and result.fixes == []
    assert sorted(os.listdir(tmp_path)) == ["m.py"]


# ---- the diff ---------------------------------------------------------------------------------
def test_diff_marks_a_missing_final_newline():
    assert unified_diff("m.py", "a = 1\nb = 2", "a = 1\nb = 3").endswith("+b = 3\n\\ No newline at end of file\n")


@pytest.mark.parametrize("tool", ["git", "patch"])
@pytest.mark.parametrize(
    "name, content",
    [
        ("plain.py", KC104_SOURCE.encode()),
        ("crlf.py", KC104_SOURCE.replace("\n", "\r\n").encode()),
        ("no_final_newline.py", KC104_SOURCE.rstrip("\n").encode()),
        ("bom.py", b"\xef\xbb\xbf" + KC104_SOURCE.encode()),
        ("latin.py", ("# -*- coding: latin-1 -*-\n# é\n" + KC104_SOURCE).encode("latin-1")),
        ("nb.ipynb", (json.dumps(_notebook(NOTEBOOK_CELLS), indent=1, ensure_ascii=False) + "\n").encode()),
    ],
)
def test_diff_applies_with_git_apply_and_patch(tmp_path, tool, name, content):
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} is not installed")
    source = tmp_path / "src" / name
    source.parent.mkdir()
    source.write_bytes(content)
    result = engine.run(CheckRequest.from_settings(
        [str(source)], Settings(), cwd=str(tmp_path), jobs=1, fix=FixMode(write=False, diff=True)))
    [done] = result.fixes
    assert source.read_bytes() == content  # --diff writes nothing
    patch_file = tmp_path / "fix.patch"
    patch_file.write_bytes(done.diff.encode(done.diff_encoding, "surrogateescape"))
    command = ["git", "apply", "--whitespace=nowarn", str(patch_file)] if tool == "git" else ["patch", "-p1", "-i", str(patch_file)]
    applied = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True)
    assert applied.returncode == 0, applied.stderr + applied.stdout
    fixed = engine.run(CheckRequest.from_settings([str(source)], Settings(), cwd=str(tmp_path), jobs=1))
    assert [f for f in fixed.findings if f.code == "KC104"] == []
    # the patched file is byte for byte what --fix writes
    twin = tmp_path / "twin" / name
    twin.parent.mkdir()
    twin.write_bytes(content)
    engine.run(CheckRequest.from_settings([str(twin)], Settings(), cwd=str(tmp_path), jobs=1, fix=FixMode()))
    assert twin.read_bytes() == source.read_bytes()
