"""`--output-format gitlab`: a GitLab Code Quality report (`artifacts:reports:codequality`),
which GitLab shows in the merge request widget and the diff.

GitLab tells new findings from fixed ones by `fingerprint`, so it must not change when
unrelated edits move a finding to another line: it hashes the rule, the file, the
notebook cell, the message and the text of the flagged line (whitespace-trimmed), and
the occurrence number among findings that share all of those. Paths are relative to
the directory kerascheck ran in, which in GitLab CI is the project directory.
"""
from __future__ import annotations

import hashlib
import json
from collections import Counter
from typing import TextIO

from kerascheck.results import CheckResult
from kerascheck.finding import Finding, Severity
from kerascheck.report.common import SourceLines, confirmation_text, end, fix_text, posix

SEVERITIES = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


def issues(result: CheckResult) -> list[dict]:
    sources = SourceLines()
    seen: Counter = Counter()
    out = []
    for finding in result.findings:
        line_text = (sources.line(finding) or "").strip()
        identity = (finding.code, posix(finding.path), str(finding.cell or ""), finding.message, line_text)
        seen[identity] += 1
        out.append(_issue(finding, _fingerprint(identity, seen[identity])))
    return out


def _fingerprint(identity: tuple, occurrence: int) -> str:
    text = "\0".join((*identity, str(occurrence)))
    return hashlib.sha256(text.encode("utf-8", errors="surrogatepass")).hexdigest()


def _issue(finding: Finding, fingerprint: str) -> dict:
    cell = f" (cell {finding.cell})" if finding.cell is not None else ""
    end_line, _ = end(finding)
    return {
        "type": "issue",
        "check_name": finding.code,
        "description": f"{finding.code} {finding.name}: {finding.message}{cell}{confirmation_text(finding)}{fix_text(finding)}",
        "categories": ["Bug Risk"],
        "severity": SEVERITIES[finding.severity],
        "fingerprint": fingerprint,
        "location": {
            "path": posix(finding.path),
            "lines": {"begin": finding.line, "end": end_line},
        },
    }


def render(result: CheckResult, out: TextIO, color: bool = False) -> None:
    json.dump(issues(result), out, indent=2)
    out.write("\n")
