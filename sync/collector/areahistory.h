// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "fieldworkplan.h"
#include "geo/area.h"

#include <QDateTime>
#include <QList>

#include <vector>

namespace kerbside {

/** A case study's area versions, read once (`kerbside casestudy area`): an interview is judged
 *  against the version current when it started (the first version for interviews before any),
 *  the boundary counting as inside. The exports' inside_area and the dashboard both judge here. */
class AreaHistory
{
public:
    enum class Place { Inside, Outside, Unknown }; // Unknown: no fix, or no area

    AreaHistory() = default;
    explicit AreaHistory(const QList<AreaRecord> &versions); // any order; unreadable ones left out

    bool isEmpty() const { return m_versions.empty(); }
    const geo::Area *at(const QDateTime &started) const; // nullptr without an area
    Place judge(const QDateTime &started, double latitude, double longitude) const; // NaN: Unknown

private:
    struct Version
    {
        QDateTime created;
        geo::Area area;
    };
    std::vector<Version> m_versions;
};

const char *placeName(AreaHistory::Place p); // "inside", "outside", "unknown"

} // namespace kerbside
