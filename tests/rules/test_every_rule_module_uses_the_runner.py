"""Every rule's test module binds the shared runner's two tests under the names pytest
collects: a module that binds them under other names would silently run no case."""
import importlib
import pathlib

import pytest

MODULES = sorted(
    path.stem
    for path in pathlib.Path(__file__).parent.glob("test_*.py")
    if path.stem != pathlib.Path(__file__).stem
)


@pytest.mark.parametrize("name", MODULES)
def test_binds_the_runner_tests(name):
    module = importlib.import_module(name)
    bound = {
        attribute: value
        for attribute, value in vars(module).items()
        if getattr(value, "__qualname__", "").startswith("rule_tests.")
    }
    assert len(bound) >= 2, f"{name} does not use the shared runner"
    assert all(attribute.startswith("test_") for attribute in bound), f"{name}: {sorted(bound)}"
