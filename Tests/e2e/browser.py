#!/usr/bin/env python3
"""End-to-end check of the portal in a real browser (headless Chromium through Selenium), through the HTML forms.

A citizen registers, searches the catalogue without diacritics, opens the procedure, starts and submits a dossier
with two attachments; an officer (created on the command line) signs in with two-step verification, receives the
dossier and asks for a supplement; the citizen supplements; the officer uploads a result and finishes; the citizen
downloads the result and rates the service; a fresh browser looks the dossier up and opens the statistics.

Every page of the flow is checked with axe-core (no serious or critical violation, at 1280 px and 360 px), for
sideways scrolling at 360 px, for `<html lang="vi">` by default, one h1 and a language switch in its header; each kind
of page reached by a GET is switched to English (`?lang=en`: `lang="en"`, English headings and menu, kept by the
cookie on the next request) and back. The whole flow then runs a second time in a browser with JavaScript disabled,
with a second citizen and officer, checking that every page has its content and no link or control that needs
JavaScript (axe-core itself needs JavaScript, so it runs in the first pass only).

Usage: browser.py /path/to/opendvc
Needs: chromium and chromium-driver (Debian), and `pip install selenium axe-selenium-python selenium-axe-python`
(the last one only for its newer axe-core script; without it the older one of axe-selenium-python is used).
On failure a screenshot and the page source of the failing page, and the server log, are kept in
$OPENDVC_E2E_ARTIFACTS (default: a temporary directory, printed at the end; removed when everything passed).
"""
import base64
import hashlib
import hmac
import json
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.error
import urllib.parse
import urllib.request

from axe_selenium_python import Axe
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

HERE = os.path.dirname(os.path.abspath(__file__))
LOCALES = os.path.join(HERE, "..", "..", "Sources", "PortalWeb", "Locales")


def catalogue(language):
    """The portal's own translation catalogue: the expected headings and labels in each language."""
    with open(os.path.join(LOCALES, f"{language}.json"), encoding="utf-8") as strings:
        return json.load(strings)


VI, EN = catalogue("vi"), catalogue("en")

PROCEDURE_CODE = "1.001193"
PROCEDURE_NAME = "Đăng ký khai sinh"
AGENCY = "000.00.61.H29"
# The status names of the design (code → Vietnamese name).
STATUS = {
    1: "Mới đăng ký", 2: "Được tiếp nhận", 4: "Đang xử lý", 5: "Yêu cầu bổ sung giấy tờ",
    9: "Đã xử lý xong", 10: "Đã trả kết quả",
}
WIDE, NARROW = (1280, 900), (360, 800)
# [page width, viewport width, the outermost elements that stick out] (elements inside a scrolling box are fine).
SIDEWAYS_SCRIPT = """
const root = document.documentElement, width = root.clientWidth, out = [];
const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
    + (typeof e.className === 'string' && e.className.trim() ? '.' + e.className.trim().split(/\\s+/).join('.') : '');
const clipped = e => { for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
    if (getComputedStyle(a).overflowX !== 'visible') return true; } return false; };
for (const e of document.body.querySelectorAll('*')) {
    const box = e.getBoundingClientRect();
    if (box.width === 0 || box.right <= width + 1 || clipped(e)) continue;
    const parent = e.parentElement;
    if (parent && parent !== document.body && parent.getBoundingClientRect().right > width + 1) continue;
    out.push((parent ? name(parent) + ' > ' : '') + name(e) + ' (' + Math.round(box.right) + ' px)');
}
return [root.scrollWidth, width, out.slice(0, 6)];
"""
# Links and controls shown on the page that do nothing without JavaScript: `javascript:` and `#` links, buttons of
# type "button" (a script may reveal such controls; hidden ones are fine).
NEEDS_SCRIPT = """
const out = [];
for (const e of document.querySelectorAll('a[href], button[type=button], input[type=button]')) {
    if (e.closest('[hidden]') || e.getClientRects().length === 0) continue;
    const url = (e.getAttribute('href') || '').trim();
    if (e.tagName !== 'A' || /^javascript:/i.test(url) || url === '#') out.push(e.outerHTML.slice(0, 160));
}
return out;
"""
WAIT = 15


def find_binary(*names):
    for name in names:
        path = shutil.which(name)
        if path:
            return path
    return None


def axe_script():
    """The newest axe-core script at hand: $OPENDVC_AXE_SCRIPT, else the one shipped by selenium-axe-python (4.x),
    else axe-selenium-python's own (3.1, which misreads `<div>` groups inside `<dl>` as errors)."""
    override = os.environ.get("OPENDVC_AXE_SCRIPT")
    if override:
        return override
    try:
        import selenium_axe_python

        path = os.path.join(os.path.dirname(selenium_axe_python.__file__), "axe-core", "axe.min.js")
        if os.path.exists(path):
            return path
    except ImportError:
        pass
    import axe_selenium_python

    return os.path.join(os.path.dirname(axe_selenium_python.__file__), "node_modules", "axe-core", "axe.min.js")


def small_pdf(text):
    """A small but well-formed one-page PDF (header, objects, cross-reference table, trailer)."""
    stream = f"BT /F1 18 Tf 40 100 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 144] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def totp(secret, at=None):
    """The current six-digit code of an authenticator app (RFC 6238, SHA-1, 30 s) for a base32 secret."""
    secret = re.sub(r"\s", "", secret).upper()
    key = base64.b32decode(secret + "=" * ((8 - len(secret) % 8) % 8))
    counter = int(at if at is not None else time.time()) // 30
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 15
    return "%06d" % ((struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1000000)


def die_with_parent():
    """Linux: the server gets SIGTERM if this script dies without cleaning up (killed with SIGKILL)."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http_status(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except (urllib.error.URLError, OSError):
        return None


class StepFailed(Exception):
    """A step of the flow that cannot go on (its failure is already counted)."""


class Report:
    """Counts checks and prints one line per check, like the shell end-to-end scripts."""

    def __init__(self, artifacts):
        self.artifacts = artifacts
        self.passed = 0
        self.failed = 0
        self.skipped = 0
        self.notes = {}
        self.shots = 0

    def ok(self, what):
        self.passed += 1
        print(f"  ok   {what}", flush=True)

    def fail(self, what, driver=None, detail=None):
        self.failed += 1
        print(f"  FAIL {what}", flush=True)
        if detail:
            for line in detail.rstrip().splitlines():
                print(f"       {line}", flush=True)
        if driver is not None:
            self.keep_page(driver, what)

    def skip(self, what):
        self.skipped += 1
        print(f"  skip {what}", flush=True)

    def check(self, condition, what, driver=None, detail=None):
        if condition:
            self.ok(what)
        else:
            self.fail(what, driver, detail)
        return bool(condition)

    def keep_page(self, driver, what):
        """A screenshot and the source of the page on screen, named after the failed check."""
        self.shots += 1
        slug = re.sub(r"[^a-z0-9]+", "-", what.lower())[:60].strip("-")
        stem = os.path.join(self.artifacts, f"{self.shots:02d}-{slug}")
        try:
            # The whole page in one picture: the window made as tall as the page for a moment.
            size = driver.get_window_size()
            height = driver.execute_script("return document.documentElement.scrollHeight")
            driver.set_window_size(size["width"], min(max(height, size["height"]), 6000))
            driver.save_screenshot(stem + ".png")
            driver.set_window_size(size["width"], size["height"])
            with open(stem + ".html", "w", encoding="utf-8") as out:
                out.write(f"<!-- {driver.current_url} -->\n" + driver.page_source)
            print(f"       page kept: {stem}.png, {stem}.html ({driver.current_url})", flush=True)
        except WebDriverException as error:
            print(f"       (could not keep the page: {error.msg})", flush=True)


class Portal:
    """An `opendvc serve` on a fresh data directory and a free port, and the command line against the same data."""

    def __init__(self, binary, work, log_path):
        self.binary = os.path.abspath(binary)
        self.work = work
        self.data = os.path.join(work, "data")
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self.process = None
        self.env = {**os.environ, "OPENDVC_BCRYPT_COST": "4"}

    def start(self):
        self.log = open(self.log_path, "wb")
        self.process = subprocess.Popen(
            [self.binary, "serve", "--port", str(self.port), "--data-dir", self.data],
            cwd=self.work, env=self.env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
            preexec_fn=die_with_parent)
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.process.poll() is not None:
                return False
            if http_status(self.base + "/readyz") == 200:
                return True
            time.sleep(0.2)
        return False

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def create_officer(self, email, password, name):
        return subprocess.run(
            [self.binary, "create-officer", "--data-dir", self.data, "--email", email, "--password", password,
             "--name", name, "--agency", AGENCY],
            cwd=self.work, env=self.env, capture_output=True, text=True, timeout=60)


def new_browser(javascript, downloads=None):
    options = webdriver.ChromeOptions()
    chromium = find_binary("chromium", "chromium-browser", "google-chrome")
    if chromium:
        options.binary_location = chromium
    # Scrollbars hidden as on a phone, where they do not take up width.
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--disable-extensions", "--no-first-run", "--hide-scrollbars", "--lang=vi",
                     f"--window-size={WIDE[0]},{WIDE[1]}"):
        options.add_argument(argument)
    prefs = {"intl.accept_languages": "vi,en", "credentials_enable_service": False,
             "profile.password_manager_enabled": False}
    if not javascript:
        prefs["profile.managed_default_content_settings.javascript"] = 2
    if downloads:
        prefs.update({"download.default_directory": downloads, "download.prompt_for_download": False,
                      "plugins.always_open_pdf_externally": True})
    options.add_experimental_option("prefs", prefs)
    options.set_capability("goog:loggingPrefs", {"browser": "SEVERE"})
    driver_path = find_binary("chromedriver")
    service = Service(driver_path) if driver_path else Service()
    driver = webdriver.Chrome(service=service, options=options)
    driver.set_page_load_timeout(30)
    driver.set_script_timeout(60)
    if downloads:
        driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": downloads})
    return driver


class Flow:
    """The whole journey in one mode (JavaScript on or off), with the checks made on every page."""

    def __init__(self, portal, report, javascript, tag, people, files, axe_path):
        self.portal = portal
        self.base = portal.base
        self.report = report
        self.javascript = javascript
        self.tag = tag
        self.people = people
        self.files = files
        self.axe_path = axe_path
        self.drivers = []
        self.downloads = os.path.join(files["downloads"], tag)
        self.code = None
        self.ref = None
        self.active = None
        self.switched = set()
        self.citizen = self.officer = None
        self.seconds = {"axe": 0.0, "language": 0.0}

    # MARK: Browsers and pages

    def browser(self, downloads=None):
        driver = new_browser(self.javascript, downloads)
        self.drivers.append(driver)
        return driver

    def quit(self):
        for driver in self.drivers:
            try:
                driver.quit()
            except Exception:
                pass
        self.drivers = []

    def say(self, what):
        return f"[{self.tag}] {what}"

    def check(self, condition, what, driver, detail=None):
        return self.report.check(condition, self.say(what), driver, detail)

    def need(self, condition, what, driver, detail=None):
        """A check the rest of the flow depends on."""
        if not self.check(condition, what, driver, detail):
            raise StepFailed(what)

    def path(self, driver):
        parts = urllib.parse.urlsplit(driver.current_url)
        return parts.path + ("?" + parts.query if parts.query else "")

    def find(self, driver, css, what=None):
        try:
            return WebDriverWait(driver, WAIT).until(lambda d: d.find_element(By.CSS_SELECTOR, css))
        except Exception:
            self.report.fail(self.say(f"{what or css}: no element {css} on {self.path(driver)}"), driver)
            raise StepFailed(css)

    def texts(self, driver, css):
        return [element.text.strip() for element in driver.find_elements(By.CSS_SELECTOR, css)]

    def main_text(self, driver):
        found = driver.find_elements(By.CSS_SELECTOR, "main")
        return found[0].text if found else ""

    def wait_loaded(self, driver, old_html=None):
        if old_html is not None:
            def replaced(d):
                try:
                    old_html.tag_name
                    return False
                except (StaleElementReferenceException, WebDriverException):
                    # Gone with the old document (chromedriver sometimes says so with an inspector error).
                    return True
            WebDriverWait(driver, WAIT).until(replaced)
        WebDriverWait(driver, WAIT).until(lambda d: d.execute_script("return document.readyState") == "complete")

    def go(self, driver, path):
        self.active = driver
        driver.get(self.base + path)
        self.wait_loaded(driver)

    def submit(self, driver, button):
        """Clicks a button or link that leaves the page and waits for the next one."""
        self.active = driver
        old = driver.find_element(By.TAG_NAME, "html")
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", button)
        button.click()
        self.wait_loaded(driver, old)

    def button(self, form_css, driver, what):
        return self.find(driver, f"{form_css} button[type=submit]", what)

    def h1(self, driver):
        found = driver.find_elements(By.CSS_SELECTOR, "h1")
        return found[0].text.strip() if found else None

    def page(self, driver, name, h1_key=None, h1_text=None, h1_prefix_key=None, by_get=True):
        """The checks every page of the flow gets. `name` says which page it is; the expected heading is a key of
        the translation catalogue (the same key must give the English heading), a literal text (data, such as a
        procedure name) or a key the heading starts with."""
        self.active = driver
        where = f"{name} ({self.path(driver)})"
        html_lang = driver.find_element(By.TAG_NAME, "html").get_attribute("lang")
        self.check(html_lang == "vi", f"{where}: <html lang=\"vi\"> by default (got {html_lang!r})", driver)
        heading = self.h1(driver)
        count = len(driver.find_elements(By.CSS_SELECTOR, "h1"))
        if h1_key:
            expected = VI[h1_key]
            self.check(heading == expected and count == 1, f"{where}: one h1 \"{expected}\"", driver,
                       f"h1 found: {heading!r} ({count})")
        elif h1_prefix_key:
            expected = VI[h1_prefix_key]
            self.check(heading is not None and heading.startswith(expected) and count == 1,
                       f"{where}: one h1 starting \"{expected}\"", driver, f"h1 found: {heading!r} ({count})")
        elif h1_text:
            self.check(heading == h1_text and count == 1, f"{where}: one h1 \"{h1_text}\"", driver,
                       f"h1 found: {heading!r} ({count})")
        switch = driver.find_elements(By.CSS_SELECTOR, "header a[hreflang='en']")
        self.check(
            len(switch) == 1 and switch[0].text.strip() == "English" and switch[0].get_attribute("lang") == "en",
            f"{where}: the header has a link to English", driver)
        self.check(len(driver.find_elements(By.CSS_SELECTOR, "main#main")) == 1
                   and len(driver.find_elements(By.CSS_SELECTOR, "a.skip-link[href='#main']")) == 1,
                   f"{where}: a skip link to the main content", driver)
        if self.javascript:
            # Errors of the page's scripts (and failed loads) since the last page; a missing favicon is no matter.
            errors = [entry["message"] for entry in driver.get_log("browser")
                      if entry["level"] == "SEVERE" and "favicon.ico" not in entry["message"]]
            self.check(not errors, f"{where}: no error in the browser console", driver, "\n".join(errors))
            self.axe(driver, where)
            # Once per kind of page (the same route with the same heading), to keep the run short.
            kind = (re.sub(r"/[0-9a-f]{32}", "/{ref}", self.path(driver).split("?")[0]),
                    h1_key or h1_prefix_key or h1_text)
            if by_get and kind not in self.switched:
                self.switched.add(kind)
                self.english_round_trip(driver, where, h1_key, h1_prefix_key)
        else:
            forms = driver.find_elements(By.CSS_SELECTOR, "main form")
            self.check(self.main_text(driver).strip() != "" and heading,
                       f"{where}: the content is there without JavaScript ({len(forms)} forms)", driver)
            dead = driver.execute_script(NEEDS_SCRIPT)
            self.check(not dead, f"{where}: no link or control that needs JavaScript", driver,
                       "\n".join(dead))

    def axe(self, driver, where):
        """axe-core at 1280 px and at 360 px; serious and critical violations fail (each once, with the widths where
        it was found), the others are listed at the end. At 360 px the page must not scroll sideways either."""
        begun = time.time()
        serious = {}
        for width, height in (WIDE, NARROW):
            if (width, height) != WIDE:
                driver.set_window_size(width, height)
            try:
                axe = Axe(driver, self.axe_path)
                axe.inject()
                results = axe.run(options='{"resultTypes": ["violations"]}')
                if (width, height) == NARROW:
                    sideways = driver.execute_script(SIDEWAYS_SCRIPT)
            finally:
                if (width, height) != WIDE:
                    driver.set_window_size(*WIDE)
            for violation in results["violations"]:
                impact = violation.get("impact") or "unknown"
                targets = tuple(" ".join(node["target"]) if isinstance(node["target"], list) else str(node["target"])
                                for node in violation["nodes"])
                if impact in ("serious", "critical"):
                    key = (violation["id"], impact, violation["help"], targets)
                    serious.setdefault(key, []).append(f"{width} px")
                else:
                    key = (violation["id"], re.sub(r"/[0-9a-f]{32}", "/{ref}", self.path(driver).split("?")[0]))
                    self.report.notes.setdefault(key, (impact, targets[:3]))
        self.seconds["axe"] += time.time() - begun
        failures = [f"{rule} ({impact}) at {', '.join(widths)}: {summary}\n"
                    + "".join(f"    target: {target}\n" for target in targets[:8])
                    + (f"    … and {len(targets) - 8} more\n" if len(targets) > 8 else "")
                    for (rule, impact, summary, targets), widths in serious.items()]
        self.check(not failures, f"{where}: axe finds no serious or critical violation (1280 and 360 px)", driver,
                   f"page: {driver.current_url}\n" + "".join(failures) if failures else None)
        page_width, screen_width, culprits = sideways
        fits = page_width <= screen_width
        if not fits:
            driver.set_window_size(*NARROW)  # for the screenshot
        self.check(fits, f"{where}: at 360 px the page does not scroll sideways", driver,
                   f"page {page_width} px wide in a {screen_width} px viewport; too wide: " + "; ".join(culprits))
        if not fits:
            driver.set_window_size(*WIDE)

    def english_round_trip(self, driver, where, h1_key, h1_prefix_key):
        """The header link switches to English, the cookie keeps it, the link back switches to Vietnamese."""
        begun = time.time()
        url = driver.current_url
        vi_main = self.main_text(driver)
        vi_heading = self.h1(driver)
        switch = driver.find_element(By.CSS_SELECTOR, "header a[hreflang='en']")
        href = switch.get_attribute("href")
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(href).query)
        self.submit(driver, switch)
        lang = driver.find_element(By.TAG_NAME, "html").get_attribute("lang")
        heading = self.h1(driver)
        nav = driver.find_element(By.CSS_SELECTOR, "header nav").text
        problems = []
        if query.get("lang") != ["en"] or urllib.parse.urlsplit(href).path != urllib.parse.urlsplit(url).path:
            problems.append(f"the switch link is {href}")
        if lang != "en":
            problems.append(f"lang is {lang!r}")
        if EN["nav_procedures"] not in nav or EN["nav_lookup"] not in nav:
            problems.append(f"the menu is not in English: {nav!r}")
        if not driver.title.endswith(EN["service_name"]):
            problems.append(f"the title is {driver.title!r}")
        if h1_key and heading != EN[h1_key]:
            problems.append(f"h1 is {heading!r}, expected {EN[h1_key]!r}")
        if h1_prefix_key and not (heading or "").startswith(EN[h1_prefix_key]):
            problems.append(f"h1 is {heading!r}, expected to start {EN[h1_prefix_key]!r}")
        if self.main_text(driver) == vi_main:
            problems.append("the main content is the same as in Vietnamese")
        untranslated = [tag for tag in self.texts(driver, "main .tag") if tag in STATUS.values()]
        if untranslated:
            problems.append(f"status tags still in Vietnamese: {untranslated}")
        back = driver.find_elements(By.CSS_SELECTOR, "header a[hreflang='vi']")
        if len(back) != 1 or back[0].text.strip() != "Tiếng Việt":
            problems.append("no link back to Tiếng Việt")
        self.check(not problems, f"{where}: ?lang=en shows it in English", driver, "\n".join(problems))
        # The cookie keeps English for the next request, without ?lang.
        driver.get(url)
        self.wait_loaded(driver)
        lang = driver.find_element(By.TAG_NAME, "html").get_attribute("lang")
        self.check(lang == "en", f"{where}: the language cookie keeps English on the next page", driver,
                   f"lang is {lang!r}")
        back = driver.find_elements(By.CSS_SELECTOR, "header a[hreflang='vi']")
        if back:
            self.submit(driver, back[0])
        lang = driver.find_element(By.TAG_NAME, "html").get_attribute("lang")
        heading = self.h1(driver)
        self.seconds["language"] += time.time() - begun
        # The next page of the flow checks that Vietnamese stays.
        self.need(lang == "vi" and heading == vi_heading, f"{where}: the link back returns to Vietnamese", driver,
                  f"lang is {lang!r}, h1 {heading!r} (before: {vi_heading!r})")

    def status_tag(self, driver):
        tags = self.texts(driver, "main h1 ~ p .tag, main .tag")
        return tags[0] if tags else None

    def timeline(self, driver):
        return [item.split("\n")[0] for item in self.texts(driver, "ol.timeline li strong")]

    # MARK: The journey

    def run(self):
        try:
            os.makedirs(self.downloads, exist_ok=True)
            citizen = self.citizen = self.browser(downloads=self.downloads)
            if not self.javascript:
                citizen.get("data:text/html,<title>off</title><script>document.title='on'</script>")
                self.need(citizen.title == "off", "JavaScript is really disabled in this browser", citizen)
            self.register(citizen)
            self.search_and_open(citizen)
            self.start_and_submit(citizen)
            officer = self.officer = self.browser()
            self.officer_signs_in(officer)
            self.officer_receives_and_asks(officer)
            self.citizen_supplements(citizen)
            self.officer_finishes(officer)
            self.citizen_downloads_and_rates(citizen)
            anyone = self.browser()
            self.public_lookup(anyone)
            self.statistics(anyone)
            feedback_step(anyone, self.base, self)
        except StepFailed:
            self.report.fail(self.say("the flow stopped at the step above"))
        except Exception as error:
            message = error.msg if isinstance(error, WebDriverException) and error.msg else str(error)
            detail = "".join(traceback.format_tb(error.__traceback__)[-3:])
            self.report.fail(self.say(f"the flow stopped: {type(error).__name__}: {message}".splitlines()[0]),
                             self.active, detail)
        finally:
            self.quit()

    def register(self, driver):
        person = self.people["citizen"]
        self.go(driver, "/")
        self.page(driver, "home", h1_key="home_heading")
        self.check(driver.find_elements(By.CSS_SELECTOR, "main form[role=search] #q")
                   and driver.find_elements(By.CSS_SELECTOR, "main form[action='/tra-cuu'] #code"),
                   "home: the search box and the dossier lookup are there", driver)
        link = self.find(driver, "header nav a[href='/dang-nhap']", "the sign-in link")
        self.submit(driver, link)
        self.page(driver, "sign-in", h1_key="login_title")
        self.submit(driver, self.find(driver, "main a[href='/dang-ky']", "the link to registration"))
        self.page(driver, "registration", h1_key="register_title")
        form = "main form[action='/dang-ky']"
        self.find(driver, f"{form} #account_type_citizen").click()
        for name, value in (("personal_id", person["id"]), ("full_name", person["name"]),
                            ("birth_date_day", "27"), ("birth_date_month", "3"), ("birth_date_year", "1990"),
                            ("phone", person["phone"]), ("email", person["email"]),
                            ("password", person["password"]), ("password_confirm", person["password"])):
            field = self.find(driver, f"{form} #{name}")
            field.clear()
            field.send_keys(value)
        self.find(driver, f"{form} #sex_male").click()
        Select(self.find(driver, f"{form} #province_code")).select_by_value("01")
        self.submit(driver, self.button(form, driver, "the register button"))
        self.need(not driver.find_elements(By.CSS_SELECTOR, ".error-summary"),
                  "registration is accepted (no error summary)", driver,
                  "\n".join(self.texts(driver, ".error-summary li")))
        nav = driver.find_element(By.CSS_SELECTOR, "header nav").text
        self.need(VI["nav_account"] in nav and VI["nav_my_dossiers"] in nav,
                  "the new citizen is signed in (the menu shows the account and my dossiers)", driver, nav)
        if self.path(driver) != "/tai-khoan":
            self.submit(driver, self.find(driver, "header nav a[href='/tai-khoan']", "the account link"))
        self.page(driver, "account", h1_key="account_title")
        self.check(person["name"] in self.main_text(driver), "the account page shows the citizen's name", driver)

    def search_and_open(self, driver):
        self.go(driver, "/")
        box = self.find(driver, "main form[role=search] #q", "the search box")
        box.send_keys("dang ky khai sinh")
        self.submit(driver, driver.find_element(By.CSS_SELECTOR, "main form[role=search] button[type=submit]"))
        self.check(self.path(driver).startswith("/thu-tuc?") and "q=dang+ky+khai+sinh" in self.path(driver),
                   "the search goes to /thu-tuc?q=…", driver)
        self.page(driver, "search results", h1_key="search_title")
        titles = self.texts(driver, "ol.results .result-title a")
        self.need(PROCEDURE_NAME in titles, f"\"dang ky khai sinh\" finds \"{PROCEDURE_NAME}\"", driver,
                  f"results: {titles[:5]}")
        marks = self.texts(driver, "ol.results .result-title a mark")
        self.check("Đăng" in marks and "khai" in marks, "the matched words are highlighted with <mark>", driver)
        link = [a for a in driver.find_elements(By.CSS_SELECTOR, "ol.results .result-title a")
                if a.text.strip() == PROCEDURE_NAME][0]
        self.submit(driver, link)
        self.need(self.path(driver) == f"/thu-tuc/{PROCEDURE_CODE}", "the result opens the procedure page", driver)
        self.page(driver, "procedure", h1_text=PROCEDURE_NAME)
        text = self.main_text(driver)
        self.check(PROCEDURE_CODE in text and VI["procedure_documents"] in text,
                   "the procedure page shows its code and the documents to provide", driver)

    def start_and_submit(self, driver):
        start = self.find(driver, f"main a[href='/thu-tuc/{PROCEDURE_CODE}/nop']", "the apply-online button")
        self.check(start.text.strip() == VI["dossier_start_button"], "the procedure offers \"Nộp hồ sơ trực tuyến\"",
                   driver)
        self.submit(driver, start)
        self.page(driver, "start a dossier", h1_key="dossier_start_title")
        self.check(PROCEDURE_NAME in self.main_text(driver), "the start page names the procedure", driver)
        self.find(driver, f"main input[name=agency_code][value='{AGENCY}']", "the agency choice").click()
        self.submit(driver, self.button("main form[action='/ho-so']", driver, "the continue button"))
        match = re.fullmatch(r"/ho-so/([0-9a-f]{32})", self.path(driver))
        self.need(match, "continuing creates a draft at /ho-so/{ref}", driver, self.path(driver))
        self.ref = match.group(1)
        self.page(driver, "draft", h1_text=PROCEDURE_NAME)
        self.check(self.people["citizen"]["name"] in self.main_text(driver),
                   "the draft shows the applicant from the account", driver)
        slots = driver.find_elements(By.CSS_SELECTOR, "main section.slot")
        self.need(len(slots) >= 2, f"the draft has document slots ({len(slots)})", driver)
        for index, (path, name) in enumerate(((self.files["form"], "to-khai.pdf"),
                                              (self.files["proof"], "giay-chung-sinh.pdf"))):
            upload = self.find(driver, f"#file-{index}", f"the file input of slot {index}")
            upload.send_keys(path)
            self.submit(driver, upload.find_element(By.XPATH, "ancestor::form//button[@type='submit']"))
            self.need(self.path(driver) == f"/ho-so/{self.ref}"
                      and not driver.find_elements(By.CSS_SELECTOR, ".error-summary, .error-message"),
                      f"the PDF uploads into slot {index}", driver,
                      "\n".join(self.texts(driver, ".error-summary li, .error-message")))
            listed = self.texts(driver, f"#slot-{index}-title ~ ul.file-list li a")
            self.check(name in listed, f"slot {index} lists {name}", driver, f"listed: {listed}")
        self.page(driver, "draft with two files", h1_text=PROCEDURE_NAME)
        details = "main form[action$='/luu']"
        for field in driver.find_elements(By.CSS_SELECTOR, f"{details} textarea, {details} input.input"):
            if field.get_attribute("value"):
                continue
            if field.get_attribute("type") == "date":
                # The date picker's typing order depends on the locale; the value itself is ISO.
                driver.execute_script("arguments[0].value = '2025-07-01'", field)
            else:
                field.send_keys("Khai sinh cho con")
        review = self.find(driver, f"{details} button[name=next][value=review]", "the save-and-review button")
        self.submit(driver, review)
        self.need(self.path(driver) == f"/ho-so/{self.ref}/xem-lai", "saving leads to the check-your-answers page",
                  driver, "\n".join(self.texts(driver, ".error-summary li")))
        self.page(driver, "check your answers", h1_key="dossier_review_title")
        text = self.main_text(driver)
        self.check("to-khai.pdf" in text and "giay-chung-sinh.pdf" in text and "Khai sinh cho con" in text,
                   "the review lists both files and the answers", driver)
        self.check(len(driver.find_elements(By.CSS_SELECTOR, f"main a[href='/ho-so/{self.ref}']")) >= 2,
                   "the review has \"Thay đổi\" links back to the draft", driver)
        self.submit(driver, self.button(f"main form[action='/ho-so/{self.ref}/nop']", driver, "the submit button"))
        self.need(self.path(driver) == f"/ho-so/{self.ref}/bien-nhan", "submitting leads to the receipt", driver)
        self.page(driver, "receipt", h1_key="dossier_receipt_title")
        code = self.find(driver, "main .confirmation-panel .dossier-code").text.strip()
        self.need(re.fullmatch(re.escape(AGENCY) + r"-\d{6}-\d{4}", code),
                  f"the receipt shows the dossier code in large type ({code})", driver)
        self.code = code
        self.check("to-khai.pdf" in self.main_text(driver), "the receipt lists the files", driver)
        self.submit(driver, self.find(driver, "header nav a[href='/ho-so']", "my dossiers"))
        self.page(driver, "my dossiers", h1_key="dossier_list_title")
        row = " ".join(self.texts(driver, "main table tbody tr"))
        self.check(self.code in row and STATUS[1] in row, f"my dossiers lists {self.code} as \"{STATUS[1]}\"", driver)

    def officer_signs_in(self, driver):
        person = self.people["officer"]
        made = self.portal.create_officer(person["email"], person["password"], person["name"])
        self.need(made.returncode == 0 and "Officer account" in made.stdout + made.stderr,
                  "opendvc create-officer makes the officer while the server runs", driver,
                  made.stdout + made.stderr)
        self.go(driver, "/dang-nhap")
        self.page(driver, "officer sign-in", h1_key="login_title")
        form = "main form[action='/dang-nhap']"
        self.find(driver, f"{form} #login").send_keys(person["email"])
        self.find(driver, f"{form} #password").send_keys(person["password"])
        self.submit(driver, self.button(form, driver, "the sign-in button"))
        self.need(not driver.find_elements(By.CSS_SELECTOR, ".error-summary"), "the officer's password is accepted",
                  driver, "\n".join(self.texts(driver, ".error-summary li")))
        self.go(driver, "/can-bo")
        self.need(self.path(driver).startswith("/xac-thuc-hai-buoc"), "the officer is sent to two-step verification",
                  driver, self.path(driver))
        self.page(driver, "two-step enrolment", h1_key="two_factor_title")
        secret = self.find(driver, "main code.secret", "the enrolment secret").text
        qr = driver.find_elements(By.CSS_SELECTOR, "main img[alt]")
        self.check(qr and qr[0].get_attribute("alt").strip(), "the QR code has a text alternative", driver)
        if 30 - time.time() % 30 < 2:
            time.sleep(2.5)
        form = "main form[action='/xac-thuc-hai-buoc']"
        self.find(driver, f"{form} #code").send_keys(totp(secret))
        self.submit(driver, self.button(form, driver, "the verify button"))
        codes = self.texts(driver, "main ul.recovery-codes li")
        self.need(len(codes) >= 5, f"a code computed from the secret enrols and shows {len(codes)} recovery codes",
                  driver, "\n".join(self.texts(driver, ".error-summary li")))
        self.page(driver, "recovery codes", h1_key="two_factor_title", by_get=False)
        self.submit(driver, self.find(driver, "main a.button", "the continue button"))
        if not self.path(driver).startswith("/can-bo"):
            self.go(driver, "/can-bo")
        self.need(self.path(driver) == "/can-bo", "the officer reaches the inbox", driver, self.path(driver))
        self.page(driver, "officer inbox", h1_key="officer_inbox_title")
        rows = self.texts(driver, "main table tbody tr")
        mine = [row for row in rows if self.code in row]
        self.need(mine and STATUS[1] in mine[0] and self.people["citizen"]["name"] in mine[0],
                  f"the inbox lists {self.code}, the applicant and \"{STATUS[1]}\"", driver, "\n".join(rows[:5]))

    def officer_dossier(self, driver, status, what):
        self.need(self.path(driver) == f"/can-bo/ho-so/{self.ref}", f"{what}: back on the officer's dossier page",
                  driver, self.path(driver))
        errors = self.texts(driver, ".error-summary li")
        self.need(not errors, f"{what}: no error", driver, "\n".join(errors))
        self.page(driver, f"officer dossier, {STATUS[status]}", h1_prefix_key="dossier_show_title")
        tag = self.status_tag(driver)
        self.need(tag == STATUS[status] and self.code in self.h1(driver),
                  f"{what}: the dossier {self.code} shows \"{STATUS[status]}\"", driver, f"status: {tag!r}")

    def action_button(self, driver, action):
        return self.find(driver, f"main form input[name=action][value='{action}']", f"the {action} action") \
            .find_element(By.XPATH, "ancestor::form//button[@type='submit']")

    def officer_receives_and_asks(self, driver):
        link = self.find(driver, f"main table a[href='/can-bo/ho-so/{self.ref}']", "the dossier in the inbox")
        self.submit(driver, link)
        self.officer_dossier(driver, 1, "opening the dossier")
        text = self.main_text(driver)
        self.check("to-khai.pdf" in text and "giay-chung-sinh.pdf" in text and self.people["citizen"]["name"] in text,
                   "the officer sees the applicant and both files", driver)
        self.submit(driver, self.action_button(driver, "receive"))
        self.officer_dossier(driver, 2, "receiving")
        self.find(driver, "#supplement-reason", "the missing-documents box").send_keys(self.people["missing"])
        self.submit(driver, self.action_button(driver, "request_supplement"))
        self.officer_dossier(driver, 5, "asking for a supplement")
        self.check(self.people["missing"] in self.main_text(driver), "the timeline shows what is missing", driver)

    def citizen_supplements(self, driver):
        self.go(driver, "/ho-so")
        self.page(driver, "my dossiers, supplement asked", h1_key="dossier_list_title")
        row = " ".join(self.texts(driver, "main table tbody tr"))
        self.check(STATUS[5] in row, f"my dossiers shows \"{STATUS[5]}\"", driver, row)
        self.submit(driver, self.find(driver, f"main table a[href='/ho-so/{self.ref}']", "the dossier link"))
        self.page(driver, "dossier, supplement asked", h1_prefix_key="dossier_show_title")
        panel = self.find(driver, "main section[aria-labelledby=supplement-title]", "the supplement panel")
        self.check(VI["dossier_supplement_title"] in panel.text and self.people["missing"] in panel.text,
                   "the citizen sees what the agency asks for", driver, panel.text)
        upload = self.find(driver, "main section[aria-labelledby=supplement-title] #file", "the supplement file input")
        upload.send_keys(self.files["supplement"])
        self.submit(driver, upload.find_element(By.XPATH, "ancestor::form//button[@type='submit']"))
        errors = self.texts(driver, ".error-summary li")
        self.need(self.path(driver) == f"/ho-so/{self.ref}" and not errors, "the supplement file uploads", driver,
                  "\n".join(errors))
        self.page(driver, "dossier with the supplement file", h1_prefix_key="dossier_show_title")
        listed = self.texts(driver, "main section[aria-labelledby=supplement-title] ul.file-list li a")
        self.check("ban-sao-giay-to.pdf" in listed, "the supplement panel lists the uploaded file", driver,
                   f"listed: {listed}")
        self.find(driver, "main form[action$='/bo-sung'] #note").send_keys("Đã bổ sung bản sao")
        self.submit(driver, self.button("main form[action$='/bo-sung']", driver, "the send-supplement button"))
        errors = self.texts(driver, ".error-summary li")
        self.need(not errors, "the supplement is sent", driver, "\n".join(errors))
        self.page(driver, "dossier after the supplement", h1_prefix_key="dossier_show_title")
        tag = self.status_tag(driver)
        self.check(tag == STATUS[4], f"after the supplement the dossier is \"{STATUS[4]}\"", driver, f"status {tag!r}")

    def officer_finishes(self, driver):
        self.go(driver, f"/can-bo/ho-so/{self.ref}")
        self.officer_dossier(driver, 4, "after the supplement")
        self.check("ban-sao-giay-to.pdf" in self.main_text(driver), "the officer sees the supplement file", driver)
        upload = self.find(driver, "#result-file", "the result file input")
        upload.send_keys(self.files["result"])
        self.submit(driver, upload.find_element(By.XPATH, "ancestor::form//button[@type='submit']"))
        self.officer_dossier(driver, 4, "uploading the result")
        self.check("ket-qua-khai-sinh.pdf" in self.main_text(driver), "the result file is listed", driver)
        self.find(driver, "#finish-note").send_keys("Đã cấp giấy khai sinh")
        self.submit(driver, self.action_button(driver, "finish"))
        self.officer_dossier(driver, 9, "finishing")
        self.submit(driver, self.action_button(driver, "return_result"))
        self.officer_dossier(driver, 10, "returning the result")

    def citizen_downloads_and_rates(self, driver):
        self.go(driver, f"/ho-so/{self.ref}")
        self.page(driver, "dossier with its result", h1_prefix_key="dossier_show_title")
        tag = self.status_tag(driver)
        self.check(tag == STATUS[10], f"the citizen sees \"{STATUS[10]}\"", driver, f"status {tag!r}")
        links = [a for a in driver.find_elements(By.CSS_SELECTOR, "main a")
                 if a.text.strip() == "ket-qua-khai-sinh.pdf"]
        self.need(links, "the result document is listed for the citizen", driver)
        downloads = self.downloads
        before = set(os.listdir(downloads))
        links[0].click()
        deadline, got = time.time() + WAIT, None
        while time.time() < deadline and got is None:
            new = [name for name in set(os.listdir(downloads)) - before if not name.endswith(".crdownload")]
            if new:
                got = os.path.join(downloads, new[0])
            else:
                time.sleep(0.1)
        with open(self.files["result"], "rb") as sent:
            expected = sent.read()
        received = open(got, "rb").read() if got else b""
        self.check(received == expected, "the downloaded result has the same bytes as the officer's upload", driver,
                   f"downloaded {got!r}: {len(received)} bytes, expected {len(expected)}; "
                   f"in the download folder: {sorted(os.listdir(downloads))}")
        self.wait_loaded(driver)
        form = "main form[action$='/danh-gia']"
        self.find(driver, f"{form} #rating-5", "the rating choices").click()
        self.find(driver, f"{form} #comment").send_keys("Nhanh, cán bộ hướng dẫn rõ ràng")
        self.submit(driver, self.button(form, driver, "the rating button"))
        errors = self.texts(driver, ".error-summary li")
        self.need(not errors and self.path(driver) == f"/ho-so/{self.ref}", "the rating is accepted", driver,
                  "\n".join(errors))
        self.page(driver, "dossier after rating", h1_prefix_key="dossier_show_title")
        panel = self.find(driver, "main section[aria-labelledby=rate-title]").text
        self.check(f"{VI['dossier_rated']} 5/5" in panel, "the page shows the rating given (5/5)", driver, panel)

    def public_lookup(self, driver):
        self.go(driver, "/")
        self.page(driver, "home, signed out", h1_key="home_heading")
        nav = driver.find_element(By.CSS_SELECTOR, "header nav").text
        self.check(VI["login_title"] in nav and VI["nav_account"] not in nav,
                   "a fresh browser is not signed in", driver)
        box = self.find(driver, "main form[action='/tra-cuu'] #code", "the lookup box")
        box.send_keys(self.code)
        self.submit(driver, driver.find_element(By.CSS_SELECTOR, "main form[action='/tra-cuu'] button[type=submit]"))
        self.need(self.path(driver).startswith("/tra-cuu?"), "the lookup goes to /tra-cuu?code=…", driver)
        self.page(driver, "public lookup", h1_key="lookup_title")
        result = self.find(driver, "main section[aria-labelledby=result-title]", "the lookup result").text
        self.check(self.code in result and STATUS[10] in result,
                   f"the lookup shows {self.code} as \"{STATUS[10]}\"", driver, result)
        steps = self.timeline(driver)
        expected = [STATUS[code] for code in (1, 2, 5, 4, 9, 10)]
        self.check(steps == expected, "the public timeline lists every step in words", driver, f"timeline: {steps}")
        text = self.main_text(driver)
        self.check(self.people["citizen"]["name"] not in text and self.people["citizen"]["id"] not in text
                   and self.people["missing"] not in text,
                   "the public lookup shows no personal data and no notes", driver)

    def statistics(self, driver):
        link = self.find(driver, "header nav a[href='/thong-ke']", "the statistics link")
        self.submit(driver, link)
        self.page(driver, "statistics", h1_key="stats_title")
        figures = driver.find_elements(By.CSS_SELECTOR, "main dl.figures .figure")
        self.check(len(figures) >= 3 and all(f.find_elements(By.CSS_SELECTOR, "dd") for f in figures),
                   f"the statistics page shows its headline figures ({len(figures)})", driver)
        tables = driver.find_elements(By.CSS_SELECTOR, "main table")
        headed = all(table.find_elements(By.CSS_SELECTOR, "th") for table in tables)
        self.check(tables and headed, f"the statistics tables have header cells ({len(tables)} tables)", driver)
        charts = driver.find_elements(By.CSS_SELECTOR, "main figure.chart-figure")
        behind = driver.find_elements(By.CSS_SELECTOR, "main section.chart-section table")
        self.check(len(behind) >= len(charts), "every chart has its data table", driver)


def feedback_step(driver, base, flow=None):
    """Feedback and petitions (phản ánh kiến nghị), in the fresh signed-out browser, after the statistics: from the
    footer link to the public list, then the form, sent about the dossier's procedure with contact details; the
    sender's page shows it waiting for an answer, routed to an agency, with what was typed. With JavaScript on, the
    title field also suggests published questions (none yet: the suggestion box stays hidden)."""
    if flow is None:
        driver.get(base + "/phan-anh-kien-nghi")
        return
    flow.go(driver, "/")
    link = flow.find(driver, "footer a[href='/phan-anh-kien-nghi']", "the feedback link in the footer")
    flow.submit(driver, link)
    flow.page(driver, "feedback list", h1_key="feedback_title")
    flow.submit(driver, flow.find(driver, "main a[href='/phan-anh-kien-nghi/gui']", "the send-feedback link"))
    flow.page(driver, "feedback form", h1_key="feedback_send_title")
    title = f"Hỏi về thời hạn trả kết quả khai sinh ({flow.tag})"
    values = {
        "sender_name": "Lê Thị Phản Ánh", "sender_phone": "0987000111", "sender_email": "phananh@example.vn",
        "procedure_code": "1.001193", "title": title,
        "body": "Tôi nộp hồ sơ trực tuyến thì bao lâu có kết quả, và có cần đến nhận bản chính không?",
    }
    for name, value in values.items():
        field = flow.find(driver, f"form[action='/phan-anh-kien-nghi/gui'] [name='{name}']", name)
        field.clear()
        field.send_keys(value)
    flow.find(driver, "#topic-procedure", "the procedure topic").click()
    if flow.javascript:
        box = driver.find_elements(By.CSS_SELECTOR, "#title-suggestions")
        flow.check(len(box) == 1 and not box[0].is_displayed(),
                   "feedback form: no suggestion shown while nothing similar is published", driver)
    flow.submit(driver, flow.button("form[action='/phan-anh-kien-nghi/gui']", driver, "the send button"))
    flow.need(flow.path(driver).startswith("/phan-anh-kien-nghi/theo-doi/"),
              "feedback: sending leads to the sender's page", driver, flow.path(driver))
    flow.page(driver, "feedback status", h1_key="feedback_title")
    text = flow.main_text(driver)
    flow.check(VI["feedback_state_new"] in text and title in text and "1.001193" in text,
               "feedback: the sender's page shows it waiting, with its title and procedure", driver, text)
    flow.check(VI["feedback_portal_desk"] not in text,
               "feedback: routed to the procedure's agency, not the portal desk", driver, text)


def main():
    if len(sys.argv) != 2 or not os.access(sys.argv[1], os.X_OK):
        print("usage: browser.py /path/to/opendvc", file=sys.stderr)
        return 2
    started = time.time()
    chosen = os.environ.get("OPENDVC_E2E_ARTIFACTS")
    artifacts = os.path.abspath(chosen) if chosen else tempfile.mkdtemp(prefix="opendvc-e2e-browser.")
    os.makedirs(artifacts, exist_ok=True)
    work = tempfile.mkdtemp(prefix="opendvc-e2e-browser-work.")
    report = Report(artifacts)
    portal = Portal(sys.argv[1], work, os.path.join(artifacts, "server.log"))

    def stop(signum, _frame):
        portal.stop()
        sys.exit(128 + signum)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        files = {"downloads": os.path.join(work, "downloads")}
        os.makedirs(files["downloads"])
        for key, name, text in (("form", "to-khai.pdf", "To khai dang ky khai sinh"),
                                ("proof", "giay-chung-sinh.pdf", "Giay chung sinh"),
                                ("supplement", "ban-sao-giay-to.pdf", "Ban sao giay to bo sung"),
                                ("result", "ket-qua-khai-sinh.pdf", "Giay khai sinh - ban chinh")):
            folder = os.path.join(work, key)
            os.makedirs(folder)
            files[key] = os.path.join(folder, name)
            with open(files[key], "wb") as out:
                out.write(small_pdf(text))
        if report.check(portal.start(), f"the server starts on {portal.base}"):
            run_flows(portal, report, files)
        else:
            with open(portal.log_path, encoding="utf-8", errors="replace") as log:
                print("".join(log.readlines()[-5:]), end="")
    finally:
        portal.stop()
        shutil.rmtree(work, ignore_errors=True)
    if report.notes:
        print("== axe findings below serious (not failing):")
        for (rule, where), (impact, targets) in sorted(report.notes.items()):
            print(f"   {rule} ({impact}) on {where}: {', '.join(targets)}")
    print(f"== {time.time() - started:.0f} s")
    if report.failed:
        print(f"--- screenshots, page sources and the server log kept in {artifacts}")
    elif not chosen:
        shutil.rmtree(artifacts, ignore_errors=True)
    summary = f"{report.passed} passed, {report.failed} failed"
    print(summary + (f", {report.skipped} skipped" if report.skipped else ""))
    return 1 if report.failed else 0


def run_flows(portal, report, files):
    """The journey with JavaScript on, then off ($OPENDVC_E2E_FLOWS=js or no-js runs only one)."""
    axe_path = axe_script()
    with open(axe_path, encoding="utf-8") as script:
        version = re.search(r"axe v?([0-9.]+)|version=\"([0-9.]+)\"", script.read(3000))
    print(f"== axe-core {next(filter(None, version.groups())) if version else '?'} ({axe_path})", flush=True)
    runs = (
        (True, "js", {"citizen": {"id": "001090001234", "name": "Nguyễn Văn An", "phone": "0912345678",
                                  "email": "an@example.vn", "password": "trâu ơi ta bảo trâu này"},
                      "officer": {"email": "canbo@example.gov.vn", "password": "mật khẩu cán bộ",
                                  "name": "Trần Thị Bình"},
                      "missing": "Thiếu bản sao giấy chứng nhận kết hôn của cha mẹ"}),
        (False, "no-js", {"citizen": {"id": "001090005678", "name": "Lê Thị Hoa", "phone": "0987654321",
                                      "email": "hoa@example.vn", "password": "đường vô xứ Nghệ quanh quanh"},
                          "officer": {"email": "canbo2@example.gov.vn", "password": "mật khẩu cán bộ hai",
                                      "name": "Phạm Văn Cường"},
                          "missing": "Thiếu bản sao căn cước của người đi khai sinh"}),
    )
    wanted = os.environ.get("OPENDVC_E2E_FLOWS", "js,no-js").split(",")
    for javascript, tag, people in runs:
        if tag not in wanted:
            continue
        print(f"== The whole flow with JavaScript {'on' if javascript else 'off'}", flush=True)
        begun = time.time()
        flow = Flow(portal, report, javascript, tag, people, files, axe_path)
        flow.run()
        spent = ", ".join(f"{what} {seconds:.0f} s" for what, seconds in flow.seconds.items() if seconds)
        print(f"== ({tag}: {time.time() - begun:.0f} s{', of which ' + spent if spent else ''})", flush=True)


if __name__ == "__main__":
    sys.exit(main())
