"""Nothing about other respondents or staff is reachable from a public page or the public JSON,
and error pages (DEBUG off) say nothing about the server."""

import json

import pytest
from django.test import Client

from feedback.cases.services import case_assign, case_note_add
from surveyhub.security.roles import Role
from tests import pages
from tests.factories import (
    CustomerFactory,
    UserFactory,
    detractor_case,
    one_of_each_resource,
    published_survey,
)
from tests.security.poisoned import invite
from tests.surveyhub.test_api_permissions_declared import PUBLIC_VIEWS

pytestmark = pytest.mark.django_db

# Everything that belongs to someone other than the visitor.
SECRETS = [
    "秘密客户乙", "secret.b@example.cn", "EXT-B-777", "乙的私密回答：快递员态度恶劣",
    "staff-secret", "staff.secret@corp.example", "员工甲", "内部备注：该客户是VIP",
]  # fmt: skip


@pytest.fixture
def others(settings):
    settings.DEBUG = False
    survey = published_survey(consent_text="", slug="public-nps")
    other = CustomerFactory(name="秘密客户乙", email="secret.b@example.cn", external_id="EXT-B-777")
    staff = UserFactory(
        username="staff-secret", email="staff.secret@corp.example", first_name="员工甲",
        role=Role.AGENT,
    )  # fmt: skip
    case = detractor_case(
        customer=other, nps=1, comment="乙的私密回答：快递员态度恶劣", survey=survey
    )
    case = case_assign(case=case, assignee=staff, by=UserFactory(role=Role.MANAGER))
    case_note_add(case=case, text="内部备注：该客户是VIP", by=staff)
    visitor = CustomerFactory(name="访客丙", email="visitor@example.cn", external_id="EXT-C-1")
    _invitation, url = invite(survey, visitor)
    return survey, url


def _assert_clean(body: str, where: str):
    leaked = [secret for secret in SECRETS if secret in body]
    assert not leaked, f"{where} shows {leaked}"


def test_public_pages_show_nothing_of_other_respondents_or_staff(others):
    survey, url = others
    token = url.split("/")[2]
    phone = Client()
    pages = {}
    paths = [f"/s/{survey.slug}/", f"/s/{survey.slug}/?lang=en", url, f"/u/{token}/",
             "/privacy/", f"/s/{survey.slug}/qr.svg", "/accounts/login/", "/healthz"]  # fmt: skip
    for path in paths:
        reply = phone.get(path)
        pages[path] = reply
        _assert_clean(reply.content.decode(), path)
    # The invitation shows the visitor's own name only where the survey pipes it in.
    step = phone.post(url, {"page": 0, "nps": "2", "action": "next"})
    _assert_clean(phone.get(step["Location"]).content.decode(), "page 2")
    done = phone.post(url, {"page": 1, "comment": "我的回答", "action": "submit"})
    _assert_clean(phone.get(done["Location"]).content.decode(), "thanks")
    assert "EXT-C-1" not in pages[url].content.decode()  # no internal ids, even one's own


def test_the_public_json_answers_with_the_new_response_only(others):
    survey, _ = others
    reply = Client().post(
        f"/api/v1/public/surveys/{survey.slug}/responses/",
        json.dumps({"answers": {"nps": 3, "comment": "物流慢"}}), content_type="application/json",
    )  # fmt: skip
    assert reply.status_code == 201
    body = reply.json()
    assert set(body) == {"id", "status", "nps_group", "duplicate"}
    _assert_clean(reply.content.decode(), "public submit")
    # Its errors name only the fields of the request.
    bad = Client().post(
        f"/api/v1/public/surveys/{survey.slug}/responses/",
        json.dumps({"answers": {"nps": 99, "nope": 1}}), content_type="application/json",
    )  # fmt: skip
    assert bad.status_code == 400
    assert set(bad.json()) == {"detail", "errors"}
    assert set(bad.json()["errors"]) == {"answers.nps", "answers.nope"}
    _assert_clean(bad.content.decode(), "public submit errors")


def test_staff_pages_and_the_staff_api_are_closed_to_the_public(others):
    """Every staff page and action, and every API route, of the URL resolver (tests/pages.py),
    built with real objects: anonymous visitors are sent to log in, or refused."""
    survey, url = others
    w = one_of_each_resource(slug="closed-walk", external_id="W-1", order_id="W-O1")
    values = pages.argument_values(
        survey=w.survey, customer=w.customer, distribution=w.distribution, imports=[w.job],
        item=w.item, topic=w.topic, case=w.case, token=url.split("/")[2],
    )  # fmt: skip
    anonymous = Client()
    staff_urls = pages.urls_in("staff", values)
    assert f"/staff/distributions/survey/{w.survey.pk}/" in staff_urls
    for path in staff_urls:
        replies = {"GET": anonymous.get(path), "POST": anonymous.post(path, {"confirm": "yes"})}
        # Sent to log in; or 405, where the view takes the other method only (refused first).
        statuses = {method: reply.status_code for method, reply in replies.items()}
        assert set(statuses.values()) <= {302, 405} and 302 in statuses.values(), (path, statuses)
        for reply in replies.values():
            if reply.status_code == 302:
                assert "/login/?next=" in reply["Location"], path
            _assert_clean(reply.content.decode(), path)
    api = [
        (u, r)
        for u, r in pages.api_urls(slug=survey.slug)
        if "format" not in r.pattern.pattern.regex.groupindex
    ]  # the .json twins: same views
    assert len(api) > 30
    for path, route in api:
        reply = anonymous.get(path)
        if getattr(route.pattern.callback, "cls", None) in PUBLIC_VIEWS:  # the public submit
            assert reply.status_code == 405, path  # POST only, for anyone
            continue
        assert reply.status_code in {401, 403}, path
        _assert_clean(reply.content.decode(), path)


def test_a_404_says_nothing_about_the_site(others):
    reply = Client().get("/no/such/page/")
    assert reply.status_code == 404
    html = reply.content.decode()
    assert "URLconf" not in html and "staff/" not in html and "api/v1" not in html
    _assert_clean(html, "404")


def test_a_500_on_a_public_page_shows_the_plain_error_page_only(others, monkeypatch, settings):
    secret = "boom: postgres://surveyhub:hunter2@db/surveyhub staff.secret@corp.example"

    def explode(slug):
        raise RuntimeError(secret)

    monkeypatch.setattr("surveys.responding.views.survey_for_link", explode)
    reply = Client(raise_request_exception=False).get(f"/s/{others[0].slug}/")
    assert reply.status_code == 500
    html = reply.content.decode()
    assert "hunter2" not in html and "Traceback" not in html and "RuntimeError" not in html
    assert settings.SECRET_KEY not in html
    assert "出错了" in html  # the friendly page
    _assert_clean(html, "500")


def test_an_unknown_invitation_link_gives_no_hint_of_whose_it_is(others):
    unknown = Client().get("/i/" + "A" * 43 + "/")
    assert unknown.status_code == 404
    _assert_clean(unknown.content.decode(), "unknown invitation")
