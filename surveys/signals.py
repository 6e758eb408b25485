"""Signals other apps listen to; `surveys` imports none of them."""

from django.dispatch import Signal

# Sent on commit after a response is completed. kwargs: response_id (int).
response_submitted = Signal()
