"""The steps of the kerascheck GitHub Action (action.yml, at the repository root).

    python action/main.py install   # pip-installs kerascheck into this Python
    python action/main.py run       # lints: annotations, and optionally a SARIF file

Both read the Action's inputs from the environment, as action.yml hands them over
(INPUT_VERSION; INPUT_ARGS, INPUT_SRC, INPUT_SARIF_FILE), so the test suite runs this
script exactly as a workflow does. kerascheck is installed into the job's own Python,
not into a separate environment: that is where the project's packages are installed, and
kerascheck reads installed packages' base classes (and --confirm imports their Keras).

Standard library only, and Python 3.9 compatible: it runs on whatever Python the job has.
"""
from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys

ACTION_PATH = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def repository_url(action_path: str = ACTION_PATH) -> str:
    """The project's `Repository` URL from its pyproject.toml: the one place it is written.
    (The Actions runner leaves github.action_repository empty in composite steps.)"""
    with open(os.path.join(action_path, "pyproject.toml"), encoding="utf-8") as handle:
        match = re.search(r'^Repository\s*=\s*"([^"]+)"', handle.read(), re.M)
    if match is None:
        raise SystemExit("::error::kerascheck action: no Repository URL in the action's pyproject.toml")
    return match.group(1)


def requirement(version: str, action_path: str = ACTION_PATH) -> str:
    """What pip installs for the `version` input: the Action's own checkout (so the ref in
    `uses: kerascheck/kerascheck@REF` is the kerascheck that runs) when it is empty; a
    release from PyPI for a version number (`0.1.0`); otherwise a git ref of the project's
    repository (`v0.1.0`, a branch, a commit)."""
    version = version.strip()
    if not version:
        return action_path
    if version[0].isdigit():
        return f"kerascheck=={version}"
    return f"kerascheck @ git+{repository_url(action_path)}@{version}"


def install(env) -> int:
    wanted = requirement(env.get("INPUT_VERSION", ""))
    print(f"Installing {wanted}", flush=True)
    pip = subprocess.run([sys.executable, "-m", "pip", "install", "--disable-pip-version-check", wanted])
    if pip.returncode:
        print(
            f"::error title=kerascheck action::pip could not install {wanted} into {sys.executable}"
            " (a system Python may refuse: run actions/setup-python before this action)",
            flush=True,
        )
    return pip.returncode


def commands(args: str, src: str, sarif_file: str) -> list:
    """The kerascheck runs: annotations; then, when asked, the SARIF report. The SARIF run
    exits 0 on findings, so its code only reports a failure of its own (2)."""
    base = [sys.executable, "-m", "kerascheck", "check", *shlex.split(args)]
    paths = shlex.split(src) or ["."]
    runs = [[*base, "--output-format", "github", *paths]]
    if sarif_file.strip():
        runs.append([*base, "--output-format", "sarif", "--output-file", sarif_file.strip(), "--exit-zero", *paths])
    return runs


def run(env) -> int:
    """kerascheck's exit code: 0 clean, 1 findings, 2 an error (of either run)."""
    try:
        runs = commands(env.get("INPUT_ARGS", ""), env.get("INPUT_SRC", "."), env.get("INPUT_SARIF_FILE", ""))
    except ValueError as exc:  # shlex: an unclosed quote
        print(f"::error title=kerascheck action::cannot split the args/src inputs: {exc}", flush=True)
        return 2
    sarif_folder = os.path.dirname(env.get("INPUT_SARIF_FILE", "").strip())
    if sarif_folder:  # upload-sarif reads from anywhere in the workspace, e.g. reports/kerascheck.sarif
        try:
            os.makedirs(sarif_folder, exist_ok=True)
        except OSError as exc:
            print(f"::error title=kerascheck action::cannot create the folder of sarif-file: {exc}", flush=True)
            return 2
    codes = []
    for command in runs:
        print("kerascheck " + " ".join(shlex.quote(part) for part in command[3:]), file=sys.stderr, flush=True)
        code = subprocess.run(command).returncode
        codes.append(code if code >= 0 else 2)  # killed by a signal
    return max(codes)


def main(argv: list) -> int:
    steps = {"install": install, "run": run}
    if len(argv) != 2 or argv[1] not in steps:
        print(f"usage: {os.path.basename(argv[0])} install|run", file=sys.stderr)
        return 2
    return steps[argv[1]](os.environ)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
