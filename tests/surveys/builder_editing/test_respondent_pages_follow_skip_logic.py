"""Respondents' pages honour skip logic: a promoter skips the questions for detractors, and
"end the survey" completes the response on that page, required questions after it unasked."""

import pytest

from surveys.design.services import survey_create, survey_publish
from surveys.models import Response, ResponseStatus

pytestmark = pytest.mark.django_db

QUESTIONS = [
    {"key": "nps", "type": "nps", "required": True, "text": "您会推荐我们吗？",
     "jumps": [{"when": {"op": "gte", "value": 9}, "action": "skip", "to": "last"}]},
    {"key": "why", "type": "long_text", "required": True, "text": "哪里做得不好？"},
    {"key": "stop", "type": "single", "required": True, "text": "愿意继续回答吗？",
     "options": [{"value": "go", "label": "继续"}, {"value": "stop", "label": "不了，谢谢"}],
     "jumps": [{"when": {"op": "in", "value": ["stop"]}, "action": "end"}]},
    {"key": "more", "type": "long_text", "required": True, "text": "请详细说说"},
    {"key": "last", "type": "long_text", "text": "最后还有什么建议？"},
]  # fmt: skip


@pytest.fixture
def survey():
    made = survey_create(title="跳转测试", slug="skips", kind="nps", questions=QUESTIONS)
    return survey_publish(survey=made)


def _post(client, url, page, **fields):
    return client.post(url, {"page": page, "rk": "", **fields})


def test_a_promoter_skips_to_the_last_question_and_completes(client, survey):
    step = _post(client, "/s/skips/", 0, nps="10", action="next")
    page = client.get(step["Location"]).content.decode()
    assert "最后还有什么建议？" in page
    assert "哪里做得不好？" not in page and "请详细说说" not in page

    done = _post(client, step["Location"], 2, last="都很好👍", action="submit")
    assert done.status_code == 302
    response = Response.objects.get()
    assert response.status == ResponseStatus.COMPLETED
    assert {a.question_key for a in response.answers.all()} == {"nps", "last"}


def test_ending_the_survey_completes_it_without_the_later_required_questions(client, survey):
    step = _post(client, "/s/skips/", 0, nps="3", action="next")
    page = client.get(step["Location"]).content.decode()
    assert "哪里做得不好？" in page and "愿意继续回答吗？" in page

    done = _post(client, step["Location"], 1, why="物流太慢", stop="stop", action="next")
    assert done.status_code == 302
    response = Response.objects.get()
    assert response.status == ResponseStatus.COMPLETED
    assert "感谢" in client.get(done["Location"]).content.decode()


def test_going_on_asks_the_required_question_after_it(client, survey):
    step = _post(client, "/s/skips/", 0, nps="3", action="next")
    step = _post(client, step["Location"], 1, why="物流太慢", stop="go", action="next")
    page = client.get(step["Location"]).content.decode()
    assert "请详细说说" in page
    refused = _post(client, step["Location"], 2, action="submit")
    assert "这个问题需要回答" in refused.content.decode()
    assert Response.objects.get().status != ResponseStatus.COMPLETED
