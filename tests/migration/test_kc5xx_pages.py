"""The KC5xx pages (rules/KC5xx.md) are written by hand, like every rule page, but part
of each repeats the migration table's data: the header (name, severity, default, affects),
the Bad and Good examples the tests run, the fixed example with the flag that produces
it, and the lines every KC5xx page shares. Each page must read exactly as the table's
data set in the page's own prose, so a page cannot drift from the table: change an
example in the table and the page must follow (the assertion's diff shows where).
"""
import os
import re
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))

from kerascheck import engine
from kerascheck.fix import FixMode
from kerascheck.fix.fixer import Fixer
from kerascheck.rules.keras3.table import ENTRIES, Entry
from kerascheck.pages import page_text, section

# The lines every KC5xx page ends its "Not flagged" section with: the Keras 2 code all the
# migration rules leave alone.
COMMON_NOT_FLAGGED = (
    "Code meant for Keras 2: modules that import `tf_keras` or set `TF_USE_LEGACY_KERAS` to "
    "\"1\"/\"true\"/\"True\", projects whose dependencies pin Keras 2 (`keras<3`, `tensorflow<2.16`, "
    "`tf-keras`), and any code with `target-keras = \"2\"` or `\"2.11\"`.",
    "Code in a branch taken only on one Keras (`if keras.__version__.startswith(\"2\"):`, "
    "`if hasattr(model, \"fit_generator\"):`, `if tf.__version__ < \"2\":`), in the TF 1 graph-mode branch "
    "(`if not tf.executing_eagerly():`, the `else` of `if tf.executing_eagerly():`), in the branch of a backend "
    "Keras 3 does not have (`if K.backend() == \"theano\":`, the `else` of `!= \"cntk\"`), or in an import fallback "
    "(`try: ... except ImportError: ...`, `except AttributeError`).",
    "The call in a short `try` (at most three simple statements) whose broad handler (`except Exception:`, bare "
    "`except:`) is its alternative (`try: return t.eval(session=K.get_session())` / `except Exception: return "
    "t.numpy()`): the error on Keras 3 is caught on purpose. A broad except around a block of real work, or one "
    "that only passes, logs, re-raises or returns a constant, is no guard; the handler's own code is checked.",
)
COMMON_REFERENCE = "README, section \"Migrating to Keras 3\""


class Prose:
    """The hand-written parts of a KC5xx page, read back from it."""

    def __init__(self, page: str):
        self.what = section(page, "What it does") or ""
        self.why = section(page, "Why is this bad?") or ""
        self.how = section(page, "How to fix") or ""
        fix = section(page, "Fix") or ""
        autofix = re.match(r"Autofix: (.*)\.$", fix.split("\n\n")[0], re.S)
        self.autofix = autofix.group(1) if autofix else ""
        self.not_flagged = _own_items(section(page, "Not flagged"), len(COMMON_NOT_FLAGGED))
        self.references = _own_items(section(page, "References"), 1)


def _own_items(body, shared: int) -> tuple:
    """The bullets of a list section before the `shared` ones every KC5xx page ends with."""
    items = tuple(line[2:] for line in (body or "").split("\n") if line.startswith("- "))
    return items[:-shared]


def fix_flag(entry: Entry) -> str:
    """`--fix` when the safe fixes alone turn the Bad example into `fixed`, else
    `--fix --unsafe-fixes`: what the page tells the reader to run."""
    scan = engine.scan_file("example.py", entry.bad)
    plan = engine.build_plan((entry.code,), [scan], options={"target_keras": "3"})
    _, _, done = Fixer.for_plan(plan).fix(scan, FixMode(unsafe=False, write=False))
    content = done.content if done is not None and done.content is not None else entry.bad
    if isinstance(content, bytes):
        content = content.decode("utf-8")
    return "--fix" if content == entry.fixed else "--fix --unsafe-fixes"


def expected_page(entry: Entry, prose: Prose) -> str:
    """The page as the table's data and the page's prose make it."""
    out = [
        f"# {entry.code}: {entry.name}",
        "",
        f"- **Severity:** {entry.severity.value}",
        f"- **Default:** {'on' if entry.default else 'off (opt-in: select it explicitly)'}",
        f"- **Affects:** {entry.affects}",
        "",
        "## What it does",
        prose.what,
        "",
        "## Why is this bad?",
        prose.why,
        "",
        "## Bad",
        "```python",
        entry.bad.rstrip("\n"),
        "```",
        "",
        "## Good",
        "```python",
        entry.good.rstrip("\n"),
        "```",
        "",
        "## How to fix",
        prose.how,
        "",
        "## Fix",
        f"Autofix: {prose.autofix}.",
    ]
    if entry.fixed is not None:
        out += ["", f"`kerascheck --select {entry.code} {fix_flag(entry)}` turns the Bad example into:", "```python",
                entry.fixed.rstrip("\n"), "```"]
    out += ["", "## Not flagged"]
    out += [f"- {line}" for line in (*prose.not_flagged, *COMMON_NOT_FLAGGED)]
    out += ["", "## References"]
    out += [f"- {line}" for line in (*prose.references, COMMON_REFERENCE)]
    return "\n".join(out) + "\n"


@pytest.mark.parametrize("entry", ENTRIES, ids=[entry.code for entry in ENTRIES])
def test_page_agrees_with_the_table(entry):
    page = page_text(entry.code)
    assert page is not None, f"rules/{entry.code}.md is missing"
    assert page == expected_page(entry, Prose(page))
