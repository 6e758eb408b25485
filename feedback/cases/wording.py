"""Words for what a case stores as codes and numbers: why it was opened, how long is left
before it is due, a value tier, a timeline step. Templates use them through the `case_words`
tags, forms for their choices."""

from datetime import timedelta

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from feedback.models.cases import CaseOutcome, CaseRuleKind, CaseStatus

TIER_LABELS = {
    "high": gettext_lazy("High value"),
    "medium": gettext_lazy("Medium value"),
    "low": gettext_lazy("Low value"),
}
SCORE_NAMES = {
    CaseRuleKind.NPS_MAX: "NPS",
    CaseRuleKind.CSAT_MAX: "CSAT",
    CaseRuleKind.CES_MAX: "CES",
}
VERY_NEGATIVE_BELOW = 0.05  # the case rules' own "severe" bound for sentiment


def tier_label(code: str) -> str:
    """A value tier in words; a tier imported as free text is shown as it came."""
    label = TIER_LABELS.get(str(code or "").strip().lower())
    return str(label) if label is not None else str(code or "")


def known_tiers(present) -> list[str]:
    """The tiers a filter offers: the three of the CLV run always (a link for "high" must stay
    valid when no open case is high today), then any imported free-text tier in use."""
    return [*TIER_LABELS, *(t for t in present if t not in TIER_LABELS)]


def trigger_words(trigger: dict) -> str:
    """Why a case was opened, from a stored trigger {"kind": …, "detail": …}."""
    kind, detail = trigger.get("kind", ""), str(trigger.get("detail", ""))
    if kind in SCORE_NAMES:
        score = detail.rsplit(" ", 1)[-1]
        return _("%(metric)s score %(score)s") % {"metric": SCORE_NAMES[kind], "score": score}
    if kind == CaseRuleKind.SENTIMENT_BELOW:
        try:
            score = float(detail)
        except ValueError:
            return _("Negative sentiment")
        if score < VERY_NEGATIVE_BELOW:
            return _("Very negative sentiment (%(score).2f)") % {"score": score}
        return _("Negative sentiment (%(score).2f)") % {"score": score}
    if kind == CaseRuleKind.ESCALATION_WORDS:
        return _("Escalation words: %(words)s") % {"words": detail}
    return detail


def duration_words(span: timedelta) -> str:
    """A duration in at most two units: "2 days 4 hours", "3 hours 20 minutes", "5 minutes"."""
    minutes = max(int(span.total_seconds() // 60), 0)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = []
    if days:
        parts.append(ngettext("%(n)d day", "%(n)d days", days) % {"n": days})
    if hours:
        parts.append(ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours})
    if not days and (minutes or not parts):
        parts.append(ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes})
    return " ".join(parts)


def event_words(after) -> str:
    """What a timeline step changed, in words: the new status, assignee, reason, outcome."""
    after = after if isinstance(after, dict) else {}
    parts = []
    if after.get("status") in CaseStatus.values:
        parts.append(_("now %(status)s") % {"status": CaseStatus(after["status"]).label})
    if after.get("assignee"):
        parts.append(_("assigned to %(user)s") % {"user": after["assignee"]})
    if after.get("reason"):
        parts.append(str(after["reason"]))
    if after.get("outcome") in CaseOutcome.values:
        parts.append(str(CaseOutcome(after["outcome"]).label))
    return " · ".join(parts)
