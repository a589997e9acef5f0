"""Which Keras each file runs on: every rule asks this one answer.

A finding must be true for the Keras the code runs on, so each file gets a target:

- **Keras 3** (`KERAS3`): keras >= 3, or TensorFlow >= 2.16 without legacy Keras;
- **Keras 2** (`KERAS2`): tf.keras / tf_keras 2.12 and later, which record a layer's
  constructor arguments by themselves (auto-config), tf_keras 2.16+ under
  `TF_USE_LEGACY_KERAS` included (measured on 2.12: auto-config is there already);
- **old Keras 2** (`KERAS2_OLD`): before 2.12 (TensorFlow 2.0-2.11, standalone keras 2.x);
- no declaration at all: Keras 3, what a fresh install gets, marked `assumed`.

The order (first match wins):

1. `target-keras` set to 3, 2 or 2.11 overrides everything;
2. the module uses Keras 2 itself: it imports `tf_keras` (directly or through a project
   module that hands it out, `from mypkg.compat import keras`), or it, or any module of
   its package, sets `TF_USE_LEGACY_KERAS` to "1"/"true"/"True";
3. the project's dependency pins, the nearest declaration above the file winning:
   requirements*.txt / *.in, setup.py, setup.cfg, pyproject.toml, Pipfile,
   environment.yml, lock files, settings files that set `TF_USE_LEGACY_KERAS`; optional
   and development dependencies count only where the real ones say nothing. A module
   that uses Keras-3-only APIs (`keras.ops`, ...) is Keras 3 whatever the pins say;
4. nothing pins Keras or TensorFlow: Keras 3, assumed.

Pins are read once per run, in the main process, for every directory that holds a
checked file (`project_verdicts`); the per-module markers are regular expressions over
the module's text and the project index's import resolution.
"""
from __future__ import annotations

import ast
import configparser
import json
import os
import re
from dataclasses import dataclass, replace
from typing import Iterable, Optional, Sequence

try:  # pragma: no cover - Python < 3.11
    import tomllib
except ImportError:  # pragma: no cover
    import tomli as tomllib

from kerascheck.semantic import knowledge
from kerascheck.semantic.project_root import project_root

AUTO, KERAS3, KERAS2, KERAS2_OLD = "auto", "3", "2", "2.11"
TARGETS = (AUTO, KERAS3, KERAS2, KERAS2_OLD)
KERAS2_TARGETS = frozenset({KERAS2, KERAS2_OLD})
# How each target is named in messages and in --show-settings.
LABELS = {KERAS3: "Keras 3", KERAS2: "Keras 2", KERAS2_OLD: "Keras 2.11 or older"}
# The option names the engine hands to rules (FileContext.options).
OPTION_TARGET = "target_keras"
OPTION_PINS = "keras_pins"

_KERAS3 = (3, 0)
_TF_WITH_KERAS3 = (2, 16)
# Since Keras 2.12, Layer.get_config records the constructor's arguments by itself
# (auto-config; measured on tensorflow-cpu 2.12, whose Keras already has it).
_AUTO_CONFIG = (2, 12)
# keras 2.4 and later is tf.keras; before it, `keras` is multi-backend Keras, a library of
# its own beside TensorFlow's tf.keras.
_KERAS_IS_TF_KERAS = (2, 4)
# Below these, Keras runs on TensorFlow 1 (graph mode): TensorFlow 2.0, and keras 2.3, the
# first multi-backend keras that supports it.
_TENSORFLOW2 = (2, 0)
_KERAS_FOR_TENSORFLOW2 = (2, 3)
# Distributions whose version decides which Keras `import keras` / `tf.keras` gives.
_TENSORFLOW = frozenset(
    {"tensorflow", "tensorflow-cpu", "tensorflow-gpu", "tensorflow-macos", "tensorflow-intel",
     "tensorflow-aarch64", "tensorflow-cpu-aws", "intel-tensorflow"}
)
_TF_KERAS = frozenset({"tf-keras"})
_KERAS3_ONLY = frozenset({"keras-core", "keras-nightly", "tf-nightly", "tf-nightly-cpu"})
_REQUIREMENT_FILE = re.compile(r"^(requirements|constraints)[\w.-]*\.(txt|in)$", re.I)
_SETTINGS_FILES = ("Dockerfile", ".env", "tox.ini", "pytest.ini", "setup.cfg", ".gitlab-ci.yml",
                   "docker-compose.yml", "docker-compose.yaml", "Makefile", "noxfile.py")
_LOCK_FILES = ("poetry.lock", "uv.lock", "pdm.lock")

# TF 2.21 accepts exactly "1", "true" and "True" (tensorflow/python/util/lazy_loader.py).
_LEGACY_VALUE = r"""["']?(?:1|true|True)["']?(?![\w.])"""
LEGACY_ENV_IN_CODE = re.compile(
    r"""["']TF_USE_LEGACY_KERAS["']\s*(?:\]\s*=|,|:)\s*["'](?:1|true|True)["']"""
    r"""|%(?:set_)?env\s+TF_USE_LEGACY_KERAS\s*=?\s*(?:1|true|True)\b"""
)
_LEGACY_ENV_IN_SETTINGS = re.compile(r"TF_USE_LEGACY_KERAS\s*(?:=|:|\s)\s*" + _LEGACY_VALUE)
KERAS2_IMPORT = re.compile(r"^[ \t]*(?:import[ \t]+tf_keras\b|from[ \t]+tf_keras\b)", re.M)
# `import keras` / `from keras.layers import Dense`: the keras package itself, and any use of
# TensorFlow's `tf.keras` (which TF_USE_LEGACY_KERAS turns into tf_keras).
STANDALONE_KERAS_IMPORT = re.compile(r"^[ \t]*(?:import[ \t]+keras\b|from[ \t]+keras(?:\.[\w.]+)?[ \t]+import\b)", re.M)
TF_KERAS_USE = re.compile(r"\btf\.keras\b|\btensorflow\.keras\b|from[ \t]+tensorflow[ \t]+import[^\n]*\bkeras\b")
_TRIPLE_QUOTED = re.compile(r"(\"\"\"|\'\'\')[\s\S]*?\1")


def _without_docstrings(text: str) -> str:
    """The text without its triple-quoted strings: a docstring that shows
    `from tensorflow.keras import ...` says nothing about what the module imports."""
    return _TRIPLE_QUOTED.sub("", text)


KERAS3_MARKERS = re.compile(
    r"\bkeras_core\b|\bkeras\.ops\b|^[ \t]*from[ \t]+keras[ \t]+import[^\n]*\bops\b"
    r"|\bkeras\.random\.SeedGenerator\b|\bkeras\.Variable\b|\bkeras\.config\.\w"
    r"|\bkeras\.saving\.register_keras_serializable\b|\bTFSMLayer\b|\bPyDataset\b"
    r"|\bKERAS_BACKEND\b|\bmodel\.export\(",
    re.M,
)


@dataclass(frozen=True)
class Verdict:
    """What a project's (or notebook's) declarations say: KERAS3, KERAS2, KERAS2_OLD, or
    None (nothing about Keras or TensorFlow), and where that came from."""

    keras: Optional[str]
    reason: str = ""
    # How explicit: 2 an explicit Keras 3 pin (keras>=3), 1 a Keras 2 pin, 0 a mention
    # without an upper bound (a fresh install gets Keras 3).
    strength: int = 0
    # The pin is standalone multi-backend keras (keras < 2.4), which is not tf.keras.
    multi_backend: bool = False
    # Keras 2 here is tf_keras (a tf-keras pin, or TF_USE_LEGACY_KERAS) with nothing holding
    # TensorFlow below 2.16: `tf.keras` is tf_keras, but `import keras` stays Keras 3.
    legacy_only: bool = False
    # The pins hold TensorFlow below 2.0 (or multi-backend keras below 2.3, which predates
    # TensorFlow 2): Keras runs in TensorFlow 1's graph mode, which calls call() once to
    # build a graph instead of running it eagerly or tracing it with tf.function.
    graph_mode: bool = False


@dataclass(frozen=True)
class Target:
    """The Keras one file runs on, and why (shown by --show-settings)."""

    keras: str  # KERAS3, KERAS2 or KERAS2_OLD
    reason: str
    # Nothing declared it: Keras 3 is what a fresh install gets.
    assumed: bool = False
    # Old Keras 2 on TensorFlow 1 (Verdict.graph_mode).
    graph_mode: bool = False

    @property
    def label(self) -> str:
        """"Keras 3", "Keras 2", ...: how a message names it."""
        return LABELS[self.keras]

    def describe(self) -> str:
        """`keras 2 (requirements.txt: tensorflow==2.15.0)`; `keras 3 assumed (...)` when
        nothing declared it."""
        graph = ", TensorFlow 1 graph mode" if self.graph_mode else ""
        return f"{self.label.lower()}{' assumed' if self.assumed else ''} ({self.reason}{graph})"


# ---- requirement strings ---------------------------------------------------------------------
_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*(.*)$")
_SPEC = re.compile(r"(===|==|!=|~=|<=|>=|<|>)\s*([0-9][0-9A-Za-z.*+!-]*)")


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _version(text: str) -> tuple[tuple[int, ...], bool]:
    """(numeric release tuple, wildcard) for "2.15.*" -> ((2, 15), True)."""
    wildcard = text.endswith(".*")
    numbers = []
    for part in text.rstrip("*").rstrip(".").split("."):
        match = re.match(r"\d+", part)
        if not match:
            break
        numbers.append(int(match.group()))
        if match.group() != part:
            break
    return tuple(numbers), wildcard


def _pad(version: tuple[int, ...], length: int) -> tuple[int, ...]:
    return version + (0,) * (length - len(version))


def _below(op: str, text: str, threshold: tuple[int, ...]) -> bool:
    """Whether every version this one specifier allows is older than `threshold`."""
    version, wildcard = _version(text)
    if not version:
        return False
    width = max(len(version), len(threshold))
    if op == "<":
        return _pad(version, width) <= _pad(threshold, width)
    if op == "<=":
        return _pad(version, width) < _pad(threshold, width)
    if op in ("==", "==="):
        if wildcard:
            return version < threshold[: len(version)]
        return _pad(version, width) < _pad(threshold, width)
    if op == "~=" and len(version) >= 2:
        upper = version[:-2] + (version[-2] + 1,)
        return _pad(upper, width) <= _pad(threshold, width)
    return False


def _at_least(op: str, text: str, threshold: tuple[int, ...]) -> bool:
    """Whether this specifier only allows `threshold` or newer."""
    version, _ = _version(text)
    if not version:
        return False
    width = max(len(version), len(threshold))
    return op in (">=", ">", "==", "===", "~=") and _pad(version, width) >= _pad(threshold, width)


def _keras2_kind(specs: list[tuple[str, str]]) -> str:
    """KERAS2_OLD when the specifiers only allow versions before 2.12 (TensorFlow and
    Keras share the numbering), else KERAS2."""
    return KERAS2_OLD if any(_below(op, v, _AUTO_CONFIG) for op, v in specs) else KERAS2


def parse_requirement(text: str) -> Optional[tuple[str, list[tuple[str, str]]]]:
    """("tensorflow", [("<", "2.16")]) for "tensorflow[and-cuda]<2.16 ; python_version>'3'"."""
    text = text.split("#", 1)[0].split(";", 1)[0].strip().strip("\"'")
    if not text or text.startswith("-") or "://" in text.split("@")[0]:
        return None
    match = _NAME.match(text)
    if not match:
        return None
    return _normal(match.group(1)), _SPEC.findall(match.group(2))


def verdict_of(requirements: Iterable[str], source: str) -> Verdict:
    """The Keras a list of requirement strings asks for."""
    keras3 = keras2 = tensorflow3 = mentioned = None
    held_below_keras3 = False  # a keras or tensorflow pin (not tf-keras) asks for Keras 2
    graph_mode = False
    for text in requirements:
        parsed = parse_requirement(text)
        if parsed is None:
            continue
        name, specs = parsed
        graph_floor = _TENSORFLOW2 if name in _TENSORFLOW else _KERAS_FOR_TENSORFLOW2 if name == "keras" else None
        if graph_floor and any(_below(op, v, graph_floor) for op, v in specs):
            graph_mode = True
        shown = f"{source}: {text.strip()}"
        if name in _KERAS3_ONLY or (name == "keras" and any(_at_least(op, v, _KERAS3) for op, v in specs)):
            keras3 = keras3 or shown
        elif name in _TF_KERAS:
            keras2 = keras2 or (KERAS2, shown, False)
        elif name == "keras" and any(_below(op, v, _KERAS3) for op, v in specs):
            multi_backend = any(_below(op, v, _KERAS_IS_TF_KERAS) for op, v in specs)
            keras2 = keras2 or (_keras2_kind(specs), shown, multi_backend)
            held_below_keras3 = True
        elif name in _TENSORFLOW and any(_below(op, v, _TF_WITH_KERAS3) for op, v in specs):
            keras2 = keras2 or (_keras2_kind(specs), shown, False)
            held_below_keras3 = True
        elif name in _TENSORFLOW and any(_at_least(op, v, _TF_WITH_KERAS3) for op, v in specs):
            tensorflow3 = tensorflow3 or shown
        elif name == "keras" or name in _TENSORFLOW:
            mentioned = mentioned or shown
    if keras3:
        return Verdict(KERAS3, keras3, 2)
    if keras2:
        return Verdict(keras2[0], keras2[1], 1, multi_backend=keras2[2], legacy_only=not held_below_keras3,
                       graph_mode=graph_mode)
    if tensorflow3:  # below a tf-keras pin: TensorFlow 2.16+ with legacy Keras
        return Verdict(KERAS3, tensorflow3, 1)
    if mentioned:
        return Verdict(KERAS3, mentioned, 0)
    return Verdict(None)


# ---- dependency files --------------------------------------------------------------------------
def _read(path: str) -> Optional[str]:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return handle.read()
    except OSError:
        return None


def _requirements_file(path: str, depth: int = 0) -> list[str]:
    text = _read(path)
    if text is None:
        return []
    found = []
    for line in text.splitlines():
        line = line.strip()
        include = re.match(r"^(?:-r|-c|--requirement|--constraint)\s*=?\s*(\S+)", line)
        if include and depth < 3:
            found += _requirements_file(os.path.join(os.path.dirname(path), include.group(1)), depth + 1)
        elif line and not line.startswith(("#", "-")):
            found.append(line)
    return found


def _toml(path: str) -> dict:
    text = _read(path)
    if text is None:
        return {}
    try:
        return tomllib.loads(text)
    except Exception:
        return {}


def _poetry_constraint(value) -> str:
    """Poetry's "^2.15" / "~2.15" / "2.15.*" / "*" as a PEP 440 specifier."""
    if isinstance(value, dict):
        value = value.get("version", "")
    if not isinstance(value, str):
        return ""
    value = value.strip()
    if value in ("", "*"):
        return ""
    if value[0] in "^~" and not value.startswith("~="):
        version, _ = _version(value.lstrip("^~"))
        if not version:
            return ""
        if value[0] == "^":
            position = next((i for i, part in enumerate(version) if part), len(version) - 1)
        else:
            position = 1 if len(version) >= 2 else 0
        upper = version[:position] + (version[position] + 1,)
        return f">={'.'.join(map(str, version))},<{'.'.join(map(str, upper))}"
    if value[0].isdigit():
        return "==" + value
    return value


# Each reader below returns (dependencies, optional ones): extras, dependency groups and
# development dependencies still say which Keras a project is written for, but only where
# its real dependencies say nothing.
Declared = tuple[list[str], list[str]]


def _poetry_table(table) -> list[str]:
    return [name + _poetry_constraint(value) for name, value in (table or {}).items()]


def _pyproject(path: str) -> Declared:
    data = _toml(path)
    project, poetry = data.get("project", {}) or {}, data.get("tool", {}).get("poetry", {}) or {}
    found = list(project.get("dependencies", []) or []) + _poetry_table(poetry.get("dependencies"))
    optional = [item for group in (project.get("optional-dependencies", {}) or {}).values() for item in group or []]
    optional += [item for group in (data.get("dependency-groups", {}) or {}).values() for item in group or []]
    optional += _poetry_table(poetry.get("dev-dependencies"))
    for group in (poetry.get("group", {}) or {}).values():
        optional += _poetry_table((group or {}).get("dependencies"))
    return [item for item in found if isinstance(item, str)], [item for item in optional if isinstance(item, str)]


def _pipfile(path: str) -> Declared:
    data = _toml(path)
    return _poetry_table(data.get("packages")), _poetry_table(data.get("dev-packages"))


def _setup_cfg(path: str) -> Declared:
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(path, encoding="utf-8")
        value = parser.get("options", "install_requires", fallback="")
        extras = parser.items("options.extras_require") if parser.has_section("options.extras_require") else []
    except (configparser.Error, UnicodeDecodeError):
        return [], []
    return _lines(value), [line for _, group in extras for line in _lines(group)]


def _lines(value: str) -> list[str]:
    return [line.strip() for line in value.splitlines() if line.strip()]


def _setup_py(path: str) -> Declared:
    text = _read(path)
    if text is None or "_require" not in text:
        return [], []
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return [], []
    lists: dict[str, ast.AST] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, (ast.List, ast.Tuple, ast.Dict)):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    lists[target.id] = node.value
    found: list[str] = []
    optional: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and node.arg in ("install_requires", "extras_require"):
            value = lists.get(node.value.id) if isinstance(node.value, ast.Name) else node.value
            if node.arg == "install_requires":
                found += _strings(value)
            elif isinstance(value, ast.Dict):
                optional += [text for group in value.values for text in _strings(lists.get(group.id) if isinstance(group, ast.Name) else group)]
    return found, optional


def _strings(node: Optional[ast.AST]) -> list[str]:
    return [item.value for item in getattr(node, "elts", []) if isinstance(item, ast.Constant) and isinstance(item.value, str)]


def _environment_yml(path: str) -> list[str]:
    text = _read(path) or ""
    found = []
    for match in re.finditer(r"^\s*-\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*([<>=!~][^#\n]*)?$", text, re.M):
        name, spec = match.group(1), (match.group(2) or "").strip()
        if re.fullmatch(r"=[0-9][0-9.]*\*?", spec):  # conda's `tensorflow=2.15` means 2.15.*
            spec = "==" + spec[1:].rstrip(".*") + ".*"
        found.append(name + spec)
    return found


def _locks(directory: str, names: frozenset) -> list[tuple[str, list[str]]]:
    """(lock file, the versions it locks) for each lock file in `directory`."""
    found = []
    for lock in _LOCK_FILES:
        if lock in names:
            locked = []
            for package in _toml(os.path.join(directory, lock)).get("package", []) or []:
                if isinstance(package, dict) and "name" in package and "version" in package:
                    locked.append(f"{package['name']}=={package['version']}")
            found.append((lock, locked))
    if "Pipfile.lock" in names:
        try:
            data = json.loads(_read(os.path.join(directory, "Pipfile.lock")) or "{}")
        except ValueError:
            data = {}
        locked = []
        for name, value in (data.get("default", {}) or {}).items():
            if isinstance(value, dict) and isinstance(value.get("version"), str):
                locked.append(name + value["version"])
        found.append(("Pipfile.lock", locked))
    return found


def directory_pins(directory: str) -> Verdict:
    """What the dependency declarations in `directory` itself say."""
    try:
        names = frozenset(os.listdir(directory))
    except OSError:
        return Verdict(None)
    sources: list[tuple[str, list[str]]] = []
    optional: list[tuple[str, list[str]]] = []
    for name in sorted(names):
        path = os.path.join(directory, name)
        if _REQUIREMENT_FILE.match(name):
            sources.append((name, _requirements_file(path)))
        elif name in _DECLARATIONS:
            found, extras = _DECLARATIONS[name](path)
            sources.append((name, found))
            optional.append((f"{name} (optional)", extras))
        elif name in ("environment.yml", "environment.yaml"):
            sources.append((name, _environment_yml(path)))
        elif name == "requirements" and os.path.isdir(path):
            for inner in sorted(os.listdir(path)):
                if inner.endswith((".txt", ".in")):
                    sources.append((f"requirements/{inner}", _requirements_file(os.path.join(path, inner))))
    sources += _locks(directory, names)
    optional += _ci_installs(directory, names)
    required = _strongest(sources)
    return required if required.keras else _strongest(optional)


_DECLARATIONS = {"pyproject.toml": _pyproject, "setup.cfg": _setup_cfg, "setup.py": _setup_py, "Pipfile": _pipfile}


def _strongest(sources: list[tuple[str, list[str]]]) -> Verdict:
    """An explicit keras>=3 beats a Keras 2 pin listed elsewhere, which beats an unpinned mention."""
    verdicts = [v for v in (verdict_of(reqs, source) for source, reqs in sources) if v.keras]
    return max(verdicts, key=lambda verdict: verdict.strength, default=Verdict(None))


_PIP_INSTALL = re.compile(r"\bpip3?\s+install\s+([^\n;&|#]*)")


def _settings_files(directory: str, names: frozenset) -> list[str]:
    """The CI and container files of a project folder, in a stable order."""
    found = [os.path.join(directory, name) for name in (*_SETTINGS_FILES, ".travis.yml") if name in names]
    workflows = os.path.join(directory, ".github", "workflows")
    if ".github" in names and os.path.isdir(workflows):
        found += [os.path.join(workflows, name) for name in sorted(os.listdir(workflows))
                  if name.endswith((".yml", ".yaml"))]
    return found


def _ci_installs(directory: str, names: frozenset) -> list[tuple[str, list[str]]]:
    """`pip install tensorflow==1.14` in CI or a Dockerfile: what the project is tested on."""
    found = []
    for path in _settings_files(directory, names):
        text = _read(path) or ""
        if "install" not in text and "conda" not in text and "environment-file" not in text:
            continue
        tokens = [token.strip("\"'") for match in _PIP_INSTALL.finditer(text) for token in match.group(1).split()]
        requirements = []
        for position, token in enumerate(tokens):
            if token in ("-r", "--requirement", "-c", "--constraint") and position + 1 < len(tokens):
                # `pip install -r tools/deps/tensorflow.txt`: a file of the checkout
                requirements += _requirements_file(os.path.join(directory, tokens[position + 1]))
            elif token and not token.startswith(("-", "$")) and (position == 0 or tokens[position - 1] not in (
                    "-r", "--requirement", "-c", "--constraint")):
                requirements.append(token)
        requirements += _conda_environments(directory, text)
        if requirements:
            found.append((os.path.relpath(path, directory), requirements))
    return found


_YAML_PATH = re.compile(r"[\w./-]+\.ya?ml\b")


def _conda_environments(directory: str, text: str) -> list[str]:
    """The packages of the conda environment files of the checkout that a CI file names
    (`environment-file: ci/env.yml`, `conda env create -f envs/tf.yml`, `conda-merge a.yml
    b.yml`): deepchem's CI tests on `tensorflow<2.16` from requirements/tensorflow/*.yml."""
    requirements: list[str] = []
    for name in dict.fromkeys(_YAML_PATH.findall(text)):
        path = os.path.normpath(os.path.join(directory, name))
        if not path.startswith(os.path.normpath(directory) + os.sep) or not os.path.isfile(path):
            continue
        if re.search(r"^dependencies\s*:", _read(path) or "", re.M):
            requirements += _environment_yml(path)
    return requirements


def directory_legacy_env(directory: str) -> Optional[str]:
    """The settings file in `directory` that sets TF_USE_LEGACY_KERAS for the project, if any."""
    try:
        names = frozenset(os.listdir(directory))
    except OSError:
        return None
    for path in _settings_files(directory, names):
        text = _read(path) or ""
        if "TF_USE_LEGACY_KERAS" in text and _LEGACY_ENV_IN_SETTINGS.search(text):
            return os.path.relpath(path, directory)
    return None


def notebook_pins(path: str) -> Optional[Verdict]:
    """`%pip install tensorflow==2.15` / `%env TF_USE_LEGACY_KERAS=1` cells pin a notebook."""
    try:
        data = json.loads(_read(path) or "{}")
    except ValueError:
        return None
    requirements: list[str] = []
    for cell in data.get("cells", []) if isinstance(data, dict) else []:
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source", "")
        source = "".join(source) if isinstance(source, list) else str(source)
        if LEGACY_ENV_IN_CODE.search(source):
            return Verdict(KERAS2, f"{os.path.basename(path)}: sets TF_USE_LEGACY_KERAS", 1, legacy_only=True)
        for match in re.finditer(r"^\s*[%!]\s*pip3?\s+install\s+(.*)$", source, re.M):
            for token in match.group(1).split():
                token = token.strip("\"'")
                if token and not token.startswith("-"):
                    requirements.append(token)
    verdict = verdict_of(requirements, os.path.basename(path))
    return verdict if verdict.keras else None


class PinReader:
    """Directory -> Verdict, each directory read once. A reason names its file relative to
    the directory asked about (`../requirements.txt: tensorflow==2.15.0`), so that
    --show-settings says which of several nested declarations won."""

    def __init__(self):
        self._pins: dict[str, Verdict] = {}
        self._env: dict[str, Optional[str]] = {}

    def verdict(self, directory: str) -> Verdict:
        # No project file above a loose script: its pins may be in any folder above it.
        root = project_root(directory, package_fallback=False)
        chain = []
        current = directory
        while True:
            chain.append(current)
            if current == root or os.path.dirname(current) == current:
                break
            current = os.path.dirname(current)
        pinned = Verdict(None)
        for folder in chain:
            pins = self._pins_of(folder)
            if pins.keras:
                pinned = pins if folder == directory else replace(
                    pins, reason=f"{_relative(folder, directory)}/{pins.reason}")
                break
        for folder in chain:
            legacy = self._legacy(folder)
            if legacy:
                held = pinned.keras in KERAS2_TARGETS and not pinned.legacy_only
                return Verdict(KERAS2, f"{_relative(legacy, directory)} sets TF_USE_LEGACY_KERAS", 1,
                               legacy_only=not held)
        return pinned

    def _pins_of(self, folder: str) -> Verdict:
        if folder not in self._pins:
            self._pins[folder] = directory_pins(folder)
        return self._pins[folder]

    def _legacy(self, folder: str) -> Optional[str]:
        """The file in `folder` that sets TF_USE_LEGACY_KERAS for the code below it (its
        path): a settings file, or, for the top folder of a package, any module of that
        package."""
        if folder not in self._env:
            found = directory_legacy_env(folder)
            if found is not None:
                found = os.path.join(folder, found)
            elif _is_top_package(folder):
                found = _package_legacy_module(folder)
                if found is not None:
                    found = os.path.join(os.path.dirname(folder), found)
            self._env[folder] = found
        return self._env[folder]


def _relative(path: str, directory: str) -> str:
    return os.path.relpath(path, directory).replace(os.sep, "/")


def _is_top_package(folder: str) -> bool:
    return os.path.isfile(os.path.join(folder, "__init__.py")) and not os.path.isfile(
        os.path.join(os.path.dirname(folder), "__init__.py")
    )


def _package_legacy_module(package: str) -> Optional[str]:
    """The first module of the package (in walk order) that sets TF_USE_LEGACY_KERAS:
    importing the package runs it, whichever module does it."""
    for directory, folders, files in os.walk(package):
        folders[:] = sorted(name for name in folders if os.path.isfile(os.path.join(directory, name, "__init__.py")))
        for name in sorted(files):
            if name.endswith(".py"):
                path = os.path.join(directory, name)
                if sets_legacy_keras(_read(path) or ""):
                    return os.path.relpath(path, os.path.dirname(package))
    return None


def project_verdicts(files: Sequence[str]) -> dict[str, Verdict]:
    """Directory (and notebook path) -> Verdict for every checked file, read once per run.
    Only the verdicts that say something are kept."""
    reader = PinReader()
    found: dict[str, Verdict] = {}
    for directory in sorted({os.path.dirname(os.path.abspath(path)) for path in files}):
        verdict = reader.verdict(directory)
        if verdict.keras:
            found[directory] = verdict
    for path in files:
        if path.endswith(".ipynb") and os.path.isfile(path):
            verdict = notebook_pins(path)
            if verdict is not None:
                found[os.path.abspath(path)] = verdict
    return found


def file_verdict(path: str, pins: dict) -> Optional[Verdict]:
    absolute = os.path.abspath(path)
    return pins.get(absolute) or pins.get(os.path.dirname(absolute))


def sets_legacy_keras(text: str) -> bool:
    """Whether module text sets TF_USE_LEGACY_KERAS so that TensorFlow gives tf_keras."""
    return "TF_USE_LEGACY_KERAS" in text and LEGACY_ENV_IN_CODE.search(text) is not None


def tf_keras_through(index, path: str) -> Optional[str]:
    """The project module through which the module at `path` gets tf_keras under a name of
    its own (`from mypkg.compat import keras`, where compat does `import tf_keras as
    keras`), or None. `index` is the run's ProjectIndex."""
    facts = index.modules.get(path)
    if facts is None:
        return None
    for anchor, dotted in facts.imports.values():
        if not anchor and dotted.split(".")[0] in knowledge.KERAS_TOP_LEVEL_PACKAGES:
            continue
        source = index.module_file(path, anchor, dotted)
        if source is not None and index.modules[source].imports_tf_keras:
            return os.path.relpath(source, os.path.dirname(path))
    return None


def file_target(path: str, text: str, index, options, *, forced_by: Optional[str] = None) -> Target:
    """The Keras the file at `path` (its checked text `text`) runs on: what
    FileContext.target gives every rule and what --show-settings prints. `index` is the
    run's ProjectIndex (None: no cross-file knowledge), `options` the run's options
    (engine.prepare_options: target-keras and the projects' pins). `forced_by` only words
    the reason of a forced target (`--target-keras 2`); it decides nothing."""
    pins = options.get(OPTION_PINS)
    through = tf_keras_through(index, path) if index is not None and "keras" in text else None
    return module_target(
        text, file_verdict(path, pins) if pins else None, options.get(OPTION_TARGET, AUTO),
        keras2_import=through, forced_by=forced_by,
    )


def module_target(
    text: str,
    project: Optional[Verdict],
    setting: str,
    *,
    keras2_import: Optional[str] = None,
    forced_by: Optional[str] = None,
) -> Target:
    """The Keras a module runs on (see the module docstring for the order).
    `keras2_import` names the project module through which this one gets tf_keras;
    `forced_by` says where a forced `setting` comes from (default `target-keras = 2`)."""
    if setting != AUTO:
        return Target(setting, f"forced by {forced_by or f'target-keras = {setting}'}")
    if "tf_keras" in text and KERAS2_IMPORT.search(text):
        return Target(KERAS2, "the module imports tf_keras")
    if keras2_import:
        return Target(KERAS2, f"the module gets tf_keras from {keras2_import}")
    if sets_legacy_keras(text):
        return Target(KERAS2, "the module sets TF_USE_LEGACY_KERAS")
    if project is not None and project.keras in KERAS2_TARGETS:
        code = _without_docstrings(text) if project.legacy_only else ""
        if project.legacy_only and STANDALONE_KERAS_IMPORT.search(code) and not TF_KERAS_USE.search(code):
            return Target(KERAS3, f"the module imports keras, which stays Keras 3 beside tf_keras ({project.reason})")
        if KERAS3_MARKERS.search(text):
            return Target(KERAS3, f"the module uses Keras 3 APIs although {project.reason}")
        return Target(project.keras, project.reason, graph_mode=project.graph_mode)
    if project is not None and project.keras == KERAS3:
        if project.strength == 0:
            return Target(KERAS3, f"{project.reason}, unpinned: a fresh install gets Keras 3", assumed=True)
        return Target(KERAS3, project.reason)
    return Target(KERAS3, "no Keras or TensorFlow pin found: a fresh install gets Keras 3", assumed=True)
