"""Purchases (imported or created through the API) and the import jobs that bring them in."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext, pgettext_lazy

from analytics.imports.report import error_message, stores_added_text
from surveys.models import Store


class Purchase(models.Model):
    """One order of one customer. `order_id` is the business key: re-imports update, never add."""

    customer = models.ForeignKey(
        "surveys.Customer", on_delete=models.PROTECT, related_name="purchases"
    )
    order_id = models.CharField(_("order ID"), max_length=64, unique=True)
    ordered_at = models.DateTimeField(_("ordered at"))
    # Negative for refunds; `is_refund` marks them so reports can leave them out or net them.
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, default="CNY")
    category = models.CharField(_("product category"), max_length=100, blank=True)
    channel = models.CharField(_("channel"), max_length=50, blank=True)
    quantity = models.IntegerField(_("quantity"), default=1)
    is_refund = models.BooleanField(_("refund"), default=False)
    # Where it was bought: a store of the managed list (imports add the ones not listed yet).
    store = models.ForeignKey(
        "surveys.Store", null=True, blank=True, on_delete=models.PROTECT, db_index=False,
        related_name="purchases", verbose_name=_("store"),
    )  # fmt: skip
    # The import that last wrote this row (none when created through the API or the demo).
    # Also how an import recognises an order ID repeated further down the same file without
    # keeping every ID in memory. Not indexed (only ever read together with order_id) and no
    # database constraint (a per-row check would cost seconds per million rows; the ORM still
    # sets it to NULL when a job is deleted).
    import_job = models.ForeignKey(
        "ImportJob", null=True, blank=True, on_delete=models.SET_NULL, db_index=False,
        db_constraint=False, related_name="purchases", editable=False,
    )  # fmt: skip
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-ordered_at"]
        verbose_name = _("purchase")
        verbose_name_plural = _("purchases")
        indexes = [
            models.Index(fields=["customer", "ordered_at"], name="purchase_customer_date"),
            models.Index(fields=["ordered_at"], name="purchase_date"),
            models.Index(fields=["category", "ordered_at"], name="purchase_category_date"),
            # The dashboard's store filter on purchase-based charts.
            models.Index(fields=["store", "ordered_at"], name="purchase_store_date"),
            # "Customers who bought in category X" (the dashboard's category filter).
            models.Index(
                fields=["category", "customer"],
                condition=models.Q(is_refund=False),
                name="purchase_category_buyer",
            ),
        ]

    def __str__(self) -> str:
        return self.order_id


class ImportKind(models.TextChoices):
    PURCHASES = "purchases", _("Purchases")
    CUSTOMERS = "customers", _("Customers")


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Finished")
    FAILED = "failed", pgettext_lazy("job", "Failed")


class ImportJob(models.Model):
    """One upload of a CSV/XLSX file and what became of its rows."""

    kind = models.CharField(_("kind"), max_length=10, choices=ImportKind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/", max_length=255, blank=True)
    original_name = models.CharField(_("file name"), max_length=255, blank=True)
    encoding = models.CharField(_("encoding"), max_length=20, blank=True)
    dry_run = models.BooleanField(_("dry run"), default=False)
    create_customers = models.BooleanField(_("create unknown customers"), default=True)
    # Source header → field, overriding the automatic mapping.
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    progress = models.FloatField(_("progress"), default=0.0)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_ok = models.PositiveIntegerField(_("valid rows"), default=0)
    rows_failed = models.PositiveIntegerField(_("rejected rows"), default=0)
    rows_created = models.PositiveIntegerField(_("created"), default=0)
    rows_updated = models.PositiveIntegerField(_("updated"), default=0)
    customers_created = models.PositiveIntegerField(_("customers created"), default=0)
    detected_encoding = models.CharField(_("detected encoding"), max_length=20, blank=True)
    detected_delimiter = models.CharField(_("detected delimiter"), max_length=4, blank=True)
    columns = models.JSONField(_("columns used"), default=dict, blank=True)
    # The stores this import added to the managed list (their codes; dry run: would add).
    stores_added = models.JSONField(_("stores added"), default=list, blank=True)
    # What was left out of rows that were still imported (e.g. an unknown referral code):
    # [{message (English message ID), params}], translated when shown.
    notes = models.JSONField(pgettext_lazy("import", "notes"), default=list, blank=True)
    # The first rejected rows ({row, column, value, message}); all of them are in the report.
    errors = models.JSONField(_("errors"), default=list, blank=True)
    error_report = models.FileField(
        _("error report"), upload_to="imports/reports/", max_length=255, blank=True
    )
    # Why the whole file was refused (unreadable, empty, no usable header): an English
    # message ID and its parameters, translated when shown.
    message = models.TextField(pgettext_lazy("import problem", "message"), blank=True)
    message_params = models.JSONField(_("message parameters"), default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        indexes = [models.Index(fields=["status", "created_at"], name="importjob_status")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.original_name} #{self.pk}"

    @property
    def stores_added_text(self) -> str:
        """The summary's line on the stores this import added ("" for none), by name."""
        names = dict(Store.objects.filter(code__in=self.stores_added).values_list("code", "name"))
        labels = [
            pgettext("store", "%(name)s (%(code)s)") % {"name": names[code], "code": code}
            if names.get(code, code) != code
            else code
            for code in self.stores_added
        ]
        return stores_added_text(labels, dry_run=self.dry_run)

    @property
    def notes_text(self) -> list[str]:
        """The import's notes in the active language."""
        return [error_message(note["message"], note.get("params")) for note in self.notes]

    @property
    def message_text(self) -> str:
        """Why the file was refused, in the active language ("" when it was not)."""
        return error_message(self.message, self.message_params) if self.message else ""
