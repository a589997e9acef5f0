"""--confirm: build the flagged classes with the installed Keras."""
