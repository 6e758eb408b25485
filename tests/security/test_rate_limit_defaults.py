"""The documented default budgets (README "Configuration"), each at N and N+1 requests in one
minute: 10 JSON submits per device, 120 page requests per device, 120 requests through one
invitation link, 3000 requests per IP. test_rate_limits.py checks the same limits with small
budgets set in the settings; this one pins the numbers a deployment gets without setting any.
"""

import json

import pytest
from django.test import Client, RequestFactory

from surveyhub.security.ratelimit import DEVICE_HEADER, budgets_for, retry_after
from surveys.distribution.tokens import hash_token, new_seed, token_for
from surveys.models import Distribution, Invitation, Response
from tests.factories import CustomerFactory, published_survey

pytestmark = pytest.mark.django_db

DEVICE_META = "HTTP_" + DEVICE_HEADER.upper().replace("-", "_")


def test_a_device_may_submit_10_answers_a_minute_and_the_11th_waits(client, clock):
    survey = published_survey(consent_text="")

    def submit():
        return client.post(
            f"/api/v1/public/surveys/{survey.slug}/responses/",
            json.dumps({"answers": {"nps": 9}}), content_type="application/json",
            **{DEVICE_META: "app-device-0001"},
        ).status_code  # fmt: skip

    assert [submit() for _ in range(11)] == [201] * 10 + [429]
    assert Response.objects.count() == 10


def test_a_device_may_open_120_pages_a_minute_and_the_121st_waits(client, clock):
    url = f"/s/{published_survey(consent_text='').slug}/"
    client.get(url)  # the first visit, without a device yet, counts only for the IP

    codes = [client.get(url).status_code for _ in range(121)]

    assert codes == [200] * 120 + [429]


def test_an_invitation_link_opens_120_times_a_minute_and_the_121st_waits(clock):
    seed = new_seed()
    distribution = Distribution.objects.create(
        survey=published_survey(consent_text=""), channel="email"
    )
    Invitation.objects.create(
        distribution=distribution, customer=CustomerFactory(), token_seed=seed,
        token_hash=hash_token(token_for(seed)), status="sent",
    )  # fmt: skip
    url = f"/i/{token_for(seed)}/"

    codes = [Client().get(url).status_code for _ in range(121)]  # a new "device" each time

    assert codes == [200] * 120 + [429]


def test_one_ip_may_send_3000_requests_a_minute_and_the_3001st_waits(clock):
    request = RequestFactory().get("/", REMOTE_ADDR="198.51.100.20")
    budgets = budgets_for(request, device=None)
    assert [b.name for b in budgets] == ["ip"]

    waits = [retry_after(budgets) for _ in range(3001)]

    assert waits[:3000] == [None] * 3000
    assert waits[3000] == 60
