// SPDX-License-Identifier: Apache-2.0
#include "viewprojection.h"

#include <algorithm>
#include <cmath>

namespace kerbside::geo {

namespace {
constexpr double kDegToRad = 3.14159265358979323846 / 180.0;
}

ViewProjection ViewProjection::fit(const std::vector<LonLat> &points, double widthPx, double heightPx,
                                   double marginPx)
{
    ViewProjection v;
    const double w = widthPx - 2 * marginPx, h = heightPx - 2 * marginPx;
    if (points.empty() || w <= 0 || h <= 0)
        return v;
    double minLon = points[0].lon, maxLon = minLon, minLat = points[0].lat, maxLat = minLat;
    for (const LonLat &p : points) {
        minLon = std::min(minLon, p.lon);
        maxLon = std::max(maxLon, p.lon);
        minLat = std::min(minLat, p.lat);
        maxLat = std::max(maxLat, p.lat);
    }
    v.m_centre = {(minLon + maxLon) / 2, (minLat + maxLat) / 2};
    v.m_metresPerDegreeLat = kDegToRad * Area::kEarthRadiusMetres;
    v.m_metresPerDegreeLon = std::cos(v.m_centre.lat * kDegToRad) * v.m_metresPerDegreeLat;
    const double spanX = std::max((maxLon - minLon) * v.m_metresPerDegreeLon, kMinSpanMetres);
    const double spanY = std::max((maxLat - minLat) * v.m_metresPerDegreeLat, kMinSpanMetres);
    v.m_metresPerPixel = std::max(spanX / w, spanY / h);
    v.m_width = widthPx;
    v.m_height = heightPx;
    return v;
}

ViewProjection::Pixel ViewProjection::toView(LonLat p) const
{
    if (!isValid())
        return {};
    const double east = (p.lon - m_centre.lon) * m_metresPerDegreeLon;
    const double north = (p.lat - m_centre.lat) * m_metresPerDegreeLat;
    return {m_width / 2 + east / m_metresPerPixel, m_height / 2 - north / m_metresPerPixel};
}

ViewProjection::ScaleBar ViewProjection::scaleBar(double maxPixels) const
{
    if (!isValid() || maxPixels <= 0)
        return {};
    const double maxMetres = maxPixels * m_metresPerPixel;
    const double decade = std::pow(10.0, std::floor(std::log10(maxMetres)));
    double metres = decade;
    for (const double step : {5.0, 2.0, 1.0}) {
        if (step * decade <= maxMetres) {
            metres = step * decade;
            break;
        }
    }
    return {metres, metres / m_metresPerPixel};
}

std::vector<LonLat> areaPositions(const Area &area)
{
    std::vector<LonLat> out;
    for (const Polygon &p : area.polygons()) {
        out.insert(out.end(), p.outer.begin(), p.outer.end());
        for (const Ring &h : p.holes)
            out.insert(out.end(), h.begin(), h.end());
    }
    return out;
}

} // namespace kerbside::geo
