"""The payloads of tests/security through the relationship pages: customer names on the
at-risk list and in its export, a playbook on the segment pages — shown as text only."""

import csv
import io

import pytest

from analytics.evaluations.clv_runs import clv_fit
from analytics.models import CustomerValue, SegmentPlaybook
from surveyhub.security.roles import Role
from tests.analytics.relationship.conftest import AS_OF
from tests.factories import UserFactory
from tests.security.xss import PAYLOADS

pytestmark = pytest.mark.django_db

SCRIPT = PAYLOADS[0]


def test_names_and_playbooks_are_text_on_every_relationship_page(history, client):
    run = clv_fit(as_of=AS_OF)
    top = CustomerValue.objects.filter(run=run, churn_band="high").order_by("-value_at_stake")[0]
    top.customer.name = SCRIPT
    top.customer.external_id = "=HYPERLINK(1)"
    top.customer.save()
    SegmentPlaybook.objects.create(kind="stage", code=top.lifecycle_stage, text=SCRIPT)
    client.force_login(UserFactory(username="root", role=Role.ADMIN))

    for url in ("/staff/customers/at-risk/", "/staff/customers/segments/",
                f"/staff/customers/segments/stage/{top.lifecycle_stage}/"):  # fmt: skip
        page = client.get(url).content.decode()
        assert SCRIPT not in page, url
        assert SCRIPT.replace("<", "&lt;").replace(">", "&gt;")[:20] in page, url
    export = client.get("/staff/customers/at-risk/export.csv").content.decode("utf-8-sig")
    rows = {r["名称"]: r for r in csv.DictReader(io.StringIO(export))}
    assert rows[SCRIPT]["外部编号"] == "'=HYPERLINK(1)"  # a formula is never a formula
