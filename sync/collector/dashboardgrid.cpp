// SPDX-License-Identifier: Apache-2.0
// CollectorStore: the dashboard's map grid and fieldworker counters (i13, 1,000,000
// interviews). Kept at merge next to merge_counters (countResponse()/countVersion()/
// countContact() call gridCount(), flushCounters() calls flushGrid()), so the map's
// aggregated layer and the fieldworker page read sums of a few thousand rows, never the
// responses. Portable SQL over sqlRows()/sqlExec(), as dashboardstore.cpp.
#include "collectorstore.h"


#include <QtMath>

#include <algorithm>
#include <limits>
#include <map>
#include <tuple>
#include <vector>

namespace kerbside {

namespace {

enum Measure { kSeconds = 0, kChanges = 1, kPlace = 2 };
const char *const kMeasureNames[] = {"seconds", "changes", "place"};

struct CellRange
{
    int level;
    qint64 y0, y1, x0, x1;
};

CellRange cellRange(const GeoBox &box, int zoom)
{
    const int level = grid::levelFor(zoom);
    return {level, grid::cellY(std::clamp(box.south, -90.0, 90.0), level), grid::cellY(std::clamp(box.north, -90.0, 90.0), level),
            grid::cellX(std::clamp(box.west, -180.0, 180.0), level), grid::cellX(std::clamp(box.east, -180.0, 180.0), level)};
}

} // namespace

// --- kept at merge -----------------------------------------------------------------------

grid::Place CollectorStore::judgePlace(const QString &caseStudy, const QDateTime &started, const Location &where)
{
    grid::Tally::LastPlace &last = m_grid.lastPlace;
    const qint64 startedMs = started.isValid() ? started.toMSecsSinceEpoch() : std::numeric_limits<qint64>::min();
    if (last.place >= 0 && last.startedMs == startedMs && last.latitude == where.latitude
        && last.longitude == where.longitude && last.caseStudy == caseStudy)
        return grid::Place(last.place);
    auto it = m_grid.areas.find(caseStudy);
    if (it == m_grid.areas.end()) // once per case study and batch
        it = m_grid.areas.insert(caseStudy, AreaHistory(storedAreas(caseStudy)));
    // The version current when the interview started, as the exports judge (inside_area).
    const geo::Area *area = it->at(started);
    const grid::Place place = !area ? grid::Place::NoArea
        : area->contains({where.longitude, where.latitude}) ? grid::Place::Inside : grid::Place::Outside;
    last = {caseStudy, startedMs, where.latitude, where.longitude, int(place)};
    return place;
}

// lengthMs < 0: no length; changes -1: a contact (no fieldworker counters), -2: a re-count of
// places only (regrid()).
void CollectorStore::gridCount(const QString &caseStudy, const QString &enumerator, const QDateTime &started,
                               qint64 lengthMs, int changes, const Location &where, const QString &kind, qint64 delta)
{
    grid::Tally &t = m_grid;
    const int cs = t.intern(caseStudy);
    const int k = t.intern(kind);
    const bool fix = grid::validFix(where.latitude, where.longitude);
    const grid::Place place = fix ? judgePlace(caseStudy, started, where) : grid::Place::NoFix;
    if (fix) {
        for (int level = 0; level < int(grid::kZooms.size()); ++level)
            t.cells[{cs, level, int(place), k, grid::cellY(where.latitude, level), grid::cellX(where.longitude, level)}] += delta;
    } else {
        t.cells[{cs, 0, int(place), k, -1, -1}] += delta;
    }
    if (changes == -1)
        return;
    const QDate date = started.isValid() ? started.toUTC().date() : QDate();
    if (t.lastDay < 0 || date != t.lastDate) {
        t.lastDate = date;
        t.lastDay = t.intern(date.isValid() ? date.toString(Qt::ISODate) : QString(QLatin1String("")));
    }
    const int e = t.intern(enumerator);
    const int all = t.intern(QStringLiteral("*")); // every day: what the page's per-fieldworker rows read
    for (const int day : {t.lastDay, all}) {
        t.workers[{cs, e, day, kPlace, int(place)}] += delta;
        if (changes == -2)
            continue;
        if (lengthMs >= 0)
            t.workers[{cs, e, day, kSeconds, grid::secondsBucket(lengthMs / 1000)}] += delta;
        t.workers[{cs, e, day, kChanges, std::min(changes, grid::kChangesCap)}] += delta;
    }
}

void CollectorStore::gridCountContact(qint64 contactId, qint64 delta)
{
    const auto rows = sqlRows("SELECT case_study, latitude, longitude, disposition FROM contacts WHERE id = $1", {contactId}, 4);
    if (rows.isEmpty())
        return;
    const QStringList &r = rows.first();
    Location where;
    where.latitude = r[1].isNull() ? qQNaN() : r[1].toDouble();
    where.longitude = r[2].isNull() ? qQNaN() : r[2].toDouble();
    gridCount(r[0], {}, {}, -1, -1, where, QStringLiteral("contact:") + r[3], delta);
}

// In one order of the keys' values (not of the hash): two collectors on one PostgreSQL
// database upsert shared rows in the same order, so they queue rather than deadlock.
void CollectorStore::flushGrid()
{
    const QStringList &s = m_grid.strings;
    std::vector<std::pair<grid::Tally::GridKey, qint64>> cells;
    cells.reserve(size_t(m_grid.cells.size()));
    for (auto it = m_grid.cells.constBegin(); it != m_grid.cells.constEnd(); ++it) {
        if (it.value() != 0)
            cells.emplace_back(it.key(), it.value());
    }
    std::sort(cells.begin(), cells.end(), [&](const auto &a, const auto &b) {
        const grid::Tally::GridKey &x = a.first, &y = b.first;
        return std::tie(s[x.caseStudy], x.level, x.cy, x.cx, x.place, s[x.kind])
            < std::tie(s[y.caseStudy], y.level, y.cy, y.cx, y.place, s[y.kind]);
    });
    QList<QVariantList> rows;
    rows.reserve(qsizetype(cells.size()));
    for (const auto &[k, n] : cells)
        rows.append({s[k.caseStudy], qint64(k.level), k.cy, k.cx, QString::fromLatin1(grid::placeName(grid::Place(k.place))),
                     s[k.kind], n});
    sqlExecMany("INSERT INTO dashboard_grid (case_study, level, cy, cx, place, kind, n) VALUES ($1, $2, $3, $4, $5, $6, $7)"
                " ON CONFLICT (case_study, level, cy, cx, place, kind) DO UPDATE SET n = dashboard_grid.n + excluded.n",
                rows);
    std::vector<std::pair<grid::Tally::WorkerKey, qint64>> workers;
    workers.reserve(size_t(m_grid.workers.size()));
    for (auto it = m_grid.workers.constBegin(); it != m_grid.workers.constEnd(); ++it) {
        if (it.value() != 0)
            workers.emplace_back(it.key(), it.value());
    }
    std::sort(workers.begin(), workers.end(), [&](const auto &a, const auto &b) {
        const grid::Tally::WorkerKey &x = a.first, &y = b.first;
        return std::tie(s[x.caseStudy], s[x.enumerator], s[x.day], x.measure, x.bucket)
            < std::tie(s[y.caseStudy], s[y.enumerator], s[y.day], y.measure, y.bucket);
    });
    rows.clear();
    for (const auto &[k, n] : workers)
        rows.append({s[k.caseStudy], s[k.enumerator], s[k.day], QString::fromLatin1(kMeasureNames[k.measure]), qint64(k.bucket), n});
    sqlExecMany("INSERT INTO fieldworker_counts (case_study, enumerator, day, measure, bucket, n) VALUES ($1, $2, $3, $4, $5, $6)"
                " ON CONFLICT (case_study, enumerator, day, measure, bucket) DO UPDATE SET n = fieldworker_counts.n + excluded.n",
                rows);
    m_grid.clear();
}

// Called with the mutex held, inside a write transaction. Merges of other collectors
// (PostgreSQL) wait on the plan lock, as for a quota recount.
void CollectorStore::regrid(const QString &caseStudy)
{
    lockPlan(caseStudy, true);
    sqlExec("DELETE FROM dashboard_grid WHERE case_study = $1", {caseStudy});
    sqlExec("DELETE FROM fieldworker_counts WHERE case_study = $1 AND measure = 'place'", {caseStudy});
    m_grid.clear();
    forEachResponse(caseStudy, [&](const StoredResponse &r) {
        gridCount(caseStudy, r.meta.enumerator, r.meta.started, -1, -2, r.meta.location, responseStatusName(r.meta.status), 1);
        casePlace(r.meta.uuid, caseStudy, r.meta.started, r.meta.location);
        return true;
    });
    forEachContact(caseStudy, [&](const ContactEntry &c) {
        gridCount(caseStudy, {}, {}, -1, -1, c.location, QStringLiteral("contact:") + dispositionName(c.disposition), 1);
        return true;
    });
    flushCaseCounts(); // before flushGrid(), which forgets the areas read
    flushGrid();
}

void CollectorStore::judgeGridPlaces()
{
    std::lock_guard lock(m_mutex);
    if (sqlRows("SELECT value FROM collector_meta WHERE key = 'grid_unjudged'", {}, 1).isEmpty())
        return;
    const auto rows = sqlRows("SELECT DISTINCT case_study FROM dashboard_grid WHERE level = 0 AND place = 'unjudged'", {}, 1);
    beginWrite();
    try {
        for (const QStringList &r : rows)
            regrid(r[0]);
        sqlExec("DELETE FROM collector_meta WHERE key = 'grid_unjudged'", {});
        commitWrite();
    } catch (...) {
        rollbackWrite();
        throw;
    }
}

// --- read by the dashboard ---------------------------------------------------------------

QList<MapCell> CollectorStore::gridCells(const QString &caseStudy, const GeoBox &box, int zoom, double *cellDegrees)
{
    std::lock_guard lock(m_mutex);
    const CellRange c = cellRange(box, zoom);
    const double size = grid::cellDegrees(c.level);
    if (cellDegrees)
        *cellDegrees = size;
    QList<MapCell> out;
    for (const QStringList &r : sqlRows(
             "SELECT cy, cx, sum(n), sum(CASE WHEN place = 'inside' THEN n ELSE 0 END),"
             " sum(CASE WHEN place = 'outside' THEN n ELSE 0 END), sum(CASE WHEN kind LIKE 'contact:%' THEN n ELSE 0 END)"
             " FROM dashboard_grid WHERE case_study = $1 AND level = $2 AND cy BETWEEN $3 AND $4 AND cx BETWEEN $5 AND $6"
             " GROUP BY cy, cx ORDER BY cy, cx",
             {caseStudy, qint64(c.level), c.y0, c.y1, c.x0, c.x1}, 6)) {
        const qint64 n = r[2].toLongLong();
        if (n > 0)
            out.append(MapCell{(r[0].toLongLong() + 0.5) * size - 90, (r[1].toLongLong() + 0.5) * size - 180, n,
                               r[3].toLongLong(), r[4].toLongLong(), r[5].toLongLong()});
    }
    return out;
}

qint64 CollectorStore::gridTotal(const QString &caseStudy, const GeoBox &box, int zoom)
{
    std::lock_guard lock(m_mutex);
    const CellRange c = cellRange(box, zoom);
    const auto rows = sqlRows("SELECT sum(n) FROM dashboard_grid WHERE case_study = $1 AND level = $2"
                              " AND cy BETWEEN $3 AND $4 AND cx BETWEEN $5 AND $6",
                              {caseStudy, qint64(c.level), c.y0, c.y1, c.x0, c.x1}, 1);
    return rows.isEmpty() ? 0 : rows.first()[0].toLongLong();
}

std::optional<GeoBox> CollectorStore::mapExtent(const QString &caseStudy)
{
    std::lock_guard lock(m_mutex);
    const int level = int(grid::kZooms.size()) - 1;
    const auto rows = sqlRows("SELECT min(cy), min(cx), max(cy), max(cx) FROM dashboard_grid"
                              " WHERE case_study = $1 AND level = $2 AND cy >= 0 AND n > 0",
                              {caseStudy, qint64(level)}, 4);
    if (rows.isEmpty() || rows.first()[0].isNull())
        return std::nullopt;
    const QStringList &r = rows.first();
    const double size = grid::cellDegrees(level);
    return GeoBox{r[0].toLongLong() * size - 90, r[1].toLongLong() * size - 180, (r[2].toLongLong() + 1) * size - 90,
                  (r[3].toLongLong() + 1) * size - 180};
}

QList<FieldworkerStats> CollectorStore::fieldworkerStats(const QStringList &caseStudies, qint64 tooFastMs, int manyChanges,
                                                         bool byDay, const QString &enumerator)
{
    std::lock_guard lock(m_mutex);
    // Per case study (its primary-key prefix), then summed: the flags in SQL (one row per
    // fieldworker, or fieldworker and day), the median from the length histogram (one row per
    // bucket). Day "*" holds every day's sum, kept at merge so the per-fieldworker rows read
    // a few hundred rows per fieldworker, not one per bucket and day.
    static const char *const kFlags[2] = {
        "SELECT enumerator, '', sum(CASE WHEN measure = 'seconds' THEN n ELSE 0 END),"
        " sum(CASE WHEN measure = 'seconds' AND bucket < $2 THEN n ELSE 0 END),"
        " sum(CASE WHEN measure = 'changes' AND bucket > $3 THEN n ELSE 0 END),"
        " sum(CASE WHEN measure = 'place' AND bucket = 1 THEN n ELSE 0 END),"
        " sum(CASE WHEN measure = 'place' AND bucket = 2 THEN n ELSE 0 END), sum(CASE WHEN measure = 'place' THEN n ELSE 0 END)"
        " FROM fieldworker_counts WHERE case_study = $1 AND (CAST($4 AS TEXT) IS NULL OR enumerator = $4) AND day = '*'"
        " GROUP BY enumerator",
        "SELECT enumerator, day, sum(CASE WHEN measure = 'seconds' THEN n ELSE 0 END),"
        " sum(CASE WHEN measure = 'seconds' AND bucket < $2 THEN n ELSE 0 END),"
        " sum(CASE WHEN measure = 'changes' AND bucket > $3 THEN n ELSE 0 END),"
        " sum(CASE WHEN measure = 'place' AND bucket = 1 THEN n ELSE 0 END),"
        " sum(CASE WHEN measure = 'place' AND bucket = 2 THEN n ELSE 0 END), sum(CASE WHEN measure = 'place' THEN n ELSE 0 END)"
        " FROM fieldworker_counts WHERE case_study = $1 AND (CAST($4 AS TEXT) IS NULL OR enumerator = $4) AND day <> '*'"
        " GROUP BY enumerator, day",
    };
    static const char *const kLengths[2] = {
        "SELECT enumerator, '', bucket, n FROM fieldworker_counts WHERE case_study = $1"
        " AND (CAST($2 AS TEXT) IS NULL OR enumerator = $2) AND day = '*' AND measure = 'seconds' AND n <> 0",
        "SELECT enumerator, day, bucket, n FROM fieldworker_counts WHERE case_study = $1"
        " AND (CAST($2 AS TEXT) IS NULL OR enumerator = $2) AND day <> '*' AND measure = 'seconds' AND n <> 0",
    };
    QStringList ids = caseStudies;
    if (ids.isEmpty()) {
        for (const QStringList &r : sqlRows("SELECT id FROM case_studies", {}, 1))
            ids.append(r[0]);
    }
    const QVariant who = enumerator.isEmpty() ? QVariant() : QVariant(enumerator);
    const qint64 fastBucket = grid::secondsBucket(std::max<qint64>(tooFastMs, 0) / 1000);
    const qint64 changesCap = std::clamp(manyChanges, 0, grid::kChangesCap - 1);
    const bool medians = !byDay || !enumerator.isEmpty(); // per day only for one fieldworker
    struct Sum
    {
        FieldworkerStats stats;
        qint64 responses = 0;
        std::map<int, qint64> lengths;
    };
    std::map<std::pair<QString, QString>, Sum> sums; // sorted by fieldworker, day
    for (const QString &cs : ids) {
        for (const QStringList &r : sqlRows(kFlags[byDay], {cs, fastBucket, changesCap, who}, 8)) {
            Sum &s = sums[{r[0], r[1]}];
            s.stats.interviews += r[2].toLongLong();
            s.stats.tooFast += r[3].toLongLong();
            s.stats.manyChanges += r[4].toLongLong();
            s.stats.outsideArea += r[5].toLongLong();
            s.stats.noFix += r[6].toLongLong();
            s.responses += r[7].toLongLong();
        }
        if (medians) {
            for (const QStringList &r : sqlRows(kLengths[byDay], {cs, who}, 4))
                sums[{r[0], r[1]}].lengths[r[2].toInt()] += r[3].toLongLong();
        }
    }
    QList<FieldworkerStats> out;
    for (auto &[key, s] : sums) {
        if (s.responses == 0) // every response has one place: none held (any more)
            continue;
        s.stats.enumerator = key.first;
        s.stats.day = key.second;
        // The upper median (as a sorted list's [n / 2]), to its bucket's middle.
        qint64 seen = 0;
        for (const auto &[bucket, n] : s.lengths) {
            seen += n;
            if (seen > s.stats.interviews / 2) {
                s.stats.medianMs = (grid::bucketStart(bucket) + grid::bucketEnd(bucket)) * 500;
                break;
            }
        }
        out.append(s.stats);
    }
    return out;
}

} // namespace kerbside
