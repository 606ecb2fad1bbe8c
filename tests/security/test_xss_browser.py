"""No hostile string a user or a source writes ever runs as script in a reader's browser.

The site is filled with a few hundred XSS payloads plus the Big List of Naughty Strings
through every door in hostile.INJECTIONS, then every page where they show is rendered in
Chromium twice: once as served (with the Content-Security-Policy), once with the CSP
switched off, so escaping and sanitising alone must hold. Any dialog, console marker,
window.__xss__, request to another host, inline event handler, script or javascript: URL
that the site did not write itself fails the test.
"""

from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client, override_settings
from hostile import MARKER, build_hostile_site

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LOCAL_HOSTS = {"localhost", "127.0.0.1", "[::1]", "::1"}

# Everything in the DOM that would run script or load from elsewhere, as one JS function:
# it returns a list of findings, empty when the page is clean. The site's own scripts are its
# static files and, in the back office, Django's JavaScript catalog (/admin/jsi18n/).
DOM_AUDIT = """() => {
  const findings = [];
  const bad = /^\\s*(javascript|vbscript|data:text\\/html|data:image\\/svg)/i;
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      if (name.startsWith('on')) findings.push(`${el.tagName} has ${name}`);
      if (['href', 'src', 'action', 'formaction', 'xlink:href', 'data', 'poster', 'background']
          .includes(name) && bad.test(attr.value.replace(/[\\u0000-\\u001f]/g, '')))
        findings.push(`${el.tagName} ${name}=${attr.value.slice(0, 60)}`);
      if (name === 'srcdoc') findings.push(`${el.tagName} has srcdoc`);
      if (name === 'style' && /url\\(|expression/i.test(attr.value))
        findings.push(`${el.tagName} style=${attr.value.slice(0, 60)}`);
    }
  }
  for (const el of document.querySelectorAll('iframe, frame, object, embed, base, applet, portal, meta[http-equiv]'))
    findings.push(`element ${el.tagName}`);
  for (const script of document.scripts) {
    if (['application/ld+json', 'application/json'].includes(script.type)) {
      try { JSON.parse(script.textContent); } catch (e) { findings.push(`${script.type} does not parse`); }
    } else if (!script.src || new URL(script.src).origin !== location.origin
               || !(new URL(script.src).pathname.startsWith('/static/')
                    || new URL(script.src).pathname === '/admin/jsi18n/')) {
      findings.push(`script ${script.src || script.textContent.slice(0, 60)}`);
    }
  }
  return findings;
}"""


@pytest.fixture
def hostile_site(live_server, tmp_path):
    with override_settings(ARTICLES_PER_PAGE=500, PAGE_CACHE_SECONDS=0):
        site = build_hostile_site(tmp_path)
        yield live_server.url, site


class Renderer:
    """One browser context per mode (CSP on / off), reused across pages so that the
    site's static files load once; the listeners report into the current page's list."""

    def __init__(self, browser, bypass_csp: bool, cookies: list[dict] | None = None):
        self.bypass_csp = bypass_csp
        self.context = browser.new_context(bypass_csp=bypass_csp)
        if cookies:
            self.context.add_cookies(cookies)
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("dialog", self._dialog)
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self._note(f"page error: {error}", str(error)))
        self.problems: list[str] = []

    def _note(self, problem: str, text: str) -> None:
        if MARKER in text or "__xss__" in text:
            self.problems.append(problem)

    def _dialog(self, dialog):
        self.problems.append(f"dialog: {dialog.message}")
        dialog.dismiss()

    def _console(self, message):
        text = message.text
        if MARKER in text or (not self.bypass_csp and "Refused to execute" in text):
            self.problems.append(f"console: {text[:120]}")

    def _route(self, route):
        parts = urlsplit(route.request.url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.hostname not in LOCAL_HOSTS:
            self.problems.append(f"request to {route.request.url[:100]}")
            route.abort()  # never wait on the network for a host that must not be asked
        else:
            route.continue_()

    def render(self, url: str) -> tuple[list[str], str]:
        self.problems = []
        self.page.goto(url, wait_until="load")
        self.page.wait_for_timeout(30)
        if self.page.evaluate("() => window.__xss__ !== undefined"):
            self.problems.append("window.__xss__ was set")
        findings = (
            self.page.evaluate(DOM_AUDIT) if self.page.evaluate("() => !!document.body") else []
        )
        self.problems += [f"DOM: {finding}" for finding in findings]
        text = self.page.evaluate(
            "() => document.body ? document.body.innerText : document.documentElement.textContent"
        )
        return list(self.problems), text

    def close(self):
        self.context.close()


def session_cookie(base: str, username: str) -> list[dict]:
    """A signed-in session of this user, as a cookie for the browser."""
    client = Client()
    client.force_login(User.objects.get(username=username))
    value = client.cookies[settings.SESSION_COOKIE_NAME].value
    return [{"name": settings.SESSION_COOKIE_NAME, "value": value, "url": base}]


def render_all(browser, base, site, paths, cookies=None) -> tuple[list[str], int]:
    failures = []
    texts_checked = 0
    renderers = [
        Renderer(browser, bypass_csp=False, cookies=cookies),
        Renderer(browser, bypass_csp=True, cookies=cookies),
    ]
    for path in paths:
        for renderer in renderers:
            bypass_csp = renderer.bypass_csp
            problems, text = renderer.render(base + path)
            label = f"{path} ({'CSP off' if bypass_csp else 'CSP on'})"
            failures += [f"{label}: {problem}" for problem in problems]
            if cookies and "login" in renderer.page.url:
                failures.append(f"{label}: sent to log in, so the page was not checked")
            for expected in site.shown_as_text.get(path, []) if not bypass_csp else []:
                texts_checked += 1
                if " ".join(expected.split()) not in " ".join(text.split()):
                    failures.append(f"{label}: the text {expected[:60]!r} was not shown")
    for renderer in renderers:
        renderer.close()
    return failures, texts_checked


def test_hostile_strings_never_run_in_the_browser(browser, hostile_site):
    base, site = hostile_site
    assert len(site.payloads) >= 400
    assert len(site.pages) >= 25, site.pages
    failures, texts_checked = render_all(browser, base, site, site.pages)
    assert not failures, "\n".join(failures[:40])
    assert texts_checked >= 10, "too few payloads checked for showing as text"


def test_hostile_strings_never_run_for_moderators_and_staff(browser, hostile_site):
    """The moderation queue, bans, phrases, audit log and back-office pages, signed in."""
    base, site = hostile_site
    assert {"hostile-moderator", "hostile-admin"} <= set(site.signed_in), site.signed_in
    failures = []
    for username, paths in site.signed_in.items():
        cookies = session_cookie(base, username)
        found, _texts = render_all(browser, base, site, paths, cookies)
        failures += [f"{username}: {failure}" for failure in found]
    assert not failures, "\n".join(failures[:40])


def test_the_detector_catches_a_page_that_runs_a_payload(browser):
    """The checks above can fail: a page that does run a payload is reported in both modes."""
    unsafe = (
        "data:text/html,<p>hi</p><img src=x onerror=\"window.__xss__=1;console.log('XSS-MARKER')\">"
    )
    for bypass_csp in (False, True):
        renderer = Renderer(browser, bypass_csp=bypass_csp)
        problems, _text = renderer.render(unsafe)
        renderer.close()
        assert any("onerror" in problem for problem in problems), problems
        assert any("__xss__" in problem or "console" in problem for problem in problems), problems
