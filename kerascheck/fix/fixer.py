"""Fixing files: the orchestration of this package around the engine's checker.

The engine checks; this module fixes. For each file it asks the engine's Checker to
lint one version of the text after another (keeping the reports, whose fixes it
applies: .apply), repeats until nothing is left and proves the result (.loop), then
writes the file back (.writer) or renders its diff (.diff). It imports the engine; the
engine never imports it: a fixing run hands the engine a FixingRun (see engine.run).
"""
from __future__ import annotations

import functools
from collections import Counter
from dataclasses import dataclass, replace
from typing import Optional, Union

import libcst as cst

from kerascheck import notebooks, pool
from kerascheck.cstwalk import deep_stack, positions
from kerascheck.engine import Checker, FileScan, RunPlan, check_crashed, display_path, read_bytes, scan_text
from kerascheck.filters import filter_findings
from kerascheck.finding import Finding, RunError
from kerascheck.fix import FileFix, FixMode, RenderFailed, read_source
from kerascheck.fix.apply import Candidate, FixFailed, spans_of
from kerascheck.fix.diff import unified_diff
from kerascheck.fix.imports import conflict as import_conflict
from kerascheck.fix.loop import Pass, fix_until_stable
from kerascheck.fix.noqa import silenceable, with_directives
from kerascheck.fix.writer import WriteFailed, write_atomically
from kerascheck.semantic.project import ProjectIndex
from kerascheck.sources import SourceProblem


@dataclass
class _Loaded:
    """A file read for editing (its bytes and text), or the outcome of not editing it."""

    data: Union[bytes, str, None] = None
    source: object = None  # a PythonSource or NotebookSource (kerascheck.fix.read_source)
    outcome: Optional[tuple] = None  # (findings, errors) when the file is not edited


@dataclass(frozen=True)
class FixingRun:
    """What engine.run needs to fix instead of only checking: the mode, and the second
    pass that fixes each file in the worker processes."""

    mode: FixMode

    def outcomes(self, scans: list[FileScan], ignored: list[frozenset], plan: RunPlan, jobs: int):
        """([(findings, errors)] per scan, [FileFix] of the changed files, by path);
        `ignored` holds each file's per-file-ignored codes, whose fixes are not applied."""
        crashed = functools.partial(check_crashed, plan.cwd)
        done = pool.map_items(
            Fixer.add_noqa_job if self.mode.add_noqa else Fixer.fix_job,
            [(scan, self.mode, codes) for scan, codes in zip(scans, ignored)], jobs,
            worker=(Fixer.for_plan, (plan,)), on_crash=lambda job: (*crashed(job[0]), None),
        )
        outcomes = [(findings, errors) for findings, errors, _ in done]
        fixes = sorted((d for _, _, d in done if d is not None and (d.count or d.noqa)), key=lambda d: d.path)
        return outcomes, fixes


class Fixer:
    """Fixes files with a Checker's rules and project index."""

    def __init__(self, checker: Checker):
        self.checker = checker

    @classmethod
    def for_plan(cls, plan: RunPlan) -> "Fixer":
        return cls(Checker(plan))

    def fix_job(self, job):
        """fix() of a (scan, mode, ignored) job, as FixingRun hands them to the workers."""
        return self.fix(*job)

    def add_noqa_job(self, job):
        """add_noqa() of a (scan, mode, ignored) job."""
        return self.add_noqa(*job)

    def add_noqa(self, scan: FileScan, mode: FixMode, ignored: frozenset = frozenset()):
        """`--add-noqa` for one file: a directive for each finding the run shows (after
        noqa and per-file-ignores), checked (kerascheck.fix.noqa) and written atomically.
        Returns (the findings no directive silences, errors, FileFix or None)."""
        shown = display_path(scan.path, self.checker.cwd)
        loaded = self._load(scan, shown)
        if loaded.outcome is not None:
            return (*loaded.outcome, None)
        data, source = loaded.data, loaded.source
        linted = self._fix_pass(scan.path, shown, mode, ignored, source.text, self.checker.index)
        if linted.result is None:  # libcst does not parse it
            return (*self.checker.check_data(scan, data), None)
        findings, errors, _kept = linted.result
        visible = filter_findings(findings, ignored=ignored)
        done = FileFix(shown)
        try:
            text, done.noqa = with_directives(source.text, visible, scan.path)
            if done.noqa:
                new_data = source.render(text)
                if mode.write and scan.data is None:
                    write_atomically(scan.path, data, new_data)
                else:
                    done.content = new_data
        except (RenderFailed, WriteFailed) as error:
            errors = [*errors, RunError(shown, f"no directive added, the file is left as it was: {error}")]
            done.noqa = 0
            left = visible
        else:
            left = [finding for finding in visible if not silenceable(finding)]
        if notebooks.is_notebook(scan.path):
            left = self.checker.in_notebook(shown, source.notebook.cells, left)
        return left, errors, done

    def _load(self, scan: FileScan, shown: str) -> "_Loaded":
        """The file to edit, or the (findings, errors) of one that is not edited
        (unreadable, not parsed, nothing kerascheck checks)."""
        if scan.read_error or scan.skipped or scan.problem is not None or not self.checker.worth_checking(scan):
            return _Loaded(outcome=self.checker.check(scan))
        data = scan.data
        if data is None:
            try:
                data = read_bytes(scan.path)
            except OSError as error:
                return _Loaded(outcome=([], [RunError(shown, f"cannot read file: {error.strerror or error}")]))
        source = read_source(scan.path, data)
        if isinstance(source, SourceProblem):
            return _Loaded(outcome=self.checker.check_data(scan, data))
        return _Loaded(data, source)

    def fix(self, scan: FileScan, mode: FixMode, ignored: frozenset = frozenset()):
        """Fix one file as `mode` says: apply the fixes it allows, lint again until none
        is left, prove nothing broke (kerascheck.fix.loop), then write the file
        atomically, or render its diff. Returns (findings, errors, FileFix or None); the
        findings are those of the content the file has afterwards."""
        shown = display_path(scan.path, self.checker.cwd)
        loaded = self._load(scan, shown)
        if loaded.outcome is not None:
            return (*loaded.outcome, None)
        data, source = loaded.data, loaded.source
        lint = functools.partial(self._fix_pass, scan.path, shown, mode, ignored)
        first = lint(source.text, self.checker.index)
        outcome = fix_until_stable(first, lint)
        failure, new_data = outcome.failure, None
        if failure is None and outcome.changed:
            try:
                new_data = source.render(outcome.text)
                if mode.write and scan.data is None:
                    write_atomically(scan.path, data, new_data)
            except (RenderFailed, WriteFailed) as error:
                failure, new_data = str(error), None
        done = FileFix(shown)
        final = outcome.last if new_data is not None and (mode.write or scan.data is not None) else first
        findings, errors, keep = final.result
        if failure is not None:
            errors = [*errors, RunError(shown, f"not fixed, the file is left as it was: {failure}")]
        elif new_data is not None:
            done.fixed = Counter(code for code, _message in outcome.fixed.elements())
            if mode.diff:
                done.diff = unified_diff(shown, source.diff_text(data), source.diff_text(new_data))
                done.diff_encoding = source.diff_encoding()
            if scan.data is not None:
                done.content = new_data
        findings = self._with_edits(findings, keep, final)
        if notebooks.is_notebook(scan.path):
            cells = source.notebook.cells if final is first else notebooks.load(new_data).cells
            findings = self.checker.in_notebook(shown, cells, findings)
        return findings, errors, done

    def _fix_pass(self, path: str, shown: str, mode: FixMode, ignored: frozenset, text: str, index=None) -> Pass:
        """One lint of `text` for the fixer. Without `index` the text is new: its facts
        are collected again and replace the file's own in the index."""
        if index is None:
            rescan = scan_text(path, text)
            if rescan.facts is None:
                problem = rescan.problem
                why = f"{problem.message} (line {problem.line})" if problem else rescan.read_error or rescan.skipped
                return Pass(text, failure=f"the fixed code does not parse: {why}")
            modules = {**self.checker.index.modules, path: rescan.facts}
            index = ProjectIndex(modules.values(), self.checker.extra_bases, self.checker.external)
        try:
            module = deep_stack.call(cst.parse_module, text)
        except (cst.ParserSyntaxError, RecursionError) as error:
            return Pass(text, failure=f"the fixed code does not parse: {str(error).splitlines()[0]}")
        kept: list = []
        findings, errors = self.checker.run_rules(path, shown, text, module, index=index, keep=kept)
        shown_ids = {id(finding) for finding in findings}
        kept = [(report, finding) for report, finding in kept if id(finding) in shown_ids]
        visible = filter_findings(findings, ignored=ignored)
        keys = Counter((finding.code, finding.message) for finding in visible)
        if errors:
            return Pass(text, module, [], keys, "; ".join(error.message for error in errors),
                        result=(findings, errors, kept))
        visible_ids = {id(finding) for finding in visible}
        wanted = [
            (report, finding) for report, finding in kept
            if id(finding) in visible_ids and report.fix is not None and mode.allows(report.code, report.fix.safe)
            and not (report.fix.imports and import_conflict(module, report.fix.imports))
        ]
        targets = positions(module, [old for report, _ in wanted for old, _new in report.fix.replacements])
        candidates = []
        for report, finding in wanted:
            try:
                spans = spans_of(report.fix, targets)
            except FixFailed as error:
                return Pass(text, module, [], keys, f"the {report.code} fix is broken: {error}",
                            result=(findings, errors, kept))
            candidates.append(Candidate(report.fix, (finding.line, finding.column), report.code,
                                        (report.code, report.message), spans))
        return Pass(text, module, candidates, keys, result=(findings, errors, kept))

    def _with_edits(self, findings: list[Finding], kept: list, final: Pass) -> list[Finding]:
        """The findings with the edits of their fixes (a fixing pass leaves them out)."""
        reports = {id(finding): report for report, finding in kept}
        out = []
        for finding in findings:
            report = reports.get(id(finding))
            if finding.fix is not None and report is not None:
                fix, _broken = self.checker.fix_info(report, final.module, final.text)
                finding = replace(finding, fix=fix, fixable=fix is not None)
            out.append(finding)
        return out
