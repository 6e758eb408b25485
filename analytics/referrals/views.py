"""The public referral link: counts the visit, remembers the code in a cookie (so a later
answer of this visitor, once they are a known customer, records the referral) and welcomes
the friend. An unknown code gets the same friendly page, never an error."""

from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from analytics.referrals.services import referral_visit_record
from analytics.referrals.thanks import REFERRAL_COOKIE, REFERRAL_COOKIE_MAX_AGE
from surveyhub.security.ratelimit import public_page


@never_cache
@require_GET
@public_page
def referral_visit(request, code):
    found = referral_visit_record(code=code[:64])
    response = render(
        request, "analytics/referrals/landing.html", {"code": found.code if found else ""}
    )
    if found is not None:
        response.set_cookie(
            REFERRAL_COOKIE, found.code, max_age=REFERRAL_COOKIE_MAX_AGE, httponly=True,
            samesite="Lax", secure=request.is_secure(),
        )  # fmt: skip
    return response
