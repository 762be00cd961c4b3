"""Build the seminar deck: slides/ganad_seminar.ipynb -> build/slides/ (HTML + PDF), offline.

    python slides/build.py                                   # results from results/cpu/runs.csv
    python slides/build.py --results path/to/runs.csv --out build/slides
    python slides/build.py --no-pdf                          # HTML only (no Chromium needed)
    python slides/build.py --presenter "Ada Lovelace" --affiliation "Univ. X" --date "1 Dec 2026"

`make slides` runs this (`make slides RESULTS=path/to/runs.csv PRESENTER=... AFFILIATION=... DATE=...`).
Steps:

1. reveal.js and KaTeX: installed once by `npm ci` into slides/node_modules (versions pinned in
   slides/package-lock.json) and copied into <out>/lib/, so the deck needs no network.
2. The deck notebook is executed (a copy; the source stays without outputs) with the results file
   in $GANAD_SLIDES_RESULTS: the figures come from ganad_lib.diagrams and ganad_lib.comparison.
   Without a results file the results slides say how to make one; the build does not fail.
   The title slide's title, presenter, affiliation and date go to the notebook in
   $GANAD_SLIDES_TITLE, ..._PRESENTER, ..._AFFILIATION and ..._DATE (slides/deck.py reads them).
   The speaker notes get the time plan from the slides' metadata (add_time_plan).
3. nbconvert's slides exporter with the template in slides/templates/ganad writes <out>/index.html.
4. Headless Chromium prints <out>/ganad_seminar.pdf from index.html?print-pdf (one page a slide), once
   the deck's layout check has run there (HeadlessPage: the build waits for the deck, not for a delay).
"""

from __future__ import annotations

import argparse
import base64
import datetime
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SLIDES = Path(__file__).resolve().parent
REPO = SLIDES.parent
DECK = SLIDES / "ganad_seminar.ipynb"
TEMPLATES = SLIDES / "templates"
NODE_MODULES = SLIDES / "node_modules"
DEFAULT_RESULTS = REPO / "results" / "cpu" / "runs.csv"
DEFAULT_OUT = REPO / "build" / "slides"
PDF_NAME = "ganad_seminar.pdf"

#: the title slide's options -> the environment variables the deck notebook reads (slides/deck.py)
TITLE_OPTIONS = {"title": "GANAD_SLIDES_TITLE", "presenter": "GANAD_SLIDES_PRESENTER",
                 "affiliation": "GANAD_SLIDES_AFFILIATION", "date": "GANAD_SLIDES_DATE"}

#: files of the npm packages that the deck loads: (package, path inside it, path under <out>/lib)
ASSETS = [
    ("reveal.js", "dist/reveal.js", "reveal.js/dist/reveal.js"),
    ("reveal.js", "dist/reveal.css", "reveal.js/dist/reveal.css"),
    ("reveal.js", "dist/theme", "reveal.js/dist/theme"),
    ("reveal.js", "plugin/notes/notes.js", "reveal.js/plugin/notes/notes.js"),
    ("reveal.js", "LICENSE", "reveal.js/LICENSE"),
    ("katex", "dist/katex.min.js", "katex/katex.min.js"),
    ("katex", "dist/katex.min.css", "katex/katex.min.css"),
    ("katex", "dist/fonts", "katex/fonts"),
    ("katex", "dist/contrib/auto-render.min.js", "katex/contrib/auto-render.min.js"),
    ("katex", "LICENSE", "katex/LICENSE"),
]

#: where Chromium or Chrome may live, besides $CHROMIUM and the PATH
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
CHROMIUM_PATHS = ("/Applications/Chromium.app/Contents/MacOS/Chromium",
                  "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome")


class BuildError(RuntimeError):
    """A step of the build failed; the message says what to do."""


def find_chromium() -> str | None:
    """$CHROMIUM, else the first Chromium/Chrome on the PATH or in the usual macOS places."""
    env = os.environ.get("CHROMIUM")
    if env:
        found = shutil.which(env)
        if not found:
            raise BuildError(f"CHROMIUM={env!r} is not an executable. Unset it or point it to Chromium or Chrome.")
        return found
    for name in CHROMIUM_NAMES:
        if found := shutil.which(name):
            return found
    return next((p for p in CHROMIUM_PATHS if os.access(p, os.X_OK)), None)


def chromium_command(chromium: str, profile_dir: str | os.PathLike, *extra: str) -> list[str]:
    """Headless Chromium with no network at all (every host name fails to resolve)."""
    return [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-extensions", "--disable-sync", "--no-first-run", "--no-default-browser-check",
            "--disable-dev-shm-usage", "--host-resolver-rules=MAP * ~NOTFOUND", "--hide-scrollbars",
            "--mute-audio", f"--user-data-dir={profile_dir}", *extra]


class HeadlessPage:
    """One headless Chromium tab, driven over the DevTools protocol on a pipe (``--remote-debugging-pipe``).

    Printing with ``--print-to-pdf`` and a ``--virtual-time-budget`` guesses how long reveal.js needs to
    lay the deck out as pages; on some machines Chromium printed before that and wrote a one-page PDF.
    Here the build waits for the deck's own signal instead: the layout check (static/layout-check.js)
    writes its summary on <body> only after reveal.js's ``ready`` (or, in the print view, ``pdf-ready``)
    event, the page's ``load`` and its fonts. Only the standard library is used: the protocol is JSON
    messages separated by NUL bytes, read by Chromium from file descriptor 3 and written to 4.

        with HeadlessPage(chromium) as page:
            page.open(html.as_uri() + "?print-pdf")      # waits for the layout check
            pdf_bytes = page.pdf()
    """

    #: the deck is laid out (see static/layout-check.js)
    DECK_READY = "document.body !== null && document.body.hasAttribute('data-layout-check')"

    def __init__(self, chromium: str, *, width: int = 1280, height: int = 720, timeout: float = 90):
        self.chromium, self.width, self.height, self.timeout = chromium, width, height, timeout
        self._proc = None
        self._buf = b""
        self._next_id = 0
        self._session = None

    def __enter__(self) -> HeadlessPage:
        import fcntl

        self._profile = tempfile.TemporaryDirectory(prefix="ganad-chromium-")
        # the child's ends are moved to fds 3 and 4; the parent's stay close-on-exec (and above 4)
        to_r, to_w = os.pipe()
        from_r, from_w = os.pipe()
        ends = [fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10) for fd in (to_r, to_w, from_r, from_w)]
        for fd in (to_r, to_w, from_r, from_w):
            os.close(fd)
        child_in, self._write_fd, self._read_fd, child_out = ends

        def to_fds_3_and_4():  # runs in the child between fork and exec
            os.dup2(child_in, 3)
            os.dup2(child_out, 4)

        cmd = chromium_command(self.chromium, self._profile.name, "--remote-debugging-pipe",
                               f"--window-size={self.width},{self.height}", "about:blank")
        try:
            # stderr to a file: a pipe nobody reads while the page loads could fill up and stall Chromium
            self._stderr = open(Path(self._profile.name) / "stderr.log", "w+b")
            self._proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                          stderr=self._stderr, close_fds=False, preexec_fn=to_fds_3_and_4)
        finally:
            os.close(child_in)
            os.close(child_out)
        try:
            target = self.send("Target.createTarget", {"url": "about:blank"}, browser=True)["targetId"]
            self._session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True},
                                      browser=True)["sessionId"]
            self.send("Emulation.setDeviceMetricsOverride", {"width": self.width, "height": self.height,
                                                             "deviceScaleFactor": 1, "mobile": False})
            self.send("Page.enable")
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc) -> None:
        if self._proc is not None:
            try:
                if self._proc.poll() is None:
                    self._write(json.dumps({"id": 0, "method": "Browser.close"}).encode() + b"\0")
                self._proc.wait(timeout=10)
            except (OSError, subprocess.TimeoutExpired):
                self._proc.kill()
                self._proc.wait()
            self._stderr.close()
            self._proc = None
        for fd in ("_write_fd", "_read_fd"):
            if getattr(self, fd, None) is not None:
                os.close(getattr(self, fd))
                setattr(self, fd, None)
        self._profile.cleanup()

    def _write(self, data: bytes) -> None:
        while data:
            data = data[os.write(self._write_fd, data):]

    def _stderr_tail(self) -> str:
        if self._proc.poll() is None:
            return ""
        self._stderr.seek(0)
        return self._stderr.read().decode(errors="replace")[-2000:]

    def send(self, method: str, params: dict | None = None, *, browser: bool = False) -> dict:
        """Send one DevTools command (to the page unless ``browser``) and return its result."""
        import select

        self._next_id += 1
        msg = {"id": self._next_id, "method": method, "params": params or {}}
        if not browser:
            msg["sessionId"] = self._session
        try:
            self._write(json.dumps(msg).encode() + b"\0")
        except BrokenPipeError:
            raise BuildError(f"Chromium ({self.chromium}) exited before {method}:\n{self._stderr_tail()}") from None
        deadline = time.monotonic() + self.timeout
        while True:
            while b"\0" in self._buf:
                raw, self._buf = self._buf.split(b"\0", 1)
                reply = json.loads(raw)
                if reply.get("id") != self._next_id:
                    continue  # an event, or the reply to an earlier command
                if "error" in reply:
                    raise BuildError(f"Chromium refused {method}: {reply['error'].get('message')}")
                return reply.get("result", {})
            left = deadline - time.monotonic()
            if left <= 0:
                raise BuildError(f"Chromium did not answer {method} within {self.timeout:.0f} s.")
            if select.select([self._read_fd], [], [], left)[0]:
                chunk = os.read(self._read_fd, 1 << 20)
                if not chunk:
                    raise BuildError(f"Chromium ({self.chromium}) exited during {method}:\n{self._stderr_tail()}")
                self._buf += chunk

    def evaluate(self, expression: str):
        """The value of a JavaScript expression in the page."""
        r = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        if "exceptionDetails" in r:
            raise BuildError(f"JavaScript error in {expression!r}: {r['exceptionDetails'].get('text')}")
        return r["result"].get("value")

    def open(self, url: str, ready: str = DECK_READY) -> HeadlessPage:
        """Load ``url`` and wait until the JavaScript expression ``ready`` is true."""
        nav = self.send("Page.navigate", {"url": url})
        if nav.get("errorText"):
            raise BuildError(f"Chromium could not open {url}: {nav['errorText']}")
        deadline = time.monotonic() + self.timeout
        while not self.evaluate(ready):
            if time.monotonic() > deadline:
                raise BuildError(f"{url} was not ready within {self.timeout:.0f} s (waited for `{ready}`). "
                                 "Open it in Chrome and look at the console for errors.")
            time.sleep(0.1)
        return self

    def dom(self) -> str:
        """The page's DOM as HTML (what ``--dump-dom`` prints)."""
        return self.evaluate("document.documentElement.outerHTML")

    def screenshot(self) -> bytes:
        """A PNG of the viewport."""
        return base64.b64decode(self.send("Page.captureScreenshot", {"format": "png"})["data"])

    def pdf(self) -> bytes:
        """The page printed to PDF with its own page size (reveal.js's print view sets one page a slide)."""
        r = self.send("Page.printToPDF", {"printBackground": True, "preferCSSPageSize": True,
                                          "displayHeaderFooter": False})
        return base64.b64decode(r["data"])


def install_assets(node_modules: Path = NODE_MODULES) -> Path:
    """slides/node_modules with reveal.js and KaTeX, from `npm ci` (pinned by package-lock.json)."""
    lock = SLIDES / "package-lock.json"
    stamp = node_modules / ".package-lock.json"  # written by npm after an install
    if all((node_modules / pkg / src).exists() for pkg, src, _ in ASSETS) and stamp.exists() \
            and stamp.stat().st_mtime >= lock.stat().st_mtime:
        return node_modules
    npm = shutil.which("npm")
    if npm is None:
        raise BuildError("The deck needs reveal.js and KaTeX from npm, and `npm` was not found. Install Node.js "
                         "(Debian/Ubuntu: `sudo apt-get install npm`, macOS: `brew install node`), then run "
                         "`make slides` again. (Or copy a slides/node_modules from a machine that has npm.)")
    print("installing reveal.js and KaTeX (npm ci in slides/) ...", flush=True)
    r = subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=SLIDES,
                       capture_output=True, text=True, stdin=subprocess.DEVNULL)
    if r.returncode != 0:
        raise BuildError(f"`npm ci` in slides/ failed:\n{r.stdout[-1500:]}{r.stderr[-1500:]}\n"
                         "The npm registry must be reachable once; afterwards the deck builds offline.")
    return node_modules


def copy_assets(out: Path, node_modules: Path = NODE_MODULES) -> Path:
    """Copy what the deck loads into <out>/lib; returns that folder."""
    lib = out / "lib"
    for pkg, src, dst in ASSETS:
        s, d = node_modules / pkg / src, lib / dst
        if not s.exists():
            raise BuildError(f"{s} is missing: delete slides/node_modules and run `make slides` again.")
        d.parent.mkdir(parents=True, exist_ok=True)
        if s.is_dir():
            shutil.copytree(s, d, dirs_exist_ok=True)
        else:
            shutil.copy2(s, d)
    return lib


def execute_deck(results: Path, deck: Path = DECK, timeout: int = 600, title: dict | None = None):
    """The deck notebook executed in slides/ with $GANAD_SLIDES_RESULTS set (the source is not changed).

    ``title``: {"title", "presenter", "affiliation", "date"} for the title slide (None or "": not shown,
    the default title)."""
    import ipykernel.kernelspec
    import nbformat
    from jupyter_client import KernelManager
    from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
    from nbconvert.preprocessors import ExecutePreprocessor

    class ThisPython(KernelSpecManager):
        """The kernel of the Python running this build (where ganad_lib is installed), whatever
        kernels the user's Jupyter knows by the notebook's kernel name."""

        def get_kernel_spec(self, kernel_name):
            return KernelSpec(resource_dir=ipykernel.kernelspec.RESOURCES, **ipykernel.kernelspec.get_kernel_dict())

    nb = nbformat.read(deck, as_version=4)
    env = {"GANAD_SLIDES_RESULTS": str(results), "MPLBACKEND": "module://matplotlib_inline.backend_inline"}
    env.update({var: (title or {}).get(key) or None for key, var in TITLE_OPTIONS.items()})
    old = {k: os.environ.get(k) for k in env}
    for k, v in env.items():  # the kernel inherits this process's environment
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v
    try:
        km = KernelManager(kernel_name="python3", kernel_spec_manager=ThisPython())
        try:
            ExecutePreprocessor(timeout=timeout, kernel_name="python3").preprocess(
                nb, {"metadata": {"path": str(deck.parent)}}, km=km)
        finally:
            if km.has_kernel:
                km.shutdown_kernel(now=True)
    except Exception as err:  # nbclient's CellExecutionError carries the cell and the traceback
        raise BuildError(f"Executing {deck.name} failed:\n{err}") from None
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    return nb


def _clock(minutes: float) -> str:
    return f"{int(minutes)}:{round(minutes % 1 * 60):02d}"


def _minutes(m: float) -> str:
    return f"{m:g} min"


def time_plan(nb) -> list[dict]:
    """The talk's time plan from the slides' metadata: one entry per slide (in order) with its
    "name", "heading", "minutes", "start" (minutes into the talk), "section", "optional", "backup",
    "in_plan" (whether its minutes count in the plan), and its place in the short version: "cut" (its
    minutes there, 0: skipped) and "cut_note" (what to do with it there).

    Each slide's first cell carries ``"ganad": {"minutes": 2, "section": "...", "optional": true,
    "backup": true, "cut": 1, "cut_note": "..."}`` in its metadata; a section runs from the slide
    that names it to the next one; a slide without "cut" keeps its minutes in the short version.
    An optional slide is skipped by default: its "minutes" are what it takes when shown, out of the
    time kept for questions, and the clock does not run on over it; a back-up slide is outside the
    plan (shown only when asked).
    """
    plan, clock, section = [], 0.0, ""
    for cell in nb.cells:
        if cell.metadata.get("slideshow", {}).get("slide_type") != "slide":
            continue
        g = cell.metadata.get("ganad", {})
        section = g.get("section", section)
        heading = next((line.lstrip("# ").strip() for line in cell.source.splitlines() if line.startswith("#")),
                       cell.metadata.get("name", ""))
        minutes = float(g.get("minutes", 0))
        optional, backup = bool(g.get("optional")), bool(g.get("backup"))
        in_plan = not (optional or backup)
        plan.append({"name": cell.metadata.get("name", ""), "heading": heading, "minutes": minutes, "start": clock,
                     "section": section, "optional": optional, "backup": backup, "in_plan": in_plan,
                     "cut": float(g.get("cut", minutes)), "cut_note": g.get("cut_note", "")})
        if in_plan:
            clock += minutes
    return plan


def planned_minutes(plan: list[dict]) -> float:
    """The minutes of the slides in the plan: optional (skipped by default) and back-up slides left out."""
    return sum(p["minutes"] for p in plan if p["in_plan"])


def talk_settings(nb) -> dict:
    """The notebook's ``ganad`` metadata: "talk_minutes" (the slot), "question_minutes" (kept free of
    slides for questions; an optional slide shown comes out of it), "cut_minutes" (the short version's
    slot) and "cut_slack_minutes" (kept free of slides in the short version: its slides add up to
    cut_minutes minus the slack)."""
    g = nb.metadata.get("ganad", {})
    return {"talk_minutes": float(g.get("talk_minutes", 30)), "question_minutes": float(g.get("question_minutes", 0)),
            "cut_minutes": float(g.get("cut_minutes", 0)), "cut_slack_minutes": float(g.get("cut_slack_minutes", 0))}


def plan_problems(nb, plan: list[dict]) -> list[str]:
    """What does not add up: the planned slides' minutes plus the questions' against the slot, the
    optional slides against the time for questions (showing all of them must leave some), and the
    short version's minutes against its length."""
    t = talk_settings(nb)
    out = []
    total = planned_minutes(plan)
    if abs(total + t["question_minutes"] - t["talk_minutes"]) > 1e-9:
        out.append(f"the slides' time budgets add up to {total:g} minutes, plus {t['question_minutes']:g} for questions: "
                   f"not the talk's {t['talk_minutes']:g}; fix the \"minutes\" in the slides' metadata")
    optional = sum(p["minutes"] for p in plan if p["optional"])
    if optional and optional >= t["question_minutes"]:
        out.append(f"the optional slides take {optional:g} minutes, all of the {t['question_minutes']:g} kept for "
                   "questions; fix \"question_minutes\" or the optional slides' \"minutes\"")
    if t["cut_minutes"]:
        cut = sum(p["cut"] for p in plan if not p["backup"])
        want = t["cut_minutes"] - t.get("cut_slack_minutes", 0)
        if abs(cut - want) > 1e-9:
            slack = f" ({t['cut_minutes']:g} less {t['cut_slack_minutes']:g} slack)" if t.get("cut_slack_minutes") else ""
            out.append(f"the short version's slides add up to {cut:g} minutes, not {want:g}{slack}; fix the "
                       "\"cut\" in the slides' metadata")
    return out


def timing_line(p: dict, total: float, t: dict, next_p: dict | None = None, skip_to: int | None = None,
                cut_skip_to: int | None = None) -> str:
    """The first line of a slide's notes (HTML): its budget and clock time in the plan, or that it is
    optional (skipped by default, and what it costs when shown) or a back-up slide; its place in the
    short version; and, when the next slide (``next_p``) is optional, a warning before it comes up."""
    cut = _minutes(t["cut_minutes"]).replace(" min", "-minute")
    if p["backup"]:
        return "⏱ <b>Back-up slide</b>: outside the time plan; show it when asked."
    if p["optional"]:
        line = (f"⏱ <b>Optional</b>, skipped by default: {_minutes(p['minutes'])} when shown (at "
                f"{_clock(p['start'])} of {_clock(total)}), out of the {t['question_minutes']:g} minutes for questions; "
                "show it only when ahead of the clock or when asked.")
    else:
        line = f"⏱ <b>{_minutes(p['minutes'])}</b> ({_clock(p['start'])}–{_clock(p['start'] + p['minutes'])} of {_clock(total)})"
    if t["cut_minutes"]:
        line += (f" · {cut} version: " + (_minutes(p["cut"]) if p["cut"] else "skip")
                 + (f", {p['cut_note']}" if p["cut_note"] else ""))
    if next_p is not None and next_p["optional"] and not next_p["backup"]:
        line += " · <b>next slide optional</b>: to skip it, " + (
            f"press G, type {skip_to}, Enter (reveal.js jumps there; → would show it)" if skip_to
            else "press → twice")
    elif (t["cut_minutes"] and cut_skip_to and next_p is not None and not next_p["optional"] and not next_p["backup"]
          and not next_p["cut"] and p["cut"]):  # the short version skips the next slide: jump over it
        line += f"; then skip the next slide (press G, type {cut_skip_to}, Enter)"
    elif (t["cut_minutes"] and not cut_skip_to and next_p is not None and not next_p["backup"] and not next_p["cut"]
          and p["cut"]):  # the short version ends here: nothing after this slide is shown
        line += "; the talk ends here: stay on this slide for the questions"
    return line


def add_time_plan(nb) -> list[dict]:
    """Put the time plan into the speaker notes: each slide's notes start with its budget and clock
    time (or that it is optional, skipped by default, or a back-up, :func:`timing_line`), and what
    it gets in the short version; the notes of the slide marked ``"time_plan": true`` get the whole
    plan per section, the minutes left for questions, the optional slides, and the short version.
    Returns the plan (see :func:`time_plan`); a plan that does not add up is reported by the build
    (:func:`plan_problems`)."""
    import nbformat

    plan = time_plan(nb)
    t = talk_settings(nb)
    total = planned_minutes(plan)
    cells, slide, pending, table = [], -1, "", ""
    for cell in nb.cells:
        kind = cell.metadata.get("slideshow", {}).get("slide_type")
        if kind == "slide":
            slide += 1
            following = plan[slide + 1] if slide + 1 < len(plan) else None
            # the first slide after the optional run that follows, by its number on screen (1-based)
            after = next((j for j in range(slide + 2, len(plan)) if not plan[j]["optional"]), None)
            skip_to = after + 1 if after is not None else None
            # the same for the short version: the first slide after the run it skips
            # (none when the short version has no slide left to show: the presenter then stays where they are)
            after_cut = next((j for j in range(slide + 2, len(plan)) if plan[j]["cut"] and not plan[j]["backup"]), None)
            cut_skip_to = after_cut + 1 if after_cut is not None else None
            pending = (f'<p class="timing">{timing_line(plan[slide], total, t, following, skip_to, cut_skip_to)}'
                       "</p>")
            table = plan_table(plan, t) if cell.metadata.get("ganad", {}).get("time_plan") else ""
        if kind == "notes" and slide >= 0 and pending:
            if cell.cell_type == "markdown":
                cell.source = "\n\n".join(part for part in (pending, cell.source, table) if part)
            else:  # the note is a code cell's output: the timing goes in a markdown note before it
                cells.append(nbformat.v4.new_markdown_cell("\n\n".join(part for part in (pending, table) if part),
                                                           metadata={"slideshow": {"slide_type": "notes"}}))
            pending = ""
        cells.append(cell)
    nb.cells = cells
    return plan


def plan_table(plan: list[dict], settings: dict | None = None) -> str:
    """The time plan per section with the minutes left for questions (Markdown), the optional slides
    (skipped by default) and when to show them, and the short version (``cut_minutes``)."""
    total = planned_minutes(plan)
    t = settings or {"talk_minutes": total, "question_minutes": 0, "cut_minutes": 0}
    sections: dict[str, list[dict]] = {}
    for p in plan:
        if p["in_plan"]:
            sections.setdefault(p["section"], []).append(p)
    q = t["question_minutes"]
    lines = [f"**Time plan: {_clock(total)} minutes**" + (f" of slides + {_clock(q)} for questions = "
                                                          f"{_clock(total + q)}" if q else ""),
             "", "| section | slides | minutes | clock |", "|---|---|---|---|"]
    for name, ps in sections.items():
        m = sum(p["minutes"] for p in ps)
        lines.append(f"| {name} | {len(ps)} | {m:g} | {_clock(ps[0]['start'])}–{_clock(ps[0]['start'] + m)} |")
    if q:
        lines.append(f"| Questions | – | {q:g} | {_clock(total)}–{_clock(total + q)} |")
    optional = [p for p in plan if p["optional"]]
    if optional:
        saved = sum(p["minutes"] for p in optional)
        lines += ["", f"**Optional slides, skipped by default** ({', '.join(p['heading'] for p in optional)}; "
                  f"{_minutes(saved)} in all): show one only when ahead of the clock or when asked; its minutes come "
                  f"out of the {q:g} for questions. Back-up slides are not in the plan."]
    if t["cut_minutes"]:
        changed = [p for p in plan if not p["backup"] and (p["cut"] != p["minutes"] or p["cut_note"] or p["optional"])]
        cut = sum(p["cut"] for p in plan if not p["backup"])
        slack = t.get("cut_slack_minutes", 0)
        length = f"{_clock(cut)} of slides + {_clock(slack)} slack" if slack else _clock(cut)
        lines += ["", f"**The {t['cut_minutes']:g}-minute version** ({length}): every slide keeps its minutes "
                  "except", ""]
        lines += [f"- *{p['heading']}*: " + (f"{p['minutes']:g} → {p['cut']:g} min" if p["cut"] else "skip")
                  + (f", {p['cut_note']}" if p["cut_note"] else "") for p in changed]
    return "\n".join(lines)


def export_html(nb, out: Path, lib: str = "lib") -> Path:
    """reveal.js HTML of an executed deck notebook: code hidden, outputs and notes kept."""
    from nbconvert import SlidesExporter
    from traitlets.config import Config

    c = Config()
    c.SlidesExporter.template_name = "ganad"
    c.SlidesExporter.extra_template_basedirs = [str(TEMPLATES)]
    c.SlidesExporter.reveal_theme = "white"
    c.SlidesExporter.reveal_width = "1280"
    c.SlidesExporter.reveal_height = "720"
    c.SlidesExporter.reveal_number = "c/t"
    c.SlidesExporter.anchor_link_text = ""
    c.TemplateExporter.exclude_input = True
    c.TemplateExporter.exclude_input_prompt = True
    c.TemplateExporter.exclude_output_prompt = True
    html, _ = SlidesExporter(config=c).from_notebook_node(nb, resources={"ganad": {"lib": lib}})
    html = merge_notes(html)
    bad = re.findall(r"""<(?:script|link)[^>]+(?:src|href)=["'](?:https?:)?//[^"']+""", html)
    if bad:
        raise BuildError(f"The deck would load files from the network: {bad[:3]}. Serve them from lib/ instead.")
    path = out / "index.html"
    path.write_text(html, encoding="utf-8")
    return path


def merge_notes(html: str) -> str:
    """One ``<aside class="notes">`` per slide: nbconvert writes one per notes cell, and reveal.js joins
    them in its speaker view, but a notes handout, a screen reader or a script that reads a slide's first
    aside would get only the first block (the timing line and "Say:", without the numbers below)."""
    def merge(section: re.Match) -> str:
        text = section.group(0)
        asides = list(re.finditer(r'<aside class="notes">(.*?)</aside>', text, flags=re.S))
        if len(asides) < 2:
            return text
        inner = "".join(a.group(1) for a in asides)
        for a in reversed(asides[1:]):
            text = text[:a.start()] + text[a.end():]
        first = asides[0]
        return text[:first.start()] + f'<aside class="notes">{inner}</aside>' + text[first.end():]
    return re.sub(r"<section\b(?:(?!<section\b).)*?</section>", merge, html, flags=re.S)


def pdf_pages(data: bytes) -> int:
    """Number of pages of a PDF written by Chromium (its page objects are not compressed)."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))


def layout_problems(page: str) -> dict[str, list]:
    """{slide id: problems} that the deck's layout check (static/layout-check.js) wrote on the slides of a
    dumped page: text cut off or over the navigation, a line that should stay one line wrapping, a
    formula split across lines, figure text too small."""
    import html as htmlmod

    problems = {}
    for tag in re.findall(r"<section\b[^>]*>", page):
        m = re.search(r'\bdata-layout-problems="([^"]*)"', tag)
        if m:
            sid = re.search(r'\bid="([^"]*)"', tag)
            problems[sid.group(1) if sid else tag[:60]] = json.loads(htmlmod.unescape(m.group(1)))
    return problems


def print_pdf(html: Path, pdf: Path, chromium: str) -> Path:
    """Print the deck with reveal.js's print-pdf layout (one page a slide) in headless Chromium.

    The page is printed once the deck's layout check has run in the print view (HeadlessPage.open),
    so reveal.js has laid the slides out as pages. The PDF is written to a temporary file and renamed,
    so a failed print never replaces a good PDF from an earlier build.
    """
    with HeadlessPage(chromium) as page:
        data = page.open(html.resolve().as_uri() + "?print-pdf").pdf()
        for sid, problems in layout_problems(page.dom()).items():  # what the PDF would cut or break
            for problem in problems:
                print(f"warning: slide {sid!r} in the PDF: {problem if isinstance(problem, str) else json.dumps(problem)}.",
                      flush=True)
    pages = pdf_pages(data)
    if pages < 2:
        raise BuildError(f"Chromium printed the deck as {pages} page(s): reveal.js's print layout did not start. "
                         f"Open {html.name}?print-pdf in Chrome and print it instead.")
    tmp = pdf.with_name(pdf.name + ".part")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, pdf)
    finally:
        tmp.unlink(missing_ok=True)
    return pdf


def title_options(given: dict, today: datetime.date | None = None) -> dict:
    """The title slide's options: each given value, else its environment variable, else none; the date
    defaults to the day of the build ("2 December 2026"), and "-" leaves it out."""
    opts = {k: (given.get(k) if given.get(k) is not None else os.environ.get(var, "")).strip()
            for k, var in TITLE_OPTIONS.items()}
    if not opts["date"]:
        d = today or datetime.date.today()
        opts["date"] = f"{d.day} {d:%B %Y}"
    elif opts["date"] == "-":
        opts["date"] = ""
    return opts


def build(results: str | os.PathLike | None = None, out: str | os.PathLike = DEFAULT_OUT, *,
          pdf: bool = True, require_pdf: bool = False, title: str | None = None, presenter: str | None = None,
          affiliation: str | None = None, date: str | None = None) -> dict:
    """Build the deck into ``out``; returns {"html", "pdf" (None when skipped), "results", "plan", "seconds"}.

    ``pdf``: print the PDF when a Chromium is found (else a warning); ``require_pdf``: fail without one.
    ``title``, ``presenter``, ``affiliation``, ``date``: the title slide's (default: $GANAD_SLIDES_TITLE,
    ..._PRESENTER, ..._AFFILIATION, ..._DATE; the title defaults to the deck's own).
    """
    t0 = time.perf_counter()
    results = Path(results or os.environ.get("GANAD_SLIDES_RESULTS") or DEFAULT_RESULTS).expanduser().resolve()
    out = Path(out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    copy_assets(out, install_assets())
    if not results.is_file():
        print(f"warning: no results file at {results}: the results slides say how to make one.", flush=True)
    title_opts = title_options({"title": title, "presenter": presenter, "affiliation": affiliation, "date": date})
    missing = [k for k in ("presenter", "affiliation", "date") if not title_opts[k]]
    if missing:
        print(f"note: the title slide shows no {', '.join(missing)} (make slides PRESENTER=\"...\" "
              "AFFILIATION=\"...\" DATE=\"...\").", flush=True)
    nb = execute_deck(results, title=title_opts)
    if title_opts["title"]:
        nb.metadata["title"] = title_opts["title"]
    plan = add_time_plan(nb)
    for problem in plan_problems(nb, plan):
        print(f"warning: {problem}.", flush=True)
    html = export_html(nb, out)
    import nbformat

    nbformat.write(nb, out / DECK.name)
    pdf_path = None
    if pdf or require_pdf:
        chromium = find_chromium()
        if chromium:
            pdf_path = print_pdf(html, out / PDF_NAME, chromium)
        elif require_pdf:
            raise BuildError("No Chromium found for the PDF: install it (Debian: `sudo apt-get install chromium`) "
                             "or set CHROMIUM=/path/to/chrome.")
        else:
            print("warning: no Chromium found, so no PDF (Debian: `sudo apt-get install chromium`, or set "
                  "CHROMIUM=/path/to/chrome); open index.html?print-pdf in Chrome and print to PDF instead.",
                  flush=True)
    return {"html": html, "pdf": pdf_path, "results": results, "plan": plan, "seconds": time.perf_counter() - t0}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--results", default=None,
                   help="runs.csv to show (default: $GANAD_SLIDES_RESULTS, else results/cpu/runs.csv)")
    p.add_argument("--out", default=str(DEFAULT_OUT), help="output folder (default: build/slides)")
    p.add_argument("--no-pdf", action="store_true", help="skip the PDF")
    p.add_argument("--require-pdf", action="store_true", help="fail when no Chromium is found")
    for key, var in TITLE_OPTIONS.items():
        default = ("else the deck's own" if key == "title" else "else the day of the build; - for none" if key == "date"
                   else "else none")
        p.add_argument(f"--{key}", default=None, help=f"the title slide's {key} (default: ${var}, {default})")
    return p.parse_args(argv)


def build_options(a: argparse.Namespace) -> dict:
    """The keyword arguments of :func:`build` for the command line's options."""
    return {"results": a.results, "out": a.out, "pdf": not a.no_pdf, "require_pdf": a.require_pdf,
            **{key: getattr(a, key) for key in TITLE_OPTIONS}}


def main(argv: list[str] | None = None) -> int:
    try:
        r = build(**build_options(parse_args(argv)))
    except BuildError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    print(f"deck: {r['html']}" + (f"\npdf:  {r['pdf']}" if r["pdf"] else "") + f"\nbuilt in {r['seconds']:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
