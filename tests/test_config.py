"""Configuration: where it is found, what each option does, how errors are reported,
and how command-line flags layer over it."""
import json
import os

import pytest

from cliutil import CLEAN_SOURCE, KC101_SOURCE, concise_lines, run_cli, write
from kerascheck import check_paths, check_source
from kerascheck.config import ConfigError, Settings, find_config_file, load_settings, settings_from_table
from kerascheck.rules import all_rules
from kerascheck.rules.base import REGISTRY, Rule


# ---- rule selection against a fake registry (independent of which rules exist) -----------
class FakeRule:
    def __init__(self, default=True):
        self.default = default


FAKE = {
    "KC001": FakeRule(),
    "KC101": FakeRule(),
    "KC102": FakeRule(),
    "KC110": FakeRule(),
    "KC201": FakeRule(),
    "KC207": FakeRule(default=False),
    "KC208": FakeRule(default=False),
    "KC301": FakeRule(),
}
DEFAULTS = {"KC001", "KC101", "KC102", "KC110", "KC201", "KC301"}


@pytest.mark.parametrize(
    "settings, expected",
    [
        (Settings(), DEFAULTS),
        (Settings(select=("KC1",)), {"KC101", "KC102", "KC110"}),
        (Settings(select=("KC10",)), {"KC101", "KC102"}),
        (Settings(select=("KC101", "KC301")), {"KC101", "KC301"}),
        # a prefix never turns on an opt-in rule ...
        (Settings(select=("KC2",)), {"KC201"}),
        (Settings(select=("KC20",)), {"KC201"}),
        # ... its exact code or ALL does
        (Settings(select=("KC207",)), {"KC207"}),
        (Settings(select=("ALL",)), set(FAKE)),
        (Settings(extend_select=("KC208",)), DEFAULTS | {"KC208"}),
        (Settings(extend_select=("KC2",)), DEFAULTS),
        (Settings(select=("KC1",), extend_select=("KC3",)), {"KC101", "KC102", "KC110", "KC301"}),
        (Settings(ignore=("KC1",)), {"KC001", "KC201", "KC301"}),
        (Settings(ignore=("KC10",)), {"KC001", "KC110", "KC201", "KC301"}),
        (Settings(select=("ALL",), ignore=("KC207",)), set(FAKE) - {"KC207"}),
        (Settings(select=("ALL",), ignore=("KC2",)), set(FAKE) - {"KC201", "KC207", "KC208"}),
        (Settings(select=("KC101",), ignore=("KC101",)), set()),
    ],
)
def test_enabled_codes(settings, expected):
    assert settings.enabled_codes(FAKE) == expected


@pytest.mark.parametrize("selector", ["KC9", "KC1011", "E501", "kc101x", "ALLL"])
def test_unknown_selector_is_an_error(selector):
    for settings in (
        Settings(select=(selector,)),
        Settings(extend_select=(selector,)),
        Settings(ignore=(selector,)),
        Settings(per_file_ignores=(("*.py", (selector,)),)),
    ):
        with pytest.raises(ConfigError, match=f"unknown rule selector '{selector}'"):
            settings.validate(FAKE)


def test_known_selectors_validate():
    Settings(select=("ALL", "KC", "KC1", "KC10", "KC101"), ignore=("KC2",)).validate(FAKE)


def test_opt_in_rule_runs_only_when_selected_exactly(monkeypatch):
    """A real (dummy) opt-in rule through the whole API."""
    import libcst as cst

    class LoudPrint(Rule):
        code = "KC990"
        name = "loud-print"
        default = False
        summary = "test rule"

        def visit_Call(self, node: cst.Call) -> None:
            if isinstance(node.func, cst.Name) and node.func.value == "print":
                self.report(node, "print")

    try:
        source = "import keras\nprint(keras)\n"

        def found(settings):
            return [f.code for f in check_source(source, config=settings) if f.code == "KC990"]

        assert found(Settings()) == []
        assert found(Settings(select=("KC9",))) == []
        assert found(Settings(select=("KC99",))) == []
        assert found(Settings(extend_select=("KC9",))) == []
        assert found(Settings(select=("KC990",))) == ["KC990"]
        assert found(Settings(extend_select=("KC990",))) == ["KC990"]
        assert found(Settings(select=("ALL",))) == ["KC990"]
        assert found(Settings(select=("ALL",), ignore=("KC99",))) == []
    finally:
        REGISTRY.pop("KC990", None)


def test_real_opt_in_rules_need_their_code_or_all():
    rules = all_rules()
    opt_in = {code for code, rule in rules.items() if not rule.default}
    assert not opt_in & Settings().enabled_codes(rules)
    assert not opt_in & Settings(select=("KC2",)).enabled_codes(rules)
    assert not opt_in & Settings(extend_select=("KC",)).enabled_codes(rules)
    assert opt_in <= Settings(select=("ALL",)).enabled_codes(rules)
    for code in opt_in:
        assert Settings(extend_select=(code,)).enabled_codes(rules) == Settings().enabled_codes(rules) | {code}


def test_registry_defaults_match_the_catalog_opt_ins():
    """KC207 and KC208 are the catalog's opt-in rules, KC527 the migration table's one,
    KC002 (unused-noqa) is opt-in as ruff's RUF100 is; everything else is on by default."""
    for code, rule in all_rules().items():
        assert rule.default == (code not in ("KC002", "KC207", "KC208", "KC527")), code


# ---- finding the configuration file -------------------------------------------------------
def test_nearest_pyproject_upwards(tmp_path):
    write(tmp_path, {"pyproject.toml": '[tool.kerascheck]\nselect = ["KC101"]\n', "a/b/x.py": ""})
    settings = load_settings(cwd=str(tmp_path / "a" / "b"))
    assert settings.select == ("KC101",)
    assert settings.source == str(tmp_path / "pyproject.toml")
    assert settings.root == str(tmp_path)


def test_pyproject_without_our_table_is_skipped(tmp_path):
    write(
        tmp_path,
        {
            "pyproject.toml": '[tool.kerascheck]\nignore = ["KC101"]\n',
            "pkg/pyproject.toml": "[project]\nname = 'pkg'\n[tool.ruff]\nline-length = 100\n",
        },
    )
    settings = load_settings(cwd=str(tmp_path / "pkg"))
    assert settings.ignore == ("KC101",)
    assert settings.root == str(tmp_path)


def test_nearest_file_wins(tmp_path):
    write(
        tmp_path,
        {
            "kerascheck.toml": 'select = ["KC001"]\n',
            "pkg/pyproject.toml": '[tool.kerascheck]\nselect = ["KC101"]\n',
        },
    )
    assert load_settings(cwd=str(tmp_path / "pkg")).select == ("KC101",)
    assert load_settings(cwd=str(tmp_path)).select == ("KC001",)


def test_kerascheck_toml_has_top_level_keys_and_beats_pyproject(tmp_path):
    write(
        tmp_path,
        {
            "kerascheck.toml": 'select = ["KC101"]\noutput-format = "concise"\n',
            "pyproject.toml": '[tool.kerascheck]\nselect = ["KC001"]\n',
        },
    )
    settings = load_settings(cwd=str(tmp_path))
    assert (settings.select, settings.output_format) == (("KC101",), "concise")
    assert settings.source == str(tmp_path / "kerascheck.toml")


def test_hidden_kerascheck_toml(tmp_path):
    write(tmp_path, {".kerascheck.toml": 'ignore = ["KC101"]\n'})
    assert load_settings(cwd=str(tmp_path)).ignore == ("KC101",)


def test_no_config_file(tmp_path):
    write(tmp_path, {"pyproject.toml": "[project]\nname = 'x'\n"})
    found = find_config_file(str(tmp_path))
    assert found is None or not found.startswith(str(tmp_path))
    if found is None:
        settings = load_settings(cwd=str(tmp_path))
        assert settings == Settings(root=str(tmp_path))


def test_explicit_config_path(tmp_path):
    write(
        tmp_path,
        {
            "pyproject.toml": '[tool.kerascheck]\nselect = ["KC001"]\n',
            "configs/strict.toml": 'select = ["KC101"]\n',
            "configs/pyproject.toml": '[tool.kerascheck]\nignore = ["KC1"]\n',
        },
    )
    explicit = load_settings(str(tmp_path / "configs" / "strict.toml"), cwd=str(tmp_path))
    assert explicit.select == ("KC101",)
    assert explicit.root == str(tmp_path / "configs")
    assert load_settings(str(tmp_path / "configs" / "pyproject.toml"), cwd=str(tmp_path)).ignore == ("KC1",)


def test_isolated_ignores_every_file(tmp_path):
    write(tmp_path, {"pyproject.toml": '[tool.kerascheck]\nselect = ["KC001"]\n'})
    assert load_settings(isolated=True, cwd=str(tmp_path)) == Settings(root=str(tmp_path))


def test_every_option_is_read(tmp_path):
    write(
        tmp_path,
        {
            "pyproject.toml": """
                [tool.kerascheck]
                select = ["KC1", "KC3"]
                extend-select = ["KC207"]
                ignore = ["KC302"]
                exclude = ["generated"]
                extend-exclude = ["legacy/*.py"]
                extra-bases = ["spektral.layers.GCNConv"]
                output-format = "json"

                [tool.kerascheck.per-file-ignores]
                "tests/*" = ["KC101"]
                "scripts/run.py" = "KC1"
            """
        },
    )
    settings = load_settings(cwd=str(tmp_path))
    assert settings.select == ("KC1", "KC3")
    assert settings.extend_select == ("KC207",)
    assert settings.ignore == ("KC302",)
    assert settings.exclude == ("generated",)
    assert settings.extend_exclude == ("legacy/*.py",)
    assert settings.extra_bases == ("spektral.layers.GCNConv",)
    assert settings.output_format == "json"
    assert settings.per_file_ignores == (("tests/*", ("KC101",)), ("scripts/run.py", ("KC1",)))


@pytest.mark.parametrize(
    "table, message",
    [
        ({"selct": ["KC101"]}, "unknown option 'selct'"),
        ({"line-length": 88}, "unknown option 'line-length'"),
        ({"select": "KC101"}, "option 'select' .*must be a list"),
        ({"select": ["KC101", 3]}, "option 'select' .*list of strings"),
        ({"output-format": 3}, "option 'output-format' .*must be a str"),
        ({"per-file-ignores": ["a"]}, "option 'per-file-ignores' .*must be a dict"),
        ({"per-file-ignores": {"*.py": 3}}, "option 'per-file-ignores' .*maps patterns"),
    ],
)
def test_bad_tables(table, message):
    with pytest.raises(ConfigError, match=message):
        settings_from_table(table, source="pyproject.toml")


def test_unknown_output_format_is_an_error():
    with pytest.raises(ConfigError, match="unknown output format 'xml'.*full, concise, json"):
        Settings(output_format="xml", source="pyproject.toml").validate(FAKE)


# ---- effects on a real run ----------------------------------------------------------------
def _lint(root, **table):
    settings = settings_from_table(table, root=str(root))
    result = check_paths([str(root)], settings, jobs=1)
    return sorted((os.path.relpath(f.path if os.path.isabs(f.path) else os.path.abspath(f.path), str(root)).replace(os.sep, "/"), f.code) for f in result.findings)


def test_per_file_ignores(tmp_path):
    write(
        tmp_path,
        {
            "pkg/model.py": KC101_SOURCE,
            "tests/test_model.py": KC101_SOURCE,
            "scripts/legacy.py": KC101_SOURCE,
            "scripts/new.py": KC101_SOURCE,
        },
    )
    found = _lint(tmp_path, **{"per-file-ignores": {"tests/*": ["KC101"], "legacy.py": ["KC1"]}})
    assert found == [("pkg/model.py", "KC101"), ("scripts/new.py", "KC101")]


def test_exclude_replaces_the_defaults_and_extend_exclude_adds(tmp_path):
    write(
        tmp_path,
        {
            "pkg/model.py": KC101_SOURCE,
            "venv/lib/model.py": KC101_SOURCE,
            "generated/model.py": KC101_SOURCE,
        },
    )
    assert _lint(tmp_path) == [("generated/model.py", "KC101"), ("pkg/model.py", "KC101")]
    assert _lint(tmp_path, **{"extend-exclude": ["generated"]}) == [("pkg/model.py", "KC101")]
    assert _lint(tmp_path, exclude=["generated"]) == [("pkg/model.py", "KC101"), ("venv/lib/model.py", "KC101")]


def test_patterns_are_relative_to_the_config_file_not_the_cwd(tmp_path):
    write(
        tmp_path,
        {
            "pyproject.toml": """
                [tool.kerascheck]
                extend-exclude = ["/pkg/generated"]

                [tool.kerascheck.per-file-ignores]
                "pkg/legacy.py" = ["KC101"]
            """,
            "pkg/model.py": KC101_SOURCE,
            "pkg/legacy.py": KC101_SOURCE,
            "pkg/generated/model.py": KC101_SOURCE,
        },
    )
    run = run_cli(["--output-format", "concise"], cwd=tmp_path / "pkg")
    lines = concise_lines(run.stdout)
    assert len(lines) == 1 and lines[0].startswith("model.py:6:18: KC101 "), run.stdout
    assert run.returncode == 1


# ---- the command line: errors, and flags over config ---------------------------------------
@pytest.mark.parametrize(
    "files, needle",
    [
        ({"pyproject.toml": '[tool.kerascheck]\nignor = ["KC101"]\n'}, "unknown option 'ignor'"),
        ({"pyproject.toml": '[tool.kerascheck]\nselect = ["KC999"]\n'}, "unknown rule selector 'KC999'"),
        ({"pyproject.toml": '[tool.kerascheck\nselect = ["KC101"]\n'}, "invalid TOML"),
        ({"kerascheck.toml": 'select = "KC101"\n'}, "option 'select'"),
        ({"kerascheck.toml": 'output-format = "xml"\n'}, "unknown output format 'xml'"),
    ],
)
def test_config_errors_exit_2_with_one_line(tmp_path, files, needle):
    write(tmp_path, {**files, "model.py": KC101_SOURCE})
    run = run_cli([], cwd=tmp_path)
    assert run.returncode == 2
    assert run.stdout == ""
    lines = run.stderr.splitlines()
    assert len(lines) == 1, run.stderr
    assert needle in lines[0] and lines[0].startswith("kerascheck: error: ")
    assert "Traceback" not in run.stderr
    # the message names the file the mistake is in
    assert next(iter(files)) in lines[0]


def test_unknown_cli_selector_does_not_blame_the_config_file(tmp_path):
    write(tmp_path, {"pyproject.toml": '[tool.kerascheck]\nselect = ["KC101"]\n', "model.py": KC101_SOURCE})
    run = run_cli(["--select", "KC9"], cwd=tmp_path)
    assert run.returncode == 2
    assert run.stderr.strip() == "kerascheck: error: unknown rule selector 'KC9'"


def test_missing_config_path_exits_2(tmp_path):
    write(tmp_path, {"model.py": KC101_SOURCE})
    run = run_cli(["--config", "nothere.toml"], cwd=tmp_path)
    assert run.returncode == 2
    assert run.stderr.strip() == "kerascheck: error: config file not found: nothere.toml"


def test_cli_config_and_isolated(tmp_path):
    write(
        tmp_path,
        {
            "pyproject.toml": '[tool.kerascheck]\nignore = ["KC101"]\n',
            "other.toml": 'select = ["KC101"]\noutput-format = "json"\n',
            "model.py": KC101_SOURCE,
        },
    )
    assert run_cli([], cwd=tmp_path).returncode == 0
    run = run_cli(["--config", "other.toml"], cwd=tmp_path)
    assert run.returncode == 1 and json.loads(run.stdout)[0]["code"] == "KC101"
    run = run_cli(["--isolated", "--output-format", "concise"], cwd=tmp_path)
    assert run.returncode == 1 and concise_lines(run.stdout)[0].startswith("model.py:6:18: KC101 ")


def test_cli_flags_override_config(tmp_path):
    write(
        tmp_path,
        {
            "pyproject.toml": '[tool.kerascheck]\nselect = ["KC001"]\noutput-format = "json"\n',
            "model.py": KC101_SOURCE,
        },
    )
    run = run_cli([], cwd=tmp_path)
    assert (run.returncode, json.loads(run.stdout)) == (0, [])
    run = run_cli(["--select", "KC101", "--output-format", "concise"], cwd=tmp_path)
    assert run.returncode == 1
    assert concise_lines(run.stdout)[0].startswith("model.py:6:18: KC101 ")
    run = run_cli(["--extend-select", "KC1"], cwd=tmp_path)
    assert [f["code"] for f in json.loads(run.stdout)] == ["KC101"]


def test_cli_ignore_adds_to_the_configured_ignores(tmp_path):
    write(
        tmp_path,
        {
            "pyproject.toml": '[tool.kerascheck]\nignore = ["KC101"]\n',
            "model.py": KC101_SOURCE,
            "broken.py": "import keras\nprint 'x'\n",
        },
    )
    run = run_cli(["--output-format", "concise"], cwd=tmp_path)
    assert [line.split()[1] for line in concise_lines(run.stdout)] == ["KC001"]
    run = run_cli(["--ignore", "KC001"], cwd=tmp_path)
    assert (run.returncode, run.stdout.strip()) == (0, "")


def test_cli_select_replaces_configured_extend_select():
    configured = Settings(select=("KC001",), extend_select=("KC207",), ignore=("KC302",))
    layered = configured.with_overrides(select=("KC101",), ignore=("KC2",), extend_exclude=None)
    assert (layered.select, layered.extend_select, layered.ignore) == (("KC101",), (), ("KC302", "KC2"))
    layered = configured.with_overrides(extend_select=("KC208",))
    assert layered.extend_select == ("KC207", "KC208") and layered.select == ("KC001",)
    layered = Settings(extend_exclude=("a",)).with_overrides(extend_exclude=("b",), exclude=("c",))
    assert (layered.exclude, layered.extend_exclude) == (("c",), ("a", "b"))


def test_output_format_from_config_and_environment(tmp_path):
    write(tmp_path, {"kerascheck.toml": 'output-format = "concise"\n', "model.py": KC101_SOURCE})
    run = run_cli([], cwd=tmp_path)
    assert concise_lines(run.stdout)[0].startswith("model.py:6:18: KC101 ")
    run = run_cli([], cwd=tmp_path, env={"KERASCHECK_OUTPUT_FORMAT": "json"})
    assert json.loads(run.stdout)[0]["line"] == 6


def test_clean_project_with_config(tmp_path):
    write(tmp_path, {"pyproject.toml": '[tool.kerascheck]\nselect = ["ALL"]\n', "model.py": CLEAN_SOURCE})
    run = run_cli([], cwd=tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr


def test_extend_through_the_cli(tmp_path):
    """`extend` inherits the configuration above; a cycle is exit 2 and one line."""
    write(tmp_path, {
        "pyproject.toml": '[tool.kerascheck]\nper-file-ignores = { "pkg/tests/*" = ["KC101"] }\n',
        "pkg/pyproject.toml": '[tool.kerascheck]\nextend = "../pyproject.toml"\noutput-format = "concise"\n',
        "pkg/model.py": KC101_SOURCE,
        "pkg/tests/test_model.py": KC101_SOURCE,
    })
    run = run_cli([], cwd=tmp_path / "pkg")
    assert run.returncode == 1
    assert [line.split(":")[0] for line in concise_lines(run.stdout)] == ["model.py"]
    write(tmp_path, {"pyproject.toml": '[tool.kerascheck]\nextend = "pkg/pyproject.toml"\n'})
    run = run_cli([], cwd=tmp_path / "pkg")
    assert run.returncode == 2 and run.stdout == ""
    assert run.stderr.startswith("kerascheck: error: circular 'extend'") and len(run.stderr.splitlines()) == 1
