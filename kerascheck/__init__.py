"""kerascheck: a linter for Keras code."""
from kerascheck.api import check_paths, check_source
from kerascheck.finding import Finding, RunError, Severity

__version__ = "0.1.0"
__all__ = ["check_paths", "check_source", "Finding", "RunError", "Severity", "__version__"]
