"""The Admins' view of the response outbox: responses whose listeners kept failing, with a
button to re-drive them (all, or one)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from surveys.responding.outbox import (
    response_announce_redrive,
    responses_announce_failed,
    responses_waiting_count,
)

# Admins only: Managers and Agents read responses but do not change them.
admin_required = permission_required("surveys.change_response", raise_exception=True)


@login_required
@admin_required
def outbox_failed(request):
    return render(
        request,
        "surveys/outbox/failed.html",
        {"failed": responses_announce_failed(), "waiting": responses_waiting_count()},
    )


@login_required
@admin_required
@require_POST
def outbox_redrive(request):
    chosen = request.POST.get("response")
    ids = [int(chosen)] if chosen and chosen.isdigit() else None
    announced = response_announce_redrive(response_ids=ids)
    still_failing = len(responses_announce_failed())
    messages.success(
        request,
        _("%(announced)d responses announced; %(failing)d still failing.")
        % {"announced": announced, "failing": still_failing},
    )
    return redirect("surveys:outbox-failed")
