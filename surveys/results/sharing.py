"""Share links of a survey's results: signed, expiring, revocable and read-only. A link shows
the aggregated results for the filters saved with it; free-text answers only when the sharer
allowed it, and never a name, a customer or a single response."""

from __future__ import annotations

import datetime as dt

from django.core import signing
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from surveyhub.api.errors import DomainError
from surveys.models import ResultShare, Survey
from surveys.results.filters import parse_filters

SALT = "surveys.results.share"
MAX_DAYS = 90


class ShareError(DomainError):
    pass


def share_filters(share: ResultShare) -> QueryDict:
    params = QueryDict(mutable=True)
    for name, values in (share.filters or {}).items():
        params.setlist(name, [str(v) for v in values])
    return params


def share_create(
    *, survey: Survey, params: QueryDict, days: int, allow_text: bool, name: str = "", by=None
) -> tuple[ResultShare, str]:
    """Save the filters in `params` (checked as the results page does) with a link that
    works for `days` days; return it and its token."""
    if not 1 <= days <= MAX_DAYS:
        raise ShareError(_("A link works for 1 to %(n)d days.") % {"n": MAX_DAYS}, field="days")
    parse_filters(params, survey=survey)
    filters = {key: params.getlist(key) for key in params if params.getlist(key)}
    share = ResultShare.objects.create(
        survey=survey, name=name[:100], filters=filters, allow_text=allow_text,
        expires_at=timezone.now() + dt.timedelta(days=days), created_by=by,
    )  # fmt: skip
    return share, share_token(share)


def share_token(share: ResultShare) -> str:
    return signing.dumps(share.pk, salt=SALT)


def share_revoke(*, share: ResultShare) -> ResultShare:
    if share.revoked_at is None:
        share.revoked_at = timezone.now()
        share.save(update_fields=["revoked_at"])
    return share


def share_for_token(token: str) -> ResultShare | None:
    """The live share a token names, or None (forged, expired, revoked or deleted)."""
    try:
        pk = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(pk, int):
        return None
    share = ResultShare.objects.select_related("survey").filter(pk=pk).first()
    if share is None or share.revoked_at is not None or share.expires_at <= timezone.now():
        return None
    return share
