"""`--output-format junit`: JUnit XML, for CI systems that show test reports (GitLab's
`artifacts:reports:junit`, Jenkins, Azure Pipelines).

One `<testsuite>` per file with findings, one failed `<testcase>` per finding in it; a
run error is an `<error>` test case in a `kerascheck` suite. A clean run is one passing
test case, so the report is never empty.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from itertools import groupby
from typing import TextIO

from kerascheck.results import CheckResult
from kerascheck.report.common import confirmation_text, fix_text, location, posix

# Characters XML 1.0 cannot carry, even escaped.
_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _clean(text) -> str:
    return _NOT_XML.sub("\ufffd", str(text))


def _element(parent, tag: str, text=None, **attributes) -> ET.Element:
    element = ET.SubElement(parent, tag, {key: _clean(value) for key, value in attributes.items()})
    if text is not None:
        element.text = _clean(text)
    return element


def document(result: CheckResult) -> ET.Element:
    findings = result.findings
    root = ET.Element("testsuites", {
        "name": "kerascheck",
        "tests": str(max(len(findings) + len(result.errors), 1)),
        "failures": str(len(findings)),
        "errors": str(len(result.errors)),
    })
    for path, group in groupby(findings, key=lambda finding: finding.path):
        group = list(group)
        suite = _element(root, "testsuite", name=posix(path), tests=len(group),
                         failures=len(group), errors=0, skipped=0)
        for finding in group:
            where = location(finding)[len(finding.path) + 1:]
            case = _element(suite, "testcase", name=f"{finding.code} {finding.name} ({where})".replace("  ", " "),
                            classname=posix(path), file=posix(path), line=finding.line)
            _element(case, "failure", f"{location(finding)}: {finding.code} {finding.message}"
                     f"{confirmation_text(finding)}{fix_text(finding)}",
                     message=finding.message, type=finding.code)
    if result.errors or not findings:
        suite = _element(root, "testsuite", name="kerascheck", tests=max(len(result.errors), 1),
                         failures=0, errors=len(result.errors), skipped=0)
        for error in result.errors:
            case = _element(suite, "testcase", name=f"{posix(error.path)} {error.code}".strip(),
                            classname="kerascheck", file=posix(error.path))
            _element(case, "error", str(error), message=error.message, type=error.code or "error")
        if not result.errors:
            _element(suite, "testcase", name="no findings", classname="kerascheck")
    return root


def render(result: CheckResult, out: TextIO, color: bool = False) -> None:
    root = document(result)
    ET.indent(root)
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(ET.tostring(root, encoding="unicode"))
    out.write("\n")
