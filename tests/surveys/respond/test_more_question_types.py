"""Matrix, ranking and date questions: answered on pages without JavaScript and through the
JSON API, checked on the server (a clear Chinese message beside the question, the typed
answers kept, nothing stored half), and stored in the one Answer shape."""

import csv
import io

import pytest
from django.test import Client

from surveyhub.security.roles import Role
from surveys.models import Response, ResponseStatus
from tests.factories import UserFactory, published_survey

pytestmark = pytest.mark.django_db

ROWS = [{"value": "quality", "label": "产品质量", "label_en": "Quality"},
        {"value": "speed", "label": "配送速度", "label_en": "Speed"},
        {"value": "service", "label": "客服", "label_en": "Service"}]  # fmt: skip
QUESTIONS = [
    {"key": "grid", "type": "matrix", "required": True, "text": "请为以下方面打分",
     "options": ROWS},
    {"key": "rank", "type": "ranking", "text": "请按重要性排序", "options": ROWS},
    {"key": "visit", "type": "date", "text": "您哪天到店的？"},
]  # fmt: skip


@pytest.fixture
def survey():
    return published_survey(consent_text="", questions=QUESTIONS)


def _submit(client, survey, **fields):
    return client.post(f"/s/{survey.slug}/", {"page": 0, "action": "submit", **fields})


def test_a_page_form_answers_all_three_without_javascript(client, survey):
    page = client.get(f"/s/{survey.slug}/").content.decode()
    assert 'name="grid__speed"' in page and 'name="rank__service"' in page
    assert 'type="date" name="visit"' in page

    done = _submit(client, survey, grid__quality="5", grid__speed="2", grid__service="4",
                   rank__quality="2", rank__speed="3", rank__service="1",
                   visit="2026-11-30")  # fmt: skip
    assert done.status_code == 302
    answers = {a.question_key: a for a in Response.objects.get().answers.all()}
    assert answers["grid"].choices == ["quality:5", "speed:2", "service:4"]
    assert answers["rank"].choices == ["service", "quality", "speed"]
    assert answers["visit"].text == "2026-11-30"


@pytest.mark.parametrize(
    ("fields", "key", "message"),
    [
        ({"grid__speed": "", "grid__service": ""}, "grid", "请回答每一行：“配送速度”未填写。"),
        ({"grid__quality": "9", "grid__speed": "1", "grid__service": "1"}, "grid",
         "请选择 1 到 5 之间的整数"),
        ({"rank__quality": "1", "rank__speed": "1", "rank__service": "2"}, "rank",
         "每个名次只能给一个选项。"),
        ({"rank__quality": "1", "rank__speed": "", "rank__service": ""}, "rank",
         "请为每个选项排名，从 1 到 3。"),
        ({"visit": "2026-02-30"}, "visit", "请填写日期，例如 2026-12-06。"),
    ],
)  # fmt: skip
def test_a_wrong_answer_is_explained_beside_it_and_what_was_typed_is_kept(
    client, survey, fields, key, message
):
    full = {"grid__quality": "4", "grid__speed": "4", "grid__service": "4", **fields}
    page = _submit(client, survey, **full)
    html = page.content.decode()
    assert page.status_code == 200
    assert message in html
    fieldset = html[html.index(f'id="q-{key}"') :]
    assert "error" in fieldset[: fieldset.index("</fieldset>")]
    if key == "rank":
        assert 'name="rank__quality"><option value="">—</option><option value="1" selected>' in html
    assert not Response.objects.filter(status=ResponseStatus.COMPLETED).exists()


def test_the_json_api_takes_the_same_answers_and_refuses_the_same_mistakes(survey):
    url = f"/api/v1/public/surveys/{survey.slug}/responses/"
    ok = Client().post(url, {"answers": {"grid": {"quality": 3, "speed": 4, "service": 5},
                                         "rank": ["speed", "service", "quality"],
                                         "visit": "2026/12/01"}},
                       content_type="application/json")  # fmt: skip
    assert ok.status_code == 201, ok.json()
    answers = {a.question_key: a for a in Response.objects.get().answers.all()}
    assert answers["grid"].choices == ["quality:3", "speed:4", "service:5"]
    assert answers["rank"].choices == ["speed", "service", "quality"]
    assert answers["visit"].text == "2026-12-01"

    bad = Client().post(url, {"answers": {"grid": {"quality": 3, "nope": 4},
                                          "rank": ["speed", "speed", "quality"]}},
                        content_type="application/json")  # fmt: skip
    assert bad.status_code == 400
    errors = bad.json()["errors"]
    assert errors["answers.grid"] == ["“nope”不是其中的一行。"]
    assert errors["answers.rank"] == ["每个名次只能给一个选项。"]
    assert Response.objects.count() == 1


def test_a_saved_draft_shows_the_picked_places_and_scores_again(client, survey):
    client.post(f"/s/{survey.slug}/", {"page": 0, "action": "autosave", "grid__speed": "3",
                                       "rank__quality": "3", "rank__speed": "1",
                                       "rank__service": "2"})  # fmt: skip
    html = client.get(f"/s/{survey.slug}/").content.decode()
    assert 'name="grid__speed" value="3" checked' in html
    assert 'name="rank__speed"><option value="">—</option><option value="1" selected>' in html


def test_the_exports_hold_each_matrix_row_each_ranked_place_and_the_date(client, survey):
    _submit(client, survey, grid__quality="5", grid__speed="2", grid__service="4",
            rank__quality="2", rank__speed="3", rank__service="1", visit="2026-11-30")  # fmt: skip
    manager = Client()
    manager.force_login(UserFactory(role=Role.MANAGER))
    base = f"/api/v1/surveys/{survey.pk}/responses/export"
    reply = manager.get(f"{base}.csv")
    (row,) = csv.DictReader(io.StringIO(b"".join(reply.streaming_content).decode("utf-8-sig")))
    assert [row[f"请为以下方面打分: {r['label']}"] for r in ROWS] == ["5", "2", "4"]
    assert [row[f"请按重要性排序: {r['label']}"] for r in ROWS] == ["2", "3", "1"]
    assert row["您哪天到店的？"] == "2026-11-30"
    (coded,) = csv.DictReader(
        io.StringIO(
            b"".join(manager.get(f"{base}.csv?codes=1").streaming_content).decode("utf-8-sig")
        )
    )
    assert (coded["grid_speed"], coded["rank_service"], coded["visit"]) == ("2", "1", "2026-11-30")
