"""The rule pages (`rules/KC101.md`): shipped in the wheel as `kerascheck/pages/`.

In a source checkout or an editable install the pages are read from the repository's
top-level `rules/` folder, the single copy that is edited and tested.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Optional

_PACKAGE = Path(__file__).resolve().parent


def pages_dir() -> Path:
    shipped = _PACKAGE / "pages"
    return shipped if shipped.is_dir() else _PACKAGE.parent / "rules"


def page_text(code: str) -> Optional[str]:
    path = pages_dir() / f"{code}.md"
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return None


def section(text: str, heading: str) -> Optional[str]:
    """The body of the `## heading` section of a page, without the heading."""
    match = re.search(rf"^## {re.escape(heading)}\s*\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    return match.group(1).strip() if match else None


def code_block(text: str, heading: str) -> Optional[str]:
    """The first ```python block of the `## heading` section."""
    body = section(text, heading)
    if body is None:
        return None
    match = re.search(r"```python\n(.*?)```", body, re.S)
    return match.group(1) if match else None
