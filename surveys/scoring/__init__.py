"""The score rules (NPS groups, CSAT top-2-box, CES "easy"), defined once for every app:
`rules` in plain Python (no Django), `expressions` as the matching database expressions."""
