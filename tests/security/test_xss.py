"""No user text is ever rendered as markup: XSS payloads put in through every door (answers,
feedback, customer names and emails, imported files, case notes and replies, survey texts)
are shown as text on every page, JSON response and email that shows them."""

import datetime as dt
import re

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
from tests import pages
from tests.factories import (
    CustomerFactory,
    UserFactory,
    submitted_response,
)
from tests.security.poisoned import invite
from tests.security.xss import PAYLOADS, injection_problems, mixed

pytestmark = pytest.mark.django_db

# Pages of the walk that show no user text at all (so no payload either), and why. Every other
# page the walk reaches must show a payload, as text: a page that shows none proves nothing.
QUIET = {
    "staff/api-token/": "the signed-in user's own API token",
    "staff/cases/metrics/": "service metrics: counts and durations",
    "staff/analytics/imports/": "the upload form",
    "staff/surveys/import/": "the upload form for a survey file",
    "staff/analytics/imports/<int:pk>/progress.json": "an import's counts, as JSON",
    "privacy/": "the privacy notice: our own text",
    "accounts/login/": "the login form",
    "healthz": "the health check, as JSON",
    "s/<slug:slug>/qr.svg": "a QR code of the survey's address",
    "s/<slug:slug>/qr.png": "a QR code of the survey's address",
    "staff/outbox/": "failed announcements, none in this world (test_outbox_failing_listener.py)",
    # Relationship pages list customers of a CLV run, which the poisoned world has none of:
    # tests/analytics/relationship/test_relationship_xss.py pushes the payloads through them.
    "staff/customers/at-risk/": "customers of a CLV run (see test_relationship_xss.py)",
    "staff/customers/at-risk/export.csv": "customers of a CLV run (see test_relationship_xss.py)",
    "staff/customers/lifecycle/": "counts of a CLV run",
    "staff/customers/segments/": "segments of a CLV run (see test_relationship_xss.py)",
    "staff/customers/segments/rfm/<str:code>/": "a segment (see test_relationship_xss.py)",
    "staff/customers/segments/stage/<str:code>/": "a segment (see test_relationship_xss.py)",
    "staff/customers/segments/<str:kind>/<str:code>/export.csv": "a segment's customers (ditto)",
    "staff/alerts/robots/new/": "the empty form for a new group robot",
    "r/ref/<str:code>/": "a referral link's welcome: our own text and a generated code",
}
# Not shown as a page by a browser: downloads, JSON and images (a payload in them is data).
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOWNLOADS = {"text/csv", XLSX}
NOT_PAGES = {*DOWNLOADS, "application/json", "image/png"}


def _text_of(raw: bytes, content_type: str) -> str:
    if content_type != XLSX:
        return raw.decode("utf-8-sig", errors="replace")
    import io

    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(raw), read_only=True)
    return "\n".join(str(cell) for sheet in book for row in sheet.iter_rows(values_only=True)
                     for cell in row if cell is not None)  # fmt: skip


# Searches echo their query: user input that no stored object holds.
SEARCHES = ["/staff/feedback/?q=script", f"/staff/feedback/?q={PAYLOADS[0]}",
            f"/staff/customers/?q={PAYLOADS[1]}"]  # fmt: skip


def walk_values(world) -> dict:
    """How the page walk (tests/pages.py) fills each URL parameter from the poisoned world."""
    return pages.argument_values(
        survey=world.survey, customer=world.customer, distribution=world.invitation.distribution,
        imports=world.imports, item=world.item, topic=world.topic, case=world.case,
        token=world.url.split("/")[2], question_keys=["nps", "reason"],
    )  # fmt: skip


def walked(area: str, world) -> tuple[list[str], list[str]]:
    """(URLs of every route of the area, the URLs of its QUIET routes)."""
    found = pages.pages_in(area, walk_values(world))
    return [url for url, _ in found], [url for url, route in found if route.route in QUIET]


def _check(client, urls, *, quiet=(), refused=(), exact=False) -> set[str]:
    """Every page answers, shows no payload as markup, and (but those in `quiet`, which show
    no user text) does show a payload as text: a page that shows none proves nothing.

    A GET answered 405 is a POST-only action (it shows nothing); one answered with a status
    in `refused` is a page this client may not see. With `exact`, a page in `quiet` must
    indeed show no payload (QUIET stays true). Returns the pages checked."""
    failures, showing, skipped = {}, set(), set()
    for url in urls:
        reply = client.get(url, follow=True)
        if reply.status_code == 405 or reply.status_code in refused:
            skipped.add(url)
            continue
        assert reply.status_code == 200, f"{url} answered {reply.status_code}"
        content_type = reply["Content-Type"].split(";")[0]
        if reply.streaming or content_type in NOT_PAGES:
            assert content_type in NOT_PAGES, (url, content_type)
            if reply.streaming or content_type in DOWNLOADS:
                assert reply["Content-Disposition"].startswith("attachment"), url
            raw = b"".join(reply.streaming_content) if reply.streaming else reply.content
            body = _text_of(raw, content_type)
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
    silent = set(urls) - showing - set(quiet) - skipped
    assert not silent, f"these pages show none of the payloads: {sorted(silent)}"
    noisy = showing & set(quiet) if exact else set()
    assert not noisy, f"these pages do show user text: take them out of QUIET {sorted(noisy)}"
    return set(urls) - skipped


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
    """Every staff page of the URL resolver (tests/pages.py), each object's page built from the
    poisoned world, and the searches."""
    urls, quiet = walked("staff", world)
    # The drill-downs of the purchase and value indicators break the period's purchases and
    # its CLV run down by group: the poisoned world has neither in the evaluated period (its
    # orders are from January), so they show figures and our own labels only.
    quiet += [url for url in urls if re.search(r"/indicators/(clv|repurchase_rate)/$", url)]
    _check(admin_client, [*urls, *SEARCHES], quiet=quiet, exact=True)


def test_public_pages_show_every_payload_as_text(world):
    """Every public page of the URL resolver, as anyone opens it (the invitation: answered)."""
    urls, quiet = walked("public", world)
    _check(Client(), urls, quiet=quiet, exact=True)


def test_the_agent_sees_the_same_pages_escaped(world, client):
    client.force_login(world.agent)
    urls, quiet = walked("staff", world)
    # 403, or 404 where a page hides what exists (the preview, to those who may not see surveys).
    checked = _check(client, [*urls, *SEARCHES], quiet=quiet, refused=(403, 404), exact=True)
    assert {"/staff/cases/", f"/staff/cases/{world.case.pk}/", "/staff/feedback/"} <= checked


def test_the_walk_reaches_the_pages_of_each_object(world):
    """Built from the resolver, not listed: the distribution list (once forgotten by a
    hand-written list) is there, and each import's error report."""
    urls, _quiet = walked("staff", world)
    survey, distribution = world.survey, world.invitation.distribution
    assert f"/staff/distributions/survey/{survey.pk}/" in urls
    assert f"/staff/distributions/{distribution.pk}/" in urls
    assert {f"/staff/analytics/imports/{job.pk}/errors/" for job in world.imports} <= set(urls)
    assert set(QUIET) <= {r.route for r in pages.routes()}, "a QUIET route no longer exists"


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
