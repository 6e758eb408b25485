"""The customer directory: the audience of every distribution."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Language(models.TextChoices):
    ZH_HANS = "zh-hans", _("Simplified Chinese")
    EN = "en", _("English")


class CustomerTag(models.Model):
    name = models.CharField(_("name"), max_length=64, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("customer tag")
        verbose_name_plural = _("customer tags")

    def __str__(self) -> str:
        return self.name


class Customer(models.Model):
    """A person in the directory: the audience of distributions and the buyer of purchases."""

    # NULL, not "", so that many customers without an external ID satisfy the unique constraint.
    external_id = models.CharField(_("external ID"), max_length=64, null=True, blank=True)  # noqa: DJ001
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True, db_index=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True, db_index=True)
    region = models.CharField(_("region"), max_length=100, blank=True, db_index=True)
    language = models.CharField(
        _("language"), max_length=10, choices=Language.choices, default=Language.ZH_HANS
    )
    tags = models.ManyToManyField(CustomerTag, blank=True, related_name="customers")
    # The store the customer belongs to (from a customer import's store column).
    store = models.ForeignKey(
        "Store", null=True, blank=True, on_delete=models.PROTECT, related_name="customers",
        verbose_name=_("home store"),
    )  # fmt: skip
    attributes = models.JSONField(_("attributes"), default=dict, blank=True)
    consent = models.BooleanField(_("consented to contact"), default=True)
    unsubscribed = models.BooleanField(_("unsubscribed"), default=False, db_index=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed at"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged_customers"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Erasure (PIPL / GDPR) keeps the row as an anonymous placeholder so purchases and scores
    # still count: identity fields are emptied and `pseudonym` is all that is left.
    erased_at = models.DateTimeField(_("erased at"), null=True, blank=True)
    pseudonym = models.CharField(_("pseudonym"), max_length=32, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        permissions = [
            ("export_customer", _("Can export a customer's personal data")),
            ("erase_customer", _("Can erase a customer's personal data")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["external_id"],
                condition=Q(external_id__isnull=False),
                name="customer_external_id_unique",
            ),
        ]

    def __str__(self) -> str:
        if self.erased_at:
            return self.pseudonym or f"#{self.pk}"
        return self.name or self.external_id or self.email or f"#{self.pk}"


class StoreSource(models.TextChoices):
    ADMIN = "admin", _("Added by hand")
    IMPORT = "import", _("Added by an import")


class Store(models.Model):
    """A store of the managed list: what staff filters and menus offer. A public link's
    `?store=` is kept on the response as given, but only a listed code is ever offered.
    Staff add stores by hand (admin) or through an import naming a store not listed yet."""

    code = models.CharField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    source = models.CharField(
        pgettext_lazy("store", "added"), max_length=10, choices=StoreSource.choices,
        default=StoreSource.ADMIN,
    )  # fmt: skip
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("store")
        verbose_name_plural = _("stores")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})" if self.name and self.name != self.code else self.code

    def label(self, language: str = "zh-hans") -> str:
        """The store's name in `language` (English when given), else its code."""
        english = language.startswith("en") and self.name_en
        return english or self.name or self.code
