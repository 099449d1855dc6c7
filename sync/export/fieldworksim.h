// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "geo/area.h"
#include "quota/quotaplan.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QMap>
#include <QString>

#include <functional>
#include <optional>

namespace kerbside {

class CollectorStore;

/** How `kerbside simulate` honours a case study's fieldwork plan, as fieldworkers would:
 *  positions inside its area (about 5% a few hundred metres outside), interviews picked
 *  towards the cells that still need people as each device last saw them (so some cells
 *  finish and, with devices offline, some overshoot a little), starts spread over the time
 *  slots. `uniform` returns [0, 1). */
class FieldworkSim
{
public:
    using Uniform = std::function<double()>;
    FieldworkSim(CollectorStore &store, const QString &caseStudy);

    bool hasArea() const { return m_area.has_value(); }
    bool hasPlan() const { return m_plan.has_value(); }
    bool hasTimeslots() const;
    // The centre of the area's bounding box (when there is an area).
    geo::LonLat centre() const;
    // A position: inside the area with probability 0.95, else 100-400 m outside it.
    geo::LonLat position(const Uniform &uniform) const;
    // Which of the pool's answer sets a device approaches next, for an interview starting at
    // `started`: a cell it believes still needed, four times out of five, when there is one.
    // `utcOffset`: the one the response records with its start, as the merge reads it.
    int pick(const QList<QMap<QString, QString>> &pool, const QDateTime &started, std::optional<int> utcOffset,
             const QString &device,
             const Uniform &uniform);
    // A complete interview this device took (counted on it until it syncs).
    void taken(const QString &device, const QMap<QString, QString> &answers, const QDateTime &started,
               std::optional<int> utcOffset);
    // The device synced: it now knows the collector's counts, and its own are among them.
    void synced(const QString &device);

private:
    QString cellOf(const QMap<QString, QString> &answers, const QDateTime &started, std::optional<int> utcOffset) const;

    CollectorStore &m_store;
    QString m_caseStudy;
    std::optional<geo::Area> m_area;
    double m_west = 0, m_east = 0, m_south = 0, m_north = 0;
    std::optional<quota::Plan> m_plan;
    QHash<QString, QMap<QString, qint64>> m_known; // device -> collector counts at its last sync
    QHash<QString, QMap<QString, qint64>> m_local; // device -> its completes since
};

} // namespace kerbside
