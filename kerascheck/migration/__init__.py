"""Keras 2 -> Keras 3 migration (the KC5xx rules).

`table` holds the 37 entries of the migration spec as data; `matchers` holds the few
generic matchers the rows configure; `analysis` decides, per project and per module,
whether the code is meant to run on Keras 3 (the rules fire) or stays on Keras 2 (they
stay quiet). `kerascheck.rules.keras3_migration` turns every row into a registered rule;
`kerascheck.confirm.probes.migration` checks the table against an installed Keras for
`--confirm`; `rules/KC5xx.md` are the rules' pages.
"""
