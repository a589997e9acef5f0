"""`--output-format json`: a JSON array of finding objects (keys as in Finding.to_dict)."""
from __future__ import annotations

import json
from typing import TextIO

from kerascheck.results import CheckResult


def render(result: CheckResult, out: TextIO, color: bool = False) -> None:
    json.dump([finding.to_dict() for finding in result.findings], out, indent=2)
    out.write("\n")
