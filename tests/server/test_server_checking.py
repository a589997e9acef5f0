"""The server's door into the checker (kerascheck.server.checking), without the protocol:
the warm workspace index, its incremental updates, the settings, the fixes."""
import json
import textwrap

from kerascheck import api
from kerascheck.server.checking import Cell, rule_page
from kerascheck.server.workspace import Workspace

LAYER_BASE = """\
import keras


class Base(keras.layers.Layer):
    pass
"""
PLAIN_BASE = """\
class Base:
    pass
"""
SUBCLASS = """\
import tensorflow as tf

from base import Base


class Sub(Base):
    def build(self, input_shape):
        self.w = tf.Variable(tf.zeros((4,)))
"""
KC101 = """\
import tensorflow as tf
import keras


class Linear(keras.layers.Layer):
    def build(self, input_shape):
        self.w = tf.Variable(tf.zeros((input_shape[-1], 4)))
"""
KC104 = """\
import keras


class Linear(keras.layers.Layer):
    def build(self, input_shape):
        self.w = self.add_weight("kernel", shape=(input_shape[-1], 4))
"""


def write(root, files):
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def codes(checked):
    return [finding.code for finding in checked.findings]


def loaded(root):
    workspace = Workspace([str(root)])
    workspace.load()
    return workspace


def test_the_unsaved_buffer_is_checked(tmp_path):
    write(tmp_path, {"model.py": "x = 1\n"})
    workspace = loaded(tmp_path)
    assert codes(workspace.check(str(tmp_path / "model.py"), KC101)) == ["KC101"]
    assert codes(workspace.check(str(tmp_path / "model.py"), "x = 1\n")) == []


def test_a_subclass_is_checked_against_its_base_in_another_file(tmp_path):
    write(tmp_path, {"base.py": LAYER_BASE, "sub.py": SUBCLASS})
    workspace = loaded(tmp_path)
    assert workspace.projects[str(tmp_path)].disk.keys() == {str(tmp_path / "base.py"), str(tmp_path / "sub.py")}
    assert codes(workspace.check(str(tmp_path / "sub.py"), SUBCLASS)) == ["KC101"]


def test_editing_the_base_buffer_rechecks_the_open_subclass(tmp_path):
    write(tmp_path, {"base.py": LAYER_BASE, "sub.py": SUBCLASS})
    workspace = loaded(tmp_path)
    sub, base = str(tmp_path / "sub.py"), str(tmp_path / "base.py")
    workspace.check(sub, SUBCLASS)
    assert workspace.check(base, LAYER_BASE).recheck == frozenset()  # same facts as on disk
    assert workspace.check(base, PLAIN_BASE).recheck == {sub}
    assert codes(workspace.check(sub, SUBCLASS)) == []
    # A base buffer that no longer parses keeps its last facts: no flicker in the subclass.
    assert codes(workspace.check(base, "class Base(:\n")) == ["KC001"]
    assert codes(workspace.check(sub, SUBCLASS)) == []
    # Closing the base buffer without saving: the file on disk counts again.
    assert workspace.close(base) == {sub}
    assert codes(workspace.check(sub, SUBCLASS)) == ["KC101"]


def test_a_file_changed_on_disk_updates_the_index(tmp_path):
    write(tmp_path, {"base.py": PLAIN_BASE, "sub.py": SUBCLASS, "other.py": "x = 1\n"})
    workspace = loaded(tmp_path)
    sub = str(tmp_path / "sub.py")
    assert codes(workspace.check(sub, SUBCLASS)) == []
    (tmp_path / "base.py").write_text(LAYER_BASE, encoding="utf-8")
    recheck, errors = workspace.files_changed([(str(tmp_path / "base.py"), False)])
    assert recheck == {sub} and errors == []
    assert codes(workspace.check(sub, SUBCLASS)) == ["KC101"]
    # a change to a file the subclass never looked at re-checks nothing
    (tmp_path / "other.py").write_text("y = 2\n", encoding="utf-8")
    assert workspace.files_changed([(str(tmp_path / "other.py"), False)]) == (frozenset(), [])
    (tmp_path / "base.py").unlink()
    assert workspace.files_changed([(str(tmp_path / "base.py"), True)])[0] == {sub}
    assert codes(workspace.check(sub, SUBCLASS)) == []


def test_a_new_file_that_an_open_file_imports_joins_the_index(tmp_path):
    write(tmp_path, {"sub.py": SUBCLASS})
    workspace = loaded(tmp_path)
    sub = str(tmp_path / "sub.py")
    assert codes(workspace.check(sub, SUBCLASS)) == []
    write(tmp_path, {"base.py": LAYER_BASE})
    assert workspace.files_changed([(str(tmp_path / "base.py"), False)])[0] == {sub}
    assert codes(workspace.check(sub, SUBCLASS)) == ["KC101"]


def test_settings_come_from_the_workspace_configuration_as_the_cli_reads_them(tmp_path):
    write(tmp_path, {
        "pyproject.toml": """
            [tool.kerascheck]
            extend-select = ["KC104"]
            per-file-ignores = {"legacy/*" = ["KC101"]}
        """,
        "model.py": "x = 1\n",
        "legacy/old.py": "x = 1\n",
    })
    workspace = loaded(tmp_path)
    assert codes(workspace.check(str(tmp_path / "model.py"), KC101 + "\n\n" + KC104.split("\n", 2)[2])) == ["KC101", "KC104"]
    assert codes(workspace.check(str(tmp_path / "legacy" / "old.py"), KC101)) == []


def test_a_broken_configuration_falls_back_to_the_defaults_and_says_why(tmp_path):
    write(tmp_path, {"kerascheck.toml": "select = [\"KC999\"]\n", "model.py": "x = 1\n"})
    workspace = loaded(tmp_path)
    project = workspace.projects[str(tmp_path)]
    assert "unknown rule selector 'KC999'" in project.settings_error
    assert codes(workspace.check(str(tmp_path / "model.py"), KC101)) == ["KC101"]
    write(tmp_path, {"kerascheck.toml": "ignore = [\"KC101\"]\n"})
    recheck, errors = workspace.files_changed([(str(tmp_path / "kerascheck.toml"), False)])
    assert errors == [] and project.settings_error is None
    assert codes(workspace.check(str(tmp_path / "model.py"), KC101)) == []


def test_fix_all_applies_the_safe_fixes_as_the_api_does(tmp_path):
    workspace = loaded(tmp_path)
    path = str(tmp_path / "model.py")
    fixed, errors = workspace.fix_all(path, KC104)
    assert errors == []
    assert fixed == api.fix_source(KC104, path)[0]
    assert 'self.add_weight(name="kernel"' in fixed
    # KC101's fix is unsafe: fix-all leaves it
    assert workspace.fix_all(path, KC101) == (None, [])


def test_fix_all_in_a_notebook_changes_only_its_cells(tmp_path):
    workspace = loaded(tmp_path)
    cells = [Cell("markdown", "# A layer"), Cell("code", "import keras\n"), Cell("code", KC104.split("\n", 1)[1])]
    fixed, errors = workspace.fix_all(str(tmp_path / "nb.ipynb"), cells)
    assert errors == []
    assert [cell.text for cell in fixed[:2]] == ["# A layer", "import keras\n"]
    assert 'self.add_weight(name="kernel"' in fixed[2].text


def test_notebook_findings_name_their_cell(tmp_path):
    workspace = loaded(tmp_path)
    cells = [Cell("markdown", "# Title"), Cell("code", "import tensorflow as tf\nimport keras\n"),
             Cell("code", KC101.split("\n", 2)[2])]
    checked = workspace.check(str(tmp_path / "nb.ipynb"), cells)
    [finding] = checked.findings
    assert (finding.code, finding.cell, finding.line) == ("KC101", 3, 5)


def test_a_file_outside_every_folder_is_checked_with_its_own_imports(tmp_path):
    write(tmp_path, {"elsewhere/base.py": LAYER_BASE, "elsewhere/sub.py": SUBCLASS, "folder/a.py": "x = 1\n"})
    workspace = loaded(tmp_path / "folder")
    checked = workspace.check(str(tmp_path / "elsewhere" / "sub.py"), SUBCLASS)
    assert codes(checked) == ["KC101"]
    loose = workspace.projects[str(tmp_path / "elsewhere")]
    assert not loose.scan_tree and str(tmp_path / "elsewhere" / "base.py") in loose.disk


def test_excluded_files_stay_out_of_the_index_unless_imported(tmp_path):
    write(tmp_path, {
        "kerascheck.toml": 'extend-exclude = ["vendor/"]\n',
        "vendor/unused.py": LAYER_BASE,
        "main.py": "x = 1\n",
    })
    workspace = loaded(tmp_path)
    assert set(workspace.projects[str(tmp_path)].disk) == {str(tmp_path / "main.py")}
    (tmp_path / "vendor" / "unused.py").write_text(PLAIN_BASE, encoding="utf-8")
    workspace.files_changed([(str(tmp_path / "vendor" / "unused.py"), False)])
    assert set(workspace.projects[str(tmp_path)].disk) == {str(tmp_path / "main.py")}


def test_rule_page_is_what_kerascheck_rule_prints():
    page = rule_page("kc101")
    assert page.startswith("# KC101: tf-variable-in-layer") and not page.endswith("\n")
    assert rule_page("KC999") is None


def test_notebook_json_is_a_notebook_the_checker_reads(tmp_path):
    from kerascheck import notebooks
    from kerascheck.server.checking import notebook_json

    text = notebook_json([Cell("markdown", "# t"), Cell("code", "x = 1\ny = 2")])
    loaded_notebook = notebooks.load(text)
    assert loaded_notebook.text == "x = 1\ny = 2\n"
    assert loaded_notebook.cells.locate(2) == (2, 2)
    assert json.loads(text)["cells"][1]["outputs"] == []


def test_a_change_elsewhere_does_not_make_the_subclass_forget_its_base(tmp_path):
    write(tmp_path, {"base.py": LAYER_BASE, "sub.py": SUBCLASS, "other.py": "x = 1\n"})
    workspace = loaded(tmp_path)
    sub, base, other = (str(tmp_path / name) for name in ("sub.py", "base.py", "other.py"))
    workspace.check(sub, SUBCLASS)
    assert workspace.check(other, "import keras\n").recheck == frozenset()  # nobody imports it
    assert workspace.check(base, PLAIN_BASE).recheck == {sub}


def test_moving_a_class_down_a_line_rechecks_nothing(tmp_path):
    write(tmp_path, {"base.py": LAYER_BASE, "sub.py": SUBCLASS})
    workspace = loaded(tmp_path)
    workspace.check(str(tmp_path / "sub.py"), SUBCLASS)
    assert workspace.check(str(tmp_path / "base.py"), "\n\n" + LAYER_BASE).recheck == frozenset()


def test_a_changed_pin_file_rechecks_the_open_files_with_the_new_target(tmp_path):
    write(tmp_path, {"model.py": "x = 1\n"})
    workspace = loaded(tmp_path)
    model = str(tmp_path / "model.py")
    assert codes(workspace.check(model, KC101)) == ["KC101"]  # Keras 3 by default
    write(tmp_path, {"requirements.txt": "tensorflow==2.15.0\n"})  # Keras 2: a tracked tf.Variable is fine
    recheck, _ = workspace.files_changed([(str(tmp_path / "requirements.txt"), False)])
    assert recheck == {model}
    assert codes(workspace.check(model, KC101)) == []


def test_an_excluded_file_gets_no_findings_as_with_force_exclude(tmp_path):
    write(tmp_path, {"kerascheck.toml": 'extend-exclude = ["generated/"]\n', "generated/model.py": "x = 1\n"})
    workspace = loaded(tmp_path)
    assert codes(workspace.check(str(tmp_path / "generated" / "model.py"), KC101)) == []
    assert workspace.fix_all(str(tmp_path / "generated" / "model.py"), KC104) == (None, [])
    # a buffer never saved is checked
    assert codes(workspace.check(str(tmp_path / "generated" / "new.py"), KC101)) == ["KC101"]


def test_a_file_checked_while_the_workspace_loads_sees_the_bases_it_imports(tmp_path, monkeypatch):
    from kerascheck.server import workspace as module

    monkeypatch.setattr(module, "LOAD_STEP", 2)
    write(tmp_path, {"a_sub.py": SUBCLASS, "b.py": "x = 1\n", "c.py": "y = 2\n", "z/base.py": PLAIN_BASE, "base.py": LAYER_BASE})
    workspace = Workspace([str(tmp_path)])
    steps = workspace.load_steps()
    assert next(steps) is None  # a_sub.py and b.py read; base.py not yet
    project = workspace.projects[str(tmp_path)]
    assert str(tmp_path / "base.py") not in project.disk
    sub = str(tmp_path / "a_sub.py")
    assert codes(workspace.check(sub, SUBCLASS)) == ["KC101"]  # base.py read as imported
    rest = [step for step in steps if step is not None]
    assert rest == [(str(tmp_path), 5, None, frozenset({sub}))]
    assert project.loaded and not project.loading


def test_a_check_before_the_first_load_step_does_not_load_the_project_itself(tmp_path):
    write(tmp_path, {"base.py": LAYER_BASE, "sub.py": SUBCLASS})
    workspace = Workspace([str(tmp_path)])
    steps = workspace.load_steps()  # the server hands this to its worker; a check may come first
    sub = str(tmp_path / "sub.py")
    assert codes(workspace.check(sub, SUBCLASS)) == ["KC101"]
    assert [step for step in steps if step is not None] == [(str(tmp_path), 2, None, frozenset({sub}))]
