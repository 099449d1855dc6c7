// SPDX-License-Identifier: Apache-2.0
// The question types XLSForm brought (tests/data/forms/widgets/street-audit.json, as the
// converter writes them): acknowledge (a select_one of OK), rank, range (an integer with its
// bounds), barcode (typed text), geotrace and geoshape, driven through the real QML with
// clicks and a replayed GPS walk, the stored answers checked; then each page rendered at
// 1280x800 and 800x1280, normal and largest text, normal and light high-contrast theme,
// English and Polish, checked for broken words, tiny buttons and controls out of reach, and
// saved under <build>/screenshots/widget-*.png to be looked at.
#include "layoutcheck.h"
#include "uiharness.h"

#include "preferences.h"

#include <catch2/catch.hpp>

#include <QDir>

using namespace kerbside;
using kerbside::test::UiHarness;

namespace {

const QString kForm = QStringLiteral("street-audit");

void useWidgetForm(TabletOptions &o)
{
    o.formsDir = test::sourcePath(QStringLiteral("tests/data/forms/widgets"));
    o.positioning = TabletOptions::Positioning::Nmea;
    o.nmeaFile = test::sourcePath(QStringLiteral("tests/data/gps/manchester-walk.nmea"));
}

// Positioners place items at polish time, which offscreen only comes with a frame: positions
// read before it may be the ones of before the last click (a moved rank row, a new page).
void placed(UiHarness &ui)
{
    test::settle();
    QQuickTest::qWaitForPolish(ui.window(), 2000);
}

// The item lies wholly inside the page's scrolling body once scrolled to: not under the
// footer, not above the title bar.
bool reachable(UiHarness &ui, const QString &name)
{
    placed(ui);
    QQuickItem *item = ui.require(name);
    ui.scrollIntoView(item);
    placed(ui);
    for (QQuickItem *p = item->parentItem(); p; p = p->parentItem()) {
        if (!p->inherits("QQuickFlickable"))
            continue;
        const QRectF body = p->mapRectToScene(QRectF(0, 0, p->width(), p->height()));
        const QRectF rect = item->mapRectToScene(QRectF(0, 0, item->width(), item->height()));
        return body.adjusted(-1, -1, 1, 1).contains(rect);
    }
    return true;
}

QRectF sceneRect(UiHarness &ui, const char *name)
{
    placed(ui);
    QQuickItem *item = ui.require(QLatin1String(name));
    return item->mapRectToScene(QRectF(0, 0, item->width(), item->height()));
}

QStringList rankLabels(UiHarness &ui, const QStringList &names)
{
    QList<QPair<double, QString>> placed;
    for (const QString &n : names) {
        QQuickItem *label = ui.require(QStringLiteral("rank_priorities_") + n);
        placed.append({label->mapToScene(QPointF(0, 0)).y(), label->property("text").toString()});
    }
    std::sort(placed.begin(), placed.end());
    QStringList out;
    for (const auto &p : placed)
        out << p.second;
    return out;
}

// Taps "Add this point" once the replayed walk (one fix a second) has moved on from every
// point recorded, so each point is a new one.
void addPoint(UiHarness &ui, const QString &question)
{
    const QString button = QStringLiteral("addPoint_") + question;
    const QString before = ui.interview().answer(question);
    QStringList latitudes;
    for (const QString &p : before.split(QLatin1Char(';'), Qt::SkipEmptyParts))
        latitudes << p.section(QLatin1Char(' '), 0, 0);
    PositionService *position = ui.app().position();
    REQUIRE(position);
    REQUIRE(test::waitFor([&] {
        QQuickItem *b = ui.find(button);
        const QString live = QString::number(position->property("latitude").toDouble(), 'f', 7);
        return b && b->isEnabled() && !latitudes.contains(live);
    }, 15000));
    REQUIRE(reachable(ui, button));
    ui.click(button);
    REQUIRE(ui.interview().answer(question) != before);
}

void backspace(UiHarness &ui, int times)
{
    for (int i = 0; i < times; ++i)
        QTest::sendKeyEvent(QTest::Click, ui.window(), Qt::Key_Backspace, QString(), Qt::NoModifier);
    test::settle();
}

} // namespace

TEST_CASE("New question types on the tablet: acknowledge, rank, range, barcode, geotrace, geoshape", "[ui][widgets]")
{
    UiHarness ui(useWidgetForm);
    REQUIRE(ui.startInterview(kForm));
    const QString uuid = ui.interview().uuid();

    // Acknowledge: the one OK choice; required, so Next waits for it.
    REQUIRE(ui.isShowing("question_safety_briefing"));
    ui.click("nextButton");
    CHECK(ui.isShowing("question_safety_briefing"));
    ui.click("choice_safety_briefing_OK");
    CHECK(ui.interview().answer("safety_briefing") == QLatin1String("OK"));
    ui.click("nextButton");

    // Rank: in form order until the first move; the first can't go up nor the last down.
    REQUIRE(ui.isShowing("question_priorities"));
    const QStringList names{"bins", "lighting", "potholes", "graffiti", "safety"};
    CHECK(rankLabels(ui, names) == QStringList{"1. Bins emptied on time", "2. Street lighting", "3. Potholes repaired",
                                              "4. Graffiti removed", "5. Feeling safe after dark"});
    CHECK_FALSE(ui.require("rankUp_priorities_bins")->isEnabled());
    CHECK_FALSE(ui.require("rankDown_priorities_safety")->isEnabled());
    CHECK(ui.require("rankUp_priorities_safety")->height() >= 48);
    REQUIRE(reachable(ui, "rankKeep_priorities"));
    ui.click("nextButton"); // required: nothing stored until a move or "Keep this order"
    CHECK(ui.isShowing("question_priorities"));
    CHECK(ui.interview().answer("priorities").isEmpty());
    ui.click("rankUp_priorities_safety");
    CHECK(ui.interview().answer("priorities") == QLatin1String("bins lighting potholes safety graffiti"));
    CHECK_FALSE(ui.isShowing("rankKeep_priorities")); // the order is stored: nothing to keep
    ui.click("rankUp_priorities_safety");
    ui.click("rankDown_priorities_bins");
    CHECK(ui.interview().answer("priorities") == QLatin1String("lighting bins safety potholes graffiti"));
    CHECK(rankLabels(ui, names) == QStringList{"1. Street lighting", "2. Bins emptied on time", "3. Feeling safe after dark",
                                              "4. Potholes repaired", "5. Graffiti removed"});
    // Each choice sits in its own box, apart from the next: a thumb that misses by a finger's
    // width lands on the gap, not on the next choice's button.
    CHECK(sceneRect(ui, "rankUp_priorities_bins").top() - sceneRect(ui, "rankUp_priorities_lighting").bottom() >= 24);
    REQUIRE(reachable(ui, "rankDown_priorities_graffiti"));
    ui.click("nextButton");

    // Range 0-10: 11 is refused with the bounds' message, 7 goes through.
    REQUIRE(ui.isShowing("question_noise"));
    ui.type("input_noise", "11");
    ui.click("nextButton");
    CHECK(ui.isShowing("question_noise"));
    CHECK_FALSE(ui.interview().message().isEmpty());
    ui.click("input_noise");
    backspace(ui, 2);
    ui.type("input_noise", "7");
    ui.click("nextButton");
    CHECK(ui.interview().answer("noise") == QLatin1String("7"));

    // Barcode: typed in.
    REQUIRE(ui.isShowing("question_bin_code"));
    ui.type("input_bin_code", "MCR-0042");
    ui.click("nextButton");

    // Geotrace: three points along the walk, the last taken back: two stay.
    REQUIRE(ui.isShowing("question_route"));
    CHECK_FALSE(ui.require("removePoint_route")->isEnabled());
    addPoint(ui, "route");
    ui.click("nextButton"); // one point is not a line
    CHECK(ui.isShowing("question_route"));
    addPoint(ui, "route");
    addPoint(ui, "route");
    CHECK(ui.text("points_route") == QLatin1String("Points recorded: 3"));
    REQUIRE(reachable(ui, "removePoint_route"));
    // "Remove last point" is set apart from "Add this point", below the count.
    CHECK(sceneRect(ui, "removePoint_route").top() - sceneRect(ui, "addPoint_route").bottom() >= 48);
    ui.click("removePoint_route");
    CHECK(ui.text("points_route") == QLatin1String("Points recorded: 2"));
    const QStringList route = ui.interview().answer("route").split(';');
    REQUIRE(route.size() == 2);
    for (const QString &p : route) {
        const QStringList parts = p.split(' ');
        REQUIRE(parts.size() == 4);
        CHECK(parts[0].toDouble() == Approx(53.467).margin(0.01)); // the Manchester walk
        CHECK(parts[1].toDouble() == Approx(-2.234).margin(0.01));
    }
    CHECK(route[0] != route[1]);
    ui.click("nextButton");

    // Geoshape: closed (the first corner again) from the third corner on; open again below it.
    REQUIRE(ui.isShowing("question_plot"));
    addPoint(ui, "plot");
    addPoint(ui, "plot");
    CHECK(ui.interview().answer("plot").split(';').size() == 2);
    addPoint(ui, "plot");
    QStringList plot = ui.interview().answer("plot").split(';');
    REQUIRE(plot.size() == 4);
    CHECK(plot.first() == plot.last());
    CHECK(ui.text("points_plot") == QLatin1String("Points recorded: 3"));
    ui.click("removePoint_plot");
    CHECK(ui.interview().answer("plot").split(';').size() == 2);
    addPoint(ui, "plot");
    addPoint(ui, "plot");
    plot = ui.interview().answer("plot").split(';');
    REQUIRE(plot.size() == 5);
    CHECK(plot.first() == plot.last());
    ui.click("nextButton");

    // Review, finalise: the stored answers are what was driven.
    REQUIRE(ui.interview().mode() == QLatin1String("review"));
    ui.click("finaliseButton");
    REQUIRE(ui.interview().mode() == QLatin1String("finished"));
    const auto r = ui.store().response(uuid);
    REQUIRE(r);
    CHECK(r->meta.status == ResponseStatus::Complete);
    CHECK(r->answers.value("safety_briefing") == QLatin1String("OK"));
    CHECK(r->answers.value("priorities") == QLatin1String("lighting bins safety potholes graffiti"));
    CHECK(r->answers.value("noise") == QLatin1String("7"));
    CHECK(r->answers.value("bin_code") == QLatin1String("MCR-0042"));
    CHECK(r->answers.value("route").split(';') == route);
    CHECK(r->answers.value("plot").split(';') == plot);
}

TEST_CASE("\"Keep this order\" stores the form's order as the rank", "[ui][widgets]")
{
    UiHarness ui(useWidgetForm);
    REQUIRE(ui.startInterview(kForm));
    ui.click("choice_safety_briefing_OK");
    ui.click("nextButton");
    ui.click("rankKeep_priorities");
    CHECK(ui.interview().answer("priorities") == QLatin1String("bins lighting potholes graffiti safety"));
    ui.click("nextButton");
    CHECK(ui.isShowing("question_noise"));
}

namespace {

void shootWidgets(QSize size)
{
    UiHarness ui(useWidgetForm, {}, size);
    REQUIRE(ui.startInterview(kForm));
    ui.interview().setAnswer("safety_briefing", "OK");
    ui.interview().setAnswer("priorities", "lighting bins safety potholes graffiti");
    ui.interview().setAnswer("noise", "7");
    ui.interview().setAnswer("bin_code", "MCR-0042");
    ui.interview().setAnswer("route", "53.4668 -2.2339 0 8.5;53.4670 -2.2341 0 6");
    ui.interview().setAnswer("plot", "53.4668 -2.2339 0 8.5;53.4670 -2.2341 0 6;53.4671 -2.2335 0 5;53.4668 -2.2339 0 8.5");
    Preferences *prefs = ui.app().prefs();
    QStringList problems;
    int shots = 0;
    for (const char *question : {"safety_briefing", "priorities", "noise", "route", "plot"}) {
        ui.interview().goTo(QLatin1String(question));
        for (const int textSize : {1, prefs->textSizeCount() - 1}) {
            prefs->setTextSize(textSize);
            for (const QString &theme : {QStringLiteral("normal"), QStringLiteral("light")}) {
                prefs->setTheme(theme);
                for (const QString &language : {QStringLiteral("en"), QStringLiteral("pl")}) {
                    prefs->setUiLanguage(language);
                    ui.interview().setLanguage(language);
                    test::settle(6);
                    const QString name = QStringLiteral("widget-%1-%2x%3-text%4-%5-%6")
                                             .arg(QLatin1String(question)).arg(size.width()).arg(size.height())
                                             .arg(textSize).arg(theme, language);
                    for (const QString &p : test::layoutProblems(ui))
                        problems << name + QStringLiteral(": ") + p;
                    // The page's last control can be scrolled into view above the footer.
                    const QString last = QLatin1String(question) == QLatin1String("priorities")
                        ? QStringLiteral("rankDown_priorities_graffiti")
                        : QLatin1String(question) == QLatin1String("route") || QLatin1String(question) == QLatin1String("plot")
                        ? QStringLiteral("points_%1").arg(QLatin1String(question))
                        : QStringLiteral("question_%1").arg(QLatin1String(question));
                    if (!reachable(ui, last))
                        problems << name + QStringLiteral(": ") + last + QStringLiteral(" cannot be brought above the footer");
                    ui.scrollIntoView(ui.require(QStringLiteral("question_%1").arg(QLatin1String(question))));
                    test::settle(4);
                    const QImage image = ui.window()->grabWindow();
                    const QString dir = test::binaryPath(QStringLiteral("screenshots"));
                    QDir().mkpath(dir);
                    REQUIRE(image.save(QDir(dir).filePath(name + QStringLiteral(".png"))));
                    ++shots;
                }
            }
        }
    }
    INFO(problems.join('\n').toStdString());
    CHECK(problems.isEmpty());
    CHECK(shots == 40);
}

} // namespace

TEST_CASE("New question types rendered: landscape 1280x800", "[ui][widgets][screenshots]")
{
    shootWidgets(QSize(1280, 800));
}

TEST_CASE("New question types rendered: portrait 800x1280", "[ui][widgets][screenshots]")
{
    shootWidgets(QSize(800, 1280));
}
