"""KC001: the file could not be parsed.

The engine, not a visitor, produces this finding (a file that does not parse has no
tree to visit); this class gives the code its name, severity and page.
"""
from kerascheck.finding import Severity
from kerascheck.rules.base import Rule


class SyntaxErrorRule(Rule):
    code = "KC001"
    name = "syntax-error"
    severity = Severity.ERROR
    summary = "The file could not be parsed; it is reported and the other files are checked."
    affects = "any Python"
