#!/usr/bin/env python3
"""Open every page of a VirtLab site in headless Chromium and fail on console errors, uncaught
exceptions, resources that do not load or requests to the network; save a screenshot of each
page (light theme, desktop width) plus dark-theme and phone-width screenshots of the index and
the topic pages; and, with html5lib installed, fail on any HTML parse error. On every page with
"predict, then check" boxes it also plays the student: a wrong number, then the right one (and
each choice), expecting the verdict, the answer opened, and the prediction kept after a reload.

Usage: scripts/site-check.py SITE_DIR [SCREENSHOT_DIR]
       scripts/site-check.py --interactive SITE_DIR [--align MARK]
                                 (prediction boxes, trace explorers, figure hover only; for make test;
                                  --align: a comparison's runs must align at MARK, e.g. stop_and_copy)
       scripts/site-check.py --bench-explorer PAGE     (median redraw time of a page's explorer, zoom and pan steps)

It talks to Chromium over the DevTools protocol on a pipe (--remote-debugging-pipe), so it
needs nothing but Python's standard library and a `chromium` binary.
"""
import base64
import functools
import http.server
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import threading
import time


class Browser:
    def __init__(self, binary):
        r_chrome, w_ours = os.pipe()   # we write commands → chromium reads fd 3
        r_ours, w_chrome = os.pipe()   # chromium writes fd 4 → we read
        args = [binary, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
                "--remote-debugging-pipe", "--user-data-dir=" + str(pathlib.Path(os.environ.get("TMPDIR", "/tmp")) / f"virtlab-site-check-{os.getpid()}")]

        def wire():
            # dup first: a pipe end may already be fd 3 or 4, and dup2 onto itself would keep close-on-exec.
            a, b = os.dup(r_chrome), os.dup(w_chrome)
            os.dup2(a, 3)
            os.dup2(b, 4)
        self.proc = subprocess.Popen(args, preexec_fn=wire, close_fds=False, stdout=subprocess.DEVNULL, stderr=None if os.environ.get("SITE_CHECK_DEBUG") else subprocess.DEVNULL)
        os.close(r_chrome)
        os.close(w_chrome)
        self.out = os.fdopen(w_ours, "wb", buffering=0)
        self.inp = os.fdopen(r_ours, "rb", buffering=0)
        self.buffer = b""
        self.next_id = 0
        self.events = []

    def _read_message(self):
        while b"\0" not in self.buffer:
            chunk = self.inp.read(65536)
            if not chunk:
                raise RuntimeError("chromium closed the DevTools pipe")
            self.buffer += chunk
        raw, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(raw)

    def send(self, method, params=None, session=None):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        self.out.write(json.dumps(msg).encode() + b"\0")
        while True:
            m = self._read_message()
            if m.get("id") == self.next_id:
                if "error" in m:
                    raise RuntimeError(f"{method}: {m['error']}")
                return m.get("result", {})
            self.events.append(m)

    def wait_for(self, method, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            for i, e in enumerate(self.events):
                if e.get("method") == method:
                    del self.events[i]
                    return e
            self.events.append(self._read_message())
        raise RuntimeError(f"timed out waiting for {method}")

    def close(self):
        try:
            self.send("Browser.close")
        except Exception:
            pass
        self.proc.wait(timeout=10)


PLAY = r"""
(async () => {
  const wait = ms => new Promise(k => setTimeout(k, ms));
  const out = [];
  for (const box of document.querySelectorAll("aside.predict")) {
    const form = box.querySelector("form"), details = box.querySelector("details"), verdict = box.querySelector("output");
    const r = {id: box.id, formShown: !form.hidden, openBefore: details.open};
    const submit = () => form.querySelector("button").click();
    if (box.dataset.choice === "yes") {
      const radios = [...form.querySelectorAll("input[type=radio]")];
      const wrong = radios.find(x => x.value !== box.dataset.expected), right = radios.find(x => x.value === box.dataset.expected);
      wrong.click(); submit(); await wait(20);
      r.wrongVerdict = verdict.className; r.openAfter = details.open;
      right.click(); submit(); await wait(20);
      r.rightVerdict = verdict.className;
    } else {
      const input = form.querySelector("input"), x = parseFloat(box.dataset.expected), tol = parseFloat(box.dataset.tolerance) || 0;
      input.value = "not a number"; submit(); await wait(20);
      r.invalidVerdict = verdict.textContent === box.dataset.invalid;
      input.value = String(x * (1 + tol) * 3 + 17); submit(); await wait(20);
      r.wrongVerdict = verdict.className; r.openAfter = details.open;
      input.value = String(x); submit(); await wait(20);
      r.rightVerdict = verdict.className;
    }
    r.answer = details.querySelector(".predict-value").textContent.trim();
    out.push(r);
  }
  return out;
})()
"""

AFTER_RELOAD = r"""[...document.querySelectorAll("aside.predict")].map(b => ({id: b.id, kept: b.classList.contains("checked"),
  verdict: b.querySelector("output").className, open: b.querySelector("details").open}))"""


def evaluator(b, s):
    """A function that evaluates a JavaScript expression in the page and returns its value."""
    def js(expr):
        return b.send("Runtime.evaluate", {"expression": expr, "returnByValue": True, "awaitPromise": True}, session=s)["result"].get("value")
    return js


def play_predictions(b, s, page, problems):
    """Answers every prediction box of `page` wrongly, then rightly; reloads and expects the answers kept."""
    rel = page.name
    b.send("Page.navigate", {"url": page.as_uri()}, session=s)
    b.wait_for("Page.loadEventFired")
    b.send("Runtime.evaluate", {"expression": "localStorage.clear()"}, session=s)
    b.send("Page.reload", session=s)
    b.wait_for("Page.loadEventFired")
    played = b.send("Runtime.evaluate", {"expression": PLAY, "awaitPromise": True, "returnByValue": True}, session=s)["result"].get("value", [])
    for r in played:
        where = f"{rel} #{r['id']}"
        if not r["formShown"]:
            problems.append(f"{where}: the prediction form stayed hidden")
        if r["openBefore"]:
            problems.append(f"{where}: the answer was open before any prediction")
        if r["wrongVerdict"] != "wrong" or not r["openAfter"]:
            problems.append(f"{where}: a wrong prediction was not called wrong with the answer opened ({r})")
        if r["rightVerdict"] != "right":
            problems.append(f"{where}: the simulation's own answer was not accepted ({r})")
        if "invalidVerdict" in r and not r["invalidVerdict"]:
            problems.append(f"{where}: text that is no number was not refused")
        if not r["answer"]:
            problems.append(f"{where}: no answer behind the disclosure")
    b.send("Page.reload", session=s)
    b.wait_for("Page.loadEventFired")
    kept = b.send("Runtime.evaluate", {"expression": AFTER_RELOAD, "returnByValue": True}, session=s)["result"].get("value", [])
    for r in kept:
        if not (r["kept"] and r["verdict"] == "right" and r["open"]):
            problems.append(f"{rel} #{r['id']}: the prediction was not kept after a reload ({r})")
    return len(played)


def play_explorer(b, s, page, problems):
    """Drives a run page's explorer with real input events: keys, wheel, drag, hover, click."""
    rel = str(page)
    b.send("Page.navigate", {"url": page.as_uri()}, session=s)
    b.wait_for("Page.loadEventFired")
    js = evaluator(b, s)
    def view():
        v = js("document.querySelector('.explorer').getAttribute('data-view')")
        a, z = (v or "0:0").split(":")
        return float(a), float(z)
    box = js("(() => { const r = document.querySelector('.explorer-detail').getBoundingClientRect(); "
             "document.querySelector('.explorer-detail').scrollIntoView(); const q = document.querySelector('.explorer-detail').getBoundingClientRect(); "
             "return [q.left, q.top, q.width, q.height]; })()")
    if not box:
        problems.append(f"{rel}: no explorer drawn")
        return
    full = view()
    # The scale in a time unit the eye reads ("166.7 ms shown, 200.3 µs a pixel"), not raw nanoseconds.
    words = js("document.querySelector('.explorer-range').textContent") or ""
    number = r"\d{1,4}(\.\d{1,3})?"  # at most four significant digits, as timeText writes them
    if not re.search(rf"\({number} (ns|µs|ms|s) shown, (single events|{number} (ns|µs|ms|s) a pixel)\)$", words):
        problems.append(f"{rel}: the explorer does not say its scale in a time unit: {words!r}")
    def key(k, code):
        for t in ("keyDown", "keyUp"):
            b.send("Input.dispatchKeyEvent", {"type": t, "key": k, "code": code, "text": k if len(k) == 1 and t == "keyDown" else ""}, session=s)
    js("document.querySelector('.explorer-detail').focus()")
    for _ in range(3):
        key("+", "Equal")
    zoomed = view()
    if not (zoomed[1] - zoomed[0]) < (full[1] - full[0]) / 7:
        problems.append(f"{rel}: + three times did not zoom in 8× ({full} → {zoomed})")
    key("ArrowRight", "ArrowRight")
    panned = view()
    if not panned[0] > zoomed[0]:
        problems.append(f"{rel}: → did not pan ({zoomed} → {panned})")
    key("Home", "Home")
    if view() != full:
        problems.append(f"{rel}: Home did not show the whole run")
    x, y = box[0] + box[2] * 0.6, box[1] + 40
    b.send("Input.dispatchMouseEvent", {"type": "mouseWheel", "x": x, "y": y, "deltaX": 0, "deltaY": -300}, session=s)
    wheeled = view()
    if not (wheeled[1] - wheeled[0]) < (full[1] - full[0]):
        problems.append(f"{rel}: the wheel did not zoom")
    b.send("Input.dispatchMouseEvent", {"type": "mousePressed", "x": x, "y": y, "button": "left", "clickCount": 1}, session=s)
    b.send("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": x - 120, "y": y, "button": "left"}, session=s)
    b.send("Input.dispatchMouseEvent", {"type": "mouseReleased", "x": x - 120, "y": y, "button": "left", "clickCount": 1}, session=s)
    dragged = view()
    if not dragged[0] > wheeled[0]:
        problems.append(f"{rel}: dragging left did not move the view later in time ({wheeled} → {dragged})")
    key("Home", "Home")
    # Lanes: hiding one shrinks the view and goes into the link; the link hides it again.
    height = js("document.querySelector('.explorer-detail').getBoundingClientRect().height")
    lane = js("(() => { const b = document.querySelector('.explorer-lanes input'); b.click(); return b.getAttribute('data-lane'); })()")
    smaller = js("document.querySelector('.explorer-detail').getBoundingClientRect().height")
    if not lane or not smaller < height:
        problems.append(f"{rel}: hiding the lane {lane!r} did not take its row away ({height} → {smaller})")
    lane_link = js("location.hash") or ""
    if "&lanes=" not in lane_link:
        problems.append(f"{rel}: hidden lanes are not in the link ({lane_link!r})")
    js("document.querySelector('.explorer-lanes input').click()")
    if js("document.querySelector('.explorer-detail').getBoundingClientRect().height") != height:
        problems.append(f"{rel}: showing the lane {lane!r} again did not bring its row back")
    # Hover each lane until something answers; the tooltip names fields or a bucket's events.
    found = None
    for frac in (0.05, 0.3, 0.5, 0.7, 0.95):
        for dy in range(12, int(box[3]) - 30, 14):
            b.send("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": box[0] + 120 + (box[2] - 130) * frac, "y": box[1] + dy}, session=s)
            tip = js("(() => { const t = document.querySelector('.explorer-tip'); return t.hidden ? null : t.textContent; })()")
            if tip:
                found = (frac, dy, tip)
                break
        if found:
            break
    if not found:
        problems.append(f"{rel}: hovering the lanes never showed a tooltip")
        return
    frac, dy, tip = found
    px, py = box[0] + 120 + (box[2] - 130) * frac, box[1] + dy
    b.send("Input.dispatchMouseEvent", {"type": "mousePressed", "x": px, "y": py, "button": "left", "clickCount": 1}, session=s)
    b.send("Input.dispatchMouseEvent", {"type": "mouseReleased", "x": px, "y": py, "button": "left", "clickCount": 1}, session=s)
    if js("document.querySelector('.explorer').getAttribute('data-pinned')") != "yes":
        problems.append(f"{rel}: a click did not pin the tooltip")
    pinned_url = js("location.hash")
    key("Escape", "Escape")
    if js("document.querySelector('.explorer').getAttribute('data-pinned')") != "no":
        problems.append(f"{rel}: Esc did not let go of the pinned tooltip")
    # Deep links: zoom, read the fragment, open it in a fresh load, expect the same view.
    js("document.querySelector('.explorer-detail').focus()")
    key("+", "Equal")
    key("+", "Equal")
    key("ArrowRight", "ArrowRight")
    before, frag = view(), js("location.hash")
    if not (frag or "").startswith("#explore="):
        problems.append(f"{rel}: the view is not in the URL fragment ({frag!r})")
        return tip
    def fresh(url):
        # A fragment change alone is a same-document navigation: go through a blank page.
        b.send("Page.navigate", {"url": "about:blank"}, session=s)
        b.wait_for("Page.loadEventFired")
        b.send("Page.navigate", {"url": url}, session=s)
        b.wait_for("Page.loadEventFired")
    fresh(page.as_uri() + frag)
    after = view()
    if abs(after[0] - before[0]) > 2 or abs(after[1] - before[1]) > 2:
        problems.append(f"{rel}: the deep link {frag} opened {after}, not {before}")
    if "&lanes=" in lane_link:
        fresh(page.as_uri() + lane_link)
        hidden = js("[...document.querySelectorAll('.explorer-lanes input')].filter(b => !b.checked).map(b => b.getAttribute('data-lane'))")
        if hidden != [lane] or js("document.querySelector('.explorer-detail').getBoundingClientRect().height") != smaller:
            problems.append(f"{rel}: the link {lane_link} did not hide {lane!r} again (hidden: {hidden})")
    if pinned_url and "&pin=" in pinned_url:
        fresh(page.as_uri() + pinned_url)
        restored = js("(() => { const t = document.querySelector('.explorer-tip'); return t.hidden ? null : t.textContent; })()")
        if restored != tip:
            problems.append(f"{rel}: the pinned event's link did not show its fields again ({restored!r} vs {tip!r})")
    return tip


def play_group(b, s, page, problems, require_mark=None):
    """A comparison's explorers zoom together: a key in the first moves every other."""
    b.send("Page.navigate", {"url": page.as_uri()}, session=s)
    b.wait_for("Page.loadEventFired")
    js = evaluator(b, s)
    views = lambda: js("[...document.querySelectorAll('.explorer[data-group]')].map(e => e.getAttribute('data-view'))")
    before = views()
    if not before or len(before) < 2:
        problems.append(f"{page}: no grouped explorers")
        return
    # Drive the shortest run: its zoomed view lies inside every other run's span.
    spans = [float(v.split(":")[1]) for v in before]
    driver = spans.index(min(spans))
    js(f"document.querySelectorAll('.explorer[data-group] .explorer-detail')[{driver}].focus()")
    for _ in range(2):
        for t in ("keyDown", "keyUp"):
            b.send("Input.dispatchKeyEvent", {"type": t, "key": "+", "code": "Equal", "text": "+" if t == "keyDown" else ""}, session=s)
    after = views()
    if after[driver] == before[driver] or len(set(after)) != 1:
        problems.append(f"{page}: the comparison's explorers did not zoom together ({before} → {after})")
    # Aligned at a moment every run has: the views then agree measured from that moment.
    options = js("[...document.querySelectorAll('.explorer-align select option')].map(o => o.value)") or []
    marks = [o for o in options if o]
    if require_mark and require_mark not in marks:
        problems.append(f"{page}: the runs cannot be aligned at {require_mark} (offered: {options})")
        return
    if not marks:
        return None  # runs with no moment in common (shadow and nested memory runs): starts only
    mark = require_mark or marks[-1]
    js(f"(() => {{ const s = document.querySelector('.explorer-align select'); s.value = {json.dumps(mark)}; s.dispatchEvent(new Event('change')); }})()")
    def from_mark():
        return js("[...document.querySelectorAll('.explorer[data-group]')].map(e => { const v = e.getAttribute('data-view').split(':').map(Number), "
                  "s = +e.getAttribute('data-shift'); return [v[0] - s, v[1] - s]; })")
    aligned = from_mark()
    shifts = js("[...document.querySelectorAll('.explorer[data-group]')].map(e => +e.getAttribute('data-shift'))")
    if any(abs(a[0] - aligned[0][0]) > 2 or abs(a[1] - aligned[0][1]) > 2 for a in aligned):
        problems.append(f"{page}: aligned at {mark}, the views differ measured from it ({aligned})")
    if len(set(shifts)) < 2 and not all(x == 0 for x in shifts):
        problems.append(f"{page}: aligning at {mark} moved no run ({shifts})")
    for _ in range(2):
        for t in ("keyDown", "keyUp"):
            b.send("Input.dispatchKeyEvent", {"type": t, "key": "ArrowRight", "code": "ArrowRight"}, session=s)
    moved = from_mark()
    if any(abs(a[0] - moved[0][0]) > 2 for a in moved):
        problems.append(f"{page}: aligned runs did not pan together ({moved})")
    frag = js("location.hash") or ""
    if "&align=" not in frag:
        problems.append(f"{page}: the alignment is not in the link ({frag!r})")
        return
    b.send("Page.navigate", {"url": "about:blank"}, session=s)
    b.wait_for("Page.loadEventFired")
    b.send("Page.navigate", {"url": page.as_uri() + frag}, session=s)
    b.wait_for("Page.loadEventFired")
    if from_mark() != moved or js("document.querySelector('.explorer-align select').value") != mark:
        problems.append(f"{page}: the link {frag} did not open the aligned view again ({from_mark()} vs {moved})")
    return mark


def play_figures(b, s, page, problems):
    """Every value-carrying mark of a page's figures answers hover and focus with its value."""
    b.send("Page.navigate", {"url": page.as_uri()}, session=s)
    b.wait_for("Page.loadEventFired")
    js = evaluator(b, s)
    n = js("document.querySelectorAll('.figure-frame .hot').length") or 0
    if not n:
        problems.append(f"{page}: no figure answers hover (no hover areas)")
        return 0
    # Keyboard: focus the first area; its tooltip (::after) shows its label.
    tip = js("(() => { const h = document.querySelector('.figure-frame .hot'); h.scrollIntoView({block: 'center'}); h.focus(); "
             "return [h.getAttribute('data-tip'), getComputedStyle(h, '::after').content]; })()")
    if not tip or not tip[0] or tip[1] != json.dumps(tip[0], ensure_ascii=False):
        problems.append(f"{page}: a focused bar or point shows no value ({tip})")
    if tip and not any(c.isdigit() for c in tip[0] or ""):
        problems.append(f"{page}: a hover label carries no number ({tip[0]!r})")
    # Mouse: move over the last area's centre; the page says it is hovered and shows the label.
    box = js("(() => { const h = [...document.querySelectorAll('.figure-frame .hot')].pop(); h.scrollIntoView({block: 'center'}); "
             "const r = h.getBoundingClientRect(); return [r.left + r.width / 2, r.top + r.height / 2]; })()")
    js("document.activeElement && document.activeElement.blur()")
    b.send("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": box[0], "y": box[1]}, session=s)
    hovered = js("(() => { const h = [...document.querySelectorAll('.figure-frame .hot')].pop(); "
                 "return [h.matches(':hover'), getComputedStyle(h, '::after').content, h.getAttribute('data-tip')]; })()")
    if not hovered or not hovered[0] or hovered[1] != json.dumps(hovered[2], ensure_ascii=False):
        problems.append(f"{page}: hovering a mark showed no value ({hovered})")
    return n


def bench_explorer(page, binary):
    """A pan or zoom step's redraw time, measured in the page with performance.now()."""
    b = Browser(binary)
    target = b.send("Target.createTarget", {"url": "about:blank"})["targetId"]
    s = b.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    b.send("Page.enable", session=s)
    b.send("Emulation.setDeviceMetricsOverride", {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False}, session=s)
    b.send("Page.navigate", {"url": page.as_uri()}, session=s)
    b.wait_for("Page.loadEventFired")
    result = b.send("Runtime.evaluate", {"expression": """(() => {
      const e = document.querySelector('.explorer').explorer, times = [];
      for (let i = 0; i < 60; i++) {
        const t0 = performance.now();
        if (i % 3 === 0) e.zoom(i % 2 ? 0.8 : 1.25, 0.5); else e.pan(i % 2 ? 0.05 : -0.05);
        times.push(performance.now() - t0);
      }
      times.sort((a, b) => a - b);
      const lanes = e.lanes.length, cols = e.plotW;
      return {median_ms: times[30], p90_ms: times[54], lanes: lanes, columns: Math.round(cols), mode: e.mode};
    })()""", "returnByValue": True}, session=s)["result"]["value"]
    b.close()
    print(json.dumps({"name": "explorer.redraw", "page": str(page), **result}))
    return 0


def predict_only(site, binary, require_mark=None):
    pages = sorted(p for p in site.glob("*.html") if b'class="predict"' in p.read_bytes())
    runs = sorted(site.glob("runs/*.html"))[:3] + ([site / "index.html"] if (site / "explorer").is_dir() and not pages else [])
    if not pages and not runs:
        print(f"site-check: no prediction boxes or explorers under {site}")
        return 1
    b = Browser(binary)
    target = b.send("Target.createTarget", {"url": "about:blank"})["targetId"]
    s = b.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    for domain in ["Page", "Runtime", "Log", "Network"]:
        b.send(f"{domain}.enable", session=s)
    problems, boxes = [], 0
    def console_and_network(page):
        """No script error or warning, nothing fetched from the network, while the page was driven."""
        for e in b.events:
            m, p = e.get("method"), e.get("params", {})
            if m == "Runtime.exceptionThrown" or (m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "warning")):
                problems.append(f"{page.name}: console: {p}")
            elif m == "Network.requestWillBeSent" and not p["request"]["url"].startswith(("file:", "data:", "about:")):
                problems.append(f"{page.name}: loads from the network: {p['request']['url']}")
        b.events.clear()
    if (site / "runs").is_dir() and b'data-group=' in (site / "index.html").read_bytes():
        b.events.clear()
        mark = play_group(b, s, site / "index.html", problems, require_mark)
        console_and_network(site / "index.html")
        print(f"site-check: the comparison's explorers zoomed together" + (f", and aligned at {mark}" if mark else " (no moment in common to align at)"))
    figure_pages = [p for p in runs[:1] + pages[:1] + [site / "index.html"] if p.exists() and b'class="hot"' in p.read_bytes()]
    if not figure_pages:
        problems.append(f"{site}: no page with figures that answer hover")
    for page in figure_pages:
        b.events.clear()
        n = play_figures(b, s, page, problems)
        console_and_network(page)
        print(f"site-check: {n} figure marks of {page.relative_to(site)} answer hover and focus")
    for page in runs:
        b.events.clear()
        tip = play_explorer(b, s, page, problems)
        console_and_network(page)
        print(f"site-check: explorer of {page.relative_to(site)} driven (keys, wheel, drag, hover, click): {tip!r}"[:200])
    for page in pages:
        b.events.clear()
        boxes += play_predictions(b, s, page, problems)
        console_and_network(page)
    b.close()
    for p in problems:
        print("  " + p)
    print(f"site-check: {boxes} prediction boxes on {len(pages)} pages played in headless Chromium: {len(problems)} problems")
    return 1 if problems else 0


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    binary = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if sys.argv[1] == "--bench-explorer":
        return bench_explorer(pathlib.Path(sys.argv[2]).resolve(), binary)
    if sys.argv[1] in ("--interactive", "--predict-only"):
        if not binary:
            print("site-check: no chromium found; install it with: apt-get install chromium")
            return 2
        # --align MARK: the comparison's runs must be offered, and aligned at, that moment.
        mark = sys.argv[sys.argv.index("--align") + 1] if "--align" in sys.argv else None
        return predict_only(pathlib.Path(sys.argv[2]).resolve(), binary, mark)
    site = pathlib.Path(sys.argv[1]).resolve()
    shots = pathlib.Path(sys.argv[2] if len(sys.argv) > 2 else site.parent / "site-check").resolve()
    if not binary:
        print("site-check: no chromium found; install it with: apt-get install chromium")
        return 2
    pages = sorted(p for p in site.rglob("*.html"))
    if not pages:
        print(f"site-check: no pages under {site}; run make demo first")
        return 2
    shutil.rmtree(shots, ignore_errors=True)
    shots.mkdir(parents=True)

    b = Browser(binary)
    target = b.send("Target.createTarget", {"url": "about:blank"})["targetId"]
    s = b.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    for domain in ["Page", "Runtime", "Log", "Network"]:
        b.send(f"{domain}.enable", session=s)

    problems = []
    featured = {"index.html", "memory.html", "cpu.html", "io.html", "migration.html"}

    allowed = ("file:", "data:", "about:")

    def visit(page, width, scheme, name, url=None):
        b.send("Emulation.setDeviceMetricsOverride", {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600}, session=s)
        b.send("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": scheme}]}, session=s)
        b.events.clear()
        b.send("Page.navigate", {"url": url or page.as_uri()}, session=s)
        b.wait_for("Page.loadEventFired")
        # Load every image now (the pages mark them loading="lazy"), then list those that failed.
        done = b.send("Runtime.evaluate", {"expression": "new Promise(r => { const imgs = [...document.images]; "
                                                         "imgs.forEach(i => { i.loading = 'eager'; }); "
                                                         "const wait = Promise.all(imgs.map(i => i.complete ? 0 : new Promise(k => { i.onload = i.onerror = k; }))); "
                                                         "Promise.race([wait, new Promise(k => setTimeout(k, 15000))]).then(() => "
                                                         "r(imgs.filter(i => !i.complete || !i.naturalWidth).map(i => i.currentSrc || i.src))) })",
                                           "awaitPromise": True, "returnByValue": True}, session=s)
        broken = done["result"].get("value", [])
        rel = str(page.relative_to(site)) + (" (over HTTP)" if url else "")
        for src in broken:
            problems.append(f"{rel}: image did not load: {src}")
        for e in b.events:
            m, p = e.get("method"), e.get("params", {})
            if m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "warning", "assert"):
                problems.append(f"{rel}: console {p['type']}: " + " ".join(str(a.get("value", a.get("description", ""))) for a in p.get("args", [])))
            elif m == "Runtime.exceptionThrown":
                problems.append(f"{rel}: exception: {p['exceptionDetails'].get('text')}")
            elif m == "Log.entryAdded" and p["entry"]["level"] == "error":
                problems.append(f"{rel}: {p['entry'].get('text')} {p['entry'].get('url', '')}")
            elif m == "Network.loadingFailed" and not p.get("canceled"):
                problems.append(f"{rel}: resource failed: {p.get('errorText')}")
            elif m == "Network.requestWillBeSent":
                url = p["request"]["url"]
                if not url.startswith(allowed):
                    problems.append(f"{rel}: loads from the network: {url}")
        b.send("Runtime.evaluate", {"expression": "window.scrollTo(0,0)"}, session=s)
        metrics = b.send("Page.getLayoutMetrics", session=s)["cssContentSize"]
        shot = b.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True,
                                                 "clip": {"x": 0, "y": 0, "width": width, "height": min(metrics["height"], 12000), "scale": 1}}, session=s)
        (shots / name).write_bytes(base64.b64decode(shot["data"]))

    for page in pages:
        rel = str(page.relative_to(site))
        stem = rel.replace("/", "__")[:-5]
        visit(page, 1280, "light", f"{stem}.png")
        if rel in featured:
            visit(page, 1280, "dark", f"{stem}-dark.png")
            visit(page, 390, "light", f"{stem}-phone.png")

    # Served from a sub-path: the site's parent folder over HTTP, pages under /SITE_NAME/.
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass
    handler = functools.partial(Quiet, directory=str(site.parent))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    allowed = ("file:", "data:", "about:", origin + "/")
    served = [p for p in pages if str(p.relative_to(site)) in featured or "/" in str(p.relative_to(site))][:12]
    for page in served:
        rel = str(page.relative_to(site))
        visit(page, 1280, "light", "http__" + rel.replace("/", "__")[:-5] + ".png", url=f"{origin}/{site.name}/{rel}")
    server.shutdown()
    print(f"site-check: {len(served)} pages also served over HTTP from the sub-path /{site.name}/")
    boxes = sum(play_predictions(b, s, p, problems) for p in pages if b'class="predict"' in p.read_bytes())
    print(f"site-check: {boxes} prediction boxes played (wrong, right, reload)")
    for p in [p for p in pages if p.parent.name == "runs"][:2]:
        play_explorer(b, s, p, problems)
    b.close()

    # HTML validity: the HTML5 parsing algorithm must meet no parse error on any page.
    try:
        import html5lib
        for page in pages:
            parser = html5lib.HTMLParser(strict=False)
            parser.parse(page.read_bytes(), transport_encoding="utf-8")
            for pos, code, data in parser.errors[:5]:
                problems.append(f"{page.relative_to(site)}: HTML parse error {code} at line {pos[0]} {data}")
        print(f"site-check: {len(pages)} pages parsed by html5lib")
    except ImportError:
        print("site-check: html5lib is not installed (pip install html5lib): HTML parse check skipped")

    print(f"site-check: {len(pages)} pages opened in {os.path.basename(binary)}; screenshots in {shots}")
    for p in problems:
        print("  " + p)
    if problems:
        print(f"site-check: {len(problems)} problems")
        return 1
    print("site-check: no console errors, no missing resources, nothing from the network")
    return 0


if __name__ == "__main__":
    sys.exit(main())
