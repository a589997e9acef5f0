"""Benchmark kerascheck on a real tree: parse-only floor, cold run, warm run.

    python tests/benchmarks/bench.py /path/to/keras-io/examples /path/to/keras-io/guides \\
        --repeat 5 --copies 1,2,4

Every measurement is a fresh process, timed from the outside (wall clock), and the
kinds are interleaved (floor, cold, warm, floor, cold, warm...) so that a busy machine
slows them all alike; the table gives medians. Measured:

- floor: one process that imports libcst and runs `libcst.parse_module` over every
  file (its parse loop alone is shown too) - the cost of merely parsing the tree;
- cold: `kerascheck --no-cache`, default rules, all cores;
- warm: `kerascheck` with a cache filled by a previous run (an untimed first run);
- cold+write: `kerascheck` with an empty cache directory (a new one each run): a cold
  run that also writes the cache, to compare with `--no-cache`;
- ruff (`ruff check --select ALL --no-cache`) and fixit (`fixit lint`), as reference
  points, when those commands are installed;
- with `--server EXAMPLE`, instead: the language server (`kerascheck server`, needs the
  `lsp` extra) holding a workspace made of the trees, the time from a didChange of
  EXAMPLE to the publishDiagnostics of that version, and the server's memory;

and for kerascheck the peak memory: of its largest process, and of the whole process
tree at once (parent plus pool workers), sampled every 20 ms. With `--copies 1,2,4`
the tree is copied 1, 2 and 4 times side by side to show how the cost grows.

`--notebook-cost` measures instead what a notebook costs against the same code as a
`.py` file (CPU per 1,000 code lines); `--profile-rules`, the CPU of each rule.

Not collected by pytest (no test_ prefix; `norecursedirs` excludes this folder).
"""
from __future__ import annotations

import argparse
import ast
import contextlib
import json
import os
import queue
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from typing import Optional

FLOOR = r"""
import sys, time
import libcst
files = sys.argv[1:]
start = time.perf_counter()
for path in files:
    with open(path, "rb") as handle:
        data = handle.read()
    try:
        libcst.parse_module(data)
    except Exception:
        pass
print(time.perf_counter() - start)
"""


def python_files(roots: list[str]) -> list[str]:
    found = []
    for root in roots:
        for directory, subdirectories, names in os.walk(root):
            subdirectories[:] = sorted(d for d in subdirectories if not d.startswith("."))
            found += [os.path.join(directory, name) for name in sorted(names) if name.endswith(".py")]
    return found


def count_lines(files: list[str]) -> int:
    total = 0
    for path in files:
        with open(path, "rb") as handle:
            total += handle.read().count(b"\n")
    return total


def make_copies(roots: list[str], copies: int, into: str) -> list[str]:
    """`copies` copies of the trees side by side under `into` (the Python files only)."""
    made = []
    for number in range(copies):
        for index, root in enumerate(roots):
            target = os.path.join(into, f"copy{number}", f"{index}-{os.path.basename(os.path.normpath(root))}")
            for path in python_files([root]):
                destination = os.path.join(target, os.path.relpath(path, root))
                os.makedirs(os.path.dirname(destination), exist_ok=True)
                shutil.copyfile(path, destination)
            made.append(target)
    return made


class TreeMemory:
    """Peak RSS of a process and its descendants, summed, sampled from /proc; and the
    largest peak of any one of them (VmHWM, which, unlike the ru_maxrss of wait4, does
    not count the benchmark's own memory copied by fork before the program starts)."""

    def __init__(self, pid: int):
        self.pid = pid
        self.peak_total = 0
        self.peak_single = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self):
        if os.path.isdir("/proc"):
            self._thread.start()
        return self

    def __exit__(self, *_):
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def _sample(self):
        while not self._stop.is_set():
            tree = self._descendants() | {self.pid}
            self.peak_total = max(self.peak_total, sum(_memory(pid) for pid in tree))
            self.peak_single = max(self.peak_single, *(_memory(pid, "VmHWM:") for pid in tree))
            self._stop.wait(0.02)

    def _descendants(self) -> set:
        parents = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    with open(f"/proc/{entry}/stat") as handle:
                        parents[int(entry)] = int(handle.read().rsplit(")", 1)[1].split()[1])
                except (OSError, ValueError, IndexError):
                    pass
        found, frontier = set(), {self.pid}
        while frontier:
            frontier = {pid for pid, parent in parents.items() if parent in frontier} - found
            found |= frontier
        return found


def _memory(pid: int, field: str = "VmRSS:") -> int:
    """A memory figure of a live process from /proc (VmRSS: now; VmHWM: its peak since it
    started its program), in bytes."""
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith(field):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def timed(command: list[str], env: Optional[dict] = None) -> dict:
    """Run `command`; wall time, CPU time, output, and memory figures."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    outputs: dict = {}
    readers = [
        threading.Thread(target=lambda name, stream: outputs.__setitem__(name, stream.read()), args=(name, stream))
        for name, stream in (("stdout", process.stdout), ("stderr", process.stderr))
    ]
    for reader in readers:
        reader.start()
    with TreeMemory(process.pid) as memory:
        _, status, usage = os.wait4(process.pid, 0)  # this child's own resource usage
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    for reader in readers:
        reader.join()
    return {
        "wall": wall,
        # user + system, the pool workers included (the parent waited for them)
        "cpu": usage.ru_utime + usage.ru_stime,
        # the largest single process of the tree (without /proc: ru_maxrss, in kB on Linux)
        "max_process_rss": memory.peak_single or usage.ru_maxrss * 1024,
        "peak_tree_rss": memory.peak_total,
        "returncode": process.returncode,
        "stdout": outputs.get("stdout", b"").decode(errors="replace"),
        "stderr": outputs.get("stderr", b"").decode(errors="replace"),
    }


def kerascheck_command(args: list[str]) -> list[str]:
    return [sys.executable, "-m", "kerascheck", *args]


def measure(roots: list[str], repeat: int, jobs: Optional[int], references: bool) -> dict:
    files = python_files(roots)
    cache_dir = tempfile.mkdtemp(prefix="kerascheck-bench-cache-")
    jobs_args = ["-j", str(jobs)] if jobs else []
    # The .py files only, as the floor parses them (notebooks: --notebook-cost).
    common = ["--output-format", "concise", "--isolated", "--extend-exclude", "*.ipynb", *jobs_args, *roots]
    kinds = {
        "floor": [sys.executable, "-c", FLOOR, *files],
        "cold": kerascheck_command(["--no-cache", *common]),
        "warm": kerascheck_command(["--cache-dir", cache_dir, *common]),
        # a fresh, empty cache directory for each run: see fresh_cache()
        "cold+write": kerascheck_command(["--cache-dir", FRESH_CACHE, *common]),
    }
    if references and shutil.which("ruff"):
        kinds["ruff"] = ["ruff", "check", "--select", "ALL", "--no-cache", "--isolated", "--exit-zero", "--quiet", *roots]
    if references and shutil.which("fixit"):
        kinds["fixit"] = ["fixit", "lint", *roots]
    primer = timed(kinds["warm"])  # fills the cache
    if primer["returncode"] not in (0, 1):
        sys.exit(f"kerascheck failed (exit {primer['returncode']}):\n{primer['stderr'][-3000:]}")
    runs: dict[str, list[dict]] = {kind: [] for kind in kinds}
    for _ in range(repeat):
        for kind, command in kinds.items():
            with fresh_cache(command) as command:
                runs[kind].append(timed(command))
    shutil.rmtree(cache_dir, ignore_errors=True)
    cold_outputs = {run["stdout"] for run in runs["cold"]}
    warm_outputs = {run["stdout"] for run in runs["warm"]}
    if cold_outputs != warm_outputs or len(cold_outputs) != 1:
        print("warning: cold and warm runs did not report the same findings", file=sys.stderr)
    return {
        "files": len(files),
        "lines": count_lines(files),
        "runs": runs,
        "floor_parse": statistics.median(float(run["stdout"].strip() or "nan") for run in runs["floor"]),
    }


FRESH_CACHE = "<a new empty cache directory>"


@contextlib.contextmanager
def fresh_cache(command: list[str]):
    """`command` with FRESH_CACHE replaced by a new empty directory, removed afterwards."""
    if FRESH_CACHE not in command:
        yield command
        return
    directory = tempfile.mkdtemp(prefix="kerascheck-bench-fresh-")
    try:
        yield [directory if part == FRESH_CACHE else part for part in command]
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def median(runs: list[dict], key: str) -> float:
    return statistics.median(run[key] for run in runs)


def report(label: str, result: dict) -> list[str]:
    runs = result["runs"]
    floor, cold, warm = (median(runs[kind], "wall") for kind in ("floor", "cold", "warm"))
    rows = [
        f"### {label}: {result['files']} files, {result['lines']:,} lines",
        "",
        "| run | wall (median) | CPU | files/s | lines/s | peak RSS, largest process | peak RSS, process tree |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for kind, kind_runs in runs.items():
        wall = median(kind_runs, "wall")
        rows.append(
            f"| {kind} | {wall:.2f} s | {median(kind_runs, 'cpu'):.2f} s | {result['files'] / wall:,.0f} | "
            f"{result['lines'] / wall:,.0f} | {median(kind_runs, 'max_process_rss') / 2**20:.0f} MB | "
            f"{median(kind_runs, 'peak_tree_rss') / 2**20:.0f} MB |"
        )
    rows += [
        "",
        f"- floor parse loop alone (inside its process): {result['floor_parse']:.2f} s",
        f"- cold / floor = **{cold / floor:.2f}** (target <= 0.75)",
        f"- warm / cold = **{warm / cold:.3f}** (target <= 0.1)",
        f"- cold+write / cold = **{median(runs['cold+write'], 'wall') / cold:.2f}** wall, "
        f"**{median(runs['cold+write'], 'cpu') / median(runs['cold'], 'cpu'):.2f}** CPU (target <= 1.10)",
        f"- peak RSS of kerascheck (cold, whole tree) = **{median(runs['cold'], 'peak_tree_rss') / 2**20:.0f} MB** (target <= 200 MB)",
        "",
    ]
    return rows


def notebook_code_lines(roots: list[str]) -> tuple[int, int]:
    """(notebooks, lines of their code cells) under `roots`."""
    notebooks = lines = 0
    for root in roots:
        for directory, subdirectories, names in os.walk(root):
            subdirectories[:] = sorted(d for d in subdirectories if not d.startswith("."))
            for name in sorted(names):
                if name.endswith(".ipynb"):
                    with open(os.path.join(directory, name), encoding="utf-8") as handle:
                        try:
                            cells = json.load(handle).get("cells", [])
                        except ValueError:  # not a notebook: kerascheck reports KC001 and checks nothing
                            continue
                    notebooks += 1
                    lines += sum(_code_lines("".join(cell.get("source", "")))
                                 for cell in cells if cell.get("cell_type") == "code")
    return notebooks, lines


def _code_lines(text: str) -> int:
    """Non-blank lines, less those of top-level bare strings: what a notebook keeps in
    markdown cells, a keras-io `.py` example keeps in such strings."""
    lines = text.splitlines()
    prose = set()
    try:
        for statement in ast.parse(text).body:
            if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant) \
                    and isinstance(statement.value.value, str):
                prose.update(range(statement.lineno, statement.end_lineno + 1))
    except SyntaxError:  # IPython syntax in a cell: count its lines as they are
        pass
    return sum(1 for number, line in enumerate(lines, 1) if line.strip() and number not in prose)


def _python_code_lines(files: list[str]) -> int:
    total = 0
    for path in files:
        with open(path, encoding="utf-8", errors="replace") as handle:
            total += _code_lines(handle.read())
    return total


def notebook_cost(roots: list[str], repeat: int, jobs: Optional[int]) -> list[str]:
    """A cold run over the `.py` files of `roots` and one over their notebooks,
    interleaved: the CPU each costs per 1,000 lines of code (for a notebook, the lines of
    its code cells). keras-io keeps each example twice, as `X.py` and `ipynb/X.ipynb`:
    the same code, so the two costs should be about the same. A run over an empty
    directory (start-up: Python, the imports) is measured too and taken off both."""
    jobs_args = ["-j", str(jobs)] if jobs else []
    common = ["--no-cache", "--output-format", "concise", "--isolated", *jobs_args]
    empty = tempfile.mkdtemp(prefix="kerascheck-bench-empty-")
    kinds = {
        "start-up": kerascheck_command([*common, empty]),
        ".py": kerascheck_command([*common, "--extend-exclude", "*.ipynb", *roots]),
        "notebooks": kerascheck_command([*common, "--extend-exclude", "*.py", *roots]),
    }
    files = python_files(roots)
    sizes = {"start-up": (0, 0), ".py": (len(files), _python_code_lines(files)), "notebooks": notebook_code_lines(roots)}
    runs: dict[str, list[dict]] = {kind: [] for kind in kinds}
    for _ in range(repeat):
        for kind, command in kinds.items():
            runs[kind].append(timed(command))
    shutil.rmtree(empty, ignore_errors=True)
    start_up = median(runs["start-up"], "cpu")
    rows = ["| files | count | code lines | wall (median) | CPU | CPU less start-up, per 1k code lines |",
            "| --- | ---: | ---: | ---: | ---: | ---: |"]
    per_line = {}
    for kind, kind_runs in runs.items():
        count, lines = sizes[kind]
        cpu = median(kind_runs, "cpu")
        per_line[kind] = (cpu - start_up) / max(lines, 1)
        cost = f"{1e6 * per_line[kind]:.0f} ms" if lines else "-"
        rows.append(f"| {kind} | {count} | {lines:,} | {median(kind_runs, 'wall'):.2f} s | {cpu:.2f} s | {cost} |")
    rows += ["", f"- notebooks / .py, CPU per code line = **{per_line['notebooks'] / per_line['.py']:.2f}** (target: about 1)", ""]
    return rows


def profile_rules(roots: list[str]) -> list[str]:
    """CPU time of each rule's hooks over the tree (one process, no cache), beside the
    engine's own phases: what to optimise when the cold run is far above the floor."""
    import libcst

    from kerascheck import engine
    from kerascheck.config import Settings
    from kerascheck.request import CheckRequest
    from kerascheck.rules import all_rules
    from kerascheck.rules.base import Rule

    files = python_files(roots)
    spent: dict[str, float] = {}
    original_guard = Rule._guard

    def timed_guard(self, method):
        guarded = original_guard(self, method)
        code = self.code

        def timed_hook(node):
            start = time.process_time()
            try:
                return guarded(node)
            finally:
                spent[code] = spent.get(code, 0.0) + time.process_time() - start

        return timed_hook

    start = time.process_time()
    for path in files:
        with open(path, "rb") as handle:
            try:
                libcst.parse_module(handle.read())
            except Exception:
                pass
    parse = time.process_time() - start
    start = time.process_time()
    for path in files:
        engine.scan_file(path)
    first_pass = time.process_time() - start
    Rule._guard = timed_guard
    try:
        start = time.process_time()
        engine.run(CheckRequest.from_settings(files, Settings(), jobs=1, fix_edits=False))  # as the CLI in its text formats
        total = time.process_time() - start
    finally:
        Rule._guard = original_guard
    names = all_rules()
    rules = sum(spent.values())
    lines = [
        f"### where the time goes: {len(files)} files, one process, CPU seconds",
        "",
        "| part | CPU | share of the run |",
        "| --- | ---: | ---: |",
        f"| whole run (both passes) | {total:.2f} s | 100% |",
        f"| libcst parse (the floor) | {parse:.2f} s | {100 * parse / total:.0f}% |",
        f"| first pass (decode, ast, facts) | {first_pass:.2f} s | {100 * first_pass / total:.0f}% |",
        f"| rule hooks, all rules | {rules:.2f} s | {100 * rules / total:.0f}% |",
        f"| the rest (traversal, positions, index, pool, I/O) | {total - parse - first_pass - rules:.2f} s | "
        f"{100 * (total - parse - first_pass - rules) / total:.0f}% |",
        "",
        "| rule | CPU in its hooks |",
        "| --- | ---: |",
    ]
    for code, seconds in sorted(spent.items(), key=lambda item: -item[1]):
        lines.append(f"| {code} {names[code].name} | {seconds:.2f} s |")
    return lines


# ---- the language server -----------------------------------------------------------------------
class LspPipe:
    """A bare JSON-RPC client on a language server's stdin/stdout: no client library between
    the clock and the wire. A reader thread timestamps every message the server sends and
    answers its requests (client/registerCapability) with null."""

    def __init__(self, command: list[str], cwd: str):
        self.process = subprocess.Popen(command, cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL)
        self.inbox: "queue.Queue[tuple[float, dict]]" = queue.Queue()
        self._next_id = 0
        self._lock = threading.Lock()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _write(self, message: dict) -> None:
        body = json.dumps(message).encode("utf-8")
        with self._lock:
            self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
            self.process.stdin.flush()

    def _read(self) -> None:
        stream = self.process.stdout
        while True:
            length = None
            while True:
                header = stream.readline()
                if not header:
                    return
                if header in (b"\r\n", b"\n"):
                    break
                name, _, value = header.decode("ascii").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            message = json.loads(stream.read(length))
            stamp = time.perf_counter()
            if "method" in message and "id" in message:  # a request of the server's
                self._write({"jsonrpc": "2.0", "id": message["id"], "result": None})
            self.inbox.put((stamp, message))

    def notify(self, method: str, params) -> float:
        """Send a notification; the time it was written."""
        self._write({"jsonrpc": "2.0", "method": method, "params": params})
        return time.perf_counter()

    def request(self, method: str, params, timeout: float = 600):
        self._next_id += 1
        self._write({"jsonrpc": "2.0", "id": self._next_id, "method": method, "params": params})
        return self.wait(lambda message: message.get("id") == self._next_id and "method" not in message, timeout)[1]

    def wait(self, wanted, timeout: float = 600) -> tuple[float, dict]:
        """The first message from now on that `wanted` accepts, and when it arrived."""
        deadline = time.monotonic() + timeout
        while True:
            stamp, message = self.inbox.get(timeout=max(0.0, deadline - time.monotonic()))
            if wanted(message):
                return stamp, message


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time a live process has used, all its threads (from /proc)."""
    with open(f"/proc/{pid}/stat") as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def median_sized_file(path: str) -> str:
    """`path` itself, or the median-sized .py file below the directory `path`."""
    if os.path.isfile(path):
        return path
    sized = sorted((os.path.getsize(file), file) for file in python_files([path]))
    if not sized:
        sys.exit(f"no Python file below {path}")
    return sized[len(sized) // 2][1]


# The edits timed: the example's last line rewritten, as typing does. A comment leaves the
# file's facts (imports, classes) as they are, so the server's index stays warm; an import
# changes them, so the index is built again for the check.
EDITS = {
    "a comment": lambda number: f"# edit {number}\n",
    "an import (the index rebuilt)": lambda number: ("import os\n", "import sys\n")[number % 2],
}


# Seconds between one edit's diagnostics and the next edit: a typist's pace (edits closer
# together than the server's debounce are a burst, which it checks after the burst).
TYPING_PAUSE = 0.1


def measure_server(roots: list[str], example: str, edits: int, debounce: Optional[float]) -> dict:
    """`kerascheck server` on a workspace made of the Python files of `roots` plus the file
    `example` in it: the time from initialize to the example's first diagnostics, and to
    the whole workspace read; then, warm, for each kind of EDITS, `edits` times the time from a
    didChange of the example to the publishDiagnostics of that version; and the server's
    memory holding the workspace."""
    with tempfile.TemporaryDirectory(prefix="kerascheck-bench-lsp-") as into:
        make_copies(roots, 1, into)
        workspace = os.path.join(into, "copy0")
        target = os.path.join(workspace, "example", os.path.basename(example))
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copyfile(example, target)
        with open(target, encoding="utf-8") as handle:
            text = handle.read().rstrip("\n") + "\n# the line the benchmark edits\n"
        document = "file://" + target
        last = text.count("\n") - 1
        files = python_files([workspace])
        lines = count_lines(files)
        server = LspPipe(kerascheck_command(["server"]), cwd=workspace)
        try:
            start = time.perf_counter()
            server.request("initialize", {
                "processId": os.getpid(), "rootUri": "file://" + workspace, "capabilities": {},
                "workspaceFolders": [{"uri": "file://" + workspace, "name": "workspace"}],
                "initializationOptions": {"debounce": debounce} if debounce is not None else None,
            })
            server.notify("initialized", {})
            server.notify("textDocument/didOpen", {"textDocument": {
                "uri": document, "languageId": "python", "version": 1, "text": text,
            }})

            def published(version: int):
                return lambda m: (m.get("method") == "textDocument/publishDiagnostics"
                                  and m["params"]["uri"] == document and m["params"].get("version") == version)

            def indexed(m):
                return m.get("method") == "window/logMessage" and " indexed in " in m["params"]["message"]

            seen: dict = {}  # the first diagnostics may come before the workspace is read
            while len(seen) < 2:
                stamp, message = server.wait(lambda m: published(1)(m) or indexed(m))
                seen.setdefault("indexed" if indexed(message) else "first", stamp - start)
            version = 1
            latencies: dict = {}
            cpu: dict = {}
            for kind, line_of in EDITS.items():
                latencies[kind] = []
                for number in range(edits + 3):
                    if number == 3:
                        cpu_before = _cpu_seconds(server.process.pid)
                    version += 1
                    sent = server.notify("textDocument/didChange", {
                        "textDocument": {"uri": document, "version": version},
                        "contentChanges": [{
                            "range": {"start": {"line": last, "character": 0}, "end": {"line": last + 1, "character": 0}},
                            "text": line_of(number),
                        }],
                    })
                    arrived, message = server.wait(published(version))
                    if number >= 3:  # the first three edits of a kind warm the server up
                        latencies[kind].append(arrived - sent)
                    time.sleep(TYPING_PAUSE)
                cpu[kind] = (_cpu_seconds(server.process.pid) - cpu_before) / edits  # idle in the pauses
            rss, peak = _memory(server.process.pid), _memory(server.process.pid, "VmHWM:")
            server.request("shutdown", None)
            server.notify("exit", None)
            code = server.process.wait(timeout=60)
        finally:
            if server.process.poll() is None:
                server.process.kill()
                server.process.wait()
    return {
        "files": len(files), "lines": lines, "example": example, "example_lines": text.count("\n"),
        "findings": len(message["params"]["diagnostics"]), "first": seen["first"], "indexed": seen["indexed"],
        "latencies": latencies, "cpu": cpu,
        "rss": rss, "peak": peak, "exit": code, "debounce": debounce,
    }


def report_server(result: dict) -> list[str]:
    debounce = "the default debounce" if result["debounce"] is None else f"debounce {result['debounce']:g} ms"
    rows = [
        f"### language server: {result['files']} workspace files ({result['lines']:,} lines), "
        f"editing {os.path.basename(result['example'])} ({result['example_lines']} lines, "
        f"{result['findings']} findings), {debounce}",
        "",
        "| measure | value |",
        "| --- | ---: |",
        f"| start: initialize -> the example's first diagnostics | {result['first']:.2f} s |",
        f"| start: initialize -> the whole workspace read (its log message) | {result['indexed']:.2f} s |",
    ]
    for kind, latencies in result["latencies"].items():
        latencies = sorted(latencies)
        tenth = latencies[len(latencies) // 10]
        ninetieth = latencies[min(len(latencies) - 1, len(latencies) * 9 // 10)]
        rows.append(
            f"| didChange -> publishDiagnostics, editing {kind}: median of {len(latencies)} "
            f"(10th-90th percentile) | **{1000 * statistics.median(latencies):.0f} ms** ({1000 * tenth:.0f}-{1000 * ninetieth:.0f}) |"
        )
        rows.append(f"| ... the server's CPU time per edit (mean) | {1000 * result['cpu'][kind]:.0f} ms |")
    rows += [
        f"| server RSS holding the workspace, after the edits | {result['rss'] / 2**20:.0f} MB |",
        f"| server peak RSS | {result['peak'] / 2**20:.0f} MB |",
        "",
        f"- target: median <= 100 ms on 2 cores; exit code after shutdown/exit: {result['exit']}; "
        f"load average when done: {os.getloadavg()[0]:.1f}",
        "",
    ]
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("roots", nargs="+", help="directories of Python files (e.g. keras-io's examples and guides)")
    parser.add_argument("--repeat", type=int, default=5, help="repetitions of each kind (default 5)")
    parser.add_argument("--copies", default="1", help="comma-separated tree multipliers, e.g. 1,2,4")
    parser.add_argument("-j", "--jobs", type=int, help="kerascheck worker processes (default: all cores)")
    parser.add_argument("--no-references", action="store_true", help="skip ruff and fixit even when installed")
    parser.add_argument("-o", "--output", help="also write the table (Markdown) to this file")
    parser.add_argument("--profile-rules", action="store_true", help="instead: CPU time per rule and per phase, in this process")
    parser.add_argument("--notebook-cost", action="store_true",
                        help="instead: the CPU per 1k code lines of the roots' notebooks against their .py files")
    parser.add_argument("--server", metavar="EXAMPLE", help="instead: the language server's latency, editing EXAMPLE (a .py file, or a directory: its median-sized .py file) inside a workspace made of the roots")
    parser.add_argument("--edits", type=int, default=50, help="with --server: timed edits (default 50)")
    parser.add_argument("--debounce", default="default", help="with --server: comma-separated debounce values in ms to measure, `default` for the server's (default: default)")
    options = parser.parse_args()
    if options.notebook_cost:
        print("\n".join(notebook_cost(options.roots, options.repeat, options.jobs)))
        return
    if options.profile_rules:
        print("\n".join(profile_rules(options.roots)))
        return
    if options.server:
        example = median_sized_file(options.server)
        lines = [f"kerascheck language server benchmark - {os.cpu_count()} cores, Python {sys.version.split()[0]}", ""]
        for value in options.debounce.split(","):
            result = measure_server(options.roots, example, options.edits, None if value == "default" else float(value))
            lines += report_server(result)
            print("\n".join(report_server(result)), flush=True)
        if options.output:
            with open(options.output, "w", encoding="utf-8") as out:
                out.write("\n".join(lines) + "\n")
        return
    lines = [
        f"kerascheck benchmark - {os.cpu_count()} cores, Python {sys.version.split()[0]}, "
        f"{options.repeat} interleaved repetitions, medians",
        "",
    ]
    scaling = []
    for copies in [int(number) for number in options.copies.split(",")]:
        with tempfile.TemporaryDirectory(prefix="kerascheck-bench-tree-") as tree:
            roots = options.roots if copies == 1 else make_copies(options.roots, copies, tree)
            result = measure(roots, options.repeat, options.jobs, not options.no_references)
        lines += report(f"{copies}x", result)
        print("\n".join(report(f"{copies}x", result)), flush=True)
        scaling.append((copies, result))
    if len(scaling) > 1:
        lines += ["### scaling", "", "| copies | files | lines | floor | cold | warm | cold per 1k lines |", "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
        for copies, result in scaling:
            runs = result["runs"]
            floor, cold, warm = (median(runs[kind], "wall") for kind in ("floor", "cold", "warm"))
            lines.append(
                f"| {copies}x | {result['files']} | {result['lines']:,} | {floor:.2f} s | {cold:.2f} s | "
                f"{warm:.2f} s | {1e6 * cold / result['lines']:.0f} ms |"
            )
        print("\n".join(lines[-len(scaling) - 4:]))
    if options.output:
        with open(options.output, "w", encoding="utf-8") as out:
            out.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
