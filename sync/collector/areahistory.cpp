// SPDX-License-Identifier: Apache-2.0
#include "areahistory.h"

#include "geo/geojsonreader.h"

#include <algorithm>
#include <cmath>

namespace kerbside {

AreaHistory::AreaHistory(const QList<AreaRecord> &versions)
{
    for (const AreaRecord &a : versions) {
        geo::GeoJsonProblem problem;
        if (std::optional<geo::Area> area = geo::GeoJsonReader::read(a.geojson, &problem))
            m_versions.push_back({a.created, std::move(*area)});
    }
    // at() takes the last version created by the start: keep them oldest first whatever the order given.
    std::stable_sort(m_versions.begin(), m_versions.end(),
                     [](const Version &x, const Version &y) { return x.created < y.created; });
}

const geo::Area *AreaHistory::at(const QDateTime &started) const
{
    if (m_versions.empty())
        return nullptr;
    const Version *current = &m_versions.front();
    for (const Version &v : m_versions) {
        if (started.isValid() && v.created <= started)
            current = &v;
    }
    return &current->area;
}

AreaHistory::Place AreaHistory::judge(const QDateTime &started, double latitude, double longitude) const
{
    const geo::Area *area = at(started);
    if (!area || !std::isfinite(latitude) || !std::isfinite(longitude))
        return Place::Unknown;
    return area->contains(geo::LonLat{longitude, latitude}) ? Place::Inside : Place::Outside;
}

const char *placeName(AreaHistory::Place p)
{
    switch (p) {
    case AreaHistory::Place::Inside: return "inside";
    case AreaHistory::Place::Outside: return "outside";
    case AreaHistory::Place::Unknown: break;
    }
    return "unknown";
}

} // namespace kerbside
