"""`--output-format json`: a JSON array of finding objects (keys as in Finding.to_dict);
with `--statistics`, a JSON array of one object per rule (ruff's keys: code, name, count,
fixable)."""
from __future__ import annotations

import json
from typing import TextIO

from kerascheck.results import CheckResult
from kerascheck.report.common import statistics_rows


def render(result: CheckResult, out: TextIO, color: bool = False) -> None:
    json.dump([finding.to_dict() for finding in result.findings], out, indent=2)
    out.write("\n")


def render_statistics(result: CheckResult, out: TextIO, unsafe_fixes: bool = False) -> None:
    json.dump(statistics_rows(result, unsafe_fixes), out, indent=2)
    out.write("\n")
