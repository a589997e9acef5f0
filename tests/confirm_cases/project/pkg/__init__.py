"""A package whose __init__ also imports a script-like module."""
from pkg.constants import WIDTH
from pkg.report import write_report

__all__ = ["WIDTH", "write_report"]
