"""--confirm: build the flagged classes with the installed Keras."""


class KerasMissing(ImportError):
    """--confirm had findings to confirm and no Keras could be imported. The run cannot
    do what it was asked, so it stops: the CLI says this once and exits 2. Here, not in
    the runner, so that the CLI names it without importing the runner."""
