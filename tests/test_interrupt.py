"""Ctrl-C: the run stops promptly, leaves no worker process behind, and exits 130 with
one line, never a traceback (from the parent or from any worker)."""
import os
import signal
import struct
import subprocess
import time

import pytest

from cliutil import executable, write
from kerascheck import pool

LAYER = """\
class Scale{n}(keras.layers.Layer):
    def __init__(self, units={n}, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.dense = keras.layers.Dense(units)

    def build(self, input_shape):
        self.w = tf.Variable(tf.zeros((input_shape[-1], self.units)))

    def call(self, inputs, training=None):
        x = self.dense(inputs)
        return tf.matmul(x, self.w) + {n}


"""


@pytest.fixture(scope="module")
def big_tree(tmp_path_factory):
    """Enough work for a --no-cache run to take a while on two cores."""
    root = tmp_path_factory.mktemp("big")
    body = "import keras\nimport tensorflow as tf\n\n\n" + "".join(LAYER.format(n=n) for n in range(120))
    write(root, {f"pkg/module_{number:03d}.py": body for number in range(120)})
    return root


def _children(pid: int) -> set:
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    fields = handle.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.add(int(entry))
    return found


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            state = handle.read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")  # a zombie is dead, waiting for init to reap it


def _start(root, jobs: str):
    return subprocess.Popen(
        [executable(), "--no-cache", "-j", jobs, "--output-format", "concise", "."],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a shell gives a foreground job
    )


def _wait_for_workers(process, count: int) -> set:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        workers = {pid for pid in _children(process.pid) if _alive(pid)}
        if len(workers) >= count:
            time.sleep(0.5)  # let them get going on the second pass
            return workers
        assert process.poll() is None, process.communicate()
        time.sleep(0.05)
    pytest.fail("the pool never started")


@pytest.mark.parametrize("target", ["process group (a terminal's Ctrl-C)", "parent only"])
def test_ctrl_c_stops_the_pool_promptly(big_tree, target):
    process = _start(big_tree, "2")
    workers = _wait_for_workers(process, 2)
    sent = time.monotonic()
    if target.startswith("process group"):
        os.killpg(process.pid, signal.SIGINT)
    else:
        os.kill(process.pid, signal.SIGINT)
    stdout, stderr = process.communicate(timeout=30)
    elapsed = time.monotonic() - sent
    assert process.returncode == 130, stderr
    assert elapsed < 5, elapsed
    assert stderr.strip().splitlines()[-1] == "kerascheck: interrupted"
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr
    deadline = time.monotonic() + 5
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [pid for pid in workers if _alive(pid)], "orphaned workers"


def test_ctrl_c_in_a_serial_run(big_tree):
    process = _start(big_tree, "1")
    time.sleep(3)  # well into the run
    assert process.poll() is None
    sent = time.monotonic()
    os.killpg(process.pid, signal.SIGINT)
    _, stderr = process.communicate(timeout=30)
    assert process.returncode == 130, stderr
    assert time.monotonic() - sent < 5
    assert "Traceback" not in stderr
    assert stderr.strip().splitlines()[-1] == "kerascheck: interrupted"


# ---- a worker killed in the middle of sending its result ---------------------------------------
_POOL = None


def _half_a_message(_):
    """In the worker: start a result message on the pool's pipe, then never finish it."""
    writer = _POOL._result_queue._writer
    os.write(writer.fileno(), struct.pack("!i", 1_000_000) + b"the first bytes")
    time.sleep(60)


def test_stopping_a_pool_whose_worker_died_mid_message_leaves_no_thread_behind():
    """The pool's manager thread waits for the rest of the message forever, and Python's
    exit waits for that thread: Ctrl-C printed "interrupted" and hung. _stop releases it."""
    global _POOL
    _POOL = pool._pool(1)
    _POOL.submit(_half_a_message, 0)
    manager = _POOL._executor_manager_thread
    time.sleep(1.0)  # the worker has written its half message; the manager is reading it
    assert manager.is_alive()
    pool._stop(_POOL)
    assert not manager.is_alive()
