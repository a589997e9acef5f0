"""`--output-format json-lines`: one JSON object per finding per line (keys as in the
`json` format), for streaming into `jq`, log shippers and line-oriented tools."""
from __future__ import annotations

import json
from typing import TextIO

from kerascheck.results import CheckResult


def render(result: CheckResult, out: TextIO, color: bool = False) -> None:
    for finding in result.findings:
        out.write(json.dumps(finding.to_dict()) + "\n")
