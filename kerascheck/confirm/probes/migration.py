"""`--confirm` for the KC5xx rules (and the class rules KC405 and KC406, whose findings sit in
module code): cheap introspection of the installed Keras.

Each migration entry carries a `Probe` (kerascheck/rules/keras3/table.py): a line of code
that raises the measured error on Keras 3 (`keras.backend.set_value` ->
AttributeError), or an expression that is True when the Keras 3 behaviour is there
(`'workers' not in inspect.signature(keras.Model.fit).parameters`). Running it tells the
user "confirmed: absent in Keras 3.15.1" instead of a claim.

This module never imports Keras at import time (the static core must not). `run()` is
meant to run where Keras may be imported: in a worker process, or through `main()`
(`python -m kerascheck.confirm.probes.migration` reads JSON lines `{"code": ..., "member": ...}`
on stdin and writes one result per line). `confirm(findings)` does the latter from the
main process, one subprocess for all the findings.

`kerascheck --confirm` does not start a process of its own for these: its worker
(kerascheck.confirm.worker), which imports Keras once for the class probes, runs
`observe()` for each distinct (code, member) of the run's KC5xx findings, and the runner
(kerascheck.confirm.runner) attaches the result to every finding of that pair. `observe()`
words the result for a user and is honest about a Keras 2 install: the probes are
written for Keras 3, so on Keras 2 they can show that the pitfall does not bite there
(`not-reproduced`), never that it does.
"""
from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
from typing import Iterable, Optional

from kerascheck.rules.keras3.table import BY_CODE, Probe

# ==== issue 15: KC405, KC406 (begin) ================================================================
# Class rules whose findings sit in module code, where there is no class to build: their
# probe, like a migration row's, runs a line of Keras (no user code). KC405 bites on Keras 3
# only; KC406's probe shows its pitfall on Keras 2 as well (`model.inputs` is None there,
# so `inputs[0]` raises TypeError), so a Keras 2 install confirms it too.
INTROSPECTION_PROBES = {
    "KC405": Probe("keras.layers.Dense(1, name='block1/dense')", ("ValueError",)),
    "KC406": Probe("keras.Sequential([keras.layers.Dense(1)]).{member}", ("AttributeError", "TypeError"),
                   member="inputs[0]"),
}
BITES_ON_KERAS2 = frozenset({"KC406"})
# What KC406's probe reads, by the attribute the finding reads.
_KC406_MEMBERS = {"inputs": "inputs[0]", "outputs": "outputs[0]", "input": "layers[0].input",
                  "output": "layers[0].output"}
# ==== issue 15: KC405, KC406 (end) ==================================================================


def probe_of(code: str) -> Optional[Probe]:
    """The introspection probe of `code`: its migration row's, or a class rule's above."""
    entry = BY_CODE.get(code)
    return entry.probe if entry is not None else INTROSPECTION_PROBES.get(code)


def checkpoint_weights_only(tree, text: str, line: int, column: int) -> Optional[str]:
    """KC506's member: the literal `save_weights_only` ("True"/"False", "False" when not
    passed) of the `ModelCheckpoint(...)` call whose path argument starts at the finding
    (1-based line and character column), so the probe builds the callback the finding is
    about; None when no such call is found or the value is not a literal."""
    lines = text.split("\n")
    if tree is None or not 1 <= line <= len(lines):
        return None
    offset = len(lines[line - 1][:column - 1].encode("utf-8"))  # ast columns count UTF-8 bytes
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name != "ModelCheckpoint":
            continue
        path = node.args[0] if node.args else next((k.value for k in node.keywords if k.arg == "filepath"), None)
        if path is None or (path.lineno, path.col_offset) != (line, offset):
            continue
        flag = next((k.value for k in node.keywords if k.arg == "save_weights_only"), None)
        if flag is None and len(node.args) > 4:
            flag = node.args[4]
        if flag is None:
            return "False"
        if isinstance(flag, ast.Constant) and isinstance(flag.value, bool):
            return str(flag.value)
        return None
    return None


def member_of(code: str, source_text: str) -> str:
    """What a probe needs from the flagged source text: the last name of `K.set_value`,
    the module of `from tensorflow.keras.engine.topology import ...`."""
    text = source_text.strip()
    if code == "KC406":
        return _KC406_MEMBERS.get(text.rsplit(".", 1)[-1], "")
    if code == "KC509":
        for prefix in ("tensorflow.keras.", "tf.keras.", "tf_keras."):
            if text.startswith(prefix):
                return "keras." + text[len(prefix):]
        return text
    return text.split("(")[0].rsplit(".", 1)[-1].strip()


MEMBER = "{member}"
_MODULE_PATH = re.compile(r"keras(\.[A-Za-z_]\w*)+")
_STATUS_LINE = 160  # characters of an error's first line in a detail
_LABEL = 80  # a longer probe is named by its code ("the KC535 probe")


def takes_member(code: str) -> bool:
    """Whether the probe of `code` probes the flagged name (`keras.backend.{member}`)."""
    probe = probe_of(code)
    return probe is not None and MEMBER in probe.code


def valid_member(code: str, member: str) -> bool:
    """A member the probe can be run with: a `keras.` module path for KC509, a plain
    identifier for the others (never code)."""
    if code == "KC509":
        return bool(_MODULE_PATH.fullmatch(member))
    if code == "KC506":
        return member in ("True", "False")  # the finding's save_weights_only
    if code == "KC406":
        return member in _KC406_MEMBERS.values()
    return member.isidentifier()


def _source(probe, member: str) -> str:
    return probe.code.replace(MEMBER, member or probe.member).replace("{{", "{").replace("}}", "}")


class _Outcome:
    """What running a probe did: `error` (the exception it raised) or `value` (its last
    expression); `keras` is None when Keras cannot be imported."""

    def __init__(self, keras=None, version="?", error=None, value=None, import_error=None):
        self.keras, self.version, self.error, self.value, self.import_error = keras, version, error, value, import_error


def _execute(probe, member: str) -> _Outcome:
    try:
        import keras  # noqa: F401 - the installed Keras is what is being probed
    except Exception as error:  # noqa: BLE001
        return _Outcome(import_error=error)
    keras = sys.modules["keras"]
    outcome = _Outcome(keras=keras, version=getattr(keras, "__version__", "?"))
    namespace: dict = {}
    try:
        exec(compile(probe.setup, "<probe setup>", "exec"), namespace)  # noqa: S102 - our own table
        tree = ast.parse(_source(probe, member))
        last = tree.body[-1] if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        body = ast.Module(body=tree.body[:-1] if last else tree.body, type_ignores=[])
        exec(compile(body, "<probe>", "exec"), namespace)  # noqa: S102
        outcome.value = eval(compile(ast.Expression(last.value), "<probe>", "eval"), namespace) if last else None  # noqa: S307
    except Exception as error:  # noqa: BLE001 - the error is the observation
        outcome.error = error
    return outcome


def _first_line(error: BaseException, limit: int = _STATUS_LINE) -> str:
    line = (str(error).strip().splitlines() or [""])[0].strip()
    return line if len(line) <= limit else line[: limit - 3].rstrip() + "..."


def run(code: str, member: str = "") -> tuple[str, str]:
    """(status, detail): "confirmed", "not-reproduced", "skipped" or "error" (the raw
    observation, as `python -m kerascheck.confirm.probes.migration` prints it; `observe()` is
    what `kerascheck --confirm` shows)."""
    probe = probe_of(code)
    if probe is None:
        return "skipped", "this entry has no introspection probe (it needs a model and data)"
    outcome = _execute(probe, member)
    if outcome.keras is None:
        error = outcome.import_error
        return "skipped", f"Keras cannot be imported: {type(error).__name__}: {error}"
    version = outcome.version
    if outcome.error is not None:
        error = outcome.error
        first_line = (str(error).splitlines() or [""])[0][:160]
        if type(error).__name__ in probe.raises:
            return "confirmed", f"{type(error).__name__}: {first_line} (Keras {version})"
        return "error", f"the probe raised {type(error).__name__}: {first_line} (Keras {version})"
    if probe.raises:
        return "not-reproduced", f"no {'/'.join(probe.raises)} on Keras {version}"
    if outcome.value:
        return "confirmed", f"observed on Keras {version}"
    return "not-reproduced", f"not observed on Keras {version}"


def label(code: str, member: str = "") -> Optional[str]:
    """The probe as a user can read it (`keras.backend.set_value`,
    `keras.optimizers.Adam(lr=0.01)`): its statements without the imports and the
    `or True` that makes a call a value, or only the last one (`m.metrics_names ==
    [...]`); None when that is still too long for a line."""
    probe = probe_of(code)
    if probe is None:
        return None
    try:
        tree = ast.parse(_source(probe, member))
    except SyntaxError:
        return None
    statements = [node for node in tree.body if not isinstance(node, (ast.Import, ast.ImportFrom))]
    if statements and isinstance(statements[-1], ast.Expr):
        value = statements[-1].value
        if isinstance(value, ast.BoolOp) and isinstance(value.op, ast.Or) and len(value.values) == 2 \
                and isinstance(value.values[1], ast.Constant) and value.values[1].value is True:
            statements[-1] = ast.Expr(value.values[0])
    for shown in (statements, statements[-1:]):  # all of it, else its last expression
        text = "; ".join(ast.unparse(node) for node in shown)
        if shown and "\n" not in text and len(text) <= _LABEL:
            return text
    return None


def _major(version: str) -> Optional[int]:
    head = str(version).split(".")[0]
    return int(head) if head.isdigit() else None


def observe(code: str, member: str = "") -> tuple[str, str, Optional[str]]:
    """Run the probe of `code` for `member` in this process (where Keras may be
    imported): (status, detail, keras_version), worded for `kerascheck --confirm`.

    - confirmed: "on Keras 3.15.1, `keras.backend.set_value` raises AttributeError: ...";
    - not-reproduced: "`keras.backend.epsilon` raises no AttributeError" (the output
      formats add the version);
    - skipped: the entry has no probe, Keras cannot be imported, or the installed Keras
      is Keras 2 and the probe (written for Keras 3) cannot tell;
    - error: the probe itself failed on Keras 3 (a bug in the table, or a Keras change).
    On Keras 2 the pitfall does not bite: a probe that shows the Keras 2 behaviour is
    `not-reproduced` and says the installed Keras is Keras 2; one that raises or holds
    there is `skipped` (it was written for Keras 3 and fails on Keras 2 for other reasons:
    `Dense(1).output_shape` of an unbuilt layer, `keras.ops`)."""
    probe = probe_of(code)
    if probe is None:
        return "skipped", f"{code} has no introspection probe (its behaviour needs a model and data to show)", None
    outcome = _execute(probe, member)
    if outcome.keras is None:
        error = outcome.import_error
        return "skipped", f"Keras cannot be imported: {type(error).__name__}: {_first_line(error)}", None
    version = outcome.version
    shown = label(code, member)
    what = f"`{shown}`" if shown else f"the {code} probe"
    if outcome.error is not None:
        name = type(outcome.error).__name__
        first = _first_line(outcome.error)
        raised = f"{name}: {first}" if first else name
    keras2 = (_major(version) or 3) < 3 and code not in BITES_ON_KERAS2
    if keras2:
        if outcome.error is not None or (not probe.raises and outcome.value):
            seen = f"raises {raised}" if outcome.error is not None else ("is true" if shown else "shows it")
            return "skipped", f"Keras 2 ({version}) is installed, where this Keras 3 probe cannot tell: {what} {seen}", None
        seen = f"raises no {'/'.join(probe.raises)}" if probe.raises else ("is false" if shown else "does not show it")
        return "not-reproduced", f"the finding is about Keras 3; {what} {seen} on the installed Keras 2", version
    if outcome.error is not None:
        if name in probe.raises:
            return "confirmed", f"on Keras {version}, {what} raises {raised}", version
        return "error", f"the probe failed: {what} raised {raised} (Keras {version})", version
    if probe.raises:
        return "not-reproduced", f"{what} raises no {'/'.join(probe.raises)}", version
    if outcome.value:
        return "confirmed", f"on Keras {version}, {what} is true" if shown else f"on Keras {version}, {what} shows it", version
    return "not-reproduced", f"{what} is false" if shown else f"{what} does not show it", version


def main() -> int:
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        status, detail = run(request["code"], request.get("member", ""))
        sys.stdout.write(json.dumps({"status": status, "detail": detail}) + "\n")
        sys.stdout.flush()
    return 0


def confirm(requests: Iterable[tuple[str, str]], python: Optional[str] = None, timeout: float = 300.0):
    """Run the probes for (code, member) pairs in one subprocess; a list of (status,
    detail), or ("skipped", why) for every pair when the subprocess cannot run."""
    requests = list(requests)
    if not requests:
        return []
    payload = "".join(json.dumps({"code": code, "member": member}) + "\n" for code, member in requests)
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    try:
        completed = subprocess.run([python or sys.executable, "-m", "kerascheck.confirm.probes.migration"], input=payload,
                                   capture_output=True, text=True, timeout=timeout, env=env)
    except (OSError, subprocess.TimeoutExpired) as error:
        return [("skipped", f"the probe process failed: {error}")] * len(requests)
    results = [json.loads(line) for line in completed.stdout.splitlines() if line.startswith("{")]
    if len(results) != len(requests):
        why = (completed.stderr.strip().splitlines() or ["no output"])[-1]
        return [("error", f"the probe process stopped: {why}")] * len(requests)
    return [(result["status"], result["detail"]) for result in results]


if __name__ == "__main__":
    sys.exit(main())
