"""One module per probe group, like the rules: importing this package registers every
probe in :data:`PROBES` (code -> probe function). Imported only in the worker process."""
from kerascheck.confirm.probes import call_contract, serialization, weights  # noqa: F401 - registration
from kerascheck.confirm.probes.base import PROBES

__all__ = ["PROBES"]
