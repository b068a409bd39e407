"""Printing the HTML report to PDF through headless Chromium (Debian's package, driven by
Playwright with ``executable_path``), with the network switched off: the page must not need
it, and a request it tries is an error, as is anything it logs to the console as an error.

Why Debian's Chromium and not Playwright's download: machines here reach package registries
only; ``apt-get install chromium`` (see .ci/run) is the one way to get a browser.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from lockstep.errors import UserError

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ENV = "LOCKSTEP_CHROMIUM"
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run")


def chromium_path() -> str:
    """The browser to drive (``LOCKSTEP_CHROMIUM`` or Debian's); UserError when missing."""
    path = os.environ.get(CHROMIUM_ENV) or CHROMIUM
    if not Path(path).is_file():
        raise UserError(f"--pdf needs Chromium at {path} (install Debian's package: apt-get install chromium;"
                        f" or set {CHROMIUM_ENV})")
    return path


@dataclass
class PageLoad:
    """What the browser saw when it opened a page: console errors, page errors, requests
    to anything other than the file itself or inline data, and the rendered PDF or PNG."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    network: list[str] = field(default_factory=list)
    images_loaded: int = 0
    values: dict[str, str] = field(default_factory=dict)

    def problems(self) -> list[str]:
        return ([f"console error: {m}" for m in self.console_errors] + [f"page error: {m}" for m in self.page_errors]
                + [f"network request: {u}" for u in self.network])


def open_page(html: Path, pdf: Path | None = None, screenshot: Path | None = None) -> PageLoad:
    """Load ``html`` in headless Chromium; print it to ``pdf`` and/or take a full-page
    ``screenshot``. Reads back every ``data-count`` / ``data-role`` value the page shows."""
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    load = PageLoad()
    url = html.resolve().as_uri()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium_path(), headless=True, args=list(FLAGS))
            try:
                page = browser.new_page()
                page.on("console", lambda m: load.console_errors.append(m.text) if m.type == "error" else None)
                page.on("pageerror", lambda e: load.page_errors.append(str(e)))

                def route(r: object) -> None:
                    req = r.request  # type: ignore[attr-defined]
                    if req.url == url or req.url.startswith("data:"):
                        r.continue_()  # type: ignore[attr-defined]
                    else:
                        load.network.append(req.url)
                        r.abort()  # type: ignore[attr-defined]
                page.route("**/*", route)
                page.goto(url, wait_until="load")
                load.images_loaded = int(page.evaluate(
                    "Array.from(document.images).filter(i => i.complete && i.naturalWidth > 0).length"))
                load.values = dict(page.evaluate(
                    "Object.fromEntries([...document.querySelectorAll('[data-count]')].map(e =>"
                    " ['count:' + e.dataset.count, e.textContent.trim()]).concat([...document.querySelectorAll("
                    "'[data-role]')].map(e => ['role:' + e.dataset.role, e.textContent.trim()])))"))
                if screenshot is not None:
                    page.screenshot(path=str(screenshot), full_page=True)
                if pdf is not None:
                    page.emulate_media(media="print")
                    page.pdf(path=str(pdf), format="A4", print_background=True,
                             margin={"top": "12mm", "bottom": "12mm", "left": "10mm", "right": "10mm"})
            finally:
                browser.close()
    except PlaywrightError as exc:
        raise UserError(f"Chromium could not render {html}: {str(exc).splitlines()[0]}") from None
    return load
