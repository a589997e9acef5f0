"""The command line: `kerascheck [check] PATHS`, `kerascheck rule CODE`, `kerascheck rules`.

A thin front end over :mod:`kerascheck.api`. Exit codes follow ruff: 0 no findings,
1 findings, 2 usage, configuration or internal error. No traceback ever reaches the
user: an unexpected exception is one line on stderr and exit 2.
"""
from __future__ import annotations

import contextlib
import json
import os
import sys
from dataclasses import dataclass
from typing import Optional

import click

from kerascheck import __version__, api, cache, engine
from kerascheck.config import OUTPUT_FORMATS, TARGET_KERAS, ConfigError, load_settings
from kerascheck.confirm import KerasMissing
from kerascheck.discovery import DiscoveryError
from kerascheck.finding import RunError
from kerascheck.fix import FixMode
from kerascheck.gitdiff import GitError
from kerascheck.pages import page_text
from kerascheck.report import EDIT_FORMATS, FORMATS, HUMAN_FORMATS, json_format, text
from kerascheck.results import CheckResult
from kerascheck.rules import all_rules

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR, EXIT_INTERRUPTED = 0, 1, 2, 130
OUTPUT_FORMAT_VARIABLE = "KERASCHECK_OUTPUT_FORMAT"
# The formats --statistics can print (ruff: text and JSON).
STATISTICS_FORMATS = ("full", "concise", "json")
NO_FILES = "No Python files found under the given path(s)"


class DefaultCheckGroup(click.Group):
    """A group whose default subcommand is `check`, so `kerascheck src/` works.
    A directory that shares a subcommand's name needs `kerascheck check rules/`."""

    def parse_args(self, ctx, args):
        if not args or (args[0] not in self.commands and args[0] not in ("--help", "-h", "--version")):
            args = ["check", *args]
        return super().parse_args(ctx, args)


@click.group(cls=DefaultCheckGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kerascheck")
def main() -> None:
    """Find the Keras pitfalls that Keras only reveals hours into training, or never."""


def _codes(values: tuple[str, ...]) -> Optional[tuple[str, ...]]:
    """`--select KC1,KC2 --select KC3` -> ("KC1", "KC2", "KC3"); None when not given."""
    if not values:
        return None
    return tuple(code.strip().upper() if code.strip().upper() != "ALL" else "ALL"
                 for value in values for code in value.split(",") if code.strip())


def _patterns(values: tuple[str, ...]) -> Optional[tuple[str, ...]]:
    if not values:
        return None
    return tuple(p.strip() for value in values for p in value.split(",") if p.strip())


@main.command(short_help="Lint PATHS (files, directories, notebooks; default: the current directory).")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--select", multiple=True, help="Rule codes or prefixes to enable (replaces the default set); ALL for every rule.")
@click.option("--extend-select", multiple=True, help="Rule codes or prefixes to enable in addition.")
@click.option("--ignore", multiple=True, help="Rule codes or prefixes to disable.")
@click.option("--exclude", multiple=True, help="Gitignore-style patterns to exclude (replaces the defaults).")
@click.option("--extend-exclude", multiple=True, help="Patterns to exclude in addition to the defaults.")
@click.option("--output-format", type=click.Choice(OUTPUT_FORMATS), help=f"full (default), concise, json, json-lines, github, sarif, junit or gitlab. Also {OUTPUT_FORMAT_VARIABLE}.")
@click.option("-o", "--output-file", type=click.Path(dir_okay=False, writable=True), help="Write the report to this file instead of stdout.")
@click.option("--diff-base", metavar="REF", help="Lint only the files changed since git revision REF (committed, staged, unstaged, untracked).")
@click.option("--stdin-filename", metavar="PATH", help="Read the source from stdin and report it as PATH (`-` as the only PATH reads stdin too, reported as `-`).")
@click.option("--force-exclude", is_flag=True, help="Apply excludes to files named on the command line too (for pre-commit).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Use this kerascheck.toml / pyproject.toml.")
@click.option("--isolated", is_flag=True, help="Ignore all configuration files.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option("--statistics", is_flag=True, help="Print the number of findings per rule instead of the findings (text, or JSON with --output-format json).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), help="Worker processes (default: all cores).")
@click.option("--target-keras", type=click.Choice(TARGET_KERAS), help="Which Keras the code runs on, for every rule: auto (default: per file, from the dependency pins and the module's imports; see --show-settings), 3, 2 (tf.keras/tf_keras 2.12+, with auto-config; migration rules off) or 2.11 (Keras 2.11 and older: no auto-config).")
@click.option("--no-cache", is_flag=True, envvar="KERASCHECK_NO_CACHE", help="Check every file again; neither read nor write the cache. Also KERASCHECK_NO_CACHE=1.")
@click.option("--cache-dir", type=click.Path(file_okay=False), envvar="KERASCHECK_CACHE_DIR", help="Where to keep the cache (default: .kerascheck_cache beside the config file, or in the current directory). Also KERASCHECK_CACHE_DIR.")
@click.option("--confirm/--no-confirm", default=None, help="Build each flagged class with the installed Keras and say whether the problem is real there. Executes parts of your code (never a script's top level). Also `confirm = true` in the configuration.")
@click.option("--confirm-only", is_flag=True, help="With --confirm (implied): drop the findings that were tried and not reproduced.")
@click.option("--confirm-timeout", type=click.FloatRange(min=0, min_open=True), metavar="SECONDS", help="Time limit per class for --confirm (default 10).")
@click.option("-v", "--verbose", is_flag=True, help="With --confirm: show the output of the built classes and of TensorFlow, and per-class timings.")
@click.option("--fix", is_flag=True, help="Apply the safe fixes, then report what is left. A file a fix would break is left as it was (exit 2).")
@click.option("--unsafe-fixes", is_flag=True, help="With --fix, --diff or --fix-only: apply the unsafe fixes too (they change what the code does).")
@click.option("--diff", "show_diff", is_flag=True, help="Print the unified diff of what --fix would change and write nothing; exit 1 when there is a diff.")
@click.option("--fix-only", is_flag=True, help="Apply the fixes and report nothing else; exit 0 unless a fix failed.")
@click.option("--show-settings", is_flag=True, help="Print the resolved settings and the Keras each file runs on, and why (every rule asks it), then exit without linting.")
@click.option("--show-files", is_flag=True, help="Print the files a run would check, one per line, then exit 0 without linting.")
@click.option("--show-fixes/--no-show-fixes", default=False, help="Say what each fix would do (full format), and after --fix or --diff list the fixes per file and rule, as ruff does.")
@click.option("--exit-non-zero-on-fix", is_flag=True, help="With --fix or --fix-only: exit 1 when a file was fixed, even if no finding is left.")
@click.option("--color", type=click.Choice(text.COLOR_CHOICES), default="auto", show_default=True, help="Color the text output: auto (on a terminal, unless NO_COLOR is set; FORCE_COLOR forces it), always or never.")
@click.option("-q", "--quiet", is_flag=True, help="Print the findings and errors only: no summary, no warnings.")
@click.option("-s", "--silent", is_flag=True, help="Print nothing but errors; the exit code still says whether there are findings.")
@click.option("--add-noqa", is_flag=True, help="Write a `# noqa: CODE` directive for every finding, print how many were added, exit 0.")
def check(paths, select, extend_select, ignore, exclude, extend_exclude, output_format,
          output_file, diff_base, stdin_filename, force_exclude,
          config_path, isolated, exit_zero, statistics, jobs, target_keras, no_cache, cache_dir,
          confirm=None, confirm_only=False, confirm_timeout=None, verbose=False,
          fix=False, unsafe_fixes=False, show_diff=False, fix_only=False, show_settings=False,
          show_files=False, exit_non_zero_on_fix=False, color="auto", quiet=False, silent=False,
          add_noqa=False, show_fixes=False) -> None:
    """Lint PATHS (files or directories; default: the current directory)."""
    output_format = output_format or _output_format_from_environment()
    paths, stdin_filename = _stdin_paths(paths, stdin_filename, diff_base)
    if add_noqa:
        if fix or show_diff or fix_only or stdin_filename is not None:
            _fail("--add-noqa writes directives into files on disk: it takes no --fix, --diff, --fix-only or --stdin-filename")
        with _errors_reported():
            settings = _settings(config_path, isolated, select, extend_select, ignore, exclude, extend_exclude,
                                 output_format, target_keras, False, False, None)
            result = api.add_noqa(list(paths) or ["."], settings, jobs=jobs, diff_base=diff_base, force_exclude=force_exclude)
        _finish_add_noqa(result)
    if show_settings:
        _show_settings(
            paths, select=select, extend_select=extend_select, ignore=ignore, exclude=exclude,
            extend_exclude=extend_exclude, output_format=output_format, output_file=output_file,
            diff_base=diff_base, stdin_filename=stdin_filename, force_exclude=force_exclude,
            config_path=config_path, isolated=isolated, jobs=jobs, target_keras=target_keras,
            no_cache=no_cache, cache_dir=cache_dir, confirm=confirm, confirm_only=confirm_only,
            confirm_timeout=confirm_timeout,
        )
    with _errors_reported():
        settings = _settings(
            config_path, isolated, select, extend_select, ignore, exclude, extend_exclude,
            output_format, target_keras, confirm, confirm_only, confirm_timeout,
        )
        if show_files:
            _show_files(paths, settings, stdin_filename, diff_base, force_exclude)
        output = Output(settings.output_format, statistics, output_file, color, quiet or silent, silent, unsafe_fixes,
                        show_fixes)
        if statistics and output.format not in STATISTICS_FORMATS:
            _fail(f"--statistics prints text or JSON: use it with --output-format {', '.join(STATISTICS_FORMATS)}")
        if stdin_filename is not None and settings.confirm:
            click.echo("kerascheck: --confirm does not apply to --stdin-filename (unsaved content)", err=True)
        fixing = _fix_mode(settings, fix, unsafe_fixes, show_diff, fix_only, stdin_filename is not None)
        data = None
        if stdin_filename is not None:
            data = sys.stdin.buffer.read()
            result = api.check_stdin(stdin_filename, data, settings, jobs=jobs, fix=fixing)
        elif fixing is not None:  # --confirm is for checking runs: fixing never executes code
            result = api.check_paths(
                list(paths) or ["."], settings, jobs=jobs,
                diff_base=diff_base, force_exclude=force_exclude, confirm=False, fix=fixing,
            )
        else:
            result = api.check_paths(
                list(paths) or ["."], settings, jobs=jobs,
                diff_base=diff_base, force_exclude=force_exclude,
                cache_dir=None if no_cache else (cache_dir or api.default_cache_dir(settings)),
                confirm_only=confirm_only, confirm_options=_confirm_options(settings, verbose),
                fix_edits=settings.output_format in EDIT_FORMATS,
            )
    if not result.files_checked and stdin_filename is None and diff_base is None:
        result.notices.append(NO_FILES)
    if fixing is not None:
        _finish_fixing(result, fixing, fix_only, data, output, exit_zero, exit_non_zero_on_fix)
    try:
        _print_result(result, output)
    except KeyboardInterrupt:
        _interrupted()
    if result.errors:
        sys.exit(EXIT_ERROR)
    sys.exit(EXIT_FINDINGS if result.findings and not exit_zero else EXIT_CLEAN)


@dataclass(frozen=True)
class Output:
    """How a run's report is printed (the check command's output options)."""

    format: str
    statistics: bool = False
    file: Optional[str] = None
    color: str = "auto"  # --color
    quiet: bool = False  # no summary, no warnings (-q, and -s)
    silent: bool = False  # no report either (-s)
    unsafe_fixes: bool = False  # --unsafe-fixes: `[*]` and the hints count unsafe fixes too
    show_fixes: bool = False  # --show-fixes: each fix said (full format), the fixes made listed


def _output_format_from_environment() -> Optional[str]:
    """KERASCHECK_OUTPUT_FORMAT, checked here so that a bad value names the variable."""
    value = os.environ.get(OUTPUT_FORMAT_VARIABLE, "").strip()
    if not value:
        return None
    if value not in OUTPUT_FORMATS:
        _fail(f"{OUTPUT_FORMAT_VARIABLE}={value!r} is not an output format; use one of {', '.join(OUTPUT_FORMATS)}")
    return value


def _stdin_paths(paths: tuple[str, ...], stdin_filename: Optional[str], diff_base: Optional[str]):
    """(PATHS, the name stdin is reported as, or None). As in ruff, `-` as the only PATH
    reads stdin, and so does --stdin-filename (which names it; `-` otherwise)."""
    if "-" not in paths and stdin_filename is None:
        return paths, None
    if diff_base is not None or any(path != "-" for path in paths) or len(paths) > 1:
        _fail("stdin (`-` or --stdin-filename) is one file: give no other PATHS and no --diff-base")
    return (), stdin_filename if stdin_filename is not None else "-"


def _show_files(paths, settings, stdin_filename, diff_base, force_exclude) -> None:
    """--show-files: the files a run would check, as findings name them, then exit 0."""
    cwd = os.getcwd()
    if stdin_filename is not None:
        files = [os.path.abspath(stdin_filename)]
    else:
        files = api.files_to_check(list(paths) or ["."], settings, diff_base=diff_base, force_exclude=force_exclude)
    try:
        for path in files:
            click.echo(engine.display_path(path, cwd))
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    if not files and diff_base is None:
        click.echo(f"kerascheck: warning: {NO_FILES}", err=True)
    sys.exit(EXIT_CLEAN)


def _settings(config_path, isolated, select, extend_select, ignore, exclude, extend_exclude,
              output_format, target_keras, confirm, confirm_only, confirm_timeout):
    """The configuration file's settings with the command line's on top."""
    return load_settings(config_path, isolated).with_overrides(
        select=_codes(select),
        extend_select=_codes(extend_select) or None,
        ignore=_codes(ignore),
        exclude=_patterns(exclude),
        extend_exclude=_patterns(extend_exclude),
        output_format=output_format,
        target_keras=target_keras,
        confirm=True if confirm_only else confirm,
        confirm_timeout=confirm_timeout,
    )


def _show_settings(paths, *, output_file, diff_base, stdin_filename, force_exclude, config_path,
                   isolated, jobs, target_keras, no_cache, cache_dir, **overrides) -> None:
    """--show-settings: the resolved settings, then `path: keras 2 (why)` for every file a
    run would check, with the target the rules get (api.file_targets); exit 0, or 2
    when a path is bad or a file cannot be read. Nothing is linted, fixed or confirmed.
    `--output-format json` prints the same as one JSON document."""
    from kerascheck.report import settings as shown_settings

    cwd = os.getcwd()
    with _errors_reported():
        settings = _settings(config_path, isolated, target_keras=target_keras, **overrides)
        api.resolve_settings(settings)  # validate: a bad selector is exit 2, as for a run
        config = engine.display_path(settings.source, cwd) if settings.source else None
        config_note = "--config" if config_path else "--isolated" if isolated else "" if config else "none found from the current directory up"
        if target_keras is not None and target_keras != "auto":
            forced_by, origin = f"--target-keras {target_keras}", "--target-keras"
        elif settings.target_keras != "auto":
            forced_by, origin = f'target-keras = "{settings.target_keras}" in {config}', config
        else:
            forced_by, origin = None, "--target-keras" if target_keras is not None else "default"
        stdin = None
        if stdin_filename is not None:
            stdin = (stdin_filename, sys.stdin.buffer.read())
        targets = api.file_targets(
            list(paths) or ["."], settings, jobs=jobs, diff_base=diff_base,
            force_exclude=force_exclude, stdin=stdin, forced_by=forced_by,
        )
        table = shown_settings.entries(
            settings, all_rules(), config=config, config_note=config_note, target_origin=origin,
            cache_dir=None if no_cache else engine.display_path(
                os.path.abspath(cache_dir or api.default_cache_dir(settings)), cwd),
        )
    render = shown_settings.render_json if settings.output_format == "json" else shown_settings.render_text
    try:
        if output_file is None:
            render(sys.stdout, table, targets)
        else:
            with open(output_file, "w", encoding="utf-8", newline="\n") as out:
                render(out, table, targets)
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except OSError as error:
        _fail(f"cannot write {output_file or 'the settings'}: {error.strerror or error}")
    errors = [found for _, found in targets if isinstance(found, RunError)]
    for error in errors:
        click.echo(f"kerascheck: error: {error}", err=True)
    sys.exit(EXIT_ERROR if errors else EXIT_CLEAN)


def _fix_mode(settings, fix: bool, unsafe: bool, show_diff: bool, fix_only: bool, stdin: bool) -> Optional[FixMode]:
    """What --fix/--diff/--fix-only/--unsafe-fixes ask for (None: a checking run;
    --unsafe-fixes alone only changes the summary's hints, as ruff's does)."""
    if not (fix or show_diff or fix_only):
        return None
    return FixMode(
        unsafe=unsafe, write=not show_diff and not stdin, diff=show_diff, fixable=settings.fixable_codes(all_rules())
    )


def _finish_fixing(result, mode: FixMode, fix_only: bool, stdin_data, output: Output, exit_zero: bool,
                   exit_non_zero_on_fix: bool) -> None:
    """Output of a fixing run, then exit. --diff: the diffs on stdout (or in the output
    file), exit 1 when there are any. Stdin: the fixed source on stdout, the report on
    stderr (or in the output file). --fix-only: no report, exit 0. --fix: the findings
    left, exit 1 when there are any. With --exit-non-zero-on-fix, --fix and --fix-only
    also exit 1 when a file was fixed (--exit-zero wins, as in ruff). Exit 2 when a file
    could not be fixed."""
    out = sys.stdout.buffer
    try:
        if mode.diff:
            if output.file is not None:
                out = open(output.file, "wb")
            with out if output.file is not None else contextlib.nullcontext(out):
                for done in result.fixes:
                    out.write(done.diff.encode(done.diff_encoding, "surrogateescape"))
        elif stdin_data is not None:
            fixed = next((done.content for done in result.fixes if done.content is not None), stdin_data)
            out.write(fixed if isinstance(fixed, bytes) else fixed.encode("utf-8"))
        sys.stdout.buffer.flush()
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except OSError as error:
        _fail(f"cannot write {output.file}: {error.strerror or error}")
    if not (mode.diff or fix_only or stdin_data is not None):
        _print_result(result, output)
    else:
        if stdin_data is not None and not (mode.diff or fix_only) and not output.silent:
            if output.file is None:
                _write_report(sys.stderr, result, output)
            else:
                with open(output.file, "w", encoding="utf-8", newline="\n") as report:
                    _write_report(report, result, output)
        for error in result.errors:
            click.echo(f"kerascheck: error: {error}", err=True)
        if not output.quiet:
            for notice in result.notices:
                click.echo(f"kerascheck: warning: {notice}", err=True)
            _echo_fixes_made(result, output, "Would fix" if mode.diff else "Fixed")
            click.echo(text.summary(result, fix_only=fix_only), err=True)
    if result.errors:
        sys.exit(EXIT_ERROR)
    if mode.diff:
        sys.exit(EXIT_FINDINGS if result.fixes else EXIT_CLEAN)
    fixed = exit_non_zero_on_fix and bool(result.fixes)
    if fix_only:
        sys.exit(EXIT_FINDINGS if fixed and not exit_zero else EXIT_CLEAN)
    sys.exit(EXIT_FINDINGS if (result.findings or fixed) and not exit_zero else EXIT_CLEAN)


def _finish_add_noqa(result) -> None:
    """--add-noqa's output, as ruff's: how many directives were added; exit 0, or 2 when
    a file could not be given its directives."""
    for error in result.errors:
        click.echo(f"kerascheck: error: {error}", err=True)
    added = sum(done.noqa for done in result.fixes)
    click.echo(f"Added {added} noqa directive{'' if added == 1 else 's'}.", err=True)
    sys.exit(EXIT_ERROR if result.errors else EXIT_CLEAN)


def _print_result(result: CheckResult, output: Output) -> None:
    """The report (stdout or --output-file), then on stderr the errors, the warnings and
    the summary (human formats), as -q and -s allow."""
    try:
        if output.silent:
            pass
        elif output.file is None:
            _write_report(sys.stdout, result, output)
        else:
            with open(output.file, "w", encoding="utf-8", newline="\n") as out:
                _write_report(out, result, output)
    except BrokenPipeError:  # `kerascheck | head`: the reader has seen enough
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except OSError as error:
        _fail(f"cannot write {output.file or 'the report'}: {error.strerror or error}")
    except Exception as error:  # a reporter bug must not become a traceback either
        _fail(f"internal error while writing the report: {type(error).__name__}: {error}")
    for error in result.errors:
        click.echo(f"kerascheck: error: {error}", err=True)
    if output.quiet:
        return
    for notice in result.notices:
        click.echo(f"kerascheck: warning: {notice}", err=True)
    _echo_fixes_made(result, output)
    if output.format in HUMAN_FORMATS:
        click.echo(text.summary(result, unsafe_fixes=output.unsafe_fixes), err=True)
    if getattr(result, "confirmation", None) is not None:  # --confirm, in every format
        click.echo(result.confirmation.line(), err=True)


def _echo_fixes_made(result, output: Output, verb: str = "Fixed") -> None:
    """--show-fixes after a fixing run: the fixes per file and rule, on stderr before the
    summary (a checking run has made none)."""
    listed = text.fixes_enumeration(result, verb) if output.show_fixes else ""
    if listed:
        click.echo(listed, err=True)


def _confirm_options(settings, verbose: bool):
    """--confirm's options: messages and a progress bar on stderr."""
    if not settings.confirm:
        return None
    from kerascheck.confirm.progress import ProgressBar
    from kerascheck.confirm.runner import options_from_settings

    bar = ProgressBar(sys.stderr)
    return options_from_settings(settings, verbose=verbose, note=bar.note, progress=bar)


def _write_report(out, result: CheckResult, output: Output) -> None:
    unsafe = output.unsafe_fixes
    if output.statistics and output.format == "json":
        json_format.render_statistics(result, out, unsafe)
    elif output.statistics:
        out.write(text.statistics(result, unsafe))
    elif output.format in HUMAN_FORMATS:
        FORMATS[output.format](result, out, text.use_color(out, output.color), unsafe_fixes=unsafe,
                               show_fixes=output.show_fixes)
    else:
        FORMATS[output.format](result, out, text.use_color(out, output.color))


@contextlib.contextmanager
def _errors_reported():
    """The promise: never a traceback. A bad configuration, path or diff base (or --confirm
    without Keras) is one line and exit 2, Ctrl-C exit 130, anything else an internal error (exit 2)."""
    try:
        yield
    except (ConfigError, DiscoveryError, GitError, KerasMissing) as error:
        _fail(str(error))
    except KeyboardInterrupt:
        _interrupted()
    except Exception as error:
        _fail(f"internal error: {type(error).__name__}: {error}")


def _fail(message: str) -> None:
    click.echo(f"kerascheck: error: {message}", err=True)
    sys.exit(EXIT_ERROR)


def _interrupted() -> None:
    """Ctrl-C: the worker processes are already stopped (pool.map_items); say so, exit 130."""
    click.echo("kerascheck: interrupted", err=True)
    sys.exit(EXIT_INTERRUPTED)


@main.command(short_help="Remove the result cache (.kerascheck_cache).")
@click.option("--cache-dir", type=click.Path(file_okay=False), envvar="KERASCHECK_CACHE_DIR", help="The cache to remove (default: the one `kerascheck check` uses here).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Use this kerascheck.toml / pyproject.toml to find the default cache.")
@click.option("--isolated", is_flag=True, help="Ignore configuration files: the default cache is in the current directory.")
def clean(cache_dir, config_path, isolated) -> None:
    """Remove the result cache (.kerascheck_cache)."""
    try:
        directory = cache_dir or api.default_cache_dir(load_settings(config_path, isolated))
        removed = cache.clean(directory)
    except ConfigError as error:
        _fail(str(error))
    except ValueError as error:
        _fail(str(error))
    except OSError as error:
        _fail(f"cannot remove {directory}: {error.strerror or error}")
    click.echo(f"kerascheck: removed {directory}" if removed else f"kerascheck: no cache at {directory}", err=True)


@main.command(short_help="Run the language server (LSP) for editors; needs kerascheck[lsp].")
@click.option("--tcp", "port", type=click.IntRange(1, 65535), metavar="PORT", help="Listen on 127.0.0.1:PORT instead of stdin/stdout.")
def server(port: Optional[int]) -> None:
    """Run the language server (LSP) for editors, over stdin/stdout. Needs the `lsp`
    extra: pip install 'kerascheck[lsp]'."""
    from kerascheck.server import missing_extra, serve

    problem = missing_extra()
    if problem is not None:
        _fail(problem)
    sys.exit(serve(port))


@main.command(short_help="Print the documentation page of a rule, e.g. `kerascheck rule KC101`.")
@click.argument("code")
def rule(code: str) -> None:
    """Print the documentation page of rule CODE (e.g. KC101)."""
    code = code.upper()
    if code not in all_rules():
        _fail(f"unknown rule '{code}'; `kerascheck rules` lists them")
    page = page_text(code)
    if page is None:
        _fail(f"the page of {code} is missing from this installation")
    click.echo(page.rstrip("\n"))


@main.command(name="rules", short_help="List every rule: code, name, on/off by default, severity, summary.")
@click.option("--output-format", type=click.Choice(["text", "json"]), default="text")
def list_rules(output_format: str) -> None:
    """List every rule: code, name, default on/off, severity and summary (JSON adds the
    Keras versions affected and the safety of the fixes it offers)."""
    rows = [
        {
            "code": code,
            "name": cls.name,
            "default": cls.default,
            "severity": cls.severity.value,
            "summary": cls.summary,
            "affects": cls.affects,
            "fix": list(cls.fix_safety),
        }
        for code, cls in all_rules().items()
    ]
    if output_format == "json":
        click.echo(json.dumps(rows, indent=2))
        return
    for row in rows:
        state = "on " if row["default"] else "off"
        click.echo(f"{row['code']}  {row['name']:<32} {state}  {row['severity']:<7}  {row['summary']}")
