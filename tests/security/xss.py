"""XSS payloads, and a check that an HTML page shows them as text and never as markup."""

from html.parser import HTMLParser

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "</textarea><svg onload=alert(1)>",
    "{{7*7}}",
    "'';!--\"<XSS>=&{()}",
    '差评<script>alert("客户")</script>😡',
    "'><iframe src=javascript:alert(1)>好评👍",
    "<a href=javascript:alert(1)>点我</a>",
    "</title><style>*{display:none}</style>",
]
# Payloads that markup cannot carry without one of these characters; the others
# (`javascript:…`, `{{7*7}}`) are harmless as text and caught by the structural check.
_MARKUP = set("<>\"'")
# A tag no page of ours uses (svg, iframe, style are used legitimately: caught by attributes).
_INJECTED_TAGS = {"xss"}
_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href"}


def mixed(index: int) -> str:
    """A payload among Chinese words and emoji, as a real field would hold it."""
    return f"客户{PAYLOADS[index % len(PAYLOADS)]}反馈🙂"


class _Markup(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        if tag in _INJECTED_TAGS:
            self.problems.append(f"<{tag}> element")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…> event handler")
            if name in _URL_ATTRIBUTES and (value or "").strip().lower().startswith("javascript:"):
                self.problems.append(f"<{tag} {name}={value!r}>")
        if tag == "img" and dict(attrs).get("src") == "x":
            self.problems.append("<img src=x>")
        self._in_script = tag == "script" and dict(attrs).get("type") != "application/json"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.problems.append(f"inline script {data.strip()[:60]!r}")


def injection_problems(html: str) -> list[str]:
    """What in `html` a payload turned into markup (empty when every payload is plain text)."""
    problems = [f"raw payload {p!r}" for p in PAYLOADS if set(p) & _MARKUP and p in html]
    parser = _Markup()
    parser.feed(html)
    parser.close()
    return problems + parser.problems


# For browser tests. The Content-Security-Policy blocks inline scripts, so "no alert() opened"
# proves nothing: a template that renders user text as markup still passes it. Rendered as
# markup, this payload puts an element #pwn and an <img onerror> into the DOM, whatever the
# CSP does; shown as text, the page holds neither and reads it literally.
DOM_PAYLOAD = '<b id="pwn">粗体</b><img id="pwn-img" src=x onerror="document.title=1">'
# What a payload turned into markup leaves in the DOM (ours or PAYLOADS').
DOM_INJECTED = (
    "#pwn, #pwn-img, xss, img[src='x'], svg[onload], iframe[src^='javascript'], "
    "a[href^='javascript'], [onerror], [onload], [onclick]"
)


def dom_injections(page) -> list[str]:
    """The elements a payload injected into the page's DOM (outerHTML, for the message)."""
    return page.locator(DOM_INJECTED).evaluate_all("els => els.map(e => e.outerHTML)")
