"""The rule class every KC5xx row becomes (see kerascheck.rules.keras3.migration_rules)."""
from __future__ import annotations

from typing import Callable, ClassVar, Optional

from kerascheck.finding import Severity
from kerascheck.rules.keras3.matcher import MATCHERS
from kerascheck.rules.keras3.table import Entry, Text
from kerascheck.rules.base import Rule
from kerascheck.semantic.file_state import FileState


class MigrationRule(Rule):
    """A Keras 2 -> Keras 3 migration hazard, driven by one row of the migration table.

    The matchers of the row only run on modules meant for Keras 3 (FileState decides:
    target-keras, the project's pins, the module's own markers) that contain one of the
    row's needles; a finding inside code that only runs on Keras 2 (a version test, an
    import fallback) is dropped."""

    entry: ClassVar[Entry]

    def __init__(self, context):
        super().__init__(context)
        state = FileState.of(context)
        active = state.active_for_mixing if self.entry.mixing else state.active
        if active and self.entry.needles:
            active = any(needle in state.text for needle in self.entry.needles)
        self.skip_file = not active  # Rule.skip_file: nothing to look at in this file
        self._hooks: dict[str, list[Callable]] = {}
        if active:
            for kind, params in self.entry.matchers:
                matcher = MATCHERS[kind](self, self.entry, params)
                for name, method in matcher.visitors().items():
                    self._hooks.setdefault(name, []).append(method)

    @classmethod
    def hook_names(cls, entry: Entry) -> list[str]:
        """The visit_/leave_ methods the row's matchers need (the class defines these)."""
        names = set()
        for kind, _ in entry.matchers:
            matcher = MATCHERS[kind]
            names |= {name for name in dir(matcher) if name.startswith(("visit_", "leave_"))}
        return sorted(names)

    def get_visitors(self) -> dict[str, Callable]:
        return {} if self.skip_file else super().get_visitors()

    def flag(self, node, text: Text, *, fix=None, severity=None, guarded: Optional[bool] = None) -> None:
        """Report unless the node being visited only runs on Keras 2. Matchers that report
        at the end of the module pass `guarded` as computed when they saw the node."""
        if guarded is None:
            guarded = FileState.of(self.context).guarded()
        if guarded:
            return
        if isinstance(severity, str):
            severity = Severity(severity)
        self.report(node, text.message, severity=severity, fix=fix, help=text.help)


def make_hook(name: str) -> Callable:
    """A class-level visit_/leave_ method that runs the file's matchers for `name`."""

    def hook(self, node) -> None:
        for method in self._hooks.get(name, ()):
            method(node)

    hook.__name__ = name
    return hook
