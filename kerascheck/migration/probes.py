"""`--confirm` for the KC5xx rules: cheap introspection of the installed Keras.

Each migration entry carries a `Probe` (kerascheck/migration/table.py): a line of code
that raises the measured error on Keras 3 (`keras.backend.set_value` ->
AttributeError), or an expression that is True when the Keras 3 behaviour is there
(`'workers' not in inspect.signature(keras.Model.fit).parameters`). Running it tells the
user "confirmed: absent in Keras 3.15.1" instead of a claim.

This module never imports Keras at import time (the static core must not). `run()` is
meant to run where Keras may be imported: in a worker process, or through `main()`
(`python -m kerascheck.migration.probes` reads JSON lines `{"code": ..., "member": ...}`
on stdin and writes one result per line). `confirm(findings)` does the latter from the
main process, one subprocess for all the findings.
"""
from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from typing import Iterable, Optional

from kerascheck.migration.table import BY_CODE


def member_of(code: str, source_text: str) -> str:
    """What a probe needs from the flagged source text: the last name of `K.set_value`,
    the module of `from tensorflow.keras.engine.topology import ...`."""
    text = source_text.strip()
    if code == "KC509":
        for prefix in ("tensorflow.keras.", "tf.keras.", "tf_keras."):
            if text.startswith(prefix):
                return "keras." + text[len(prefix):]
        return text
    return text.rsplit(".", 1)[-1].split("(")[0]


def run(code: str, member: str = "") -> tuple[str, str]:
    """(status, detail): "confirmed", "not-reproduced", "skipped" or "error"."""
    entry = BY_CODE.get(code)
    if entry is None or entry.probe is None:
        return "skipped", "this entry has no introspection probe (it needs a model and data)"
    probe = entry.probe
    try:
        import keras  # noqa: F401 - the installed Keras is what is being probed
    except Exception as error:  # noqa: BLE001
        return "skipped", f"Keras cannot be imported: {type(error).__name__}: {error}"
    version = getattr(sys.modules["keras"], "__version__", "?")
    source = probe.code.replace("{member}", member or probe.member).replace("{{", "{").replace("}}", "}")
    namespace: dict = {}
    try:
        exec(compile(probe.setup, "<probe setup>", "exec"), namespace)  # noqa: S102 - our own table
        tree = ast.parse(source)
        last = tree.body[-1] if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        body = ast.Module(body=tree.body[:-1] if last else tree.body, type_ignores=[])
        exec(compile(body, "<probe>", "exec"), namespace)  # noqa: S102
        value = eval(compile(ast.Expression(last.value), "<probe>", "eval"), namespace) if last else None  # noqa: S307
    except Exception as error:  # noqa: BLE001 - the error is the observation
        first_line = (str(error).splitlines() or [""])[0][:160]
        if type(error).__name__ in probe.raises:
            return "confirmed", f"{type(error).__name__}: {first_line} (Keras {version})"
        return "error", f"the probe raised {type(error).__name__}: {first_line} (Keras {version})"
    if probe.raises:
        return "not-reproduced", f"no {'/'.join(probe.raises)} on Keras {version}"
    if value:
        return "confirmed", f"observed on Keras {version}"
    return "not-reproduced", f"not observed on Keras {version}"


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
        completed = subprocess.run([python or sys.executable, "-m", "kerascheck.migration.probes"], input=payload,
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
