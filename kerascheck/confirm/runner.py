"""Main-process side of `--confirm`: which classes to build, the worker's lifecycle, and
the results attached to the findings.

The static run never imports TensorFlow or the user's modules; this module does not
either. It starts ONE worker process (:mod:`kerascheck.confirm.worker`), which imports
Keras once, and talks to it over two pipes, one JSON object per line. Each class gets a
time limit: the worker ends a class that loops in Python by itself; a class that hangs
in native code, calls `os._exit` or crashes the interpreter costs its limit, is
reported `skipped`/`error`, and the worker is started again for the next class. The
worker's stdout and stderr (the user's prints, TensorFlow's logs) go to a log file that
is shown only with `-v`.

The KC5xx (migration) findings build no class: the same worker runs the migration
table's introspection probe (kerascheck.confirm.probes.migration) once per distinct (code,
flagged name) of the run, before any class is built (so no user code has run in the
worker yet), and every finding of that pair gets the result.
"""
from __future__ import annotations

import ast
import dataclasses
import importlib.util
import json
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import tokenize
from collections import Counter
from functools import partial
from dataclasses import dataclass, field
from typing import Callable, Optional, Sequence

from kerascheck import notebooks
from kerascheck.confirm import KerasMissing, isolation
from kerascheck.confirm.args import CallSites, Constants, config_example
from kerascheck.confirm.targets import (
    CONFIRMABLE, INTROSPECTED, Item, Target, enclosing_class, hint_for, input_hints, migration_member,
)
from kerascheck.finding import Confirmation, Finding
from kerascheck.confirm.probes.migration import probe_of, takes_member
from kerascheck.semantic.project_root import project_root

INSTALL_HINT = "pip install 'kerascheck[confirm]'"
DEFAULT_TIMEOUT = 10.0
HELLO_TIMEOUT = 300.0  # importing TensorFlow on a loaded machine takes a while
STATUSES = ("confirmed", "not-reproduced", "skipped", "error")


@dataclass
class Options:
    timeout: float = DEFAULT_TIMEOUT  # per class, seconds
    examples: dict = field(default_factory=dict)  # "module.Class" -> {args, kwargs, input-shape, dtype}
    verbose: bool = False
    note: Callable[[str], None] = lambda text: None  # messages for stderr
    progress: Optional[Callable[[int, int, str], None]] = None  # (done, total, class)
    python: str = sys.executable


@dataclass
class Summary:
    counts: Counter = field(default_factory=Counter)
    keras_version: Optional[str] = None
    backend: Optional[str] = None
    classes: int = 0
    probes: int = 0  # distinct KC5xx introspection probes run
    seconds: float = 0.0  # wall time of the confirmation, after the static run
    import_seconds: float = 0.0  # of which the worker's Keras import (each start)
    restarts: int = 0

    def line(self) -> str:
        c = self.counts
        parts = [f"{c['confirmed']} confirmed", f"{c['not-reproduced']} not reproduced", f"{c['skipped']} skipped"]
        if c["error"]:
            parts.append(f"{c['error']} error{'s' * (c['error'] != 1)}")
        on = f" on Keras {self.keras_version}" if self.keras_version else ""
        backend = f" ({self.backend})" if self.backend and self.backend != "tensorflow" else ""
        work = [f"{self.classes} class{'es' * (self.classes != 1)}"] if self.classes or not self.probes else []
        if self.probes:
            work.append(f"{self.probes} migration probe{'s' * (self.probes != 1)}")
        timing = f"{', '.join(work)} in {self.seconds:.1f} s"
        if self.import_seconds:
            timing += f"; Keras import {self.import_seconds:.1f} s"
        if self.restarts:
            timing += f", {self.restarts} worker restart{'s' * (self.restarts != 1)}"
        return f"Confirmation{on}{backend}: {', '.join(parts)} ({timing})."


# ---- reading sources ----------------------------------------------------------------------------
class Sources:
    """File texts as Python (a notebook's code cells joined), read once."""

    def __init__(self):
        self._texts: dict[str, str] = {}
        self.cells: dict[str, notebooks.CellMap] = {}

    def text(self, path: str) -> str:
        if path not in self._texts:
            if notebooks.is_notebook(path):
                with open(path, "rb") as handle:
                    notebook = notebooks.load(handle.read())
                if not isinstance(notebook, notebooks.Notebook):
                    raise ValueError("unreadable notebook")
                self._texts[path] = notebook.text
                self.cells[path] = notebook.cells
            else:
                with tokenize.open(path) as handle:
                    self._texts[path] = handle.read()
        return self._texts[path]

    def tree(self, path: str) -> Optional[ast.Module]:
        try:
            return ast.parse(self.text(path), filename=path)
        except (OSError, SyntaxError, ValueError, RecursionError):
            return None

    def module_line(self, finding: Finding, path: str) -> int:
        """The finding's line in the module text (notebook findings count in cells)."""
        cells = self.cells.get(path)
        if finding.cell is None or cells is None or finding.cell not in cells.cells:
            return finding.line
        return cells.starts[cells.cells.index(finding.cell)] + finding.line - 1


# ---- the worker process ----------------------------------------------------------------------------
class WorkerDied(Exception):
    pass


class _Process:
    def __init__(self, python: str, log_path: str, cwd: str, tmpdir: Optional[str] = None):
        command_read, command_write = os.pipe()
        result_read, result_write = os.pipe()
        with open(log_path, "ab") as log:
            self.popen = subprocess.Popen(
                [python, "-m", "kerascheck.confirm.worker", str(command_read), str(result_write)],
                stdin=subprocess.DEVNULL, stdout=log, stderr=log, pass_fds=(command_read, result_write),
                cwd=cwd, env=_worker_environment(tmpdir), start_new_session=True,
            )
        os.close(command_read)
        os.close(result_write)
        self.commands = os.fdopen(command_write, "w", encoding="utf-8")
        self.results = result_read
        self.buffer = b""

    def send(self, message: dict) -> None:
        try:
            self.commands.write(json.dumps(message) + "\n")
            self.commands.flush()
        except (BrokenPipeError, OSError) as exc:
            raise WorkerDied(str(exc)) from None

    def receive(self, timeout: float) -> Optional[dict]:
        """The next message, None when `timeout` passes first; WorkerDied on EOF."""
        deadline = time.monotonic() + timeout
        while b"\n" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            ready, _, _ = select.select([self.results], [], [], left)
            if not ready:
                continue
            chunk = os.read(self.results, 65536)
            if not chunk:
                raise WorkerDied(self._exit_status())
            self.buffer += chunk
        line, _, self.buffer = self.buffer.partition(b"\n")
        return json.loads(line)

    def _exit_status(self) -> str:
        try:
            code = self.popen.wait(timeout=5)
        except subprocess.TimeoutExpired:
            return "the worker closed its pipe"
        if code < 0:
            try:
                return f"the interpreter was killed by {signal.Signals(-code).name}"
            except ValueError:
                return f"the interpreter was killed by signal {-code}"
        return f"the interpreter exited with code {code} (os._exit() or a crash)"

    def kill(self) -> None:
        try:
            os.killpg(self.popen.pid, signal.SIGKILL)  # the worker and anything it spawned
        except (ProcessLookupError, PermissionError):
            pass
        try:
            self.popen.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        self._close()

    def close(self) -> None:
        try:
            self.send({"type": "exit"})
            self.popen.wait(timeout=10)
        except (WorkerDied, subprocess.TimeoutExpired):
            pass
        self.kill()

    def _close(self) -> None:
        for closer in (self.commands.close, lambda: os.close(self.results)):
            try:
                closer()
            except OSError:
                pass


def _worker_environment(tmpdir: Optional[str] = None) -> dict:
    env = dict(os.environ)
    if tmpdir:  # tempfile.mkdtemp() in a probe or a class lands in the run's directory, removed at the end
        env.update(TMPDIR=tmpdir, TEMP=tmpdir, TMP=tmpdir)
    package_parent = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_parent, env.get("PYTHONPATH")]))
    env["PYTHONDONTWRITEBYTECODE"] = "1"  # never write __pycache__ into the user's tree
    env["PYTHONUNBUFFERED"] = "1"
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    env.setdefault("CUDA_VISIBLE_DEVICES", "-1")  # tiny probes: do not take a GPU from a training job
    if importlib.util.find_spec("tensorflow") is not None:
        env["KERAS_BACKEND"] = "tensorflow"  # Keras 3 with the TensorFlow backend first
    return env


# ---- the runner ------------------------------------------------------------------------------------------
class Runner:
    """Start it early (`start()` begins the Keras import while the static run goes on),
    then `confirm(findings, files)` over the static run's findings, then `close()`
    (kerascheck.api.check_paths runs these steps)."""

    def __init__(self, options: Optional[Options] = None):
        self.options = options or Options()
        self.directory = tempfile.mkdtemp(prefix="kerascheck-confirm-")
        self.log_path = os.path.join(self.directory, "worker.log")
        self.workdir = os.path.join(self.directory, "cwd")
        self.tmpdir = os.path.join(self.directory, "tmp")
        os.makedirs(self.workdir)
        os.makedirs(self.tmpdir)
        self.process: Optional[_Process] = None
        self.hello: Optional[dict] = None
        self.summary = Summary()
        self._unavailable: Optional[str] = None
        self._started_at: Optional[float] = None

    # -- lifecycle --
    def start(self) -> None:
        if os.name != "posix" and self._unavailable is None:
            self._unavailable = "--confirm needs a POSIX system (Linux, macOS) for now"
            self.options.note(f"kerascheck: {self._unavailable}")
        if self.process is None and self._unavailable is None:
            self._started_at = time.monotonic()
            self.process = _Process(self.options.python, self.log_path, self.workdir, self.tmpdir)
            self.hello = None

    def _ready(self) -> bool:
        """Wait for the worker's hello; False (with the reason noted once) when there is
        no worker. KerasMissing when the worker has no Keras to import: nothing could be
        confirmed, and the caller is told what to install instead of every finding being
        `skipped`."""
        if self._unavailable is not None:
            return False
        self.start()
        if self.hello is not None:
            return True
        offset = self._log_size()
        try:
            hello = self.process.receive(HELLO_TIMEOUT)
        except WorkerDied as died:
            hello, reason = None, str(died)
        else:
            reason = "importing Keras timed out"
        if hello is None:
            self.process.kill()
            self.process = None
            tail = self._log_since(offset).strip().splitlines()[-3:]
            self._unavailable = f"the confirmation worker did not start ({reason})" + (f": {' | '.join(tail)}" if tail else "")
            self.options.note(f"kerascheck: --confirm: {self._unavailable}")
            return False
        self.summary.import_seconds += float(hello.get("seconds") or 0)
        if not hello.get("keras") and not hello.get("tf_keras"):
            self.process.close()
            self.process = None
            why = hello.get("keras_error")
            raise KerasMissing(
                f"--confirm needs Keras: {INSTALL_HINT} (where no backend is installed either: "
                "pip install 'kerascheck[confirm-tensorflow]')" + (f"; importing it failed: {why}" if why else "")
            )
        self.hello = hello
        self.summary.keras_version = self.summary.keras_version or hello.get("keras")
        self.summary.backend = self.summary.backend or hello.get("backend")
        if self.options.verbose:
            self._show_log(offset, "Keras import")
        return True

    def close(self) -> None:
        if self.process is not None:
            # Killed, not asked to exit: every result is in, and an interpreter that has
            # imported TensorFlow takes 1.5 s to tear down (measured), added to every run.
            self.process.kill()
            self.process = None
        shutil.rmtree(self.directory, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- the run --
    def confirm(self, findings: Sequence[Finding], files: Sequence[str] = (), cwd: Optional[str] = None) -> list[Finding]:
        """The findings, with a confirmation on each confirmable one."""
        started = time.monotonic()
        cwd = cwd or os.getcwd()
        outcomes: dict[int, Confirmation] = {}
        sources = Sources()
        targets = self._targets(findings, sources, outcomes)
        probes = self._probes(findings, sources, outcomes)
        jobs = self._jobs(targets, sources, files, cwd, outcomes)
        self.summary.classes = len(jobs)
        self.summary.probes = len(probes)
        if (jobs or probes) and not self._ready():
            for job in jobs:
                for item in job["items"]:
                    outcomes[item["index"]] = Confirmation("skipped", self._unavailable)
            for indices in probes.values():
                for index in indices:
                    outcomes[index] = Confirmation("skipped", self._unavailable)
            jobs, probes = [], {}
        total = len(probes) + len(jobs)
        # The probes first: they observe Keras itself, before any user code has run in the worker.
        for number, ((code, member), indices) in enumerate(probes.items()):
            if self.options.progress:
                self.options.progress(number, total, f"{code} {member}".strip())
            self._run_probe(number, code, member, indices, outcomes)
        for number, job in enumerate(jobs, start=len(probes)):
            if self.options.progress:
                self.options.progress(number, total, f"{job['module']}.{job['class']}")
            self._run_job(job, outcomes)
        if self.options.progress and total:
            self.options.progress(total, total, "")
        result = []
        for index, finding in enumerate(findings):
            confirmation = outcomes.get(index)
            if confirmation is not None:
                self.summary.counts[confirmation.status] += 1
                finding = dataclasses.replace(finding, confirmation=confirmation)
            result.append(finding)
        self.summary.seconds += time.monotonic() - started
        return result

    def _targets(self, findings, sources: Sources, outcomes: dict) -> list[Target]:
        targets: dict[tuple, Target] = {}
        for index, finding in enumerate(findings):
            if finding.code not in CONFIRMABLE:
                continue
            path = os.path.abspath(finding.path)
            tree = sources.tree(path) if os.path.isfile(path) else None
            if tree is None:
                outcomes[index] = Confirmation("skipped", "the file cannot be read or parsed")
                continue
            line = sources.module_line(finding, path)
            found = enclosing_class(tree, line)
            if found is None:
                outcomes[index] = Confirmation("skipped", "not inside a class: nothing to build")
                continue
            classdef, chain, first = found
            if chain:
                where = "a function" if any(not isinstance(n, ast.ClassDef) for n in chain) else "another class"
                outcomes[index] = Confirmation("skipped", f"the class is defined inside {where}: it cannot be built without running it")
                continue
            key = (path, first)
            if key not in targets:
                targets[key] = Target(path, classdef.name, first, inputs=input_hints(classdef))
            hint = hint_for(finding.code, tree, line, finding.column)
            targets[key].items.append(Item(index, finding.code, hint))
        return list(targets.values())

    def _probes(self, findings, sources: Sources, outcomes: dict) -> dict[tuple, list[int]]:
        """The KC5xx (and KC405/KC406) findings by (code, member): one introspection probe per pair."""
        probes: dict[tuple, list[int]] = {}
        trees: dict[str, Optional[ast.Module]] = {}
        for index, finding in enumerate(findings):
            if finding.code not in INTROSPECTED:
                continue
            if probe_of(finding.code) is None:
                outcomes[index] = Confirmation(
                    "skipped", f"{finding.code} has no introspection probe (its behaviour needs a model and data to show)")
                continue
            member = ""
            if takes_member(finding.code):  # the probe looks up the flagged name: read it
                path = os.path.abspath(finding.path)
                try:
                    text = sources.text(path)
                except (OSError, SyntaxError, ValueError):
                    outcomes[index] = Confirmation("skipped", "the file cannot be read: the flagged name is unknown")
                    continue
                line = sources.module_line(finding, path)
                end_line = finding.end_line + (line - finding.line) if finding.end_line else line
                if path not in trees:
                    trees[path] = sources.tree(path)
                member, written = migration_member(finding.code, trees[path], text, line, finding.column,
                                                   end_line, finding.end_column)
                if member is None:
                    outcomes[index] = Confirmation(
                        "skipped", f"cannot tell which Keras name `{written}` is, so there is nothing to look up")
                    continue
            probes.setdefault((finding.code, member), []).append(index)
        return probes

    def _run_probe(self, number: int, code: str, member: str, indices: list, outcomes: dict) -> None:
        name = f"{code} {member}".strip()

        def finish(status: str, detail: str, version=None) -> None:
            for index in indices:
                outcomes[index] = Confirmation(status, detail, version)

        limit = float(self.options.timeout)
        job = {"type": "probe", "id": f"probe-{number}", "code": code, "member": member, "limit": limit}
        reply, offset = self._exchange(job, name, f"running the {code} probe", finish)
        if reply is None:
            return
        status = reply.get("status", "error")
        finish(status, reply.get("detail", ""), reply.get("keras_version") if status != "skipped" else None)
        if self.options.verbose:
            self.options.note(f"kerascheck: confirm {name}: {reply.get('seconds', 0):.2f} s")
            self._show_log(offset, name)

    def _jobs(self, targets, sources: Sources, files, cwd: str, outcomes: dict) -> list[dict]:
        # A file's project as the import closure sees it (semantic.context).
        project_of = partial(project_root, package_fallback=True)
        planner = isolation.Planner(sources.text, project_of)
        roots_cache: dict[str, list] = {}

        def roots_of(path: str) -> list:
            if path not in roots_cache:
                roots_cache[path] = isolation.import_roots(path, project_of(os.path.dirname(path)))
            return roots_cache[path]

        constants = Constants(sources.tree, roots_of)
        sites = CallSites([os.path.abspath(f) for f in files], sources.text, constants)
        jobs = []
        for number, target in enumerate(targets):
            module = None
            if notebooks.is_notebook(target.path):
                stem = os.path.splitext(os.path.basename(target.path))[0]
                module = "kerascheck_notebook_" + re.sub(r"\W", "_", stem)
            try:
                plan = planner.plan(target.path, target.class_name, target.line, module)
            except isolation.NotIsolatable as why:
                for item in target.items:
                    outcomes[item.index] = Confirmation("skipped", str(why))
                continue
            job = plan.to_json()
            job.update(
                type="job", id=number, limit=self.options.timeout, inputs=target.inputs,
                items=[{"index": i.index, "code": i.code, "hint": i.hint} for i in target.items],
                args={
                    "config": config_example(self.options.examples, plan.module, target.class_name),
                    "sites": [s.to_json(cwd) for s in sites.find(target.class_name, target.path)],
                },
            )
            if module is not None:
                job["sources"] = {target.path: sources.text(target.path)}
                job["roots"] = [os.path.dirname(target.path), *job["roots"]]
                job["aliases"] = {module: target.path}
            jobs.append(job)
        return jobs

    def _run_job(self, job: dict, outcomes: dict) -> None:
        name = f"{job['module']}.{job['class']}"

        def finish(status: str, detail: str, version=None) -> None:
            for item in job["items"]:
                outcomes.setdefault(item["index"], Confirmation(status, detail, version))

        reply, offset = self._exchange(job, name, "building the class", finish)
        if reply is None:
            return
        version = reply.get("keras_version") or self.summary.keras_version
        for result in reply.get("results", []):
            status, detail = result["status"], result["detail"]
            outcomes[result["index"]] = Confirmation(status, detail, version if status != "skipped" else None)
        finish("skipped", "no result from the worker", None)
        if self.options.verbose:
            self.options.note(f"kerascheck: confirm {name}: {reply.get('seconds', 0):.2f} s")
            self._show_log(offset, name)

    def _exchange(self, job: dict, name: str, doing: str, finish) -> tuple[Optional[dict], int]:
        """Send one job to the worker and wait for its reply, within the job's limit plus
        a grace period: (the reply, where the worker's log stood before it). The reply is
        None when there is none: the job's findings are then finished (error, skipped)
        and a worker that died or hung is restarted."""
        if not self._ready():
            finish("skipped", self._unavailable or "no worker")
            return None, 0
        offset = self._log_size()
        limit = float(job["limit"])
        try:
            self.process.send(job)
            reply = self.process.receive(limit + max(5.0, limit / 2))
        except WorkerDied as died:
            self._restart()
            finish("error", f"{died} while {doing}")
            self._show_log(offset, name)
            return None, offset
        if reply is None:
            self._restart()
            finish("skipped", f"timed out after {limit:g} s (the worker was restarted)")
            self._show_log(offset, name)
        return reply, offset

    def _restart(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process = None
        self.hello = None
        self.summary.restarts += 1

    # -- the log --
    def _log_size(self) -> int:
        try:
            return os.path.getsize(self.log_path)
        except OSError:
            return 0

    def _log_since(self, offset: int) -> str:
        try:
            with open(self.log_path, "rb") as handle:
                handle.seek(offset)
                return handle.read().decode("utf-8", errors="replace")
        except OSError:
            return ""

    def _show_log(self, offset: int, label: str) -> None:
        if not self.options.verbose:
            return
        text = self._log_since(offset).rstrip()
        if text:
            self.options.note(f"kerascheck: output of {label}:\n{text}")


def _warn(text: str) -> None:
    import warnings

    warnings.warn(text, RuntimeWarning, stacklevel=3)


def options_from_settings(settings, **overrides) -> Options:
    """Options from the configuration (`confirm.timeout`, the class examples)."""
    examples = {name: json.loads(table) for name, table in getattr(settings, "confirm_examples", ())}
    values = dict(timeout=getattr(settings, "confirm_timeout", DEFAULT_TIMEOUT), examples=examples, note=_warn)
    values.update(overrides)
    return Options(**values)
