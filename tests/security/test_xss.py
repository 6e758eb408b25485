"""No user text is ever rendered as markup: XSS payloads put in through every door (answers,
feedback, customer names and emails, imported files, case notes and replies, survey texts)
are shown as text on every page, JSON response and email that shows them."""

import datetime as dt

import pytest
from django.contrib import admin
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from analytics.models import Purchase
from feedback.models import FeedbackItem, Topic
from feedback.models.cases import CaseNote
from surveyhub.security.roles import Role
from surveys.distribution.emails import invitation_email
from surveys.distribution.invitations import distribution_create
from surveys.models import Customer, Distribution, Response
from tests.factories import (
    CustomerFactory,
    UserFactory,
    submitted_response,
)
from tests.security.poisoned import invite
from tests.security.xss import PAYLOADS, injection_problems, mixed

pytestmark = pytest.mark.django_db


def _check(client, urls, *, quiet=()) -> None:
    """Every page answers, shows no payload as markup, and (but those in `quiet`, which show
    no user text) does show a payload as text: a page that shows none proves nothing."""
    failures, showing = {}, set()
    for url in urls:
        reply = client.get(url, follow=True)
        assert reply.status_code == 200, f"{url} answered {reply.status_code}"
        if reply.streaming:  # a download (CSV/XLSX), never shown by the browser as a page
            assert not reply["Content-Type"].startswith("text/html"), url
            assert reply["Content-Disposition"].startswith("attachment"), url
            body = b"".join(reply.streaming_content).decode("utf-8-sig", errors="replace")
            if any(p in body for p in PAYLOADS):
                showing.add(url)
            continue
        html = reply.content.decode()
        if any(escape(p) in html for p in PAYLOADS):
            showing.add(url)
        problems = injection_problems(html)
        if problems:
            failures[url] = problems
    assert not failures, failures
    silent = set(urls) - showing - set(quiet)
    assert not silent, f"these pages show none of the payloads: {sorted(silent)}"


def test_the_imports_and_the_respondent_flow_stored_the_payloads(world):
    """The fixture really puts the payloads in (otherwise the page checks prove nothing)."""
    texts = list(world.response.answers.values_list("text", flat=True))
    assert mixed(0) + PAYLOADS[1] in texts
    assert CaseNote.objects.filter(case=world.case, text=mixed(4)).exists()
    assert Customer.objects.filter(name=mixed(4)).exists()
    assert Purchase.objects.filter(category=mixed(7)).exists()
    assert [job.rows_failed for job in world.imports] == [1, 1]


def test_respondent_pages_show_survey_texts_and_saved_answers_as_text(world):
    survey = world.survey
    phone = Client()
    first = phone.get(f"/s/{survey.slug}/")
    html = first.content.decode()
    assert "客户{{7*7}}反馈" in html  # template syntax in user text is shown, not evaluated
    _check(phone, [f"/s/{survey.slug}/", f"/s/{survey.slug}/?lang=en"])
    # A draft whose saved free text and "other" answer are shown again in the form.
    step = phone.post(f"/s/{survey.slug}/", {"page": 0, "nps": "3", "action": "next"})
    phone.post(step["Location"], {
        "page": 1, "comment": PAYLOADS[3], "reason": ["__other__"], "reason_other": PAYLOADS[1],
        "action": "autosave",
    })  # fmt: skip
    _check(phone, [step["Location"]])
    # The invitation page (name piped into texts) and its thank-you page.
    fresh_customer = CustomerFactory(name=PAYLOADS[1], email="ok@example.cn")
    _, url = invite(survey, fresh_customer)
    _check(Client(), [url])
    _check(Client(), [world.url])  # completed: the thank-you page
    assert Client().post(world.url, {"page": 0, "nps": "1"}).status_code == 200
    token = world.url.split("/")[2]
    _check(Client(), [f"/u/{token}/"])


def test_staff_pages_show_every_payload_as_text(world, admin_client):
    survey, case, item, topic = world.survey, world.case, world.item, world.topic
    customer_import, purchase_import = world.imports
    distribution = world.invitation.distribution
    quiet = ["/staff/", "/staff/cases/metrics/", "/staff/analytics/imports/"]
    _check(admin_client, quiet=quiet, urls=[
        "/staff/", "/staff/surveys/", f"/staff/surveys/{survey.pk}/",
        f"/staff/surveys/{survey.pk}/questions/nps/",
        f"/staff/surveys/{survey.pk}/questions/reason/",
        f"/preview/{survey.slug}/",
        f"/staff/distributions/{distribution.pk}/",
        f"/staff/distributions/links/{survey.pk}/",
        "/staff/feedback/", "/staff/feedback/?q=script", f"/staff/feedback/?q={PAYLOADS[0]}",
        f"/staff/feedback/{item.pk}/", "/staff/feedback/topics/",
        f"/staff/feedback/topics/{topic.pk}/",
        "/staff/cases/", f"/staff/cases/{case.pk}/", "/staff/cases/metrics/",
        "/staff/customers/", f"/staff/customers/?q={PAYLOADS[1]}",
        f"/staff/customers/{world.customer.pk}/",
        "/staff/analytics/imports/", f"/staff/analytics/imports/{customer_import.pk}/",
        f"/staff/analytics/imports/{purchase_import.pk}/",
        f"/staff/analytics/imports/{purchase_import.pk}/errors/",
        f"/staff/analytics/imports/{customer_import.pk}/errors/",
    ])  # fmt: skip


def test_the_agent_sees_the_same_pages_escaped(world, client):
    client.force_login(world.agent)
    _check(client, ["/staff/cases/", f"/staff/cases/{world.case.pk}/", "/staff/feedback/"])


def test_admin_changelists_and_change_pages_show_payloads_as_text(world, admin_client):
    urls, quiet = ["/admin/", "/admin/dashboard/"], ["/admin/"]
    shown = {Customer, FeedbackItem, Topic, Response, Distribution, type(world.survey)}
    for model in admin.site._registry:
        meta = model._meta
        urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
        if model not in shown:
            quiet.append(urls[-1])
    for obj in (world.customer, world.survey, world.item, world.topic, world.case,
                world.response, world.invitation.distribution, *world.imports):  # fmt: skip
        meta = obj._meta
        if type(obj) in admin.site._registry:
            urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk]))
    _check(admin_client, urls, quiet=quiet)


def test_dashboard_json_is_served_as_json_never_as_html(world, admin_client):
    for name in ("tiles", "nps-distribution", "sentiment-trend", "topics", "matrix", "service"):
        reply = admin_client.get(f"/api/v1/dashboard/{name}/")
        assert reply.status_code == 200, name
        assert reply["Content-Type"].startswith("application/json"), name
        assert reply["X-Content-Type-Options"] == "nosniff"


def test_emails_show_payloads_as_text_in_their_html_part(world):
    bodies = {}
    for reminder in (False, True):
        message = invitation_email(invitation=world.invitation, reminder=reminder)
        bodies[f"invitation reminder={reminder}"] = message.alternatives[0][0]
        assert mixed(9) in message.body  # the plain-text part keeps the name as written
    from feedback.cases.emails import case_reply_email
    from feedback.models.cases import CaseReply

    reply = CaseReply.objects.get(case=world.case)
    bodies["case reply"] = case_reply_email(reply=reply).alternatives[0][0]

    from analytics.dashboard.digests import weekly_digest_send

    # Promoters without the payload topic make it a negative driver of the week.
    for _ in range(3):
        submitted_response(survey=world.survey, data={"nps": 10})
    UserFactory(username="digest-manager", email="boss@example.cn", role=Role.MANAGER)
    mail.outbox.clear()
    assert weekly_digest_send(today=timezone.localdate() + dt.timedelta(days=7)) == 1
    bodies["digest"] = mail.outbox[0].alternatives[0][0]
    assert world.topic.name in mail.outbox[0].body, "the payload topic is in the digest"

    failures = {name: injection_problems(html) for name, html in bodies.items()}
    assert not any(failures.values()), failures


def test_distribution_sent_by_the_real_service_escapes_the_customer_name(
    world, django_capture_on_commit_callbacks
):
    other = CustomerFactory(name=PAYLOADS[7], email="fine@example.cn")
    distribution = distribution_create(
        survey=world.survey, channel="email", audience={"customer_ids": [other.pk]}
    )
    from surveys.distribution.invitations import distribution_send

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        distribution_send(distribution=distribution)
    assert len(mail.outbox) == 1
    assert not injection_problems(mail.outbox[0].alternatives[0][0])


@pytest.mark.parametrize("payload", PAYLOADS)
def test_the_check_finds_a_payload_rendered_as_markup_and_passes_it_escaped(payload):
    as_markup = {
        "javascript:alert(1)": f'<a href="{payload}">x</a>',
        "{{7*7}}": None,  # plain text either way; what matters is that it is not evaluated
    }.get(payload, f"<p>{payload}</p>")
    if as_markup is not None:
        assert injection_problems(as_markup)
    assert not injection_problems(f"<p>{escape(payload)}</p>")
    assert not injection_problems(f'<a href="/x/" title="{escape(payload)}">x</a>')
