"""Pure metric computations (no Django): NPS, CSAT, CES, loyalty, RFM, service, scorecard.

Django query code aggregates in SQL and passes counts or small frames in. Conventions, used in
every module: rates and shares are percentages in 0…100 (NPS in −100…100); a metric with no
data is ``None`` rather than 0 or an exception, so a dashboard can show "—".
"""
