"""The writers of referrals: a promoter's code, a visit of its link, a referred customer."""

from __future__ import annotations

import logging
import secrets

from django.db import IntegrityError, transaction
from django.db.models import F

from analytics.models import Referral, ReferralCode, ReferralSource
from surveys.models import Response, ResponseStatus
from surveys.scoring.rules import NPS_PROMOTER_MIN

logger = logging.getLogger(__name__)

# No 0/O, 1/I/L: a code read aloud or typed from a phone screen stays unambiguous.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
CODE_MAX_LENGTH = 16


def code_normalize(text: str) -> str:
    """A code as typed or imported ("  ab3k-7mqp ", full-width letters) → "AB3K7MQP"."""
    text = "".join(chr(ord(c) - 0xFEE0) if "！" <= c <= "～" else c for c in str(text or ""))
    return "".join(c for c in text.upper() if c.isalnum())[:CODE_MAX_LENGTH]


def _new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def is_promoter(response: Response) -> bool:
    return (
        response.status == ResponseStatus.COMPLETED
        and response.nps_score is not None
        and response.nps_score >= NPS_PROMOTER_MIN
    )


def referral_code_for_promoter(*, response: Response) -> ReferralCode | None:
    """The personal code of the promoter who gave `response` (made on first need): one per
    customer, or per answer when the respondent is not a known customer. None when the answer
    is not a promoter's."""
    if not is_promoter(response):
        return None
    if response.customer_id:
        lookup: dict = {"customer_id": response.customer_id}
    else:
        lookup = {"response": response}
    existing = ReferralCode.objects.filter(**lookup).first()
    if existing is not None:
        return existing
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return ReferralCode.objects.create(
                    code=_new_code(), customer_id=response.customer_id, response=response
                )
        except IntegrityError:
            # A code taken already, or the same promoter's second page load in parallel.
            existing = ReferralCode.objects.filter(**lookup).first()
            if existing is not None:
                return existing
    raise RuntimeError("no free referral code after 5 attempts")


def referral_code_find(text: str) -> ReferralCode | None:
    code = code_normalize(text)
    return ReferralCode.objects.filter(code=code).first() if code else None


def referral_visit_record(*, code: str) -> ReferralCode | None:
    """Count a visit of a referral link; None (and nothing written) for an unknown code."""
    found = referral_code_find(code)
    if found is not None:
        ReferralCode.objects.filter(pk=found.pk).update(visits=F("visits") + 1)
    return found


def referral_record(
    *, code: ReferralCode, customer_id: int, source: str, import_job_id: int | None = None
) -> Referral | None:
    """Record that `code` brought customer `customer_id`. A customer is referred once (the
    first code wins) and never by their own code: None then, nothing changed."""
    if code.customer_id == customer_id:
        return None
    if (
        code.response_id
        and Response.objects.filter(pk=code.response_id, customer_id=customer_id).exists()
    ):
        return None
    try:
        with transaction.atomic():
            referral, created = Referral.objects.get_or_create(
                referred_id=customer_id,
                defaults={"code": code, "source": source, "import_job_id": import_job_id},
            )
    except IntegrityError:
        return None
    if created:
        logger.info("referral %s: customer %s by code %s", source, customer_id, code.code)
    return referral if created else None


def referrals_from_import(
    *, pairs: list[tuple[int, str, int]], import_job_id: int | None, dry_run: bool
) -> list[tuple[int, str]]:
    """Record the referral codes of an import's rows: `pairs` are (customer id, code, row).
    Returns the (row, code) of codes that do not exist: those rows are imported without a
    referral (the summary notes them), never rejected."""
    texts = {code_normalize(code) for _customer, code, _row in pairs}
    known = {c.code: c for c in ReferralCode.objects.filter(code__in=texts - {""})}
    unknown: list[tuple[int, str]] = []
    for customer_id, text, row in pairs:
        code = known.get(code_normalize(text))
        if code is None:
            unknown.append((row, text))
        elif not dry_run and customer_id > 0:
            referral_record(
                code=code, customer_id=customer_id, source=ReferralSource.IMPORT,
                import_job_id=import_job_id,
            )  # fmt: skip
    return unknown
