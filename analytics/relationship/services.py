"""Writers of relationship analytics: a call case for a customer at risk, segment playbooks."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from analytics.models import CustomerValue, SegmentPlaybook
from analytics.relationship.queries import at_risk_rows
from analytics.relationship.segments import PLAYBOOK_MAX
from feedback.cases.due import due_dates
from feedback.cases.events import case_event_add
from feedback.cases.opening import case_snapshot
from feedback.cases.priority import case_priority
from feedback.models import Case, CaseNote
from feedback.models.cases import OPEN_CASE_STATUSES
from surveyhub.api.errors import DomainError


class RelationshipError(DomainError):
    pass


def churn_call_case_open(*, value: CustomerValue, by) -> tuple[Case, bool]:
    """Open a case to call a customer at risk, with the reasons as its first note; a customer
    who already has an open case of their own gets the note on that one. Returns (case, new)."""
    row = at_risk_rows([value])[0]
    risk = (
        _("Churn risk %(pct).0f%%") % {"pct": 100 * value.churn_risk}
        if value.churn_risk is not None
        else str(value.get_churn_band_display())
    )
    note = _("Call to keep this customer (churn warning list): %(reasons)s.") % {
        "reasons": "; ".join(row.reasons)
    }
    lookup = {"customer_id": value.customer_id, "response": None,
              "status__in": OPEN_CASE_STATUSES}  # fmt: skip
    with transaction.atomic():
        case = Case.objects.select_for_update().filter(**lookup).first()
        created = case is None
        if created:
            now = timezone.now()
            priority = case_priority(severe=False, bumps=[], tier=value.value_tier)
            due_first, due = due_dates(priority, now)
            try:
                with transaction.atomic():
                    case = Case.objects.create(
                        customer_id=value.customer_id, priority=priority,
                        value_tier=value.value_tier,
                        triggers=[{"kind": "churn_risk", "detail": risk}],
                        created_at=now, sla_started_at=now,
                        due_first_response_at=due_first, due_at=due,
                    )  # fmt: skip
            except IntegrityError:
                case, created = Case.objects.select_for_update().get(**lookup), False
            else:
                case_event_add(case, "opened", by=by, after=case_snapshot(case))
        added = CaseNote.objects.create(case=case, text=note, author=by)
        case_event_add(case, "note_added", by=by, after={"note": added.pk})
    return case, created


def segment_playbook_save(*, kind: str, code: str, text: str, by) -> SegmentPlaybook:
    text = (text or "").strip()
    if len(text) > PLAYBOOK_MAX:
        raise RelationshipError(
            _("The playbook can be at most %(n)d characters.") % {"n": PLAYBOOK_MAX},
            field="text",
        )
    playbook, _created = SegmentPlaybook.objects.update_or_create(
        kind=kind, code=code, defaults={"text": text, "updated_by": by}
    )
    return playbook
