"""The bundled demo projects under fixtures/ and their golden findings.

Each project is linted on its own (cwd = the project, default rules, no config file)
and its concise output must equal `fixtures/<project>/expected.txt` line for line.
After a deliberate change of a rule, regenerate the files and READ the diff:

    KERASCHECK_UPDATE_GOLDEN=1 python -m pytest -q tests/test_fixtures_golden.py
"""
import difflib
import os
import re

import pytest

from cliutil import run_cli
from kerascheck.rules import all_rules

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "fixtures")
UPDATE = os.environ.get("KERASCHECK_UPDATE_GOLDEN") == "1"
CONCISE = re.compile(
    r"^(?P<path>[^:]+):(?P<line>\d+):(?P<column>\d+): (?P<code>KC\d{3}) \[(?P<severity>error|warning|info)\] "
    r"(?P<fixable>\[\*\] )?(?P<message>\S.*)$"
)


def _projects() -> list[str]:
    return sorted(
        name
        for name in os.listdir(FIXTURES)
        if os.path.isdir(os.path.join(FIXTURES, name)) and not name.startswith((".", "_"))
    )


PROJECTS = _projects()


def _golden_path(project: str) -> str:
    return os.path.join(FIXTURES, project, "expected.txt")


def _read_golden(project: str) -> list[str]:
    with open(_golden_path(project), encoding="utf-8") as handle:
        return [line for line in handle.read().splitlines() if line]


def test_the_five_projects_exist():
    assert {"tutorial", "transformer", "recommender", "model_zoo", "training_script"} <= set(PROJECTS)


@pytest.mark.parametrize("project", PROJECTS)
def test_golden_output(project, tmp_path):
    run = run_cli(["--isolated", "--output-format", "concise", "."], cwd=os.path.join(FIXTURES, project),
                  env={"KERASCHECK_CACHE_DIR": str(tmp_path)})
    assert "Traceback" not in run.stderr
    assert run.returncode in (0, 1), run.stderr
    actual = run.stdout.splitlines()
    if UPDATE:
        with open(_golden_path(project), "w", encoding="utf-8") as handle:
            handle.write("".join(line + "\n" for line in actual))
    expected = _read_golden(project)
    if actual != expected:
        diff = "\n".join(difflib.unified_diff(expected, actual, "expected.txt", "actual", lineterm=""))
        pytest.fail(
            f"fixtures/{project}: the findings changed. If the change is intended, regenerate with "
            f"KERASCHECK_UPDATE_GOLDEN=1 and review the diff:\n{diff}"
        )
    assert run.returncode == (1 if expected else 0)


@pytest.mark.parametrize("project", PROJECTS)
def test_golden_files_are_well_formed(project):
    lines = _read_golden(project)
    assert lines, f"fixtures/{project} should demonstrate at least one finding"
    rules = all_rules()
    for line in lines:
        match = CONCISE.match(line)
        assert match, line
        assert os.path.isfile(os.path.join(FIXTURES, project, match["path"])), line
        assert rules[match["code"]].default, f"{line}: the goldens use the default rule set"
        assert not match["fixable"] or "safe" in rules[match["code"]].fix_safety, line
        assert not match["path"].startswith(("/", "..")), line


def test_every_project_has_clean_files():
    """Each project also holds code that must not be flagged (the rules' traps)."""
    for project in PROJECTS:
        flagged = {CONCISE.match(line)["path"] for line in _read_golden(project)}
        python_files = {
            os.path.relpath(os.path.join(directory, name), os.path.join(FIXTURES, project)).replace(os.sep, "/")
            for directory, _, names in os.walk(os.path.join(FIXTURES, project))
            for name in names
            if name.endswith(".py") and name != "__init__.py"
        }
        assert python_files - flagged, f"fixtures/{project} has no clean module"


def test_goldens_cover_the_default_rules():
    """Together the demo projects show every default rule of the catalog (KC001 and KC003
    aside: the demos parse and write their `# noqa` right; tests/test_suppression.py and
    the rules' own tests show those). The KC5xx migration rules have their own Keras 2
    project in tests/."""
    shown = {CONCISE.match(line)["code"] for project in PROJECTS for line in _read_golden(project)}
    default = {
        code for code, rule in all_rules().items() if rule.default and not code.startswith("KC5")
    } - {"KC001", "KC003"}
    assert default - shown == set()


def test_newcomer_demo_shows_findings_at_once(tmp_path):
    """`kerascheck fixtures/` from the repository root: findings right away, the same ones
    as the per-project goldens."""
    # The cache goes to a temporary directory: a test writes nothing into the repository.
    cache = {"KERASCHECK_CACHE_DIR": str(tmp_path)}
    run = run_cli(["--isolated", "--output-format", "concise", "fixtures/"], cwd=ROOT, env=cache)
    assert run.returncode == 1
    lines = run.stdout.splitlines()
    assert lines and CONCISE.match(lines[0])
    expected = sorted(
        f"fixtures/{project}/{line}" for project in PROJECTS for line in _read_golden(project)
    )
    assert sorted(lines) == expected
    found, fixable = run.stderr.splitlines()[-2:]
    assert re.fullmatch(r"Found \d+ problems in \d+ files \(.+\)\.", found)
    assert re.fullmatch(r"\[\*\] \d+ fixable with the `--fix` option \(\d+ hidden fixes can be enabled with the "
                        r"`--unsafe-fixes` option\)\.", fixable)
    # exactly what the README tells a newcomer to type: a finding, its source line, a caret
    run = run_cli(["fixtures/"], cwd=ROOT, env=cache)
    assert run.returncode == 1
    full = run.stdout.splitlines()
    assert CONCISE.match(full[0]) and re.match(r"\s*\d+ \| ", full[2]) and "^" in full[3]
