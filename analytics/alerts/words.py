"""What people read about alerts, in the current language: the title and message of a
firing (made from its figures, so the page reads right in either language), the period
compared, and why a delivery failed."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from analytics.workspace import words


def window_label(kind: str, key: str) -> str:
    if kind == "week":
        year, week = key.split("-W")
        return _("week %(week)s of %(year)s") % {"week": int(week), "year": year}
    return words.period_label(key)


def _p(value) -> str:
    if value is None:
        return "—"
    return "p < 0.001" if value < 0.001 else f"p = {value:.3f}"


def alert_title(kind: str, details: dict) -> str:
    period = window_label(details.get("window", "month"), details.get("current_key", ""))
    if kind in ("nps_drop", "csat_drop"):
        name = words.label(details["metric"])
        metric = details["metric"]
        return _("%(metric)s fell from %(previous)s to %(current)s in %(period)s") % {
            "metric": name, "previous": words.value_text(metric, details["previous"]),
            "current": words.value_text(metric, details["current"]), "period": period,
        }  # fmt: skip
    if kind == "detractor_share":
        return _("Detractors were %(share)s of NPS answers in %(period)s") % {
            "share": f"{words.number(details['share'])}%", "period": period,
        }  # fmt: skip
    if kind == "below_target":
        return _("%(indicator)s missed its target in %(period)s") % {
            "indicator": words.label(details["indicator"]), "period": period,
        }  # fmt: skip
    return _("Negative mentions of “%(topic)s” surged in %(period)s") % {
        "topic": details.get("topic", ""), "period": period,
    }  # fmt: skip


def alert_message(kind: str, details: dict) -> str:
    previous = window_label(details.get("window", "month"), details.get("previous_key", ""))
    if kind in ("nps_drop", "csat_drop"):
        metric = details["metric"]
        return _(
            "%(metric)s was %(current)s (n = %(n)s) against %(previous)s in %(before)s "
            "(n = %(n_before)s): a change of %(change)s, significant at %(p)s."
        ) % {
            "metric": words.label(metric), "current": words.value_text(metric, details["current"]),
            "n": details["n_current"], "previous": words.value_text(metric, details["previous"]),
            "before": previous, "n_before": details["n_previous"],
            "change": words.change_text(metric, details["difference"]), "p": _p(details["p_value"]),
        }  # fmt: skip
    if kind == "detractor_share":
        return _(
            "%(detractors)s of %(n)s NPS answers were detractors (0–6): %(share)s, above the "
            "threshold of %(threshold)s."
        ) % {
            "detractors": details["detractors"], "n": details["n"],
            "share": f"{words.number(details['share'])}%",
            "threshold": f"{words.number(details['threshold'])}%",
        }  # fmt: skip
    if kind == "below_target":
        code = details["indicator"]
        sign = "≥" if details.get("direction") == "higher" else "≤"
        return _("%(indicator)s was %(value)s against a target of %(sign)s %(target)s.") % {
            "indicator": words.label(code), "value": words.value_text(code, details["value"]),
            "sign": sign, "target": words.value_text(code, details["target"]),
        }  # fmt: skip
    return _(
        "%(current)s negative feedback items mentioned “%(topic)s”, against %(previous)s in "
        "%(before)s (%(p)s)."
    ) % {
        "current": details["current"], "topic": details.get("topic", ""),
        "previous": details["previous"], "before": previous, "p": _p(details["p_value"]),
    }  # fmt: skip


def delivery_error(reason: str, *, status=None, code=None, detail: str = "") -> str:
    """Why a robot or the mail server did not take an alert, in a sentence."""
    detail = (detail or "").strip()[:200]
    if reason == "http":
        text = _("The robot's address answered HTTP %(status)s.") % {"status": status}
    elif reason == "answer":
        text = _("The robot refused the message: error %(code)s.") % {"code": code}
    elif reason == "not_json":
        text = _("The address did not answer like a group robot (no JSON).")
    elif reason == "network":
        text = _("The robot's address could not be reached.")
    else:
        text = pgettext("alert delivery", "The mail server refused the message.")
    return f"{text} {detail}".strip()


def masked(value: str, *, url: bool = False) -> str:
    """A credential shown without giving it away: its last four characters (and, for a
    webhook address, the scheme and host, which say which platform it is)."""
    if not value:
        return ""
    tail = value[-4:] if len(value) >= 12 else ""
    if url:
        scheme, _sep, rest = value.partition("://")
        host = rest.split("/", 1)[0].split("?", 1)[0].rsplit("@", 1)[-1]
        return f"{scheme}://{host}/…{tail}" if host else f"…{tail}"
    return f"…{tail}"
