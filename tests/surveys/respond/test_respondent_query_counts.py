"""The respondent pages read the draft's answers once per request, not once per use."""

import pytest

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
