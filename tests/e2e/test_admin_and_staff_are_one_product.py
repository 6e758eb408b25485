"""Issue #15: "make the admin and staff pages look like one product", in Chromium. On an admin
page and a staff page, for each role: the same header (brand, the places the role may open
with the current one marked, user menu, language switch) in the same spot, the same product
stylesheet, nothing wider than a 390 px phone, and no script or console error."""

import pytest

from surveyhub.security.roles import Role
from tests.e2e.designer_session import collect_errors, signed_in_context
from tests.factories import UserFactory
from tests.surveyhub.test_main_nav import EXPECTED

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# An admin page and a staff page each role may open, with the place each one marks.
PAGES = {
    Role.ADMIN: [("/admin/surveys/survey/", "admin"), ("/staff/customers/", "customers")],
    Role.MANAGER: [("/admin/", "admin"), ("/staff/evaluations/", "evaluations")],
    Role.DESIGNER: [("/admin/surveys/survey/", "admin"), ("/staff/surveys/", "surveys")],
    Role.AGENT: [("/admin/", "admin"), ("/staff/cases/", "cases")],
}
SHEETS = "[...document.styleSheets].map(s => s.href && new URL(s.href).pathname)"
HEADER_SPOTS = """() => Object.fromEntries(
    ['#site-header', '#site-header .brand', '#main-nav', '#user-menu', '#site-header .lang']
    .map(s => { const r = document.querySelector(s).getBoundingClientRect();
                return [s, [Math.round(r.x), Math.round(r.y), Math.round(r.width),
                            Math.round(r.height)]]; }))"""
OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


def header_of(page) -> dict:
    """What the header shows and where, and which stylesheets the page uses."""
    return {
        "places": page.eval_on_selector_all(
            "#main-nav a", "links => links.map(a => a.dataset.place)"
        ),
        "current": page.eval_on_selector_all(
            "#main-nav a.current[aria-current=page]", "links => links.map(a => a.dataset.place)"
        ),
        "sheets": page.evaluate(SHEETS),
        "spots": page.evaluate(HEADER_SPOTS),
        "overflow": page.evaluate(OVERFLOW),
    }


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize(("width", "language"), [(390, "zh-hans"), (1280, "en")])
def test_an_admin_page_and_a_staff_page_share_one_header_and_stylesheet(
    live_server, browser, role, width, language
):
    user = UserFactory(role=role, username=f"{role.name.lower()}_王")
    context = signed_in_context(browser, live_server, user, width=width, language=language)
    page = context.new_page()
    errors = collect_errors(page)
    seen = {}
    for path, place in PAGES[role]:
        reply = page.goto(live_server.url + path)
        assert reply.status == 200, (path, reply.status)
        seen[path] = header_of(page)
        assert seen[path]["places"] == EXPECTED[role], path
        assert seen[path]["current"] == [place], path
        assert "/static/surveyhub/product.css" in seen[path]["sheets"], path
        assert seen[path]["overflow"] <= 1, f"{path} scrolls sideways at {width}px"
        assert page.is_visible("#site-header .brand") and page.is_visible("#user-menu summary")
        assert page.is_visible("#site-header select[name=language]")

    admin, staff = (seen[path] for path, _ in PAGES[role])
    assert admin["spots"]["#site-header .brand"] == staff["spots"]["#site-header .brand"]
    assert admin["spots"]["#user-menu"] == staff["spots"]["#user-menu"]
    assert admin["spots"]["#site-header .lang"] == staff["spots"]["#site-header .lang"]
    assert admin["spots"]["#site-header"][2:] == staff["spots"]["#site-header"][2:]

    # The user menu opens over the page and leads to the API token and the log-out.
    page.click("#user-menu summary")
    assert page.is_visible("#user-menu a[href='/staff/api-token/']")
    assert page.is_visible("#user-menu button[type=submit]")
    context.close()
    assert not errors, errors


def test_the_language_switch_in_the_admin_header_changes_the_language(live_server, browser):
    user = UserFactory(role=Role.MANAGER, username="manager_lang")
    context = signed_in_context(browser, live_server, user, width=390, language="zh-hans")
    page = context.new_page()
    errors = collect_errors(page)
    page.goto(live_server.url + "/admin/surveys/survey/")
    assert page.inner_text("#main-nav a[data-place=surveys]") == "问卷"
    page.select_option("#site-header select[name=language]", "en")
    page.click("#site-header .lang button")
    page.wait_for_load_state()
    assert page.url.endswith("/admin/surveys/survey/")
    assert page.inner_text("#main-nav a[data-place=surveys]") == "Surveys"
    context.close()
    assert not errors, errors
