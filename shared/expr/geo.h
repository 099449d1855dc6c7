// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace kerbside::expr {

/** The ODK geo functions over geopoint, geotrace and geoshape answers: text of
 *  "lat lon [alt [accuracy]]" points separated by ';' (a trailing ';' allowed). Distances and
 *  areas are on a sphere of Earth's equatorial radius, 6378100 m, as javarosa computes them. */
class Geo
{
public:
    struct Point
    {
        double lat = 0;
        double lon = 0;
    };
    static constexpr double kEarthRadius = 6378100.0;

    // nullopt when any point is malformed or out of range; an empty list for empty text.
    static std::optional<std::vector<Point>> parse(const QString &text);
    // distance(): metres along the points in order; 0 with fewer than two points.
    static double distance(const std::vector<Point> &points);
    // area(): square metres enclosed by the points (closed if not already); 0 below three.
    static double area(const std::vector<Point> &points);
    // geofence(point, shape): whether the point lies inside the polygon (ray casting).
    static bool inside(const Point &point, const std::vector<Point> &shape);
};

} // namespace kerbside::expr
