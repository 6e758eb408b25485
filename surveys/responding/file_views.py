"""Staff download of a file a respondent uploaded: only for those who read single responses,
logged like opening the response, sent as an attachment the browser will not render."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from surveys.models import Response
from surveys.privacy.access_log import personal_data_viewed
from surveys.responding.uploads import file_for_staff
from surveys.results.access import can_read_responses


@never_cache
@login_required
@require_http_methods(["GET"])
def response_file(request, response_id, token):
    if not can_read_responses(request.user):
        raise PermissionDenied
    stored = file_for_staff(response_id, token)
    if stored is None:
        raise Http404
    customer_id = Response.objects.filter(pk=response_id).values_list("customer_id", flat=True)
    personal_data_viewed(
        request, resource="response", object_id=response_id, customer_id=customer_id.first()
    )
    reply = HttpResponse(bytes(stored.data), content_type=stored.content_type)
    reply["Content-Disposition"] = content_disposition_header(True, stored.name)
    reply["X-Content-Type-Options"] = "nosniff"
    reply["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return reply
