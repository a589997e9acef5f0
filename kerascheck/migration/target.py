"""Which Keras a module is written for: the KC5xx rules fire only for Keras 3 code.

The spec's order (last section of the migration table):

1. explicit Keras 2 markers in the module (`import tf_keras`, `TF_USE_LEGACY_KERAS` set to
   "1"/"true"/"True") -> quiet;
2. explicit Keras 3 markers (`keras.ops`, `keras_core`, `KERAS_BACKEND`...) -> fire;
3. the project's dependency pins: `keras<3`, `tensorflow<2.16`, `tf-keras` -> quiet;
   `keras>=3`, `tensorflow>=2.16`, unpinned or no pins at all -> fire (a fresh install
   gets Keras 3 today).

`target-keras = "3"` / `"2"` overrides all of this. Pins are read once per run, in the
main process, for every directory that holds a checked file (`project_verdicts`); the
per-module markers are two regular expressions over the module's text.
"""
from __future__ import annotations

import ast
import configparser
import json
import os
import re
from dataclasses import dataclass
from typing import Iterable, Optional, Sequence

try:  # pragma: no cover - Python < 3.11
    import tomllib
except ImportError:  # pragma: no cover
    import tomli as tomllib

AUTO, KERAS3, KERAS2 = "auto", "3", "2"
TARGETS = (AUTO, KERAS3, KERAS2)
# The option names the engine hands to rules (FileContext.options).
OPTION_TARGET = "target_keras"
OPTION_PINS = "keras_pins"

_KERAS3 = (3, 0)
_TF_WITH_KERAS3 = (2, 16)
# Distributions whose version decides which Keras `import keras` / `tf.keras` gives.
_TENSORFLOW = frozenset(
    {"tensorflow", "tensorflow-cpu", "tensorflow-gpu", "tensorflow-macos", "tensorflow-intel",
     "tensorflow-aarch64", "tensorflow-cpu-aws", "intel-tensorflow"}
)
_TF_KERAS = frozenset({"tf-keras"})
_KERAS3_ONLY = frozenset({"keras-core", "keras-nightly", "tf-nightly", "tf-nightly-cpu"})
_PROJECT_MARKERS = ("pyproject.toml", "setup.py", "setup.cfg")
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
KERAS3_MARKERS = re.compile(
    r"\bkeras_core\b|\bkeras\.ops\b|^[ \t]*from[ \t]+keras[ \t]+import[^\n]*\bops\b"
    r"|\bkeras\.random\.SeedGenerator\b|\bkeras\.Variable\b|\bkeras\.config\.\w"
    r"|\bkeras\.saving\.register_keras_serializable\b|\bTFSMLayer\b|\bPyDataset\b"
    r"|\bKERAS_BACKEND\b|\bmodel\.export\(",
    re.M,
)


@dataclass(frozen=True)
class Verdict:
    """What a project's (or notebook's) declarations say: keras "2", "3", or None
    (nothing about Keras or TensorFlow), and where that came from."""

    keras: Optional[str]
    reason: str = ""
    # How explicit: 2 an explicit Keras 3 pin (keras>=3), 1 a Keras 2 pin, 0 a mention
    # without an upper bound (a fresh install gets Keras 3).
    strength: int = 0


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
    keras3 = keras2 = mentioned = None
    for text in requirements:
        parsed = parse_requirement(text)
        if parsed is None:
            continue
        name, specs = parsed
        shown = f"{source}: {text.strip()}"
        if name in _KERAS3_ONLY or (name == "keras" and any(_at_least(op, v, _KERAS3) for op, v in specs)):
            keras3 = keras3 or shown
        elif name in _TF_KERAS:
            keras2 = keras2 or shown
        elif name == "keras" and any(_below(op, v, _KERAS3) for op, v in specs):
            keras2 = keras2 or shown
        elif name in _TENSORFLOW and any(_below(op, v, _TF_WITH_KERAS3) for op, v in specs):
            keras2 = keras2 or shown
        elif name == "keras" or name in _TENSORFLOW:
            mentioned = mentioned or shown
    if keras3:
        return Verdict(KERAS3, keras3, 2)
    if keras2:
        return Verdict(KERAS2, keras2, 1)
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


def _pyproject(path: str) -> list[str]:
    data = _toml(path)
    found = list(data.get("project", {}).get("dependencies", []) or [])
    poetry = data.get("tool", {}).get("poetry", {})
    for name, value in (poetry.get("dependencies", {}) or {}).items():
        found.append(name + _poetry_constraint(value))
    return [item for item in found if isinstance(item, str)]


def _pipfile(path: str) -> list[str]:
    packages = _toml(path).get("packages", {}) or {}
    return [name + _poetry_constraint(value) for name, value in packages.items()]


def _setup_cfg(path: str) -> list[str]:
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(path, encoding="utf-8")
        value = parser.get("options", "install_requires", fallback="")
    except (configparser.Error, UnicodeDecodeError):
        return []
    return [line.strip() for line in value.splitlines() if line.strip()]


def _setup_py(path: str) -> list[str]:
    text = _read(path)
    if text is None or "install_requires" not in text:
        return []
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return []
    lists: dict[str, list[str]] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, (ast.List, ast.Tuple)):
            strings = _strings(node.value)
            for target in node.targets:
                if isinstance(target, ast.Name):
                    lists[target.id] = strings
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and node.arg == "install_requires":
            if isinstance(node.value, (ast.List, ast.Tuple)):
                found += _strings(node.value)
            elif isinstance(node.value, ast.Name):
                found += lists.get(node.value.id, [])
    return found


def _strings(node: ast.AST) -> list[str]:
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


def _locks(directory: str, names: frozenset) -> list[str]:
    found = []
    for lock in _LOCK_FILES:
        if lock in names:
            for package in _toml(os.path.join(directory, lock)).get("package", []) or []:
                if isinstance(package, dict) and "name" in package and "version" in package:
                    found.append(f"{package['name']}=={package['version']}")
    if "Pipfile.lock" in names:
        try:
            data = json.loads(_read(os.path.join(directory, "Pipfile.lock")) or "{}")
        except ValueError:
            data = {}
        for name, value in (data.get("default", {}) or {}).items():
            if isinstance(value, dict) and isinstance(value.get("version"), str):
                found.append(name + value["version"])
    return found


def directory_pins(directory: str) -> Verdict:
    """What the dependency declarations in `directory` itself say."""
    try:
        names = frozenset(os.listdir(directory))
    except OSError:
        return Verdict(None)
    sources: list[tuple[str, list[str]]] = []
    for name in sorted(names):
        path = os.path.join(directory, name)
        if _REQUIREMENT_FILE.match(name):
            sources.append((name, _requirements_file(path)))
        elif name == "pyproject.toml":
            sources.append((name, _pyproject(path)))
        elif name == "setup.cfg":
            sources.append((name, _setup_cfg(path)))
        elif name == "setup.py":
            sources.append((name, _setup_py(path)))
        elif name in ("environment.yml", "environment.yaml"):
            sources.append((name, _environment_yml(path)))
        elif name == "Pipfile":
            sources.append((name, _pipfile(path)))
        elif name == "requirements" and os.path.isdir(path):
            for inner in sorted(os.listdir(path)):
                if inner.endswith((".txt", ".in")):
                    sources.append((f"requirements/{inner}", _requirements_file(os.path.join(path, inner))))
    locked = _locks(directory, names)
    if locked:
        sources.append(("lock file", locked))
    verdicts = [v for v in (verdict_of(reqs, source) for source, reqs in sources) if v.keras]
    # An explicit keras>=3 beats a tf-keras listed elsewhere, which beats an unpinned mention.
    return max(verdicts, key=lambda verdict: verdict.strength, default=Verdict(None))


def directory_legacy_env(directory: str) -> Optional[str]:
    """The settings file in `directory` that sets TF_USE_LEGACY_KERAS for the project, if any."""
    candidates = [os.path.join(directory, name) for name in _SETTINGS_FILES]
    workflows = os.path.join(directory, ".github", "workflows")
    if os.path.isdir(workflows):
        candidates += [os.path.join(workflows, name) for name in sorted(os.listdir(workflows))
                       if name.endswith((".yml", ".yaml"))]
    for path in candidates:
        if os.path.isfile(path):
            text = _read(path) or ""
            if "TF_USE_LEGACY_KERAS" in text and _LEGACY_ENV_IN_SETTINGS.search(text):
                return os.path.relpath(path, directory)
    return None


def _project_root(directory: str) -> str:
    """The git work tree, else the nearest folder with a project file (pyproject.toml,
    setup.py, setup.cfg), else the filesystem root: pins are then looked for in every
    folder above, the nearest declaration winning."""
    current, marked = directory, None
    while True:
        if os.path.exists(os.path.join(current, ".git")):
            return current
        if marked is None and any(os.path.isfile(os.path.join(current, m)) for m in _PROJECT_MARKERS):
            marked = current
        parent = os.path.dirname(current)
        if parent == current:
            return marked or current
        current = parent


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
            return Verdict(KERAS2, f"{os.path.basename(path)}: sets TF_USE_LEGACY_KERAS", 1)
        for match in re.finditer(r"^\s*[%!]\s*pip3?\s+install\s+(.*)$", source, re.M):
            for token in match.group(1).split():
                token = token.strip("\"'")
                if token and not token.startswith("-"):
                    requirements.append(token)
    verdict = verdict_of(requirements, os.path.basename(path))
    return verdict if verdict.keras else None


class PinReader:
    """Directory -> Verdict, each directory read once."""

    def __init__(self):
        self._pins: dict[str, Verdict] = {}
        self._env: dict[str, Optional[str]] = {}
        self._init: dict[str, bool] = {}

    def verdict(self, directory: str) -> Verdict:
        root = _project_root(directory)
        chain = []
        current = directory
        while True:
            chain.append(current)
            if current == root or os.path.dirname(current) == current:
                break
            current = os.path.dirname(current)
        for folder in chain:
            legacy = self._legacy(folder)
            if legacy:
                return Verdict(KERAS2, legacy, 1)
        for folder in chain:
            pins = self._pins_of(folder)
            if pins.keras:
                return pins
        return Verdict(None)

    def _pins_of(self, folder: str) -> Verdict:
        if folder not in self._pins:
            self._pins[folder] = directory_pins(folder)
        return self._pins[folder]

    def _legacy(self, folder: str) -> Optional[str]:
        if folder not in self._env:
            found = directory_legacy_env(folder)
            init = os.path.join(folder, "__init__.py")
            if found is None and os.path.isfile(init):
                text = _read(init) or ""
                if "TF_USE_LEGACY_KERAS" in text and LEGACY_ENV_IN_CODE.search(text):
                    found = os.path.relpath(init, folder) + " sets TF_USE_LEGACY_KERAS"
            elif found is not None:
                found = f"{found} sets TF_USE_LEGACY_KERAS"
            self._env[folder] = found
        return self._env[folder]


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


def module_keras(text: str, project: Optional[Verdict], target: str) -> tuple[bool, str]:
    """(whether the KC5xx rules run on this module, why)."""
    if target == KERAS2:
        return False, "target-keras = 2"
    if target == KERAS3:
        return True, "target-keras = 3"
    if "tf_keras" in text and KERAS2_IMPORT.search(text):
        return False, "the module imports tf_keras (Keras 2)"
    if "TF_USE_LEGACY_KERAS" in text and LEGACY_ENV_IN_CODE.search(text):
        return False, "the module sets TF_USE_LEGACY_KERAS"
    if project is not None and project.keras == KERAS2:
        if KERAS3_MARKERS.search(text):
            return True, "the module uses Keras 3 APIs although the project pins Keras 2"
        return False, project.reason
    return True, project.reason if project is not None and project.reason else "no Keras 2 pin"
