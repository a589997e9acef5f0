"""KC404's Keras facts (kerascheck/semantic/knowledge.py), checked against the installed
Keras 3 and tf_keras (the test extra installs both; measured with Keras 3.15.1 and
tf_keras 2.21):

- KERAS2_ONLY_SRC / KERAS3_ONLY_SRC are what the two `src` trees' files say: re-derived
  here from the installed packages and compared;
- PUBLIC_HOMES: each home is importable and is the very object the internal module holds;
  a None means that no public module of that Keras holds the object or any attribute of
  that name (`keras.testing` does not exist, `keras.applications.imagenet_utils` exports
  only decode_predictions and preprocess_input).
"""
from __future__ import annotations

import importlib
import importlib.util
import os
import types

import pytest

from kerascheck.semantic import knowledge

# Where each object of PUBLIC_HOMES lives inside Keras 3 and inside tf_keras (the tree
# keras 2.13-2.15 shipped as keras.src); None where that Keras has no such object.
PRIVATE = {
    "Layer": ("keras.src.layers.layer.Layer", "tf_keras.src.engine.base_layer.Layer"),
    "InputSpec": ("keras.src.layers.input_spec.InputSpec", "tf_keras.src.engine.input_spec.InputSpec"),
    "Model": ("keras.src.models.model.Model", "tf_keras.src.engine.training.Model"),
    "Sequential": ("keras.src.models.sequential.Sequential", "tf_keras.src.engine.sequential.Sequential"),
    "Functional": ("keras.src.models.functional.Functional", "tf_keras.src.engine.functional.Functional"),
    "Input": ("keras.src.layers.core.input_layer.Input", "tf_keras.src.engine.input_layer.Input"),
    "InputLayer": ("keras.src.layers.core.input_layer.InputLayer", "tf_keras.src.engine.input_layer.InputLayer"),
    "KerasTensor": ("keras.src.backend.common.keras_tensor.KerasTensor", "tf_keras.src.engine.keras_tensor.KerasTensor"),
    "Node": ("keras.src.ops.node.Node", "tf_keras.src.engine.node.Node"),
    "get_source_inputs": ("keras.src.ops.operation_utils.get_source_inputs",
                          "tf_keras.src.utils.layer_utils.get_source_inputs"),
    "get_custom_objects": ("keras.src.saving.object_registration.get_custom_objects",
                           "tf_keras.src.saving.object_registration.get_custom_objects"),
    "serialize_keras_object": ("keras.src.saving.serialization_lib.serialize_keras_object",
                               "tf_keras.src.saving.serialization_lib.serialize_keras_object"),
    "deserialize_keras_object": ("keras.src.saving.serialization_lib.deserialize_keras_object",
                                 "tf_keras.src.saving.serialization_lib.deserialize_keras_object"),
    "register_keras_serializable": ("keras.src.saving.object_registration.register_keras_serializable",
                                    "tf_keras.src.saving.object_registration.register_keras_serializable"),
    "CustomObjectScope": ("keras.src.saving.object_registration.CustomObjectScope",
                          "tf_keras.src.saving.object_registration.CustomObjectScope"),
    "Progbar": ("keras.src.utils.progbar.Progbar", "tf_keras.src.utils.generic_utils.Progbar"),
    "to_categorical": ("keras.src.utils.numerical_utils.to_categorical", "tf_keras.src.utils.np_utils.to_categorical"),
    "get_file": ("keras.src.utils.file_utils.get_file", "tf_keras.src.utils.data_utils.get_file"),
    "Sequence": ("keras.src.trainers.data_adapters.py_dataset_adapter.PyDataset", "tf_keras.src.utils.data_utils.Sequence"),
    "PyDataset": ("keras.src.trainers.data_adapters.py_dataset_adapter.PyDataset", None),
    "obtain_input_shape": ("keras.src.applications.imagenet_utils.obtain_input_shape",
                           "tf_keras.src.applications.imagenet_utils.obtain_input_shape"),
    "correct_pad": ("keras.src.applications.imagenet_utils.correct_pad",
                    "tf_keras.src.applications.imagenet_utils.correct_pad"),
    "standardize_tuple": ("keras.src.utils.argument_validation.standardize_tuple", None),
    "normalize_tuple": (None, "tf_keras.src.utils.conv_utils.normalize_tuple"),
    "conv_output_length": (None, "tf_keras.src.utils.conv_utils.conv_output_length"),
    "count_params": ("keras.src.utils.summary_utils.count_params", "tf_keras.src.utils.layer_utils.count_params"),
    "to_snake_case": ("keras.src.utils.naming.to_snake_case", "tf_keras.src.utils.generic_utils.to_snake_case"),
    "TestCase": ("keras.src.testing.test_case.TestCase", "tf_keras.src.testing_infra.test_combinations.TestCase"),
}
FLAVOURS = {"keras": 0, "tf_keras": 1}
# Public attributes that share a name with an object of PUBLIC_HOMES but are another
# object, doing something else: not its home.
OTHER_OBJECTS = {
    # counts the elements of one variable; layer_utils.count_params sums a list of weights
    ("count_params", "tf_keras"): ["tf_keras.backend.count_params"],
}


# ---- the src trees ---------------------------------------------------------------------
def _tree(package: str) -> set[str]:
    """The modules below `<package>.src`, relative to it, read from the installed files
    (nothing is imported); test modules left out."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        pytest.skip(f"{package} is not installed")
    base = os.path.join(list(spec.submodule_search_locations)[0], "src")
    found = set()
    for directory, folders, files in os.walk(base):
        folders[:] = [name for name in folders if os.path.isfile(os.path.join(directory, name, "__init__.py"))]
        relative = os.path.relpath(directory, base)
        parts = [] if relative == "." else relative.split(os.sep)
        if parts:
            found.add(".".join(parts))
        found.update(".".join(parts + [name[:-3]]) for name in files if name.endswith(".py") and name != "__init__.py")
    return {name for name in found if not (name.endswith("_test") or ".tests" in f".{name}" or "benchmarks" in name)}


def _covered(name: str, entries: frozenset) -> bool:
    parts = name.split(".")
    return any(
        ".".join(parts[:length]) in entries or (length < len(parts) and ".".join(parts[:length]) + ".*" in entries)
        for length in range(1, len(parts) + 1)
    )


def _shortest(have: set[str], other: set[str]) -> frozenset:
    """The fewest entries that cover every module of `have` missing from `other` and no
    module of `other` (see knowledge.KERAS2_ONLY_SRC)."""
    found: set[str] = set()
    for name in sorted(have, key=lambda item: (item.count("."), item)):
        if _covered(name, frozenset(found)):
            continue
        if name not in other:
            found.add(name)
        elif any(item.startswith(name + ".") for item in have) and not any(item.startswith(name + ".") for item in other):
            found.add(name + ".*")
    return frozenset(found)


def test_the_src_trees_are_the_installed_ones():
    keras3, keras2 = _tree("keras"), _tree("tf_keras")
    assert knowledge.KERAS2_ONLY_SRC == _shortest(keras2, keras3)
    assert knowledge.KERAS3_ONLY_SRC == _shortest(keras3, keras2)
    # what the rule relies on: no entry claims a module the other Keras has
    assert not [name for name in keras3 if _covered(name, knowledge.KERAS2_ONLY_SRC)]
    assert not [name for name in keras2 if _covered(name, knowledge.KERAS3_ONLY_SRC)]


# ---- the public homes --------------------------------------------------------------------
def _resolve(dotted: str):
    module, _, name = dotted.rpartition(".")
    return getattr(importlib.import_module(module), name)


def _attribute(module: types.ModuleType, name: str):
    try:
        return getattr(module, name)
    except Exception:  # noqa: BLE001 - a lazy attribute that fails to load holds nothing
        return None


def _public_modules(package: str) -> dict[str, types.ModuleType]:
    """Every public module reachable from the package by public attributes (no `src`,
    no `_private` module)."""
    root = importlib.import_module(package)
    found: dict[str, types.ModuleType] = {}
    stack = [root]
    while stack:
        module = stack.pop()
        if module.__name__ in found:
            continue
        found[module.__name__] = module
        for name in dir(module):
            value = _attribute(module, name)
            if (isinstance(value, types.ModuleType) and not name.startswith("_")
                    and value.__name__.startswith(package + ".") and ".src" not in value.__name__
                    and "._" not in value.__name__):
                stack.append(value)
    return found


@pytest.fixture(scope="module")
def public():
    pytest.importorskip("keras")
    pytest.importorskip("tf_keras")
    return {package: _public_modules(package) for package in FLAVOURS}


def test_every_name_has_its_private_locations():
    assert set(PRIVATE) == set(knowledge.PUBLIC_HOMES)


@pytest.mark.parametrize("package", FLAVOURS)
@pytest.mark.parametrize("name", sorted(knowledge.PUBLIC_HOMES))
def test_the_public_home(public, package, name):
    home = knowledge.PUBLIC_HOMES[name][FLAVOURS[package]]
    location = PRIVATE[name][FLAVOURS[package]]
    private = _resolve(location) if location else None
    if home is not None:
        spelled = package + home[len("keras"):]
        found = _resolve(spelled)
        assert location is None or found is private, f"{spelled} is not {location}"
        return
    holders = [
        f"{module_name}.{attribute}"
        for module_name, module in public[package].items()
        for attribute in dir(module)
        if attribute == name or (private is not None and _attribute(module, attribute) is private)
    ]
    assert holders == OTHER_OBJECTS.get((name, package), []), f"{name} has a public home on {package}: {holders}"
    assert not [holder for holder in holders if _resolve(holder) is private]
