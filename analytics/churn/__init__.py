"""Churn risk per customer (pure: pandas, numpy, scikit-learn; no Django)."""

from analytics.churn.features import bgnbd_no_purchase, churn_features
from analytics.churn.model import BackTest, Band, ChurnResult, churn_risk, risk_band, rule_band

__all__ = [
    "BackTest",
    "Band",
    "ChurnResult",
    "bgnbd_no_purchase",
    "churn_features",
    "churn_risk",
    "risk_band",
    "rule_band",
]
