"""make bench: every page served as `make run` serves it, driven by wrk, beside the ceiling.

    python -m tests.benchmarks.load [--seconds 8] [--connections 8]

Runs against the database the environment names (make bench: PASAR_VAR_DIR=var/bench, the
benchmark's own embedded PostgreSQL with manage.py bench_data's scale data; the small mode in
make test: a copy of the test database). It starts gunicorn with make run's flags (2 workers x
4 threads) and BENCH_CEILING=1, whose /bench/ceiling/ answers without a query through all the
middleware: the most this machine serves. Each page gets a short warm-up, then wrk with 8
connections: requests/s, p50, p99, responses that were not 2xx/3xx. A checkout that places an
order is a journey of several POSTs, so 8 Python threads walk it (add to basket, the form, the
review, "Pesan sekarang" by bank transfer) and the placing POST is timed. SQL queries per
request are counted in this process with Django's test client on the same database, and the
workers' resident memory is sampled from /proc while each page runs. The table is printed and
written to var/bench.json and var/bench.md (--json, --md).
"""

import argparse
import http.cookiejar
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent
GUNICORN_FLAGS = ["--workers", "2", "--threads", "4"]  # make run's
DEMO_VILLAGE = "14.08.08.2001"  # Bunga Raya: the demo's shop with news, services and online letters
BUYER_VILLAGE = "14.08.01.1001"  # where the checkout's parcels go
ACCEPT = {"Accept-Encoding": "gzip, deflate", "Accept-Language": "id"}


class NotFound(Exception):
    """A page the database cannot offer (e.g. no signed letter yet): skipped, and said so."""


# --- what to measure -------------------------------------------------------------------------

def pages() -> dict[str, str]:
    """Label -> address of each page, found in the database (Django is set up)."""
    from django.urls import reverse
    from oscar.core.loading import get_model

    from cms.letters.models import IssuedLetter
    from cms.letters.selectors import verification_path
    from cms.models import KampungHomePage, NewsPage, ServicePage, StorefrontPage
    from shops.models import Bumkam

    Category = get_model("catalogue", "Category")
    Product = get_model("catalogue", "Product")
    shop = Bumkam.objects.select_related("kampung__kecamatan").get(kampung__code=DEMO_VILLAGE)
    home = KampungHomePage.objects.get(kampung=shop.kampung)
    product = (Product.objects.filter(stockrecords__partner=shop.partner, stockrecords__num_in_stock__gt=0)
               .order_by("-pk").first())
    category = next(c for c in Category.objects.order_by("path") if c.name == "Keripik")
    found = {
        "ceiling": "/bench/ceiling/",
        "portal": "/",
        "village home": home.url,
        "catalogue": reverse("catalogue:index"),
        "category": category.get_absolute_url(),
        "product page": product.get_absolute_url(),
        "village storefront": StorefrontPage.objects.child_of(home).live().get().url,
        "search with facets": f"/toko/search/?q=keripik&kecamatan={shop.kampung.kecamatan.code}",
        "basket": reverse("basket:summary"),
        "news page": _first_url(NewsPage.objects.descendant_of(home).live().order_by("-pk")),
        "service page": _first_url(ServicePage.objects.descendant_of(home).live().order_by("pk")),
        "letter request form": _first_url(ServicePage.objects.live().exclude(online_letter="").order_by("pk"),
                                          suffix="ajukan/"),
    }
    letter = IssuedLetter.objects.order_by("pk").first()
    found["letter verification"] = verification_path(letter.verification_code) if letter else None
    return found


def _first_url(pages, suffix=""):
    page = pages.first()
    return page.url + suffix if page else None


def checkout_goods(count: int = 12):
    """Goods of the demo village's shop for the checkout journeys, with stock for every run
    (this is the benchmark's own database: each placed order reserves stock)."""
    from django.db.models import F
    from django.db.models.functions import Coalesce
    from oscar.core.loading import get_model

    from shops.models import Bumkam

    StockRecord = get_model("partner", "StockRecord")
    shop = Bumkam.objects.get(kampung__code=DEMO_VILLAGE)
    records = list(StockRecord.objects.filter(partner=shop.partner, price__isnull=False)
                   .order_by("pk")[:count])
    StockRecord.objects.filter(pk__in=[r.pk for r in records]).update(
        num_in_stock=Coalesce(F("num_allocated"), 0) + 100_000)
    return shop.pk, [(r.product_id, r.product.get_absolute_url()) for r in records]


def scale() -> dict:
    from oscar.core.loading import get_model

    from marketplace.checkout.models import Checkout
    from shops.models import Kampung

    return {"products": get_model("catalogue", "Product").objects.count(),
            "kampung": Kampung.objects.filter(home_page__isnull=False).count(),
            "orders": Checkout.objects.count()}


# --- SQL queries per request, in this process -----------------------------------------------

def _rendered_queries(client, found) -> dict[str, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for label, url in found.items():
        if url is None or label in ("ceiling", "basket"):
            continue
        client.get(url)  # once for the caches a running worker has warm
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        counts[label] = len(queries)
    return counts


def count_queries(found: dict[str, str], shop_pk: int, goods) -> dict[str, int]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from django.test import override_settings

    counts = {}
    client = Client(HTTP_HOST="127.0.0.1")
    with override_settings(PAGE_CACHE_SECONDS=0):  # what rendering a page costs, not a stored copy
        counts.update(_rendered_queries(client, found))
    product_id, _url = goods[0]
    client.post(f"/toko/basket/add/{product_id}/", {"quantity": 1})
    client.get(found["basket"])
    with CaptureQueriesContext(connection) as queries:
        client.get(found["basket"])
    counts["basket"] = len(queries)
    form = client.post("/toko/checkout/", _checkout_form(shop_pk))
    assert form.status_code == 302, f"the checkout form answered {form.status_code}"
    review = client.get("/toko/checkout/ringkasan/").content.decode()
    with CaptureQueriesContext(connection) as queries:
        placed = client.post("/toko/checkout/ringkasan/", {"amount_due": AMOUNT.search(review).group(1)})
    assert placed.status_code == 302, f"placing answered {placed.status_code}"
    counts["checkout (place order)"] = len(queries)
    if "ceiling" in found:
        with CaptureQueriesContext(connection) as queries:
            Client(HTTP_HOST="127.0.0.1").get(found["ceiling"])
        counts["ceiling"] = len(queries)
    return counts


def _checkout_form(shop_pk: int) -> dict:
    return {"name": "Siti Aminah", "phone": "081234567890", "email": "siti@contoh.id",
            "line1": "Jl. Sultan Syarif Kasim No. 5", "village_code": BUYER_VILLAGE, "postcode": "28773",
            f"shipping_{shop_pk}": "courier", "payment_method": "bank_transfer"}


# --- the server --------------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn as make run starts it (its access log thrown away rather than printed)."""

    def __init__(self, env: dict):
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "marketplace.wsgi", "--bind", f"127.0.0.1:{self.port}",
             *GUNICORN_FLAGS, "--access-logfile", "-", "--error-logfile", "-"],
            cwd=BASE_DIR, env={**env, "BENCH_CEILING": "1"},
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(f"{self.url}/bench/ceiling/", timeout=5)
                return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError("gunicorn did not start: " + (self.process.stderr.read() or "")[-2000:])
                time.sleep(0.3)

    def workers(self) -> list[int]:
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(pid) for pid in path.read_text().split()]
        except OSError:
            return []

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()


class MemoryPeak:
    """Samples the workers' resident memory while a page is driven: the highest total and worker."""

    def __init__(self, server: Server):
        self.server, self.total, self.worker = server, 0, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def _run(self):
        while True:
            sizes = [_rss_kb(pid) for pid in self.server.workers()]
            self.total, self.worker = max(self.total, sum(sizes)), max([self.worker, *sizes])
            if self._stop.wait(0.25):
                return


def _memory(memory: MemoryPeak) -> dict:
    return {"peak_workers_rss_mb": round(memory.total / 1024, 1), "peak_worker_rss_mb": round(memory.worker / 1024, 1)}


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


# --- driving it --------------------------------------------------------------------------------

def _client(cookies=None):
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    jar = cookies if cookies is not None else http.cookiejar.CookieJar()
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect), jar


def _fetch(opener, url, data=None):
    """(status, body, location) without following redirects."""
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    try:
        with opener.open(urllib.request.Request(url, data=body), timeout=30) as response:
            return response.status, response.read().decode("utf-8", "replace"), ""
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace"), error.headers.get("Location", "")


TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
AMOUNT = re.compile(r'name="amount_due" value="(\d+)"')


def basket_cookie(server: Server, product_url: str, product_id: int) -> str:
    """A visitor's basket with one product in it, as the Cookie header wrk sends."""
    opener, jar = _client()
    _status, html, _ = _fetch(opener, server.url + product_url)
    _fetch(opener, f"{server.url}/toko/basket/add/{product_id}/",
           {"quantity": 1, "csrfmiddlewaretoken": TOKEN.search(html).group(1)})
    return "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar)


def wrk(url: str, *, seconds: int, connections: int, threads: int, cookie: str = "") -> dict:
    headers = [*(f"{k}: {v}" for k, v in ACCEPT.items()), *([f"Cookie: {cookie}"] if cookie else [])]
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s",
               *(arg for header in headers for arg in ("-H", header)), url]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    try:
        return parse_wrk(output)
    except (AttributeError, KeyError) as error:
        raise RuntimeError(f"wrk's output not understood:\n{output}") from error


def parse_wrk(output: str) -> dict:
    def duration(text):
        value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60_000}[unit]

    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", output, re.MULTILINE))
    requests = re.search(r"^\s+(\d+) requests in", output, re.MULTILINE)
    failed = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50_ms": round(duration(latency["50"]), 2), "p99_ms": round(duration(latency["99"]), 2),
        "requests": int(requests.group(1)),
        "failed": int(failed.group(1)) if failed else 0,
        "socket_errors": sum(map(int, socket_errors.groups())) if socket_errors else 0,
    }


def checkout_journeys(server: Server, *, shop_pk: int, goods, seconds: float, connections: int) -> dict:
    """8 buyers, each in a loop: add to basket, the form, the review, then "Pesan sekarang" (timed)."""
    stop_at = time.monotonic() + seconds
    timings, failures, placed, lock = [], [], [0], threading.Lock()

    def buyer(number: int):
        while time.monotonic() < stop_at:
            opener, _jar = _client()
            product_id, product_url = goods[(number + placed[0]) % len(goods)]
            try:
                status, html, _ = _fetch(opener, server.url + product_url)
                token = TOKEN.search(html).group(1)
                _fetch(opener, f"{server.url}/toko/basket/add/{product_id}/",
                       {"quantity": 1 + number % 3, "csrfmiddlewaretoken": token})
                status, html, _ = _fetch(opener, f"{server.url}/toko/checkout/")
                status, _html, location = _fetch(opener, f"{server.url}/toko/checkout/", {
                    **_checkout_form(shop_pk), "csrfmiddlewaretoken": TOKEN.search(html).group(1)})
                if status != 302:
                    raise AssertionError(f"checkout form answered {status}")
                status, html, _ = _fetch(opener, server.url + location)
                start = time.perf_counter()
                status, _html, location = _fetch(opener, server.url + location, {
                    "amount_due": AMOUNT.search(html).group(1), "csrfmiddlewaretoken": TOKEN.search(html).group(1)})
                took = (time.perf_counter() - start) * 1000
                if status != 302 or "/toko/pesanan/" not in location:
                    raise AssertionError(f"placing answered {status} {location}")
                with lock:
                    timings.append(took)
                    placed[0] += 1
            except (AssertionError, AttributeError, OSError) as error:
                with lock:
                    failures.append(str(error))

    threads = [threading.Thread(target=buyer, args=(n,)) for n in range(connections)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    timings.sort()
    return {
        "rps": round(len(timings) / elapsed, 2),
        "p50_ms": round(statistics.median(timings), 2) if timings else None,
        "p99_ms": round(timings[min(len(timings) - 1, int(len(timings) * 0.99))], 2) if timings else None,
        "requests": len(timings), "failed": len(failures), "socket_errors": 0,
        "errors": sorted(set(failures))[:3],
    }


# --- the table ---------------------------------------------------------------------------------

COLUMNS = ("page", "req/s", "p50 ms", "p99 ms", "stored", "SQL rendered", "failed", "peak worker RSS MB", "% ceiling")


def table_rows(result: dict) -> list[tuple]:
    ceiling = next((row["rps"] for row in result["pages"] if row["page"] == "ceiling"), None)
    rows = []
    for row in result["pages"]:
        share = f"{100 * row['rps'] / ceiling:.1f}" if ceiling and row.get("rps") is not None else ""
        rows.append((row["page"], _num(row.get("rps")), _num(row.get("p50_ms")), _num(row.get("p99_ms")),
                     "yes" if row.get("stored") else "", _num(row.get("queries")), _num(row.get("failed")), _num(row.get("peak_worker_rss_mb")), share))
    return rows


def _num(value):
    if value is None:
        return "–"
    return f"{value:,.1f}" if isinstance(value, float) else f"{value:,}"


def markdown(result: dict) -> str:
    meta = result["meta"]
    lines = [f"{meta['products']:,} products, {meta['kampung']:,} kampung sites, {meta['orders']:,} checkouts; "
             f"wrk -t{meta['threads']} -c{meta['connections']} -d{meta['seconds']}s per page, gunicorn "
             f"{' '.join(GUNICORN_FLAGS)}, {meta['cpus']} CPUs, {meta['date']} ({meta['commit']})", "",
             "| " + " | ".join(COLUMNS) + " |", "|" + " --- |" * len(COLUMNS)]
    lines += ["| " + " | ".join(map(str, row)) + " |" for row in table_rows(result)]
    if result.get("transfer"):
        lines += ["", "Transferred on a 390 px phone (chromium): first visit / repeat visit", "",
                  "| page | first KB | repeat KB |", "| --- | --- | --- |"]
        lines += [f"| {t['page']} | {t['first_kb']} | {t['repeat_kb']} |" for t in result["transfer"]]
    if result.get("lighthouse"):
        lines += ["", "Lighthouse, phone profile", "", "| page | performance | accessibility |", "| --- | --- | --- |"]
        lines += [f"| {r['page']} | {r['performance']} | {r['accessibility']} |" if not r.get("error")
                  else f"| {r['page']} | failed: {r['error'][:120]} | |" for r in result["lighthouse"]]
    return "\n".join(lines) + "\n"


def text_table(result: dict) -> str:
    rows = [COLUMNS, *table_rows(result)]
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(COLUMNS))]
    return "\n".join("  ".join(str(cell).rjust(width) if i else str(cell).ljust(width)
                               for i, (cell, width) in enumerate(zip(row, widths))) for row in rows)


# --- the run -----------------------------------------------------------------------------------

def run(*, seconds: int, connections: int, threads: int, warmup: int = 8, browser: bool = False,
        lighthouse: bool = False) -> dict:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings.base")
    os.environ["BENCH_CEILING"] = "1"  # this process counts the ceiling's queries too
    django.setup()
    from django.db import connection

    shop_pk, goods = checkout_goods()
    found = pages()
    queries = count_queries(found, shop_pk, goods)
    meta = {**scale(), "seconds": seconds, "connections": connections, "threads": threads,
            "cpus": os.cpu_count(), "date": time.strftime("%Y-%m-%d %H:%M %Z"), "commit": _commit()}
    connection.close()  # the server's workers get the database to themselves

    result = {"meta": meta, "pages": []}
    server = Server(dict(os.environ))
    try:
        cookie = basket_cookie(server, goods[0][1], goods[0][0])
        for label, url in found.items():
            row = {"page": label, "url": url, "queries": queries.get(label)}
            if url is None:
                row["skipped"] = "nothing to show in this database"
                result["pages"].append(row)
                continue
            page_cookie = cookie if label == "basket" else ""
            request = urllib.request.Request(server.url + url, headers={**ACCEPT, "Cookie": page_cookie})
            try:
                status, stored = urllib.request.urlopen(request, timeout=120).status, False
            except urllib.error.HTTPError as error:
                status, stored = error.code, False
            row["status"] = status
            for _ in range(warmup):
                with urllib.request.urlopen(request, timeout=120) as response:
                    response.read()
                    # served whole from the page cache to anonymous visitors
                    stored = response.headers.get("X-Page-Cache") == "stored"
            row["stored"] = stored
            with MemoryPeak(server) as memory:
                row.update(wrk(server.url + url, seconds=seconds, connections=connections, threads=threads,
                               cookie=page_cookie))
            row.update(_memory(memory))
            result["pages"].append(row)
            print(f"  {label:<22} {row['rps']:>9.1f} req/s  p50 {row['p50_ms']:>8.2f} ms  p99 {row['p99_ms']:>8.2f} ms",
                  flush=True)
        row = {"page": "checkout (place order)", "url": "/toko/checkout/ringkasan/",
               "queries": queries.get("checkout (place order)"), "status": 302}
        with MemoryPeak(server) as memory:
            row.update(checkout_journeys(server, shop_pk=shop_pk, goods=goods, seconds=seconds,
                                         connections=connections))
        row.update(_memory(memory))
        result["pages"].append(row)
        if browser:  # what a phone downloads, first visit and repeat (Debian's chromium)
            from .transfer import measure_site

            result["transfer"] = [{"page": t.name, "url": t.url, "first_kb": round(t.first.bytes / 1024, 1),
                                   "repeat_kb": round(t.repeat.bytes / 1024, 1)} for t in measure_site(server.url)]
        if lighthouse:  # Lighthouse from npm on Debian's chromium, phone profile
            from .lighthouse import run_site

            result["lighthouse"] = [{"page": name, "url": r["url"], "performance": r["performance"],
                                     "accessibility": r["accessibility"], "error": r.get("error", "")}
                                    for name, r in run_site(server.url).items()]
    finally:
        server.stop()
    return result


def _commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=BASE_DIR, capture_output=True,
                              text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "?"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("BENCH_SECONDS", 8)))
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--warmup", type=int, default=8, help="requests to each page before wrk")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--browser", action="store_true", help="also measure bytes transferred in chromium")
    parser.add_argument("--lighthouse", action="store_true", help="also run Lighthouse (npm) on three pages")
    parser.add_argument("--json", default=str(BASE_DIR / "var" / "bench.json"))
    parser.add_argument("--md", default=str(BASE_DIR / "var" / "bench.md"))
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        print("wrk is not installed (make bench installs Debian's wrk with apt-get as root).", file=sys.stderr)
        return 2
    result = run(seconds=max(1, args.seconds), connections=args.connections, threads=args.threads,
                 warmup=args.warmup, browser=args.browser, lighthouse=args.lighthouse)
    for path, text in ((args.json, json.dumps(result, indent=2, ensure_ascii=False)), (args.md, markdown(result))):
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_text(text + ("\n" if not text.endswith("\n") else ""))
    print()
    print(markdown(result).splitlines()[0])
    print(text_table(result))
    for t in result.get("transfer", []):
        print(f"{t['page']:14} transferred: first visit {t['first_kb']:6.1f} KB, repeat {t['repeat_kb']:5.1f} KB")
    for r in result.get("lighthouse", []):
        print(f"{r['page']:14} Lighthouse: performance {r['performance']}, accessibility {r['accessibility']}")
    print(f"\n{args.json}, {args.md}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
