"""The referral hook of the respondent's thank-you page: a promoter is offered their personal
code and link; a respondent who came through a friend's link (its cookie) and is a known
customer is recorded as referred by that friend."""

from __future__ import annotations

from django.urls import reverse

from analytics.models import ReferralSource
from analytics.referrals.services import (
    referral_code_find,
    referral_code_for_promoter,
    referral_record,
)
from surveys.responding.thanks_hooks import ThanksBlock

REFERRAL_COOKIE = "sh_ref"
REFERRAL_COOKIE_MAX_AGE = 60 * 60 * 24 * 90


def referral_thanks(request, response) -> ThanksBlock | None:
    """Record a referral through the link cookie; offer a promoter their code."""
    came_with = request.COOKIES.get(REFERRAL_COOKIE, "")
    if came_with and response.customer_id:
        code = referral_code_find(came_with)
        if code is not None:  # an unknown code is ignored: the page shows as ever
            referral_record(code=code, customer_id=response.customer_id, source=ReferralSource.LINK)
    code = referral_code_for_promoter(response=response)
    if code is None:
        return None
    url = request.build_absolute_uri(reverse("referral-visit", args=[code.code]))
    return ThanksBlock(
        template="analytics/referrals/thanks_offer.html", context={"code": code.code, "url": url}
    )
