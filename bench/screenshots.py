"""Screenshots of the web interface's main pages, from a seeded demo portfolio.

    .venv/bin/python bench/screenshots.py [--out docs/screenshots] [--projects 24]

Seeds the demo portfolio of the web tests (tests/service/web/seed.py: real ``steward assess``
documents, a CycloneDX SBOM matched against the shared OSV corpus, cases with Art. 14 clocks)
into a temporary SQLite store, serves it with uvicorn on loopback, and photographs each page
with Debian's chromium through Playwright: 1280x800 for the desktop pages, 390x844 for the
phone ones. Needs /usr/bin/chromium and the shared corpora (../shared/data or
STEWARD_SHARED_DATA).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.service.web.live import CHROMIUM, launch, live_demo  # noqa: E402
from tests.service.web.seed import PASSWORD  # noqa: E402

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def _shrink(path: Path) -> None:
    """Re-save as a 256-colour palette PNG (a third of the size; text stays sharp)."""
    try:
        from PIL import Image
    except ImportError:  # Pillow comes with the documents extra; without it, keep RGB
        return
    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    small.save(path, optimize=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--projects", type=int, default=24, help="extra generated projects")
    args = parser.parse_args()
    if not CHROMIUM.exists():
        print(f"screenshots: chromium not found at {CHROMIUM}", file=sys.stderr)
        return 2
    shared = Path(os.environ.get("STEWARD_SHARED_DATA", ROOT.parent / "shared" / "data"))
    if not shared.is_dir():
        print(f"screenshots: shared corpora not found at {shared}", file=sys.stderr)
        return 2
    args.out.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="steward-shots-") as tmp:
        os.environ["STEWARD_HOME"] = str(Path(tmp) / "home")
        os.environ["STEWARD_CACHE"] = str(Path(tmp) / "cache")
        started = time.perf_counter()
        with live_demo(Path(tmp), shared, extra_projects=args.projects) as (demo, url):
            print(f"seeded in {time.perf_counter() - started:.1f} s; serving {url}")
            widget = demo.world.projects["widget"]
            gadget = demo.world.projects["gadget"]
            a, b = demo.assessments["gadget"]
            shots = [
                ("sign-in", "/sign-in", DESKTOP, None),
                ("dashboard", "/", DESKTOP, "ada"),
                ("gaps", "/gaps", DESKTOP, "ada"),
                ("project", f"/projects/{gadget}", DESKTOP, "ada"),
                ("diff", f"/projects/{gadget}/diff?a={a}&b={b}", DESKTOP, "ada"),
                ("vulnerabilities", f"/projects/{widget}/vulnerabilities", DESKTOP, "ada"),
                ("sbom", f"/sboms/{demo.sboms['widget']}", DESKTOP, "ada"),
                ("cases", "/cases", DESKTOP, "sam"),
                ("case", f"/cases/{demo.overdue_case}", DESKTOP, "sam"),
                ("account", "/account", DESKTOP, "ada"),
                ("jobs", "/jobs", DESKTOP, "ada"),
                ("phone-dashboard", "/", PHONE, "ada"),
                ("phone-case", f"/cases/{demo.overdue_case}", PHONE, "sam"),
            ]
            with sync_playwright() as p:
                browser = launch(p)
                contexts: dict[tuple[str | None, int], object] = {}
                for name, path, viewport, user in shots:
                    key = (user, viewport["width"])
                    context = contexts.get(key)
                    if context is None:
                        context = browser.new_context(
                            base_url=url, viewport=viewport, is_mobile=viewport is PHONE
                        )
                        contexts[key] = context
                        if user:
                            page = context.new_page()
                            page.goto("/sign-in")
                            page.get_by_label("User name").fill(user)
                            page.get_by_label("Password").fill(PASSWORD)
                            page.get_by_role("button", name="Sign in").click()
                            page.wait_for_url(url + "/")
                            page.close()
                    page = context.new_page()
                    page.goto(path)
                    target = args.out / f"{name}.png"
                    page.screenshot(path=str(target))
                    page.close()
                    _shrink(target)
                    print(f"{target.relative_to(ROOT)}  {target.stat().st_size // 1024} KiB")
                browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
