"""`--output-format sarif`: SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.

One run: `tool.driver` describes kerascheck and every rule (id, name, short and full
description, help from the rule page, default level and whether it is on by default);
each result points at its file by a URI relative to `%SRCROOT%` (the directory
kerascheck ran in) with a 1-based region whose end column is exclusive, as kerascheck
counts. Columns count Unicode code points (`columnKind`). A notebook result's region is
relative to its cell, named in the result's `properties.cell`; a `--confirm` outcome is
in `properties.confirmation`. Run errors (a rule that crashed on a file) are tool
execution notifications, and make `executionSuccessful` false.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TextIO
from urllib.parse import quote

from kerascheck import __version__
from kerascheck.results import CheckResult
from kerascheck.finding import Finding, Severity
from kerascheck.pages import page_text, section
from kerascheck.report.common import HOMEPAGE, confirmation, end, posix, rule_help_uri
from kerascheck.rules import all_rules

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SOURCE_ROOT = "%SRCROOT%"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def document(result: CheckResult, cwd: str) -> dict:
    rules = all_rules()
    codes = list(rules)
    index = {code: position for position, code in enumerate(codes)}
    run = {
        "tool": {
            "driver": {
                "name": "kerascheck",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": HOMEPAGE,
                "rules": [_rule(code, rules[code]) for code in codes],
            }
        },
        "originalUriBaseIds": {SOURCE_ROOT: {"uri": Path(cwd).resolve().as_uri().rstrip("/") + "/"}},
        "columnKind": "unicodeCodePoints",
        "results": [_result(finding, index) for finding in result.findings],
        "invocations": [
            {
                "executionSuccessful": not result.errors,
                "toolExecutionNotifications": [
                    {
                        "level": "error",
                        "message": {"text": str(error)},
                        **({"associatedRule": {"id": error.code}} if error.code else {}),
                        "locations": [{"physicalLocation": {"artifactLocation": _artifact(error.path)}}],
                    }
                    for error in result.errors
                ],
            }
        ],
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render(result: CheckResult, out: TextIO, color: bool = False) -> None:
    json.dump(document(result, os.getcwd()), out, indent=2)
    out.write("\n")


def _rule(code: str, rule) -> dict:
    page = page_text(code) or ""
    what = section(page, "What it does") or rule.summary
    why = section(page, "Why is this bad?")
    descriptor = {
        "id": code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary or rule.name},
        "fullDescription": {"text": what, "markdown": what},
        "helpUri": rule_help_uri(code),
        "defaultConfiguration": {"level": LEVELS[rule.severity], "enabled": bool(rule.default)},
        "properties": {"tags": ["keras", rule.severity.value]},
    }
    if page:
        descriptor["help"] = {"text": why or what, "markdown": page}
    return descriptor


def _result(finding: Finding, index: dict) -> dict:
    end_line, end_column = end(finding)
    entry = {
        "ruleId": finding.code,
        "level": LEVELS[finding.severity],
        "message": {"text": finding.message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": _artifact(finding.path),
                    "region": {
                        "startLine": finding.line,
                        "startColumn": finding.column,
                        "endLine": end_line,
                        "endColumn": end_column,
                    },
                }
            }
        ],
    }
    if finding.code in index:
        entry["ruleIndex"] = index[finding.code]
    if finding.fix is not None and finding.fix.edits:
        entry["fixes"] = [_fix(finding)]
    properties = {}
    if finding.help:
        properties["help"] = finding.help
    if finding.cell is not None:
        properties["cell"] = finding.cell
    confirmed = confirmation(finding)
    if confirmed:
        properties["confirmation"] = confirmed
    if properties:
        entry["properties"] = properties
    return entry


def _fix(finding: Finding) -> dict:
    """The finding's fix as a SARIF `fix`: its replacements in the file (in a notebook,
    relative to the cell named in each replacement's `properties.cell`, as the result's
    region is), and whether `--fix` applies it (`properties.applicability`)."""
    replacements = []
    for edit in finding.fix.edits:
        replacement = {
            "deletedRegion": {
                "startLine": edit.line,
                "startColumn": edit.column,
                "endLine": edit.end_line,
                "endColumn": edit.end_column,
            }
        }
        if edit.content:
            replacement["insertedContent"] = {"text": edit.content}
        if edit.cell is not None:
            replacement["properties"] = {"cell": edit.cell}
        replacements.append(replacement)
    return {
        "description": {"text": finding.fix.description},
        "artifactChanges": [{"artifactLocation": _artifact(finding.path), "replacements": replacements}],
        "properties": {"applicability": finding.fix.applicability},
    }


def _artifact(path: str) -> dict:
    if os.path.isabs(path):
        return {"uri": Path(path).as_uri()}
    return {"uri": quote(posix(path), safe="/"), "uriBaseId": SOURCE_ROOT}
