"""A fix leaves no dead import (kerascheck.fix.orphans): the binding whose last use the
fixes removed goes, and nothing else does."""
import textwrap

import libcst as cst
import pytest

from kerascheck.api import fix_source
from kerascheck.config import Settings
from kerascheck.fix.apply import apply_fixes, code_of
from kerascheck.rules.base import Fix


def _fixed(source: str, old: str, new: str) -> str:
    """`source` with every call written `old` replaced by `new` through apply_fixes, as a
    rule's Fix would do it."""
    module = cst.parse_module(textwrap.dedent(source))
    calls = [node for node in _calls(module) if module.code_for_node(node) == old]
    assert calls, f"no `{old}` in the source"
    fixes = [Fix.replace(call, cst.parse_expression(new), safe=True, description="test") for call in calls]
    return code_of(apply_fixes(module, fixes))


def _calls(module):
    found = []

    class Collect(cst.CSTVisitor):
        def visit_Call(self, node):
            found.append(node)

    module.visit(Collect())
    return found


def test_kc501_fix_removes_the_backend_import_it_orphaned():
    """The fixture of the issue: KC501's fix used to leave `from keras import backend as K`."""
    source = textwrap.dedent("""\
        from keras import backend as K
        import keras


        def weighted_sum(x, weights):
            return K.sum(x * weights, axis=-1) + K.mean(x)
        """)
    fixed, left, errors = fix_source(source, config=Settings(select=("KC501",), target_keras="3"))
    assert errors == [] and left == []
    assert fixed == textwrap.dedent("""\
        import keras


        def weighted_sum(x, weights):
            return keras.ops.sum(x * weights, axis=-1) + keras.ops.mean(x)
        """)


def test_an_import_still_used_elsewhere_stays():
    source = """\
        from keras import backend as K

        a = K.sum(x)
        b = K.epsilon()
    """
    assert _fixed(source, "K.sum(x)", "ops.sum(x)") == textwrap.dedent(source).replace("K.sum(x)", "ops.sum(x)")


def test_an_import_unused_before_the_fix_stays():
    source = """\
        import os
        from keras import backend as K

        a = K.sum(x)
    """
    assert _fixed(source, "K.sum(x)", "ops.sum(x)") == "import os\n\na = ops.sum(x)\n"


def test_only_the_orphaned_alias_leaves_its_line():
    source = """\
        from keras import (
            backend as K,
            layers,
        )
        import numpy as np, tensorflow as tf

        a = K.sum(layers.Dense(1)(np.ones(1)))
        b = tf.reduce_sum(a)
    """
    assert _fixed(source, "tf.reduce_sum(a)", "ops.sum(a)") == (
        "from keras import (\n    backend as K,\n    layers,\n)\nimport numpy as np\n\n"
        "a = K.sum(layers.Dense(1)(np.ones(1)))\nb = ops.sum(a)\n"
    )
    # Both names of the parenthesized import orphaned: the statement goes.
    assert _fixed(source, "K.sum(layers.Dense(1)(np.ones(1)))", "ops.sum(np.ones(1))") == (
        "import numpy as np, tensorflow as tf\n\na = ops.sum(np.ones(1))\nb = tf.reduce_sum(a)\n"
    )
    assert _fixed("from keras import backend as K, layers\na = K.sum(x)\nb = layers\n", "K.sum(x)", "ops.sum(x)") == (
        "from keras import layers\na = ops.sum(x)\nb = layers\n"
    )
    assert _fixed("import os; from keras import backend as K; import sys\na = K.sum(x)\n", "K.sum(x)", "ops.sum(x)") == (
        "import os; import sys\na = ops.sum(x)\n"
    )


def test_comments_above_a_removed_import_stay():
    source = """\
        import keras

        # The Keras 2 backend, for the old losses.
        from keras import backend as K

        a = K.sum(x)
    """
    assert _fixed(source, "K.sum(x)", "keras.ops.sum(x)") == (
        "import keras\n\n# The Keras 2 backend, for the old losses.\n\na = keras.ops.sum(x)\n"
    )


@pytest.mark.parametrize("source", [
    # another binding of the name: the import may be the fallback of something else
    "from keras import backend as K\nif old:\n    K = None\na = K.sum(x)\n",
    "try:\n    from keras import backend as K\nexcept ImportError:\n    K = None\na = K.sum(x)\n",
    "from keras import backend as K\nfrom tf_keras import backend as K\na = K.sum(x)\n",
    # named in a string: exported, or an annotation in quotes
    '__all__ = ["K"]\nfrom keras import backend as K\na = K.sum(x)\n',
    'from keras import backend as K\ndef f(t: "K.Tensor"):\n    return K.sum(t)\n',
    # a star import and a __future__ import are never touched
    "from __future__ import annotations\nfrom keras.backend import *\na = sum(x)\n",
])
def test_kept_when_the_answer_is_not_sure(source):
    old = "K.sum(x)" if "K.sum(x)" in source else "K.sum(t)" if "K.sum(t)" in source else "sum(x)"
    fixed = _fixed(source, old, "ops.sum(x)")
    assert fixed == source.replace(old, "ops.sum(x)")


def test_a_local_of_the_same_name_keeps_the_import():
    """The name is counted wherever it is read: a function's own `K` keeps it (on the
    side of keeping)."""
    source = "from keras import backend as K\na = K.sum(x)\ndef f(K):\n    return K\n"
    assert _fixed(source, "K.sum(x)", "ops.sum(x)") == source.replace("K.sum(x)", "ops.sum(x)")


def test_the_edits_a_finding_shows_include_the_import_removal():
    """JSON shows a fix's edits: the orphaned import's removal is one of them."""
    from kerascheck import check_source

    source = "from keras import backend as K\nimport keras\n\nx = K.sum(keras.Input((3,)))\n"
    [finding] = check_source(source, config=Settings(select=("KC501",), target_keras="3"))
    assert any(edit.line == 1 and edit.end_line == 2 and edit.content == "" for edit in finding.fix.edits)
