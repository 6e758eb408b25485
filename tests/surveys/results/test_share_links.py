"""Share links of the results: signed, expiring, revocable, read-only; free text only when the
sharer allowed it; never a customer or a single response."""

import datetime as dt

import pytest
from django.utils import timezone

from surveyhub.security.roles import Role
from surveys.models import ResultShare
from tests.factories import UserFactory
from tests.surveys.results.helpers import survey_with_answers

pytestmark = pytest.mark.django_db


def _create(client, survey, **fields):
    data = {"filters": "channel=link", "days": "7", **fields}
    return client.post(f"/staff/surveys/{survey.pk}/results/shares/", data)


def _link(client, survey):
    html = client.get(f"/staff/surveys/{survey.pk}/results/shares/").content.decode()
    return "/shared/results/" + html.split("/shared/results/")[1].split('"')[0]


def test_a_link_shows_the_saved_filters_results_to_anyone(client):
    survey = survey_with_answers()
    client.force_login(UserFactory(role=Role.MANAGER))
    assert _create(client, survey).status_code == 302
    link = _link(client, survey)
    client.logout()

    reply = client.get(link)
    html = reply.content.decode()
    assert reply.status_code == 200
    assert "2 份已完成的答卷符合筛选条件" in html and 'id="chart-nps"' in html
    assert "包装破损" not in html and "/staff/" not in html  # no free text, no staff links


def test_free_text_is_shown_only_when_the_sharer_allowed_it(client):
    survey = survey_with_answers()
    client.force_login(UserFactory(role=Role.MANAGER))
    _create(client, survey, allow_text="on")
    link = _link(client, survey)
    client.logout()
    assert "包装破损" in client.get(link).content.decode()


def test_a_revoked_link_stops_working(client):
    survey = survey_with_answers()
    client.force_login(UserFactory(role=Role.MANAGER))
    _create(client, survey)
    link = _link(client, survey)
    share = ResultShare.objects.get()
    client.post(f"/staff/surveys/{survey.pk}/results/shares/{share.pk}/revoke/")
    client.logout()
    assert client.get(link).status_code == 404


def test_an_expired_or_forged_link_does_not_work(client):
    survey = survey_with_answers()
    client.force_login(UserFactory(role=Role.MANAGER))
    _create(client, survey)
    link = _link(client, survey)
    ResultShare.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    client.logout()
    assert client.get(link).status_code == 404
    assert client.get(link[:-3] + "abc/").status_code == 404


def test_designers_share_charts_but_not_free_text(client):
    survey = survey_with_answers()
    client.force_login(UserFactory(role=Role.DESIGNER))
    assert _create(client, survey).status_code == 302
    assert _create(client, survey, allow_text="on").status_code == 403


def test_bad_saved_filters_or_days_are_refused(client):
    survey = survey_with_answers()
    client.force_login(UserFactory(role=Role.MANAGER))
    assert _create(client, survey, filters="channel=fax").status_code == 400
    assert _create(client, survey, days="365").status_code == 400
    assert not ResultShare.objects.exists()
