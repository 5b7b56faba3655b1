"""Browser tests: Debian's Chromium driven through Playwright against pytest-django's live server.

One Chromium for all the browser tests, a fresh browser context (cookies, storage) per test.
Every page the tests visit can be checked with axe-core against WCAG 2.2 A and AA, and for
horizontal scrolling at a 375px-wide (phone) viewport.

Run them with ``pytest tests/browser`` (or ``pytest -m browser``). Without /usr/bin/chromium they
are skipped with a loud message, except when CI=true, where that is a failure.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.core.management import call_command

CHROMIUM = Path("/usr/bin/chromium")
AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
MOBILE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
REFERENCE_PATTERN = r"DBC-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}"
TIMEOUT_MS = 15_000
ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"
# Only what the failure message needs crosses back from the browser.
AXE_RUN = """tags => axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]})
  .then(result => result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => ({target: n.target, html: n.html, failureSummary: n.failureSummary})),
  })))"""


def _missing(message: str) -> None:
    """No browser: a loud skip on a developer's machine, a failure in CI."""
    banner = f"\n{'!' * 78}\n!!! BROWSER TESTS NOT RUN: {message}\n{'!' * 78}"
    if os.environ.get("CI") == "true":
        pytest.fail(banner, pytrace=False)
    pytest.skip(banner)


@pytest.fixture(scope="package")
def chromium():
    """One headless Chromium, shared by every test in tests/browser/.

    Package scope, not session scope: Playwright is stopped as soon as the last browser test is
    done, which matters because of the event loop below.
    """
    if not CHROMIUM.exists() or not os.access(CHROMIUM, os.X_OK):
        _missing(f"{CHROMIUM} is missing; install it with `apt-get install chromium`")
    if not AXE_JS.exists():
        _missing(f"{AXE_JS} is missing; run `npm ci`")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - the dev extra installs it
        _missing("the playwright Python package is not installed (pip install -e '.[dev]')")
    # Playwright's sync API runs an asyncio event loop in this (the tests') thread, switching into
    # it with greenlets whenever it talks to the browser; from start() to stop() the thread has a
    # "running" loop. Django's async-safety guard (django.utils.asyncio.async_unsafe) sees it and
    # raises SynchronousOnlyOperation for every ORM call made in this thread meanwhile: the
    # tests' own (make_case, Service.objects...), load_catalogue in ``hub``, and the database
    # flush after each transactional test. Nothing else runs on that loop while the test code
    # runs, so the guard is a false positive here and is switched off.
    #
    # It is set here, for exactly as long as Playwright runs, rather than at import time: set at
    # import it stays set for the whole pytest run, leaks into child processes, and breaks
    # tests/portal/test_security.py::test_check_deploy_is_clean_under_production_settings
    # ("async.E001 You should not set the DJANGO_ALLOW_ASYNC_UNSAFE environment variable in
    # deployment") when the whole suite runs.
    previous = os.environ.get(ASYNC_UNSAFE)
    os.environ[ASYNC_UNSAFE] = "true"
    manager = sync_playwright().start()
    try:
        try:
            browser = manager.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
        except Exception as exc:
            _missing(f"Chromium at {CHROMIUM} would not start: {exc}")
        yield browser
        browser.close()
    finally:
        manager.stop()
        if previous is None:
            os.environ.pop(ASYNC_UNSAFE, None)
        else:
            os.environ[ASYNC_UNSAFE] = previous


@pytest.fixture
def hub(live_server, transactional_db):
    """The live server, with the catalogue and the demo addresses in its database.

    Transactional tests flush the database after each test, taking the catalogue the session-wide
    ``django_db_setup`` loaded with it, so it is loaded again here whenever it is missing. The
    management commands work the same on SQLite and PostgreSQL; ``serialized_rollback`` would not
    help, as it restores what was serialized when the test database was created, before
    tests/conftest.py loaded the catalogue.
    """
    from residenthub.core.models import Address
    from residenthub.services.models import Service

    with open(os.devnull, "w") as devnull:
        if not Service.objects.exists():
            call_command("load_catalogue", verbosity=0, stdout=devnull)
        if not Address.objects.exists():
            call_command("load_addresses", stdout=devnull)
    return live_server


class Problems:
    """What went wrong in a page: JavaScript errors, CSP violations, assets that did not load."""

    def __init__(self):
        self.messages: list[str] = []

    def console(self, message) -> None:
        # A 4xx page (a form with errors, a 404) logs "Failed to load resource"; that is expected
        # for documents, and sub-resources are checked in ``response`` below.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.messages.append(f"console error on {message.location.get('url', '?')}: {message.text}")

    def response(self, response) -> None:
        if response.request.resource_type != "document" and response.status >= 400:
            kind = response.request.resource_type
            self.messages.append(f"{kind} {response.url} answered {response.status}")

    def request_failed(self, request) -> None:
        if request.resource_type != "document":
            self.messages.append(f"{request.resource_type} {request.url} failed: {request.failure}")

    def page_error(self, error) -> None:
        self.messages.append(f"uncaught exception: {error}")

    def assert_none(self) -> None:
        assert not self.messages, "The browser reported problems:\n" + "\n".join(self.messages)


@pytest.fixture
def open_page(chromium, hub, axe_source) -> Iterator[Callable]:
    """``open_page(js=True, viewport=MOBILE)``: a new page in a fresh browser context.

    The page records console errors and uncaught exceptions in ``page.problems``; every page
    opened is checked for them when the test ends.
    """
    contexts = []
    pages = []

    def _open(*, js: bool = True, viewport: dict | None = None):
        context = chromium.new_context(
            java_script_enabled=js, viewport=viewport or MOBILE, base_url=hub.url, locale="en-GB"
        )
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        if js:
            # axe-core ready in every page before the page's own scripts run (see check_page).
            context.add_init_script(script=axe_source)
        contexts.append(context)
        page = context.new_page()
        page.javascript_enabled = js
        page.problems = Problems()
        page.on("console", page.problems.console)
        page.on("pageerror", page.problems.page_error)
        page.on("response", page.problems.response)
        page.on("requestfailed", page.problems.request_failed)
        pages.append(page)
        return page

    yield _open
    try:
        for page in pages:
            page.problems.assert_none()
    finally:
        for context in contexts:
            context.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    return AXE_JS.read_text(encoding="utf-8")


def _format_violations(violations: list[dict], where: str) -> str:
    lines = [f"{len(violations)} accessibility violation(s) on {where}:"]
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation.get('impact')}): {violation['help']}  "
            f"[{violation.get('helpUrl', '')}]"
        )
        for node in violation["nodes"]:
            lines.append(f"    target: {node['target']}")
            lines.append(f"      html: {node.get('html', '')[:200]}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"      why: {summary[:300]}")
    return "\n".join(lines)


@pytest.fixture
def check_page(axe_source, chromium, hub) -> Iterator[Callable]:
    """``check_page(page, label)``: axe-core (WCAG 2.2 A/AA) finds nothing; nothing scrolls sideways.

    axe is injected as a Playwright init script (or, failing that, with ``page.evaluate``) rather
    than with ``add_script_tag``: the pages send a strict Content-Security-Policy (script nonces)
    that blocks an injected inline <script>, while code run through the DevTools protocol is not
    subject to the page's CSP. So the pages are tested under their real policy (no
    ``bypass_csp``), and a CSP violation by the app's own scripts still shows up as a console
    error (see ``Problems``).

    axe needs timers, which do not run in a context with JavaScript disabled, so a page from such
    a context is checked in a JavaScript-enabled "twin": the same HTML, served at the same URL
    (so the stylesheet and images load), with a policy of ``script-src 'none'`` so none of the
    page's own scripts run. That is what a resident without JavaScript gets.
    """
    twins: list = []

    def _twin():
        if not twins:
            context = chromium.new_context(viewport=MOBILE, base_url=hub.url)
            context.set_default_timeout(TIMEOUT_MS)
            context.add_init_script(script=axe_source)
            twins.append(context)
            twins.append(context.new_page())
        return twins[1]

    def _run_axe(page, where: str) -> None:
        if not page.evaluate("typeof window.axe === 'object'"):
            page.evaluate(axe_source)
        result = page.evaluate(AXE_RUN, WCAG_TAGS)
        assert not result, _format_violations(result, where)

    def _no_sideways_scroll(page, where: str) -> None:
        sizes = page.evaluate("({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})")
        assert sizes["scroll"] <= sizes["inner"], (
            f"{where} scrolls sideways at {sizes['inner']}px wide: the page is {sizes['scroll']}px wide"
        )

    def _check(page, label: str = "") -> None:
        where = f"{label or 'page'} ({page.url})"
        if not getattr(page, "javascript_enabled", True):
            html = page.content()
            twin = _twin()
            twin.set_viewport_size(page.viewport_size)
            url = page.url

            def serve(route):
                route.fulfill(
                    status=200,
                    body=html,
                    headers={
                        "Content-Type": "text/html; charset=utf-8",
                        "Content-Security-Policy": "script-src 'none'",
                    },
                )

            def same_url(candidate: str) -> bool:
                return candidate == url

            twin.route(same_url, serve)
            try:
                twin.goto(url, wait_until="load")
            finally:
                twin.unroute(same_url, serve)
            assert not twin.evaluate("document.body.classList.contains('js-enabled')")
            _no_sideways_scroll(page, where)
            _run_axe(twin, where + " without JavaScript")
        else:
            _no_sideways_scroll(page, where)
            _run_axe(page, where)

    yield _check
    for context in twins[:1]:
        context.close()


@pytest.fixture(scope="package")
def triage_model():
    """The front door's classifier as shipped (``residenthub/triage/data/model/shipped.joblib``), as
    tests/triage/ uses it.

    Set as the process-wide model, so the live server thread uses it: the tests neither read nor
    write var/triage/, and a model retrained there with a council's history cannot change what
    they see. The model loaded before is put back afterwards.
    """
    from residenthub.triage import model

    previous = model._loaded  # the process-wide model, if any; there is no public getter that does not load
    if previous is not None and previous.version == model.load_shipped().version:
        yield previous
        return
    model.set_model(model.load_shipped())
    try:
        yield model._loaded
    finally:
        model.set_model(previous)
