// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "quota/quotaplan.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QMap>
#include <QString>

namespace kerbside {

/** One stored version of a case study's boundary (GeoJSON as given, checked on the way in). */
struct AreaRecord
{
    QString caseStudy;
    int version = 0;   // 1, 2, ... per case study
    QByteArray geojson;
    QDateTime created; // UTC; an interview is judged against the version current when it started
};

/** A complete interview a device holds and the collector has not merged yet, as the device
 *  reports it (POST /v1/status): its UUID and the quota cell its answers fix ("" for none). */
struct UnsyncedComplete
{
    QString uuid;
    QString caseStudy;
    QString cell;
};

/** A quota cell as the collector counts it. */
struct QuotaCellStatus
{
    QString cell;                              // "age_band=55_64;gender=woman"
    QList<std::pair<QString, QString>> parts;  // dimension -> value, in --by order
    qint64 target = 0;
    qint64 achieved = 0;  // complete interviews merged, each counted once (counters kept at merge)
    qint64 unsynced = 0;  // complete on devices, not merged yet, as each device last reported
    qint64 remaining() const { return std::max<qint64>(0, target - achieved); }
    qint64 over() const { return std::max<qint64>(0, achieved - target); }
};

/** A case study's quota progress: what `kerbside quota show` prints and the dashboard shows. */
struct QuotaStatus
{
    QString caseStudy;
    quota::Plan plan;             // dimensions, mode, version, targets
    QList<QuotaCellStatus> cells; // the plan's cells, most needed (largest remaining) first
    qint64 totalTarget = 0;
    qint64 totalAchieved = 0;     // complete interviews in some cell, capped at nothing
    qint64 totalRemaining = 0;    // sum of the cells' remaining
    qint64 totalUnsynced = 0;     // reported by devices, not merged yet
};

} // namespace kerbside
