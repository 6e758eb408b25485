"""Serializer fields shared by the API modules."""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

EARLIEST = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
LATEST = dt.datetime(9998, 12, 31, tzinfo=dt.UTC)


class DateTimeField(serializers.DateTimeField):
    """A date and time from 1970 to 9998.

    Outside that range a value cannot be given back as an RFC 3339 date-time: far back,
    Asia/Shanghai's offset was local mean time (+08:05:43, seconds included), and near the
    year 9999 the local time overflows. Such dates mean a typo, not a real survey, purchase
    or piece of feedback.
    """

    default_error_messages = {
        "out_of_range": _("Enter a date and time between the years 1970 and 9998."),
    }

    def to_internal_value(self, value):
        result = super().to_internal_value(value)
        if timezone.is_aware(result) and not EARLIEST <= result <= LATEST:
            self.fail("out_of_range")
        offset = timezone.localtime(result).utcoffset() if timezone.is_aware(result) else None
        if offset is not None and offset.seconds % 60:
            self.fail("out_of_range")
        return result
