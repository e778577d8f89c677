"""Django's database cache, writing without counting the table first.

`DatabaseCache` runs `SELECT COUNT(*)` over the whole table before every write, to know
whether to cull: with a stored page per product that is a scan of 100,000 rows (about 10 ms
here) for each page stored and each tag a checkout bumps. On PostgreSQL one
`INSERT ... ON CONFLICT` writes instead, and the table is counted and culled on about one
write in `CULL_EVERY`. Reads, `add`, `incr` and `touch` are Django's own.
"""

import base64
import pickle
import random
from datetime import datetime, timezone

from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router
from django.utils.timezone import now as tz_now

CULL_EVERY = 500


class PostgresCache(DatabaseCache):
    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self.set_many({key: value}, timeout=timeout, version=version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        if not data:
            return []
        timeout = self.get_backend_timeout(timeout)
        expires = datetime.max if timeout is None else datetime.fromtimestamp(
            timeout, tz=timezone.utc if settings.USE_TZ else None)
        expires = expires.replace(microsecond=0)
        rows = [(self.make_and_validate_key(key, version=version),
                 base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1"), expires)
                for key, value in data.items()]
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        table = connection.ops.quote_name(self._table)
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {table} (cache_key, value, expires) VALUES (%s, %s, %s) "
                "ON CONFLICT (cache_key) DO UPDATE SET value = EXCLUDED.value, expires = EXCLUDED.expires", rows)
            if random.random() < len(rows) / CULL_EVERY:
                cursor.execute(f"SELECT COUNT(*) FROM {table}")
                self._cull(db, cursor, tz_now().replace(microsecond=0), cursor.fetchone()[0])
        return []
