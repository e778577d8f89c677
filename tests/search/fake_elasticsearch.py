"""A small Elasticsearch for the tests: no cluster runs on this machine.

A threading HTTP server on 127.0.0.1 that answers the real REST API the real client
speaks (the product header, index create/exists/delete, `_aliases`, `_alias`, `_bulk`,
`_refresh`, `_search`), keeps the documents in memory and records every request, so a
test can check both what the engine sent and what the index holds. Its search is naive
but honest: bool/term/terms/range filters, match and multi_match over folded words
(with the index's own synonym rules; no stemming), fuzziness by edit distance,
match_phrase_prefix, bool_prefix, post_filter, sort, from/size, filter/terms/range
aggregations and the term suggester.
"""

import json
import re
import threading
import unicodedata
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, unquote, urlsplit

CONTENT_TYPE = "application/vnd.elasticsearch+json;compatible-with=9"


@dataclass
class Request:
    method: str
    path: str
    params: dict
    body: object  # a dict, a list (NDJSON) or None
    headers: dict = field(default_factory=dict)  # names in lower case


class Refused(Exception):
    def __init__(self, status: int, kind: str, reason: str):
        super().__init__(reason)
        self.status, self.kind, self.reason = status, kind, reason

    def body(self) -> dict:
        cause = {"type": self.kind, "reason": self.reason}
        return {"error": {"root_cause": [cause], **cause}, "status": self.status}


def distance(a: str, b: str) -> int:
    """Damerau (optimal string alignment) distance: Lucene's fuzziness counts so."""
    rows = [[i + j if i * j == 0 else 0 for j in range(len(b) + 1)] for i in range(len(a) + 1)]
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            rows[i][j] = min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                rows[i][j] = min(rows[i][j], rows[i - 2][j - 2] + 1)
    return rows[-1][-1]


class Index:
    def __init__(self, name: str, body: dict):
        self.name = name
        self.settings = body.get("settings", {})
        self.mappings = body.get("mappings", {})
        self.docs: dict[str, dict] = {}

    @property
    def properties(self) -> dict:
        return self.mappings.get("properties", {})

    def synonyms(self) -> dict[str, str]:
        """Variant -> canonical word, from every `synonym` filter with expand: false."""
        found = {}
        for spec in self.settings.get("analysis", {}).get("filter", {}).values():
            if spec.get("type") in ("synonym", "synonym_graph"):
                for rule in spec.get("synonyms", []):
                    variants = [fold(v) for v in rule.split(",")]
                    found.update({v: variants[0] for v in variants[1:]})
        return found

    def words(self, text: str, *, synonyms: bool = True) -> list[str]:
        text = fold(text)
        if synonyms:
            table = self.synonyms()
            for variant in sorted(table, key=len, reverse=True):
                text = re.sub(rf"\b{re.escape(variant)}\b", table[variant], text)
        return text.split()

    def values(self, source: dict, name: str) -> list:
        """A field's values: its own, a multi-field's parent's, or those copied to it."""
        base = name if name in source or name in self.properties else name.split(".")[0]
        if base in source:
            value = source[base]
            return value if isinstance(value, list) else [value]
        def targets(spec):
            return spec.get("copy_to") if isinstance(spec.get("copy_to"), list) else [spec.get("copy_to")]

        copied = [prop for prop, spec in self.properties.items() if base in targets(spec)]
        return [value for prop in copied for value in self.values(source, prop)]

    def text(self, source: dict, name: str) -> list[str]:
        return [word for value in self.values(source, name) if value is not None for word in self.words(str(value))]


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(char for char in text if not unicodedata.combining(char)).lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


class FakeElasticsearch:
    def __init__(self):
        self.indices: dict[str, Index] = {}
        self.aliases: dict[str, set[str]] = {}
        self.requests: list[Request] = []
        self.lock = threading.Lock()
        self.port = 0
        self.server = None

    # -- running

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "FakeElasticsearch":
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _answer(self):
                fake._handle(self)

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _answer

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        """The cluster goes away (start() brings it back on the same port)."""
        if self.server:
            self.server.shutdown()
            self.server.server_close()
            self.server = None

    # -- what a test reads

    def made(self, method: str, path_end: str) -> list[Request]:
        return [r for r in self.requests if r.method == method and r.path.endswith(path_end)]

    def aliased(self, alias: str) -> list[str]:
        return sorted(self.aliases.get(alias, ()))

    def docs(self, name: str) -> dict[str, dict]:
        return {pk: doc for index in self._resolve(name) for pk, doc in index.docs.items()}

    # -- the HTTP side

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        url = urlsplit(handler.path)
        params = dict(parse_qsl(url.query))
        raw = handler.rfile.read(int(handler.headers.get("Content-Length") or 0)).decode()
        if "ndjson" in (handler.headers.get("Content-Type") or ""):
            body = [json.loads(line) for line in raw.splitlines() if line.strip()]
        else:
            body = json.loads(raw) if raw else None
        request = Request(handler.command, unquote(url.path), params, body,
                          {name.lower(): value for name, value in handler.headers.items()})
        with self.lock:
            self.requests.append(request)
            try:
                status, answer = self._route(request)
            except Refused as refused:
                status, answer = refused.status, refused.body()
        data = b"" if answer is None else json.dumps(answer).encode()
        handler.send_response(status)
        handler.send_header("X-Elastic-Product", "Elasticsearch")
        handler.send_header("Content-Type", CONTENT_TYPE)
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        if handler.command != "HEAD":
            handler.wfile.write(data)

    def _route(self, request: Request):
        parts = [part for part in request.path.split("/") if part]
        method = request.method
        if not parts:
            return 200, {"name": "fake", "cluster_name": "fake", "version": {"number": "9.2.0"},
                         "tagline": "You Know, for Search"}
        if parts == ["_aliases"] and method == "POST":
            return self._update_aliases(request.body["actions"])
        if parts[0] == "_alias" and len(parts) == 2:
            return self._get_alias(parts[1], head=method == "HEAD")
        if parts[-1] == "_bulk":
            return self._bulk(parts[0] if len(parts) == 2 else None, request.body, request.params)
        if len(parts) == 2 and parts[1] == "_refresh":
            self._resolve(parts[0])
            return 200, {"_shards": {"total": 1, "successful": 1, "failed": 0}}
        if len(parts) == 2 and parts[1] == "_search":
            return 200, self._search(self._resolve(parts[0]), request.body or {})
        if len(parts) == 1:
            name = parts[0]
            if method == "HEAD":
                return (200 if name in self.indices or name in self.aliases else 404), None
            if method == "PUT":
                return self._create(name, request.body or {})
            if method == "DELETE":
                return self._delete(name, request.params)
        raise Refused(400, "illegal_argument_exception", f"the fake does not know {method} {request.path}")

    # -- indices and aliases

    def _resolve(self, names: str, *, ignore_unavailable: bool = False) -> list[Index]:
        found = []
        for name in names.split(","):
            if name in self.aliases:
                found += [self.indices[index] for index in sorted(self.aliases[name])]
            elif name in self.indices:
                found.append(self.indices[name])
            elif not ignore_unavailable:
                raise Refused(404, "index_not_found_exception", f"no such index [{name}]")
        return found

    def _create(self, name: str, body: dict):
        if name in self.indices or name in self.aliases:
            raise Refused(400, "resource_already_exists_exception", f"index [{name}] already exists")
        self.indices[name] = Index(name, body)
        return 200, {"acknowledged": True, "shards_acknowledged": True, "index": name}

    def _delete(self, names: str, params: dict):
        for name in names.split(","):
            if name in self.aliases:
                raise Refused(400, "illegal_argument_exception",
                              f"The provided expression [{name}] matches an alias, specify the "
                              "corresponding concrete indices instead.")
        doomed = self._resolve(names, ignore_unavailable=params.get("ignore_unavailable") == "true")
        for index in doomed:
            del self.indices[index.name]
            for members in self.aliases.values():
                members.discard(index.name)
        self.aliases = {alias: members for alias, members in self.aliases.items() if members}
        return 200, {"acknowledged": True}

    def _get_alias(self, name: str, *, head: bool):
        if name not in self.aliases:
            return 404, None if head else {"error": f"alias [{name}] missing", "status": 404}
        return 200, None if head else {index: {"aliases": {name: {}}} for index in sorted(self.aliases[name])}

    def _update_aliases(self, actions: list[dict]):
        """All or nothing, as Elasticsearch applies one `_aliases` call."""
        indices = set(self.indices)
        aliases = {alias: set(members) for alias, members in self.aliases.items()}
        for action in actions:
            (kind, spec), = action.items()
            if kind == "remove_index":
                if spec["index"] not in indices:
                    raise Refused(404, "index_not_found_exception", f"no such index [{spec['index']}]")
                indices.discard(spec["index"])
            elif kind == "remove":
                if spec["index"] not in aliases.get(spec["alias"], set()):
                    raise Refused(404, "aliases_not_found_exception", f"aliases [{spec['alias']}] missing")
                aliases[spec["alias"]].discard(spec["index"])
            elif kind == "add":
                if spec["index"] not in indices:
                    raise Refused(404, "index_not_found_exception", f"no such index [{spec['index']}]")
                if spec["alias"] in indices:
                    raise Refused(400, "invalid_alias_name_exception",
                                  f"Invalid alias name [{spec['alias']}]: an index or data stream exists "
                                  "with the same name as the alias")
                aliases.setdefault(spec["alias"], set()).add(spec["index"])
            else:
                raise Refused(400, "parsing_exception", f"unknown alias action [{kind}]")
        for gone in set(self.indices) - indices:
            del self.indices[gone]
        self.aliases = {alias: {index for index in members if index in indices}
                        for alias, members in aliases.items()}
        self.aliases = {alias: members for alias, members in self.aliases.items() if members}
        return 200, {"acknowledged": True, "errors": False}

    def _bulk(self, default: str | None, lines: list[dict], params: dict):
        require_alias = params.get("require_alias") == "true"
        items, position = [], 0
        while position < len(lines):
            (op, meta), = lines[position].items()
            source = lines[position + 1] if op in ("index", "create", "update") else None
            position += 2 if source is not None else 1
            name, pk = meta.get("_index", default), str(meta["_id"])
            if name in self.aliases:
                index = self.indices[sorted(self.aliases[name])[0]]
            elif require_alias or meta.get("require_alias"):
                items.append({op: {"_index": name, "_id": pk, "status": 404, "error": {
                    "type": "index_not_found_exception",
                    "reason": f"no such index [{name}] and [require_alias] request flag is [true] "
                              f"and [{name}] is not an alias"}}})
                continue
            else:
                index = self.indices.setdefault(name, Index(name, {}))  # as Elasticsearch does: made up
            if op == "delete":
                found = index.docs.pop(pk, None) is not None
                items.append({op: {"_index": index.name, "_id": pk, "status": 200 if found else 404,
                                   "result": "deleted" if found else "not_found"}})
            else:
                existed = pk in index.docs
                index.docs[pk] = source
                items.append({op: {"_index": index.name, "_id": pk, "status": 200 if existed else 201,
                                   "result": "updated" if existed else "created"}})
        return 200, {"took": 1, "errors": any("error" in next(iter(item.values())) for item in items),
                     "items": items}

    # -- searching

    def _search(self, indices: list[Index], body: dict) -> dict:
        hits = [(index, pk, doc) for index in indices for pk, doc in index.docs.items()
                if self._matches(index, doc, body.get("query", {"match_all": {}}))]
        answer = {"took": 1, "timed_out": False, "_shards": {"total": 1, "successful": 1, "skipped": 0, "failed": 0}}
        if "aggs" in body or "aggregations" in body:
            answer["aggregations"] = self._aggregations(hits, body.get("aggs") or body["aggregations"])
        if "suggest" in body:
            answer["suggest"] = {name: self._term_suggestions(indices, spec)
                                 for name, spec in body["suggest"].items()}
        if "post_filter" in body:
            hits = [hit for hit in hits if self._matches(hit[0], hit[2], body["post_filter"])]
        hits = self._sorted(hits, body.get("sort", ["_score"]))
        start, size = body.get("from", 0), body.get("size", 10)
        answer["hits"] = {
            "total": {"value": len(hits), "relation": "eq"}, "max_score": 1.0 if hits else None,
            "hits": [{"_index": index.name, "_id": pk, "_score": 1.0,
                      **({} if body.get("_source") is False else {"_source": doc})}
                     for index, pk, doc in hits[start:start + size]],
        }
        return answer

    def _matches(self, index: Index, doc: dict, query: dict) -> bool:
        (kind, spec), = query.items()
        if kind == "match_all":
            return True
        if kind == "bool":
            listed = {key: spec.get(key, []) for key in ("must", "filter", "should", "must_not")}
            listed = {key: value if isinstance(value, list) else [value] for key, value in listed.items()}
            if not all(self._matches(index, doc, q) for q in listed["must"] + listed["filter"]):
                return False
            if any(self._matches(index, doc, q) for q in listed["must_not"]):
                return False
            wanted = spec.get("minimum_should_match", 0 if listed["must"] or listed["filter"] else 1)
            return not listed["should"] or sum(self._matches(index, doc, q) for q in listed["should"]) >= int(wanted)
        if kind in ("term", "terms", "range"):
            (name, wanted), = spec.items()
            values = index.values(doc, name)
            if kind == "term":
                wanted = wanted["value"] if isinstance(wanted, dict) else wanted
                return wanted in values
            if kind == "terms":
                return any(value in values for value in wanted)
            checks = {"gte": lambda v, b: v >= b, "gt": lambda v, b: v > b,
                      "lte": lambda v, b: v <= b, "lt": lambda v, b: v < b}
            return any(all(checks[op](value, bound) for op, bound in wanted.items()) for value in values)
        if kind == "match":
            (name, wanted), = spec.items()
            wanted = wanted if isinstance(wanted, dict) else {"query": wanted}
            return self._words_match(index, doc, [name], wanted)
        if kind == "multi_match":
            fields = [name.split("^")[0] for name in spec["fields"]]
            if spec.get("type") == "bool_prefix":
                words = index.words(spec["query"], synonyms=False)
                return any(self._has_phrase_prefix(index.text(doc, name), words, ordered=False) for name in fields)
            return self._words_match(index, doc, fields, spec)
        if kind == "match_phrase_prefix":
            (name, wanted), = spec.items()
            wanted = wanted["query"] if isinstance(wanted, dict) else wanted
            return self._has_phrase_prefix(index.text(doc, name), index.words(wanted, synonyms=False), ordered=True)
        raise Refused(400, "parsing_exception", f"unknown query [{kind}]")

    @staticmethod
    def _words_match(index: Index, doc: dict, fields: list[str], spec: dict) -> bool:
        edits = int(spec.get("fuzziness", 0))
        held = [word for name in fields for word in index.text(doc, name)]
        found = [any(distance(word, have) <= edits for have in held) for word in index.words(str(spec["query"]))]
        return bool(found) and (all(found) if spec.get("operator", "or").lower() == "and" else any(found))

    @staticmethod
    def _has_phrase_prefix(held: list[str], words: list[str], *, ordered: bool) -> bool:
        if not words:
            return False
        *whole, last = words
        if not ordered:
            return all(word in held for word in whole) and any(have.startswith(last) for have in held)
        return any(held[start:start + len(whole)] == whole and start + len(whole) < len(held)
                   and held[start + len(whole)].startswith(last) for start in range(len(held)))

    @staticmethod
    def _sorted(hits: list, keys: list) -> list:
        for key in reversed(keys):  # stable sorts, least significant key first
            if isinstance(key, str):
                name, order = key, "desc" if key == "_score" else "asc"
            else:
                (name, order), = key.items()
            order = order.get("order", "asc") if isinstance(order, dict) else order
            if name == "_score":
                continue  # every hit scores 1.0 here

            def value(hit, name=name):
                values = hit[0].values(hit[2], name)
                first = values[0] if values else None
                return (first is None, first.lower() if isinstance(first, str) else first)

            hits = sorted(hits, key=value, reverse=order == "desc")
        return hits

    def _aggregations(self, hits: list, specs: dict) -> dict:
        answer = {}
        for name, spec in specs.items():
            subs = spec.get("aggs") or spec.get("aggregations") or {}
            (kind, params), = ((k, v) for k, v in spec.items() if k not in ("aggs", "aggregations"))
            if kind == "filter":
                inside = [hit for hit in hits if self._matches(hit[0], hit[2], params)]
                answer[name] = {"doc_count": len(inside), **self._aggregations(inside, subs)}
            elif kind == "terms":
                counts: dict = {}
                for index, _, doc in hits:
                    for value in set(map(json.dumps, index.values(doc, params["field"]))):
                        counts[value] = counts.get(value, 0) + 1
                ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:params.get("size", 10)]
                buckets = []
                for value, count in ordered:
                    key = json.loads(value)
                    if isinstance(key, bool):
                        buckets.append({"key": int(key), "key_as_string": str(key).lower(), "doc_count": count})
                    else:
                        buckets.append({"key": key, "doc_count": count})
                answer[name] = {"doc_count_error_upper_bound": 0, "sum_other_doc_count": 0, "buckets": buckets}
            elif kind == "range":
                buckets = []
                for band in params["ranges"]:
                    low, high = band.get("from"), band.get("to")
                    inside = sum(1 for index, _, doc in hits for value in index.values(doc, params["field"])[:1]
                                 if (low is None or value >= low) and (high is None or value < high))
                    buckets.append({"key": band.get("key"), **({"from": float(low)} if low is not None else {}),
                                    **({"to": float(high)} if high is not None else {}), "doc_count": inside})
                answer[name] = {"buckets": buckets}
            else:
                raise Refused(400, "parsing_exception", f"unknown aggregation [{kind}]")
        return answer

    @staticmethod
    def _term_suggestions(indices: list[Index], spec: dict) -> list[dict]:
        options = spec["term"]
        field_name = options["field"]
        vocabulary: dict[str, int] = {}
        for index in indices:
            for doc in index.docs.values():
                for word in set(index.text(doc, field_name)):
                    vocabulary[word] = vocabulary.get(word, 0) + 1
        entries, offset = [], 0
        for word in fold(spec["text"]).split():
            found = []
            if len(word) >= options.get("min_word_length", 4) and not (
                    options.get("suggest_mode", "missing") == "missing" and word in vocabulary):
                near = [(distance(word, have), -freq, have) for have, freq in vocabulary.items()
                        if have != word and distance(word, have) <= options.get("max_edits", 2)]
                found = [{"text": have, "score": round(1 - edits / max(len(word), 1), 3), "freq": -freq}
                         for edits, freq, have in sorted(near)[:options.get("size", 5)]]
            entries.append({"text": word, "offset": offset, "length": len(word), "options": found})
            offset += len(word) + 1
        return entries
