"""The matcher a row of the migration table configures, and the registry that names them.

A row of `table.ENTRIES` names one or more matchers and gives each its parameters (data).
A matcher is instantiated per file and rule; its `visit_*` methods join the batched
traversal, and it reports through `rule.flag(node, entry.render(...), fix=...)`, which applies the
per-module Keras decision and the version guards (kerascheck.semantic.file_state).

The generic matchers, configured by many rows, are `symbols` (removed or moved module
attributes and import paths), `calls` (keywords, positional arguments and methods of known
callees and receivers), `attributes` (removed attributes on known receivers) and `paths`
(file name suffixes of save/load calls). A rule whose check serves no other row has its own
module, named after the rule (e.g. `tf_op_on_keras_tensor` for KC511).
"""
from __future__ import annotations

from typing import Callable, Optional

import libcst as cst

from kerascheck.rules.keras3.table import Entry
from kerascheck.semantic.file_state import FileState

MATCHERS: dict[str, type["Matcher"]] = {}


def matcher(name: str):
    def register(cls):
        MATCHERS[name] = cls
        cls.kind = name
        return cls

    return register


class Matcher:
    kind = ""

    def __init__(self, rule, entry: Entry, params: dict):
        self.rule = rule
        self.entry = entry
        self.params = params
        self.state: FileState = FileState.of(rule.context)
        self.context = rule.context
        self.module = rule.module

    def visitors(self) -> dict[str, Callable]:
        return {
            name: getattr(self, name)
            for name in dir(type(self))
            if name.startswith(("visit_", "leave_")) and callable(getattr(self, name))
        }

    def flag(self, node, text, fix=None, severity=None, guarded=None) -> None:
        self.rule.flag(node, text, fix=fix, severity=severity, guarded=guarded)

    def parent(self, skip: int = 1) -> Optional[cst.CSTNode]:
        chain = self.context.ancestors
        return chain[-1 - skip] if len(chain) > skip else None

