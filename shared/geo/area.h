// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <vector>

namespace kerbside::geo {

/** A WGS84 position in degrees (GeoJSON order: longitude first). */
struct LonLat
{
    double lon = 0;
    double lat = 0;
};

/** A linear ring as GeoJSON gives it: closed (the last position repeats the first). */
using Ring = std::vector<LonLat>;

struct Polygon
{
    Ring outer;
    std::vector<Ring> holes;
};

enum class Place { Outside, Inside, OnBoundary };

/** A case study's boundary: one or more polygons (a GeoJSON Polygon or MultiPolygon), holes
 *  allowed. The boundary itself (within 1 cm) counts as inside: a fieldworker standing on the
 *  line drawn round the neighbourhood is in it.
 *
 *  Geometry is planar in degrees for the inside test (as GeoJSON, RFC 7946 section 3.1.1,
 *  says edges are to be read) and in a local equirectangular projection around the point for
 *  distances (error well under 1% within tens of kilometres, which is all a neighbourhood needs).
 *  Areas crossing the antimeridian or a pole are not supported (GeoJSON readers refuse them). */
class Area
{
public:
    Area() = default;
    explicit Area(std::vector<Polygon> polygons) : m_polygons(std::move(polygons)) {}

    const std::vector<Polygon> &polygons() const { return m_polygons; }
    bool isEmpty() const { return m_polygons.empty(); }

    Place locate(LonLat p) const;
    bool contains(LonLat p) const { return locate(p) != Place::Outside; }
    // Shortest distance from p to any edge (outer or hole), in metres; 0 on the boundary.
    double distanceToBoundary(LonLat p) const;
    // Metres from p to the area: 0 inside, the distance to the boundary outside.
    double distanceOutside(LonLat p) const { return contains(p) ? 0.0 : distanceToBoundary(p); }

    static constexpr double kEarthRadiusMetres = 6371008.8; // IUGG mean radius
    static constexpr double kBoundaryToleranceMetres = 0.01;

private:
    std::vector<Polygon> m_polygons;
};

} // namespace kerbside::geo
