"""The stations' provinces on the hub: `hub_stations` (a step of the hub's migrations).

A station says its province when the admin registers one of its kiosks
(`hub add-kiosk NAME --station CODE --province NAME`, or `hub set-province`), or through
its kiosks' sync (the province of the kiosk's station settings). The admin's word wins:
a kiosk's never replaces it. Provinces are kept by key (kiosk.core.provinces).
"""

from kiosk.core.clock import utc_now_iso


def create_station_provinces(db):
    """`hub_stations`: the province each station is in, as the admin set it at registration
    (set_by 'admin', which wins) or as the station's kiosks say in their sync ('kiosk')."""
    conn = db.conn if hasattr(db, "conn") else db
    conn.execute(
        """CREATE TABLE IF NOT EXISTS hub_stations (
            station TEXT PRIMARY KEY,
            province TEXT NOT NULL,
            set_by TEXT NOT NULL CHECK (set_by IN ('admin', 'kiosk')),
            set_at TEXT NOT NULL
        )"""
    )
    conn.execute("CREATE INDEX IF NOT EXISTS hub_stations_province ON hub_stations (province, station)")


def set_province(conn, station, key, set_by):
    """Inside a transaction: the station's province. A kiosk's word never replaces the
    admin's, and the same word again writes nothing (each batch brings it)."""
    conn.execute(
        "INSERT INTO hub_stations (station, province, set_by, set_at) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (station) DO UPDATE SET province = excluded.province, set_by = excluded.set_by,"
        " set_at = excluded.set_at WHERE excluded.set_by = 'admin'"
        " OR (hub_stations.set_by = 'kiosk' AND hub_stations.province != excluded.province)",
        (station, key, set_by, utc_now_iso()),
    )


def station_provinces(db, stations=None):
    """{station: province key} for the stations (default: all) whose province is known."""
    sql, args = "SELECT station, province FROM hub_stations", []
    if stations is not None:
        args = list(stations)
        sql += f" WHERE station IN ({', '.join('?' * len(args)) or 'NULL'})"
    return dict(db.execute(sql, args).fetchall())


def stations_in(db, province_keys):
    """The registered stations of these provinces, sorted."""
    keys = list(province_keys)
    return [
        row[0]
        for row in db.execute(
            f"SELECT DISTINCT k.station FROM hub_kiosks k JOIN hub_stations s ON s.station = k.station"
            f" WHERE s.province IN ({', '.join('?' * len(keys)) or 'NULL'}) ORDER BY k.station",
            keys,
        )
    ]
