"""A shop's page on ANOTHER origin (a local server on its own port) includes our script: the
question shows on the shop's event, is answered, and lands as an "in_page" response with the
device id; a second visit within the re-contact days shows nothing (even with the browser's
memory wiped: the server remembers the device); a site not on the list gets nothing. The
widget keeps 0–10 on one row from 320 px, in Chinese and in English."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from surveys.inpage.models import InPageSurvey
from surveys.models import Response
from surveys.responding.device import device_key
from tests.factories import published_survey
from tests.support import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path("/work/shots/h6")

HOST_PAGE = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1"><title>悦享商城</title>
<style>body{{font:18px serif;color:#c00;margin:0;padding:16px}}button{{background:#ff0}}
p{{max-width:40em}}</style></head><body>
<h1>悦享商城 · 订单已完成</h1><p>感谢您的购买！订单号 20261206-001，預計明天送達。</p>
<script>window.SurveyHub=window.SurveyHub||{{q:[],track:function(){{this.q.push(["track"].concat([].slice.call(arguments)))}},identify:function(){{this.q.push(["identify"].concat([].slice.call(arguments)))}}}};
SurveyHub.identify({{userId:"C1001"}});</script>
<script src="{server}/embed/v1/surveyhub.js" data-key="{key}" data-lang="{lang}" async></script>
</body></html>"""


class FakeShop:
    """A plain HTTP server on its own port: another origin than the live server."""

    def __init__(self):
        self.page = ""
        shop = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                body = shop.page.encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def shops():
    allowed, other = FakeShop(), FakeShop()
    yield allowed, other
    allowed.close()
    other.close()


def open_shop(context, shop, live_server, in_page, lang="zh-hans", asks=True):
    shop.page = HOST_PAGE.format(server=live_server.url, key=in_page.key, lang=lang)
    page = context.new_page()
    seen = []
    page.on("request", lambda r: seen.append(r.url))
    url = f"{shop.origin}/order/20261206-001/done"
    if asks:
        with page.expect_response(lambda r: "/embed/v1/config/" in r.url):
            page.goto(url)
    else:
        page.goto(url)
    page.wait_for_load_state("networkidle")
    return page, seen


def one_row(page):
    boxes = page.locator(".s button").evaluate_all(
        "els => els.map(e => {const r = e.getBoundingClientRect(); return [r.top, r.width]})"
    )
    assert len({round(top) for top, _ in boxes}) == 1, boxes
    assert min(width for _, width in boxes) >= 24, boxes
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def test_a_shop_asks_nps_on_checkout_and_the_answer_is_stored(live_server, browser, shops):
    allowed, other = shops
    SHOTS.mkdir(parents=True, exist_ok=True)
    survey = published_survey(slug="shop-nps")
    in_page = InPageSurvey.objects.create(
        name="结账后 NPS", survey=survey, allowed_origins=allowed.origin, trigger="event",
        event_name="checkout", url_pattern="/order/*", attribute_rules="userId=*",
        recontact_days=30,
    )  # fmt: skip
    context = browser.new_context(**PHONE)
    page, seen = open_shop(context, allowed, live_server, in_page)
    assert page.locator(".box").count() == 0  # nothing before the event
    page.evaluate("SurveyHub.track('checkout')")
    box = page.locator(".box")
    box.wait_for()
    assert "您有多大可能向朋友或同事推荐我们？" in box.inner_text()
    one_row(page)
    page.screenshot(path=str(SHOTS / "inpage-390-zh.png"))
    page.locator(".s button", has_text="3").first.tap()
    page.locator("textarea").fill("结账页面太慢了😤，體驗不好")
    page.locator(".c input").check()
    page.screenshot(path=str(SHOTS / "inpage-390-zh-followup.png"))
    page.locator(".go").tap()
    page.locator(".ok", has_text="感谢您的反馈！").wait_for()
    page.screenshot(path=str(SHOTS / "inpage-390-zh-thanks.png"))
    device = page.evaluate("localStorage.getItem('surveyhub.device')")
    response = Response.objects.get()
    assert (response.channel, response.nps_score, response.device_key) == (
        "in_page",
        3,
        device_key(device),  # the script's random device id, stored as a keyed hash
    )
    assert response.answers.get(question_key="comment").text == "结账页面太慢了😤，體驗不好"
    hosts = {f"{urlsplit(u).scheme}://{urlsplit(u).netloc}" for u in seen}
    assert hosts <= {allowed.origin, live_server.url}, hosts  # no third party
    page.close()

    # A second visit within 30 days: nothing, and not even a request to us.
    page, seen = open_shop(context, allowed, live_server, in_page, asks=False)
    page.evaluate("SurveyHub.track('checkout')")
    page.wait_for_timeout(800)
    assert page.locator(".box").count() == 0
    assert not [u for u in seen if "/embed/v1/config/" in u]
    # Even when the browser's marker is gone, the server remembers the device.
    page.evaluate(f"localStorage.removeItem('surveyhub.until.{in_page.key}')")
    with page.expect_response(lambda r: "/embed/v1/config/" in r.url) as asked:
        page.reload()
    assert asked.value.json() == {"show": False}
    page.wait_for_load_state("networkidle")
    page.evaluate("SurveyHub.track('checkout')")
    page.wait_for_timeout(800)
    assert page.locator(".box").count() == 0
    assert Response.objects.count() == 1
    context.close()

    # A site that is not on the list: the config is refused, nothing shows.
    context = browser.new_context(**PHONE)
    page, seen = open_shop(context, other, live_server, in_page, asks=False)
    page.evaluate("SurveyHub.track('checkout')")
    page.wait_for_timeout(800)
    assert [u for u in seen if "/embed/v1/config/" in u]  # it asked, and was refused:
    assert page.locator(".box").count() == 0
    read = page.evaluate(
        "url => fetch(url).then(r => 'read ' + r.status).catch(() => 'blocked')",
        f"{live_server.url}/embed/v1/config/{in_page.key}/",
    )
    assert read == "blocked"  # the browser keeps the refusal from the page
    context.close()


@pytest.mark.parametrize(
    ("width", "lang", "question"),
    [
        (320, "zh-hans", "您有多大可能向朋友或同事推荐我们？"),
        (1280, "en", "How likely are you to recommend us to a friend or colleague?"),
        (390, "en", "How likely are you to recommend us to a friend or colleague?"),
        (1280, "zh-hans", "您有多大可能向朋友或同事推荐我们？"),
    ],
)
def test_after_page_views_in_each_language_and_width(
    live_server, browser, shops, width, lang, question
):
    allowed, _other = shops
    survey = published_survey(slug="shop-views", languages=["zh-hans", "en"])
    in_page = InPageSurvey.objects.create(
        name="浏览两次后", survey=survey, allowed_origins=allowed.origin, trigger="page_views",
        page_views=2, recontact_days=7,
    )  # fmt: skip
    size = {**PHONE, "viewport": {"width": width, "height": 760}} if width < 800 else {
        "viewport": {"width": width, "height": 800}, "locale": "en-US"}  # fmt: skip
    context = browser.new_context(**size)
    page, _seen = open_shop(context, allowed, live_server, in_page, lang)
    page.wait_for_timeout(500)
    assert page.locator(".box").count() == 0  # first view
    page.reload()
    box = page.locator(".box")
    box.wait_for()
    assert question in box.inner_text()
    one_row(page)
    page.screenshot(path=str(SHOTS / f"inpage-{width}-{lang}.png"))
    page.locator(".x").click()  # closed: not again on this device
    assert page.locator(".box").count() == 0
    page.reload()
    page.wait_for_timeout(800)
    assert page.locator(".box").count() == 0
    assert in_page.contacts.get().outcome == "dismissed"
    context.close()
