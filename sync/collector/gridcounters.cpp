// SPDX-License-Identifier: Apache-2.0
#include "gridcounters.h"

namespace kerbside::grid {

int levelFor(int zoom)
{
    int level = 0;
    for (size_t i = 0; i < kZooms.size(); ++i) {
        if (kZooms[i] <= zoom)
            level = int(i);
    }
    return level;
}

const char *placeName(Place p)
{
    switch (p) {
    case Place::Inside: return "inside";
    case Place::Outside: return "outside";
    case Place::NoFix: return "nofix";
    case Place::NoArea: return "noarea";
    }
    return "noarea";
}

int secondsBucket(qint64 s)
{
    if (s < 1800)
        return int(s / 5);
    if (s < 10800)
        return int(360 + (s - 1800) / 60);
    return kOverflowBucket;
}

qint64 bucketStart(int b)
{
    if (b < 360)
        return qint64(b) * 5;
    if (b < kOverflowBucket)
        return 1800 + qint64(b - 360) * 60;
    return 10800;
}

qint64 bucketEnd(int b)
{
    return b < kOverflowBucket ? bucketStart(b + 1) : 86400;
}

int Tally::intern(const QString &s)
{
    for (qsizetype i = strings.size() - 1; i >= 0; --i) { // the newest first: the same fieldworker, day
        if (strings[i] == s)
            return int(i);
    }
    strings.append(s);
    return int(strings.size() - 1);
}

size_t qHash(const Tally::GridKey &k, size_t seed)
{
    return qHashMulti(seed, k.caseStudy, k.level, k.place, k.kind, k.cy, k.cx);
}

size_t qHash(const Tally::WorkerKey &k, size_t seed)
{
    return qHashMulti(seed, k.caseStudy, k.enumerator, k.day, k.measure, k.bucket);
}

QByteArray backfillSql(SqlDialect dialect)
{
    const bool sqlite = dialect == SqlDialect::Sqlite;
    // The same IEEE division as cellY()/cellX(): the cell size is a power-of-two fraction of
    // 45, written exactly; the shifted coordinate is never negative, so SQLite's truncating
    // CAST is floor().
    auto cell = [&](const char *column, const char *shift, int level) {
        const QByteArray e = QByteArray("((") + column + " + " + shift + ") / " + QByteArray::number(cellDegrees(level), 'g', 17) + ")";
        return sqlite ? "CAST(" + e + " AS INTEGER)" : "floor(" + e + ")::bigint";
    };
    const QByteArray fix = "COALESCE($T.latitude BETWEEN -90 AND 90 AND $T.longitude BETWEEN -180 AND 180, FALSE)";
    const QByteArray place = "CASE WHEN EXISTS (SELECT 1 FROM case_study_areas a WHERE a.case_study = $CS)"
                             " THEN 'unjudged' ELSE 'noarea' END";
    struct Source
    {
        const char *table, *from, *caseStudy, *kind;
    };
    const Source sources[] = {
        {"v", "responses r JOIN response_versions v ON v.id = r.current_version WHERE ", "r.case_study", "v.status"},
        {"c", "contacts c WHERE c.is_current = 1 AND ", "c.case_study", "'contact:' || c.disposition"},
    };
    QByteArray sql;
    for (const Source &s : sources) {
        QByteArray f = fix;
        f.replace("$T", s.table);
        QByteArray p = place;
        p.replace("$CS", s.caseStudy);
        const QByteArray lat = QByteArray(s.table) + ".latitude", lon = QByteArray(s.table) + ".longitude";
        for (int level = 0; level < int(kZooms.size()); ++level)
            sql += "INSERT INTO dashboard_grid (case_study, level, cy, cx, place, kind, n) SELECT " + QByteArray(s.caseStudy) + ", "
                + QByteArray::number(level) + ", " + cell(lat, "90", level) + ", " + cell(lon, "180", level) + ", " + p + ", "
                + s.kind + ", count(*) FROM " + s.from + f + " GROUP BY 1, 2, 3, 4, 5, 6;\n";
        sql += "INSERT INTO dashboard_grid (case_study, level, cy, cx, place, kind, n) SELECT " + QByteArray(s.caseStudy)
            + ", 0, -1, -1, 'nofix', " + s.kind + ", count(*) FROM " + s.from + "NOT " + f + " GROUP BY 1, 2, 3, 4, 5, 6;\n";
    }
    // Per fieldworker and day: lengths, answers changed, place (-1: to be judged).
    QByteArray day = counterDaySql(dialect, "v.started_ms");
    const QByteArray seconds = "((v.ended_ms - v.started_ms) / 1000)";
    const QByteArray head = "INSERT INTO fieldworker_counts (case_study, enumerator, day, measure, bucket, n) SELECT r.case_study, v.enumerator, "
        + day + ", ";
    const QByteArray from = " FROM responses r JOIN response_versions v ON v.id = r.current_version";
    sql += head + "'seconds', CASE WHEN " + seconds + " < 1800 THEN " + seconds + " / 5 WHEN " + seconds + " < 10800 THEN 360 + ("
        + seconds + " - 1800) / 60 ELSE " + QByteArray::number(kOverflowBucket) + " END, count(*)" + from
        + " WHERE v.started_ms IS NOT NULL AND v.ended_ms IS NOT NULL AND v.ended_ms >= v.started_ms GROUP BY 1, 2, 3, 4, 5;\n";
    sql += "INSERT INTO fieldworker_counts (case_study, enumerator, day, measure, bucket, n)"
           " SELECT cs, e, d, 'changes', CASE WHEN k > " + QByteArray::number(kChangesCap) + " THEN " + QByteArray::number(kChangesCap)
        + " ELSE k END, count(*) FROM (SELECT r.case_study AS cs, v.enumerator AS e, " + day + " AS d,"
          // step 8 runs before step 11 packs the paradata table: its rows are still there
          " (SELECT count(*) FROM paradata p WHERE p.version_id = v.id AND p.kind = 'changed') AS k" + from
        + ") x GROUP BY 1, 2, 3, 4, 5;\n";
    QByteArray f = fix;
    f.replace("$T", "v");
    sql += head + "'place', CASE WHEN NOT " + f + " THEN 2 WHEN EXISTS (SELECT 1 FROM case_study_areas a WHERE a.case_study = r.case_study)"
        " THEN -1 ELSE 3 END, count(*)" + from + " GROUP BY 1, 2, 3, 4, 5;\n";
    // Day "*": the sum of every day, as the merge keeps it.
    sql += "INSERT INTO fieldworker_counts (case_study, enumerator, day, measure, bucket, n)"
           " SELECT case_study, enumerator, '*', measure, bucket, sum(n) FROM fieldworker_counts GROUP BY 1, 2, 3, 4, 5;\n";
    // What judgeGridPlaces() looks for when a store opens (one row, not a scan of the counters).
    sql += "INSERT INTO collector_meta (key, value) SELECT 'grid_unjudged', '1'"
           " WHERE EXISTS (SELECT 1 FROM dashboard_grid WHERE place = 'unjudged');\n";
    return sql;
}

} // namespace kerbside::grid
