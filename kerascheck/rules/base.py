"""The base every rule derives from, and the per-file context rules report through.

A rule is a small libcst visitor (Fixit's `BatchableCSTVisitor`): the engine runs all
enabled rules in one traversal of each file. Subclassing :class:`Rule` with a `code`
registers the rule; nothing else needs editing. A rule that raises is switched off
for that file and reported, so one bug never hides the other rules' findings.

A class rule says, as data, what each situation it reports does on each Keras target
(`effects`, built with `effect` / `everywhere`, phrased for the file by `consequence`),
or declares itself a `style` rule: one whose every measured situation is harmless, which
reports how code should read and claims no consequence.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, ClassVar, Mapping, Optional

import libcst as cst

from kerascheck.finding import Severity
from kerascheck.semantic import target
from kerascheck.semantic.module import KerasClass, ModuleModel
from kerascheck.suppress import Suppressions

REGISTRY: dict[str, type["Rule"]] = {}

# What one situation a rule reports does on each Keras target: {target: consequence}.
Effect = dict

# A message reads in one line of a terminal, as ruff's do: at most this many characters of
# its own, not counting what it quotes of the user's code (`...` and '...' spans, which
# `own_length` counts as 3). The detail goes to the finding's `help` and the rule's page.
MESSAGE_LIMIT = 120
# A '...' span opens and closes at a word boundary, so the apostrophes of prose
# ("Keras's", "layer's") never pair up into a quote that hides the words between them.
_QUOTED = re.compile(r"`[^`]*`|(?<!\w)'[^']*'(?!\w)")


def own_length(message: str) -> int:
    """The length of a message with each quoted span of user code counted as 3."""
    return len(_QUOTED.sub("...", message))


_CLAUSE_END = re.compile(r"[;:,] ")
# Words that continue the clause before them: a help is never cut to start with one.
_CONTINUATIONS = frozenset({"so", "and", "but", "or", "which", "then", "while"})


def beyond_message(message: str, help: str) -> str:
    """`help` without its opening clauses when the message already says them: a help is
    often a consequence's whole text (headline, then detail) followed by what to write,
    and the message holds the headline, which the full format would then print twice.
    Only a clause of three words or more is dropped (never an exception's bare name),
    and a help that would be left empty is kept whole."""
    cut = 0
    for end in _CLAUSE_END.finditer(help):
        opening = help[: end.start()]
        follows = help[end.end():].split(" ", 1)[0]
        if len(opening.split()) >= 3 and opening in message and follows not in _CONTINUATIONS:
            cut = end.end()
    rest = help[cut:]
    return rest if rest.strip() else help


class Said(str):
    """A consequence as the rule page's table states it (the whole string), with the
    `headline` a message has room for ("load_model fails"); the rest goes to help."""

    headline: str

    def __new__(cls, headline: str, detail: str = "", joiner: str = ": "):
        said = super().__new__(cls, f"{headline}{joiner}{detail}" if detail else headline)
        said.headline = headline
        return said


def said(headline: str, detail: str = "", joiner: str = ": ") -> Said:
    """A consequence whose message form is `headline` and whose page and help form is
    `headline` + `joiner` + `detail` (the measured error, and where it happens)."""
    return Said(headline, detail, joiner)


def headline(consequence: str) -> str:
    """The short form of a consequence (its `said` headline; a plain string is short)."""
    return getattr(consequence, "headline", consequence)


def effect(keras3: Optional[str] = None, keras2: Optional[str] = None, keras2_old: Optional[str] = "as keras2") -> Effect:
    """An effect as data: what happens on Keras 3, on Keras 2 (2.12+) and on Keras 2.11 or
    older (the same as on Keras 2 unless given); None where nothing happens (measured:
    tests/affects_cases.py), and there the rule stays silent."""
    old = keras2 if keras2_old == "as keras2" else keras2_old
    found = {target.KERAS3: keras3, target.KERAS2: keras2, target.KERAS2_OLD: old}
    return {key: value for key, value in found.items() if value is not None}


def everywhere(consequence: str) -> Effect:
    """An effect that is the same on every Keras."""
    return effect(consequence, consequence)


@dataclass(frozen=True)
class Fix:
    """A repair a rule offers: replace each original node of the tree by a new node.

    `safe` fixes keep behaviour (applied by `--fix`); unsafe ones change it and need
    `--unsafe-fixes`. `imports` are the import statements the new code needs, as source
    lines (`"import keras"`); the fixer adds the missing ones.

    The new node may also be `cst.RemoveFromParent()` (delete an argument, a parameter,
    a statement) or a `cst.FlattenSentinel` of statements (put several where one was).
    The replaced nodes must be nodes of the tree the rule was given (they are found by
    identity) and must not contain one another. Several findings may share one Fix:
    it is applied once and repairs them all. `description` is an imperative phrase
    ("Pass the name as name=...").
    """

    replacements: tuple[tuple[cst.CSTNode, object], ...]
    safe: bool
    description: str
    imports: tuple[str, ...] = ()

    @classmethod
    def replace(cls, old: cst.CSTNode, new, *, safe: bool, description: str, imports=()) -> "Fix":
        """A fix that replaces one node."""
        return cls(((old, new),), safe, description, tuple(imports))


@dataclass
class Report:
    """A finding before positions are known (they are computed only if a file has any)."""

    code: str
    node: cst.CSTNode
    message: str
    severity: Severity
    fix: Optional[Fix] = None
    # The top-level statement being visited when it was reported (the one that usually
    # holds `node`): positions are then computed from that statement alone.
    statement: Optional[cst.CSTNode] = None
    help: str = ""

    @property
    def fixable(self) -> bool:
        return self.fix is not None


class FileContext:
    """What a rule may know about the file being checked: its path, its semantic model,
    its text, the run's options (target-keras and the projects' pins, see
    kerascheck.semantic.target) and, from those, the Keras it runs on. All of it is given
    at construction, so a rule reads attributes that are always there."""

    def __init__(self, path: str, module: ModuleModel, options: Mapping, source: str):
        self.path = path
        self.module = module
        self.options = options
        self.source = source
        # State that several rules of one traversal compute once and share, by the class
        # that computes it (the KC5xx rules' FileState, kerascheck.semantic.file_state).
        self.shared: dict[type, object] = {}
        self._target: Optional[target.Target] = None
        # The chain of nodes from the Module down to the node being visited, maintained
        # by the engine around every visit, so rules can ask "am I inside call()?".
        self.ancestors: list[cst.CSTNode] = []
        self.reports: list[Report] = []
        self.crashes: list[tuple["Rule", BaseException]] = []
        self._method_key: Optional[tuple[int, int]] = None
        self._method: Optional[tuple[KerasClass, cst.FunctionDef]] = None

    @property
    def project_pins(self) -> Optional[target.Verdict]:
        """What the dependency declarations above this file say (None: nothing)."""
        pins = self.options.get(target.OPTION_PINS)
        return target.file_verdict(self.path, pins) if pins else None

    @property
    def target(self) -> target.Target:
        """The Keras this file runs on, and why."""
        if self._target is None:
            self._target = target.file_target(self.path, self.source, self.module.index, self.options)
        return self._target

    def enclosing(self, node_type: type, skip: int = 0) -> Optional[cst.CSTNode]:
        """The nearest ancestor of `node_type` of the node being visited."""
        for node in reversed(self.ancestors[: len(self.ancestors) - skip]):
            if isinstance(node, node_type):
                return node
        return None

    def current_method(self) -> Optional[tuple[KerasClass, cst.FunctionDef]]:
        """The (Keras class, method) whose body is being visited, when the innermost
        function is a method defined directly in a Keras class body. Many rules ask at
        every node: the answer is kept until the traversal moves to another node."""
        ancestors = self.ancestors
        key = (id(ancestors[-1]), len(ancestors)) if ancestors else None
        if key is not None and key == self._method_key:
            return self._method
        found = None
        for position in range(len(ancestors) - 1, -1, -1):
            node = ancestors[position]
            kind = type(node)
            if kind is cst.FunctionDef:
                owner = ancestors[position - 2] if position >= 2 else None
                if type(owner) is cst.ClassDef:
                    keras_class = self.module.keras_class(owner)
                    if keras_class is not None:
                        found = keras_class, node
                break
            if kind is cst.ClassDef or kind is cst.Lambda:
                break
        self._method_key, self._method = key, found
        return found

    def in_method(self, *names: str) -> Optional[KerasClass]:
        """The Keras class when visiting the body of one of its methods `names`."""
        found = self.current_method()
        if found is not None and found[1].name.value in names:
            return found[0]
        return None


class Rule(cst.BatchableCSTVisitor):
    """Subclass, set the metadata, write `visit_*` methods, call `self.report`."""

    code: ClassVar[str] = ""
    name: ClassVar[str] = ""
    severity: ClassVar[Severity] = Severity.ERROR
    default: ClassVar[bool] = True  # False: opt-in, runs only when selected explicitly
    summary: ClassVar[str] = ""  # one line for `kerascheck rules`
    # Which Keras versions the problem bites on, as the rule page says it.
    affects: ClassVar[str] = "Keras 2 and Keras 3"
    # What each situation the rule reports does on each Keras target, as measured
    # (tests/affects_cases.py holds the measurements, tests/test_affects.py runs them):
    # situation -> effect(...). A rule reports a situation only on the targets where
    # something happens, and says what happens there (see `consequence`).
    effects: ClassVar[dict[str, Effect]] = {}
    # What the rule says happens depends on how TensorFlow 2 runs call(): eagerly, or traced
    # by tf.function in fit(). TensorFlow 1's graph mode calls it once, to build a graph,
    # and was not measured (TensorFlow 1 does not install beside Python 3.11), so where the
    # pins hold TensorFlow 1 (Target.graph_mode) the rule says nothing.
    measured_on_tensorflow2_only: ClassVar[bool] = False
    # A style rule reports how the code should read, not a failure: every situation it
    # reports was measured to change nothing on any Keras (tests/affects_cases.py), so it
    # declares no `effects`, reports the same on every target, states no consequence in
    # its message, and is opt-in (`default = False`). Its page's `## Affects` section says
    # that nothing breaks and where that was measured.
    style: ClassVar[bool] = False
    # The safety of the fixes the rule offers ("safe", "unsafe"), as its page's "Fix"
    # section states it; empty when it offers none.
    fix_safety: ClassVar[tuple[str, ...]] = ()
    # One finding per problem: {code: "line" | "file"} names rules whose findings this
    # rule's findings replace, on the same line or anywhere in the same file. The engine
    # drops those findings after every rule has run (KC509, an import of a Keras 2 module
    # that Keras 3 removed, replaces KC404's more general private-import finding there).
    supersedes: ClassVar[dict[str, str]] = {}
    # Set in `__init__` by a rule that finds nothing in this file concerns it (a KC5xx row
    # whose file does not run on Keras 3, or never mentions its names): the engine then
    # does not visit the file with it, so a rule that cannot report costs nothing.
    skip_file: bool = False

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.code:
            if cls.code in REGISTRY:
                raise RuntimeError(f"two rules claim {cls.code}")
            REGISTRY[cls.code] = cls

    def __init__(self, context: FileContext):
        super().__init__()
        self.context = context
        self.module = context.module
        self._crashed = False

    def report(
        self,
        node: cst.CSTNode,
        message: str,
        *,
        severity: Optional[Severity] = None,
        fix: Optional[Fix] = None,
        help: str = "",
    ) -> None:
        """Report `node`. `message`: what is wrong and what happens, in at most
        MESSAGE_LIMIT characters of its own; `help`: the detail (the exact error Keras
        raises, and what to write instead)."""
        ancestors = self.context.ancestors
        statement = ancestors[1] if len(ancestors) > 1 else None
        help = beyond_message(message, help)
        self.context.reports.append(Report(self.code, node, message, severity or self.severity, fix, statement, help))

    @classmethod
    def judge_suppressions(
        cls, noqa: Suppressions, module: cst.Module, enabled: frozenset, known: frozenset
    ) -> list[Report]:
        """Reports on the file's `# noqa` directives themselves, for the rules about them
        (KC002, KC003); the others report nothing here. The engine calls it after the
        noqa stage, which recorded in `noqa.used` what each directive silenced (so this
        comes after every other rule), with the file's tree, the enabled codes and every
        rule's code."""
        return []

    def consequence(self, situation: str, keras: Optional[str] = None, short: bool = False) -> Optional[str]:
        """What `situation` (a key of `effects`) does on this file's Keras, ready for a
        message ("on Keras 3, load_model fails: ..."; no target named when it is the same
        on every Keras), or None: nothing happens there, so nothing is reported. `keras`
        names another Keras the rule has seen in play in this file (KC403: tf.keras that
        TF_USE_LEGACY_KERAS turns into tf_keras, next to the file's Keras 3). `short`: the
        consequence's headline, for the message (the whole of it goes to help)."""
        happens = self.effects[situation]
        file_target = self.context.target
        if self.measured_on_tensorflow2_only and file_target.graph_mode and keras is None:
            return None
        found = happens.get(keras or file_target.keras)
        if found is None:
            return None
        if short:
            found = headline(found)
        if len(happens) == len(target.LABELS) and len(set(happens.values())) == 1:
            return found
        if keras is not None:
            return f"on {target.LABELS[keras]}, {found}"
        where = file_target.label + (" (unpinned)" if file_target.assumed else "")
        return f"on {where}, {found}"

    def get_visitors(self) -> dict[str, Callable]:
        return {name: self._guard(method) for name, method in super().get_visitors().items()}

    def _guard(self, method: Callable) -> Callable:
        def guarded(node):
            if self._crashed:
                return None
            try:
                return method(node)
            except Exception as error:  # a rule bug must not take the others down
                self._crashed = True
                self.context.crashes.append((self, error))
                return None

        return guarded
