"""The command line: `kerascheck [check] PATHS`, `kerascheck rule CODE`, `kerascheck rules`.

A thin front end over :mod:`kerascheck.api`. Exit codes follow ruff: 0 no findings,
1 findings, 2 usage, configuration or internal error. No traceback ever reaches the
user: an unexpected exception is one line on stderr and exit 2.
"""
from __future__ import annotations

import json
import sys
from typing import Optional

import click

from kerascheck import __version__, api, engine
from kerascheck.config import OUTPUT_FORMATS, ConfigError, load_settings
from kerascheck.discovery import DiscoveryError
from kerascheck.pages import page_text
from kerascheck.report import FORMATS, HUMAN_FORMATS, text
from kerascheck.rules import all_rules

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR, EXIT_INTERRUPTED = 0, 1, 2, 130


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


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--select", multiple=True, help="Rule codes or prefixes to enable (replaces the default set); ALL for every rule.")
@click.option("--extend-select", multiple=True, help="Rule codes or prefixes to enable in addition.")
@click.option("--ignore", multiple=True, help="Rule codes or prefixes to disable.")
@click.option("--exclude", multiple=True, help="Gitignore-style patterns to exclude (replaces the defaults).")
@click.option("--extend-exclude", multiple=True, help="Patterns to exclude in addition to the defaults.")
@click.option("--output-format", type=click.Choice(OUTPUT_FORMATS), envvar="KERASCHECK_OUTPUT_FORMAT", help="full (default), concise or json.")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="Use this kerascheck.toml / pyproject.toml.")
@click.option("--isolated", is_flag=True, help="Ignore all configuration files.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings.")
@click.option("--statistics", is_flag=True, help="Print the number of findings per rule instead of the findings.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), help="Worker processes (default: all cores).")
def check(paths, select, extend_select, ignore, exclude, extend_exclude, output_format,
          config_path, isolated, exit_zero, statistics, jobs) -> None:
    """Lint PATHS (files or directories; default: the current directory)."""
    try:
        settings = load_settings(config_path, isolated).with_overrides(
            select=_codes(select),
            extend_select=_codes(extend_select) or None,
            ignore=_codes(ignore),
            exclude=_patterns(exclude),
            extend_exclude=_patterns(extend_exclude),
            output_format=output_format,
        )
        result = api.check_paths(list(paths) or ["."], settings, jobs=jobs)
    except (ConfigError, DiscoveryError) as error:
        _fail(str(error))
    except KeyboardInterrupt:
        click.echo("kerascheck: interrupted", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except Exception as error:  # the promise: never a traceback
        _fail(f"internal error: {type(error).__name__}: {error}")
    _print_result(result, settings.output_format, statistics)
    if result.errors:
        sys.exit(EXIT_ERROR)
    sys.exit(EXIT_FINDINGS if result.findings and not exit_zero else EXIT_CLEAN)


def _print_result(result: engine.CheckResult, output_format: str, statistics: bool) -> None:
    out = click.get_text_stream("stdout")
    if statistics:
        out.write(text.statistics(result))
    else:
        FORMATS[output_format](result, out, text.use_color(out))
    for error in result.errors:
        click.echo(f"kerascheck: error: {error}", err=True)
    if output_format in HUMAN_FORMATS:
        click.echo(text.summary(result), err=True)


def _fail(message: str) -> None:
    click.echo(f"kerascheck: error: {message}", err=True)
    sys.exit(EXIT_ERROR)


@main.command()
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


@main.command(name="rules")
@click.option("--output-format", type=click.Choice(["text", "json"]), default="text")
def list_rules(output_format: str) -> None:
    """List every rule: code, name, default on/off, severity and summary."""
    rows = [
        {
            "code": code,
            "name": cls.name,
            "default": cls.default,
            "severity": cls.severity.value,
            "summary": cls.summary,
            "affects": cls.affects,
        }
        for code, cls in all_rules().items()
    ]
    if output_format == "json":
        click.echo(json.dumps(rows, indent=2))
        return
    for row in rows:
        state = "on " if row["default"] else "off"
        click.echo(f"{row['code']}  {row['name']:<32} {state}  {row['severity']:<7}  {row['summary']}")
