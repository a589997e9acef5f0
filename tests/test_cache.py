"""The result cache: same results as a cold run, whatever changed in between (the file,
a base class in another file, a file that appeared or vanished, the settings), safe under
concurrent runs, corrupt or planted entries, and an unwritable directory."""
import os
import pickle
import subprocess
import textwrap

import pytest

from cliutil import CLEAN_SOURCE, KC101_SOURCE, executable, run_cli, write
from kerascheck import cache as cache_module
from kerascheck import check_paths, engine
from kerascheck.config import Settings

SUBCLASS = """\
    import tensorflow as tf
    from base import Base

    class Scale(Base):
        def build(self, input_shape):
            self.w = tf.Variable(1.0)
    """
KERAS_BASE = "import keras\n\nclass Base(keras.layers.Layer):\n    pass\n"
PLAIN_BASE = "class Base:\n    pass\n"


def lint(root, cache_dir=None, select=None, jobs=1):
    settings = Settings(select=select, root=str(root))
    result = check_paths([str(root)], settings, jobs=jobs, cache_dir=cache_dir)
    return sorted((f.path, f.line, f.column, f.code, f.message) for f in result.findings), result


@pytest.fixture
def checks(monkeypatch):
    """How many files the second pass really checked (the rest came from the cache)."""
    calls = []
    original = engine.Checker.check_recording

    def counting(self, scan):
        calls.append(os.path.basename(scan.path))
        return original(self, scan)

    monkeypatch.setattr(engine.Checker, "check_recording", counting)
    return calls


def test_warm_run_reuses_every_result(tmp_path, checks, monkeypatch):
    write(tmp_path, {"a.py": KC101_SOURCE, "b.py": CLEAN_SOURCE, "c.py": KC101_SOURCE, "d.py": "print 'py2'\n"})
    monkeypatch.chdir(tmp_path)
    cold, _ = lint(tmp_path, cache_dir=tmp_path / "cache")
    assert sorted(checks) == ["a.py", "b.py", "c.py", "d.py"]
    checks.clear()
    warm, _ = lint(tmp_path, cache_dir=tmp_path / "cache")
    assert checks == []
    assert warm == cold == lint(tmp_path)[0]
    assert sorted(code for *_, code, _ in warm) == ["KC001", "KC101", "KC101"]


def test_cache_directory_is_tagged_and_ignored_by_git(tmp_path):
    write(tmp_path, {"a.py": KC101_SOURCE})
    lint(tmp_path, cache_dir=tmp_path / ".kerascheck_cache")
    directory = tmp_path / ".kerascheck_cache"
    assert (directory / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172789f06886806bc55")
    assert (directory / ".gitignore").read_text().splitlines()[-1] == "*"


def test_an_edited_file_is_checked_again_and_only_it(tmp_path, checks):
    write(tmp_path, {"a.py": KC101_SOURCE, "b.py": KC101_SOURCE, "c.py": CLEAN_SOURCE})
    lint(tmp_path, cache_dir=tmp_path / "cache")
    checks.clear()
    write(tmp_path, {"b.py": CLEAN_SOURCE})
    warm, _ = lint(tmp_path, cache_dir=tmp_path / "cache")
    assert checks == ["b.py"]
    assert warm == lint(tmp_path)[0]
    assert [os.path.basename(path) for path, *_ in warm] == ["a.py"]


def test_a_base_class_changing_in_another_file_invalidates_its_subclass(tmp_path, checks):
    write(tmp_path, {"base.py": KERAS_BASE, "model.py": SUBCLASS, "other.py": CLEAN_SOURCE})
    first, _ = lint(tmp_path, cache_dir=tmp_path / "cache")
    assert [code for *_, code, _ in first] == ["KC101"]
    checks.clear()
    write(tmp_path, {"base.py": PLAIN_BASE})
    second, _ = lint(tmp_path, cache_dir=tmp_path / "cache")
    assert second == [] == lint(tmp_path)[0]
    assert sorted(checks) == ["base.py", "model.py"]  # other.py never looked at base.py
    checks.clear()
    write(tmp_path, {"base.py": KERAS_BASE})
    assert lint(tmp_path, cache_dir=tmp_path / "cache")[0] == first


def test_a_file_that_appears_can_change_what_an_import_means(tmp_path):
    write(tmp_path, {"model.py": SUBCLASS})
    assert lint(tmp_path, cache_dir=tmp_path / "cache")[0] == []
    write(tmp_path, {"base.py": KERAS_BASE})
    appeared, _ = lint(tmp_path, cache_dir=tmp_path / "cache")
    assert [code for *_, code, _ in appeared] == ["KC101"]
    os.remove(tmp_path / "base.py")
    assert lint(tmp_path, cache_dir=tmp_path / "cache")[0] == []


# Each step edits the project; after each, a warm run must equal a cold run.
PROJECT = {
    "pkg/__init__.py": "from .core import Base, Block\n",
    "pkg/core.py": """\
        import keras

        class Base(keras.layers.Layer):
            pass

        class Block(keras.layers.Layer):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.drop = keras.layers.Dropout(0.1)

            def call(self, x, training=None):
                return self.drop(x, training=training)
        """,
    "app/model.py": """\
        import keras
        import tensorflow as tf
        from pkg import Base, Block

        class Scale(Base):
            def build(self, input_shape):
                self.w = tf.Variable(1.0)

        class Net(keras.Model):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.block = Block()

            def call(self, x):
                return self.block(x)
        """,
    "app/star.py": """\
        import tensorflow as tf
        from pkg.core import *

        class Star(Base):
            def call(self, x):
                self.v = tf.Variable(x)
                return x
        """,
    "unrelated.py": "x = 1\n",
}
STEPS = [
    ("unrelated edit", {"unrelated.py": "x = 2\n"}),
    ("base stops being a layer", {"pkg/core.py": PROJECT["pkg/core.py"].replace("class Base(keras.layers.Layer):", "class Base:")}),
    ("block loses its dropout", {"pkg/core.py": PROJECT["pkg/core.py"].replace("keras.layers.Dropout(0.1)", "keras.layers.Dense(1)")}),
    ("re-export removed", {"pkg/__init__.py": ""}),
    ("re-export restored", {"pkg/__init__.py": PROJECT["pkg/__init__.py"]}),
    ("core unparsable", {"pkg/core.py": "import keras\nclass Base(keras.layers.Layer:\n"}),
    ("core back", {"pkg/core.py": PROJECT["pkg/core.py"]}),
    ("a module shadows the package", {"app/pkg.py": "class Base:\n    pass\nclass Block:\n    pass\n"}),
    ("shadow removed", {"app/pkg.py": None}),
    ("model edited", {"app/model.py": PROJECT["app/model.py"].replace("def call(self, x):", "def call(self, x, training=None):")}),
]


def test_warm_runs_equal_cold_runs_through_cross_file_edits(tmp_path):
    write(tmp_path, PROJECT)
    cache_dir = tmp_path.parent / (tmp_path.name + "-cache")
    assert lint(tmp_path, cache_dir=cache_dir)[0] == lint(tmp_path)[0]
    for name, files in STEPS:
        for relative, text in files.items():
            if text is None:
                os.remove(tmp_path / relative)
            else:
                write(tmp_path, {relative: text})
        cold = lint(tmp_path)[0]
        assert lint(tmp_path, cache_dir=cache_dir)[0] == cold, name
        assert lint(tmp_path, cache_dir=cache_dir)[0] == cold, name  # and from the entries just written


def test_settings_are_part_of_the_key(tmp_path, checks):
    write(tmp_path, {"a.py": KC101_SOURCE, "b.py": "import keras\nkeras.Input(shape=3)\n"})
    every = lint(tmp_path, cache_dir=tmp_path / "cache")[0]
    only = lint(tmp_path, cache_dir=tmp_path / "cache", select=("KC101",))[0]
    assert only == lint(tmp_path, select=("KC101",))[0]
    assert len(every) > len(only) == 1
    checks.clear()
    assert lint(tmp_path, cache_dir=tmp_path / "cache")[0] == every  # both kept side by side
    assert checks == []


def test_display_paths_follow_the_current_directory(tmp_path, monkeypatch):
    write(tmp_path, {"src/a.py": KC101_SOURCE})
    monkeypatch.chdir(tmp_path)
    [(path, *_)], _ = lint(tmp_path / "src", cache_dir=tmp_path / "cache")
    assert path == os.path.join("src", "a.py")
    monkeypatch.chdir(tmp_path / "src")
    [(path, *_)], _ = lint(tmp_path / "src", cache_dir=tmp_path / "cache")
    assert path == "a.py"


def _entries(cache_dir):
    return [
        os.path.join(directory, name)
        for directory, _, names in os.walk(cache_dir)
        for name in names
        if name not in ("CACHEDIR.TAG", ".gitignore")
    ]


@pytest.mark.parametrize("damage", ["truncated", "garbage", "empty", "flipped byte"])
def test_a_corrupt_entry_is_ignored_and_rewritten(tmp_path, damage, checks):
    write(tmp_path, {"a.py": KC101_SOURCE})
    cold, _ = lint(tmp_path, cache_dir=tmp_path / "cache")
    [entry] = _entries(tmp_path / "cache")
    good = open(entry, "rb").read()
    broken = {
        "truncated": good[: len(good) // 2],
        "garbage": os.urandom(len(good)),
        "empty": b"",
        "flipped byte": good[:-1] + bytes([good[-1] ^ 1]),
    }[damage]
    with open(entry, "wb") as handle:
        handle.write(broken)
    checks.clear()
    assert lint(tmp_path, cache_dir=tmp_path / "cache")[0] == cold
    assert checks == ["a.py"]
    assert open(entry, "rb").read() != broken  # rewritten
    checks.clear()
    assert lint(tmp_path, cache_dir=tmp_path / "cache")[0] == cold
    assert checks == []


class _Exploit:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def test_a_planted_entry_cannot_run_code(tmp_path):
    """A cache directory committed by an attacker and checked out in CI: its entries are
    checksummed pickles, and the unpickler builds only kerascheck's data classes."""
    write(tmp_path, {"a.py": KC101_SOURCE})
    cold, _ = lint(tmp_path, cache_dir=tmp_path / "cache")
    [entry] = _entries(tmp_path / "cache")
    marker = tmp_path / "pwned"
    payload = pickle.dumps(_Exploit(marker))
    import hashlib

    blob = cache_module._MAGIC + hashlib.blake2b(payload, digest_size=cache_module._CHECKSUM_BYTES).digest() + payload
    with open(entry, "wb") as handle:
        handle.write(blob)
    assert lint(tmp_path, cache_dir=tmp_path / "cache")[0] == cold
    assert not marker.exists()


def test_no_cache_and_cache_dir_on_the_command_line(tmp_path):
    write(tmp_path, {"a.py": KC101_SOURCE})
    run = run_cli(["--no-cache", "--output-format", "concise", "."], cwd=tmp_path)
    assert run.returncode == 1 and not (tmp_path / ".kerascheck_cache").exists()
    run = run_cli(["--output-format", "concise", "."], cwd=tmp_path)
    assert run.returncode == 1 and (tmp_path / ".kerascheck_cache" / "CACHEDIR.TAG").exists()
    elsewhere = tmp_path.parent / (tmp_path.name + "-elsewhere")
    again = run_cli(["--cache-dir", str(elsewhere), "--output-format", "concise", "."], cwd=tmp_path)
    assert again.stdout == run.stdout and (elsewhere / "CACHEDIR.TAG").exists()
    by_env = tmp_path.parent / (tmp_path.name + "-env")
    env_run = run_cli(["--output-format", "concise", "."], cwd=tmp_path, env={"KERASCHECK_CACHE_DIR": str(by_env)})
    assert env_run.stdout == run.stdout and (by_env / "CACHEDIR.TAG").exists()


def test_cache_lives_beside_the_config_file(tmp_path):
    write(tmp_path, {"kerascheck.toml": "select = ['KC101']\n", "src/a.py": KC101_SOURCE})
    run_cli(["."], cwd=tmp_path / "src")
    assert (tmp_path / ".kerascheck_cache").is_dir()
    assert not (tmp_path / "src" / ".kerascheck_cache").exists()


def test_clean(tmp_path):
    write(tmp_path, {"a.py": KC101_SOURCE})
    run_cli(["."], cwd=tmp_path)
    assert (tmp_path / ".kerascheck_cache").is_dir()
    run = run_cli(["clean"], cwd=tmp_path)
    assert run.returncode == 0 and "removed" in run.stderr
    assert not (tmp_path / ".kerascheck_cache").exists()
    run = run_cli(["clean"], cwd=tmp_path)
    assert run.returncode == 0 and "no cache" in run.stderr


def test_clean_refuses_a_directory_that_is_not_a_cache(tmp_path):
    write(tmp_path, {"precious/keep.txt": "data"})
    run = run_cli(["clean", "--cache-dir", str(tmp_path / "precious")], cwd=tmp_path)
    assert run.returncode == 2 and "not a kerascheck cache" in run.stderr
    assert (tmp_path / "precious" / "keep.txt").exists()


def test_an_unwritable_cache_is_a_warning_not_a_failure(tmp_path):
    write(tmp_path, {"a.py": KC101_SOURCE, "blocker": "a file where the cache directory should be"})
    run = run_cli(["--cache-dir", str(tmp_path / "blocker" / "cache"), "--output-format", "concise", "."], cwd=tmp_path)
    assert run.returncode == 1
    assert "warning: cannot write the cache" in run.stderr
    assert "a.py:6:18: KC101" in run.stdout


def test_entries_of_another_kerascheck_version_are_dropped(tmp_path):
    write(tmp_path, {"a.py": KC101_SOURCE})
    stale = tmp_path / "cache" / "v1-0123456789abcdef0123" / "ab"
    stale.mkdir(parents=True)
    (stale / "entry").write_bytes(b"old")
    lint(tmp_path, cache_dir=tmp_path / "cache")
    assert not (tmp_path / "cache" / "v1-0123456789abcdef0123").exists()
    assert len(_entries(tmp_path / "cache")) == 1


def test_concurrent_runs_share_one_cache_safely(tmp_path):
    files = {f"m{number:02d}.py": (KC101_SOURCE if number % 3 else CLEAN_SOURCE) for number in range(24)}
    files["base.py"] = KERAS_BASE
    files["model.py"] = SUBCLASS
    write(tmp_path, files)
    expected = run_cli(["--no-cache", "--output-format", "concise", "."], cwd=tmp_path).stdout
    command = [executable(), "--output-format", "concise", "-j", "2", "."]
    runs = [
        subprocess.Popen(command, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(4)
    ]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert all(run.returncode == 1 for run in runs), [err for _, err in outputs]
    assert [out for out, _ in outputs] == [expected] * 4
    entries = {name: os.stat(name).st_mtime_ns for name in _entries(tmp_path / ".kerascheck_cache")}
    assert len(entries) == len(files)  # no temporary file left behind
    # What they left is complete and valid: a warm run finds everything and writes nothing.
    assert run_cli(["--output-format", "concise", "."], cwd=tmp_path).stdout == expected
    assert {name: os.stat(name).st_mtime_ns for name in _entries(tmp_path / ".kerascheck_cache")} == entries


def test_a_file_changing_during_the_run_is_not_cached_under_its_old_content(tmp_path, monkeypatch):
    write(tmp_path, {"a.py": KC101_SOURCE})
    original = engine.Checker.check_recording

    def edit_then_check(self, scan):
        write(tmp_path, {"a.py": CLEAN_SOURCE})  # the editor saves between the two passes
        return original(self, scan)

    monkeypatch.setattr(engine.Checker, "check_recording", edit_then_check)
    lint(tmp_path, cache_dir=tmp_path / "cache")
    monkeypatch.setattr(engine.Checker, "check_recording", original)
    assert lint(tmp_path, cache_dir=tmp_path / "cache")[0] == lint(tmp_path)[0] == []


def test_the_cache_tolerates_what_the_index_iterates(tmp_path, monkeypatch):
    """A check that walks every module (not one lookup at a time) depends on all of them."""
    asked = engine._LookupRecorder({"a": 1, "b": 2})
    assert asked.get("a") == 1 and "c" not in asked and asked.asked == {"a", "c"}
    assert not asked.everything
    assert sorted(asked.values()) == [1, 2] and asked.everything
    snapshot = cache_module.Snapshot({"a": "1", "b": "2"})
    dependencies = snapshot.dependencies(None)
    assert snapshot.still_valid(dependencies)
    assert not cache_module.Snapshot({"a": "1", "b": "3"}).still_valid(dependencies)
    assert not cache_module.Snapshot({"a": "1"}).still_valid(snapshot.dependencies({"a", "b"}))
    assert cache_module.Snapshot({"a": "1", "z": "9"}).still_valid(snapshot.dependencies({"a", "c"}))
    assert not cache_module.Snapshot({"a": "1", "c": "9"}).still_valid(snapshot.dependencies({"a", "c"}))
