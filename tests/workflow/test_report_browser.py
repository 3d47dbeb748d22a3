"""The Snakemake report as a reader sees it, in a real headless Chromium.

The report is a React app whose navigation is internal state, not URLs, so the test drives
it through the DevTools protocol (over --remote-debugging-pipe: no extra package): at each
screen size it opens the landing page, then every result as a reader does (its entry in the
menu, then the eye button) and checks what the reader would see: the landing page's
description; each image loaded with its top edge on screen; each table and the claims
displayed inline with their tables. Screenshots of every view land in results/browser/.

By hand, against any built report:  python tests/test_report_browser.py REPORT.html OUTDIR
"""

import base64
import fcntl
import json
import os
import re
import select
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from conftest import ROOT, snakemake

SIZES = ((1366, 768), (1920, 1080))
LABEL_KEYS = {"figure", "experiment", "shows"}  # the same for every result
INLINE_PAGES = ("claims.html", "table1.html", "compute_cost.html")  # Markdown results, as HTML
DESCRIPTION = ("HRTA: the reproducible artifact", "Homotopy Relaxation Training Algorithms",
               "Made by the profile", "git commit", "torch", "The config in force")
VIEW_BUTTON = "span.flex.items-center.gap-2 > a[type=button]"  # the eye button of a result's row


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

    def wait(self, expression: str, timeout: float = 15, context: int | None = None):
        """Poll an expression until it is truthy; its value, or None at the timeout."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = self.js(expression, context)
            if value:
                return value
            time.sleep(0.05)
        return None

    def screenshot(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(self.page("Page.captureScreenshot", {"format": "png"})["data"]))

    def close(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)
        os.close(self._in)
        os.close(self._out)
        self.profile.cleanup()


def _view_name(path: str, labels: dict | None) -> str:
    name = (labels or {}).get("figure") or Path(path).stem
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_")


def _shown(tag: str, path: str) -> str:
    """JavaScript: the element of this tag in the report that shows the result at path."""
    return (f"[...document.querySelectorAll('#app {tag}')]"
            f".find(e => e.src === results[{json.dumps(path)}].data_uri)")


def _check_image(browser: Browser, name: str, path: str) -> list[str]:
    img = browser.wait(f"(() => {{ const i = {_shown('img', path)};"
                       " return i && i.complete && i.naturalWidth > 0 && i.getBoundingClientRect().height > 0"
                       " && i.getBoundingClientRect().toJSON(); })()")
    if not img:
        return [f"{name}: the image did not load in its view"]
    if img["top"] < 0:
        return [f"{name}: the image's top {-img['top']:.0f} px is above the window (cannot be scrolled to)"]
    return []


def _check_inline_html(browser: Browser, name: str, path: str) -> list[str]:
    frame = browser.wait(f"(() => {{ const f = {_shown('iframe', path)};"
                         " const r = f && f.getBoundingClientRect(); return r && r.height > 100 && r.toJSON(); })()",
                         timeout=5)
    if not frame:
        return [f"{name}: no inline view opened (the eye button downloads the file?)"]
    problems = [] if frame["top"] >= 0 else [f"{name}: the inline view starts above the window"]
    tables, children, deadline = None, [], time.monotonic() + 15
    while not tables and time.monotonic() < deadline:
        tree = browser.page("Page.getFrameTree")["frameTree"]
        children = [c["frame"]["id"] for c in tree.get("childFrames", [])]
        if not children:
            time.sleep(0.1)
            continue
        try:
            context = browser.page("Page.createIsolatedWorld", {"frameId": children[-1]})["executionContextId"]
            tables = browser.wait("document.readyState === 'complete' && document.querySelectorAll('table').length",
                                  timeout=5, context=context)
        except RuntimeError as err:  # the frame loaded a new document while we looked: look again
            if "Cannot find context" not in str(err):
                raise
    if not children:
        return problems + [f"{name}: the inline view holds no document"]
    if not tables:
        problems.append(f"{name}: the inline view shows no table")
    return problems


def check_report(report: Path, out: Path, executable: str) -> list[str]:
    """Open the report like a reader at each screen size; the problems seen (none: all well).
    Screenshots of every view go to out/<width>x<height>/."""
    problems = []
    browser = Browser(executable)
    try:
        browser.page("Page.enable")
        for width, height in SIZES:
            size = f"{width}x{height}"
            browser.page("Emulation.setDeviceMetricsOverride",
                         {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
            browser.page("Page.navigate", {"url": report.resolve().as_uri()})
            if not browser.wait("document.readyState === 'complete' && typeof app !== 'undefined'"
                                " && document.querySelector('#app div') !== null", timeout=30):
                return problems + [f"{size}: the report did not start"]
            text = browser.wait("document.body.innerText", timeout=5) or ""
            problems += [f"{size}: the landing page lacks {phrase!r}" for phrase in DESCRIPTION if phrase not in text]
            title = browser.js("(() => { const h = document.querySelector('#app h1');"
                               " return h && h.getBoundingClientRect().top; })()")
            if title is None or title < 0:
                problems.append(f"{size}: the landing page's title is above the window")
            browser.screenshot(out / size / "00_landing.png")
            results = browser.js("Object.entries(results).map(([p, r]) => [p, r.mime_type, r.labels])")
            for k, (path, mime, labels) in enumerate(sorted(results)):
                name = f"{size} {path}"
                if set(labels or {}) != LABEL_KEYS:
                    problems.append(f"{name}: labels {sorted(labels or {})}, not {sorted(LABEL_KEYS)}")
                browser.js(f"app.showResultInfo({json.dumps(path)})")
                if not browser.wait(f"document.querySelector({json.dumps(VIEW_BUTTON)}) !== null"):
                    problems.append(f"{name}: its entry has no view button")
                    continue
                browser.js(f"document.querySelector({json.dumps(VIEW_BUTTON)}).click()")
                if mime.startswith("image/"):
                    problems += _check_image(browser, name, path)
                elif mime == "text/html":
                    problems += _check_inline_html(browser, name, path)
                else:
                    problems.append(f"{name}: a {mime} result the report cannot show inline")
                time.sleep(0.2)  # let the view settle before the screenshot
                browser.screenshot(out / size / f"{k + 1:02d}_{_view_name(path, labels)}.png")
            paths = [Path(p).name for p, _, _ in results]
            problems += [f"{size}: {page} is not in the report" for page in INLINE_PAGES if page not in paths]
    finally:
        browser.close()
    return problems


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
def test_a_reader_sees_every_result(executable, ci_run):
    report = ci_run / "report_browser.html"
    snakemake(ci_run, "--report", str(report))
    figures = sorted(p.name for p in (ci_run / "results" / "figures").glob("*.png"))
    assert figures
    html = report.read_text()
    assert all(name in html for name in figures), "a figure is missing from the report"
    problems = check_report(report, ROOT / "results" / "browser", executable)
    assert not problems, "\n".join(problems)


if __name__ == "__main__":
    found = check_report(Path(sys.argv[1]), Path(sys.argv[2]), chromium() or sys.exit("no Chromium on PATH"))
    print("\n".join(found) or "all views as a reader expects")
    sys.exit(1 if found else 0)
