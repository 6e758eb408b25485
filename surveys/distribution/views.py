"""Distribution pages: the public unsubscribe page and QR codes, and the staff pages."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from surveyhub.security.ratelimit import public_page
from surveys.distribution.forms import DistributionForm
from surveys.distribution.invitations import (
    DistributionError,
    distribution_create,
    distribution_send,
)
from surveys.distribution.links import (
    QR_KINDS,
    LinkError,
    survey_public_url,
    survey_qr_image,
    survey_qr_url,
)
from surveys.distribution.queries import (
    counts_of,
    distribution_invitations,
    distributions_with_counts,
)
from surveys.distribution.unsubscribe import (
    customer_unsubscribe,
    invitation_by_token,
    masked_contact,
)
from surveys.models import Distribution, Survey

# Public -----------------------------------------------------------------------------------


# One-click unsubscribe (RFC 8058): mail apps POST to the link without cookies, so there is
# no CSRF token; the unguessable personal token is what authorises the request.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
@public_page(invitation_kwarg="token")
def unsubscribe(request, token):
    """GET asks for confirmation (changes nothing: link scanners open links); POST unsubscribes."""
    invitation = invitation_by_token(token)  # checks the token's shape before any query
    template = "surveys/distribution/unsubscribe.html"
    if invitation is None:
        return render(request, template, {"state": "invalid"}, status=404)
    with translation.override(invitation.language):
        if request.method == "POST":
            try:
                customer_unsubscribe(token=token)
            except DistributionError:
                return render(request, template, {"state": "invalid"}, status=404)
            state = "done"
        else:
            state = "already" if invitation.customer.unsubscribed else "confirm"
        survey = invitation.distribution.survey
        context = {
            "state": state, "email": masked_contact(invitation),
            "survey_title": survey.title_in(invitation.language or "zh-hans"),
        }  # fmt: skip
        return render(request, template, context)


@require_GET
@public_page(set_cookie=False)  # outside cache_control: a refusal is never cached
@cache_control(public=True, max_age=86400)
def survey_qr(request, slug, kind):
    """The QR code of a survey's public link (`?c=wechat&store=SH01` are passed into it)."""
    survey = Survey.objects.filter(slug=slug).only("pk", "slug").first()
    if survey is None:
        return HttpResponse(
            translation.gettext("There is no survey at this address."),
            status=404, content_type="text/plain; charset=utf-8",
        )  # fmt: skip
    try:
        image = survey_qr_image(
            survey, kind, channel=request.GET.get("c"), store=request.GET.get("store")
        )
    except LinkError as exc:
        return HttpResponse(str(exc), status=400, content_type="text/plain; charset=utf-8")
    return HttpResponse(image, content_type=QR_KINDS[kind])


# Staff ------------------------------------------------------------------------------------


def _staff(permission: str):
    def decorate(view):
        return login_required(permission_required(permission, raise_exception=True)(view))

    return decorate


@_staff("surveys.view_distribution")
@require_http_methods(["GET", "POST"])
def distribution_list(request, survey_id):
    """A survey's distributions with their counts, and the form for a new one."""
    survey = get_object_or_404(Survey, pk=survey_id)
    form = DistributionForm(request.POST or None)
    if request.method == "POST":
        if not request.user.has_perm("surveys.add_distribution"):
            return HttpResponse(status=403)
        if form.is_valid():
            data = form.cleaned_data
            try:
                distribution = distribution_create(
                    survey=survey, channel=data["channel"], audience=data.get("audience"),
                    send_at=data["send_at"], reminder_after_days=data["reminder_after_days"],
                    max_reminders=data["max_reminders"] or 0, name=data["name"], by=request.user,
                )  # fmt: skip
            except DistributionError as exc:
                for field, errors in exc.errors.items():
                    for message in errors:
                        form.add_error(field if field in form.fields else None, message)
                if not exc.errors:
                    form.add_error(None, exc.message)
            else:
                messages.success(request, _("The distribution was created; check it and send it."))
                return redirect("surveys:distribution-detail", pk=distribution.pk)
    distributions = [
        (d, counts_of(d))
        for d in distributions_with_counts(Distribution.objects.filter(survey=survey))
    ]
    return render(
        request,
        "surveys/distribution/list.html",
        {"survey": survey, "distributions": distributions, "form": form},
        status=400 if form.errors else 200,
    )


@_staff("surveys.view_distribution")
@require_GET
def distribution_detail(request, pk):
    distribution = get_object_or_404(distributions_with_counts(), pk=pk)
    invitations = Paginator(distribution_invitations(distribution), 50)
    return render(
        request,
        "surveys/distribution/detail.html",
        {
            "distribution": distribution,
            "counts": counts_of(distribution),
            "invitations": invitations.get_page(request.GET.get("page")),
        },
    )


@_staff("surveys.change_distribution")
@require_POST
def distribution_send_view(request, pk):
    distribution = get_object_or_404(Distribution, pk=pk)
    try:
        distribution = distribution_send(distribution=distribution, by=request.user)
    except DistributionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Scheduled.") if distribution.status == "scheduled" else _("Sending has started."),
        )
    return redirect("surveys:distribution-detail", pk=pk)


@_staff("surveys.view_survey")
@require_GET
def survey_links(request, survey_id):
    """The survey's public link and QR codes, optionally tagged with a channel and a store."""
    survey = get_object_or_404(Survey, pk=survey_id)
    channel, store = request.GET.get("c") or None, request.GET.get("store") or None
    error = ""
    try:
        # Images load from this site whatever host staff use; the link shown is the public one.
        links = {
            "public_url": survey_public_url(survey, channel=channel, store=store),
            "qr_svg_url": survey_qr_url(survey, "svg", channel=channel, store=store).removeprefix(
                settings.SITE_URL
            ),
            "qr_png_url": survey_qr_url(survey, "png", channel=channel, store=store).removeprefix(
                settings.SITE_URL
            ),
        }
    except LinkError as exc:
        error, links = str(exc), None
    return render(
        request,
        "surveys/distribution/links.html",
        {"survey": survey, "links": links, "error": error, "channel": channel, "store": store},
        status=400 if error else 200,
    )
