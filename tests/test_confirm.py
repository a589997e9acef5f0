"""--confirm: the flagged classes built with the real installed Keras (CPU).

TensorFlow is imported once per runner, so the cases share runners: one over
tests/confirm_cases/project (every probe, confirmed and not reproduced, argument
discovery, a training script that must not run) and one over tests/confirm_cases/hostile
(classes that hang, exit or crash, with a short time limit). Each `# expect:` comment in
those files is one finding and one test. The machine may be loaded: time limits are
generous, and the hostile ones are the only short ones.
"""
from __future__ import annotations

import ast
import io
import json
import os
import re
import subprocess
import sys
import textwrap

import pytest

from cliutil import KC101_SOURCE
from kerascheck import notebooks
from kerascheck.config import settings_from_table
from kerascheck.confirm import KerasMissing, isolation
from kerascheck.confirm.args import CallSites, Constants, decode
from kerascheck.confirm.runner import Options, Runner, Summary, options_from_settings
from kerascheck.finding import Confirmation, Finding

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CASES = os.path.join(HERE, "confirm_cases")
PROJECT = os.path.join(CASES, "project")
HOSTILE = os.path.join(CASES, "hostile")
MARKER = re.compile(r"#\s*expect:\s*(KC\d{3})\s+([\w-]+)(?:\s+\"([^\"]*)\")?")
WRITTEN_BY_SCRIPTS = ["TRAINING_STARTED.txt", "MODEL_SAVED.keras", "MAIN_RAN.txt", "pkg/REPORT_WRITTEN.txt",
                      "NOTEBOOK_RAN.txt"]

tf_installed = pytest.mark.skipif(
    __import__("importlib").util.find_spec("tensorflow") is None, reason="needs TensorFlow (the test extra)"
)


def markers(directory: str) -> list[tuple]:
    """(path, line, code, status, substring, cell); in a notebook the line counts in its cell."""
    found = []
    for folder, _, names in os.walk(directory):
        for name in sorted(names):
            path = os.path.join(folder, name)
            if name.endswith(".py"):
                with open(path, encoding="utf-8") as handle:
                    cells = [(None, handle.read().split("\n"))]
            elif name.endswith(".ipynb"):
                with open(path, "rb") as handle:
                    cells = sorted(notebooks.load(handle.read()).sources.items())
            else:
                continue
            for cell, lines in cells:
                for number, line in enumerate(lines, start=1):
                    match = MARKER.search(line)
                    if match:
                        found.append((path, number, *match.groups(), cell))
    return found


def run_cases(directory: str, timeout: float, examples=None, verbose=False) -> dict:
    cases = markers(directory)
    findings = [Finding(path, line, 1, code, "(a test finding)", cell=cell) for path, line, code, _, _, cell in cases]
    files = sorted({path for path, *_ in cases})
    notes: list[str] = []
    runner = Runner(Options(timeout=timeout, examples=examples or {}, note=notes.append, verbose=verbose))
    try:
        confirmed = runner.confirm(findings, files)
    finally:
        runner.close()
    return {
        "by_case": {(case[0], case[1], case[2]): f.confirmation for case, f in zip(cases, confirmed)},
        "summary": runner.summary,
        "notes": notes,
    }


def _case_id(case) -> str:
    path, line, code, status, _, _ = case
    return f"{os.path.relpath(path, CASES)}:{line}:{code}:{status}"


PROJECT_CASES = markers(PROJECT)
HOSTILE_CASES = markers(HOSTILE)


@pytest.fixture(scope="module")
def project_run():
    for name in WRITTEN_BY_SCRIPTS:
        if os.path.exists(os.path.join(PROJECT, name)):
            os.remove(os.path.join(PROJECT, name))
    examples = {"arguments.Configured": {"kwargs": {"encoder_spec": {"width": 5}}, "input-shape": [5]}}
    return run_cases(PROJECT, timeout=120, examples=examples)


@pytest.fixture(scope="module")
def hostile_run():
    return run_cases(HOSTILE, timeout=8, verbose=True)


def _check(run: dict, case) -> None:
    path, line, code, status, substring, _ = case
    if path.endswith("legacy_weights.py") and __import__("importlib").util.find_spec("tf_keras") is None:
        pytest.skip("needs tf_keras (the test extra)")
    confirmation = run["by_case"][(path, line, code)]
    assert confirmation is not None, f"no confirmation for {_case_id(case)}"
    assert confirmation.status == status, f"{_case_id(case)}: {confirmation}"
    if substring:
        assert substring in confirmation.detail, f"{_case_id(case)}: {confirmation.detail!r}"
    if status in ("confirmed", "not-reproduced"):
        assert confirmation.keras_version, confirmation


@tf_installed
@pytest.mark.parametrize("case", PROJECT_CASES, ids=[_case_id(c) for c in PROJECT_CASES])
def test_project_case(project_run, case):
    _check(project_run, case)


@tf_installed
def test_every_probe_has_a_confirmed_and_a_not_reproduced_case():
    from kerascheck.confirm.targets import CONFIRMABLE

    statuses = {(code, status) for _, _, code, status, _, _ in PROJECT_CASES}
    for code in sorted(CONFIRMABLE):
        assert (code, "confirmed") in statuses, code
        if code not in ("KC301",):  # every KC301 shape fails on Keras 3; its negative is the helper case
            assert (code, "not-reproduced") in statuses, code


@tf_installed
def test_training_script_and_script_modules_never_run(project_run):
    for name in WRITTEN_BY_SCRIPTS:
        assert not os.path.exists(os.path.join(PROJECT, name)), f"{name} was written: a script's top level ran"


@tf_installed
def test_versions_and_summary(project_run):
    summary: Summary = project_run["summary"]
    from importlib.metadata import version  # not `import keras`: this process stays TensorFlow-free

    assert summary.keras_version == version("keras")
    legacy = [c for (path, _, _), c in project_run["by_case"].items()
              if path.endswith("legacy_weights.py") and c.status == "not-reproduced"]
    assert legacy and all(c.keras_version == version("tf_keras") for c in legacy)
    assert summary.counts["confirmed"] > 15 and summary.counts["not-reproduced"] > 10
    assert summary.restarts == 0
    assert "confirmed" in summary.line() and "Keras" in summary.line()


@tf_installed
@pytest.mark.parametrize("case", HOSTILE_CASES, ids=[_case_id(c) for c in HOSTILE_CASES])
def test_hostile_case(hostile_run, case):
    _check(hostile_run, case)


@tf_installed
def test_hostile_classes_cost_a_restart_each_not_the_run(hostile_run):
    summary = hostile_run["summary"]
    # os._exit and the alarm-blocking sleep kill the worker; the Python loop and
    # sys.exit do not; the noisy class after them is still confirmed.
    assert 2 <= summary.restarts <= 3  # 3 only if the machine is too loaded to end the loop in time
    assert summary.counts["confirmed"] == 1


@tf_installed
def test_user_output_is_kept_out_unless_verbose(project_run, hostile_run):
    shown = "\n".join(hostile_run["notes"])  # the hostile run is verbose
    for text in ("NOISY STDOUT", "NOISY STDERR", "NOISY FD1"):
        assert text in shown, text
    assert "module-level print" not in shown  # a bare statement at the top level: never run
    assert not any("output of" in note for note in project_run["notes"])


@tf_installed
def test_the_main_process_never_imports_tensorflow(tmp_path):
    """The static run imports neither TensorFlow nor the user's modules; with --confirm,
    only the worker process does."""
    (tmp_path / "layer.py").write_text(textwrap.dedent("""
        import os
        import tensorflow as tf
        from tensorflow import keras
        open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "IMPORTED.txt"), "w").write("ran")
        class Scale(keras.layers.Layer):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.s = tf.Variable(2.0)
            def call(self, inputs):
                return inputs * self.s
    """))
    program = textwrap.dedent(f"""
        import sys
        import kerascheck
        from kerascheck.config import Settings
        static = kerascheck.check_paths([{str(tmp_path)!r}], Settings(root={str(tmp_path)!r}))
        assert static.findings and static.confirmation is None
        assert "tensorflow" not in sys.modules and "keras" not in sys.modules, "static run"
        confirmed = kerascheck.check_paths([{str(tmp_path)!r}], Settings(root={str(tmp_path)!r}), confirm=True)
        assert "tensorflow" not in sys.modules and "keras" not in sys.modules, "confirm run"
        print([f.confirmation.status for f in confirmed.findings if f.confirmation])
    """)
    run = subprocess.run([sys.executable, "-c", program], cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    assert "'confirmed'" in run.stdout, run.stdout
    assert not (tmp_path / "IMPORTED.txt").exists()


def test_progress_bar_only_on_a_terminal():
    from kerascheck.confirm.progress import ProgressBar

    class Stream(io.StringIO):
        def __init__(self, tty):
            super().__init__()
            self.tty = tty

        def isatty(self):
            return self.tty

    terminal, pipe = Stream(True), Stream(False)
    for stream in (terminal, pipe):
        bar = ProgressBar(stream)
        for done in range(6):
            bar(done, 5, "pkg.Layer")
    assert "confirming [" in terminal.getvalue() and "5/5" not in terminal.getvalue()
    assert terminal.getvalue().endswith("\r\x1b[K")
    assert pipe.getvalue() == ""
    few = Stream(True)
    ProgressBar(few)(0, 2, "pkg.Layer")
    assert few.getvalue() == ""


# ---- the pipeline: check, confirm, filter ------------------------------------------------------------
LINEAR_LAYERS = """\
    import keras
    import tensorflow as tf
    from keras import ops


    class Linear(keras.layers.Layer):
        def __init__(self, units=4, input_dim=8, **kwargs):
            super().__init__(**kwargs)
            self.w = tf.Variable(tf.random.normal((input_dim, units)))


    class SlicingLinear(keras.layers.Layer):
        def __init__(self, units=4, input_dim=8, **kwargs):
            super().__init__(**kwargs)
            self.input_dim = input_dim
            self.w = self.add_weight(shape=(input_dim, units), name="w")

        def call(self, inputs):
            return ops.matmul(inputs[:, : self.input_dim], self.w)
"""


@tf_installed
def test_confirm_is_a_step_after_one_check(tmp_path, monkeypatch):
    """check_paths(confirm=True): the worker starts first (its Keras import overlaps the
    static check), the check runs once, the confirmation runs over its findings, and
    --confirm-only filters what the confirmation said last."""
    import kerascheck
    from kerascheck import engine
    from kerascheck.config import Settings
    from kerascheck.confirm import runner as runner_module

    (tmp_path / "layers.py").write_text(textwrap.dedent(LINEAR_LAYERS))
    steps = []

    def recorded(name, original):
        def step(*args, **kwargs):
            steps.append(name)
            return original(*args, **kwargs)
        return step

    monkeypatch.setattr(runner_module._Process, "__init__", recorded("worker", runner_module._Process.__init__))
    monkeypatch.setattr(engine, "run", recorded("check", engine.run))
    monkeypatch.setattr(Runner, "confirm", recorded("confirm", Runner.confirm))
    settings = Settings(root=str(tmp_path), select=("KC101", "KC102"), confirm_timeout=120)
    monkeypatch.chdir(tmp_path)
    result = kerascheck.check_paths(["."], settings, jobs=1, confirm=True, confirm_only=True)
    assert steps == ["worker", "check", "confirm"]
    # KC101 on Linear is confirmed; KC102 on SlicingLinear (it slices its inputs) is not
    # reproduced: counted by the confirmation, then dropped by --confirm-only.
    assert result.confirmation.counts["not-reproduced"] == 1, [f.confirmation for f in result.findings]
    assert [(f.line, f.code, f.confirmation.status) for f in result.findings] == [(9, "KC101", "confirmed")]


@tf_installed
def test_call_sites_come_from_every_discovered_file_with_diff_base(tmp_path, monkeypatch):
    """With --diff-base only the changed file is checked, but the flagged class's call
    site in an unchanged file still gives the confirmation its constructor arguments."""
    import kerascheck
    from kerascheck.config import Settings

    (tmp_path / "layers.py").write_text(textwrap.dedent("""\
        import keras
        import tensorflow as tf


        class Scaled(keras.layers.Layer):
            def __init__(self, spec, **kwargs):
                super().__init__(**kwargs)
                self.s = tf.Variable(tf.ones((spec,)))

            def call(self, inputs):
                return inputs * self.s
    """))
    (tmp_path / "model.py").write_text("from layers import Scaled\n\nSCALED = Scaled(3)\n")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"]
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "base"]):
        subprocess.run([*git, *command], cwd=tmp_path, check=True, capture_output=True)
    with open(tmp_path / "layers.py", "a") as handle:
        handle.write("# changed\n")
    monkeypatch.chdir(tmp_path)
    settings = Settings(root=str(tmp_path), select=("KC101",), confirm_timeout=120)
    result = kerascheck.check_paths(["."], settings, jobs=1, diff_base="HEAD", confirm=True)
    assert result.files_checked == 1
    [finding] = result.findings
    assert (finding.path, finding.confirmation.status) == ("layers.py", "confirmed"), finding.confirmation


# ---- the command line, end to end ---------------------------------------------------------------------
@tf_installed
def test_cli_confirms_the_fixtures(tmp_path):
    run = subprocess.run(
        [sys.executable, "-m", "kerascheck", "--confirm", "--isolated", "--no-cache", "--output-format", "json",
         "--confirm-timeout", "120", "fixtures/"],
        cwd=ROOT, capture_output=True, text=True, timeout=900,
    )
    assert run.returncode == 1, run.stderr
    findings = json.loads(run.stdout)
    confirmations = {(f["path"], f["line"], f["code"]): f.get("confirmation") for f in findings}
    by_code = {}
    for (path, _, code), confirmation in confirmations.items():
        if confirmation:
            by_code.setdefault(code, []).append(confirmation["status"])
    for code in ("KC101", "KC102", "KC104", "KC105", "KC201", "KC210", "KC301", "KC304"):
        assert "confirmed" in by_code.get(code, []), (code, by_code)
    assert all(set(c) == {"status", "detail", "keras_version"} for c in confirmations.values() if c)
    assert not any(c for (path, _, code), c in confirmations.items() if code in ("KC401", "KC402", "KC403", "KC404"))
    summary = [line for line in run.stderr.splitlines() if line.startswith("Confirmation on Keras")]
    assert len(summary) == 1, run.stderr
    assert "oneDNN" not in run.stderr and "cuda" not in run.stderr.lower()


NO_KERAS_SITE = """
    import sys

    class Block:
        \"\"\"Keras 3 and tf_keras cannot be found, as where neither is installed.\"\"\"

        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in ("keras", "tf_keras"):
                raise ImportError(f"No module named {name!r}")
            return None

    sys.meta_path.insert(0, Block())
"""
NEEDS_KERAS = "--confirm needs Keras: pip install 'kerascheck[confirm]'"


def _without_keras(tmp_path) -> str:
    """A PYTHONPATH under which no Keras can be imported (a sitecustomize that blocks
    them: the missing package, not a stand-in for what Keras does), this checkout first."""
    blocker = tmp_path / "no_keras"
    blocker.mkdir()
    (blocker / "sitecustomize.py").write_text(textwrap.dedent(NO_KERAS_SITE))
    return os.pathsep.join(filter(None, [str(blocker), ROOT, os.environ.get("PYTHONPATH")]))


def test_no_keras_raises_with_what_to_install(tmp_path, monkeypatch):
    """A worker whose Python cannot import Keras: KerasMissing says what to install, and
    nothing is noted besides (the caller says it, once)."""
    monkeypatch.setenv("PYTHONPATH", _without_keras(tmp_path))
    source = tmp_path / "layer.py"
    source.write_text("import keras\nclass L(keras.layers.Layer):\n    def __init__(self):\n        super().__init__()\n")
    notes = []
    findings = [Finding(str(source), 4, 1, "KC101", "m"), Finding(str(source), 3, 1, "KC302", "m")]
    with Runner(Options(timeout=30, note=notes.append)) as runner:
        with pytest.raises(KerasMissing, match=re.escape(NEEDS_KERAS)) as raised:
            runner.confirm(findings, [str(source)])
    assert isinstance(raised.value, ImportError)
    assert "No module named 'keras'" in str(raised.value)
    assert notes == []


def test_cli_without_keras_says_so_once_and_exits_2(tmp_path):
    """`kerascheck --confirm` where no Keras can be imported: one line saying what to
    install, exit 2, no report (the run could not do what it was asked), no traceback."""
    project = tmp_path / "project"
    project.mkdir()
    (project / "layer.py").write_text(KC101_SOURCE)
    environment = dict(os.environ, PYTHONPATH=_without_keras(tmp_path))
    for output in ("full", "json"):
        run = subprocess.run(
            [sys.executable, "-m", "kerascheck", "--confirm", "--isolated", "--no-cache", "--output-format", output,
             "layer.py"],
            cwd=project, env=environment, capture_output=True, text=True, timeout=600,
        )
        assert run.returncode == 2, run.stderr
        assert run.stdout == ""
        assert run.stderr.count(NEEDS_KERAS) == 1, run.stderr
        assert run.stderr.startswith(f"kerascheck: error: {NEEDS_KERAS}"), run.stderr
        assert "Traceback" not in run.stderr and "skipped" not in run.stderr
    # Without --confirm the same environment lints as usual: only --confirm needs Keras.
    static = subprocess.run(
        [sys.executable, "-m", "kerascheck", "--isolated", "--no-cache", "--output-format", "concise", "layer.py"],
        cwd=project, env=environment, capture_output=True, text=True, timeout=600,
    )
    assert static.returncode == 1 and "KC101" in static.stdout, static.stderr


# ---- without TensorFlow: isolation, arguments, configuration, output ---------------------------------
def _selected(source: str, needs, target=None) -> str:
    tree = ast.parse(textwrap.dedent(source))
    return ast.unparse(isolation.select(tree, needs, target))


SCRIPT = """
    import os
    import numpy as np
    import keras
    from keras import layers

    EPOCHS = 3
    SIZE = EPOCHS * 2

    def helper(x):
        return x * SIZE

    class Base(layers.Layer):
        pass

    class Net(Base):
        def call(self, inputs):
            return helper(inputs)

    x = np.random.rand(8, 4)
    model = keras.Sequential([Net()])
    history = model.fit(x, x, epochs=EPOCHS)
    with open("out.txt", "w") as handle:
        handle.write("x")
    for i in range(3):
        print(i)

    if __name__ == "__main__":
        model.save("model.keras")
"""


def test_isolation_keeps_what_the_class_needs_and_nothing_that_runs(tmp_path):
    path = tmp_path / "train.py"
    path.write_text(textwrap.dedent(SCRIPT))
    planner = isolation.Planner(lambda p: open(p).read(), lambda p: str(tmp_path))
    plan = planner.plan(str(path), "Net", 16)
    assert plan.needs[str(path)]["names"] == {"Net", "Base", "helper", "SIZE", "EPOCHS", "layers"}
    code = _selected(SCRIPT, plan.needs[str(path)])
    assert "class Net" in code and "def helper" in code and "SIZE = EPOCHS * 2" in code
    for never in ("fit", "open(", "print", "model.save", "np.random", "import os", "import numpy"):
        assert never not in code, never


def test_isolation_follows_in_tree_imports_without_running_scripts(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text("from pkg.script import run\nfrom pkg.blocks import Block\n")
    (tmp_path / "pkg" / "script.py").write_text("print('ran')\ndef run():\n    pass\n")
    (tmp_path / "pkg" / "blocks.py").write_text("import keras\nUNITS = 4\nclass Block(keras.layers.Layer):\n    units = UNITS\n")
    (tmp_path / "model.py").write_text("import keras\nfrom pkg import Block\nclass M(keras.Model):\n    block = Block\n")
    planner = isolation.Planner(lambda p: open(p).read(), lambda p: str(tmp_path))
    plan = planner.plan(str(tmp_path / "model.py"), "M", 3)
    needs = {os.path.relpath(k, tmp_path): v for k, v in plan.needs.items()}
    assert needs["pkg/__init__.py"]["names"] == {"Block"}
    assert needs["pkg/blocks.py"]["names"] == {"Block", "keras", "UNITS"}
    assert "pkg/script.py" not in needs


def test_a_rebound_global_is_taken_as_bound_before_the_class(tmp_path):
    source = textwrap.dedent("""
        import keras
        model = keras.models.load_model("saved.keras")
        units = 4
        model = keras.Sequential([keras.layers.Dense(units)])
        class Wrapper(keras.layers.Layer):
            def call(self, x):
                return model(x) + helper(x)
        model = keras.models.load_model("other.keras")
        def helper(x):
            return x
        def helper(x):
            return 2 * x
    """)
    path = tmp_path / "script.py"
    path.write_text(source)
    plan = isolation.Planner(lambda p: open(p).read(), lambda p: str(tmp_path)).plan(str(path), "Wrapper", 6)
    code = _selected(source, plan.needs[str(path)])
    assert "load_model" not in code
    assert "keras.Sequential" in code and "units = 4" in code
    assert code.count("def helper") == 1 and "return x\n" in code + "\n"


def test_main_guard_and_definitions_only():
    assert isolation.definitions_only(ast.parse("import keras\nX = 1\nclass A: pass\nif __name__ == '__main__':\n    main()\n"))
    assert not isolation.definitions_only(ast.parse("import keras\nmodel = build()\n"))
    assert not isolation.definitions_only(ast.parse("import keras\nkeras.utils.set_random_seed(0)\n"))
    assert isolation.definitions_only(ast.parse("import keras\ninit = keras.initializers.GlorotUniform()\n"))
    assert "main" not in _selected("if __name__ == '__main__':\n    main = 1\n", {"main"})


def test_call_sites_resolve_constants_and_enclosing_defaults(tmp_path):
    (tmp_path / "config.py").write_text("WIDTH = 10\n")
    source = tmp_path / "model.py"
    source.write_text(textwrap.dedent("""
        from config import WIDTH
        HIDDEN = 2 * 3
        class Block: ...
        def make(units=HIDDEN, act=None):
            return Block(units, width=WIDTH, name=f"x{units}", activation=act, shape=(1, -2))
    """))
    read = lambda p: open(p).read()  # noqa: E731
    constants = Constants(lambda p: ast.parse(read(p)), lambda p: [str(tmp_path)])
    sites = CallSites([str(source)], read, constants).find("Block", str(source))
    assert len(sites) == 1
    site = sites[0]
    assert decode(site.args) == [6]
    kwargs = decode(site.kwargs)
    assert kwargs["width"] == 10 and kwargs["shape"] == (1, -2)
    assert repr(kwargs["name"]).startswith("f")  # not a literal: left to the worker
    assert kwargs["activation"] is None  # the enclosing function's default


def test_configuration_of_confirm():
    settings = settings_from_table({"confirm": {
        "enabled": True, "timeout": 30,
        "pkg.layers.Linear": {"args": [32], "kwargs": {"input_dim": 8}, "input-shape": [8], "dtype": "float32"},
    }})
    assert settings.confirm and settings.confirm_timeout == 30
    options = options_from_settings(settings)
    assert options.timeout == 30
    assert options.examples["pkg.layers.Linear"]["args"] == [32]
    assert settings_from_table({"confirm": True}).confirm
    assert not settings_from_table({}).confirm


def test_confirmation_in_json_only_when_present():
    finding = Finding("a.py", 1, 1, "KC101", "m")
    assert "confirmation" not in finding.to_dict()
    import dataclasses

    confirmed = dataclasses.replace(finding, confirmation=Confirmation("confirmed", "seen", "3.15.1"))
    assert confirmed.to_dict()["confirmation"] == {"status": "confirmed", "detail": "seen", "keras_version": "3.15.1"}
