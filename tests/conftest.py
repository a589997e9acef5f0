import os
import sys
import textwrap

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests"))


@pytest.fixture
def project(tmp_path):
    """Write a multi-file project: project({"pkg/base.py": "...", ...}) -> its root path."""

    def write(files: dict) -> str:
        for relative, text in files.items():
            path = tmp_path / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text), encoding="utf-8")
        return str(tmp_path)

    return write


# Modules that run real TensorFlow/Keras, real tools (pre-commit, git, IPython) or the CLI
# in subprocesses: `python -m pytest -m "not slow"` leaves them out for a fast inner loop.
# CI and the README's command run everything.
SLOW_MODULES = frozenset({
    "test_add_noqa", "test_affects", "test_cache", "test_cli", "test_config", "test_confirm", "test_confirm_migration",
    "test_cstwalk", "test_diff_base", "test_fix_cli", "test_fix_properties", "test_hostile",
    "test_interrupt", "test_kc210_fix_keras", "test_kc5xx_fixture", "test_kc5xx_probes", "test_kc5xx_tf_ops",
    "test_output_formats", "test_precommit", "test_private_homes", "test_stdin",
})


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.module.__name__.rpartition(".")[2] in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)
