"""The Keras 2 -> Keras 3 wing of the rules: KC501-KC541.

`table` holds the 37 rows of the migration spec as data; `migration_rules` turns every row
into a registered rule class (`rule.MigrationRule`); the matchers the rows configure are
the other modules here: a few generic ones (`symbols`, `calls`, `attributes`, `paths`) and
one module per rule whose check serves that rule alone. Whether a file is meant for Keras 3
at all is kerascheck.semantic.file_state's question. `kerascheck.confirm.probes.migration`
checks the table against an installed Keras for `--confirm`; `rules/KC5xx.md` are the
rules' pages.

This package's own import stays light (the table is read by `--confirm` workers too).
"""
