"""The report and the reader's page as a reader clicks them, in a real headless Chromium.

The Snakemake report is a React app whose navigation is internal state, not URLs. The test
drives it over the DevTools protocol (--remote-debugging-pipe: no extra package) with real
mouse input (Input.dispatchMouseEvent at an element's on-screen centre), never through the
app's own functions: at each screen size it opens the landing page, clicks every category
of the menu (and every subcategory), then every result's eye button and its info button
(and the eye button there), hides the sidebar once per figure, and checks what the reader
sees: no JavaScript error, a non-empty image or table on screen for every result, the
images legible (at least MIN_SCALE of their natural size), nothing above the window's top,
tables no wider than their frame, and the answer on the landing page's first screen. The
reader's page (results/index.html) gets the same checks. Screenshots of every view land in
results/browser/.

By hand, against a built report and page:
    python tests/workflow/test_report_browser.py REPORT.html INDEX.html OUTDIR
"""

import base64
import fcntl
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

SIZES = ((1366, 768), (1920, 1080))
MIN_SCALE = 0.5  # a figure drawn smaller than half its natural size is too small to read
ANSWER = "The answer"  # the heading that opens the landing page and the reader's page
ERRORS = """window.__errors = [];
addEventListener('error', e => window.__errors.push(String(e.message)));
addEventListener('unhandledrejection', e => window.__errors.push(String(e.reason)));"""
# The report's elements, by what the reader sees: the sidebar, its rows, the content pane.
NAV = "document.querySelector('#app nav')"
PANE = f"{NAV}.parentElement.lastElementChild"
ROWS = f"[...({NAV}?.querySelectorAll('table tbody tr') ?? [])]"


def chromium() -> str | None:
    """The Chromium executable on PATH, if any."""
    return next(filter(None, map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))), None)


class Browser:
    """Headless Chromium driven over the DevTools protocol on a pipe (fd 3 in, fd 4 out)."""

    def __init__(self, executable: str):
        self.profile = tempfile.TemporaryDirectory(prefix="hrta-chromium-")
        to_browser, self._in = os.pipe()
        self._out, from_browser = os.pipe()
        # above the browser's fds 3 and 4, so that moving them there clobbers nothing
        to_browser, from_browser = (fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in (to_browser, from_browser))

        def to_fds_3_and_4():
            os.dup2(to_browser, 3)
            os.dup2(from_browser, 4)

        self.proc = subprocess.Popen(
            [executable, "--headless=new", "--remote-debugging-pipe", "--no-sandbox", "--disable-gpu",
             "--no-first-run", "--no-default-browser-check", "--hide-scrollbars",
             f"--user-data-dir={self.profile.name}", "about:blank"],
            pass_fds=(3, 4), preexec_fn=to_fds_3_and_4, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for fd in (to_browser, from_browser):
            os.close(fd)
        self._buffer, self._next_id = b"", 0
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        self.page("Page.enable")
        self.page("Page.addScriptToEvaluateOnNewDocument", {"source": ERRORS})

    def call(self, method: str, params: dict | None = None, session: str | None = None, timeout: float = 30):
        """Send one command, return its result (events in between are dropped)."""
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._in, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            while b"\0" not in self._buffer:
                left = deadline - time.monotonic()
                if left <= 0 or not select.select([self._out], [], [], left)[0]:
                    raise TimeoutError(f"no answer to {method} within {timeout} s")
                chunk = os.read(self._out, 1 << 20)
                if not chunk:
                    raise RuntimeError("Chromium closed the DevTools pipe")
                self._buffer += chunk
            raw, self._buffer = self._buffer.split(b"\0", 1)
            reply = json.loads(raw)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply["result"]

    def page(self, method: str, params: dict | None = None):
        """A command to the page's session."""
        return self.call(method, params, session=self.session)

    def js(self, expression: str, context: int | None = None):
        """The value of a JavaScript expression in the page (or in an execution context)."""
        params = {"expression": expression, "returnByValue": True, "awaitPromise": True}
        if context is not None:
            params["contextId"] = context
        out = self.page("Runtime.evaluate", params)
        if "exceptionDetails" in out:
            raise RuntimeError(f"{expression}: {out['exceptionDetails']}")
        return out["result"].get("value")

    def wait(self, expression: str, timeout: float = 10, context: int | None = None):
        """Poll an expression until it is truthy; its value, or None at the timeout."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                value = self.js(expression, context)
            except RuntimeError as err:  # e.g. the page went blank: the element is gone
                if "Uncaught" not in str(err):
                    raise
                value = None
            if value:
                return value
            time.sleep(0.05)
        return None

    def open(self, path: Path, width: int, height: int) -> None:
        self.page("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
        self.page("Page.navigate", {"url": path.resolve().as_uri()})
        self.wait("document.readyState === 'complete'", timeout=30)

    def click(self, element: str) -> str | None:
        """Click the element (a JavaScript expression) at its centre as a mouse does, after
        scrolling it into view; a problem, or None."""
        found = f"(() => {{ try {{ return {element}; }} catch {{ return null; }} }})()"  # null on a blank page
        where = (f"(() => {{ const el = {found}; if (!el) return null;"
                 " el.scrollIntoView({block: 'nearest', inline: 'nearest'});"
                 " return el.getBoundingClientRect().toJSON(); })()")
        rect, deadline = self.js(where), time.monotonic() + 3
        while rect and time.monotonic() < deadline:  # a reader clicks once it stops moving (sliding sidebar)
            time.sleep(0.08)
            rect, before = self.js(where), rect
            if rect == before:
                break
        if not rect:
            return "nothing to click"
        x, y = rect["left"] + rect["width"] / 2, rect["top"] + rect["height"] / 2
        size = self.js("[innerWidth, innerHeight]")
        if not (0 <= x < size[0] and 0 <= y < size[1]) or rect["width"] == 0:
            return f"its centre ({x:.0f}, {y:.0f}) is off the {size[0]}×{size[1]} window"
        hit = self.js(f"(() => {{ const el = {found}, at = document.elementFromPoint({x}, {y});"
                      " return at !== null && (el === at || el.contains(at)); })()")
        if not hit:
            return "another element covers it"
        for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
            self.page("Input.dispatchMouseEvent",
                      {"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1})
        time.sleep(0.05)
        return None

    def settle(self, timeout: float = 3) -> None:
        """Wait until the sidebar stops sliding (its width the same twice in a row)."""
        width, deadline = None, time.monotonic() + timeout
        while time.monotonic() < deadline:
            time.sleep(0.08)
            width, before = self.js(f"{NAV}?.getBoundingClientRect().width"), width
            if width == before:
                return

    def errors(self) -> list[str]:
        """The JavaScript errors since the last call."""
        return self.js("(() => { const e = window.__errors || []; window.__errors = []; return e; })()") or []

    def screenshot(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(self.page("Page.captureScreenshot", {"format": "png"})["data"]))

    def close(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)
        os.close(self._in)
        os.close(self._out)
        self.profile.cleanup()


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in text).strip("_")[:60]


def _by_text(scope: str, text: str) -> str:
    """JavaScript: the link in scope whose visible text is exactly text."""
    return f"[...({scope}?.querySelectorAll('a') ?? [])].find(a => a.innerText.trim() === {json.dumps(text)})"


def _answer_on_first_screen(browser: Browser, context: int | None = None) -> str | None:
    """A problem unless the answer's heading and its first sentence are on the first screen."""
    where = browser.wait(
        f"(() => {{ const h = [...document.querySelectorAll('h1, h2, h3')].find("
        f"h => h.innerText.trim() === {json.dumps(ANSWER)}); if (!h) return null;"
        " let next = h.nextElementSibling; while (next && !next.innerText.trim()) next = next.nextElementSibling;"
        " return [h.getBoundingClientRect().top, next ? next.getBoundingClientRect().top : null,"
        " innerHeight, next ? next.innerText.trim().length : 0]; })()", timeout=5, context=context)
    if not where:
        return f"no heading {ANSWER!r}"
    top, first, height, length = where
    if top < 0 or first is None or first >= height - 20 or length < 20:
        return f"{ANSWER!r} is not on the first screen (heading at {top:.0f} px, its text at {first} px)"
    return None


def _frame_context(browser: Browser) -> int | None:
    """An execution context in the last child frame (the inline view's document), loaded."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        children = browser.page("Page.getFrameTree")["frameTree"].get("childFrames", [])
        if children:
            try:
                context = browser.page("Page.createIsolatedWorld",
                                       {"frameId": children[-1]["frame"]["id"]})["executionContextId"]
                if browser.wait("document.readyState === 'complete' && document.body !== null"
                                " && document.body.innerText.length > 0", timeout=3, context=context):
                    return context
            except RuntimeError as err:  # the frame loaded a new document while we looked: look again
                if "Cannot find context" not in str(err):
                    raise
        time.sleep(0.1)
    return None


def _wide_tables(browser: Browser, context: int | None = None) -> list[str]:
    """The tables wider than their page (the reader would have to scroll sideways)."""
    return browser.js("[...document.querySelectorAll('table')].map((t, i) => [i, t.getBoundingClientRect().right])"
                      ".filter(([i, r]) => r > document.documentElement.clientWidth + 1)"
                      ".map(([i, r]) => `table ${i + 1} ends at ${Math.round(r)} px, its page at `"
                      " + document.documentElement.clientWidth + ' px')", context) or []


def _check_shown(browser: Browser, name: str, path: str, mime: str) -> list[str]:
    """What the content pane shows after an eye button: the result's image, whole and legible,
    or its page with a table that fits."""
    if mime.startswith("image/"):
        img = browser.wait(f"(() => {{ const i = {PANE}.querySelector('img');"
                           f" return i && i.src === results[{json.dumps(path)}].data_uri && i.complete"
                           " && i.naturalWidth > 0 && i.getBoundingClientRect().width > 0"
                           " && [i.getBoundingClientRect().toJSON(), i.naturalWidth, innerWidth]; })()")
        if not img:
            return [f"{name}: no image shown"]
        rect, natural, width = img
        problems = []
        if rect["top"] < 0:
            problems.append(f"{name}: the image's top {-rect['top']:.0f} px is above the window")
        if rect["right"] > width + 1 or rect["width"] < 100:
            problems.append(f"{name}: the image is {rect['width']:.0f} px wide, its right edge at {rect['right']:.0f}")
        if rect["width"] / natural < MIN_SCALE:
            problems.append(f"{name}: the image is drawn at {rect['width'] / natural:.2f}× its natural size")
        return problems
    frame = browser.wait(f"(() => {{ const f = {PANE}.querySelector('iframe');"
                         f" const r = f && f.src === results[{json.dumps(path)}].data_uri"
                         " && f.getBoundingClientRect(); return r && r.width > 0 && r.toJSON(); })()")
    if not frame:
        return [f"{name}: no inline view opened"]
    problems = [] if frame["top"] >= 0 else [f"{name}: the inline view starts above the window"]
    if frame["width"] < 600:
        problems.append(f"{name}: the inline view is a {frame['width']:.0f}-px column")
    context = _frame_context(browser)
    if context is None:
        return problems + [f"{name}: the inline view holds no document"]
    if not browser.js("document.querySelectorAll('table').length", context):
        problems.append(f"{name}: the inline view shows no table")
    return problems + [f"{name}: {wide}" for wide in _wide_tables(browser, context)]


def _check_result(browser: Browser, out: Path, size: str, where: str, row: int, k: int) -> list[str]:
    """Click one row's eye button, then (back in its list) its info button and the eye button
    there; hide the sidebar once for a figure."""
    eye, info = (f"{ROWS}[{row}].querySelectorAll('td:last-child a[type=button]')[{i}]" for i in (0, 1))
    label = browser.js(f"{ROWS}[{row}].innerText.trim()")
    name = f"{size} {where} › {label}"
    problem = browser.click(eye)
    if problem:
        return [f"{name}: its eye button: {problem}"]
    path = browser.js("app.state.resultPath")  # which result the click showed: to know what to expect
    if not path:
        return [f"{name}: its eye button opened nothing"]
    mime = browser.js(f"results[{json.dumps(path)}].mime_type")
    problems = _check_shown(browser, name, path, mime)
    browser.screenshot(out / size / f"{k:02d}_{_slug(where)}_{_slug(label)}.png")
    if mime.startswith("image/"):
        hide = f"{NAV}.querySelector('h1 a[type=button]')"
        problems += [f"{name}: the sidebar's hide button: {p}" for p in filter(None, [browser.click(hide)])]
        browser.settle()  # the sidebar slides away
        problems += [f"{name} (sidebar hidden): {p}" for p in _check_shown(browser, name, path, mime)]
        browser.screenshot(out / size / f"{k:02d}_{_slug(where)}_{_slug(label)}_full.png")
        show = f"{NAV}.parentElement.querySelector('div.fixed a[type=button]')"
        problems += [f"{name}: the sidebar's show button: {p}" for p in filter(None, [browser.click(show)])]
        browser.settle()
    problem = browser.click(info)
    if problem:
        return problems + [f"{name}: its info button: {problem}"]
    caption = browser.wait(f"{NAV}.innerText.length > 0 && app.state.navbarMode === 'resultinfo'"
                           f" && {NAV}.querySelector('li.prose')?.innerText.trim().length")
    if not caption or caption < 20:
        problems.append(f"{name}: its info view shows no caption")
    problem = browser.click(f"{NAV}.querySelector('table td a[type=button]')")
    if problem:
        problems.append(f"{name}: the info view's eye button: {problem}")
    else:
        problems += [f"{p} (from its info view)" for p in _check_shown(browser, name, path, mime)]
    browser.screenshot(out / size / f"{k:02d}_{_slug(where)}_{_slug(label)}_info.png")
    return problems


def _back_to(browser: Browser, crumbs: list[str]) -> str | None:
    """Back to a list through the breadcrumbs, as a reader goes back."""
    for crumb in crumbs:
        problem = browser.click(_by_text(f"{NAV}.querySelector('nav')", crumb))
        if problem:
            return f"breadcrumb {crumb!r}: {problem}"
    return None


def check_report(report: Path, out: Path, browser: Browser) -> list[str]:
    """Click through the Snakemake report like a reader at each screen size; the problems
    seen (none: all well). Screenshots of every view go to out/report/<width>x<height>/."""
    problems, out = [], out / "report"
    for width, height in SIZES:
        size = f"{width}x{height}"
        browser.open(report, width, height)
        if not browser.wait(f"typeof app !== 'undefined' && {NAV} !== null", timeout=30):
            return problems + [f"{size}: the report did not start"]
        browser.screenshot(out / size / "00_landing.png")
        problems += [f"{size} landing page: {p}" for p in filter(None, [_answer_on_first_screen(browser)])]
        title = browser.js("(() => { const h = document.querySelector('.prose h1, .prose .title');"
                           " return h && h.getBoundingClientRect().top; })()")
        if title is None or title < 0:
            problems.append(f"{size} landing page: its title is missing or above the window ({title})")
        problem = browser.click("document.querySelector('.prose ul a')")  # the answer's first link
        shown = None if problem else browser.wait("app.state.navbarMode === 'resultinfo' && app.state.resultPath")
        if problem or not shown:
            problems.append(f"{size} landing page: the answer's first link: {problem or 'opened no result'}")
        browser.open(report, width, height)
        browser.wait(f"typeof app !== 'undefined' && {NAV} !== null", timeout=30)
        k = 0
        for category in browser.js("Object.keys(categories).sort((a, b) => a.localeCompare(b))"):
            subs = browser.js(f"Object.keys(categories[{json.dumps(category)}]).sort((a, b) => a.localeCompare(b))")
            for sub in subs:
                where = category if len(subs) == 1 else f"{category} › {sub}"
                steps = [(_by_text(NAV, category), category)] + ([] if len(subs) == 1 else [(_by_text(NAV, sub), sub)])
                back = [category if len(subs) == 1 else sub]  # its breadcrumb, from the info view
                home = _back_to(browser, ["Results"]) if browser.js("app.state.navbarMode") != "menu" else None
                failed = home or next((f"{what}: {p}" for el, what in steps for p in [browser.click(el)] if p), None)
                if failed:
                    problems.append(f"{size} menu {where}: {failed}")
                    continue
                rows = browser.wait(f"{ROWS}.length")
                problems += [f"{size} {where}: JavaScript error {e}" for e in browser.errors()]
                if not rows:
                    problems.append(f"{size} {where}: no results listed (a blank page?)")
                    browser.open(report, width, height)
                    browser.wait(f"typeof app !== 'undefined' && {NAV} !== null", timeout=30)
                    continue
                listed = browser.js(f"categories[{json.dumps(category)}][{json.dumps(sub)}].length")
                if rows != listed:  # two results with one name share a row: one cannot be opened
                    problems.append(f"{size} {where}: {rows} rows for {listed} results")
                browser.screenshot(out / size / f"{k:02d}_{_slug(where)}.png")
                for row in range(rows):
                    k += 1
                    if not browser.wait(f"{ROWS}.length === {rows}"):
                        problems.append(f"{size} {where}: back from row {row}, the list is gone (a blank page?)")
                        break
                    problems += _check_result(browser, out, size, where, row, k)
                    problems += [f"{size} {where} row {row + 1}: JavaScript error {e}" for e in browser.errors()]
                    failed = _back_to(browser, back)
                    if failed:
                        problems.append(f"{size} {where}: {failed}")
                        break
    return problems


def check_page(index: Path, out: Path, browser: Browser) -> list[str]:
    """The reader's page at each screen size: the answer first, every image loaded and on the
    page, tables that fit, links that land, printable. Screenshots go to out/page/."""
    problems = []
    for width, height in SIZES:
        size = f"{width}x{height}"
        browser.open(index, width, height)
        browser.screenshot(out / "page" / f"{size}_first_screen.png")
        problems += [f"{size} page: {p}" for p in filter(None, [_answer_on_first_screen(browser)])]
        title = browser.js("document.querySelector('h1') && document.querySelector('h1').getBoundingClientRect().top")
        if title is None or title < 0:
            problems.append(f"{size} page: its title is missing or above the window")
        images = browser.wait("[...document.images].every(i => i.complete) && [...document.images].map(i =>"
                              " [i.getAttribute('src').slice(0, 60), i.naturalWidth, i.getBoundingClientRect().width,"
                              " i.getBoundingClientRect().right])", timeout=15) or []
        if not images:
            problems.append(f"{size} page: no figures")
        for src, natural, shown, right in images:
            if natural == 0 or shown < 100 or right > width + 1:
                problems.append(f"{size} page: figure {src}: natural width {natural}, shown {shown:.0f} px,"
                                f" right edge at {right:.0f}")
            elif shown / natural < MIN_SCALE and shown < width * 0.8:
                problems.append(f"{size} page: figure {src} drawn at {shown / natural:.2f}× its natural size")
        problems += [f"{size} page: {wide}" for wide in _wide_tables(browser)]
        dead = browser.js("[...document.querySelectorAll('a[href^=\"#\"]')].map(a => a.getAttribute('href'))"
                          ".filter(h => h.length > 1 && !document.getElementById(decodeURIComponent(h.slice(1))))")
        problems += [f"{size} page: the link {href} leads nowhere" for href in dead]
        problems += [f"{size} page: JavaScript error {e}" for e in browser.errors()]
        full = browser.js("document.documentElement.scrollHeight")
        browser.page("Emulation.setDeviceMetricsOverride",
                     {"width": width, "height": min(full, 16000), "deviceScaleFactor": 1, "mobile": False})
        browser.screenshot(out / "page" / f"{size}_whole.png")
    pdf = base64.b64decode(browser.page("Page.printToPDF", {"printBackground": True}, )["data"])
    (out / "page").mkdir(parents=True, exist_ok=True)
    (out / "page" / "printed.pdf").write_bytes(pdf)
    if not pdf.startswith(b"%PDF") or len(pdf) < 10000:
        problems.append("page: printing gave no document")
    return problems


def check(report: Path, index: Path, out: Path, executable: str) -> list[str]:
    """Both views, one browser."""
    browser = Browser(executable)
    try:
        return check_report(report, out, browser) + check_page(index, out, browser)
    finally:
        browser.close()


@pytest.fixture(scope="session")
def executable():
    """Chromium's path; without it the test fails under CI (CI=true) and is skipped elsewhere,
    before the CI profile's run."""
    found = chromium()
    if found is None:
        message = "Chromium is not installed (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return found


@pytest.mark.slow
def test_a_reader_clicks_every_result(executable, ci_run, ci_report):
    from conftest import ROOT

    built = ci_report  # the report as the README builds it, shared with test_workflow's report test
    figures = sorted(p.name for p in (ci_run / "results" / "figures").glob("*.png"))
    assert figures
    html = built.read_text()
    assert all(name in html for name in figures), "a figure is missing from the report"
    problems = check(built, ci_run / "results" / "index.html", ROOT / "results" / "browser", executable)
    assert not problems, "\n".join(problems)


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    found = check(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), chromium() or sys.exit("no Chromium"))
    print("\n".join(found) or "every view as a reader expects")
    sys.exit(1 if found else 0)
