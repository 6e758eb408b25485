"""A survey's results: per-question counts, filters, cross-tabs, the response list, raw-data
exports and read-only share links. `queries` is the SQL read side, `stats` the pure maths."""
