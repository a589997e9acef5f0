"""Script-like: importing it for real writes a file next to it."""
import os

MARKER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "REPORT_WRITTEN.txt")
with open(MARKER, "w") as handle:
    handle.write("the top level of pkg/report.py ran\n")


def write_report(path):
    with open(path, "w") as handle:
        handle.write("report\n")
