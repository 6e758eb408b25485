import pytest

from analytics.models import ImportStatus, Purchase
from surveys.models import Customer

pytestmark = pytest.mark.django_db

CHINESE = (
    "订单号,客户编号,姓名,下单时间,金额\nO1,C1,张三,2026-01-05,100\nO2,C2,李𠮷,2026-01-06,200\n"
)


@pytest.mark.parametrize(
    ("encoded", "detected"),
    [
        (CHINESE.replace("𠮷", "四").encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + CHINESE.replace("𠮷", "四").encode("utf-8"), "utf-8-sig"),
        (CHINESE.replace("𠮷", "四").encode("gbk"), "gbk"),
        (CHINESE.encode("gb18030"), "gb18030"),
    ],
    ids=["utf-8", "utf-8-bom", "gbk", "gb18030"],
)
def test_each_encoding_is_detected_and_chinese_text_survives(import_file, encoded, detected):
    job = import_file(encoded)

    assert job.status == ImportStatus.SUCCEEDED
    assert job.detected_encoding == detected
    assert job.rows_ok == 2
    assert Customer.objects.get(external_id="C1").name == "张三"
    assert Purchase.objects.count() == 2


def test_the_gb18030_only_character_is_kept(import_file):
    import_file(CHINESE.encode("gb18030"))

    assert Customer.objects.get(external_id="C2").name == "李𠮷"


def test_an_encoding_given_by_the_user_is_used(import_file):
    job = import_file(CHINESE.replace("𠮷", "四").encode("gbk"), encoding="GBK")

    assert job.detected_encoding == "gbk"
    assert Customer.objects.get(external_id="C2").name == "李四"


def test_a_gbk_file_whose_chinese_starts_late_is_still_detected(import_file):
    ascii_rows = "".join(f"O{n},C{n},2026-01-05,1\n" for n in range(30_000))
    content = ("order_id,customer_id,ordered_at,amount,name\n" + ascii_rows).encode("ascii")
    content += "O-late,C-late,2026-01-05,1,王小明\n".encode("gbk")

    job = import_file(content.replace(b",1\n", b",1,\n"))

    assert job.detected_encoding == "gbk"
    assert Customer.objects.get(external_id="C-late").name == "王小明"


def test_utf8_chosen_by_the_user_for_a_bom_file_ignores_the_bom(import_file):
    job = import_file(
        b"\xef\xbb\xbf" + CHINESE.replace("𠮷", "四").encode("utf-8"), encoding="utf-8"
    )

    assert job.rows_ok == 2
