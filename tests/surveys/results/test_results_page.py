"""/staff/surveys/<id>/results/: charts for every question, filters in the URL with their
errors beside them, free text for those who read responses, cross-tab, comparison."""

import pytest

from surveyhub.security.roles import Role
from surveys.models import Answer
from tests.factories import UserFactory, survey_feedback_item
from tests.surveys.results.helpers import survey_with_answers

pytestmark = pytest.mark.django_db


def _page(client, survey, **params):
    return client.get(f"/staff/surveys/{survey.pk}/results/", params)


@pytest.fixture
def manager(client):
    client.force_login(UserFactory(role=Role.MANAGER))
    return client


def test_every_question_has_its_labels_and_a_chart(manager):
    survey = survey_with_answers()
    html = _page(manager, survey).content.decode()
    assert "8 份已完成的答卷符合筛选条件" in html
    for key in ("nps", "reason", "delivery_speed"):
        assert f'id="chart-{key}"' in html
    reason = html.split('id="q-reason"')[1].split("</article>")[0]
    assert "<td>物流配送</td><td>2</td>" in reason and "<td>delivery</td>" not in reason
    assert 'id="results-charts"' in html


def test_labels_follow_the_viewers_language(client):
    survey = survey_with_answers()
    client.force_login(UserFactory(role=Role.MANAGER))
    html = client.get(
        f"/staff/surveys/{survey.pk}/results/", HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "What disappointed you most?" in html and "Delivery" in html


def test_a_filter_applies_to_every_chart(manager):
    survey = survey_with_answers()
    html = _page(manager, survey, channel="link").content.decode()
    assert "2 份已完成的答卷符合筛选条件" in html


def test_a_bad_filter_shows_its_message_beside_it(manager):
    survey = survey_with_answers()
    reply = _page(manager, survey, channel="fax", q="reason:teleport")
    html = reply.content.decode()
    assert reply.status_code == 400
    channel_box = html.split('id="f-channel"')[1].split("</div>")[0]
    assert "未知的值 fax" in channel_box
    assert "teleport" in html.split('id="f-q"')[1].split("</div>")[0]
    assert 'id="results-charts"' not in html


def test_free_text_is_searchable_with_sentiment_and_case(manager):
    survey = survey_with_answers()
    answer = Answer.objects.get(question_key="comment", text="质量一般")
    survey_feedback_item(
        answer.response, text=answer.text, answer=answer, sentiment_label="negative",
        question_key="comment",
    )  # fmt: skip
    html = _page(manager, survey, search="质量").content.decode()
    text = html.split('id="free-text"')[1]
    assert "质量一般" in text and "很棒" not in text
    assert "消极" in text or "负面" in text
    all_text = _page(manager, survey).content.decode().split('id="free-text"')[1]
    assert "很棒" in all_text and "包装破损" in all_text


def test_designers_see_the_charts_but_no_free_text(client):
    survey = survey_with_answers()
    client.force_login(UserFactory(role=Role.DESIGNER))
    html = _page(client, survey).content.decode()
    assert 'id="chart-nps"' in html
    assert 'id="free-text"' not in html and "很棒" not in html and "包装破损" not in html
    assert "export.csv" not in html


def test_cross_tab_counts_and_flags_small_expected_counts(manager):
    survey = survey_with_answers()
    html = _page(manager, survey, xa="reason", xb="delivery_speed").content.decode()
    section = html.split('id="crosstab"')[1]
    assert "χ²" in section or "chi-square" in section.lower() or "卡方" in section
    assert "small-expected" in section


def test_a_cross_tab_of_a_text_question_is_refused_beside_the_field(manager):
    survey = survey_with_answers()
    reply = _page(manager, survey, xa="comment", xb="nps")
    assert reply.status_code == 400
    assert "error" in reply.content.decode().split('id="f-xa"')[1].split("</div>")[0]


def test_two_periods_side_by_side(manager):
    survey = survey_with_answers()
    html = _page(
        manager, survey, to="2026-11-04", compare_from="2026-11-05", compare_to="2026-11-08"
    ).content.decode()
    section = html.split('id="comparison"')[1]
    assert "(4)" in section and "NPS 50.0 → -50.0" in section


def test_the_survey_list_and_builder_link_to_the_results(manager):
    survey = survey_with_answers()
    link = f"/staff/surveys/{survey.pk}/results/"
    assert link in manager.get("/staff/surveys/").content.decode()
    assert link in manager.get(f"/staff/surveys/{survey.pk}/").content.decode()


def test_the_printable_view_hides_the_controls(manager):
    survey = survey_with_answers()
    html = _page(manager, survey, print="1").content.decode()
    assert "printable" in html.split("<body")[1].split(">")[0]


def test_the_store_filter_offers_only_listed_stores_and_segments_by_name(manager):
    from surveys.models import Store

    survey = survey_with_answers()  # responses from SH01 and BJ02; only SH01 is listed
    Store.objects.create(code="SH01", name="上海一店")
    html = _page(manager, survey).content.decode()
    stores = html.split('id="f-stores"')[1].split("</datalist>")[0]
    assert '<option value="SH01">' in stores and "BJ02" not in stores
    segment = html.split('id="f-segment"')[1].split("</select>")[0]
    assert "重要价值客户" in segment and ">important_value<" not in segment
    # A store typed on a link is kept on its responses, so filtering by it still works.
    assert "4 份已完成的答卷符合筛选条件" in _page(manager, survey, store="BJ02").content.decode()
