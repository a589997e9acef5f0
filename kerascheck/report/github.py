"""`--output-format github`: GitHub Actions workflow commands, one line per finding, which
the runner turns into annotations on the pull request's diff.

    ::error title=kerascheck (KC101),file=PATH,line=L,col=C,endLine=EL,endColumn=EC::MESSAGE

Escaping follows the runner's parser (actions/runner, ActionCommand.cs): in the message
`%`, CR and LF are percent-encoded; in property values also `:` and `,`, which would
otherwise end the property list or the property. A notebook finding names its cell in
the message, and carries no line: a line of the `.ipynb` file is not a line of the cell.
"""
from __future__ import annotations

from typing import TextIO

from kerascheck.results import CheckResult
from kerascheck.finding import Finding, Severity
from kerascheck.report.common import confirmation_text, end, fix_text, posix

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(finding: Finding) -> str:
    properties = [("title", f"kerascheck ({finding.code})"), ("file", posix(finding.path))]
    message = finding.message
    if finding.cell is None:
        end_line, end_column = end(finding)
        properties += [
            ("line", finding.line), ("col", finding.column),
            ("endLine", end_line), ("endColumn", end_column),
        ]
    else:
        message = f"cell {finding.cell}, line {finding.line}, column {finding.column}: {message}"
    message += confirmation_text(finding) + fix_text(finding)
    rendered = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties)
    return f"::{COMMANDS[finding.severity]} {rendered}::{escape_data(message)}"


def render(result: CheckResult, out: TextIO, color: bool = False) -> None:
    for finding in result.findings:
        out.write(command(finding) + "\n")
