"""Referral rate and word-of-mouth value (PRODUCT.md, "Metrics"), from counts and sums SQL
gives. Pure: no Django."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class ReferralResult:
    """Referral rate = promoters who referred at least one new customer ÷ promoters, in %
    (None without promoters); word-of-mouth value = the referred customers' purchases and CLV."""

    promoters: int
    referring_promoters: int
    rate: float | None
    referred_customers: int
    orders: int
    spend: Decimal
    clv: Decimal

    @property
    def value(self) -> Decimal:
        """Word-of-mouth value: what the referred customers have spent plus their CLV."""
        return self.spend + self.clv


def referral_rate(*, promoters: int, referring_promoters: int) -> float | None:
    """Promoters who referred someone ÷ promoters, in % (None when there are no promoters)."""
    if promoters < 0 or referring_promoters < 0 or referring_promoters > promoters:
        raise ValueError("referring promoters must be between 0 and the promoters")
    return 100.0 * referring_promoters / promoters if promoters else None


CENT = Decimal("0.01")


def referral_result(
    *,
    promoters: int,
    referring_promoters: int,
    referred_customers: int,
    orders: int,
    spend: Decimal | None,
    clv: Decimal | None,
) -> ReferralResult:
    """The referral figures of a period from its counts and sums (None sums are 0; money to
    the cent, as the sums of cents give it on every database)."""
    return ReferralResult(
        promoters=promoters,
        referring_promoters=referring_promoters,
        rate=referral_rate(promoters=promoters, referring_promoters=referring_promoters),
        referred_customers=referred_customers,
        orders=orders,
        spend=Decimal(spend or 0).quantize(CENT),
        clv=Decimal(clv or 0).quantize(CENT),
    )
