"""The GitHub Action (action.yml, action/main.py), run as a workflow runs it: its inputs
as INPUT_* environment variables, in a git checkout holding a known finding.

The annotations are read back with the runner's own command parser (the port in
test_output_formats), the SARIF file is validated against the SARIF 2.1.0 schema. The
install step is run for real into a throwaway virtualenv, from the local checkout (the
Action's own ref) with pip's index switched off: no network.
"""
from __future__ import annotations

import importlib.util
import json
import re
import os
import subprocess
import sys
import venv

import pytest
import yaml

from cliutil import CLEAN_SOURCE, KC101_SOURCE, write
from test_output_formats import runner_parse, validate_sarif

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCRIPT = os.path.join(ROOT, "action", "main.py")
INPUTS = {"args": "INPUT_ARGS", "src": "INPUT_SRC", "version": "INPUT_VERSION", "sarif-file": "INPUT_SARIF_FILE"}


def load_script():
    spec = importlib.util.spec_from_file_location("kerascheck_action", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def checkout(tmp_path):
    """A repository as actions/checkout leaves it: a KC101 in model.py (line 6, column 18),
    a clean module, and a git-ignored file with a finding that must not be reported."""
    repo = tmp_path / "repo"
    write(repo, {
        "model.py": KC101_SOURCE,
        "clean.py": CLEAN_SOURCE,
        ".gitignore": "generated/\n",
        "generated/model.py": KC101_SOURCE,
    })
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "init.defaultBranch=main"]
    for command in (["init", "-q"], ["add", "."], ["commit", "-q", "-m", "a layer"]):
        subprocess.run([*git, *command], cwd=repo, check=True, capture_output=True)
    return repo


def action_step(step: str, cwd, python=sys.executable, environ=None, **inputs) -> subprocess.CompletedProcess:
    """One step of action.yml: `python action/main.py STEP`, inputs in the environment."""
    environ = os.environ if environ is None else environ
    env = {k: v for k, v in environ.items() if not k.startswith("INPUT_") and k != "KERASCHECK_OUTPUT_FORMAT"}
    env["GITHUB_ACTION_PATH"] = ROOT
    env.update({INPUTS[name.replace("_", "-")]: value for name, value in inputs.items()})
    return subprocess.run([python, SCRIPT, step], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def annotations(stdout: str) -> list:
    parsed = [runner_parse(line) for line in stdout.splitlines() if line.startswith("::")]
    assert all(parsed), stdout
    return parsed


# ---- action.yml hands every input to the script -------------------------------------------------
def test_action_yml_is_a_composite_action_running_the_script():
    with open(os.path.join(ROOT, "action.yml"), encoding="utf-8") as handle:
        action = yaml.safe_load(handle)
    assert set(action["inputs"]) == set(INPUTS)
    assert action["inputs"]["src"]["default"] == "." and action["inputs"]["version"]["default"] == ""
    assert action["runs"]["using"] == "composite"
    install, lint = action["runs"]["steps"]
    assert '"$GITHUB_ACTION_PATH/action/main.py" install' in install["run"]
    assert '"$GITHUB_ACTION_PATH/action/main.py" run' in lint["run"]
    handed = {**install["env"], **lint["env"]}
    for name, variable in INPUTS.items():
        assert handed[variable] == f"${{{{ inputs.{name} }}}}", variable


def test_version_input_picks_what_pip_installs():
    script = load_script()
    with open(os.path.join(ROOT, "pyproject.toml"), "rb") as handle:
        repository = __import__("tomllib" if sys.version_info >= (3, 11) else "tomli").load(handle)[
            "project"]["urls"]["Repository"]
    assert script.repository_url() == repository
    assert script.requirement("") == ROOT  # the Action's own ref: its checkout
    assert script.requirement(" 0.1.0 ") == "kerascheck==0.1.0"
    assert script.requirement("v0.1.0") == f"kerascheck @ git+{repository}@v0.1.0"
    assert script.requirement("main") == f"kerascheck @ git+{repository}@main"


def test_commands_put_the_format_after_the_args_and_the_paths_last():
    script = load_script()
    github, sarif = script.commands("--ignore KC102 --target-keras '3'", "src 'my dir'", "out/k.sarif")
    assert github[1:] == ["-m", "kerascheck", "check", "--ignore", "KC102", "--target-keras", "3",
                          "--output-format", "github", "src", "my dir"]
    assert sarif[-6:] == ["sarif", "--output-file", "out/k.sarif", "--exit-zero", "src", "my dir"]
    assert len(script.commands("", "", "  ")) == 1  # no sarif-file: one run, of "."
    assert script.commands("", "", "")[0][-1] == "."


# ---- the run step, for real -----------------------------------------------------------------------
@pytest.mark.slow
def test_run_annotates_the_finding_and_writes_sarif(checkout):
    step = action_step("run", checkout, args="", src=".", sarif_file="reports/kerascheck.sarif")
    assert step.returncode == 1, step.stdout + step.stderr  # findings fail the step
    assert "Traceback" not in step.stderr
    [(kind, properties, message)] = annotations(step.stdout)  # not generated/: it is git-ignored
    assert kind == "error"
    assert properties["file"] == "model.py" and (properties["line"], properties["col"]) == ("6", "18")
    assert properties["title"] == "kerascheck (KC101)" and "tf.Variable" in message
    with open(checkout / "reports" / "kerascheck.sarif", encoding="utf-8") as handle:
        document = json.load(handle)
    validate_sarif(document)
    [result] = document["runs"][0]["results"]
    assert result["ruleId"] == "KC101"
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "model.py" and location["region"]["startLine"] == 6


@pytest.mark.slow
def test_run_passes_args_and_src_through(checkout):
    ignored = action_step("run", checkout, args="--ignore KC101", src="model.py clean.py")
    assert ignored.returncode == 0, ignored.stdout + ignored.stderr
    assert annotations(ignored.stdout) == []
    clean = action_step("run", checkout, src="clean.py", sarif_file="clean.sarif")
    assert clean.returncode == 0, clean.stdout + clean.stderr
    with open(checkout / "clean.sarif", encoding="utf-8") as handle:
        assert json.load(handle)["runs"][0]["results"] == []


@pytest.mark.slow
def test_run_reports_bad_inputs_without_a_traceback(checkout):
    unknown = action_step("run", checkout, args="--select KC999", sarif_file="k.sarif")
    assert unknown.returncode == 2, unknown.stdout + unknown.stderr
    assert "KC999" in unknown.stderr and "Traceback" not in unknown.stderr
    blocked = action_step("run", checkout, sarif_file="model.py/k.sarif")  # a file where a folder must be
    assert blocked.returncode == 2 and "Traceback" not in blocked.stderr
    assert blocked.stdout.startswith("::error title=kerascheck action::cannot create the folder of sarif-file")
    unclosed = action_step("run", checkout, args="--ignore 'KC101")
    assert unclosed.returncode == 2
    assert unclosed.stdout.startswith("::error title=kerascheck action::cannot split")


@pytest.mark.slow
def test_install_step_installs_the_actions_own_checkout(checkout, tmp_path):
    """The install step into a fresh virtualenv (it sees this interpreter's packages, as a
    job's Python sees what the job installed), then the run step with that Python."""
    environment = tmp_path / "venv"
    venv.EnvBuilder(system_site_packages=True, with_pip=True).create(environment)
    python = str(environment / ("Scripts" if os.name == "nt" else "bin") / "python")
    # No PYTHONPATH: the kerascheck that runs must be the one installed. pip's index is off
    # (PIP_NO_BUILD_ISOLATION=0 is pip's spelling of --no-build-isolation).
    environ = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    environ.update(PIP_NO_INDEX="1", PIP_NO_BUILD_ISOLATION="0")
    installed = action_step("install", checkout, python=python, environ=environ, version="")
    where = subprocess.run([python, "-c", "import kerascheck; print(kerascheck.__file__)"], cwd=tmp_path,
                           env=environ, capture_output=True, text=True, timeout=60)
    lint = action_step("run", checkout, python=python, environ=environ)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    assert f"Installing {ROOT}" in installed.stdout
    assert where.stdout.startswith(str(environment)), where.stdout + where.stderr
    assert lint.returncode == 1, lint.stdout + lint.stderr
    assert [p[1]["title"] for p in annotations(lint.stdout)] == ["kerascheck (KC101)"]


def test_readme_uses_the_action_as_it_is_declared():
    """The README's workflow: every `uses: OWNER/NAME@...` step (the Repository URL) passes only
    inputs action.yml declares, and the job grants what upload-sarif needs."""
    with open(os.path.join(ROOT, "action.yml"), encoding="utf-8") as handle:
        declared = set(yaml.safe_load(handle)["inputs"])
    action_name = load_script().repository_url().removeprefix("https://github.com/")  # owner/name
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as handle:
        blocks = [yaml.safe_load(b) for b in re.findall(r"```yaml\n(.*?)```", handle.read(), re.S)]

    def steps(node):
        if isinstance(node, dict):
            if str(node.get("uses", "")).startswith(action_name + "@"):
                yield node
            for value in node.values():
                yield from steps(value)
        elif isinstance(node, list):
            for item in node:
                yield from steps(item)

    used = [step for block in blocks for step in steps(block)]
    assert len(used) >= 2, "the workflow and the --diff-base example"
    for step in used:
        assert set(step.get("with", {})) <= declared, step
    workflow = next(b for b in blocks if isinstance(b, dict) and "jobs" in b and any(steps(b)))
    assert workflow["permissions"] == {"contents": "read", "security-events": "write", "actions": "read"}
    [sarif] = [s["with"]["sarif-file"] for s in steps(workflow)]
    upload = [s for s in workflow["jobs"]["kerascheck"]["steps"] if "upload-sarif" in s.get("uses", "")]
    assert upload and upload[0]["with"]["sarif_file"] == sarif and upload[0]["if"] == "always()"
