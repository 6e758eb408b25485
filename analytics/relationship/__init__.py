"""Relationship analytics: churn risk, lifecycle stages and segments on top of CLV runs."""
