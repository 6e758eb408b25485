"""Improvement actions, the writes: create (validated, baseline value filled from the
scorecard or the answers), change status (done records the day)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from analytics.actions.queries import TESTED, snapshot_value, survey_figures
from analytics.evaluations.periods import local_today, period_parse
from analytics.models import ActionStatus, ImprovementAction
from surveyhub.api.errors import DomainError


class ActionError(DomainError):
    """Bad input for an action: `errors` names each field."""


def _baseline_value(action: ImprovementAction) -> float | None:
    period = period_parse(action.baseline_period)
    if action.indicator in TESTED:
        return survey_figures(action.indicator, period)[0]
    return snapshot_value(action.indicator, period.code)


def action_save(action: ImprovementAction) -> ImprovementAction:
    """Validate and save (create or edit); refuse with every field's message, save nothing."""
    try:
        action.full_clean()
    except ValidationError as exc:
        error = ActionError(_("The improvement action was not saved: check the fields named."))
        error.errors = {f: [str(m) for m in msgs] for f, msgs in exc.message_dict.items()}
        raise error from None
    if action.baseline_value is None:
        action.baseline_value = _baseline_value(action)
    if action.status == ActionStatus.DONE and action.done_on is None:
        action.done_on = local_today()
    if action.status != ActionStatus.DONE:
        action.done_on = None
    action.save()
    return action


def action_set_status(action: ImprovementAction, status: str) -> ImprovementAction:
    if status not in ActionStatus.values:
        error = ActionError(
            _("Unknown status “%(value)s”: expected open, in progress or done.")
            % {"value": status[:20]}
        )
        error.field = "status"
        raise error
    action.status = status
    return action_save(action)
