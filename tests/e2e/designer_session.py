"""Helpers of the end-to-end walks in Chromium (first written for the designer's): a signed-in
browser context, the page's script and console errors collected, a mouse drag as a person does
it (SortableJS), and reading back the QR code a page serves."""

import io

import segno
from django.test import Client
from PIL import Image


def signed_in_context(browser, live_server, user, *, width: int, language: str):
    """A Chromium context of `width` px, signed in as `user`, with the UI in `language`."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(
        viewport={"width": width, "height": 900},
        locale="zh-CN" if language == "zh-hans" else "en-US",
        extra_http_headers={"Accept-Language": language},
    )
    context.add_cookies([
        {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url},
        {"name": "django_language", "value": language, "url": live_server.url},
    ])  # fmt: skip
    return context


def collect_errors(page) -> list[str]:
    """A list that fills with the page's uncaught script errors and console errors."""
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    return errors


def drag(page, source, target) -> None:
    """Drag `source` onto the top of `target` with the mouse (SortableJS's pointer events)."""
    start, end = source.bounding_box(), target.bounding_box()
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
    page.mouse.down()
    page.mouse.move(start["x"] + 4, start["y"] - 6, steps=4)
    page.mouse.move(end["x"] + 20, end["y"] + 8, steps=15)
    page.mouse.move(end["x"] + 20, end["y"] + 4, steps=3)
    page.mouse.up()


def qr_modules(png: bytes) -> list[list[bool]]:
    """The dark/light modules of a QR code image, read from its pixels (quiet zone dropped).

    The module size is measured on the top-left finder pattern (7 modules wide), and each
    module is read at its centre, so any scale and border work."""
    image = Image.open(io.BytesIO(png)).convert("L")
    width, height = image.size
    pixels = image.load()

    def dark(x: int, y: int) -> bool:
        return pixels[x, y] < 128

    top = next(y for y in range(height) if any(dark(x, y) for x in range(width)))
    left = next(x for x in range(width) if dark(x, top))
    run = next(x for x in range(left, width) if not dark(x, top)) - left
    module = run / 7
    right = max(x for x in range(width) if dark(x, top))
    count = round((right - left + 1) / module)
    return [
        [dark(int(left + (col + 0.5) * module), int(top + (row + 0.5) * module))
         for col in range(count)]
        for row in range(count)
    ]  # fmt: skip


def qr_encodes(png: bytes, url: str) -> bool:
    """Whether the QR image's modules are those of `url` (segno's encoding, error level M, as
    the product makes them): no other text gives the same symbol."""
    expected = segno.make(url, error="m", micro=False).matrix
    return qr_modules(png) == [[bool(bit) for bit in row] for row in expected]
