"""Output formats. Each module renders a finished run; none of them checks anything."""
from __future__ import annotations

from typing import Callable, TextIO

from kerascheck.results import CheckResult
from kerascheck.report import github, gitlab, json_format, json_lines, junit, sarif, text

Renderer = Callable[[CheckResult, TextIO, bool], None]

FORMATS: dict[str, Renderer] = {
    "full": text.render_full,
    "concise": text.render_concise,
    "json": json_format.render,
    "json-lines": json_lines.render,
    "github": github.render,
    "sarif": sarif.render,
    "junit": junit.render,
    "gitlab": gitlab.render,
}
# Formats meant for people: they get a summary line on stderr.
HUMAN_FORMATS = frozenset({"full", "concise"})
# Formats that show the edits of a finding's fix (the others show only its safety and
# description, so the run need not compute them).
EDIT_FORMATS = frozenset({"json", "json-lines", "sarif"})
