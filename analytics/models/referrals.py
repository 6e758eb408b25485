"""Referrals (a promoter's personal code and the customers it brought) and the demographic
attributes a customer import gives a customer (gender, birth year, city, member level)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

__all__ = ["CustomerProfile", "Gender", "Referral", "ReferralCode", "ReferralSource"]


class ReferralCode(models.Model):
    """A promoter's personal referral code: one per customer, or per answer when the promoter
    answered without being known (a public link)."""

    code = models.CharField(_("referral code"), max_length=16, unique=True)
    customer = models.ForeignKey(
        "surveys.Customer", null=True, blank=True, on_delete=models.CASCADE,
        related_name="referral_codes", verbose_name=_("customer"),
    )  # fmt: skip
    # The promoter answer that earned the code.
    response = models.ForeignKey(
        "surveys.Response", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="referral_codes", verbose_name=_("response"),
    )  # fmt: skip
    visits = models.PositiveIntegerField(_("link visits"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("referral code")
        verbose_name_plural = _("referral codes")
        constraints = [
            models.UniqueConstraint(
                fields=["customer"], condition=Q(customer__isnull=False),
                name="referralcode_one_per_customer",
            ),
            models.UniqueConstraint(
                fields=["response"], condition=Q(response__isnull=False),
                name="referralcode_one_per_response",
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return self.code


class ReferralSource(models.TextChoices):
    LINK = "link", _("Referral link")
    IMPORT = "import", pgettext_lazy("referral source", "Import")


class Referral(models.Model):
    """A customer brought by a referral code: each customer is referred once (the first wins)."""

    code = models.ForeignKey(
        ReferralCode, on_delete=models.CASCADE, related_name="referrals",
        verbose_name=_("referral code"),
    )  # fmt: skip
    referred = models.OneToOneField(
        "surveys.Customer", on_delete=models.CASCADE, related_name="referral",
        verbose_name=_("referred customer"),
    )  # fmt: skip
    source = models.CharField(_("source"), max_length=10, choices=ReferralSource.choices)
    import_job = models.ForeignKey(
        "ImportJob", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(_("referred at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")

    def __str__(self) -> str:
        return f"{self.code_id} → {self.referred_id}"


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", pgettext_lazy("gender", "Other")


class CustomerProfile(models.Model):
    """A customer's demographic attributes, typed (from the customer import)."""

    customer = models.OneToOneField(
        "surveys.Customer", primary_key=True, on_delete=models.CASCADE,
        related_name="profile", verbose_name=_("customer"),
    )  # fmt: skip
    gender = models.CharField(_("gender"), max_length=6, choices=Gender.choices, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    member_level = models.CharField(_("member level"), max_length=32, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("customer profile")
        verbose_name_plural = _("customer profiles")
        indexes = [
            models.Index(fields=["gender"], name="profile_gender"),
            models.Index(fields=["birth_year"], name="profile_birth_year"),
            models.Index(fields=["city"], name="profile_city"),
            models.Index(fields=["member_level"], name="profile_member_level"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(birth_year__isnull=True)
                | Q(birth_year__gte=1900, birth_year__lte=2100),
                name="profile_birth_year_range",
            ),
        ]

    def __str__(self) -> str:
        return f"profile {self.customer_id}"
