"""The run: discovery -> first pass (facts) -> project index -> second pass (rules).

Both passes are plain functions of one file, so they run in a process pool when
there are enough files. Everything per-run (settings, the enabled rule classes, the
index) is built once and handed to the workers once, never rebuilt per file.
"""
from __future__ import annotations

import errno
import functools
import os
import re
import signal
import stat
import threading
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Mapping, Optional, Sequence, Union

import libcst as cst

from kerascheck import notebooks, pool
from kerascheck.fix.apply import apply_fixes, code_of
from kerascheck.fix.edits import edits_between
from kerascheck.fix.imports import conflict as import_conflict
from kerascheck.cache import Cache, Entry, Snapshot
from kerascheck.cache import digest as content_digest
from kerascheck.cstwalk import TRIVIA_TYPES, deep_stack, positions, walk_batched
from kerascheck.filters import filter_findings, ignored_codes
from kerascheck.finding import Finding, FixInfo, RunError, Severity
from kerascheck.results import CheckResult
from kerascheck.rules import all_rules
from kerascheck.rules.base import FileContext, Rule
from kerascheck.semantic import target
from kerascheck.semantic import facts as facts_pass
from kerascheck.semantic.context import ImportClosure
from kerascheck.semantic.external import DEPENDENCY_PREFIX, KnownExternals
from kerascheck.semantic.facts import ModuleFacts
from kerascheck.semantic.module import ModuleModel
from kerascheck.semantic.project import SAVING_DEPENDENCY, ClassKey, ProjectIndex, saving_paths
from kerascheck.sources import SourceProblem, decode, maybe_newer_syntax, parse_ast
from kerascheck.suppress import suppressions_for

if TYPE_CHECKING:
    from kerascheck.request import CheckRequest

SYNTAX_ERROR = "KC001"
# A file that takes longer than this to check is reported and skipped (KERASCHECK_FILE_TIMEOUT
# overrides it; 0 turns it off).
FILE_SECONDS = 120.0


def file_seconds() -> float:
    try:
        return float(os.environ.get("KERASCHECK_FILE_TIMEOUT", FILE_SECONDS))
    except ValueError:
        return FILE_SECONDS


class _OverBudget(BaseException):
    """Raised by the timer in the middle of a file's check (a BaseException, so that the
    rules' guards, which catch Exception, let it through)."""


# Bigger files are skipped with a warning (the exit code stays that of the findings): libcst
# needs ~0.7 GB and 10-15 s per MB of source (measured: 1 MB 10 s and 0.65 GB, 3 MB 44 s and
# 2 GB), so past this size a check would hit FILE_SECONDS anyway. Generated modules of a
# few MB are checked like any other file; no hand-written one comes close (the largest of
# keras-io/keras-hub is 71 kB).
MAX_SOURCE_CHARS = 5_000_000


@dataclass
class FileScan:
    """First-pass result for one file."""

    path: str
    facts: Optional[ModuleFacts] = None
    problem: Optional[SourceProblem] = None  # could not decode or parse with `ast`
    mentions_keras: bool = False
    read_error: Optional[str] = None
    # The content when it does not come from the file on disk (stdin, the API).
    data: Union[bytes, str, None] = None
    # Content digest of what was read (kerascheck.cache.digest); the cache keys on it.
    digest: str = ""
    # A notebook's code cells that do not parse (each one KC001; the others are checked).
    unparsed_cells: int = 0
    # Why the file is not checked, as a warning (it is too large); not an error.
    skipped: Optional[str] = None


@dataclass(frozen=True)
class RunPlan:
    """What the second pass needs, shipped once to each worker."""

    rule_codes: tuple[str, ...]
    modules: tuple[ModuleFacts, ...]
    extra_bases: tuple[str, ...]
    cwd: str
    # Run-wide data rules read from FileContext.options (target-keras, the project's
    # Keras pins): (key, value) pairs computed once per run by prepare_options().
    options: tuple = ()
    # Whether a finding's fix carries its edits (JSON and SARIF show them); without them
    # the fix is described (safety, what it does) but not applied while checking.
    fix_edits: bool = True
    # The classes of installed packages that the tree's classes derive from, read once
    # in the main process: ((qualified, ExternalClass or None), ...). See
    # kerascheck.semantic.external; a name missing here is read when first asked.
    external: tuple = ()


def build_plan(
    rule_codes: Sequence[str],
    scans: Sequence[FileScan] = (),
    extra_bases: Sequence[str] = (),
    cwd: Optional[str] = None,
    options: Optional[Mapping] = None,
    fix_edits: bool = True,
    resolve_externals: bool = False,
) -> RunPlan:
    """The one way to make a RunPlan (run(), the API's one-module checks, the tests): the
    rules `rule_codes`, the project index from the first pass over `scans` (the checked
    files and those that only inform it), `options` from prepare_options(). With
    `resolve_externals`, the installed packages' classes the tree derives from are read
    now, once, instead of by each worker process when first asked (same answers)."""
    modules = tuple(scan.facts for scan in scans if scan.facts is not None)
    return RunPlan(
        rule_codes=tuple(sorted(rule_codes)),
        modules=modules,
        extra_bases=tuple(extra_bases),
        external=tuple(ProjectIndex(modules, extra_bases).external_bases().items()) if resolve_externals else (),
        cwd=cwd or os.getcwd(),
        options=tuple((options or {}).items()),
        fix_edits=fix_edits,
    )


def display_path(path: str, cwd: str) -> str:
    """Relative to the current directory when below it, else as given."""
    try:
        relative = os.path.relpath(path, cwd)
    except ValueError:
        return path
    return path if relative.startswith("..") else relative


def read_bytes(path: str) -> bytes:
    """The bytes of a regular file. Opening never blocks (a FIFO named `x.py` would hang
    the run) and anything but a regular file is refused with an OSError."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    descriptor = os.open(path, flags)
    with open(descriptor, "rb") as handle:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise OSError(errno.EINVAL, "not a regular file")
        return handle.read()


def load_source(path: str, data: Union[bytes, str]):
    """The Python text both passes read, and the map back to notebook cells (None for
    a plain Python file). Either may be a SourceProblem, which becomes KC001."""
    if notebooks.is_notebook(path):
        notebook = notebooks.load(data)
        if isinstance(notebook, SourceProblem):
            return notebook, None
        return notebook.text, notebook.cells
    return (data if isinstance(data, str) else decode(data)), None


def scan_file(path: str, data: Union[bytes, str, None] = None) -> FileScan:
    """First pass: read (unless `data` is given), decode, parse with `ast`, collect facts."""
    in_memory = data is not None
    if not in_memory:
        try:
            data = read_bytes(path)
        except OSError as error:
            return FileScan(path, read_error=f"cannot read file: {error.strerror or error}")
    text, cells = load_source(path, data)
    scan = scan_text(path, text)
    if cells is not None:
        scan.unparsed_cells = len(cells.unparsed)
    if in_memory:
        scan.data = data
    scan.digest = content_digest(data)
    return scan


def scan_text(path: str, text) -> FileScan:
    if isinstance(text, SourceProblem):
        return FileScan(path, problem=text)
    if len(text) > MAX_SOURCE_CHARS:
        return FileScan(path, skipped=(
            f"not checked: {len(text) / 1e6:.1f} MB of Python is more than kerascheck reads in one file "
            f"({MAX_SOURCE_CHARS / 1e6:.0f} MB); exclude it (extend-exclude) if it is generated"
        ))
    tree = parse_ast(text, path, top_level_await=notebooks.is_notebook(path))
    if isinstance(tree, SourceProblem):
        return FileScan(path, problem=tree, mentions_keras="keras" in text)
    return FileScan(path, facts=facts_pass.collect(path, tree), mentions_keras="keras" in text)


class Checker:
    """Second pass over single files, with the per-run state built once."""

    def __init__(self, plan: RunPlan):
        registry = all_rules()
        self.rule_classes: list[type[Rule]] = [registry[code] for code in plan.rule_codes]
        self.external = KnownExternals(plan.external)
        self.index = ProjectIndex(plan.modules, plan.extra_bases, self.external)
        # Module lookups, shared by the per-file recording indexes of check_recording:
        # a hit still records every path the lookup examined.
        self._located: dict = {}
        self._modules = plan.modules
        self.timed_out = False
        self.extra_bases = plan.extra_bases
        self.cwd = plan.cwd
        self.check_syntax = SYNTAX_ERROR in plan.rule_codes
        self.enabled = frozenset(plan.rule_codes)
        self.options = dict(plan.options)
        self.fix_edits = plan.fix_edits

    def check_recording(self, scan: FileScan):
        """check(scan), plus the paths whose facts the check looked up (None: all of
        them), for the cache. The check gets an index of its own, with nothing memoised
        from other files' checks, so that every lookup it depends on is seen."""
        shared = self.index
        recorder = _LookupRecorder(shared.modules)
        external: set = set()
        self.index = ProjectIndex((), self.extra_bases, self.external.recording(external), located=self._located)
        self.index.modules = recorder
        try:
            findings, errors = self.check(scan)
        finally:
            self.index = shared
        if recorder.everything:
            return findings, errors, None
        return findings, errors, recorder.asked | {DEPENDENCY_PREFIX + name for name in external}

    def worth_checking(self, scan: FileScan) -> bool:
        """Cheap skip: a file that never mentions keras, defines no class that inherits
        from a Keras class in the tree and imports no project function that returns a
        Keras object (`from app.models import build`) cannot contain a Keras pitfall."""
        if scan.problem is not None or scan.unparsed_cells or scan.mentions_keras:
            return True
        facts = scan.facts
        if facts is None:
            return False
        if any(self.index.keras_kind(ClassKey(facts.path, name)) for name in facts.classes):
            return True
        for local in facts.imports:
            found = self.index.function(facts.path, local)
            if found is not None and self.index.returns_keras(found):
                return True
        return False

    def check(self, scan: FileScan) -> tuple[list[Finding], list[RunError]]:
        shown = display_path(scan.path, self.cwd)
        if scan.read_error:
            return [], [RunError(shown, scan.read_error)]
        if scan.skipped or not self.worth_checking(scan):
            return [], []
        data = scan.data
        if data is None:
            try:
                data = read_bytes(scan.path)
            except OSError as error:
                return [], [RunError(shown, f"cannot read file: {error.strerror or error}")]
        return self._within_budget(shown, scan, data)

    def _within_budget(self, shown: str, scan: FileScan, data) -> tuple[list[Finding], list[RunError]]:
        """check_data, stopped after FILE_SECONDS: no input may hang the run, and a rule
        that is quadratic in the nesting depth meets its input one day. (A timer signal,
        so only on the main thread of a POSIX process: the workers, the CLI.)"""
        self.timed_out = False
        budget = file_seconds()
        if not budget or not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
            return self.check_data(scan, data)

        def expire(signum, frame):
            raise _OverBudget

        previous = signal.signal(signal.SIGALRM, expire)
        try:
            signal.setitimer(signal.ITIMER_REAL, budget)
            try:
                return self.check_data(scan, data)
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
        except _OverBudget:
            self.timed_out = True
            # Memoised index answers may be half-computed: start from a fresh index.
            self.index = ProjectIndex(self._modules, self.extra_bases, self.external)
            return [], [RunError(shown, f"took more than {budget:g} s to check; skipped (please report it: a rule is too slow on this file)")]
        finally:
            signal.signal(signal.SIGALRM, previous)

    def check_data(self, scan: FileScan, data: Union[bytes, str]) -> tuple[list[Finding], list[RunError]]:
        """Second pass over one file's content; notebook findings come out in cell terms."""
        text, cells = load_source(scan.path, data)
        findings, errors = self.check_text(scan, text)
        if cells is not None:
            findings = self.in_notebook(display_path(scan.path, self.cwd), cells, findings)
        return findings, errors

    def in_notebook(self, shown: str, cells, findings: list[Finding]) -> list[Finding]:
        """Findings of a notebook's Python text in cell terms, with one KC001 for each
        code cell that was left out of the text because it does not parse."""
        moved = [in_cells(cells, finding) for finding in findings]
        for cell, problem in cells.unparsed:
            moved.extend(self._syntax_finding(shown, problem, cell))
        return sorted(moved, key=Finding.sort_key)

    def check_text(self, scan: FileScan, text) -> tuple[list[Finding], list[RunError]]:
        """Second pass over one file whose (decoded) text is already in hand."""
        shown = display_path(scan.path, self.cwd)
        if scan.read_error:
            return [], [RunError(shown, scan.read_error)]
        if scan.skipped:
            return [], []
        if isinstance(text, SourceProblem):
            return self._syntax_finding(shown, text), []
        # `ast` may have failed where libcst parses (syntax newer than this Python): such
        # a file is linted, without first-pass facts. libcst also accepts a few things no
        # Python 3 does (`except A, e:`): those are KC001. Decided before libcst parses:
        # its native parser overflows the C stack, killing the process, on nesting that
        # `ast` refused with a clean error.
        if scan.problem is not None and not maybe_newer_syntax(scan.problem):
            return self._syntax_finding(shown, scan.problem), []
        shifts = None
        try:
            module = deep_stack.call(cst.parse_module, text)
        except cst.ParserSyntaxError as error:
            if scan.problem is not None or scan.facts is None:
                problem = scan.problem or SourceProblem(
                    error.message.splitlines()[0], error.raw_line, error.raw_column + 1
                )
                return self._syntax_finding(shown, problem), []
            # Python parsed it: not the user's syntax error but a limit of libcst's.
            text, shifts = _without_form_feed_indents(text)
            try:
                module = deep_stack.call(cst.parse_module, text) if shifts else None
            except cst.ParserSyntaxError:
                module = None
            if module is None:
                reason = error.message.splitlines()[0]
                return [], [RunError(shown, f"Python parses this file but libcst does not ({reason}); not checked")]
        except RecursionError:
            return self._syntax_finding(shown, SourceProblem("too deeply nested to parse")), []
        return self.run_rules(scan.path, shown, text, module, column_shifts=shifts)

    def _syntax_finding(self, shown: str, problem: SourceProblem, cell: Optional[int] = None) -> list[Finding]:
        """KC001 for a file that cannot be parsed, or for one notebook `cell` (its position
        is then already in the cell's terms). The parser's words vary in length (a decoding
        error, a notebook's JSON error): they go to the help, the message stays one line."""
        if not self.check_syntax:
            return []
        rule = all_rules()[SYNTAX_ERROR]
        what, others = ("file", "files") if cell is None else ("cell", "cells")
        return [
            Finding(
                path=shown,
                line=problem.line,
                column=problem.column,
                end_line=problem.line,
                end_column=problem.column,
                code=SYNTAX_ERROR,
                name=rule.name,
                severity=rule.severity,
                message=f"cannot parse this {what}: it cannot run, and no rule can check it",
                help=f"{problem.message} (the other {others} are still checked)",
                cell=cell,
            )
        ]

    def run_rules(self, path, shown, text, module, index=None, keep=None, column_shifts=None) -> tuple[list[Finding], list[RunError]]:
        """The findings of the rules on `module`. For the fixer: `index` stands for the
        run's index (the file's facts changed), and `keep` receives (report, finding)
        of every finding not suppressed, their fixes without edits."""
        context = FileContext(path, ModuleModel(path, index or self.index, module), self.options, text)
        rules = [cls(context) for cls in self.rule_classes]
        try:
            visit_rules(module, rules, context)
        except RecursionError:
            return [], [RunError(shown, "too deeply nested to check; skipped")]
        errors = [
            RunError(shown, f"crashed ({rule.name}): {type(error).__name__}: {error}", rule.code)
            for rule, error in context.crashes
        ]
        noqa = suppressions_for(text)
        if not context.reports and noqa is None:
            return [], errors
        registry = all_rules()
        try:
            located = self._locate(context.reports, module, text, shown, column_shifts)
            # noqa first (it records what each directive silenced), then the rules about
            # the directives themselves (KC002, KC003), whose findings noqa may silence too.
            kept = filter_findings(located, noqa=noqa)
            late = self._judge_suppressions(noqa, module, frozenset(registry), shown, errors)
            located += self._locate(late, module, text, shown, column_shifts)
            kept += filter_findings(located[len(context.reports):], noqa=noqa)
        except RecursionError:
            return [], [*errors, RunError(shown, "too deeply nested to locate its findings; skipped")]
        report_of = {id(finding): report for finding, report in zip(located, [*context.reports, *late])}
        findings = []
        # The fixes of what noqa left next, supersession last (kerascheck.filters).
        for finding in kept:
            report = report_of[id(finding)]
            fix, broken = self.fix_info(report, module, text, edits=keep is None and self.fix_edits)
            if broken is not None:
                errors.append(RunError(shown, f"the fix of {report.code} is broken, so not offered: {broken}", report.code))
            findings.append(replace(finding, fixable=fix is not None, fix=fix))
            if keep is not None:
                keep.append((report, findings[-1]))
        return filter_findings(findings, rules=registry), errors

    def _locate(self, reports, module, text, shown, column_shifts) -> list[Finding]:
        """The findings of `reports`, where their nodes are (RecursionError for absurdly
        deep code)."""
        if not reports:
            return []
        spans = positions(module, [report.node for report in reports], {report.node: report.statement for report in reports}, text)
        registry = all_rules()
        located = []
        for report in reports:
            line, column, end_line, end_column = spans.get(report.node, (1, 0, 1, 0))
            if column_shifts:  # columns of the file as written, form feeds included
                column += column_shifts.get(line, 0)
                end_column += column_shifts.get(end_line, 0)
            located.append(Finding(
                path=shown,
                line=line,
                column=column + 1,
                end_line=end_line,
                end_column=end_column + 1,
                code=report.code,
                name=registry[report.code].name,
                severity=report.severity,
                message=report.message,
                help=report.help,
            ))
        return located

    def _judge_suppressions(self, noqa, module, known: frozenset, shown: str, errors: list) -> list:
        """The reports of the rules about `# noqa` directives (Rule.judge_suppressions),
        once the noqa stage has recorded what each directive silenced."""
        if noqa is None:
            return []
        reports = []
        for cls in self.rule_classes:
            try:
                reports += cls.judge_suppressions(noqa, module, self.enabled, known)
            except RecursionError:
                raise  # absurdly deep code: the file is skipped, as for the other rules
            except Exception as error:  # a rule bug must not take the file's findings down
                errors.append(RunError(shown, f"crashed ({cls.name}): {type(error).__name__}: {error}", cls.code))
        return reports

    @staticmethod
    def fix_info(report, module, text, edits: bool = True):
        """(the FixInfo a finding shows, or None; why its fix is broken, or None). Its
        edits come from applying the fix alone and comparing the texts."""
        fix = report.fix
        if fix is None or (fix.imports and import_conflict(module, fix.imports)):
            return None, None  # the imports it needs would rebind a name: not offered here
        if not edits:
            return FixInfo(fix.safe, fix.description), None
        try:
            fixed = code_of(apply_fixes(module, [fix]))
        except Exception as error:  # a rule's broken fix must not take its finding down
            return None, f"{type(error).__name__}: {error}"
        return FixInfo(fix.safe, fix.description, edits_between(text, fixed)), None


def in_cells(cells, finding: Finding) -> Finding:
    """A finding of a notebook's Python text, and its fix's edits, in cell terms."""
    moved = cells.relocate(finding)
    if finding.fix is None or not finding.fix.edits:
        return moved
    edits = []
    for edit in finding.fix.edits:
        in_cell = cells.relocate_edit(edit)
        if in_cell is None:  # an edit across cells cannot be shown in cell terms
            return replace(moved, fix=replace(finding.fix, edits=()))
        edits.append(in_cell)
    return replace(moved, fix=replace(finding.fix, edits=tuple(edits)))


def prepare_options(files: Sequence[str], options: Mapping) -> dict:
    """The run-wide options with what every rule needs computed once per run, in the main
    process: the dependency pins of every project that holds a checked file (each file's
    Keras target, kerascheck.semantic.target), unless target-keras is set."""
    prepared = dict(options)
    if prepared.get(target.OPTION_TARGET, target.AUTO) == target.AUTO:
        prepared[target.OPTION_PINS] = target.project_verdicts(files)
    return prepared


# ---- all rules, one traversal ----------------------------------------------------------------
_HOOKS: dict[type, tuple[tuple[str, bool, str], ...]] = {}


def _hooks_of(rule_class: type) -> tuple[tuple[str, bool, str], ...]:
    """(method, is a visit, node type name) for the visit_/leave_ methods a rule defines,
    without libcst's no-op stubs. Once per class: libcst's `get_visitors` inspects all
    ~800 members of every visitor instance, for every file."""
    found = _HOOKS.get(rule_class)
    if found is None:
        hooks = []
        for name in dir(rule_class):
            if name.startswith(("visit_", "leave_")):
                member = getattr(rule_class, name)
                if callable(member) and not getattr(member, "_is_no_op", False):
                    hooks.append((name, name.startswith("visit_"), name.split("_", 1)[1]))
        found = _HOOKS[rule_class] = tuple(hooks)
    return found


def visit_rules(module: cst.Module, rules: Sequence[Rule], context: FileContext) -> None:
    """Run `rules` in one traversal of `module` (as `libcst.visit_batched` does, without
    rebuilding the tree), keeping `context.ancestors`. A rule that raises is switched off
    for the file and recorded in `context.crashes` (see `Rule._guard`)."""
    visits: dict[type, list] = {}
    leaves: dict[type, list] = {}
    for rule in rules:
        if rule.skip_file:
            continue  # the rule found in __init__ that nothing in this file concerns it
        for name, is_visit, target in _hooks_of(type(rule)):
            node_type = getattr(cst, target, None)
            if not (isinstance(node_type, type) and issubclass(node_type, cst.CSTNode)):
                if "_" in target:  # `visit_Call_func`: attribute hooks need libcst's own walk
                    ancestors = context.ancestors
                    cst.visit_batched(module, rules, before_visit=ancestors.append, after_leave=lambda _: ancestors.pop())
                    return
                continue
            table = visits if is_visit else leaves
            table.setdefault(node_type, []).append(rule._guard(getattr(rule, name)))
    hooked = visits.keys() | leaves.keys()
    walk_batched(module, visits, leaves, context.ancestors, layout=not hooked.isdisjoint(TRIVIA_TYPES))


# ---- the result cache ----------------------------------------------------------------------
class _LookupRecorder(Mapping):
    """`ProjectIndex.modules` for one check, noting every path looked up (present or not:
    a file that appears later may change a resolution). Iterating means "all of them"."""

    def __init__(self, modules: Mapping):
        self._modules = modules
        self.asked: set = set()
        self.everything = False

    def __getitem__(self, path):
        self.asked.add(path)
        return self._modules[path]

    def get(self, path, default=None):
        self.asked.add(path)
        return self._modules.get(path, default)

    def __contains__(self, path) -> bool:
        self.asked.add(path)
        return path in self._modules

    def __iter__(self):
        self.everything = True
        return iter(self._modules)

    def __len__(self) -> int:
        self.everything = True
        return len(self._modules)

    def looked_up(self, paths) -> None:
        self.asked.update(paths)

    def saving_paths(self) -> tuple:
        """ModuleTable.saving_paths, recorded as one dependency (SAVING_DEPENDENCY)."""
        self.asked.add(SAVING_DEPENDENCY)
        return self._modules.saving_paths()


class _CachedPasses:
    """Both passes through the cache: a file whose content is unchanged reuses its first
    pass; one whose content and recorded lookups are all unchanged reuses its findings."""

    def __init__(self, cache: Cache):
        self.cache = cache
        self.entries: dict[str, Entry] = {}

    def scan(self, paths: Sequence[str], jobs: int) -> list[FileScan]:
        scans: list = [None] * len(paths)
        misses = []
        for number, path in enumerate(paths):
            entry = self.cache.load(path)
            if entry is not None:
                try:
                    current = content_digest(read_bytes(path))
                except OSError:
                    current = None
                if entry.content == current:
                    self.entries[path] = entry
                    scans[number] = entry.scan
                    continue
            misses.append(number)
        fresh = pool.map_items(scan_file, [paths[number] for number in misses], jobs, on_crash=_scan_crashed)
        for number, scan in zip(misses, fresh):
            scans[number] = scan
        return scans

    def check(self, scans: list[FileScan], context: list[FileScan], plan: RunPlan, jobs: int):
        digests = {s.path: s.digest for s in [*scans, *context] if s.facts is not None}
        # What each installed package's class resolved to this run: a check that asked
        # about one is valid while the answer is the same (the package's source is read
        # again every run, so an upgrade that changes the answer is never served stale).
        for name, found in plan.external:
            digests[DEPENDENCY_PREFIX + name] = content_digest(_external_fingerprint(found))
        # Which files save, load or name custom objects (KC305 asks it of every file).
        digests[SAVING_DEPENDENCY] = content_digest("\n".join(saving_paths(plan.modules)))
        snapshot = Snapshot(digests)
        outcomes: list = [None] * len(scans)
        todo = []
        for number, scan in enumerate(scans):
            entry = self.entries.get(scan.path)
            if (
                entry is not None and entry.findings is not None and scan.data is None
                and entry.content == scan.digest and snapshot.still_valid(entry.dependencies)
            ):
                shown = display_path(scan.path, plan.cwd)
                outcomes[number] = (
                    [replace(finding, path=shown) for finding in entry.findings],
                    [replace(error, path=shown) for error in entry.errors],
                )
                self.cache.hits += 1
            else:
                todo.append(number)
        crashed = functools.partial(check_crashed, plan.cwd)
        fresh = pool.map_items(
            _check_for_cache, [scans[number] for number in todo], jobs, worker=(Checker, (plan,)),
            on_crash=lambda scan: (*crashed(scan), None, False),
        )
        for number, (findings, errors, asked, stable) in zip(todo, fresh):
            outcomes[number] = (findings, errors)
            scan = scans[number]
            if stable and scan.read_error is None and scan.data is None and scan.digest:
                self.cache.store(Entry(
                    path=scan.path, content=scan.digest, scan=scan, findings=findings,
                    errors=errors, dependencies=snapshot.dependencies(asked),
                ))
        return outcomes


def _check_for_cache(checker: Checker, scan: FileScan):
    """check_recording, and whether the file still has the content of the first pass (if
    it changed in between, the result must not be cached under the old digest)."""
    findings, errors, asked = checker.check_recording(scan)
    if checker.timed_out:  # depends on the machine's load: never cached
        return findings, errors, asked, False
    stable = scan.data is not None
    if not stable and scan.digest:
        try:
            stable = content_digest(read_bytes(scan.path)) == scan.digest
        except OSError:
            stable = False
    return findings, errors, asked, stable


def _external_fingerprint(found) -> str:
    if found is None:
        return "-"
    return f"{found.kind}|{','.join(sorted(found.methods))}|{','.join(sorted(found.keras_bases))}"


def _scan_crashed(path: str) -> FileScan:
    return FileScan(path, read_error="kerascheck crashed reading this file; skipped")


def check_crashed(cwd: str, scan: FileScan):
    message = "libcst's parser crashed on this file (nesting too deep?); skipped"
    return [], [RunError(display_path(scan.path, cwd), message)]


def run(request: CheckRequest) -> CheckResult:
    """Check `request.files`, as the request says (kerascheck.request). The context files,
    and the project files that the checked files import, get the first pass only: they
    inform the index and are never reported. With the request's cache, unchanged files
    are not checked again. A fixing request (its `fix`, a kerascheck.fix.fixer.FixingRun:
    the engine itself never fixes) fixes the files, and the findings are what is left."""
    cwd = request.cwd
    jobs = request.jobs or pool.default_jobs()
    fix = request.fix
    fixable = fix.mode.fixable if fix is not None else request.fixable
    cache = request.cache()
    cached = _CachedPasses(cache) if cache is not None else None
    scans, context = _first_pass(request, jobs, cached)
    plan = build_plan(
        request.rule_codes, [*scans, *context], request.extra_bases, cwd=cwd, options=dict(request.options),
        fix_edits=request.fix_edits, resolve_externals=True,
    )
    result = CheckResult(files_checked=len(request.files), fix_mode=fix.mode if fix is not None else None)
    ignored = [ignored_codes(scan.path, request.root, request.per_file_ignores) for scan in scans]
    if fix is not None:
        outcomes, result.fixes = fix.outcomes(scans, ignored, plan, jobs)
    elif cached is not None:
        outcomes = cached.check(scans, context, plan, jobs)
    else:
        crashed = functools.partial(check_crashed, cwd)
        outcomes = pool.map_items(Checker.check, scans, jobs, worker=(Checker, (plan,)), on_crash=crashed)
    if cache is not None and cache.warning:
        result.notices.append(cache.warning)
    result.notices.extend(f"{display_path(scan.path, cwd)}: {scan.skipped}" for scan in scans if scan.skipped)
    for codes, (findings, errors) in zip(ignored, outcomes):
        result.findings.extend(filter_findings(findings, ignored=codes, fixable=fixable))
        result.errors.extend(errors)
    result.findings.sort(key=Finding.sort_key)
    return result


def _first_pass(request: CheckRequest, jobs: int, cached: Optional[_CachedPasses] = None):
    """(the scans of the request's files, in order, the files from disk first; the scans
    of the files that only inform the index)."""
    sources = dict(request.sources)
    on_disk = [f for f in request.files if f not in sources]
    if cached is not None:
        scans = cached.scan(on_disk, jobs)
    else:
        scans = pool.map_items(scan_file, on_disk, jobs, on_crash=_scan_crashed)
    scans += [scan_file(path, sources[path]) for path in request.files if path in sources]
    return scans, _context_scans(scans, request.context_files, jobs)


def file_targets(request: CheckRequest, forced_by: Optional[str] = None) -> list[tuple[str, Union[target.Target, RunError]]]:
    """(shown path, Target) for each of the request's files, as run() would give it to the
    rules (the first pass and the project index built as run() builds them, then
    target.file_target, which FileContext.target calls too), or (shown path, RunError)
    for a file that cannot be read. No rule runs. `forced_by` words the reason of a
    forced target (see target.file_target)."""
    scans, context = _first_pass(request, request.jobs or pool.default_jobs())
    index = ProjectIndex(tuple(s.facts for s in [*scans, *context] if s.facts is not None), request.extra_bases)
    options = dict(request.options)
    found: list = []
    for scan in scans:
        shown = display_path(scan.path, request.cwd)
        if scan.read_error:
            found.append((shown, RunError(shown, scan.read_error)))
            continue
        data = scan.data
        if data is None:
            try:
                data = read_bytes(scan.path)
            except OSError as error:
                found.append((shown, RunError(shown, f"cannot read file: {error.strerror or error}")))
                continue
        text = load_source(scan.path, data)[0]
        if isinstance(text, SourceProblem):  # only KC001 runs there; the pins still apply
            text = ""
        found.append((shown, target.file_target(scan.path, text, index, options, forced_by=forced_by)))
    return found


def _context_scans(scans: list[FileScan], context_files: Sequence[str], jobs: int) -> list[FileScan]:
    """First pass over the context files and, transitively, the project files imported."""
    known = {scan.path for scan in scans}
    pending = [path for path in dict.fromkeys(context_files) if path not in known]
    closure = ImportClosure()
    found: list[FileScan] = []
    batch = scans
    while True:
        known.update(pending)
        new = pool.map_items(scan_file, pending, jobs)
        found.extend(new)
        batch = [*batch, *new]
        pending = closure.frontier([scan.facts for scan in batch if scan.facts is not None], known)
        batch = []
        if not pending:
            return found


_FORM_FEED_INDENT = re.compile(r"^[ \t\f]*\f", re.M)


def _without_form_feed_indents(text: str):
    """Python restarts the indentation count at a form feed (`\\f    def f():` is indented
    by four); libcst's tokenizer does not, and fails. The text without what precedes the
    last form feed of each line's indentation, and {line: characters removed} to put the
    columns back; (text, None) when there is no such form feed."""
    if "\f" not in text:
        return text, None
    shifts: dict[int, int] = {}

    def cut(match: re.Match) -> str:
        shifts[text.count("\n", 0, match.start()) + 1] = match.end() - match.start()
        return ""

    stripped = _FORM_FEED_INDENT.sub(cut, text)
    return (stripped, shifts) if shifts else (text, None)


__all__ = ["run", "Severity", "scan_file", "Checker", "RunPlan", "build_plan", "display_path"]
