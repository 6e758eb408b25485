"""Staff pages: the feedback explorer, an item with its sentiment correction, topics."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from feedback.analysis.corrections import sentiment_correct
from feedback.analysis.forms import (
    FeedbackFilterForm,
    SentimentCorrectionForm,
    TopicMergeForm,
    TopicRenameForm,
)
from feedback.analysis.queries import (
    aspect_choices,
    feedback_items,
    topic_trend,
    topics_examples,
    topics_nps_impact,
    topics_with_figures,
)
from feedback.analysis.topics import topic_merge, topic_rename
from feedback.errors import FeedbackError
from feedback.models import FeedbackItem, Topic
from surveys.models import Survey
from surveys.privacy.access_log import personal_data_viewed

PAGE_SIZE = 50
NPS_MAX = 10
# Dashboard filters the explorer has no field for: shown as "not applied here".
NOT_HERE = {
    "channel": gettext_lazy("Channel"),
    "store": gettext_lazy("Store"),
    "region": gettext_lazy("Region"),
    "category": gettext_lazy("Product category"),
    "segment": gettext_lazy("RFM segment"),
}


@login_required
@permission_required("feedback.view_feedbackitem", raise_exception=True)
def explorer(request):
    form = FeedbackFilterForm(
        request.GET or None,
        topics=list(
            Topic.objects.filter(merged_into__isnull=True)
            .order_by("-is_active", "name")
            .values_list("pk", "name")
        ),
        aspects=aspect_choices(get_language()),
        surveys=list(Survey.objects.order_by("title").values_list("pk", "title")),
    )
    filters = form.filters()
    items = feedback_items(filters)
    # The dashboard's NPS bars link here with the score they count (each item carries its
    # response's score); filters this page cannot apply are named, never silently dropped.
    nps_given = request.GET.get("nps", "")
    nps = int(nps_given) if nps_given.isdigit() and int(nps_given) <= NPS_MAX else None
    if nps is not None:
        items = items.filter(nps_score=nps)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "feedback/explorer.html",
        {
            "form": form,
            "page": page,
            "nps": nps,
            "nps_refused": nps_given if nps_given and nps is None else "",
            "not_applied": [str(label) for key, label in NOT_HERE.items() if request.GET.get(key)],
            "query": query.urlencode(),
            "search": filters.q,
            "aspect_names": dict(aspect_choices(get_language())),
        },
    )


@login_required
@permission_required("feedback.view_feedbackitem", raise_exception=True)
def item_detail(request, pk: int):
    item = get_object_or_404(feedback_items(), pk=pk)
    personal_data_viewed(request, resource="feedback", object_id=pk, customer_id=item.customer_id)
    return render(
        request,
        "feedback/item.html",
        {
            "item": item,
            "corrections": item.corrections.select_related("corrected_by"),
            "form": SentimentCorrectionForm(initial={"label": item.sentiment_label or None}),
            "can_correct": request.user.has_perm("feedback.add_sentimentcorrection"),
            "aspect_names": dict(aspect_choices(get_language())),
        },
    )


@require_POST
@login_required
@permission_required("feedback.add_sentimentcorrection", raise_exception=True)
def item_correct(request, pk: int):
    item = get_object_or_404(FeedbackItem, pk=pk)
    form = SentimentCorrectionForm(request.POST)
    if form.is_valid():
        try:
            sentiment_correct(item=item, label=form.cleaned_data["label"], by=request.user)
        except FeedbackError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Sentiment corrected; kept as training data."))
    else:
        messages.error(request, _("Choose positive, neutral or negative."))
    return redirect("feedback:item", pk=pk)


@login_required
@permission_required("feedback.view_topic", raise_exception=True)
def topic_list(request):
    topics = list(topics_with_figures())
    impact = topics_nps_impact([t.pk for t in topics])
    examples = topics_examples(topics)
    for topic in topics:
        topic.nps_impact = impact.get(topic.pk)
        topic.examples = examples[topic.pk]
    return render(request, "feedback/topics.html", {"topics": topics})


@login_required
@permission_required("feedback.view_topic", raise_exception=True)
def topic_detail(request, pk: int):
    topic = get_object_or_404(topics_with_figures(include_merged=True), pk=pk)
    topic.nps_impact = topics_nps_impact([topic.pk])[topic.pk]
    trend = topic_trend(topic)
    peak = max((row["count"] for row in trend), default=0)
    for row in trend:
        row["bar"] = round(100 * row["count"] / peak) if peak else 0
    others = Topic.objects.filter(merged_into__isnull=True).exclude(pk=topic.pk).order_by("name")
    return render(
        request,
        "feedback/topic.html",
        {
            "topic": topic,
            "trend": trend,
            "items": feedback_items().filter(topic_links__topic=topic)[:20],
            "can_change": request.user.has_perm("feedback.change_topic"),
            "rename_form": TopicRenameForm(initial={"name": topic.name}),
            "merge_form": TopicMergeForm(topics=list(others.values_list("pk", "name"))),
            "aspect_names": dict(aspect_choices(get_language())),
        },
    )


@require_POST
@login_required
@permission_required("feedback.change_topic", raise_exception=True)
def topic_rename_view(request, pk: int):
    topic = get_object_or_404(Topic, pk=pk)
    form = TopicRenameForm(request.POST)
    if form.is_valid():
        try:
            topic_rename(topic=topic, name=form.cleaned_data["name"])
        except FeedbackError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Topic renamed; the name is kept by later runs."))
    else:
        messages.error(request, _("Enter a name of at most 100 characters."))
    return redirect("feedback:topic", pk=pk)


@require_POST
@login_required
@permission_required("feedback.change_topic", raise_exception=True)
def topic_merge_view(request, pk: int):
    topic = get_object_or_404(Topic, pk=pk)
    others = Topic.objects.filter(merged_into__isnull=True).exclude(pk=pk)
    form = TopicMergeForm(request.POST, topics=list(others.values_list("pk", "name")))
    if not form.is_valid():
        messages.error(request, _("Choose the topic to merge into."))
        return redirect("feedback:topic", pk=pk)
    try:
        kept = topic_merge(topic=topic, into=others.get(pk=form.cleaned_data["into"]))
    except FeedbackError as exc:
        messages.error(request, str(exc.message))
        return redirect("feedback:topic", pk=pk)
    messages.success(request, _("Topics merged."))
    return redirect("feedback:topic", pk=kept.pk)
