"""`--confirm` data for KC5xx: every entry's probe observes the measured Keras 3
behaviour on the installed Keras (keras 3 comes with the test extra)."""
import pytest

from kerascheck.confirm.probes.migration import confirm, member_of
from kerascheck.rules.keras3.table import ENTRIES


def test_every_probe_confirms_on_the_installed_keras3():
    pytest.importorskip("keras")
    requests = [(entry.code, "") for entry in ENTRIES]
    results = confirm(requests)
    assert [(code, status) for (code, _), (status, _) in zip(requests, results) if status != "confirmed"] == []
    assert all("Keras 3." in detail for _, detail in results)


def test_probes_take_the_finding_member():
    pytest.importorskip("keras")
    assert confirm([("KC501", "sum"), ("KC501", "epsilon")]) == [
        ("confirmed", "AttributeError: module 'keras.backend' has no attribute 'sum' (Keras "
         + __import__("keras").__version__ + ")"),
        ("not-reproduced", "no AttributeError on Keras " + __import__("keras").__version__),
    ]


@pytest.mark.parametrize(
    "code,text,member",
    [
        ("KC501", "K.set_value", "set_value"),
        ("KC509", "tensorflow.keras.engine.topology", "keras.engine.topology"),
        ("KC515", "model.layers[0].output_shape", "output_shape"),
        ("KC528", "tf.compat.v1.keras.layers.CuDNNLSTM", "CuDNNLSTM"),
    ],
)
def test_member_of(code, text, member):
    assert member_of(code, text) == member


def test_kc506_probe_builds_the_checkpoint_the_finding_is_about():
    # The finding for save_weights_only=True says `.weights.h5`; the confirmation must too.
    pytest.importorskip("keras")
    weights, model = confirm([("KC506", "True"), ("KC506", "False")])
    assert weights[0] == "confirmed" and "save_weights_only=True" in weights[1] and ".weights.h5" in weights[1]
    assert model[0] == "confirmed" and "`.keras`" in model[1] and ".weights.h5" not in model[1]


@pytest.mark.parametrize("source,column,member", [
    ('cb = ModelCheckpoint("best.h5", save_weights_only=True)\n', 22, "True"),
    ('cb = ModelCheckpoint("best.hdf5")\n', 22, "False"),
    ('cb = keras.callbacks.ModelCheckpoint(filepath="w.hdf5", save_weights_only=False)\n', 47, "False"),
    ('cb = ModelCheckpoint("w.h5", "loss", 0, True, True)\n', 22, "True"),  # positional save_weights_only
    ('é = 1; cb = ModelCheckpoint("w.h5", save_weights_only=True)\n', 29, "True"),  # character columns
    ('cb = ModelCheckpoint("w.h5", save_weights_only=flag)\n', 22, None),
    ('cb = other("w.h5", save_weights_only=True)\n', 12, None),
])
def test_kc506_member_is_the_findings_save_weights_only(source, column, member):
    import ast

    from kerascheck.confirm.targets import migration_member

    assert migration_member("KC506", ast.parse(source), source, 1, column)[0] == member
