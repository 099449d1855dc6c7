// SPDX-License-Identifier: Apache-2.0
// shared/geo: point-in-polygon and distance to the boundary against hand-checked points, and
// the GeoJSON reader's refusals (each with its reason and line).
#include "geo/geojsonreader.h"

#include <catch2/catch.hpp>

#include <cmath>

using namespace kerbside::geo;

namespace {

// One degree of arc on the mean sphere, in metres: 6371008.8 * pi / 180.
constexpr double kDegree = 111195.08;

Ring square(double w, double s, double e, double n)
{
    return {{w, s}, {e, s}, {e, n}, {w, n}, {w, s}};
}

struct Check
{
    const char *what;
    LonLat p;
    Place place;
    double metres; // distance to the boundary, worked out by hand
};

void runTable(const Area &area, std::initializer_list<Check> table)
{
    for (const Check &c : table) {
        INFO(c.what << " (" << c.p.lon << ", " << c.p.lat << ")");
        CHECK(area.locate(c.p) == c.place);
        CHECK(area.distanceToBoundary(c.p) == Approx(c.metres).margin(0.02).epsilon(1e-4));
        CHECK(area.contains(c.p) == (c.place != Place::Outside));
    }
}

} // namespace

TEST_CASE("a square with a hole, at the equator: inside, in the hole, outside, on edges and corners")
{
    // 0.01 degrees square (about 1.1 km), hole 0.004..0.006.
    const Area area({Polygon{square(0, 0, 0.01, 0.01), {square(0.004, 0.004, 0.006, 0.006)}}});
    runTable(area, {
        {"inside, 0.002 deg from the west edge and the hole", {0.002, 0.005}, Place::Inside, 0.002 * kDegree},
        {"inside, near the south edge", {0.005, 0.001}, Place::Inside, 0.001 * kDegree},
        {"centre of the hole", {0.005, 0.005}, Place::Outside, 0.001 * kDegree},
        {"east of the square", {0.012, 0.005}, Place::Outside, 0.002 * kDegree},
        {"diagonally off the north-east corner", {0.013, 0.014}, Place::Outside, 0.005 * kDegree},
        {"on the east edge", {0.01, 0.005}, Place::OnBoundary, 0},
        {"on the south-west corner", {0, 0}, Place::OnBoundary, 0},
        {"on the hole's edge", {0.004, 0.005}, Place::OnBoundary, 0},
        {"on the hole's corner", {0.006, 0.006}, Place::OnBoundary, 0},
        {"5 mm inside the west edge (within the 1 cm tolerance)", {0.005 / kDegree, 0.005}, Place::OnBoundary, 0.005},
        {"5 cm outside the west edge", {-0.05 / kDegree, 0.005}, Place::Outside, 0.05},
    });
}

TEST_CASE("at latitude 60 a degree of longitude is half as long")
{
    const Area area({Polygon{square(10, 60, 10.02, 60.01), {}}});
    // 0.005 deg of longitude east of the east edge, at latitude 60.005 (the nearest point of the
    // edge is level with the point): 0.005 * cos(60.005 deg) * kDegree = 277.946 m.
    runTable(area, {
        {"east of the east edge", {10.025, 60.005}, Place::Outside, 0.005 * std::cos(60.005 * M_PI / 180) * kDegree},
        {"inside, 0.002 deg of latitude below the north edge", {10.01, 60.008}, Place::Inside, 0.002 * kDegree},
    });
}

TEST_CASE("a diamond: a ray through a vertex counts once")
{
    const Area area({Polygon{{{0, -1}, {1, 0}, {0, 1}, {-1, 0}, {0, -1}}, {}}});
    CHECK(area.locate({0.5, 0}) == Place::Inside);
    CHECK(area.locate({-0.5, 0}) == Place::Inside);
    CHECK(area.locate({1.5, 0}) == Place::Outside);
    CHECK(area.locate({-1.5, 0}) == Place::Outside);
    CHECK(area.locate({0, 1.2}) == Place::Outside);
    CHECK(area.locate({1, 0}) == Place::OnBoundary);
    CHECK(area.locate({0.5, 0.5}) == Place::OnBoundary);
}

TEST_CASE("a concave U and a MultiPolygon of two parts")
{
    // A U open to the north: the notch 0.004..0.006 from latitude 0.004 up is outside.
    const Ring u{{0, 0}, {0.01, 0}, {0.01, 0.01}, {0.006, 0.01}, {0.006, 0.004},
                 {0.004, 0.004}, {0.004, 0.01}, {0, 0.01}, {0, 0}};
    const Area area({Polygon{u, {}}, Polygon{square(0.02, 0, 0.03, 0.01), {}}});
    runTable(area, {
        {"in the notch", {0.005, 0.008}, Place::Outside, 0.001 * kDegree},
        {"left arm", {0.002, 0.008}, Place::Inside, 0.002 * kDegree},
        {"below the notch", {0.005, 0.002}, Place::Inside, 0.002 * kDegree},
        {"second part", {0.025, 0.005}, Place::Inside, 0.005 * kDegree},
        {"between the parts, nearer the second", {0.018, 0.005}, Place::Outside, 0.002 * kDegree},
        {"on the second part's west edge", {0.02, 0.003}, Place::OnBoundary, 0},
    });
}

TEST_CASE("GeoJSON: Polygon, MultiPolygon, Feature and FeatureCollection are read")
{
    GeoJsonProblem problem;
    const QByteArray polygon = R"({"type":"Polygon","coordinates":[[[0,0],[0.01,0],[0.01,0.01],[0,0.01],[0,0]],
        [[0.004,0.004],[0.006,0.004],[0.006,0.006],[0.004,0.006],[0.004,0.004]]]})";
    auto a = GeoJsonReader::read(polygon, &problem);
    REQUIRE(a);
    REQUIRE(a->polygons().size() == 1);
    CHECK(a->polygons()[0].holes.size() == 1);
    CHECK(a->contains({0.002, 0.002}));
    CHECK_FALSE(a->contains({0.005, 0.005}));

    const QByteArray multi = R"({"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]],[[[2,0],[3,0],[3,1],[2,0]]]]})";
    a = GeoJsonReader::read(multi, &problem);
    REQUIRE(a);
    CHECK(a->polygons().size() == 2);

    const QByteArray collection = R"({"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:OGC:1.3:CRS84"}},
        "features":[{"type":"Feature","properties":{"name":"North"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1,12.5],[0,0]]]}},
                    {"type":"Feature","properties":{},"geometry":{"type":"MultiPolygon","coordinates":[[[[2,0],[3,0],[3,1],[2,0]]]]}}]})";
    a = GeoJsonReader::read(collection, &problem);
    REQUIRE(a);
    CHECK(a->polygons().size() == 2);
}

TEST_CASE("GeoJSON: anything else is refused with the reason and the line")
{
    struct Bad
    {
        const char *json;
        const char *reason; // part of the message
        int line;
    };
    const Bad table[] = {
        {"{\"type\":\"Polygon\",\n\"coordinates\":[[[0,0],[1,0]\n,[1,1]]]}", "at least 4 positions", 2},
        {"{\"type\":\"Point\",\"coordinates\":[0,0]}", "Point is not an area", 1},
        {"{\"type\":\"LineString\",\"coordinates\":[[0,0],[1,1]]}", "LineString is not an area", 1},
        {"{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,1]]]}", "not closed", 1},
        {"{\"type\":\"Polygon\",\"coordinates\":\n[[[0,0],[1,0],\n[1,\"x\"],[0,0]]]}", "must be a number", 3},
        {"{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,91],[0,0]]]}", "latitude 91 is outside", 1},
        {"{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1,2,3],[0,0]]]}", "[longitude, latitude]", 1},
        {"{\"type\":\"Polygon\",\"coordinates\":[[[-179,0],[179,0],[179,1],[-179,0]]]}", "antimeridian", 1},
        {"{\"type\":\"Polygon\",\"coordinates\":[]}", "outer ring", 1},
        {"{\"type\":\"MultiPolygon\",\"coordinates\":[]}", "at least one polygon", 1},
        {"{\"type\":\"Feature\",\"geometry\":null}", "must be an object", 1},
        {"{\"type\":\"FeatureCollection\",\"features\":[]}", "non-empty", 1},
        {"{\"type\":\"FeatureCollection\",\"features\":[\n{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[0,0]}}]}",
         "Point is not an area", 2},
        {"{\"type\":\"Polygon\",\"crs\":{\"type\":\"name\",\"properties\":{\"name\":\"EPSG:27700\"}},\"coordinates\":[[[0,0],[1,0],[1,1],[0,0]]]}",
         "not WGS84", 1},
        {"{\"type\":\"Polygon\",\n\"type\":\"Point\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,0]]]}", "appears twice", 2},
        {"{\"type\":\"Polygon\",\n\"coordinates\":[[[0,0],[1,0]", "not JSON", 2},
        {"[1,2]", "must be an object", 1},
        {"{\"coordinates\":[]}", "no geometry \"type\"", 1},
    };
    for (const Bad &b : table) {
        INFO(b.json);
        GeoJsonProblem problem;
        CHECK_FALSE(GeoJsonReader::read(QByteArray(b.json), &problem));
        CHECK(problem.reason.contains(QString::fromUtf8(b.reason)));
        CHECK(problem.line == b.line);
        CHECK(problem.text(QStringLiteral("north.geojson")).startsWith(QStringLiteral("north.geojson line %1").arg(b.line)));
    }
    GeoJsonProblem big;
    CHECK_FALSE(GeoJsonReader::read(QByteArray(GeoJsonReader::kMaxBytes + 1, ' '), &big));
    CHECK(big.reason.contains(QStringLiteral("larger than")));
}
