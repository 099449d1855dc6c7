// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "quota/quotaplan.h"

#include <QByteArray>
#include <QDateTime>
#include <QMap>
#include <QString>

#include <memory>
#include <optional>

namespace kerbside {

namespace geo {
class Area;
}
class DeviceStore;
namespace v1 {
class BatchAck;
class FormManifest;
class QuotaCounts;
}

/** What the tablet knows offline about a case study's targeted fieldwork: the plan and area
 *  it last downloaded and the collector's quota counts as of its last sync. Kept in the device
 *  store's settings (keys "fieldwork.<case study>.plan|area|counts"), so no schema step. */
struct DeviceFieldwork
{
    QString caseStudy;
    std::optional<quota::Plan> plan;
    QByteArray areaGeojson; // empty without an area
    int areaVersion = 0;
    QMap<QString, qint64> collectorCounts; // as of countsAsOf
    qint64 countsPlanVersion = 0;          // the plan those counts belong to
    QDateTime countsAsOf;                  // when the collector counted them (its clock)
};

// From a batch acknowledgement (network or USB file). Counts older than those held (a
// replayed acknowledgement) are ignored.
void rememberQuotaCounts(DeviceStore &store, const v1::BatchAck &ack);
// From the form manifest: plans, areas and counts of the device's case studies.
void rememberFieldworkPlans(DeviceStore &store, const v1::FormManifest &manifest, const QDateTime &asOf);
DeviceFieldwork deviceFieldwork(const DeviceStore &store, const QString &caseStudy);

// This tablet's complete interviews of the plan's form and case study that the collector has not
// acknowledged yet, per cell: exactly what its last counts cannot include (an acknowledgement
// carries the counts after merging its batch). Reads only the unsynced responses.
QMap<QString, qint64> unsyncedQuotaCounts(const DeviceStore &store, const quota::Plan &plan);
// The collector's last counts plus unsyncedQuotaCounts: right offline, for Home and the
// quota-full notice. Empty without a plan.
QMap<QString, qint64> knownQuotaCounts(const DeviceStore &store, const DeviceFieldwork &fieldwork);
/** The case study's area as this device last downloaded it, read for use (i12). */
struct DeviceArea
{
    std::shared_ptr<const geo::Area> area; // null without an area (or an unreadable one)
    int version = 0;
};
DeviceArea deviceArea(const DeviceStore &store, const QString &caseStudy);

/** A complete interview on this device that the collector has not acknowledged, with the quota
 *  cell its answers fix under the plan held for its case study ("" without one). */
struct UnsyncedCell
{
    QString uuid;
    QString caseStudy;
    QString cell;
};
// At most `limit` of them (the earliest ended first), for the report sent at each sync (POST
// /v1/status). The same walk as unsyncedQuotaCounts, over every case study with the plan held for each.
QList<UnsyncedCell> unsyncedCompletes(const DeviceStore &store, int limit = 20000);

} // namespace kerbside
