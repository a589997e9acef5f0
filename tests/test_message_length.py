"""Every message reads in one terminal line, as ruff's do: at most MESSAGE_LIMIT
characters of its own (what it quotes of the user's code not counted), with the detail in
the finding's help. Checked on every finding of the fixtures, where most rules fire
(the KC5xx cases and every rule's INVALID cases are checked by their runners, lintutil)."""
import os

import pytest

from kerascheck import check_paths
from kerascheck.config import Settings
from kerascheck.rules.base import MESSAGE_LIMIT, beyond_message, own_length

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TREES = [os.path.join(ROOT, "fixtures"), os.path.join(ROOT, "tests", "migration_fixture")]


def _findings():
    settings = Settings(select=("ALL",))
    return [finding for tree in TREES for finding in check_paths([tree], config=settings).findings]


FINDINGS = _findings()


def test_the_fixtures_yield_findings_of_many_rules():
    assert len({finding.code for finding in FINDINGS}) >= 25


@pytest.mark.parametrize("finding", FINDINGS, ids=[f"{f.code}-{os.path.basename(f.path)}:{f.line}" for f in FINDINGS])
def test_the_message_is_short_and_the_detail_is_in_help(finding):
    assert own_length(finding.message) <= MESSAGE_LIMIT, finding.message
    assert finding.help, finding.message


def test_own_length_counts_quoted_code_as_three_characters():
    assert own_length("tf.Variable `self.kernel_weights` on a layer") == len("tf.Variable ... on a layer")
    assert own_length("'w' is set") == len("... is set")
    assert own_length('raises "an error"') == len('raises "an error"')


def test_own_length_does_not_pair_the_apostrophes_of_prose():
    message = "Keras's own __call__ never runs and the layer's weights stay"
    assert own_length(message) == len(message)
    assert own_length("Keras's 'w' is set") == len("Keras's ... is set")


def test_the_help_does_not_repeat_what_the_message_says():
    message = "tf.Variable 'w' on a layer: on Keras 3 (unpinned), it is not in layer.weights, not trained"
    help = "on Keras 3 (unpinned), it is not in layer.weights, not trained; create it with self.add_weight(...)"
    assert beyond_message(message, help) == "create it with self.add_weight(...)"


def test_the_help_keeps_an_exception_name_a_continuation_and_a_whole_repeat():
    # the exception's bare name is in the message, its quoted error is not
    assert beyond_message("`K.sum` fails (AttributeError)", "AttributeError: no attribute 'sum'; use ops.sum") == (
        "AttributeError: no attribute 'sum'; use ops.sum")
    # a cut never leaves the help starting with "so", "and", ...
    message = "reduce_mean() ignores the mask: the padded steps are included"
    help = "the padded steps are included, so the result changes with the padding length; weight by the mask"
    assert beyond_message(message, help) == help
    # nothing left: the help stays whole
    assert beyond_message("a b c: d e f", "d e f") == "d e f"


def test_no_finding_help_repeats_its_message_opening():
    for finding in FINDINGS:
        assert beyond_message(finding.message, finding.help) == finding.help, finding.code
