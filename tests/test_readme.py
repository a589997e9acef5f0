"""The README cannot drift: its rule table is the registry, its test command is CI's."""
import os
import re

from kerascheck.rules import all_rules

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
README = os.path.join(ROOT, "README.md")
START, END = "<!-- rule-table:start -->", "<!-- rule-table:end -->"


def expected_table() -> str:
    rows = ["| code | name | default | severity | what it catches |", "|---|---|---|---|---|"]
    for code, rule in all_rules().items():
        default = "on" if rule.default else "opt-in"
        rows.append(f"| [{code}](rules/{code}.md) | {rule.name} | {default} | {rule.severity.value} | {rule.summary} |")
    return "\n".join(rows)


def test_rule_table_lists_every_rule():
    with open(README, encoding="utf-8") as handle:
        text = handle.read()
    table = text.split(START)[1].split(END)[0].strip()
    if os.environ.get("KERASCHECK_UPDATE_README"):
        text = text.replace(table, expected_table()) if table else text.replace(START, START + "\n" + expected_table())
        with open(README, "w", encoding="utf-8") as handle:
            handle.write(text)
        return
    assert table == expected_table(), "run KERASCHECK_UPDATE_README=1 pytest tests/test_readme.py"


def test_readme_starts_with_the_two_commands_and_ci_runs_the_second():
    with open(README, encoding="utf-8") as handle:
        blocks = re.findall(r"```bash\n(.*?)```", handle.read(), re.S)
    assert blocks[0].strip() == "pip install . && kerascheck fixtures/"
    test_command = blocks[1].strip()
    assert test_command == "pip install -e '.[test]' && python -m pytest -q"
    with open(os.path.join(ROOT, ".ci", "run"), encoding="utf-8") as handle:
        ci = handle.read()
    assert test_command in ci
