"""Staff pages of triage: the queue (phone-friendly), a case with its customer's context
and the workflow forms, and the service metrics. Thin: services write, queries read."""

from datetime import datetime, time, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from feedback.analysis.queries import aspect_choices
from feedback.cases import contact, services, sla
from feedback.cases.forms import (
    AssignForm,
    BulkAssignForm,
    CallForm,
    MetricsForm,
    NoteForm,
    QueueFilterForm,
    ReplyForm,
    ResolveForm,
)
from feedback.cases.queries import (
    CaseFilters,
    case_for_page,
    case_queue,
    case_queue_counts,
    case_value_tiers,
    customer_history,
    service_metrics,
)
from feedback.models import Topic
from feedback.models.cases import Case, CaseRule, CaseRuleKind
from surveys.customers.panels import customer_panels, customer_value
from surveys.models import Survey
from surveys.privacy.access_log import personal_data_viewed

PAGE_SIZE = 50

EVENT_LABELS = {
    "opened": gettext_lazy("Case opened"),
    "extended": gettext_lazy("More feedback added"),
    "claimed": gettext_lazy("Claimed"),
    "assigned": gettext_lazy("Assigned"),
    "status_changed": gettext_lazy("Status changed"),
    "note_added": gettext_lazy("Internal note added"),
    "call_logged": gettext_lazy("Phone call logged"),
    "first_response": gettext_lazy("First response"),
    "reply_queued": gettext_lazy("Reply written"),
    "reply_sent": gettext_lazy("Reply delivered"),
    "reply_failed": gettext_lazy("Reply could not be delivered"),
    "resolved": gettext_lazy("Resolved"),
    "closed": gettext_lazy("Closed"),
    "reopened": gettext_lazy("Reopened"),
    "resurvey_sent": gettext_lazy("Re-survey sent"),
    "resurvey_skipped": gettext_lazy("Re-survey not sent"),
    "resurvey_answered": gettext_lazy("Re-survey answered"),
    "sla_warning": gettext_lazy("Nearly due: assignee notified"),
    "escalated": gettext_lazy("Overdue: escalated"),
}

view_required = permission_required("feedback.view_case", raise_exception=True)
change_required = permission_required("feedback.change_case", raise_exception=True)


@login_required
@view_required
def queue(request):
    form = QueueFilterForm(
        request.GET or None,
        topics=Topic.objects.filter(merged_into__isnull=True).order_by("name")[:200],
        surveys=Survey.objects.order_by("-created_at")[:200],
        tiers=case_value_tiers(),
    )
    # A filter that cannot be applied is named on the page; the valid ones still apply
    # (is_valid() leaves the fields that passed in cleaned_data).
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    filters = CaseFilters(
        view=data.get("view") or "open", priority=data.get("priority") or "",
        topic=data.get("topic"), survey=data.get("survey"),
        value_tier=data.get("value_tier") or "",
    )  # fmt: skip
    now = timezone.now()
    page = Paginator(case_queue(user=request.user, filters=filters, now=now), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for case in page:
        case.sla_flag = case.sla_state(now)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "feedback/cases/queue.html",
        {
            "form": form,
            "filters": filters,
            "page": page,
            "counts": case_queue_counts(user=request.user, now=now),
            "now": now,
            "query": query.urlencode(),
            "assign_form": AssignForm()
            if request.user.has_perm(services.REASSIGN_PERMISSION)
            else None,
        },
    )


def _highlighted(text: str, words: list[str], clauses: list[str]):
    """The text as (piece, css class) segments: escalation words and negative aspect
    clauses marked. The template escapes every piece."""
    marks = [(w, "escalation") for w in words if w] + [(c, "negative") for c in clauses if c]
    spans: list[tuple[int, int, str]] = []
    for needle, kind in marks:
        start = text.find(needle)
        while start != -1:
            end = start + len(needle)
            if not any(s < end and start < e for s, e, _k in spans):
                spans.append((start, end, kind))
            start = text.find(needle, end)
    segments, cursor = [], 0
    for start, end, kind in sorted(spans):
        if cursor < start:
            segments.append((text[cursor:start], ""))
        segments.append((text[start:end], kind))
        cursor = end
    if cursor < len(text):
        segments.append((text[cursor:], ""))
    return segments


def _aspects_once(items) -> list[dict]:
    """Each aspect the customer spoke of once, by its name in the page's language, with the
    most negative sentiment any item gave it."""
    names = dict(aspect_choices(get_language() or "zh-hans"))
    rank = {"negative": 0, "neutral": 1, "positive": 2}
    worst: dict[str, object] = {}
    for item in items:
        for aspect in item.aspects.all():
            kept = worst.get(aspect.aspect)
            if kept is None or rank.get(aspect.label, 1) < rank.get(kept.label, 1):
                worst[aspect.aspect] = aspect
    return [
        {"name": names.get(key, key), "label": a.label, "score": a.score}
        for key, a in worst.items()
    ]


def _escalation_words() -> list[str]:
    words: list[str] = []
    for rule in CaseRule.objects.filter(kind=CaseRuleKind.ESCALATION_WORDS, is_active=True):
        words += [w for w in rule.words if isinstance(w, str)]
    return words


def _panels(request, customer) -> list[dict]:
    if customer is None:
        return []
    rendered = []
    for panel in customer_panels(request.user):
        content = panel.render(customer, request)
        if content is not None:
            html = render_to_string(content.template, content.context, request=request)
            rendered.append({"title": panel.title, "html": html})
    return rendered


@login_required
@view_required
def case_detail(request, pk):
    get_object_or_404(Case.objects.only("pk"), pk=pk)
    case = case_for_page(pk)
    personal_data_viewed(request, resource="case", object_id=pk, customer_id=case.customer_id)
    words = _escalation_words()
    items = [
        {
            "item": item,
            "segments": _highlighted(
                item.text, words, [a.clause for a in item.aspects.all() if a.label == "negative"]
            ),
        }
        for item in case.feedback_items.all()
    ]
    now = timezone.now()
    # Free text is shown once, as the highlighted feedback above, not again among the answers.
    shown_as_feedback = {entry["item"].question_key for entry in items}
    answers = [
        answer
        for answer in (case.response.answers.all() if case.response_id else [])
        if answer.question_key not in shown_as_feedback
    ]
    works_cases = request.user.has_perm("feedback.change_case")
    # A colleague's case is theirs to work (or a manager's): no forms for anyone else.
    can_change = works_cases and services.may_act_on(case, request.user)
    return render(
        request,
        "feedback/cases/detail.html",
        {
            "case": case,
            "items": items,
            "answers": answers,
            "aspects": _aspects_once(case.feedback_items.all()),
            "history": customer_history(case),
            "value": customer_value(case.customer) if case.customer_id else None,
            "panels": _panels(request, case.customer),
            "events": [(e, EVENT_LABELS.get(e.kind, e.kind)) for e in case.events.all()],
            "can_change": can_change,
            "colleagues_case": works_cases and not can_change,
            "can_reassign": request.user.has_perm(services.REASSIGN_PERMISSION),
            "note_form": NoteForm(),
            "call_form": CallForm(),
            "reply_form": ReplyForm(),
            "resolve_form": ResolveForm(),
            "assign_form": AssignForm(initial={"assignee": case.assignee_id}),
            "now": now,
            "sla_state": case.sla_state(now),
            "first_state": sla.sla_state(case.due_first_response_at, case.sla_started_at, now)
            if case.is_open and case.due_first_response_at
            else "",
        },
    )


def _run(request, pk, action) -> None:
    case = get_object_or_404(Case, pk=pk)
    try:
        done = action(case)
    except services.CaseError as exc:
        messages.error(request, exc.message)
    else:
        if done:
            messages.success(request, done)


def _form_action(form_class, call):
    """A POST view: validate the form, call the service, report the result on the case."""

    @login_required
    @change_required
    @require_POST
    def view(request, pk):
        form = form_class(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
            return redirect(_safe_next(request, pk))
        _run(request, pk, lambda case: call(case, form.cleaned_data, request.user))
        return redirect(_safe_next(request, pk))

    return view


def _safe_next(request, pk):
    """Back to the queue when the form came from it, else to the case."""
    if request.POST.get("next") == "queue":
        return reverse("cases:queue")
    return reverse("cases:detail", kwargs={"pk": pk})


def _simple_action(service, done_message):
    """A POST view for a service that needs only the case and the user."""

    @login_required
    @change_required
    @require_POST
    def view(request, pk):
        def act(case):
            service(case=case, by=request.user)
            return done_message

        _run(request, pk, act)
        return redirect(_safe_next(request, pk))

    return view


claim = _simple_action(services.case_claim, gettext_lazy("The case is yours."))
start = _simple_action(services.case_start, gettext_lazy("Work started."))
wait = _simple_action(services.case_wait_on_customer, gettext_lazy("Waiting on the customer."))
close = _simple_action(services.case_close, gettext_lazy("Case closed."))
reopen = _simple_action(services.case_reopen, gettext_lazy("Case reopened."))


def _add_note(case, data, user) -> str:
    services.case_note_add(case=case, text=data["text"], by=user)
    return _("Note saved.")


def _log_call(case, data, user) -> str:
    contact.case_log_call(case=case, summary=data["summary"], by=user)
    return _("Call logged.")


def _send_reply(case, data, user) -> str:
    contact.case_reply(case=case, message=data["message"], subject=data["subject"], by=user)
    return _("Reply sent to the customer.")


def _resolve(case, data, user) -> str:
    services.case_resolve(
        case=case,
        reason=data["reason"],
        outcome=data["outcome"],
        by=user,
        resurvey=data["resurvey"],
    )
    return _("Case resolved.")


def _assign(case, data, user) -> str:
    services.case_assign(case=case, assignee=data["assignee"], by=user)
    return _("Case assigned to %(name)s.") % {"name": data["assignee"].get_username()}


note = _form_action(NoteForm, _add_note)
call = _form_action(CallForm, _log_call)
reply = _form_action(ReplyForm, _send_reply)
resolve = _form_action(ResolveForm, _resolve)
assign = _form_action(AssignForm, _assign)


@login_required
@change_required
@require_POST
def bulk_assign(request):
    form = BulkAssignForm(request.POST)
    if form.is_valid():
        try:
            count = services.cases_bulk_assign(
                case_ids=form.cleaned_data["case_ids"],
                assignee=form.cleaned_data["assignee"],
                by=request.user,
            )
        except services.CaseError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("%(count)d cases assigned.") % {"count": count})
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("cases:queue")


@login_required
@view_required
def metrics(request):
    form = MetricsForm(request.GET or None)
    first, last = form.period()
    tz = timezone.get_current_timezone()
    start = datetime.combine(first, time.min, tzinfo=tz)
    end = datetime.combine(last + timedelta(days=1), time.min, tzinfo=tz)
    return render(
        request,
        "feedback/cases/metrics.html",
        {
            "form": form,
            "metrics": service_metrics(start=start, end=end),
            "first": first,
            "last": last,
        },
    )
