"""Lighthouse's performance and accessibility scores of the pages a village buyer opens first.

Issue 14 asks for 90 or more on a phone for the portal, a village home and a product page.
Lighthouse comes from npm (pinned below, installed once into var/lighthouse) and runs on
Debian's chromium, headless, with its default mobile profile (a mid-range phone on a slow
4G link, simulated):

    python -m tests.benchmarks.lighthouse http://127.0.0.1:8000 [--json var/lighthouse.json]

prints a table and writes each page's full report next to the JSON
(var/lighthouse-<page>.json). The pages are found as tests/benchmarks/transfer.py finds
them, from the portal's links. `make bench` calls `run_site(base_url)`.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.benchmarks.transfer import launch, site_pages

LIGHTHOUSE_VERSION = "13.5.0"
TOOL_DIR = Path(__file__).resolve().parents[2] / "var" / "lighthouse"
CATEGORIES = ("performance", "accessibility")
TARGET = 90
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run"


def lighthouse_bin() -> Path:
    """Lighthouse from npm, pinned, installed on first use (npm needs the registry once)."""
    binary = TOOL_DIR / "node_modules" / ".bin" / "lighthouse"
    package = TOOL_DIR / "node_modules" / "lighthouse" / "package.json"
    if not package.exists() or json.loads(package.read_text())["version"] != LIGHTHOUSE_VERSION:
        if shutil.which("npm") is None:
            raise RuntimeError("npm is not installed (apt-get install npm)")
        TOOL_DIR.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--prefix", str(TOOL_DIR), "--no-audit", "--no-fund", "--loglevel=error",
                        f"lighthouse@{LIGHTHOUSE_VERSION}"], check=True)
    return binary


def audit(url: str, report_path: Path) -> dict:
    """Lighthouse's scores (0-100) for url; its whole report is left at report_path."""
    chromium = shutil.which("chromium")
    if chromium is None:
        raise RuntimeError("Debian's chromium is not installed (apt-get install chromium)")
    command = [str(lighthouse_bin()), url, "--quiet", "--output=json", f"--output-path={report_path}",
               f"--only-categories={','.join(CATEGORIES)}", "--form-factor=mobile", f"--chrome-flags={CHROME_FLAGS}"]
    for attempt in range(2):  # a headless chromium now and then fails to start on a busy machine
        run = subprocess.run(command, env={**os.environ, "CHROME_PATH": chromium}, capture_output=True, text=True)
        if run.returncode == 0:
            break
    else:
        raise RuntimeError(f"Lighthouse failed on {url}: {(run.stderr or run.stdout).strip()[-400:]}")
    report = json.loads(report_path.read_text())
    return {name: round(report["categories"][name]["score"] * 100) for name in CATEGORIES}


def failing_audits(report_path: Path, category: str) -> list[str]:
    """The audits that cost points in category, heaviest first: what to fix next."""
    report = json.loads(report_path.read_text())
    refs = report["categories"][category]["auditRefs"]
    audits = report["audits"]
    lost = [(ref["weight"] * (1 - (audits[ref["id"]]["score"] or 0)), ref["id"]) for ref in refs
            if ref["weight"] and audits[ref["id"]]["score"] is not None and audits[ref["id"]]["score"] < 1]
    return [f"{name} ({audits[name].get('displayValue') or audits[name]['score']})"
            for _, name in sorted(lost, reverse=True)]


def run_site(base_url: str, out_dir: Path = TOOL_DIR.parent) -> dict[str, dict]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            pages = site_pages(browser, base_url)
        finally:
            browser.close()
    results = {}
    for name, url in pages.items():
        report_path = out_dir / f"lighthouse-{name.replace(' ', '-')}.json"
        try:
            scores = audit(url, report_path)
        except RuntimeError as error:
            results[name] = {"url": url, "error": str(error), **{category: 0 for category in CATEGORIES},
                             "lost": {category: [] for category in CATEGORIES}}
            continue
        results[name] = {"url": url, **scores, "report": str(report_path),
                         "lost": {category: failing_audits(report_path, category)[:5] for category in CATEGORIES}}
    return results


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base_url")
    parser.add_argument("--json", help="also write the scores here")
    parser.add_argument("--why", action="store_true", help="list the audits that cost points")
    args = parser.parse_args(argv)
    results = run_site(args.base_url)
    for name, result in results.items():
        print(f"{name:14} performance {result['performance']:3}  accessibility {result['accessibility']:3}  {result['url']}")
        if result.get("error"):
            print(f"{'':16}{result['error']}")
        if args.why:
            for category in CATEGORIES:
                for line in result["lost"][category]:
                    print(f"{'':16}{category}: {line}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
    below = [name for name, result in results.items() if min(result[c] for c in CATEGORIES) < TARGET]
    if below:
        print(f"below {TARGET}: {', '.join(below)}", file=sys.stderr)
    return 1 if below else 0


if __name__ == "__main__":
    sys.exit(main())
