"""Every output format, checked against what its real consumer accepts:

- sarif: the SARIF 2.1.0 JSON schema (vendored under tests/schemas, validated with jsonschema), and
  the same findings as the json format;
- github: the GitHub Actions runner's own parser for workflow commands (a line-by-line
  port of actions/runner src/Runner.Common/ActionCommand.cs, TryParseV2), so messages
  with newlines, `%`, commas and colons come back intact;
- junit: junitparser, the library CI tooling uses to read JUnit XML;
- gitlab: GitLab's documented Code Quality contract (required keys, severity values,
  unique fingerprints), with fingerprints that survive unrelated edits;
- json-lines: one JSON object per line, equal to the json format.
"""
from __future__ import annotations

import io
import json
import os
import re
import textwrap

import jsonschema
import junitparser
import pytest

from cliutil import KC101_SOURCE, SARIF_SCHEMA, run_cli, write
from kerascheck import check_paths
from kerascheck.config import OUTPUT_FORMATS, Settings
from kerascheck.results import CheckResult
from kerascheck.finding import Finding, RunError, Severity
from kerascheck.pages import page_text, section
from kerascheck.report import FORMATS, github, gitlab, junit, sarif
from kerascheck.rules import all_rules

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

NOTEBOOK = {
    "nbformat": 4,
    "nbformat_minor": 5,
    "metadata": {"language_info": {"name": "python"}},
    "cells": [
        {"cell_type": "markdown", "metadata": {}, "source": ["# A notebook\n"]},
        {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
         "source": ["!pip install -q keras\n", "import tensorflow as tf\n", "from tensorflow import keras"]},
        {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
         "source": ["class Scale(keras.layers.Layer):\n", "    def build(self, input_shape):\n",
                    "        self.w = tf.Variable(1.0)\n"]},
    ],
}


@pytest.fixture
def tree(tmp_path):
    """A project with a finding in a module, one in a notebook cell and a KC001."""
    write(tmp_path, {
        "pkg/model.py": KC101_SOURCE,
        "pkg/broken.py": "def f(:\n    pass\n",
        "dir with space/m.py": KC101_SOURCE,
        "notebook.ipynb": json.dumps(NOTEBOOK),
    })
    return tmp_path


def cli_output(tree, output_format, *extra):
    run = run_cli(["--isolated", "--output-format", output_format, *extra, "."], cwd=tree)
    assert run.returncode == 1, run.stderr
    assert "Traceback" not in run.stderr
    return run.stdout


def test_every_format_is_wired_and_configurable():
    assert set(FORMATS) == set(OUTPUT_FORMATS)
    for name in OUTPUT_FORMATS:
        Settings(output_format=name).validate(all_rules())


# ---- SARIF ---------------------------------------------------------------------------------
def sarif_schema() -> dict:
    if not os.path.isfile(SARIF_SCHEMA):  # CI has it: a missing schema is a broken checkout
        pytest.fail(f"the SARIF 2.1.0 schema is missing: {os.path.normpath(SARIF_SCHEMA)}")
    with open(SARIF_SCHEMA, encoding="utf-8") as handle:
        return json.load(handle)


def validate_sarif(document: dict) -> None:
    schema = sarif_schema()
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(document), key=lambda error: list(error.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])


def test_sarif_validates_and_has_the_json_findings(tree):
    document = json.loads(cli_output(tree, "sarif"))
    validate_sarif(document)
    as_json = json.loads(cli_output(tree, "json"))
    run = document["runs"][0]
    base = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    assert base.startswith("file://") and base.endswith("/")
    from_sarif = []
    for result in run["results"]:
        location = result["locations"][0]["physicalLocation"]
        region = location["region"]
        assert location["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        from_sarif.append((
            result["ruleId"], location["artifactLocation"]["uri"], result.get("properties", {}).get("cell"),
            region["startLine"], region["startColumn"], region["endLine"], region["endColumn"],
            result["message"]["text"],
        ))
    from_json = [
        (f["code"], f["path"].replace(" ", "%20"), f.get("cell"), f["line"], f["column"],
         f["end_line"], f["end_column"], f["message"])
        for f in as_json
    ]
    assert from_sarif == from_json
    assert {row[0] for row in from_json} == {"KC001", "KC101"}
    cells = [row for row in from_sarif if row[1] == "notebook.ipynb"]
    assert cells and cells[0][2] == 3 and cells[0][3] == 3  # line 3 of cell 3


def test_sarif_rules_describe_every_rule_from_its_page(tree):
    run = json.loads(cli_output(tree, "sarif"))["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "kerascheck" and driver["version"] and driver["informationUri"].startswith("https://")
    rules = all_rules()
    assert [rule["id"] for rule in driver["rules"]] == list(rules)
    for descriptor in driver["rules"]:
        rule = rules[descriptor["id"]]
        assert descriptor["name"] == rule.name
        assert descriptor["shortDescription"]["text"] == rule.summary
        page = page_text(descriptor["id"])
        if page:
            assert descriptor["fullDescription"]["text"] == section(page, "What it does")
            assert descriptor["help"]["markdown"] == page
        assert descriptor["helpUri"].endswith(f"/rules/{descriptor['id']}.md")
        assert descriptor["defaultConfiguration"]["level"] == {"error": "error", "warning": "warning", "info": "note"}[rule.severity.value]
        assert descriptor["defaultConfiguration"]["enabled"] == bool(rule.default)
    for result in run["results"]:
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]


def synthetic(findings=(), errors=()) -> CheckResult:
    return CheckResult(findings=list(findings), errors=list(errors), files_checked=3)


TRICKY = "a, b: 50% of 'x'\nsecond line\r\nthird :: part, with=equals"


def tricky_finding(path="src/a,b:c.py", **changes) -> Finding:
    values = dict(path=path, line=3, column=5, code="KC101", message=TRICKY, name="tf-variable-in-layer",
                  severity=Severity.ERROR, end_line=4, end_column=2)
    values.update(changes)
    return Finding(**values)


def render(name, result) -> str:
    out = io.StringIO()
    FORMATS[name](result, out, False)
    return out.getvalue()


def test_sarif_of_run_errors_and_odd_paths_validates(tmp_path):
    result = synthetic(
        [tricky_finding(), tricky_finding(path=str(tmp_path / "outside.py"), severity=Severity.INFO),
         tricky_finding(path="nb.ipynb", cell=2, end_line=3, end_column=1)],
        [RunError("src/x.py", "crashed (x): ValueError: boom", "KC101"), RunError("src/y.py", "cannot read file")],
    )
    document = json.loads(render("sarif", result))
    validate_sarif(document)
    run = document["runs"][0]
    assert run["invocations"][0]["executionSuccessful"] is False
    assert len(run["invocations"][0]["toolExecutionNotifications"]) == 2
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"] for r in run["results"]]
    assert uris[0] == {"uri": "src/a%2Cb%3Ac.py", "uriBaseId": "%SRCROOT%"}
    assert uris[1]["uri"].startswith("file:///") and "uriBaseId" not in uris[1]
    assert [r["level"] for r in run["results"]] == ["error", "note", "error"]
    assert run["results"][2]["properties"] == {"cell": 2}


# ---- GitHub Actions workflow commands --------------------------------------------------------
# A port of the runner's parser (actions/runner src/Runner.Common/ActionCommand.cs, TryParseV2
# with UnescapeProperty / UnescapeData): the consumer of these lines on GitHub.
_PROPERTY_ESCAPES = [("\r", "%0D"), ("\n", "%0A"), (":", "%3A"), (",", "%2C"), ("%", "%25")]
_DATA_ESCAPES = [("\r", "%0D"), ("\n", "%0A"), ("%", "%25")]


def _unescape(text, mappings):
    for token, replacement in mappings:
        text = text.replace(replacement, token)
    return text


def runner_parse(message: str, registered=("error", "warning", "notice")):
    message = message.lstrip()
    if not message.startswith("::"):
        return None
    end = message.find("::", 2)
    if end < 0:
        return None
    info = message[2:end]
    space = info.find(" ")
    name = info if space < 0 else info[:space]
    if name not in registered:
        return None
    properties = {}
    if space > 0:
        for item in [p for p in info[space + 1:].strip().split(",") if p]:
            pair = [part for part in item.split("=", 1) if part]
            if len(pair) == 2:
                properties[pair[0]] = _unescape(pair[1], _PROPERTY_ESCAPES)
    return name, properties, _unescape(message[end + 2:], _DATA_ESCAPES)


def test_github_commands_survive_the_runners_parser():
    findings = [
        tricky_finding(),
        tricky_finding(path="b.py", severity=Severity.WARNING, end_line=3, end_column=9),
        tricky_finding(path="c.py", severity=Severity.INFO),
    ]
    lines = render("github", synthetic(findings)).splitlines()
    assert len(lines) == 3  # a newline in a message must not split a command
    parsed = [runner_parse(line) for line in lines]
    assert [p[0] for p in parsed] == ["error", "warning", "notice"]
    name, properties, data = parsed[0]
    assert data == TRICKY
    assert properties == {"title": "kerascheck (KC101)", "file": "src/a,b:c.py", "line": "3",
                          "col": "5", "endLine": "4", "endColumn": "2"}
    assert parsed[1][1]["endColumn"] == "9"


def test_github_format_from_the_cli(tree):
    lines = cli_output(tree, "github").splitlines()
    parsed = [runner_parse(line) for line in lines]
    assert all(parsed), lines
    by_file = {p[1]["file"]: p for p in parsed}
    assert by_file["pkg/model.py"][1]["title"] == "kerascheck (KC101)"
    assert (by_file["pkg/model.py"][1]["line"], by_file["pkg/model.py"][1]["col"]) == ("6", "18")
    assert by_file["pkg/broken.py"][0] == "error"
    notebook = by_file["notebook.ipynb"]
    assert "line" not in notebook[1]  # a line of the .ipynb file is not a line of the cell
    assert notebook[2].startswith("cell 3, line 3, column 18: ")


def test_github_escapes_exactly_as_the_toolkit():
    # The escaping of actions/toolkit packages/core/src/command.ts (escapeData, escapeProperty).
    assert github.escape_data("100%\r\n") == "100%25%0D%0A"
    assert github.escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"


# ---- JUnit ---------------------------------------------------------------------------------
def test_junit_one_testcase_per_finding_grouped_by_file(tree, tmp_path):
    report = tmp_path / "junit.xml"
    run = run_cli(["--isolated", "--output-format", "junit", "-o", str(report), "."], cwd=tree)
    assert run.returncode == 1 and run.stdout == ""
    xml = junitparser.JUnitXml.fromfile(str(report))
    as_json = json.loads(cli_output(tree, "json"))
    suites = {suite.name: suite for suite in xml}
    assert set(suites) == {f["path"] for f in as_json}
    total = 0
    for suite in suites.values():
        cases = list(suite)
        total += len(cases)
        assert suite.tests == suite.failures == len(cases)
        for case in cases:
            assert case.classname == suite.name
            (failure,) = case.result
            assert isinstance(failure, junitparser.Failure)
            assert failure.type in ("KC001", "KC101")
    assert total == len(as_json)


def test_junit_clean_run_and_run_errors_and_unprintable_characters():
    clean = junitparser.JUnitXml.fromstring(render("junit", synthetic()))
    (suite,) = list(clean)
    (case,) = list(suite)
    assert case.is_passed
    odd = tricky_finding(message="null \x00 byte \x1b[31m and <tags> & \"quotes\"")
    report = render("junit", synthetic([odd], [RunError("x.py", "crashed (r): boom", "KC101")]))
    xml = junitparser.JUnitXml.fromstring(report)
    failures = [r for s in xml for c in s for r in c.result]
    assert {type(r) for r in failures} == {junitparser.Failure, junitparser.Error}
    assert "<tags> & \"quotes\"" in [r for r in failures if isinstance(r, junitparser.Failure)][0].message


# ---- GitLab Code Quality -----------------------------------------------------------------------
# The documented contract (docs.gitlab.com, "Code Quality report format"): an array of issues
# with description, check_name, fingerprint, severity in this set, location.path (relative)
# and location.lines.begin.
GITLAB_CONTRACT = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["description", "check_name", "fingerprint", "severity", "location"],
        "properties": {
            "description": {"type": "string", "minLength": 1},
            "check_name": {"type": "string", "minLength": 1},
            "fingerprint": {"type": "string", "minLength": 1},
            "severity": {"enum": ["info", "minor", "major", "critical", "blocker"]},
            "location": {
                "type": "object",
                "required": ["path", "lines"],
                "properties": {
                    "path": {"type": "string", "pattern": "^[^/]"},
                    "lines": {
                        "type": "object",
                        "required": ["begin"],
                        "properties": {"begin": {"type": "integer", "minimum": 1},
                                       "end": {"type": "integer", "minimum": 1}},
                    },
                },
            },
        },
    },
}


def test_gitlab_report_meets_the_contract(tree):
    issues = json.loads(cli_output(tree, "gitlab"))
    jsonschema.validate(issues, GITLAB_CONTRACT)
    assert len({issue["fingerprint"] for issue in issues}) == len(issues)
    assert {issue["location"]["path"] for issue in issues} == {
        "pkg/model.py", "pkg/broken.py", "dir with space/m.py", "notebook.ipynb"}


def test_gitlab_fingerprints_are_stable_and_distinct(tmp_path):
    two = textwrap.dedent("""\
        import tensorflow as tf
        from tensorflow import keras

        class Scale(keras.layers.Layer):
            def build(self, input_shape):
                self.w = tf.Variable(1.0)

        class Other(keras.layers.Layer):
            def build(self, input_shape):
                self.w = tf.Variable(1.0)
        """)
    write(tmp_path, {"m.py": two})
    first = json.loads(cli_output(tmp_path, "gitlab"))
    assert len(first) == 2 and first[0]["fingerprint"] != first[1]["fingerprint"]
    # Unrelated edits move the findings to other lines: GitLab must see the same issues.
    write(tmp_path, {"m.py": "# a comment\n\n\n" + two.replace("import tensorflow as tf\n", "import tensorflow as tf\nimport os\n")})
    moved = json.loads(cli_output(tmp_path, "gitlab"))
    assert [i["location"]["lines"]["begin"] for i in moved] == [i["location"]["lines"]["begin"] + 4 for i in first]
    assert [i["fingerprint"] for i in moved] == [i["fingerprint"] for i in first]


# ---- json-lines, output file, environment, config ------------------------------------------------
def test_json_lines_equals_json(tree):
    lines = cli_output(tree, "json-lines").splitlines()
    assert [json.loads(line) for line in lines] == json.loads(cli_output(tree, "json"))


@pytest.mark.parametrize("name", OUTPUT_FORMATS)
def test_output_file_holds_the_report(tree, tmp_path, name):
    report = tmp_path / "out" / f"report.{name}"
    report.parent.mkdir()
    run = run_cli(["--isolated", "--output-format", name, "--output-file", str(report), "."], cwd=tree)
    assert run.returncode == 1 and run.stdout == "", run.stderr
    written, printed = report.read_text(encoding="utf-8"), cli_output(tree, name)
    if name == "sarif":  # other rules may appear between the two runs in a live tree
        written, printed = (json.loads(text)["runs"][0]["results"] for text in (written, printed))
    assert written == printed


def test_output_file_that_cannot_be_written(tree):
    run = run_cli(["--isolated", "-o", "no/such/dir/report.txt", "."], cwd=tree)
    assert run.returncode == 2
    assert "cannot write no/such/dir/report.txt" in run.stderr and "Traceback" not in run.stderr


def test_format_from_environment_config_and_flag(tree):
    write(tree, {"kerascheck.toml": 'output-format = "gitlab"\n'})
    from_config = run_cli(["."], cwd=tree)
    jsonschema.validate(json.loads(from_config.stdout), GITLAB_CONTRACT)
    from_env = run_cli(["."], cwd=tree, env={"KERASCHECK_OUTPUT_FORMAT": "sarif"})  # env beats config
    validate_sarif(json.loads(from_env.stdout))
    from_flag = run_cli(["--output-format", "json-lines", "."], cwd=tree, env={"KERASCHECK_OUTPUT_FORMAT": "sarif"})
    assert all(json.loads(line)["code"] for line in from_flag.stdout.splitlines())
    bad = run_cli(["."], cwd=tree, env={"KERASCHECK_OUTPUT_FORMAT": "xml"})
    assert bad.returncode == 2 and "Traceback" not in bad.stderr and "xml" in bad.stderr


def test_machine_formats_keep_stdout_clean(tree):
    for name in ("json", "json-lines", "sarif", "gitlab", "junit", "github"):
        run = run_cli(["--isolated", "--output-format", name, "."], cwd=tree)
        assert not re.search(r"^(Found \d+ problem|All checks passed)", run.stdout + run.stderr, re.M)


# ---- --confirm outcomes appear in every format --------------------------------------------------
CONFIRMATION = {"status": "confirmed", "detail": "'w' is not in layer.weights", "keras_version": "3.15.0"}


class ConfirmedFinding(Finding):
    def to_dict(self) -> dict:
        return {**super().to_dict(), "confirmation": CONFIRMATION}


def test_confirmation_status_appears_in_every_format():
    finding = ConfirmedFinding(path="m.py", line=6, column=18, code="KC101", message="tf.Variable 'w' is invisible",
                               name="tf-variable-in-layer", end_line=6, end_column=34)
    result = synthetic([finding])
    for name in OUTPUT_FORMATS:
        assert "confirmed" in render(name, result), name
    sarif_result = json.loads(render("sarif", result))["runs"][0]["results"][0]
    assert sarif_result["properties"]["confirmation"] == CONFIRMATION
    validate_sarif(json.loads(render("sarif", result)))
    assert json.loads(render("json-lines", result))["confirmation"] == CONFIRMATION
    assert "[confirmed: 'w' is not in layer.weights]" in gitlab.issues(result)[0]["description"]
    assert "confirmed" in runner_parse(github.command(finding))[2]
    assert "confirmed" in [r for s in junitparser.JUnitXml.fromstring(render("junit", result)) for c in s for r in c.result][0].text


def test_api_result_renders_in_every_format(tree, monkeypatch):
    monkeypatch.chdir(tree)
    result = check_paths(["."], Settings(root=str(tree)))
    for name in OUTPUT_FORMATS:
        assert render(name, result)
    assert sarif.document(result, str(tree))["runs"][0]["results"]
    assert junit.document(result).tag == "testsuites"


# ---- the documented CI snippets run as written ---------------------------------------------------
def documented_yaml_blocks() -> list:
    blocks = []
    for name in ("README.md", os.path.join("docs", "integrations.md")):
        path = os.path.join(ROOT, name)
        if os.path.isfile(path):
            with open(path, encoding="utf-8") as handle:
                blocks += [b for b in re.findall(r"```yaml\n(.*?)```", handle.read(), re.S) if "kerascheck" in b]
    return blocks


def documented_commands(node) -> list:
    """Every `kerascheck ...` command in the `run:` / `script:` values of a CI config."""
    found = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("run", "script"):
                for line in value if isinstance(value, list) else str(value).splitlines():
                    if line.strip().startswith("kerascheck"):
                        found.append(line.strip())
            else:
                found += documented_commands(value)
    elif isinstance(node, list):
        for item in node:
            found += documented_commands(item)
    return found


def test_documented_ci_snippets_run_as_written(tree):
    import shlex

    import yaml

    blocks = documented_yaml_blocks()
    assert len(blocks) >= 3, "the GitHub Actions, GitLab CI and pre-commit snippets"
    commands = [command for block in blocks for command in documented_commands(yaml.safe_load(block))]
    assert any("--output-format github" in c for c in commands)
    assert any("--output-format sarif" in c for c in commands)
    assert any("--output-format gitlab" in c for c in commands)
    for command in commands:
        if "${{" in command:  # needs a pull request's git history
            continue
        run = run_cli(shlex.split(command)[1:], cwd=tree)
        assert run.returncode in (0, 1), (command, run.stderr)
        for written in re.findall(r"--output-file (\S+)", command):
            assert (tree / written).stat().st_size > 0
    manifests = [yaml.safe_load(b) for b in blocks if "repos:" in b]
    assert manifests and manifests[0]["repos"][0]["hooks"][0]["id"] == "kerascheck"
