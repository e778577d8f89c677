"""PostgreSQL as Django ships it, plus: a refused connection starts the embedded server.

Used only for the embedded default database (no DATABASE_URL; see settings.base), so
that the next request or task after the embedded PostgreSQL stopped brings it back
instead of failing until someone runs `make run` again. A production database named
by DATABASE_URL keeps Django's own backend and is never "started" from here.
"""

from pathlib import Path

from django.db.backends.postgresql import base

from marketplace import embedded_db


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params):
        try:
            return super().get_new_connection(conn_params)
        except base.Database.OperationalError:
            if not embedded_db.start(Path(self.settings_dict["PGDATA"])):
                raise  # the server is running: refused for another reason
            return super().get_new_connection(conn_params)
