"""The catalogue's SQL: the programme's polis, each facility's polis, doctors and weekly
schedules; loaded in bulk (COPY into a staging table, then insert what is new) and read per
facility."""

from __future__ import annotations

from collections.abc import Iterable

import asyncpg

Row = asyncpg.Record
Executor = asyncpg.Connection | asyncpg.Pool

_TABLES = {
    "facility_polis": ("facility_code", "poli_code"),
    "doctors": ("doctor_id", "facility_code", "name"),
    "schedules": (
        "facility_code",
        "poli_code",
        "doctor_id",
        "day_code",
        "start_time",
        "end_time",
        "quota_jkn",
        "quota_non_jkn",
        "service_minutes",
    ),
}


async def sync_polis(conn: asyncpg.Connection, rows: Iterable[tuple[str, str, str, str]]) -> None:
    """The programme's poli codes (code, name_id, name_en, level), names kept up to date."""
    await conn.executemany(
        "INSERT INTO polis (code, name_id, name_en, level) VALUES ($1, $2, $3, $4)"
        " ON CONFLICT (code) DO UPDATE SET name_id = EXCLUDED.name_id,"
        " name_en = EXCLUDED.name_en, level = EXCLUDED.level",
        list(rows),
    )


async def load(conn: asyncpg.Connection, table: str, rows: Iterable[tuple]) -> int:
    """Add the rows a catalogue table does not have yet (an existing key is left as it is);
    returns how many were added. One COPY, so the national registry loads in seconds."""
    columns = _TABLES[table]
    names = ", ".join(columns)
    await conn.execute(f"CREATE TEMP TABLE incoming AS SELECT {names} FROM {table} WITH NO DATA")
    await conn.copy_records_to_table("incoming", records=rows, columns=list(columns))
    added = await conn.execute(
        f"INSERT INTO {table} ({names}) SELECT {names} FROM incoming ON CONFLICT DO NOTHING"
    )
    await conn.execute("DROP TABLE incoming")
    return int(added.split()[-1])


async def polis_of(db: Executor, facility_code: str) -> list[Row]:
    """A facility's polis with their names."""
    return await db.fetch(
        "SELECT p.code AS poli_code, p.name_id, p.name_en FROM facility_polis fp"
        " JOIN polis p ON p.code = fp.poli_code WHERE fp.facility_code = $1 ORDER BY p.code",
        facility_code,
    )


async def schedules_of(db: Executor, facility_code: str) -> list[Row]:
    """A facility's weekly sessions with their doctors, by poli, day and start."""
    return await db.fetch(
        "SELECT s.poli_code, s.doctor_id, d.name AS doctor_name, s.day_code, s.start_time,"
        " s.end_time, s.quota_jkn, s.quota_non_jkn, s.service_minutes"
        " FROM schedules s JOIN doctors d ON d.doctor_id = s.doctor_id"
        " WHERE s.facility_code = $1 AND d.active"
        " ORDER BY s.poli_code, s.day_code, s.start_time, s.doctor_id",
        facility_code,
    )
