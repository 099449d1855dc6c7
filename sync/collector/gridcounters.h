// SPDX-License-Identifier: Apache-2.0
#pragma once

// The dashboard's second set of counters kept at merge (i13, "responsive with 1,000,000
// interviews"): map grid counts and fieldworker histograms. The arithmetic is here, once, for
// the merge (dashboardgrid.cpp) and for the SQL that fills the tables from what is held
// (schema step 8): both must put a response in the same cell and bucket.

#include "areahistory.h"
#include "collectorschema.h"

#include "geo/area.h"

#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QList>
#include <QString>

#include <array>
#include <cmath>
#include <optional>
#include <vector>

namespace kerbside::grid {

// Grid levels: level i has square cells of 45 / 2^kZooms[i] degrees (32 px at that web-map
// zoom). The map at zoom z reads the finest level whose zoom is <= z (cells of 32 to 128 px).
inline constexpr std::array<int, 5> kZooms{2, 5, 8, 11, 14};
inline double cellDegrees(int level) { return 45.0 / double(1 << kZooms[size_t(level)]); }
int levelFor(int zoom);
inline bool validFix(double latitude, double longitude)
{
    return latitude >= -90 && latitude <= 90 && longitude >= -180 && longitude <= 180; // false for NaN
}
inline qint64 cellY(double latitude, int level) { return qint64(std::floor((latitude + 90.0) / cellDegrees(level))); }
inline qint64 cellX(double longitude, int level) { return qint64(std::floor((longitude + 180.0) / cellDegrees(level))); }

enum class Place { Inside = 0, Outside = 1, NoFix = 2, NoArea = 3 };
const char *placeName(Place p); // "inside", "outside", "nofix", "noarea"

// Interview length buckets (whole seconds, end - start): 5 s wide below 30 min, 1 min wide to
// 3 h, then one for everything longer. A "too fast" threshold that is a multiple of 5 s (below
// 30 min) is therefore counted exactly; a median is known to its bucket.
inline constexpr int kOverflowBucket = 360 + 150;
int secondsBucket(qint64 seconds);
qint64 bucketStart(int bucket); // seconds
qint64 bucketEnd(int bucket);   // seconds, exclusive (a day for the overflow bucket)
// "changes" buckets: answers changed, capped (a threshold up to kChangesCap - 1 is exact).
inline constexpr int kChangesCap = 101;

// The SQL of schema step 8 that fills both tables from the current versions and contacts.
// Cells with a fix in a case study that has an area get place 'unjudged': the point-in-polygon
// test is C++, done once when the store opens (CollectorStore::judgeGridPlaces(), told by the
// collector_meta key 'grid_unjudged' that the step wrote).
QByteArray backfillSql(SqlDialect dialect);

/** The changes of one batch (or one re-count), gathered without allocating per response:
 *  strings are interned into small lists and keys are plain integers. */
struct Tally
{
    struct GridKey
    {
        int caseStudy, level, place, kind;
        qint64 cy, cx;
        bool operator==(const GridKey &) const = default;
    };
    struct WorkerKey
    {
        int caseStudy, enumerator, day, measure, bucket;
        bool operator==(const WorkerKey &) const = default;
    };
    QList<QString> strings; // interned case studies, enumerators, days and kinds
    QHash<GridKey, qint64> cells;
    QHash<WorkerKey, qint64> workers;
    QHash<QString, AreaHistory> areas; // per case study, read once per batch
    // The last place judged: the grid and the case counters both ask it of each response, and
    // point-in-polygon is the dearest part of that.
    struct LastPlace
    {
        QString caseStudy;
        qint64 startedMs = 0;
        double latitude = 0, longitude = 0;
        int place = -1; // -1: none yet
    } lastPlace;
    QDate lastDate; // the day string of the last response, interned once
    int lastDay = -1;

    int intern(const QString &s);
    void clear()
    {
        cells.clear();
        workers.clear();
        areas.clear();
        lastPlace = {};
        strings.clear();
        lastDay = -1;
    }
};
size_t qHash(const Tally::GridKey &k, size_t seed = 0);
size_t qHash(const Tally::WorkerKey &k, size_t seed = 0);

} // namespace kerbside::grid
