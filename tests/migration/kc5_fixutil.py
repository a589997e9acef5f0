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


# A fix's orphaned import is removed (kerascheck.fix.orphans). These rows of the migration
# table (kerascheck/migration/table.py, being moved by issue 16, so not edited here) still
# show it in their `fixed` example; until they are updated, the expected output is theirs
# without that line. The assertion says when a row has been updated and its entry can go.
ORPHANED_IN_TABLE = {"KC501": "from keras import backend as K\n", "KC511": "import tensorflow as tf\n"}


def expected_fixed(entry) -> str:
    """What `--fix` makes of a table row's Bad example: its `fixed` example."""
    stale = ORPHANED_IN_TABLE.get(entry.code)
    if stale is None or entry.fixed is None:
        return entry.fixed
    assert stale in entry.fixed, f"the table's {entry.code} row was updated: drop it from ORPHANED_IN_TABLE"
    return entry.fixed.replace(stale, "", 1)
