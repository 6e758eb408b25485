"""After erasure, nothing anywhere names the person or leads back to them.

A person with rich data — a name in traditional characters with an emoji, phone, email,
external ID, a WeChat ID in the attributes, imported from an .xlsx (one of their rows rejected
into the error report), orders from a GBK CSV, an answer and a marketplace message about them,
a case with a note and an emailed reply, staff having opened their records — is erased through
the API. Then every column of every table (found by the database's own introspection, not the
models) and every file under MEDIA_ROOT is searched for each of their identifiers; the records
kept for the aggregates point at a new anonymous key, and the totals have not moved.
"""

import io
import json
import zipfile
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.models import Sum
from django.utils import timezone
from openpyxl import Workbook

from analytics.imports.jobs import import_job_create
from analytics.metric_queries.filters import MetricFilters
from analytics.metric_queries.purchase_metrics import rfm_report
from analytics.metric_queries.survey_metrics import metric_summary
from analytics.models import ImportJob, Purchase
from feedback.cases.contact import case_reply, case_reply_deliver
from feedback.cases.services import case_note_add
from feedback.models import Case
from surveyhub.security.roles import Role
from surveys.models import ContactSuppression, Customer, Distribution, PersonalDataAccess
from tests.factories import FeedbackItemFactory, UserFactory, published_survey, submitted_response

pytestmark = pytest.mark.django_db

NAME = "陳曉明🌸"
EMAIL = "Xiaoming.Chen@example.cn"
PHONE = "13912345678"
EXTERNAL_ID = "VIP-0042"
WECHAT = "chen_xm_88"
ORDERS = ["TM20261101A0042", "TM20261115B0042"]
COMMENT = f"{NAME}說：快遞員把包裹扔在門口，電話 {PHONE} 打不通😡"
NOTE = f"已致電{NAME}（{PHONE}），答應補發"
REPLY = f"{NAME}您好，包裹明天補發，抱歉🙏"
MARKETPLACE = f"天貓買家 {NAME} 留言：尺碼偏小"
# Everything that names the person, as typed and as a part of something longer.
NEEDLES = [NAME, "陳曉明", EMAIL, "xiaoming.chen", PHONE, EXTERNAL_ID, WECHAT, *ORDERS,
           "TM20261120D0042", "快遞員把包裹扔在門口", "答應補發", "包裹明天補發", "尺碼偏小",
           "TMALL-MSG-77001"]  # fmt: skip


def _xlsx(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _import(kind: str, name: str, content: bytes, capture) -> ImportJob:
    with capture(execute=True):
        job = import_job_create(kind=kind, upload=SimpleUploadedFile(name, content))
    job.refresh_from_db()
    return job


@pytest.fixture
def person(settings, tmp_path, client, mailoutbox, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path / "media"
    capture = django_capture_on_commit_callbacks
    customers = _import("customers", "会员.xlsx", _xlsx([
        ["客户编号", "姓名", "邮箱", "手机号", "地区", "微信"],
        [EXTERNAL_ID, NAME, EMAIL, PHONE, "台北", WECHAT],
        ["C-OTHER", "李四", "li.si@example.cn", "13800000000", "上海", "lisi_wx"],
        # Their second row is rejected: the report quotes the cell, name and address in it.
        ["VIP-0042-B", NAME, f"{NAME} <{EMAIL}>", "", "台北", ""],
    ]), capture)  # fmt: skip
    assert (customers.rows_created, customers.rows_failed) == (2, 1)
    customer = Customer.objects.get(external_id=EXTERNAL_ID)
    other = Customer.objects.get(external_id="C-OTHER")
    Customer.objects.filter(pk=customer.pk).update(attributes={"wechat": WECHAT})
    orders = "\r\n".join([
        "订单号,客户编号,下单时间,金额,品类",
        f"{ORDERS[0]},{EXTERNAL_ID},2026-11-01 09:15:00,120.00,服装",
        f"{ORDERS[1]},{EXTERNAL_ID},2026-11-15 21:40:00,88.50,鞋",
        "TM20261103C9999,C-OTHER,2026-11-03 10:00:00,50.00,服装",
        f"TM20261120D0042,{EXTERNAL_ID},2026-11-20 08:00:00,一百,服装",  # rejected
    ]) + "\r\n"  # fmt: skip
    purchases = _import("purchases", "订单.csv", orders.encode("gbk"), capture)
    assert (purchases.rows_created, purchases.rows_failed) == (3, 1)

    survey = published_survey()
    with capture(execute=True):
        response = submitted_response(
            survey=survey, data={"nps": 3, "comment": COMMENT}, customer=customer
        )
        submitted_response(survey=survey, data={"nps": 9, "comment": "很好"}, customer=other)
    FeedbackItemFactory(text=MARKETPLACE, customer=customer, source="ecommerce",
                        external_ref="TMALL-MSG-77001")  # fmt: skip
    case = Case.objects.get(response=response)
    agent = UserFactory(role=Role.AGENT)
    case_note_add(case=case, text=NOTE, by=agent)
    case_reply_deliver(reply_id=case_reply(case=case, message=REPLY, by=agent).pk)
    assert any(REPLY in message.body for message in mailoutbox)
    Distribution.objects.create(
        survey=survey, audience={"customer_ids": [customer.pk, other.pk],
                                 "external_ids": [EXTERNAL_ID]},
    )  # fmt: skip
    admin = UserFactory(role=Role.ADMIN)
    LogEntry.objects.log_actions(admin.pk, [customer], CHANGE, change_message=PHONE)
    LogEntry.objects.log_actions(admin.pk, list(customer.purchases.all()), CHANGE)
    # Staff open the person's records: the access log names the records opened.
    client.force_login(admin)
    for path in (f"/api/v1/customers/{customer.pk}/", f"/api/v1/cases/{case.pk}/",
                 f"/api/v1/customers/{customer.pk}/personal-data/"):  # fmt: skip
        assert client.get(path).status_code == 200, path
    assert PersonalDataAccess.objects.filter(customer_id=customer.pk, object_id=str(case.pk),
                                             resource="case").exists()  # fmt: skip
    return customer, other


def _needles() -> list[str]:
    """Each identifier as written, lower-cased, and as JSON writes it (\\u escapes)."""
    found = set()
    for needle in NEEDLES:
        found |= {needle.lower(), json.dumps(needle.lower())[1:-1]}
    return sorted(found)


def _temporary_tables(cursor) -> set[str]:
    """PostgreSQL's session-private TEMP tables (the purchase import's COPY stage, ON COMMIT
    DELETE ROWS): emptied when the import's transaction commits, which the test's enclosing
    transaction never does. Nothing in them outlives the import in a real run."""
    if connection.vendor != "postgresql":
        return set()
    cursor.execute("SELECT relname FROM pg_class WHERE relpersistence = 't' AND relkind = 'r'")
    return {name for (name,) in cursor.fetchall()}


def _rows_of_every_table():
    """(table, row as text) for every row of every table in the database."""
    with connection.cursor() as cursor:
        temporary = _temporary_tables(cursor)
        for table in connection.introspection.table_names(cursor):
            if table in temporary:
                continue
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                cells = [
                    bytes(cell).decode("utf-8", "replace")
                    if isinstance(cell, bytes | memoryview) else str(cell)
                    for cell in row
                ]  # fmt: skip
                yield table, "\x1f".join(cells).lower()


def _files_under_media():
    """(path, text) of every stored file; an .xlsx read member by member."""
    for path in sorted(settings.MEDIA_ROOT.rglob("*")):
        if not path.is_file():
            continue
        raw = path.read_bytes()
        if zipfile.is_zipfile(io.BytesIO(raw)):
            with zipfile.ZipFile(io.BytesIO(raw)) as archive:
                raw = b"\n".join(archive.read(name) for name in archive.namelist())
        for encoding in ("utf-8", "gb18030"):
            yield path, raw.decode(encoding, "replace").lower()


def _totals():
    today = timezone.localdate()
    summary = metric_summary(MetricFilters()).nps
    return {
        "revenue": Purchase.objects.aggregate(total=Sum("amount"))["total"],
        "orders": Purchase.objects.count(),
        "nps": (summary.value, summary.n, summary.promoters, summary.detractors),
        "rfm": [(r["code"], r["customers"], r["revenue"], r["nps"].n)
                for r in rfm_report(as_of=today + timedelta(days=1))],
    }  # fmt: skip


def test_after_erasure_no_table_and_no_file_holds_anything_of_the_person(client, person):
    customer, _other = person
    files = list(_files_under_media())
    # The search finds them before: it is able to fail.
    assert any(NAME.lower() in text for path, text in files if path.suffix == ".xlsx")
    assert any(ORDERS[0].lower() in text for _, text in files)
    assert any("xiaoming.chen" in text for p, text in files if "reports" in str(p))
    assert any(EXTERNAL_ID.lower() in text for _, text in _rows_of_every_table())
    before = _totals()

    erased = client.delete(f"/api/v1/customers/{customer.pk}/personal-data/")

    assert erased.status_code == 200, erased.content
    found = [(table, needle) for table, text in _rows_of_every_table()
             for needle in _needles() if needle in text]  # fmt: skip
    assert found == []
    found = [(str(path), needle) for path, text in _files_under_media()
             for needle in _needles() if needle in text]  # fmt: skip
    assert found == []
    # Rewritten, not deleted: everybody else's rows are still in the files.
    texts = [text for _, text in _files_under_media()]
    assert any("李四" in text for text in texts)
    assert any("tm20261103c9999" in text for text in texts)
    # The suppression list holds keyed hashes only.
    digests = list(ContactSuppression.objects.values_list("digest", flat=True))
    assert len(digests) == 2 and all(len(d) == 64 and int(d, 16) >= 0 for d in digests)
    # Revenue, order count, NPS and the RFM aggregates are unchanged.
    assert _totals() == before


def test_what_is_kept_hangs_off_a_new_anonymous_key_and_nothing_leads_back(client, person):
    customer, other = person
    cases = list(Case.objects.filter(customer=customer).values_list("pk", flat=True))
    days = sorted(timezone.localtime(p.ordered_at).date() for p in customer.purchases.all())

    assert client.delete(f"/api/v1/customers/{customer.pk}/personal-data/").status_code == 200

    # No record points at the old row any more.
    for relation in Customer._meta.related_objects:
        if relation.related_model is not Customer and not relation.many_to_many:
            rows = relation.related_model._base_manager.filter(**{relation.field.name: customer})
            assert not rows.exists(), relation.related_model
    key = Case.objects.get(pk=cases[0]).customer
    assert key.pk != customer.pk and key.erased_at is not None
    assert (key.name, key.email, key.phone, key.region, key.language) == ("", "", "", "", "")
    midnight = timezone.datetime.min.time()
    assert timezone.localtime(key.erased_at).time() == midnight  # the day only
    assert key.created_at == key.erased_at
    purchases = list(key.purchases.order_by("ordered_at"))
    assert [p.amount for p in purchases] == [Decimal("120.00"), Decimal("88.50")]
    # Order IDs are random, the day is kept and the time of day is gone, no import job.
    assert all(p.order_id.startswith("erased-") and p.order_id not in ORDERS for p in purchases)
    assert [timezone.localtime(p.ordered_at).date() for p in purchases] == days
    assert {timezone.localtime(p.ordered_at).time() for p in purchases} == {midnight}
    assert {p.import_job_id for p in purchases} == {None}
    assert key.responses.get().nps_score == 3
    # The audience picked by id now names the new key; the access log no longer says which
    # records of the old id staff opened.
    audience = Distribution.objects.get(audience__has_key="customer_ids").audience
    assert audience == {"customer_ids": [key.pk, other.pk], "external_ids": []}
    entries = PersonalDataAccess.objects.filter(customer_id=customer.pk).exclude(action="erase")
    assert entries.exists()
    assert set(entries.values_list("object_id", "path")) == {("", "")}
    # Both rows still open in the staff pages and the API, as erased customers.
    for pk in (customer.pk, key.pk):
        page = client.get(f"/staff/customers/{pk}/")
        assert page.status_code == 200 and 'id="erased"' in page.content.decode()
        assert client.get(f"/api/v1/customers/{pk}/").status_code == 200
    # The other customer is untouched.
    other.refresh_from_db()
    assert (other.name, other.region) == ("李四", "上海")
    assert other.purchases.get().order_id == "TM20261103C9999"
