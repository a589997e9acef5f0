"""What a release uploads: the sdist and the wheel build offline (`python -m build
--no-isolation`, with the hatchling of the test extra), `twine check --strict` accepts
both, and the wheel is what a user gets from `pip install kerascheck`: the package, the
rule pages `kerascheck rule KC101` reads, the license, one version; no tests, no fixtures.

Building takes a few seconds (two archives, each a full hatchling run): slow.
"""
from __future__ import annotations

import email.parser
import os
import subprocess
import sys
import tarfile
import zipfile

import pytest

import kerascheck
from cliutil import KC101_SOURCE

pytestmark = pytest.mark.slow

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PAGES = sorted(name for name in os.listdir(os.path.join(ROOT, "rules")) if name.endswith(".md"))
VERSION = kerascheck.__version__

if sys.version_info >= (3, 11):
    import tomllib
else:  # the runtime dependency on Python < 3.11
    import tomli as tomllib


@pytest.fixture(scope="module")
def dist(tmp_path_factory):
    """The sdist and the wheel, built the way a release is, into a temporary folder."""
    out = tmp_path_factory.mktemp("dist")
    run = subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), ROOT],
        capture_output=True, text=True, timeout=300,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    sdist = out / f"kerascheck-{VERSION}.tar.gz"
    wheel = out / f"kerascheck-{VERSION}-py3-none-any.whl"
    assert sdist.is_file() and wheel.is_file(), sorted(p.name for p in out.iterdir())
    return {"sdist": sdist, "wheel": wheel}


def wheel_names(dist) -> list[str]:
    with zipfile.ZipFile(dist["wheel"]) as archive:
        return archive.namelist()


def wheel_metadata(dist):
    with zipfile.ZipFile(dist["wheel"]) as archive:
        text = archive.read(f"kerascheck-{VERSION}.dist-info/METADATA").decode("utf-8")
    return email.parser.Parser().parsestr(text)


def test_twine_check_passes_on_both(dist):
    run = subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", str(dist["sdist"]), str(dist["wheel"])],
        capture_output=True, text=True, timeout=120,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.count("PASSED") == 2, run.stdout


def test_version_is_written_once():
    with open(os.path.join(ROOT, "pyproject.toml"), "rb") as handle:
        project = tomllib.load(handle)["project"]
    assert "version" not in project and "version" in project["dynamic"]
    cli = subprocess.run([sys.executable, "-m", "kerascheck", "--version"], capture_output=True, text=True,
                         cwd=ROOT, timeout=60)
    assert cli.stdout.strip() == f"kerascheck, version {VERSION}"


def test_wheel_metadata_says_what_the_project_is(dist):
    metadata = wheel_metadata(dist)
    assert metadata["Version"] == VERSION  # hatchling read kerascheck/__init__.py
    assert metadata["License-Expression"] == "MIT"
    urls = dict(value.split(", ", 1) for value in metadata.get_all("Project-URL"))
    assert urls["Repository"].startswith("https://github.com/")
    assert {"Homepage", "Issues", "Changelog"} <= set(urls)
    classifiers = metadata.get_all("Classifier")
    assert "Programming Language :: Python :: 3 :: Only" in classifiers
    assert metadata["Requires-Python"] == ">=3.9"
    assert metadata["Description-Content-Type"] == "text/markdown"


def test_wheel_holds_the_package_pages_and_license_and_no_tests(dist):
    names = wheel_names(dist)
    assert "kerascheck/__init__.py" in names and "kerascheck/cli.py" in names
    assert "kerascheck/confirm/worker.py" in names and "kerascheck/rules/base.py" in names
    assert sorted(n.rpartition("/")[2] for n in names if n.startswith("kerascheck/pages/")) == PAGES
    assert f"kerascheck-{VERSION}.dist-info/licenses/LICENSE" in names
    tops = {name.split("/")[0] for name in names}
    assert tops == {"kerascheck", f"kerascheck-{VERSION}.dist-info"}, tops  # no tests/, fixtures/, rules/
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]
    with zipfile.ZipFile(dist["wheel"]) as archive:
        entry_points = archive.read(f"kerascheck-{VERSION}.dist-info/entry_points.txt").decode()
    assert "kerascheck = kerascheck.cli:main" in entry_points


def test_sdist_holds_the_sources_the_wheel_is_built_from(dist):
    with tarfile.open(dist["sdist"]) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    expected = {"pyproject.toml", "README.md", "LICENSE", "CHANGELOG.md", "kerascheck/__init__.py",
              "rules/KC101.md", "tests/conftest.py", "action.yml", "action/main.py", ".pre-commit-hooks.yaml"}
    assert expected <= names, expected - names
    assert {f"rules/{page}" for page in PAGES} <= names


def test_installed_wheel_prints_rule_pages_and_lints(dist, tmp_path):
    """The wheel unpacked as pip installs it (a pure-Python wheel is its site-packages
    layout), run from a folder with no `rules/` around: the pages come from the wheel."""
    site = tmp_path / "site"
    with zipfile.ZipFile(dist["wheel"]) as archive:
        archive.extractall(site)
    work = tmp_path / "work"
    work.mkdir()
    (work / "model.py").write_text(KC101_SOURCE, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(site)}

    def run(*args):
        return subprocess.run([sys.executable, *args], cwd=work, env=env, capture_output=True, text=True,
                              timeout=120)

    where = run("-c", "import kerascheck; print(kerascheck.__file__)")
    assert where.stdout.strip() == str(site / "kerascheck" / "__init__.py"), where.stdout + where.stderr
    page = run("-m", "kerascheck", "rule", "KC101")
    assert page.returncode == 0, page.stderr
    with open(os.path.join(ROOT, "rules", "KC101.md"), encoding="utf-8") as handle:
        assert page.stdout == handle.read().rstrip("\n") + "\n"
    lint = run("-m", "kerascheck", "--no-cache", "--output-format", "concise", ".")
    assert lint.returncode == 1, lint.stdout + lint.stderr
    assert "model.py:6:18: KC101" in lint.stdout
