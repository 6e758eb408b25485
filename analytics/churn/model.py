"""Churn risk: P(no purchase within a horizon), learnt from a back-test on the same history.

The model is a logistic regression on the features of :mod:`analytics.churn.features`, fitted
at an earlier cutoff (as_of − window) with the label "no purchase in (cutoff, as_of]", where the
window is the horizon when the history allows, otherwise the longest window that leaves every
customer `MIN_HISTORY_DAYS` of history at the cutoff. BG/NBD's own P(no purchase in the window)
is one feature, so a window shorter than the horizon is carried over by that model's horizon.
Out-of-fold predictions of the back-test give its AUC and calibration. Satisfaction signals are
added only when they raise the back-test AUC by at least `SIGNAL_MIN_GAIN`.

With too little history (a window under `MIN_WINDOW_DAYS`, fewer than `MIN_CUSTOMERS`, or fewer
than `MIN_CLASS` customers who did / did not buy again) no probability is given: the stated
rule of :func:`rule_band` sorts customers into bands instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import optimize
from scipy.special import expit
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss, roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from analytics.churn.features import FEATURE_COLUMNS, churn_features
from analytics.churn.signals import SIGNAL_COLUMNS, signal_features
from analytics.clv.bgnbd import BgNbdParams
from analytics.clv.summary import purchase_days

MIN_HISTORY_DAYS = 90
MIN_WINDOW_DAYS = 28
MIN_CUSTOMERS = 100
MIN_CLASS = 20
SIGNAL_MIN_GAIN = 0.005
FOLDS = 5
EVAL_CUSTOMERS = 40_000
HIGH_RISK = 0.7
MEDIUM_RISK = 0.4


class Band:
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


@dataclass
class BackTest:
    """What the back-test found: the window used and the model's out-of-fold quality."""

    method: str  # "model" or "rule"
    horizon_days: int
    window_days: int = 0
    cutoff: str = ""
    customers: int = 0
    observed_share: float | None = None
    mean_predicted: float | None = None
    auc: float | None = None
    recency_auc: float | None = None
    brier: float | None = None
    calibration: list[dict] = field(default_factory=list)
    signals_used: bool = False
    signals_auc_gain: float | None = None
    level_shift: float | None = None  # log-odds shift to BG/NBD's level (window < horizon)
    reason: str = ""  # why the rule was used ("few_customers", "short_history", "one_class")

    def as_dict(self) -> dict:
        return dict(self.__dict__)


@dataclass
class ChurnResult:
    """Per-customer risk (NaN under the rule), band and the features the reasons come from."""

    frame: pd.DataFrame  # index customer id; churn_risk, churn_band + feature columns
    backtest: BackTest


@threadpool_limits.wrap(limits=1)  # one thread: see analytics.clv
def churn_risk(
    transactions: pd.DataFrame,
    *,
    as_of: pd.Timestamp | str,
    horizon_days: int,
    signals: pd.DataFrame | None = None,
    bgnbd: BgNbdParams | None = None,
) -> ChurnResult:
    """Churn risk of every customer who bought up to `as_of` for the next `horizon_days`.

    `transactions`: customer_id, ordered_at (naive local), amount. `signals` (optional):
    customer_id, at, kind — see :mod:`analytics.churn.signals`. `bgnbd`: parameters (time in
    days) already fitted on the same history up to `as_of`, to save fitting them again.
    """
    if int(horizon_days) <= 0:
        raise ValueError("horizon_days must be a positive number of days")
    horizon = int(horizon_days)
    end = pd.Timestamp(as_of).normalize()
    days = pd.to_datetime(transactions["ordered_at"]).dt.normalize()
    transactions = transactions[(days <= end).to_numpy()]
    days = days[days <= end]
    per_day = purchase_days(transactions, end=end)  # one grouping for now and every cutoff
    now, _ = churn_features(None, as_of=end, horizon_days=horizon, bgnbd=bgnbd, per_day=per_day)
    backtest = BackTest(method="rule", horizon_days=horizon, customers=len(now))
    window = _window(days, end, horizon)
    if len(now) < MIN_CUSTOMERS:
        backtest.reason = "few_customers"
    elif window < MIN_WINDOW_DAYS:
        backtest.reason = "short_history"
    else:
        fitted = _fit_backtest(transactions, days, per_day, end, window, signals, backtest)
        if fitted is not None:
            model, columns = fitted
            x_now = _with_signals(now, signals, end, columns)
            risk = model.predict_proba(x_now[columns].to_numpy())[:, 1]
            if backtest.window_days < horizon:
                risk = _anchor_level(risk, float(now["bgnbd_none"].mean()), backtest)
            return ChurnResult(_finish(now, risk, horizon), backtest)
    return ChurnResult(_finish(now, np.full(len(now), np.nan), horizon), backtest)


def rule_band(recency_days, rhythm_days, horizon_days: int) -> np.ndarray:
    """The stated rule without a model: high when the days since the last order exceed both
    twice the customer's own mean gap and the horizon; medium when they exceed the own gap
    (one-time buyers: half the horizon); low otherwise."""
    recency = np.asarray(recency_days, dtype="float64")
    rhythm = np.asarray(rhythm_days, dtype="float64")
    own = np.where(np.isnan(rhythm), horizon_days / 2.0, rhythm)
    high = (recency > np.maximum(2 * own, horizon_days)) | (
        np.isnan(rhythm) & (recency > horizon_days)
    )
    bands = np.where(recency > own, Band.MEDIUM, Band.LOW).astype(object)
    bands[high] = Band.HIGH
    return bands


def risk_band(risk: np.ndarray) -> np.ndarray:
    bands = np.where(risk >= MEDIUM_RISK, Band.MEDIUM, Band.LOW).astype(object)
    bands[risk >= HIGH_RISK] = Band.HIGH
    return bands


def _finish(now: pd.DataFrame, risk: np.ndarray, horizon: int) -> pd.DataFrame:
    out = now.copy()
    out["churn_risk"] = risk
    if len(risk) and not np.isnan(risk).all():
        out["churn_band"] = risk_band(risk)
    else:
        out["churn_band"] = rule_band(now["recency_days"], now["rhythm_days"], horizon)
    return out


def _window(days: pd.Series, end: pd.Timestamp, horizon: int) -> int:
    """The back-test's label window: the horizon, or what the history leaves after
    MIN_HISTORY_DAYS since the first purchase."""
    if days.empty:
        return 0
    span = int((end - days.min()).days)
    return max(0, min(horizon, span - MIN_HISTORY_DAYS))


def _labelled(transactions, days, per_day, end, window, signals, columns, bgnbd=None):
    """Features at end − window, the label "no purchase in (cutoff, end]" and the BG/NBD fit
    the features used (fitted on the history up to the cutoff unless given)."""
    cutoff = end - pd.Timedelta(days=window)
    then, bgnbd = churn_features(None, as_of=cutoff, horizon_days=window, bgnbd=bgnbd,
                                 per_day=per_day)  # fmt: skip
    bought = transactions["customer_id"].to_numpy()[(days > cutoff).to_numpy()]
    y = (~then.index.isin(pd.unique(bought))).astype(int)
    return _with_signals(then, signals, cutoff, columns), y, bgnbd


def _fit_backtest(transactions, days, per_day, end, window, signals, backtest: BackTest):
    """Fit on two stacked back-tests (the window and two thirds of it, both ending at `end`);
    evaluate out of fold, grouped by customer, on the full window's rows."""
    all_columns = FEATURE_COLUMNS + (SIGNAL_COLUMNS if signals is not None and len(signals) else [])
    cutoff = end - pd.Timedelta(days=window)
    backtest.window_days, backtest.cutoff = window, cutoff.date().isoformat()
    windows = [window] + ([w] if (w := window * 2 // 3) >= MIN_WINDOW_DAYS else [])
    # Each cutoff's BG/NBD is fitted on the history up to that cutoff only.
    parts = [_labelled(transactions, days, per_day, end, w, signals, all_columns) for w in windows]
    then, y, _ = parts[0]
    if len(then) < MIN_CUSTOMERS:
        backtest.reason = "few_customers"
        return None
    if min(y.sum(), len(y) - y.sum()) < MIN_CLASS:
        backtest.reason = "one_class"
        return None
    stacked = pd.concat([p[0] for p in parts])
    labels = np.concatenate([p[1] for p in parts])
    groups = pd.factorize(stacked.index)[0]
    # The out-of-fold check runs on at most EVAL_CUSTOMERS customers (a fixed random sample):
    # its AUC and calibration are as good an estimate, at a fraction of the time.
    n_groups = groups.max() + 1
    sampled = np.random.default_rng(1).permutation(n_groups) < EVAL_CUSTOMERS
    rows = sampled[groups]
    first = (np.arange(len(stacked)) < len(then))[rows]
    sub_x, sub_y, sub_groups = stacked[rows], labels[rows], pd.factorize(groups[rows])[0]
    y = sub_y[first]
    columns = list(FEATURE_COLUMNS)
    predicted = _out_of_fold(sub_x[columns].to_numpy(), sub_y, sub_groups)[first]
    auc = float(roc_auc_score(y, predicted))
    if len(all_columns) > len(columns):
        tried = _out_of_fold(sub_x[all_columns].to_numpy(), sub_y, sub_groups)[first]
        gain = float(roc_auc_score(y, tried)) - auc
        backtest.signals_auc_gain = round(gain, 4)
        if gain >= SIGNAL_MIN_GAIN:
            predicted, auc, columns = tried, auc + gain, all_columns
            backtest.signals_used = True
    backtest.method = "model"
    backtest.customers = len(y)
    backtest.observed_share = round(float(y.mean()), 4)
    backtest.mean_predicted = round(float(predicted.mean()), 4)
    backtest.auc = round(auc, 4)
    backtest.recency_auc = round(float(roc_auc_score(y, sub_x["recency_days"][first])), 4)
    backtest.brier = round(float(brier_score_loss(y, predicted)), 4)
    backtest.calibration = _calibration(predicted, y)
    model = _pipeline().fit(stacked[columns].to_numpy(), labels)
    return model, columns


def _anchor_level(risk: np.ndarray, level: float, backtest: BackTest) -> np.ndarray:
    """The back-test could not look as far as the horizon: keep the model's ranking but shift
    its log-odds so that the mean risk is BG/NBD's expected share without a purchase over the
    whole horizon (that model's aggregate forecast carries over to longer horizons)."""
    z = np.log(np.clip(risk, 1e-9, 1 - 1e-9) / np.clip(1 - risk, 1e-9, 1))
    if not 0.0 < level < 1.0:
        return risk
    shift = optimize.brentq(lambda s: expit(z + s).mean() - level, -30.0, 30.0)
    backtest.level_shift = round(float(shift), 4)
    return expit(z + shift)


def _pipeline():
    return make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=1000))


def _out_of_fold(x: np.ndarray, y: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Out-of-fold predictions: 5 folds drawn per customer (fixed seed), so that a customer's
    rows of both back-test windows are always in the same fold."""
    fold_of_group = np.random.default_rng(0).permutation(groups.max() + 1) % FOLDS
    fold = fold_of_group[groups]
    predicted = np.empty(len(y), dtype="float64")
    for k in range(FOLDS):
        test = fold == k
        train_y = y[~test]
        if train_y.min() == train_y.max():  # one class only: its share is the prediction
            predicted[test] = float(train_y[0])
            continue
        predicted[test] = _pipeline().fit(x[~test], train_y).predict_proba(x[test])[:, 1]
    return predicted


def _calibration(predicted: np.ndarray, y: np.ndarray, bins: int = 10) -> list[dict]:
    """Mean predicted vs observed share per tenth of predicted risk."""
    order = np.argsort(predicted, kind="stable")
    rows = []
    for part in np.array_split(order, bins):
        if len(part):
            rows.append({"n": len(part), "predicted": round(float(predicted[part].mean()), 4),
                         "observed": round(float(y[part].mean()), 4)})  # fmt: skip
    return rows


def _with_signals(frame, signals, as_of, columns) -> pd.DataFrame:
    missing = [c for c in columns if c not in frame.columns]
    if not missing:
        return frame
    extra = signal_features(signals, as_of=as_of, index=frame.index)
    return frame.join(extra)
