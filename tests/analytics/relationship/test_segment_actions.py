"""Acting on a segment or the at-risk list: the directory's purchased-category filter, "export
this segment", the segment's trend over the CLV runs, "invite this segment" / "invite this list
to a win-back survey" (the distribution builder opens with the audience ticked), the back-test's
calibration on the at-risk page and churn risk and stage on the customer 360 page."""

import csv
import datetime as dt
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from analytics.models import ClvRun, CustomerValue, Purchase
from surveyhub.security.roles import Role
from surveys.models import PersonalDataAccess
from tests.analytics.referrals.lifecycle_runs import EARLIER, LATER, lifecycle_runs
from tests.factories import CustomerFactory, UserFactory, published_survey

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="boss", role=Role.ADMIN))
    return client


@pytest.fixture
def manager_client(client):
    client.force_login(UserFactory(username="manager", role=Role.MANAGER))
    return client


def _buy(customer, category, *, refund=False):
    Purchase.objects.create(
        customer=customer, order_id=f"O-{Purchase.objects.count()}", category=category,
        ordered_at=dt.datetime(2026, 5, 1, 10, tzinfo=SHANGHAI), amount=Decimal("-80" if refund
        else "80"), is_refund=refund,
    )  # fmt: skip


def test_the_directory_filters_by_purchased_category(manager_client):
    phone, shirt, refunded = (CustomerFactory(name=n) for n in ("买手机的", "买衬衫的", "退货的"))
    _buy(phone, "数码")
    _buy(shirt, "服装")
    _buy(refunded, "数码", refund=True)

    page = manager_client.get("/staff/customers/?purchase_category=数码").content.decode()

    assert "买手机的" in page and "买衬衫的" not in page and "退货的" not in page
    form = manager_client.get("/staff/customers/").content.decode()
    assert "购买过的品类" in form and '<option value="服装">服装</option>' in form


def test_export_this_segment_lists_its_customers_in_words_and_is_logged(admin_client, client):
    lifecycle_runs()
    mature = CustomerValue.objects.filter(run__as_of=LATER, lifecycle_stage="mature")

    reply = admin_client.get("/staff/customers/segments/stage/mature/export.csv")

    assert reply.status_code == 200
    rows = list(csv.reader(io.StringIO(reply.content.decode("utf-8-sig"))))
    assert rows[0][:2] == ["外部编号", "名称"]
    assert sorted(r[1] for r in rows[1:]) == sorted(v.customer.name for v in mature)
    assert {r[8] for r in rows[1:]} == {"成熟"}  # the stage in words, never its code
    log = PersonalDataAccess.objects.get(resource="customer_segment")
    assert (log.action, log.count) == ("export", mature.count())
    # Unknown segments are not found; people without the export permission are refused.
    assert admin_client.get("/staff/customers/segments/stage/nope/export.csv").status_code == 404
    client.force_login(UserFactory(username="designer", role=Role.DESIGNER))
    assert client.get("/staff/customers/segments/stage/mature/export.csv").status_code == 403


def test_the_segment_page_shows_its_trend_over_the_runs(admin_client):
    lifecycle_runs()

    page = admin_client.get("/staff/customers/segments/stage/lost/").content.decode()

    # lost: 2 (from new) + 3 (from declining) + 4 (stayed lost) now; 2 + 4 a quarter earlier.
    trend = page[page.index("趋势") :]
    assert EARLIER.isoformat() in trend and LATER.isoformat() in trend
    assert trend.index(EARLIER.isoformat()) < trend.index(LATER.isoformat())
    cells = [c.split("<")[0] for c in trend.split('<td class="num">')[1:]]
    assert cells[0] == "6" and cells[3] == "9"  # customers then and now (3 columns a row)


def test_invite_this_segment_opens_the_builder_with_the_segment_ticked(admin_client):
    lifecycle_runs()
    survey = published_survey(consent_text="")

    page = admin_client.get("/staff/customers/segments/stage/declining/").content.decode()
    assert f'<option value="{survey.pk}">' in page and "邀请该细分客户参加" in page

    reply = admin_client.get(
        f"/staff/customers/segments/stage/declining/invite/?survey={survey.pk}"
    )
    assert reply.status_code == 302
    assert reply.url == f"/staff/distributions/survey/{survey.pk}/?lifecycle_stage=declining"
    builder = admin_client.get(reply.url).content.decode()
    assert 'value="declining" checked' in builder.replace('type="checkbox" ', "") or (
        'name="lifecycle_stage" value="declining"' in builder
        and "checked" in builder.split('value="declining"')[1].split(">")[0]
    )
    # No open survey chosen: back to the segment's page with a word, nothing opened.
    reply = admin_client.get("/staff/customers/segments/stage/declining/invite/?survey=x")
    assert reply.url == "/staff/customers/segments/stage/declining/"
    page = admin_client.get(reply.url).content.decode()
    assert "请选择一份进行中的问卷" in page


def test_managers_without_distributions_get_no_invite_form(manager_client):
    lifecycle_runs()
    published_survey(consent_text="")
    page = manager_client.get("/staff/customers/segments/stage/declining/").content.decode()
    assert "邀请该细分客户参加" not in page
    reply = manager_client.get("/staff/customers/segments/stage/declining/invite/?survey=1")
    assert reply.status_code == 403


def _run_with_backtest():
    _earlier, later = lifecycle_runs()
    later.churn_horizon_days = 90
    later.churn_backtest = {
        "method": "model", "horizon_days": 90, "window_days": 90, "cutoff": "2026-04-01",
        "auc": 0.81, "recency_auc": 0.77, "mean_predicted": 0.41, "observed_share": 0.4,
        "signals_auc_gain": None,
        "calibration": [{"n": 10, "predicted": 0.123, "observed": 0.1},
                        {"n": 10, "predicted": 0.876, "observed": 0.9}],
    }  # fmt: skip
    later.save()
    CustomerValue.objects.filter(run=later, lifecycle_stage="declining").update(
        churn_band="high", churn_risk=0.8
    )
    return later


def test_the_at_risk_page_shows_the_calibration_and_invites_the_band(admin_client):
    _run_with_backtest()
    survey = published_survey(consent_text="")

    page = admin_client.get("/staff/customers/at-risk/").content.decode()

    calibration = page[page.index('class="calibration"') :]
    assert "12%" in calibration and "88%" in calibration and "90%" in calibration
    assert "邀请名单客户参加挽回问卷" in page
    reply = admin_client.get(f"/staff/customers/at-risk/invite/?survey={survey.pk}&band=medium")
    assert reply.url.endswith(f"/{survey.pk}/?churn_band=high&churn_band=medium")
    reply = admin_client.get(f"/staff/customers/at-risk/invite/?survey={survey.pk}&band=high")
    assert reply.url.endswith("?churn_band=high")


def test_the_360_page_shows_stage_churn_risk_and_its_reasons(manager_client):
    run = _run_with_backtest()
    value = CustomerValue.objects.filter(run=run, lifecycle_stage="declining").first()
    assert ClvRun.objects.order_by("-as_of").first() == run

    page = manager_client.get(f"/staff/customers/{value.customer_id}/").content.decode()

    assert "生命周期阶段" in page and "衰退" in page
    assert "80% (高流失风险)" in page
    assert "20 天前" in page  # the reason in words (20 days since the last order)
