"""Signals other apps listen to; `surveys` imports none of them."""

from django.dispatch import Signal

# Sent once a completed response is committed: by the `surveys.announce_response` task in a
# worker (in-process when no broker is configured), so listeners never slow the request.
# Listeners must be idempotent: a retried task or the sweeper may announce a response twice.
# kwargs: response_id (int).
response_submitted = Signal()

# The same, for many responses at once (the outbox sweep announces its chunks this way), so
# listeners can do their work in a few queries for the chunk instead of a few per response.
# A listener of both signals does its work on this one and returns early from
# `response_submitted` when it carries `batched=True` (sent after this one for each response).
# kwargs: response_ids (list of int).
responses_submitted = Signal()
