"""Bytes a phone downloads for a page, first visit and repeat visit, in Debian's chromium.

Village buyers are on thin mobile links (issue 14): a product page must cost under 170 KB on a
first visit and under 20 KB on a repeat one. This loads a page as a 390 px phone does, with an
empty cache, and counts every byte that came over the network (Chrome's own count, headers and
compressed bodies: CDP's `Network.loadingFinished` encodedDataLength); then opens it again in
the same browser profile, as a buyer who comes back, where static files come from the cache.

    python -m tests.benchmarks.transfer http://127.0.0.1:8000 [--json var/transfer.json]

finds a village home and a product page from the portal's links and prints a table. The
benchmark (`make bench`) calls `measure_site(base_url)`; tests/browser/test_transfer_sizes.py
holds the limits on the test server.
"""

import argparse
import json
import re
import shutil
import sys
from dataclasses import asdict, dataclass, field
from urllib.parse import urljoin

PHONE = {"width": 390, "height": 844}
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
FIRST_VISIT_LIMIT = 170 * 1024
REPEAT_VISIT_LIMIT = 20 * 1024


@dataclass
class Visit:
    bytes: int = 0
    requests: int = 0
    # (url, bytes) of what came over the network, largest first: what to look at when a page grows.
    largest: list = field(default_factory=list)


@dataclass
class PageTransfer:
    name: str
    url: str
    first: Visit
    repeat: Visit

    def row(self) -> str:
        return (f"{self.name:14} first {self.first.bytes / 1024:7.1f} KB ({self.first.requests:2} requests)  "
                f"repeat {self.repeat.bytes / 1024:6.1f} KB ({self.repeat.requests:2} requests)  {self.url}")


def launch(playwright):
    executable = shutil.which("chromium")
    if executable is None:
        raise RuntimeError("Debian's chromium is not installed (apt-get install chromium)")
    return playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)


def _visit(context, url: str) -> Visit:
    """Open url in a new tab of context and add up what came over the network until it settled."""
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    urls, received = {}, {}
    cdp.on("Network.requestWillBeSent", lambda event: urls.__setitem__(event["requestId"], event["request"]["url"]))
    cdp.on("Network.loadingFinished",
           lambda event: received.__setitem__(event["requestId"], int(event["encodedDataLength"])))
    cdp.send("Network.enable")
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    page.close()
    over_network = sorted(((urls.get(rid, "?"), size) for rid, size in received.items() if size > 0),
                          key=lambda pair: -pair[1])
    return Visit(bytes=sum(size for _, size in over_network), requests=len(over_network), largest=over_network[:8])


def page_transfer(browser, url: str, *, name: str = "", java_script_enabled: bool = True) -> PageTransfer:
    """A first visit with an empty cache, then a repeat visit in the same profile."""
    context = browser.new_context(viewport=PHONE, locale="id-ID", java_script_enabled=java_script_enabled)
    try:
        first = _visit(context, url)
        repeat = _visit(context, url)
    finally:
        context.close()
    return PageTransfer(name=name or url, url=url, first=first, repeat=repeat)


def site_pages(browser, base_url: str) -> dict[str, str]:
    """The portal, its first village home and first product, from the portal's own links."""
    portal = urljoin(base_url, "/")
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(portal)
        hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))")
    finally:
        context.close()
    village = next(h for h in hrefs if re.fullmatch(r"/kampung/[^/]+/", h))
    product = next(h for h in hrefs if re.fullmatch(r"/toko/catalogue/[^/]+_\d+/", h))
    return {"portal": portal, "village home": urljoin(base_url, village), "product page": urljoin(base_url, product)}


def measure_site(base_url: str, pages: dict[str, str] | None = None) -> list[PageTransfer]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            pages = pages or site_pages(browser, base_url)
            return [page_transfer(browser, url, name=name) for name, url in pages.items()]
        finally:
            browser.close()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base_url")
    parser.add_argument("--json", help="also write the figures here")
    args = parser.parse_args(argv)
    results = measure_site(args.base_url)
    for result in results:
        print(result.row())
    if args.json:
        with open(args.json, "w") as out:
            json.dump([asdict(result) for result in results], out, indent=2)
    over = [r for r in results if r.first.bytes > FIRST_VISIT_LIMIT or r.repeat.bytes > REPEAT_VISIT_LIMIT]
    for result in over:
        print(f"over the limit: {result.name}", file=sys.stderr)
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
