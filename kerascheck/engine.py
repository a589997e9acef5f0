"""The run: discovery -> first pass (facts) -> project index -> second pass (rules).

Both passes are plain functions of one file, so they run in a process pool when
there are enough files. Everything per-run (settings, the enabled rule classes, the
index) is built once and handed to the workers once, never rebuilt per file.
"""
from __future__ import annotations

import multiprocessing
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Callable, Optional, Sequence

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from kerascheck.finding import Finding, RunError, Severity
from kerascheck.rules import all_rules
from kerascheck.rules.base import FileContext, Rule
from kerascheck.semantic import facts as facts_pass
from kerascheck.semantic.facts import ModuleFacts
from kerascheck.semantic.module import ModuleModel
from kerascheck.semantic.project import ClassKey, ProjectIndex
from kerascheck.sources import SourceProblem, decode, parse_ast
from kerascheck.suppress import suppressions_for

SYNTAX_ERROR = "KC001"
# Below this many files a pool costs more (forking, shipping results) than it saves.
_PARALLEL_THRESHOLD = 16


@dataclass
class FileScan:
    """First-pass result for one file."""

    path: str
    facts: Optional[ModuleFacts] = None
    problem: Optional[SourceProblem] = None  # could not decode or parse with `ast`
    mentions_keras: bool = False
    read_error: Optional[str] = None


@dataclass
class CheckResult:
    findings: list[Finding] = field(default_factory=list)
    errors: list[RunError] = field(default_factory=list)
    files_checked: int = 0


@dataclass(frozen=True)
class RunPlan:
    """What the second pass needs, shipped once to each worker."""

    rule_codes: tuple[str, ...]
    modules: tuple[ModuleFacts, ...]
    extra_bases: tuple[str, ...]
    cwd: str


def display_path(path: str, cwd: str) -> str:
    """Relative to the current directory when below it, else as given."""
    try:
        relative = os.path.relpath(path, cwd)
    except ValueError:
        return path
    return path if relative.startswith("..") else relative


def read_bytes(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


def scan_file(path: str) -> FileScan:
    """First pass: read, decode, parse with `ast`, collect facts."""
    try:
        data = read_bytes(path)
    except OSError as error:
        return FileScan(path, read_error=f"cannot read file: {error.strerror or error}")
    return scan_text(path, decode(data))


def scan_text(path: str, text) -> FileScan:
    if isinstance(text, SourceProblem):
        return FileScan(path, problem=text)
    tree = parse_ast(text, path)
    if isinstance(tree, SourceProblem):
        return FileScan(path, problem=tree, mentions_keras="keras" in text)
    return FileScan(path, facts=facts_pass.collect(path, tree), mentions_keras="keras" in text)


class Checker:
    """Second pass over single files, with the per-run state built once."""

    def __init__(self, plan: RunPlan):
        registry = all_rules()
        self.rule_classes: list[type[Rule]] = [registry[code] for code in plan.rule_codes]
        self.index = ProjectIndex(plan.modules, plan.extra_bases)
        self.cwd = plan.cwd
        self.check_syntax = SYNTAX_ERROR in plan.rule_codes

    def worth_checking(self, scan: FileScan) -> bool:
        """Cheap skip: a file that never mentions keras and defines no class that
        inherits from a Keras class in the tree cannot contain a Keras pitfall."""
        if scan.problem is not None or scan.mentions_keras:
            return True
        facts = scan.facts
        if facts is None:
            return False
        return any(self.index.keras_kind(ClassKey(facts.path, name)) for name in facts.classes)

    def check(self, scan: FileScan) -> tuple[list[Finding], list[RunError]]:
        shown = display_path(scan.path, self.cwd)
        if scan.read_error:
            return [], [RunError(shown, scan.read_error)]
        if not self.worth_checking(scan):
            return [], []
        try:
            text = decode(read_bytes(scan.path))
        except OSError as error:
            return [], [RunError(shown, f"cannot read file: {error.strerror or error}")]
        return self.check_text(scan, text)

    def check_text(self, scan: FileScan, text) -> tuple[list[Finding], list[RunError]]:
        """Second pass over one file whose (decoded) text is already in hand."""
        shown = display_path(scan.path, self.cwd)
        if isinstance(text, SourceProblem):
            return self._syntax_finding(shown, text), []
        try:
            module = cst.parse_module(text)
        except cst.ParserSyntaxError as error:
            problem = scan.problem or SourceProblem(
                error.message.splitlines()[0], error.raw_line, error.raw_column + 1
            )
            return self._syntax_finding(shown, problem), []
        except RecursionError:
            return self._syntax_finding(shown, SourceProblem("too deeply nested to parse")), []
        # Here `ast` may have failed where libcst parsed (syntax newer than this Python):
        # such a file is linted, without first-pass facts.
        return self._run_rules(scan.path, shown, text, module)

    def _syntax_finding(self, shown: str, problem: SourceProblem) -> list[Finding]:
        if not self.check_syntax:
            return []
        rule = all_rules()[SYNTAX_ERROR]
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
                message=f"cannot parse this file: {problem.message}; the other files are still checked",
            )
        ]

    def _run_rules(self, path, shown, text, module) -> tuple[list[Finding], list[RunError]]:
        context = FileContext(path, ModuleModel(path, self.index))
        rules = [cls(context) for cls in self.rule_classes]
        ancestors = context.ancestors
        try:
            cst.visit_batched(module, rules, before_visit=ancestors.append, after_leave=lambda _: ancestors.pop())
        except RecursionError:
            return [], [RunError(shown, "too deeply nested to check; skipped")]
        errors = [
            RunError(shown, f"crashed ({rule.name}): {type(error).__name__}: {error}", rule.code)
            for rule, error in context.crashes
        ]
        if not context.reports:
            return [], errors
        positions = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
        suppressions = suppressions_for(text)
        registry = all_rules()
        findings = []
        for report in context.reports:
            span = positions[report.node]
            line = span.start.line
            if suppressions is not None and suppressions.suppresses(report.code, line):
                continue
            findings.append(
                Finding(
                    path=shown,
                    line=line,
                    column=span.start.column + 1,
                    end_line=span.end.line,
                    end_column=span.end.column + 1,
                    code=report.code,
                    name=registry[report.code].name,
                    severity=report.severity,
                    message=report.message,
                    fixable=report.fixable,
                )
            )
        return findings, errors


# ---- process pool plumbing -----------------------------------------------------------------
_WORKER_CHECKER: Optional[Checker] = None


def _init_worker(plan: RunPlan) -> None:
    global _WORKER_CHECKER
    _WORKER_CHECKER = Checker(plan)


def _check_in_worker(scan: FileScan):
    return _WORKER_CHECKER.check(scan)


def _pool(jobs: int, initializer=None, initargs=()):
    context = multiprocessing.get_context("fork") if sys.platform == "linux" else None
    return ProcessPoolExecutor(
        max_workers=jobs, mp_context=context, initializer=initializer, initargs=initargs
    )


def _map(function: Callable, items: Sequence, jobs: int, initializer=None, initargs=()):
    if jobs <= 1 or len(items) < _PARALLEL_THRESHOLD:
        if initializer is not None:
            initializer(*initargs)
        return [function(item) for item in items]
    chunk = max(1, len(items) // (jobs * 8))
    with _pool(jobs, initializer, initargs) as pool:
        return list(pool.map(function, items, chunksize=chunk))


def default_jobs() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def run(
    files: Sequence[str],
    rule_codes: Sequence[str],
    extra_bases: Sequence[str] = (),
    per_file_ignores=(),
    cwd: Optional[str] = None,
    jobs: Optional[int] = None,
    config_root: Optional[str] = None,
) -> CheckResult:
    """Check `files` (absolute paths) with the rules `rule_codes`."""
    cwd = cwd or os.getcwd()
    jobs = jobs or default_jobs()
    scans: list[FileScan] = _map(scan_file, files, jobs)
    plan = RunPlan(
        rule_codes=tuple(sorted(rule_codes)),
        modules=tuple(scan.facts for scan in scans if scan.facts is not None),
        extra_bases=tuple(extra_bases),
        cwd=cwd,
    )
    outcomes = _map(_check_in_worker, scans, jobs, _init_worker, (plan,))
    result = CheckResult(files_checked=len(files))
    root = config_root or cwd
    for scan, (findings, errors) in zip(scans, outcomes):
        ignored = _ignored_codes(scan.path, root, per_file_ignores)
        result.findings.extend(
            f for f in findings if not any(f.code.startswith(code) for code in ignored)
        )
        result.errors.extend(errors)
    result.findings.sort()
    return result


def _ignored_codes(path: str, root: str, per_file_ignores) -> frozenset:
    if not per_file_ignores:
        return frozenset()
    relative = os.path.relpath(path, root).replace(os.sep, "/")
    codes: set = set()
    for spec, ignored in per_file_ignores:
        if spec.match_file(relative) or spec.match_file(os.path.basename(path)):
            codes |= ignored
    return frozenset(codes)


__all__ = ["run", "CheckResult", "Severity", "scan_file", "Checker", "RunPlan", "display_path"]
