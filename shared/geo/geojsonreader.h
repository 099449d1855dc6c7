// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "area.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace kerbside::geo {

/** Why a GeoJSON text was refused, and where: "areas/northfield.geojson line 14
 *  ($.features[0].geometry.coordinates[0]): a ring needs at least 4 positions, it has 3". */
struct GeoJsonProblem
{
    QString reason;
    QString path; // JSON path of the offending value, "$" for the whole text
    int line = 0; // 1-based; 0 when unknown
    QString text(const QString &fileName) const;
};

/** Reads a case-study boundary from GeoJSON (RFC 7946): a Polygon or MultiPolygon geometry,
 *  a Feature holding one, or a FeatureCollection whose features all hold one (their polygons
 *  are joined). WGS84 only: a "crs" member naming anything but CRS84/EPSG:4326 is refused.
 *  Refused too, with the reason and the place: other geometry types, positions that are not
 *  2 or 3 finite numbers in range, rings with fewer than 4 positions or not closed, rings
 *  spanning more than 180 degrees of longitude (antimeridian), more than kMaxPositions
 *  positions, texts over kMaxBytes. */
class GeoJsonReader
{
public:
    static constexpr qsizetype kMaxBytes = 16 * 1024 * 1024;
    static constexpr qsizetype kMaxPositions = 1'000'000;

    static std::optional<Area> read(const QByteArray &json, GeoJsonProblem *problem);
};

} // namespace kerbside::geo
