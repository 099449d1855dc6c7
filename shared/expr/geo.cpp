// SPDX-License-Identifier: Apache-2.0
#include "geo.h"

#include <cmath>
#include <numbers>

namespace kerbside::expr {

namespace {
double radians(double degrees)
{
    return degrees * std::numbers::pi / 180.0;
}
} // namespace

std::optional<std::vector<Geo::Point>> Geo::parse(const QString &text)
{
    std::vector<Point> points;
    for (const QString &piece : text.split(QLatin1Char(';'))) {
        const QString p = piece.trimmed();
        if (p.isEmpty())
            continue; // "a; b;": the trailing separator Collect writes
        const QStringList parts = p.split(QLatin1Char(' '), Qt::SkipEmptyParts);
        if (parts.size() < 2 || parts.size() > 4)
            return std::nullopt;
        bool okLat = false;
        bool okLon = false;
        const Point point {parts[0].toDouble(&okLat), parts[1].toDouble(&okLon)};
        if (!okLat || !okLon || std::fabs(point.lat) > 90 || std::fabs(point.lon) > 180)
            return std::nullopt;
        for (qsizetype i = 2; i < parts.size(); ++i) {
            bool ok = false;
            parts[i].toDouble(&ok);
            if (!ok)
                return std::nullopt;
        }
        points.push_back(point);
    }
    return points;
}

double Geo::distance(const std::vector<Point> &points)
{
    double total = 0;
    for (size_t i = 1; i < points.size(); ++i) {
        // Haversine, stable for the short legs of a walked trace.
        const double dLat = radians(points[i].lat - points[i - 1].lat);
        const double dLon = radians(points[i].lon - points[i - 1].lon);
        const double a = std::sin(dLat / 2) * std::sin(dLat / 2)
            + std::cos(radians(points[i - 1].lat)) * std::cos(radians(points[i].lat)) * std::sin(dLon / 2)
                * std::sin(dLon / 2);
        total += 2 * kEarthRadius * std::atan2(std::sqrt(a), std::sqrt(1 - a));
    }
    return total;
}

double Geo::area(const std::vector<Point> &points)
{
    if (points.size() < 3)
        return 0;
    // The spherical polygon's signed area from the sum, over its edges, of the area between
    // each edge and the pole (Chamberlain and Duquette, "Some algorithms for polygons on a sphere").
    double sum = 0;
    const size_t n = points.size();
    for (size_t i = 0; i < n; ++i) {
        const Point &p1 = points[i];
        const Point &p2 = points[(i + 1) % n];
        sum += radians(p2.lon - p1.lon) * (2 + std::sin(radians(p1.lat)) + std::sin(radians(p2.lat)));
    }
    return std::fabs(sum * kEarthRadius * kEarthRadius / 2);
}

bool Geo::inside(const Point &point, const std::vector<Point> &shape)
{
    bool in = false;
    const size_t n = shape.size();
    for (size_t i = 0, j = n - 1; i < n; j = i++) {
        const Point &a = shape[i];
        const Point &b = shape[j];
        if ((a.lat > point.lat) != (b.lat > point.lat)
            && point.lon < (b.lon - a.lon) * (point.lat - a.lat) / (b.lat - a.lat) + a.lon)
            in = !in;
    }
    return n >= 3 && in;
}

} // namespace kerbside::expr
