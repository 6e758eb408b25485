"""Read-only share links of a survey's results, for people without an account."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from surveys.models.design import Survey


class ResultShare(models.Model):
    """A link to the survey's results for the saved filters. Its token is signed with the
    secret key (never stored); it stops working when it expires or is revoked."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="result_shares")
    name = models.CharField(_("name"), max_length=100, blank=True)
    # The results filters as query parameters: {"channel": ["link"], "q": ["nps:0-6"]}.
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    allow_text = models.BooleanField(_("shows free-text answers"), default=False)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("results share link")
        verbose_name_plural = _("results share links")

    def __str__(self) -> str:
        return self.name or f"{self.survey} #{self.pk}"


class ResultCube(models.Model):
    """The state of a survey's results pre-aggregate (PostgreSQL only): the facts and cells
    hold the completed responses whose `completed_at` is before `watermark`; later ones (the
    tail) are counted live. Database triggers set `stale` when an aggregated response or
    answer changes, is deleted, or a completion lands before the watermark: the results are
    then computed live until the next rebuild — never inexact. `speeder_threshold` (a third
    of the median duration at the last build) is what "speeder" means while the cube exists."""

    survey = models.OneToOneField(
        Survey, primary_key=True, on_delete=models.CASCADE, related_name="result_cube"
    )
    watermark = models.DateTimeField(_("aggregated up to"))
    time_zone = models.CharField(_("time zone of the days"), max_length=64)
    stale = models.BooleanField(_("stale"), default=False)
    built_at = models.DateTimeField(_("built at"))
    responses = models.PositiveIntegerField(_("aggregated responses"), default=0)
    speeder_threshold = models.DurationField(_("speeder threshold"), null=True, blank=True)
    # What the facts' customer segments were read for (surveys.results.segments).
    segments_basis = models.TextField(_("customer segments of"), blank=True, default="")
    # Whether ResultDayBits holds every aggregated response (not when one counts a code twice).
    day_bits = models.BooleanField(_("day bitmaps complete"), default=False)

    class Meta:
        verbose_name = _("results pre-aggregate")
        verbose_name_plural = _("results pre-aggregates")

    def __str__(self) -> str:
        return f"{self.survey_id} ≤ {self.watermark:%Y-%m-%d %H:%M}"


class ResultCode(models.Model):
    """A counted value of a survey's answers, numbered for the facts and cells: code 0 is
    "a response", else `question_key` was answered (kind 1: answers without a number), gave
    the score `value` (kind 2) or chose the option `value` (kind 3)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="+")
    code = models.IntegerField()
    question_key = models.CharField(max_length=64, blank=True)
    kind = models.PositiveSmallIntegerField()
    value = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survey", "code"], name="result_code_unique"),
            models.UniqueConstraint(
                fields=["survey", "question_key", "kind", "value"], name="result_code_value"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} = {self.question_key}:{self.kind}:{self.value}"


class CodeArrayField(models.Field):
    """An integer[] on PostgreSQL, the only database whose pre-aggregate fills it (the
    results count live elsewhere); text on the others so their migrations still run."""

    def db_type(self, connection):
        return "integer[]" if connection.vendor == "postgresql" else "text"


class SegmentArrayField(models.Field):
    """A text[] on PostgreSQL (see CodeArrayField), text on the others."""

    def db_type(self, connection):
        return "text[]" if connection.vendor == "postgresql" else "text"


class ResultFact(models.Model):
    """One aggregated completed response in compact form: its facets (the customer's region
    as it was when aggregated: a trigger marks the cube stale when it changes), quality `flags`
    (1 speeder, 2 straight-liner, 4 duplicate device) and the `codes` (ResultCode) of what it
    counts, so any combination of filters is one scan of the matching rows; `segments` the
    customer's segments, as of the cube's `segments_basis`."""

    response_id = models.BigIntegerField(primary_key=True)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    channel = models.CharField(max_length=10)
    store = models.CharField(max_length=64, blank=True)
    version = models.IntegerField()
    distribution_id = models.BigIntegerField(null=True)
    customer_id = models.BigIntegerField(null=True)
    region = models.CharField(max_length=100, blank=True)  # the customer's, at the build
    nps_score = models.SmallIntegerField(null=True)
    flags = models.SmallIntegerField(default=0)
    codes = CodeArrayField()
    # "<key>:<value>" of the customer's registered segments (surveys.results.segments).
    segments = SegmentArrayField(null=True)

    class Meta:
        indexes = [
            models.Index(fields=["survey", "day"], name="result_fact_day"),
            models.Index(fields=["survey", "store", "day"], name="result_fact_store"),
            models.Index(fields=["survey", "customer_id"], name="result_fact_customer"),
            models.Index(fields=["survey", "distribution_id"], name="result_fact_distribution"),
        ]

    def __str__(self) -> str:
        return f"{self.survey_id}/{self.response_id}"


class ResultCubeCell(models.Model):
    """One count of a survey's results pre-aggregate: of the completed responses of `day`
    (local) with quality `flags` that carry `facet` ("*" all, "channel:wechat", "store:S03",
    "region:华东", "version:2", "distribution:7", "nps_group:detractor", "code:12" — counted
    the value of code 12, e.g. chose option a of visit or gave 3 to nps), how many counted
    the value `code` (ResultCode; code 0: how many responses)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="+")
    facet = models.TextField()
    day = models.DateField()
    flags = models.SmallIntegerField(default=0)
    code = models.IntegerField()
    n = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "facet", "day", "flags", "code"],
                name="result_cube_cell_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.facet} {self.day} {self.flags} {self.code} = {self.n}"


class BitStringField(models.Field):
    """A bit varying on PostgreSQL (see CodeArrayField), text on the others."""

    def db_type(self, connection):
        return "bit varying" if connection.vendor == "postgresql" else "text"


class ResultDayBits(models.Model):
    """Per local `day` and facet of a survey's results pre-aggregate, one bit per aggregated
    response of that day — in the same order for every facet of the day — set when the
    response carries the facet: "channel:wechat", "store:S03", "segment:…", "code:12" (it
    counts code 12: an option chosen, a score given, a question answered) or "flags:3" (its
    quality flags are exactly 3). Filters on two facets or more are then ANDs of a few
    bitmaps per day, and the counts one popcount per code and day."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="+")
    facet = models.TextField()
    day = models.DateField()
    bits = BitStringField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "facet", "day"], name="result_day_bits_unique"
            )
        ]
        indexes = [models.Index(fields=["survey", "day"], name="result_day_bits_day")]

    def __str__(self) -> str:
        return f"{self.facet} {self.day}"
