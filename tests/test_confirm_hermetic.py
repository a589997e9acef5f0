"""--confirm is hermetic: its worker never reaches the network and writes nothing outside
its temporary directory (kerascheck/confirm/hermetic.py).

The real CLI (`python -m kerascheck --confirm`) runs in a subprocess with HOME,
KERAS_HOME and TMPDIR pointed into tmp_path, and real Keras: left alone, Keras writes
`$KERAS_HOME/keras.json` when it is imported and creates `$KERAS_HOME/models` before a
download. As a safety net that cannot mask a failure, the proxy variables point at a
closed local port: the worker drops them (the refusal must name the real host), and a
worker that let a download through would fail on them instead of downloading.
"""
from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import textwrap
import time

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEAD_PROXY = "http://127.0.0.1:9"
# Keras import (5-10 s here) plus one class; a download that hung would take the whole
# per-class limit of 120 s given below. A guard, not a benchmark.
GUARD_SECONDS = 60

BACKBONE = textwrap.dedent(
    """\
    import keras
    import tensorflow as tf


    class Backbone(keras.layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.base = keras.applications.MobileNetV2(weights="imagenet", include_top=False, input_shape=(96, 96, 3))
            self.scale = tf.Variable(1.0)

        def call(self, inputs):
            return self.base(inputs) * self.scale
    """
)

needs_tensorflow = pytest.mark.skipif(
    importlib.util.find_spec("tensorflow") is None, reason="needs TensorFlow (the test extra)"
)


@pytest.fixture
def sandbox(tmp_path):
    """An empty fake HOME (KERAS_HOME inside it, as by default) and TMPDIR."""
    home, tmp = tmp_path / "home", tmp_path / "tmp"
    home.mkdir()
    tmp.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("KERASCHECK_OUTPUT_FORMAT", "NO_COLOR")}
    env.update(HOME=str(home), KERAS_HOME=str(home / ".keras"), TMPDIR=str(tmp),
               http_proxy=DEAD_PROXY, https_proxy=DEAD_PROXY, HTTP_PROXY=DEAD_PROXY, HTTPS_PROXY=DEAD_PROXY)
    return {"home": home, "tmp": tmp, "env": env}


def everything_under(folder) -> list:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def confirm(args, cwd, env) -> tuple:
    started = time.monotonic()
    run = subprocess.run(
        [sys.executable, "-m", "kerascheck", "--confirm", "--no-cache", "--output-format", "json", *args],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=600,
    )
    assert run.returncode == 1, run.stdout + run.stderr
    assert "Traceback" not in run.stderr
    return json.loads(run.stdout), time.monotonic() - started


@pytest.mark.slow
@needs_tensorflow
def test_a_class_that_downloads_weights_is_skipped_at_once(tmp_path, sandbox):
    project = tmp_path / "project"
    project.mkdir()
    (project / "backbone.py").write_text(BACKBONE, encoding="utf-8")
    findings, seconds = confirm(["--confirm-timeout", "120", "backbone.py"], project, sandbox["env"])
    [finding] = findings
    assert finding["code"] == "KC101"
    confirmation = finding["confirmation"]
    assert confirmation["status"] == "skipped", confirmation
    assert confirmation["detail"].startswith("would download from storage.googleapis.com"), confirmation
    assert seconds < GUARD_SECONDS, f"{seconds:.1f} s"
    assert everything_under(sandbox["home"]) == []  # no .keras/keras.json, no .keras/models
    assert everything_under(sandbox["tmp"]) == []  # the run's folder, the worker's home in it, removed
    assert everything_under(project) == ["backbone.py"]


@pytest.mark.slow
@needs_tensorflow
def test_confirm_on_the_fixtures_leaves_home_and_tree_alone(sandbox):
    def tree_state() -> str:
        return subprocess.run(["git", "status", "--porcelain", "--ignored", "--", "fixtures"], cwd=ROOT,
                              capture_output=True, text=True, check=True).stdout

    before = tree_state()
    findings, _ = confirm(["fixtures/"], ROOT, sandbox["env"])
    statuses = [(f.get("confirmation") or {}).get("status") for f in findings]
    assert statuses.count("confirmed") >= 10, statuses  # the worker really built classes
    [head] = [f for f in findings if f["path"].endswith("zoo/heads.py") and f["code"] == "KC203"]
    assert head["confirmation"]["detail"].startswith("would download from storage.googleapis.com")
    assert everything_under(sandbox["home"]) == []
    assert everything_under(sandbox["tmp"]) == []
    assert tree_state() == before


@pytest.mark.slow
@needs_tensorflow
def test_private_home_keeps_the_users_keras_config_and_leaves_it_unchanged(tmp_path, sandbox):
    """The worker's Keras reads the user's keras.json (copied into the private home) and
    writes nothing next to it."""
    user_keras = sandbox["home"] / ".keras"
    user_keras.mkdir()
    config = '{"floatx": "float64", "epsilon": 1e-07, "backend": "tensorflow", "image_data_format": "channels_first"}'
    (user_keras / "keras.json").write_text(config, encoding="utf-8")
    code = textwrap.dedent(
        """\
        import json, os
        from kerascheck.confirm import hermetic
        home = hermetic.private_home()
        import keras
        print(json.dumps({"home": home, "floatx": keras.config.floatx(),
                          "format": keras.config.image_data_format(),
                          "variables": {v: os.environ[v] for v in ("HOME", "KERAS_HOME", "XDG_CACHE_HOME", "HF_HOME")}}))
        """
    )
    run = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=sandbox["env"], capture_output=True,
                         text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    seen = json.loads(run.stdout.strip().splitlines()[-1])
    assert (seen["floatx"], seen["format"]) == ("float64", "channels_first")
    assert os.path.dirname(seen["home"]) == str(sandbox["tmp"])
    assert all(value.startswith(seen["home"]) for value in seen["variables"].values()), seen
    assert everything_under(sandbox["home"]) == [".keras", os.path.join(".keras", "keras.json")]
    assert (user_keras / "keras.json").read_text(encoding="utf-8") == config


def test_every_way_out_is_refused_and_named():
    """Lookups, connections (to an address, the loopback included) and urllib, each
    refused at once and remembered by host; AF_UNIX and local lookups still work."""
    code = textwrap.dedent(
        """\
        import json, os, socket, urllib.request
        from kerascheck.confirm import hermetic
        hermetic.block_network()
        outcomes = []
        for attempt in (
            lambda: socket.getaddrinfo("example.com", 443),
            lambda: socket.gethostbyname("example.org"),
            lambda: socket.create_connection(("93.184.216.34", 80), timeout=5),
            lambda: socket.socket().connect(("127.0.0.1", 9)),
            lambda: urllib.request.urlopen("https://weights.example.net/model.h5", timeout=5),
        ):
            try:
                attempt()
                outcomes.append("reached")
            except OSError as exc:
                outcomes.append(str(getattr(exc, "reason", exc)))
        outcomes.append(socket.socket().connect_ex(("10.0.0.1", 80)))
        local = socket.getaddrinfo("localhost", 80)[0][4][0]
        left, right = socket.socketpair(socket.AF_UNIX)
        left.sendall(b"x")
        print(json.dumps({"outcomes": outcomes, "local": local, "unix": right.recv(1).decode(),
                          "hosts": hermetic.take_attempts(), "again": hermetic.take_attempts(),
                          "proxy": os.environ.get("https_proxy")}))
        """
    )
    env = {**os.environ, "https_proxy": DEAD_PROXY}
    run = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    seen = json.loads(run.stdout)
    *refusals, code_ex = seen["outcomes"]
    assert all(r.startswith("would download from ") for r in refusals), refusals
    assert code_ex != 0
    assert seen["hosts"] == ["example.com", "example.org", "93.184.216.34", "127.0.0.1", "weights.example.net",
                             "10.0.0.1"]
    assert seen["again"] == [] and seen["proxy"] is None
    assert seen["local"] in ("127.0.0.1", "::1") and seen["unix"] == "x"
