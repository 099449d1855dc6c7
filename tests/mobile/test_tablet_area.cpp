// SPDX-License-Identifier: Apache-2.0
// i12 on the real tablet UI, offscreen, with a real NMEA log for GPS and the area arriving as a
// real FormManifest: each interview stores how its fix stands to the area; one started outside
// says so at once and lets the fieldworker go on; the area view opens from Home's button and
// draws the boundary, the fieldworker and this tablet's interviews (screenshots at 1280x800
// and 800x1280 under <build>/screenshots/).
#include "uiharness.h"

#include "fieldworkstate.h"
#include "kerbside/v1/sync.pb.h"

#include <catch2/catch.hpp>

#include <QDir>
#include <QImage>

using namespace kerbside;
using kerbside::test::UiHarness;

namespace {

// The NMEA walk stays within a few metres of (53.4668, -2.2339).
const char *const kAroundWalk = R"({"type":"Polygon","coordinates":[
  [[-2.2400,53.4630],[-2.2280,53.4630],[-2.2280,53.4710],[-2.2400,53.4710],[-2.2400,53.4630]],
  [[-2.2380,53.4640],[-2.2360,53.4640],[-2.2360,53.4655],[-2.2380,53.4655],[-2.2380,53.4640]]]})";
// A block about 670 m west of the walk, and a smaller one further south-west.
const char *const kWestOfWalk = R"({"type":"MultiPolygon","coordinates":[
  [[[-2.2560,53.4640],[-2.2440,53.4640],[-2.2440,53.4700],[-2.2560,53.4700],[-2.2560,53.4640]]],
  [[[-2.2600,53.4600],[-2.2570,53.4600],[-2.2570,53.4620],[-2.2600,53.4620],[-2.2600,53.4600]]]]})";

// As a sync brings it: the case study's plan in a FormManifest, through the client's own code.
void receiveArea(UiHarness &ui, const QString &caseStudy, int version, const char *geojson)
{
    v1::FormManifest m;
    m.set_format(1);
    v1::FieldworkPlan *p = m.add_plans();
    p->set_case_study(caseStudy.toStdString());
    p->set_area_version(quint32(version));
    p->set_area_geojson(geojson);
    rememberFieldworkPlans(ui.store(), m, QDateTime::currentDateTimeUtc());
}

std::function<void(TabletOptions &)> nmea()
{
    return [](TabletOptions &o) {
        o.positioning = TabletOptions::Positioning::Nmea;
        o.nmeaFile = test::sourcePath("tests/data/gps/manchester-walk.nmea");
    };
}

// Starts the vox pop from Home and waits for its first fix to be stored.
QString startWithFix(UiHarness &ui)
{
    ui.click(QStringLiteral("nav_home"));
    ui.click(QStringLiteral("form_community-contracts-voxpop"));
    ui.click(QStringLiteral("startInterviewButton"));
    REQUIRE(ui.interview().mode() == QLatin1String("question"));
    REQUIRE(test::waitFor([&] { return ui.interview().locationState() == QLatin1String("recorded"); }, 10000));
    test::settle();
    return ui.interview().uuid();
}

// Consent "no": a refusal, finalised; back to Home.
void refuse(UiHarness &ui)
{
    ui.click(QStringLiteral("choice_consent_no"));
    ui.click(QStringLiteral("nextButton"));
    REQUIRE(ui.interview().mode() == QLatin1String("finished"));
    ui.click(QStringLiteral("finishedHomeButton"));
}

QString shoot(UiHarness &ui, const QString &name)
{
    test::settle(6);
    const QImage image = ui.window()->grabWindow().convertToFormat(QImage::Format_ARGB32);
    const QString dir = test::binaryPath(QStringLiteral("screenshots"));
    QDir().mkpath(dir);
    const QString file = QStringLiteral("%1/%2.png").arg(dir, name);
    REQUIRE(image.save(file));
    return file;
}

} // namespace

TEST_CASE("Interviews record inside_area with the distance; outside the area a warning lets the fieldworker go on", "[ui][area]")
{
    UiHarness ui(nmea());
    ui.completeFirstRun();
    const QString cs = ui.app().prefs()->caseStudy();
    REQUIRE(!cs.isEmpty());

    // No area yet: judged unknown.
    const QString none = startWithFix(ui);
    CHECK(ui.interview().areaWarning().isEmpty());
    refuse(ui);
    CHECK(ui.store().response(none)->meta.area.inside == InsideArea::Unknown);

    receiveArea(ui, cs, 1, kAroundWalk);
    const QString inside = startWithFix(ui);
    CHECK(!ui.isShowing(QStringLiteral("areaWarning")));
    refuse(ui);
    const AreaCheck in = ui.store().response(inside)->meta.area;
    CHECK(in.inside == InsideArea::Yes);
    CHECK(in.areaVersion == 1);
    CHECK(in.distanceMetres > 100); // the walk is well inside: ~200 m from the hole's corner
    CHECK(in.distanceMetres < 500);

    receiveArea(ui, cs, 2, kWestOfWalk);
    const QString outside = startWithFix(ui);
    REQUIRE(ui.isShowing(QStringLiteral("areaWarning")));
    const QString warning = ui.text(QStringLiteral("areaWarningText"));
    INFO(warning.toStdString());
    CHECK(warning.contains(QStringLiteral("m outside the case-study area")));
    const AreaCheck out = ui.store().response(outside)->meta.area;
    CHECK(out.inside == InsideArea::No);
    CHECK(out.areaVersion == 2);
    CHECK(out.distanceMetres > 500);
    CHECK(out.distanceMetres < 800);
    CHECK(warning.contains(QString::number(qRound64(out.distanceMetres)) + QStringLiteral(" m")));
    shoot(ui, QStringLiteral("area-warning-1280x800"));
    ui.click(QStringLiteral("areaWarningGoOn")); // the fieldworker goes on
    CHECK(!ui.isShowing(QStringLiteral("areaWarning")));
    CHECK(ui.isShowing(QStringLiteral("question_consent")));
    refuse(ui);
    // The outbox carries the tablet's judgement to the collector.
    int judged = 0;
    for (const Response &r : ui.store().outbox().responses)
        judged += r.meta.area.inside != InsideArea::Unknown ? 1 : 0;
    CHECK(judged == 2);
}

TEST_CASE("The area view opens from Home and draws the boundary, the fieldworker and the interviews", "[ui][area][screenshots]")
{
    for (const QSize size : {QSize(1280, 800), QSize(800, 1280)}) {
        UiHarness ui(nmea(), {}, size);
        ui.completeFirstRun();
        const QString cs = ui.app().prefs()->caseStudy();
        receiveArea(ui, cs, 1, kAroundWalk);
        for (int i = 0; i < 3; ++i) {
            startWithFix(ui);
            refuse(ui);
        }
        ui.click(QStringLiteral("nav_home"));
        ui.click(QStringLiteral("areaMapButton"));
        REQUIRE(ui.isShowing(QStringLiteral("areaMap")));
        auto *ctl = ui.window()->findChild<QObject *>(QStringLiteral("areaViewController"));
        REQUIRE(ctl);
        REQUIRE(test::waitFor([&] { return ctl->property("hasPosition").toBool(); }, 10000));
        CHECK(ctl->property("hasArea").toBool());
        CHECK(ctl->property("interviews").toInt() == 3);
        CHECK(ui.text(QStringLiteral("areaStatus")).startsWith(QStringLiteral("You are inside")));
        CHECK(ui.isShowing(QStringLiteral("areaBoundary")));
        CHECK(ui.isShowing(QStringLiteral("areaPosition")));
        // Two rings (outer and hole), drawn inside the map.
        const auto rings = ctl->property("rings").value<QList<QPolygonF>>();
        REQUIRE(rings.size() == 2);
        QQuickItem *map = ui.require(QStringLiteral("areaMap"));
        const QRectF box(0, 0, map->width(), map->height());
        for (const QPolygonF &r : rings) {
            CHECK(box.contains(r.boundingRect()));
        }
        // The area is 800 m across by 890 m tall: the bar is a round length under a third of the width.
        const QString scale = ui.text(QStringLiteral("areaScaleLabel"));
        INFO(scale.toStdString());
        CHECK((scale == QLatin1String("100 m") || scale == QLatin1String("200 m") || scale == QLatin1String("500 m")));
        CHECK(ctl->property("scalePixels").toDouble() > 40);
        CHECK(ctl->property("scalePixels").toDouble() <= map->width() * 0.35 + 1);
        const QString file = shoot(ui, QStringLiteral("area-view-%1x%2").arg(size.width()).arg(size.height()));
        INFO(file.toStdString());
        // The boundary's accent colour is on screen (Shapes drew it).
        const QImage img(file);
        const QVariant a = ui.app().prefs()->palette().value(QStringLiteral("accent"));
        const QColor accent = a.typeId() == QMetaType::QColor ? a.value<QColor>() : QColor(a.toString());
        REQUIRE(accent.isValid());
        int accentPixels = 0;
        for (int y = 0; y < img.height(); y += 2)
            for (int x = 0; x < img.width(); x += 2)
                accentPixels += QColor(img.pixel(x, y)).rgb() == accent.rgb() ? 1 : 0;
        CHECK(accentPixels > 200);
        // Back to Home with the toolbar.
        ui.click(QStringLiteral("nav_home"));
        CHECK(ui.isShowing(QStringLiteral("areaMapButton")));
    }
}
