"""Satisfaction signals as churn features, as of a date (pure pandas).

`signals` rows: customer_id, at (naive local time), kind, where kind is one of
"promoter", "passive", "detractor" (an NPS answer), "negative" (negative feedback) and
"case_opened" / "case_closed" (a service case; a case is open between the two). Only rows
at or before the date count, so the back-test sees what was known at its cutoff.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

SIGNAL_COLUMNS = [
    "last_nps_detractor",
    "last_nps_promoter",
    "negative_feedback_recent",
    "open_case",
]
NPS_KINDS = ("promoter", "passive", "detractor")
RECENT_DAYS = 180


def signal_features(signals: pd.DataFrame, *, as_of, index: pd.Index) -> pd.DataFrame:
    """0/1 indicators per customer of `index`: last NPS answer a detractor / a promoter,
    negative feedback within RECENT_DAYS, a case open at `as_of`."""
    end = pd.Timestamp(as_of).normalize() + pd.Timedelta(days=1)
    out = pd.DataFrame(0.0, index=index, columns=SIGNAL_COLUMNS)
    if signals is None or signals.empty:
        return out
    moments = pd.to_datetime(signals["at"])
    known = signals[(moments < end).to_numpy()].assign(at=moments[moments < end])
    nps = known[known["kind"].isin(NPS_KINDS)].sort_values("at", kind="stable")
    last = nps.groupby("customer_id")["kind"].last()
    out["last_nps_detractor"] = (last == "detractor").reindex(index, fill_value=False).astype(float)
    out["last_nps_promoter"] = (last == "promoter").reindex(index, fill_value=False).astype(float)
    recent = known[(known["kind"] == "negative")
                   & (known["at"] >= end - pd.Timedelta(days=RECENT_DAYS))]  # fmt: skip
    out["negative_feedback_recent"] = index.isin(recent["customer_id"].unique()).astype(float)
    opened = known[known["kind"] == "case_opened"].groupby("customer_id").size()
    closed = known[known["kind"] == "case_closed"].groupby("customer_id").size()
    balance = opened.sub(closed, fill_value=0)
    out["open_case"] = (balance > 0).reindex(index, fill_value=False).astype(float)
    return out.astype(np.float64)
