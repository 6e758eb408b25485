"""The respondent pages read the draft's answers once per request, not once per use, and the
look and the questions from this process's memory while they are unchanged."""

import pytest
from django.test import Client

from surveys.design.services import question_change
from surveys.models import Invitation, OrganisationBranding
from surveys.responding.branding import survey_branding_update
from tests.factories import published_survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def resumed(client):
    survey = published_survey(consent_text="")
    url = f"/s/{survey.slug}/"
    client.post(url, {"page": 0, "rk": "", "nps": "3", "action": "next"})
    return url


def test_coming_back_to_a_draft_takes_a_fixed_number_of_queries(
    client, resumed, django_assert_max_num_queries
):
    # The survey, the draft, its answers, the questions, and the look (branding: one query).
    with django_assert_max_num_queries(5):
        page = client.get(resumed)
    assert "您不满意的主要原因是" in page.content.decode()


def test_a_page_with_an_error_takes_a_fixed_number_of_queries(
    client, resumed, django_assert_max_num_queries
):
    with django_assert_max_num_queries(10):  # 9, and the look (branding)
        page = client.post(resumed, {"page": 1, "rk": "", "comment": "差" * 3000, "action": "next"})
    assert "请控制在 2000 字以内" in page.content.decode()


# The look (organisation and survey branding) and the current version's questions are kept
# per process, keyed so that an edit is shown at once: a warm page reads only the survey.


@pytest.fixture
def branded():
    OrganisationBranding(name="悦享生活", colour="#c8102e").save()
    survey = published_survey(consent_text="", slug="branded-nps")
    Client().get(f"/s/{survey.slug}/")  # warms this process
    return survey


def test_a_new_visitor_s_first_page_reads_only_the_survey(branded, django_assert_num_queries):
    with django_assert_num_queries(1):  # the survey; questions and look come from memory
        page = Client().get(f"/s/{branded.slug}/")
    assert page.status_code == 200
    assert "#c8102e" in page.content.decode()
    assert "您有多大可能向朋友或同事推荐我们？" in page.content.decode()


def test_a_warm_resumed_draft_reads_the_survey_the_draft_and_its_answers(
    client, resumed, django_assert_num_queries
):
    client.get(resumed)  # warm
    with django_assert_num_queries(3):
        page = client.get(resumed)
    assert "您不满意的主要原因是" in page.content.decode()


def test_a_new_organisation_colour_shows_on_the_next_page(branded):
    branding = OrganisationBranding.objects.get()
    branding.colour = "#1a7f37"
    branding.save()
    page = Client().get(f"/s/{branded.slug}/").content.decode()
    assert "#1a7f37" in page and "#c8102e" not in page


def test_a_survey_s_own_colour_and_end_button_show_at_once(branded):
    survey_branding_update(
        survey=branded,
        colour="#8250df",
        end_button_label="返回商城",
        end_button_url="https://shop.example.cn/",
    )
    page = Client().get(f"/s/{branded.slug}/").content.decode()
    assert "#8250df" in page and "#c8102e" not in page


def test_a_question_edited_after_the_page_was_seen_shows_its_new_words(branded):
    question_change(survey=branded, key="nps", changes={"text": "您會向親友推薦悦享嗎？😊"})
    branded.refresh_from_db()
    page = Client().get(f"/s/{branded.slug}/").content.decode()
    assert "您會向親友推薦悦享嗎？😊" in page
    assert "您有多大可能向朋友或同事推荐我们？" not in page


def test_another_process_sees_a_branding_change_within_seconds(branded, monkeypatch):
    """Another web process: it learns of the change from the shared generation, read at most
    every GENERATION_SECONDS (here: moved past)."""
    from surveys.responding import branding as look_cache

    Client().get(f"/s/{branded.slug}/")
    OrganisationBranding.objects.filter(pk=1).update(colour="#0969da")  # no signal: as elsewhere
    look_cache.cache.set(look_cache.GENERATION_KEY, "changed-in-another-process", None)
    assert "#c8102e" in Client().get(f"/s/{branded.slug}/").content.decode()  # not yet re-read
    monkeypatch.setitem(look_cache._generation, "read_at", float("-inf"))
    assert "#0969da" in Client().get(f"/s/{branded.slug}/").content.decode()


def test_an_invitation_opened_again_reads_it_and_writes_nothing(client, django_assert_num_queries):
    from tests.surveys.respond.test_invitation_flow import invite

    invitation, url = invite(published_survey(consent_text="", slug="invited-nps"), name="王芳")
    client.get(url)  # first opening: marks it opened (and warms this process)
    first = Invitation.objects.get(pk=invitation.pk).opened_at
    with django_assert_num_queries(1) as queries:  # the invitation with its survey and customer
        page = client.get(url)
    assert not any(q["sql"].startswith("UPDATE") for q in queries.captured_queries)
    assert "王芳" in page.content.decode()
    assert Invitation.objects.get(pk=invitation.pk).opened_at == first
