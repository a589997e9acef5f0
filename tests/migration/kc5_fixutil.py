"""Apply kerascheck's fixes to a snippet in memory, through the engine's fix loop."""
from __future__ import annotations

import textwrap

from kerascheck import engine
from kerascheck.fix import FixMode
from kerascheck.fix.fixer import Fixer


def fix_source(text: str, codes, unsafe: bool = True, path: str = "snippet.py", options=None):
    """(fixed text, remaining findings, run errors) for `text` fixed with the rules `codes`."""
    text = textwrap.dedent(text)
    scan = engine.scan_file(path, text)
    plan = engine.build_plan(codes, [scan], options=options or {"target_keras": "3"})
    findings, errors, done = Fixer.for_plan(plan).fix(scan, FixMode(unsafe=unsafe, write=False))
    content = done.content if done is not None and done.content is not None else text
    if isinstance(content, bytes):
        content = content.decode("utf-8")
    return content, findings, errors

