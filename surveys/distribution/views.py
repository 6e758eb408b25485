"""Distribution pages: the public unsubscribe page and QR codes, and the staff pages."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from surveyhub.security.ratelimit import public_page
from surveys.distribution.audience_preview import audience_preview, email_preview
from surveys.distribution.building import distribution_queue_build
from surveys.distribution.forms import CHOICE_FILTERS, DistributionForm, audience_description
from surveys.distribution.invitations import (
    DistributionError,
    distribution_cancel,
    distribution_create,
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
from surveys.models import Distribution, DistributionChannel, DistributionStatus, Survey

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


def _preview_context(form: DistributionForm, survey: Survey) -> dict:
    """The live audience size, sample names and email preview of a bound form."""
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    channel = data.get("channel") or DistributionChannel.EMAIL
    context: dict = {"preview_errors": [], "channel": channel}
    audience = data.get("audience")
    if channel == DistributionChannel.LINK:
        context["link_only"] = True
    elif audience is None:
        context["preview_errors"] = list(form.non_field_errors())
    else:
        context["preview"] = audience_preview(survey=survey, channel=channel, filters=audience)
    if channel == DistributionChannel.EMAIL:
        email_errors = [*form.errors.get("email_subject", []), *form.errors.get("email_body", [])]
        subject = (form.data.get("email_subject") or "").strip()
        body = (form.data.get("email_body") or "").strip()
        context["email_errors"] = email_errors
        if not email_errors:
            preview = context.get("preview")
            sample = preview.sample[0] if preview and preview.sample else None
            language = translation.get_language() or settings.LANGUAGE_CODE
            context["email"] = email_preview(
                survey=survey, subject=subject, body=body, customer=sample,
                language=sample.language if sample and sample.language else language,
            )  # fmt: skip
    return context


def _create(request, survey: Survey, form: DistributionForm) -> Distribution:
    """Create the distribution and queue its build, all or nothing."""
    data = form.cleaned_data
    with transaction.atomic():
        distribution = distribution_create(
            survey=survey, channel=data["channel"], audience=data.get("audience"),
            send_at=data["send_at"], reminder_after_days=data["reminder_after_days"],
            max_reminders=data["max_reminders"], name=data["name"], by=request.user,
            email_subject=data["email_subject"], email_body=data["email_body"],
        )  # fmt: skip
        if distribution.channel != DistributionChannel.LINK:
            refusal = _empty_audience(form, survey)
            if refusal:  # rolls the distribution back
                raise DistributionError(refusal, {"audience": [refusal]})
            distribution = distribution_queue_build(
                distribution=distribution, send=data["when"] != "review", by=request.user
            )
    return distribution


@_staff("surveys.view_distribution")
@require_http_methods(["GET", "POST"])
def distribution_list(request, survey_id):
    """A survey's distributions with their counts, and the builder of a new one.

    POST with action=count (the no-script way) shows the audience size and the email
    preview; any other POST creates the distribution and queues its audience's build."""
    survey = get_object_or_404(Survey, pk=survey_id)
    form = DistributionForm(request.POST or None, initial=_initial_audience(request.GET))
    preview = None
    if request.method == "POST":
        if not request.user.has_perm("surveys.add_distribution"):
            return HttpResponse(status=403)
        if request.POST.get("action") == "count":
            preview = _preview_context(form, survey)
        elif form.is_valid():
            try:
                distribution = _create(request, survey, form)
            except DistributionError as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, _("The distribution was created."))
                return redirect("surveys:distribution-detail", pk=distribution.pk)
    distributions = [
        (d, counts_of(d))
        for d in distributions_with_counts(Distribution.objects.filter(survey=survey))
    ]
    context = {"survey": survey, "distributions": distributions, "form": form, **(preview or {})}
    context["counted"] = preview is not None
    return render(
        request, "surveys/distribution/list.html", context,
        status=400 if form.is_bound and form.errors and preview is None else 200,
    )  # fmt: skip


def _initial_audience(query) -> dict:
    """The builder's choice filters ticked from the query (?lifecycle_stage=lost&…): how other
    pages ("invite this segment") open it with their audience chosen; nothing is sent yet."""
    return {
        key: query.getlist(key) for key in (*CHOICE_FILTERS, "customer_ids") if query.getlist(key)
    }


def _empty_audience(form: DistributionForm, survey: Survey) -> str:
    data = form.cleaned_data
    preview = audience_preview(
        survey=survey, channel=data["channel"], filters=data["audience"], sample_size=0
    )
    if preview.matched == 0:
        return _("No customer matches these conditions; widen the audience.")
    if preview.reachable == 0:
        return _(
            "None of the %(n)d customers of this audience can be contacted (unsubscribed, "
            "no consent or no address); widen the audience."
        ) % {"n": preview.matched}
    return ""


def _form_errors(form: DistributionForm, exc: DistributionError) -> None:
    for field, errors in exc.errors.items():
        for message in errors:
            form.add_error(field if field in form.fields else None, message)
    if not exc.errors:
        form.add_error(None, exc.message)


@_staff("surveys.add_distribution")
@require_POST
def distribution_audience_preview(request, survey_id):
    """The live audience size, sample names and email preview as an HTML fragment, fetched
    by distribution/audience.js as the builder changes; nothing is stored."""
    survey = get_object_or_404(Survey, pk=survey_id)
    context = _preview_context(DistributionForm(request.POST), survey)
    return render(request, "surveys/distribution/audience_preview.html", context)


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
            "audience": audience_description(distribution.audience),
            "busy": distribution.status in BUSY,
            "cancellable": distribution.status not in FINISHED,
        },
    )


BUSY = (DistributionStatus.BUILDING, DistributionStatus.SENDING)
FINISHED = (DistributionStatus.SENT, DistributionStatus.CANCELLED)


@_staff("surveys.change_distribution")
@require_POST
def distribution_send_view(request, pk):
    """Send now: the audience is (re)built in a task, then sent."""
    distribution = get_object_or_404(Distribution, pk=pk)
    try:
        distribution = distribution_queue_build(
            distribution=distribution, send=True, by=request.user
        )
    except DistributionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Sending has started."))
    return redirect("surveys:distribution-detail", pk=pk)


@_staff("surveys.change_distribution")
@require_POST
def distribution_cancel_view(request, pk):
    """Cancel a distribution that has not finished: nothing more is sent."""
    distribution = get_object_or_404(Distribution, pk=pk)
    try:
        distribution_cancel(distribution=distribution, by=request.user)
    except DistributionError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The distribution was cancelled; nothing more is sent."))
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
