// SPDX-License-Identifier: Apache-2.0
#include "fieldworksim.h"

#include "collectorstore.h"
#include "geo/geojsonreader.h"

#include <cmath>

namespace kerbside {

FieldworkSim::FieldworkSim(CollectorStore &store, const QString &caseStudy) : m_store(store), m_caseStudy(caseStudy)
{
    const QList<AreaRecord> areas = store.caseStudyAreas(caseStudy);
    if (!areas.isEmpty()) {
        geo::GeoJsonProblem problem;
        m_area = geo::GeoJsonReader::read(areas.last().geojson, &problem);
    }
    if (m_area) {
        m_west = m_south = 1e9;
        m_east = m_north = -1e9;
        for (const geo::Polygon &p : m_area->polygons()) {
            for (const geo::LonLat &v : p.outer) {
                m_west = std::min(m_west, v.lon);
                m_east = std::max(m_east, v.lon);
                m_south = std::min(m_south, v.lat);
                m_north = std::max(m_north, v.lat);
            }
        }
    }
    m_plan = store.quotaPlan(caseStudy);
}

bool FieldworkSim::hasTimeslots() const
{
    return m_plan && std::any_of(m_plan->dimensions.begin(), m_plan->dimensions.end(),
                                 [](const quota::Dimension &d) { return d.name == QLatin1String(quota::kTimeslot); });
}

geo::LonLat FieldworkSim::centre() const
{
    return {(m_west + m_east) / 2, (m_south + m_north) / 2};
}

geo::LonLat FieldworkSim::position(const Uniform &uniform) const
{
    const bool outside = uniform() < 0.05;
    // Rejection sampling in the bounding box (grown by 400 m for the outside ones); the area
    // is a neighbourhood, so a few dozen tries are plenty. After 200 the centre will do.
    const double padLat = outside ? 400.0 / 111195.0 : 0;
    const double padLon = outside ? padLat / std::cos(centre().lat * M_PI / 180) : 0;
    for (int attempt = 0; attempt < 200; ++attempt) {
        const geo::LonLat p{m_west - padLon + uniform() * (m_east - m_west + 2 * padLon),
                            m_south - padLat + uniform() * (m_north - m_south + 2 * padLat)};
        const geo::Place place = m_area->locate(p);
        if (!outside && place != geo::Place::Outside)
            return p;
        if (outside && place == geo::Place::Outside) {
            const double d = m_area->distanceToBoundary(p);
            if (d >= 100 && d <= 400)
                return p;
        }
    }
    return centre();
}

QString FieldworkSim::cellOf(const QMap<QString, QString> &answers, const QDateTime &started,
                             std::optional<int> utcOffset) const
{
    return m_plan->cellOf([&](const QString &q) { return answers.value(q); }, started, utcOffset);
}

int FieldworkSim::pick(const QList<QMap<QString, QString>> &pool, const QDateTime &started, std::optional<int> utcOffset,
                       const QString &device,
                       const Uniform &uniform)
{
    const int any = int(uniform() * double(pool.size()));
    if (!m_plan || uniform() >= 0.8)
        return std::min(any, int(pool.size()) - 1);
    if (!m_known.contains(device))
        synced(device);
    const QMap<QString, qint64> &known = m_known[device];
    const QMap<QString, qint64> &local = m_local[device];
    // A few tries at random: the first answer set whose cell this device thinks still needed.
    for (int attempt = 0; attempt < 30; ++attempt) {
        const int i = std::min(int(uniform() * double(pool.size())), int(pool.size()) - 1);
        const QString cell = cellOf(pool[i], started, utcOffset);
        if (!cell.isEmpty() && known.value(cell) + local.value(cell) < m_plan->targets.value(cell))
            return i;
    }
    return std::min(any, int(pool.size()) - 1);
}

void FieldworkSim::taken(const QString &device, const QMap<QString, QString> &answers, const QDateTime &started,
                         std::optional<int> utcOffset)
{
    if (!m_plan)
        return;
    const QString cell = cellOf(answers, started, utcOffset);
    if (!cell.isEmpty())
        ++m_local[device][cell];
}

void FieldworkSim::synced(const QString &device)
{
    if (!m_plan)
        return;
    QMap<QString, qint64> counts;
    for (const QuotaStatus &s : m_store.quotaStatus(m_caseStudy)) {
        for (const QuotaCellStatus &c : s.cells)
            counts.insert(c.cell, c.achieved);
    }
    m_known[device] = counts;
    m_local[device].clear();
}

} // namespace kerbside
