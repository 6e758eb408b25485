"""The order a designer drags to is posted whole and saved at once, or refused whole with a
Chinese reason when some logic would then point backward."""

import pytest

from surveyhub.security.roles import Role
from tests.factories import UserFactory, published_survey
from tests.surveys.builder_editing.conftest import FRAGMENT, keys_of

pytestmark = pytest.mark.django_db


def _order(client, survey, keys, **headers):
    return client.post(f"/staff/surveys/{survey.pk}/order/", {"order": keys}, **headers)


def test_a_new_order_is_saved_and_the_list_comes_back_as_a_fragment(designer):
    survey = published_survey(consent_text="")
    reply = _order(designer, survey, ["nps", "comment", "reason", "praise"], **FRAGMENT)

    assert reply.status_code == 200 and reply["X-Builder-Swap"] == "list"
    html = reply.content.decode()
    assert "新顺序已保存。" in html and "<html" not in html
    assert html.index('id="q-comment"') < html.index('id="q-reason"')
    assert keys_of(survey) == ["nps", "comment", "reason", "praise"]


def test_an_order_that_puts_a_condition_after_its_question_is_refused_unchanged(designer):
    survey = published_survey(consent_text="")
    reply = _order(designer, survey, ["reason", "nps", "praise", "comment"], **FRAGMENT)

    html = reply.content.decode()
    assert "不能这样排序，题目保持原顺序" in html
    assert "「您不满意的主要原因是？」的显示逻辑无效" in html
    assert keys_of(survey) == ["nps", "reason", "praise", "comment"]
    assert html.index('id="q-nps"') < html.index('id="q-reason"')  # the list as it is


def test_an_order_missing_a_question_is_refused(designer):
    survey = published_survey(consent_text="")
    reply = _order(designer, survey, ["nps", "reason", "praise"], **FRAGMENT)
    assert "新顺序与本问卷的题目不符" in reply.content.decode()
    assert keys_of(survey) == ["nps", "reason", "praise", "comment"]


def test_without_javascript_the_order_post_redirects_back_with_the_message(designer):
    survey = published_survey(consent_text="")
    reply = _order(designer, survey, ["nps", "reason", "comment", "praise"], follow=True)
    assert reply.redirect_chain[-1][0] == f"/staff/surveys/{survey.pk}/"
    assert "新顺序已保存。" in reply.content.decode()
    assert keys_of(survey) == ["nps", "reason", "comment", "praise"]


def test_a_skip_that_would_point_backward_after_the_move_is_refused(designer):
    survey = published_survey(consent_text="")
    saved = designer.post(f"/staff/surveys/{survey.pk}/questions/nps/", {
        "type": "nps", "text": "推荐意愿", "option_order": "fixed", "required": "on",
        "jump_action": "skip", "jump_to": "comment", "jump_question": "__this__",
        "jump_op": "gte", "jump_value": "9",
    })  # fmt: skip
    assert saved.status_code == 302
    reply = _order(designer, survey, ["comment", "nps", "reason", "praise"], **FRAGMENT)
    assert "跳回到「还有什么想告诉我们的吗？」" in reply.content.decode()
    assert keys_of(survey) == ["nps", "reason", "praise", "comment"]


def test_an_agent_cannot_reorder(client):
    survey = published_survey(consent_text="")
    client.force_login(UserFactory(role=Role.AGENT))
    assert _order(client, survey, ["nps", "comment", "reason", "praise"]).status_code == 403
    assert keys_of(survey) == ["nps", "reason", "praise", "comment"]
