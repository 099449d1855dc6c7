// SPDX-License-Identifier: Apache-2.0
// i12 on the tablet: a fix is judged against the case study's area offline (inside / outside /
// unknown, distance to the boundary in metres, the area version), stored with the response in a
// real SQLite store, kept by the outbox journal and read back after a reopen.
#include "form/formloader.h"
#include "geo/areacheck.h"
#include "geo/geojsonreader.h"
#include "geo/viewprojection.h"
#include "interview/interviewsession.h"
#include "store/outboxjournal.h"
#include "testpaths.h"

#include <catch2/catch.hpp>

#include <QTemporaryDir>

#include <cmath>

using namespace kerbside;

namespace {

// A square of 0.02 x 0.02 degrees round (-2.24, 53.46) with a hole in its north-east quarter.
const QByteArray kSquareWithHole = R"({"type":"Polygon","coordinates":[
  [[-2.25,53.45],[-2.23,53.45],[-2.23,53.47],[-2.25,53.47],[-2.25,53.45]],
  [[-2.238,53.462],[-2.232,53.462],[-2.232,53.468],[-2.238,53.468],[-2.238,53.462]]]})";

geo::Area square()
{
    geo::GeoJsonProblem problem;
    std::optional<geo::Area> a = geo::GeoJsonReader::read(kSquareWithHole, &problem);
    REQUIRE(a);
    return *a;
}

Location fix(double lat, double lon)
{
    Location l;
    l.latitude = lat;
    l.longitude = lon;
    l.accuracy = 6;
    l.time = QDateTime::fromMSecsSinceEpoch(1764600000000, Qt::UTC);
    return l;
}

// Metres per degree of longitude at `lat` on the mean sphere the area uses.
double metresPerDegreeLon(double lat)
{
    return std::cos(lat * M_PI / 180) * M_PI / 180 * geo::Area::kEarthRadiusMetres;
}

Form voxPop()
{
    FormLoadResult r = FormLoader::loadFile(kerbside::test::sourcePath("forms/community-contracts-voxpop.json"));
    REQUIRE(r.ok());
    return *r.form;
}

} // namespace

TEST_CASE("a fix is judged inside, outside or unknown with the distance to the boundary", "[geo][area]")
{
    const geo::Area area = square();
    SECTION("inside, 0.005 degrees of longitude from the west edge")
    {
        const AreaCheck c = geo::checkAgainstArea(&area, 3, fix(53.455, -2.245));
        CHECK(c.inside == InsideArea::Yes);
        CHECK(c.distanceMetres == Approx(0.005 * metresPerDegreeLon(53.455)).epsilon(0.001));
        CHECK(c.areaVersion == 3);
    }
    SECTION("in the hole: outside, its distance to the hole's edge")
    {
        const AreaCheck c = geo::checkAgainstArea(&area, 3, fix(53.465, -2.235));
        CHECK(c.inside == InsideArea::No);
        CHECK(c.distanceMetres == Approx(0.003 * metresPerDegreeLon(53.465)).epsilon(0.001));
    }
    SECTION("east of the area: outside by 0.01 degrees of longitude (about 660 m)")
    {
        const AreaCheck c = geo::checkAgainstArea(&area, 3, fix(53.46, -2.22));
        CHECK(c.inside == InsideArea::No);
        CHECK(c.distanceMetres == Approx(0.01 * metresPerDegreeLon(53.46)).epsilon(0.001));
        CHECK(c.distanceMetres > 650);
        CHECK(c.distanceMetres < 670);
    }
    SECTION("on the edge counts as inside")
    {
        const AreaCheck c = geo::checkAgainstArea(&area, 3, fix(53.45, -2.24));
        CHECK(c.inside == InsideArea::Yes);
        CHECK(c.distanceMetres < 0.01);
    }
    SECTION("no fix or no area: unknown, no distance, no version")
    {
        const geo::Area empty;
        for (const AreaCheck &c : {geo::checkAgainstArea(&area, 3, Location{}),
                                   geo::checkAgainstArea(nullptr, 3, fix(53.46, -2.24)),
                                   geo::checkAgainstArea(&empty, 3, fix(53.46, -2.24))}) {
            CHECK(c.inside == InsideArea::Unknown);
            CHECK(std::isnan(c.distanceMetres));
            CHECK(c.areaVersion == 0);
        }
    }
}

TEST_CASE("an interview stores its area check with its fix, durably, and the outbox carries it", "[store][area]")
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("device.db"));
    const Form form = voxPop();
    NewResponse meta;
    meta.caseStudy = QStringLiteral("north");
    meta.enumerator = QStringLiteral("ana");
    meta.deviceId = QStringLiteral("tab-1");
    QString outside, inside, unknown;
    {
        auto store = DeviceStore::open(path);
        auto s = InterviewSession::start(*store, form, meta);
        outside = s->uuid();
        s->setArea(std::make_shared<const geo::Area>(square()), 2);
        const AreaCheck c = s->setLocation(fix(53.46, -2.22));
        CHECK(c.inside == InsideArea::No);
        // A better fix replaces the judgement with its own.
        CHECK(s->setLocation(fix(53.46, -2.229)).distanceMetres < 100);
        REQUIRE(s->answer(QStringLiteral("consent"), QStringLiteral("no")).ok());
        REQUIRE(s->finalise().isEmpty());

        auto s2 = InterviewSession::start(*store, form, meta);
        inside = s2->uuid();
        s2->setArea(std::make_shared<const geo::Area>(square()), 2);
        s2->setLocation(fix(53.455, -2.245));

        auto s3 = InterviewSession::start(*store, form, meta); // no area held for the case study
        unknown = s3->uuid();
        s3->setLocation(fix(53.455, -2.245));
    }
    auto store = DeviceStore::open(path); // read back from the file
    CHECK(store->schemaVersion() == DeviceStore::currentSchemaVersion());
    const AreaCheck o = store->response(outside)->meta.area;
    CHECK(o.inside == InsideArea::No);
    CHECK(o.distanceMetres == Approx(0.001 * metresPerDegreeLon(53.46)).epsilon(0.001));
    CHECK(o.areaVersion == 2);
    const AreaCheck i = store->response(inside)->meta.area;
    CHECK(i.inside == InsideArea::Yes);
    CHECK(i.areaVersion == 2);
    const AreaCheck u = store->response(unknown)->meta.area;
    CHECK(u.inside == InsideArea::Unknown);
    CHECK(std::isnan(u.distanceMetres));
    CHECK(u.areaVersion == 0);
    CHECK(store->response(unknown)->meta.location.isValid());

    const OutboxBatch out = store->outbox();
    REQUIRE(out.responses.size() == 1);
    CHECK(out.responses[0].meta.area.inside == InsideArea::No);

    // The outbox journal (salvage after damage) keeps it too.
    OutboxJournal::Entry e{out.responses[0], {}};
    OutboxJournal::Entry back;
    REQUIRE(OutboxJournal::decode(OutboxJournal::encode(e), &back));
    CHECK(back.response.meta.area.inside == InsideArea::No);
    CHECK(back.response.meta.area.distanceMetres == Approx(o.distanceMetres));
    CHECK(back.response.meta.area.areaVersion == 2);
}

TEST_CASE("the area view's projection keeps proportions, puts north up and picks a round scale bar", "[geo][area]")
{
    const geo::Area area = square();
    const auto v = geo::ViewProjection::fit(geo::areaPositions(area), 800, 600, 20);
    REQUIRE(v.isValid());
    const double wideM = 0.02 * metresPerDegreeLon(53.46), tallM = 0.02 * geo::Area::kEarthRadiusMetres * M_PI / 180;
    // Taller than wide (2224 m by 1323 m): the height decides, 560 px for 2224 m.
    CHECK(v.metresPerPixel() == Approx(tallM / 560).epsilon(1e-9));
    const auto nw = v.toView({-2.25, 53.47}), se = v.toView({-2.23, 53.45});
    CHECK(nw.y == Approx(20));
    CHECK(se.y == Approx(580));
    CHECK((nw.x + se.x) / 2 == Approx(400)); // centred
    CHECK((se.x - nw.x) / (se.y - nw.y) == Approx(wideM / tallM).epsilon(1e-3)); // proportions kept
    CHECK(v.toView({-2.24, 53.46}).x == Approx(400));
    const auto bar = v.scaleBar(200); // 200 px are about 794 m: the bar is 500 m
    CHECK(bar.metres == 500);
    CHECK(bar.pixels == Approx(500 / v.metresPerPixel()));
    CHECK(v.scaleBar(30).metres == 100); // 119 m fit: 100 m
    // One point alone gets a view 200 m across; nothing, or no room, no view.
    CHECK(geo::ViewProjection::fit({{-2.24, 53.46}}, 400, 400, 0).metresPerPixel() == Approx(0.5));
    CHECK(!geo::ViewProjection::fit({}, 400, 400, 0).isValid());
    CHECK(!geo::ViewProjection::fit({{-2.24, 53.46}}, 30, 30, 20).isValid());
}
