"""Signals other apps listen to; `surveys` imports none of them."""

from django.dispatch import Signal

# Sent once a completed response is committed: by the `surveys.announce_response` task in a
# worker (in-process when no broker is configured), so listeners never slow the request.
# Listeners must be idempotent: a retried task or the sweeper may announce a response twice.
# kwargs: response_id (int).
response_submitted = Signal()
