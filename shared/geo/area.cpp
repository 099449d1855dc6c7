// SPDX-License-Identifier: Apache-2.0
#include "area.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace kerbside::geo {

namespace {

constexpr double kDegToRad = 3.14159265358979323846 / 180.0;

// Even-odd crossing test on one ring in the lon/lat plane (W. R. Franklin's PNPOLY).
bool insideRing(const Ring &ring, LonLat p)
{
    bool inside = false;
    const size_t n = ring.size();
    for (size_t i = 0, j = n - 1; i < n; j = i++) {
        const LonLat &a = ring[i];
        const LonLat &b = ring[j];
        if ((a.lat > p.lat) != (b.lat > p.lat)
            && p.lon < (b.lon - a.lon) * (p.lat - a.lat) / (b.lat - a.lat) + a.lon)
            inside = !inside;
    }
    return inside;
}

// Metres from p to the segments of a ring, in an equirectangular projection centred on p.
double ringDistance(const Ring &ring, LonLat p)
{
    const double kx = std::cos(p.lat * kDegToRad) * kDegToRad * Area::kEarthRadiusMetres;
    const double ky = kDegToRad * Area::kEarthRadiusMetres;
    double best = std::numeric_limits<double>::infinity();
    for (size_t i = 0; i + 1 < ring.size(); ++i) {
        const double ax = (ring[i].lon - p.lon) * kx, ay = (ring[i].lat - p.lat) * ky;
        const double bx = (ring[i + 1].lon - p.lon) * kx, by = (ring[i + 1].lat - p.lat) * ky;
        const double dx = bx - ax, dy = by - ay;
        const double len2 = dx * dx + dy * dy;
        // The nearest point of segment a-b to the origin (p): a + t (b - a), t clamped to [0, 1].
        const double t = len2 > 0 ? std::clamp(-(ax * dx + ay * dy) / len2, 0.0, 1.0) : 0.0;
        best = std::min(best, std::hypot(ax + t * dx, ay + t * dy));
    }
    return best;
}

} // namespace

Place Area::locate(LonLat p) const
{
    if (distanceToBoundary(p) <= kBoundaryToleranceMetres)
        return Place::OnBoundary;
    for (const Polygon &poly : m_polygons) {
        if (!insideRing(poly.outer, p))
            continue;
        const bool inHole = std::any_of(poly.holes.begin(), poly.holes.end(),
                                        [&](const Ring &h) { return insideRing(h, p); });
        if (!inHole)
            return Place::Inside;
    }
    return Place::Outside;
}

double Area::distanceToBoundary(LonLat p) const
{
    double best = std::numeric_limits<double>::infinity();
    for (const Polygon &poly : m_polygons) {
        best = std::min(best, ringDistance(poly.outer, p));
        for (const Ring &h : poly.holes)
            best = std::min(best, ringDistance(h, p));
    }
    return best;
}

} // namespace kerbside::geo
