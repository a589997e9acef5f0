"""kerascheck: a linter for Keras code."""
from kerascheck.api import check_paths, check_source
from kerascheck.finding import Finding, RunError, Severity

# The one place the version is written: the build reads it from here (pyproject.toml,
# [tool.hatch.version]), and `kerascheck --version` and the SARIF report import it.
__version__ = "0.1.0"
__all__ = ["check_paths", "check_source", "Finding", "RunError", "Severity", "__version__"]
