"""SQL of the national figures (ADR 0008), shared by the migration, `nation_link` and the bench.

Each province database has the view PROVINCE_VIEW: one row, the sums of its newest
published day. The national database imports that view, and nothing else, from every
province as a foreign table (postgres_fdw) and unions them in NATION_VIEW."""

from __future__ import annotations

PROVINCE_VIEW = "nation_province_figures"
NATION_VIEW = "nation_figures"
SUMMED = ("headcount", "age_sum", "under35", "bachelor_plus", "college_plus", "certified", "trained",
          "pay_total", "urban_population")

# Plain SQL that SQLite and PostgreSQL both accept: the view exists wherever the schema does.
CREATE_PROVINCE_VIEW = f"""
CREATE VIEW {PROVINCE_VIEW} AS
SELECT f.on_day, COUNT(*) AS units, {", ".join(f"SUM(f.{c}) AS {c}" for c in SUMMED)}
FROM insights_unitfigures f
WHERE f.on_day = (SELECT MAX(g.on_day) FROM insights_unitfigures g)
GROUP BY f.on_day
"""
DROP_PROVINCE_VIEW = f"DROP VIEW IF EXISTS {PROVINCE_VIEW}"


def schema_for(alias: str) -> str:
    return f"nation_{alias}"


def server_for(alias: str) -> str:
    return f"shequ_province_{alias}"


def link_statements(alias: str, *, host: str, port: str, dbname: str, user: str, password: str) -> list[tuple[str, list[str]]]:
    """(sql, params) to (re)link one province: a foreign server, the mapping, its view."""
    server, schema = server_for(alias), schema_for(alias)
    mapping = "OPTIONS (user %s, password %s)" if password else "OPTIONS (user %s)"
    return [
        (f"DROP SCHEMA IF EXISTS {schema} CASCADE", []),
        (f"DROP SERVER IF EXISTS {server} CASCADE", []),
        # async_capable: the union's foreign scans run at the same time, not one after another.
        (f"CREATE SERVER {server} FOREIGN DATA WRAPPER postgres_fdw "
         "OPTIONS (host %s, port %s, dbname %s, async_capable 'true')", [host, port, dbname]),
        (f"CREATE USER MAPPING FOR CURRENT_USER SERVER {server} {mapping}", [user, password] if password else [user]),
        (f"CREATE SCHEMA {schema}", []),
        (f"IMPORT FOREIGN SCHEMA public LIMIT TO ({PROVINCE_VIEW}) FROM SERVER {server} INTO {schema}", []),
    ]


def nation_view(aliases: list[str]) -> str:
    parts = [f"SELECT '{a}'::text AS province, p.* FROM {schema_for(a)}.{PROVINCE_VIEW} p" for a in aliases]
    if not parts:
        return f"CREATE OR REPLACE VIEW {NATION_VIEW} AS SELECT NULL::text AS province WHERE false"
    return f"DROP VIEW IF EXISTS {NATION_VIEW}; CREATE VIEW {NATION_VIEW} AS " + " UNION ALL ".join(parts)
