"""Write the KC5xx rule pages (rules/KC5xx.md) from the migration table.

    python -m kerascheck.migration.pages          # (re)write the pages
    python -m kerascheck.migration.pages --check  # exit 1 if a page differs from the table

The pages follow the outline of every rule page (rules/KC101.md) and are tested like
them (tests/test_rule_pages.py runs their Bad and Good examples); a test also checks that
they are what this script writes, so the table and the pages cannot drift.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

from kerascheck.migration.table import ENTRIES, Entry

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


def pages_dir() -> Path:
    return Path(__file__).resolve().parents[2] / "rules"


def render(entry: Entry, fix_flag: Optional[str] = None) -> str:
    out = [
        f"# {entry.code}: {entry.name}",
        "",
        f"- **Severity:** {entry.severity.value}",
        f"- **Default:** {'on' if entry.default else 'off (opt-in: select it explicitly)'}",
        f"- **Affects:** {entry.affects}",
        "",
        "## What it does",
        entry.what,
        "",
        "## Why is this bad?",
        entry.why,
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
        entry.how,
        "",
        "## Fix",
        f"Autofix: {entry.autofix}.",
    ]
    if entry.fixed is not None:
        flag = fix_flag or "--fix"
        out += ["", f"`kerascheck --select {entry.code} {flag}` turns the Bad example into:", "```python",
                entry.fixed.rstrip("\n"), "```"]
    out += ["", "## Not flagged"]
    out += [f"- {line}" for line in (*entry.not_flagged, *COMMON_NOT_FLAGGED)]
    out += ["", "## References"]
    out += [f"- {line}" for line in (*entry.references, "README, section \"Migrating to Keras 3\"")]
    return "\n".join(out) + "\n"


def fix_flag(entry: Entry) -> str:
    """`--fix` when the safe fixes alone turn the Bad example into `fixed`, else
    `--fix --unsafe-fixes`."""
    import os

    from kerascheck import engine
    from kerascheck.fix import FixMode

    scan = engine.scan_file("example.py", entry.bad)
    plan = engine.RunPlan(rule_codes=(entry.code,), modules=(scan.facts,) if scan.facts else (), extra_bases=(),
                          cwd=os.getcwd(), options=(("target_keras", "3"),))
    _, _, done = engine.Checker(plan).fix(scan, FixMode(unsafe=False, write=False))
    content = done.content if done is not None and done.content is not None else entry.bad
    if isinstance(content, bytes):
        content = content.decode("utf-8")
    return "--fix" if content == entry.fixed else "--fix --unsafe-fixes"


def expected_pages() -> dict[str, str]:
    return {f"{entry.code}.md": render(entry, fix_flag(entry) if entry.fixed else None) for entry in ENTRIES}


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    for name, text in expected_pages().items():
        path = pages_dir() / name
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current != text:
            stale.append(name)
            if not check:
                path.write_text(text, encoding="utf-8")
    if check and stale:
        print("stale pages (run python -m kerascheck.migration.pages): " + ", ".join(stale))
        return 1
    if not check:
        print(f"wrote {len(stale)} page(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
