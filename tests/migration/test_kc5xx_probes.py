"""`--confirm` data for KC5xx: every entry's probe observes the measured Keras 3
behaviour on the installed Keras (keras 3 comes with the test extra)."""
import pytest

from kerascheck.migration.probes import confirm, member_of
from kerascheck.migration.table import ENTRIES


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
