"""What erasure leaves behind in place of personal data (shared by the registry and the
re-keying step, re-exported by surveys.privacy.personal_data)."""

from __future__ import annotations

from datetime import datetime, time

from django.utils import timezone

# What replaces erased or expired free text (answers, feedback, notes, replies).
ERASED_TEXT = "[erased]"


def local_day(moment: datetime) -> datetime:
    """Midnight (local time) of the day `moment` falls on: the date stays, the time goes —
    how fine erasure keeps the dates of what stays (purchases, the anonymous key)."""
    day = timezone.localtime(moment).date()
    return timezone.make_aware(datetime.combine(day, time.min))


def admin_log_forget(model, ids) -> int:
    """The admin's history names each object it changed (`str(obj)`: a customer's name, a
    feedback item's first words, a purchase's order ID): keep the entries, drop the names."""
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model),
        object_id__in=[str(pk) for pk in ids],
    )
    return entries.update(object_repr=ERASED_TEXT, change_message="")
