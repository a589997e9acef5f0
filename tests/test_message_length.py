"""Every message reads in one terminal line, as ruff's do: at most MESSAGE_LIMIT
characters of its own (what it quotes of the user's code not counted), with the detail in
the finding's help. Checked on every finding of the fixtures, where most rules fire
(the KC5xx cases and every rule's INVALID cases are checked by their runners, lintutil)."""
import os

import pytest

from kerascheck import check_paths
from kerascheck.config import Settings
from kerascheck.rules.base import MESSAGE_LIMIT, own_length

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
