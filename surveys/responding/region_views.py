"""The divisions below a region code, as JSON for the region question's script (the page
works without it: the selects are filled by the server a level at a time)."""

from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_http_methods

from surveys.questions import region


@require_http_methods(["GET", "HEAD"])
@cache_control(public=True, max_age=7 * 86400)
def region_children(request, code=""):
    """[{"v": code, "n": name}, …] one level below `code` (the provinces without one)."""
    if code and region.division(code) is None:
        return HttpResponse(status=404)
    rows = [{"v": d.code, "n": d.name} for d in region.children_of(code)]
    return JsonResponse(rows, safe=False, json_dumps_params={"ensure_ascii": False})
