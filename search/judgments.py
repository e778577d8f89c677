"""A judged set of buyer queries over the Siak demo, and the measures of an engine on it.

Each query lists what a person typing it expects, graded 2 (what they asked for) or 1 (fair
to show, not the point), by the stock record's SKU, which the demo writes as
"<kampung code>-<product key>" (cms.demo: "14.08.06.2001-madu-sialang"). Patterns are
shell globs over that SKU, so "*-madu-sialang" is every shop's Madu Sialang and
"14.08.06.*" everything sold in Kecamatan Dayun; a SKU takes the highest grade of the
patterns it matches. The set stays true whichever shops the demo's seed gives which goods.

The measures (`evaluate`), all of the first page a buyer sees:
- recall@10: of the products asked for (grade 2), the share found in the first 10, out of
  the most that could fit (min(10, asked for)): 'madu' asks for 17 products, and 10 of
  them in the first 10 is all a page can show;
- precision@5: of the first five shown (or fewer, when fewer were found), the share
  expected at all (grade 1 or 2); nothing found is 0;
- nDCG@10: the order, with gain 2**grade - 1 and the ideal order of every expected product.
"""

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from statistics import mean

from oscar.core.loading import get_model

StockRecord = get_model("partner", "StockRecord")
K = 10
P = 5


@dataclass(frozen=True)
class Judgment:
    query: str
    kind: str  # variant, typo, place, category, attribute, multi
    expected: dict[str, int]  # SKU glob -> grade (2 asked for, 1 fair to show); a later key wins

    def grade(self, sku: str) -> int:
        return max((grade for pattern, grade in self.expected.items() if fnmatchcase(sku, pattern)), default=0)


def _keys(*keys: str, grade: int = 2) -> dict[str, int]:
    return {f"*-{key}": grade for key in keys}


CHIPS = ("keripik-nenas", "keripik-pisang", "keripik-ubi")
PINEAPPLE = ("keripik-nenas", "dodol-nenas", "selai-nenas", "sirup-nenas")
HONEY = ("madu-sialang", "madu-kelulut")
COFFEE = ("kopi-robusta", "kopi-liberika")
SMOKED_FISH = ("salai-selais", "salai-baung", "salai-patin")
CRAFTS = ("tenun-songket", "selendang-tenun", "tanjak", "batik-tabir", "tikar-pandan", "tas-pandan",
          "miniatur-istana")
DRINKS = ("sirup-nenas", *HONEY, *COFFEE, "teh-serai", "jahe-merah")
SNACKS = (*CHIPS, "dodol-nenas", "lempuk-durian", "selai-nenas", "kerupuk-ikan", "rempeyek", "bolu-kemojo",
          "kue-bangkit")
STAPLES = ("beras", "beras-merah", "gula-aren", "gula-semut", "sagu-lemak")
HALAL = (*SNACKS, *DRINKS, "gula-aren", "gula-semut", "sagu-lemak", *SMOKED_FISH, "udang-kering", "terasi")
PIRT = (*SNACKS, "sirup-nenas", *COFFEE, "teh-serai", "jahe-merah", "gula-aren", "gula-semut", "sagu-lemak",
        "terasi")


def _places(*codes: str, grade: int = 2) -> dict[str, int]:
    """Everything sold in a kampung ("14.08.08.2001") or a kecamatan ("14.08.08")."""
    return {f"{code}-*" if code.count(".") == 3 else f"{code}.*": grade for code in codes}


JUDGMENTS: tuple[Judgment, ...] = (
    # spelling variants (synonyms.txt)
    Judgment("kripik", "variant", _keys(*CHIPS)),
    Judgment("kerepek", "variant", _keys(*CHIPS)),
    Judgment("nanas", "variant", _keys(*PINEAPPLE)),
    Judgment("krupuk", "variant", {**_keys("kerupuk-ikan"), **_keys("rempeyek", grade=1)}),
    Judgment("trasi", "variant", {**_keys("terasi"), **_keys("udang-kering", grade=1)}),
    Judgment("belacan", "variant", {**_keys("terasi"), **_keys("udang-kering", grade=1)}),
    Judgment("lempok", "variant", {**_keys("lempuk-durian"), **_keys("dodol-nenas", grade=1)}),
    Judgment("honey", "variant", _keys(*HONEY)),
    Judgment("coffee", "variant", _keys(*COFFEE)),
    Judgment("souvenir", "variant", {**_keys(*CRAFTS, grade=1), **_keys("miniatur-istana")}),
    Judgment("ikan asap", "variant", _keys(*SMOKED_FISH)),
    # one typo
    Judgment("kerupk", "typo", {**_keys("kerupuk-ikan"), **_keys("rempeyek", grade=1)}),
    Judgment("kopii", "typo", _keys(*COFFEE)),
    Judgment("keripk", "typo", _keys(*CHIPS)),
    Judgment("maduu", "typo", _keys(*HONEY)),
    Judgment("songkt", "typo", {**_keys("tenun-songket"), **_keys("tanjak", "selendang-tenun", grade=1)}),
    Judgment("durain", "typo", _keys("lempuk-durian")),
    Judgment("pandna", "typo", {**_keys("tikar-pandan", "tas-pandan"), **_keys("bolu-kemojo", grade=1)}),
    Judgment("selasi", "typo", {**_keys("salai-selais"), **_keys("kerupuk-ikan", "selai-nenas", grade=1)}),
    # kampung and kecamatan names
    Judgment("bunga raya", "place", {**_places("14.08.08.2001"), **_places("14.08.08", grade=1),
                                     **_keys("beras", grade=1)}),
    Judgment("kerinci kanan", "place", {**_places("14.08.07.2001"), **_keys("keripik-nenas", grade=1)}),
    Judgment("dayun", "place", {**_places("14.08.06.2001"), **_places("14.08.06", grade=1)}),
    Judgment("sialang sakti", "place", {**_places("14.08.06.2011"), **_keys("madu-sialang", grade=1)}),
    Judgment("tualang", "place", _places("14.08.04.2002")),
    Judgment("langkai", "place", _places("14.08.01.2003")),
    Judgment("sungai apit", "place", {**_places("14.08.02"), **_keys("terasi", grade=1)}),
    Judgment("mempura", "place", _places("14.08.13")),
    Judgment("koto gasib", "place", _places("14.08.09")),
    Judgment("pusako", "place", _places("14.08.14")),
    Judgment("lubuk dalam", "place", _places("14.08.11")),
    Judgment("kandis", "place", _places("14.08.10")),
    # categories
    Judgment("kerajinan", "category", _keys(*CRAFTS)),
    Judgment("minuman", "category", _keys(*DRINKS)),
    Judgment("makanan ringan", "category", _keys(*SNACKS)),
    Judgment("bahan pangan", "category", _keys(*STAPLES)),
    Judgment("anyaman", "category", _keys("tikar-pandan", "tas-pandan")),
    Judgment("cendera mata", "category", {**_keys(*CRAFTS, grade=1), **_keys("miniatur-istana")}),
    Judgment("busana melayu", "category", {**_keys("tanjak", "batik-tabir"),
                                           **_keys("tenun-songket", "selendang-tenun", grade=1)}),
    Judgment("kue", "category", _keys("bolu-kemojo", "kue-bangkit")),
    Judgment("ikan", "category", {**_keys(*SMOKED_FISH, "kerupuk-ikan"), **_keys("udang-kering", "terasi", grade=1)}),
    Judgment("sagu", "category", _keys("sagu-lemak", "kue-bangkit")),
    # attributes
    Judgment("halal", "attribute", _keys(*HALAL)),
    Judgment("p-irt", "attribute", _keys(*PIRT)),
    Judgment("organik", "attribute", _keys("beras-merah")),
    Judgment("madu halal", "attribute", _keys(*HONEY)),
    # several words
    Judgment("kripik nanas siak", "multi", _keys("keripik-nenas")),
    Judgment("madu sialang", "multi", {**_keys("madu-sialang"), **_keys("madu-kelulut", grade=1)}),
    Judgment("oleh-oleh", "multi", {**_keys(*SNACKS, "miniatur-istana", "tanjak", grade=1),
                                    **_keys("kue-bangkit")}),
    Judgment("gula aren", "multi", {**_keys("gula-aren", "gula-semut"), **_keys("jahe-merah", grade=1)}),
    Judgment("ikan salai", "multi", _keys(*SMOKED_FISH)),
    Judgment("kopi siak", "multi", _keys(*COFFEE)),
    Judgment("kain tenun", "multi", {**_keys("tenun-songket"), **_keys("selendang-tenun", "batik-tabir", grade=1)}),
    Judgment("teh serai", "multi", {**_keys("teh-serai"), **_keys("jahe-merah", grade=1)}),
    Judgment("salai patin", "multi", {**_keys("salai-patin"), **_keys("salai-selais", "salai-baung", grade=1)}),
    Judgment("udang kering", "multi", {**_keys("udang-kering"), **_keys("terasi", grade=1)}),
    Judgment("keripik pisang", "multi", {**_keys("keripik-pisang"), **_keys("keripik-nenas", "keripik-ubi", grade=1)}),
    Judgment("beras merah", "multi", {**_keys("beras-merah"), **_keys("beras", grade=1)}),
    Judgment("tikar pandan", "multi", {**_keys("tikar-pandan"), **_keys("tas-pandan", grade=1)}),
    Judgment("dodol nanas", "multi", {**_keys("dodol-nenas"), **_keys("lempuk-durian", grade=1)}),
    Judgment("gula semut", "multi", {**_keys("gula-semut"), **_keys("gula-aren", grade=1)}),
    Judgment("madu dayun", "multi", {"14.08.06.*-madu-*": 2, **_keys(*HONEY, grade=1)}),
)


@dataclass(frozen=True)
class QueryScore:
    judgment: Judgment
    found: list[str]  # SKUs of the first K results, in order
    recall: float
    precision: float
    ndcg: float

    def describe(self) -> str:
        shown = ", ".join(f"{sku}{'' if self.judgment.grade(sku) else ' (x)'}" for sku in self.found) or "nothing"
        return (f"{self.judgment.query!r} [{self.judgment.kind}] recall@10 {self.recall:.2f} "
                f"precision@5 {self.precision:.2f} nDCG@10 {self.ndcg:.2f}: {shown}")


@dataclass(frozen=True)
class Evaluation:
    scores: list[QueryScore] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return mean(score.recall for score in self.scores)

    @property
    def precision(self) -> float:
        return mean(score.precision for score in self.scores)

    @property
    def ndcg(self) -> float:
        return mean(score.ndcg for score in self.scores)

    def summary(self) -> str:
        return (f"{len(self.scores)} queries: recall@10 {self.recall:.3f}, precision@5 {self.precision:.3f}, "
                f"nDCG@10 {self.ndcg:.3f}")


def score(judgment: Judgment, found: list[str], catalogue: Iterable[str]) -> QueryScore:
    """The three measures of one query, `found` being the SKUs shown first, `catalogue`
    every SKU for sale (what an ideal engine could have shown)."""
    grades = [judgment.grade(sku) for sku in found[:K]]
    ideal = sorted((grade for grade in map(judgment.grade, catalogue) if grade), reverse=True)
    asked = ideal.count(2)
    recall = sum(1 for grade in grades if grade == 2) / min(K, asked) if asked else 0.0
    top = grades[:P]
    precision = sum(1 for grade in top if grade) / len(top) if top else 0.0

    def dcg(gains):
        return sum((2 ** grade - 1) / math.log2(rank + 2) for rank, grade in enumerate(gains[:K]))

    ndcg = dcg(grades) / dcg(ideal) if ideal else 0.0
    return QueryScore(judgment, list(found[:K]), recall, precision, ndcg)


def evaluate(search: Callable[[str], list[str]], *, catalogue: Iterable[str],
             judgments: Iterable[Judgment] = JUDGMENTS) -> Evaluation:
    """Every judged query through `search` (query -> SKUs of the first results, in order)."""
    catalogue = list(catalogue)
    return Evaluation([score(judgment, search(judgment.query), catalogue) for judgment in judgments])


def backend_search(backend) -> Callable[[str], list[str]]:
    """A search engine of search.backends as `evaluate` asks: the SKUs of the first K hits."""
    from .backends import ProductQuery

    def search(text: str) -> list[str]:
        results = backend.search_products(ProductQuery(text=text), limit=K)
        return [record.partner_sku for product in results.products for record in product.stockrecords.all()[:1]]

    return search


def demo_catalogue() -> list[str]:
    """The SKU of every product for sale (search.documents' rule: public, approved shop, priced)."""
    from .documents import _for_sale

    return list(StockRecord.objects.filter(product__in=_for_sale().values("pk"), partner__bumkam__isnull=False)
                .values_list("partner_sku", flat=True))


def evaluate_backend(backend, judgments: Iterable[Judgment] = JUDGMENTS) -> Evaluation:
    return evaluate(backend_search(backend), catalogue=demo_catalogue(), judgments=judgments)
