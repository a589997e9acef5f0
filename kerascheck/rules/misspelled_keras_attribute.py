"""KC209: a near miss of a Keras layer attribute assigned in a Keras class.

`self.support_masking = True`, `self.trainabe = False`, `self.input_specs = ...` create a
new, unused attribute: Keras reads only the real name, keeps its default, and says
nothing (measured on Keras 3 and tf_keras, see `effects`). A name the class (or anything
else in the file) also reads, or defines as a method or property, is a real attribute of
the user's own and is left alone. Misspellings of `built` are not reported: Keras sets
`built` itself once build() has run, so `self.bulit = True` changes nothing (measured).
"""
from __future__ import annotations

from typing import Optional

import libcst as cst

from kerascheck.finding import Severity
from kerascheck.rules.base import Fix, Rule, everywhere
from kerascheck.semantic import knowledge, syntax

# Short names have many neighbours: one edit at most below this length, two edits from
# it on (every attribute checked today is longer).
_SHORT = 8
# The situation each misspelled attribute is reported as (a key of `effects`).
_SITUATION = {"supports_masking": "supports-masking", "trainable": "trainable", "input_spec": "input-spec"}


def intended_attribute(name: str) -> Optional[str]:
    """The Keras attribute `name` misspells, or None."""
    if name in knowledge.LAYER_ATTRIBUTE_LOOKALIKES:
        return None
    if name.lstrip("_") in knowledge.LAYER_ATTRIBUTE_LOOKALIKES:
        return None  # `_trainable`: a private backing field, not a typo
    if name in knowledge.MISSPELLING_VARIANTS:
        return "supports_masking"
    for real in knowledge.MISSPELLABLE_ATTRIBUTES:
        allowed = 1 if len(real) < _SHORT else 2
        if syntax.typo_distance(name.lower(), real) <= allowed:
            return real
    return None


class MisspelledKerasAttribute(Rule):
    code = "KC209"
    name = "misspelled-keras-attribute"
    severity = Severity.ERROR
    summary = "A near miss of supports_masking/trainable/input_spec: Keras never reads it."
    affects = "Keras 2 and Keras 3 (the same on both)"
    fix_safety = ('safe',)
    effects = {
        "supports-masking": everywhere("the layer keeps supports_masking=False and drops the incoming mask"),
        "trainable": everywhere("the layer stays trainable and its weights stay in trainable_weights"),
        "input-spec": everywhere("no input_spec is set, so an input of the wrong rank is accepted"),
    }

    def __init__(self, context):
        super().__init__(context)
        self._reads: Optional[set[str]] = None

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        keras_class = self.module.keras_class(node)
        if keras_class is None:
            return
        for attribute, target in self._assignments(node):
            real = intended_attribute(attribute)
            if real is None or self._exists(keras_class, attribute):
                continue
            consequence = self.consequence(_SITUATION[real], short=True)
            if consequence is None:
                continue
            self.report(
                target,
                f"'{attribute}' looks like a misspelling of '{real}': {consequence}",
                help=f"Keras never reads '{attribute}', so {self.consequence(_SITUATION[real])}; "
                f"assign self.{real} instead",
                fix=Fix.replace(target, cst.Name(real), safe=True, description=f"assign {real} instead"),
            )

    @staticmethod
    def _assignments(class_def: cst.ClassDef):
        """(name, node to report) for `self.<name> = ...` in the methods and `<name> = ...`
        in the class body."""
        body = class_def.body.body if isinstance(class_def.body, cst.IndentedBlock) else ()
        for line in body:
            if isinstance(line, cst.SimpleStatementLine):
                for statement in line.body:
                    for target in syntax.flatten_targets(syntax.assign_targets(statement)):
                        if isinstance(target, cst.Name):
                            yield target.value, target
        for method in syntax.methods(class_def).values():
            owner = syntax.self_name(method)
            for statement in syntax.walk(method.body):
                for target in syntax.flatten_targets(syntax.assign_targets(statement)):
                    attribute = syntax.self_attribute(target, owner)
                    if attribute is not None:
                        yield attribute, target.attr

    def _exists(self, keras_class, attribute: str) -> bool:
        """Whether the name is a real attribute of the user's: read somewhere in the file
        (`x.name`, `getattr(self, "name")`), or a method/property of the class or of an
        in-tree base class."""
        if self.module.index.defines_in_ancestry(keras_class.key, attribute):
            return True
        return attribute in self._file_reads()

    def _file_reads(self) -> set[str]:
        """Attribute names the file reads, and its string literals (computed once)."""
        if self._reads is None:
            module = self.context.ancestors[0]
            stored = set()
            for node in syntax.walk(module):
                for target in syntax.flatten_targets(syntax.assign_targets(node)):
                    stored.add(id(target))
            reads = set()
            for node in syntax.walk(module):
                if isinstance(node, cst.Attribute) and id(node) not in stored:
                    reads.add(node.attr.value)
                elif isinstance(node, cst.SimpleString):
                    value = syntax.string_value(node)
                    if value:
                        reads.add(value)
            self._reads = reads
        return self._reads
