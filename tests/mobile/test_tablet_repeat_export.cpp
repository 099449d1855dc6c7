// SPDX-License-Identifier: Apache-2.0
// Repeat groups end to end: the household roster answered through the tablet's real QML (two
// people counted by hh_size, cars added with "Add another", one removed after the
// confirmation, trips nested inside a car), sent with Sync now by the real sync client to a
// real `kerbside serve` over loopback HTTP, exported by `kerbside export`, and read back by
// Python's csv module, PSPP (.sav) and ReadStat (.dta): one table per repeat, each row linked
// to its interview by parent_uuid and numbered by _index (_parent_index inside a car).
#include "collectorfixture.h"
#include "export/exportfixture.h"
#include "uiharness.h"

#include "synccontroller.h"

#include <catch2/catch.hpp>

using namespace kerbside;
using kerbside::test::UiHarness;

namespace {

// On an "Add another" page: Add, then the instance's first question shows.
void addInstance(UiHarness &ui, const QString &firstQuestion)
{
    REQUIRE(ui.interview().pageKind() == QLatin1String("repeatEnd"));
    ui.click(QStringLiteral("addInstanceButton"));
    REQUIRE(ui.isShowing(QStringLiteral("question_") + firstQuestion));
}

void noMore(UiHarness &ui)
{
    REQUIRE(ui.interview().pageKind() == QLatin1String("repeatEnd"));
    ui.click(QStringLiteral("nextButton"));
}

// Runs PSPP on `syntax`; returns its listing as CSV text.
QString pspp(const QString &dir, const QString &syntax)
{
    QFile f(dir + QStringLiteral("/run.sps"));
    REQUIRE(f.open(QIODevice::WriteOnly));
    f.write(syntax.toUtf8());
    f.close();
    const test::ProcessResult p = test::runProcess(
        QStringLiteral("pspp"), {QStringLiteral("-O"), QStringLiteral("format=csv"), QStringLiteral("-o"),
                                 dir + QStringLiteral("/listing.csv"), dir + QStringLiteral("/run.sps")});
    INFO(p.out.toStdString() << p.err.toStdString());
    REQUIRE(p.exitCode == 0);
    return QString::fromUtf8(test::readAll(dir + QStringLiteral("/listing.csv")));
}

// A .dta file as CSV records, through ReadStat's command-line converter.
QList<QHash<QString, QString>> readstat(const QString &dta, const QString &csv)
{
    const test::ProcessResult r = test::runProcess(QStringLiteral("readstat"), {dta, csv});
    INFO(r.out.toStdString() << r.err.toStdString());
    REQUIRE(r.exitCode == 0);
    return test::csvRecords(test::pythonCsv(csv));
}

} // namespace

TEST_CASE("Repeat round trip: tablet UI, Sync now to a real collector, exports read by PSPP, ReadStat and csv", "[ui][repeat][sync][export]")
{
    test::TestCollector collector(QStringLiteral("forms/household-roster.json"));
    UiHarness ui;
    test::firstRunWithCollector(ui, collector.server->url(), collector.newCode());
    REQUIRE(ui.app().sync()->enrolled());

    REQUIRE(ui.startInterview(QStringLiteral("household-roster")));
    const QString uuid = ui.interview().uuid();
    ui.click("choice_consent_yes");
    ui.click("nextButton");
    ui.type("input_hh_size", "2");
    ui.click("nextButton");
    // Two people, as hh_size says; the second is a pensioner.
    ui.type("input_person[1]/pname", "Ala");
    ui.click("nextButton");
    ui.type("input_person[1]/age", "40");
    ui.click("choice_person[1]/sex_female");
    ui.click("nextButton");
    ui.type("input_person[2]/pname", "Celina");
    ui.click("nextButton");
    ui.type("input_person[2]/age", "70");
    ui.click("choice_person[2]/sex_dk");
    ui.click("nextButton");
    REQUIRE(ui.isShowing("question_person[2]/pension"));
    ui.type("input_person[2]/pension", "850.5");
    ui.click("nextButton");

    // Car 1 with two trips.
    addInstance(ui, "car[1]/make");
    ui.type("input_car[1]/make", "Fiat");
    ui.click("nextButton");
    ui.click("choice_car[1]/car_fuel_diesel");
    ui.click("nextButton");
    addInstance(ui, "car[1]/trip[1]/destination");
    ui.type("input_car[1]/trip[1]/destination", "Kraków");
    ui.click("nextButton");
    CHECK(ui.text("repeatCount").endsWith(QLatin1String("1")));
    addInstance(ui, "car[1]/trip[2]/destination");
    ui.type("input_car[1]/trip[2]/destination", "Gdańsk, \"port\"");
    ui.click("nextButton");
    noMore(ui); // no third trip
    // Car 2, removed after the confirmation; then a car 2 again, without trips.
    addInstance(ui, "car[2]/make");
    ui.type("input_car[2]/make", "Opel");
    ui.click("removeInstanceButton");
    ui.click("confirmOk");
    CHECK(ui.store().response(uuid)->answers.value(QStringLiteral("car")) == QStringLiteral("1"));
    addInstance(ui, "car[2]/make");
    ui.type("input_car[2]/make", "Škoda");
    ui.click("nextButton");
    ui.click("nextButton"); // fuel: not answered
    noMore(ui);             // no trips
    noMore(ui);             // no third car
    ui.click("nextButton"); // the thank-you note
    REQUIRE(ui.interview().mode() == QLatin1String("review"));
    ui.click("finaliseButton");
    REQUIRE(ui.interview().mode() == QLatin1String("finished"));
    ui.click("finishedHomeButton");

    // Sync now: the real client, the real collector over 127.0.0.1.
    SyncController *sync = ui.app().sync();
    ui.click("nav_sync");
    ui.click("syncNowButton");
    REQUIRE(test::waitFor([&] { return !sync->busy(); }, 60000));
    const test::CommandResult refusals = test::runKerbside({QStringLiteral("refusals"), QStringLiteral("--db"), collector.db});
    INFO(sync->lastResult().toStdString() << "\n" << collector.server->log().toStdString() << "\n"
         << refusals.out.toStdString() << refusals.err.toStdString());
    REQUIRE(sync->state() == QLatin1String("done"));
    REQUIRE(sync->waiting() == 0);

    QTemporaryDir outDir;
    const QString out = outDir.path();
    const test::ProcessResult exported = test::runProcess(
        test::kerbsideBinary(), {QStringLiteral("export"), QStringLiteral("--db"), collector.db, QStringLiteral("--out"), out,
                                 QStringLiteral("--all"), QStringLiteral("--format"), QStringLiteral("csv,sav,dta")});
    INFO(exported.err.toStdString());
    REQUIRE(exported.exitCode == 0);

    // CSV: the interview, its people, its cars and the trips of car 1.
    const auto main = test::csvRecords(test::pythonCsv(out + QStringLiteral("/household-roster.csv")));
    REQUIRE(main.size() == 1);
    CHECK(main[0].value(QStringLiteral("uuid")) == uuid);
    CHECK(main[0].value(QStringLiteral("hh_size")) == QStringLiteral("2"));
    CHECK(main[0].value(QStringLiteral("adults")) == QStringLiteral("2"));
    CHECK(main[0].value(QStringLiteral("total_age")) == QStringLiteral("110"));
    CHECK(main[0].value(QStringLiteral("names")) == QStringLiteral("Ala, Celina"));
    CHECK(main[0].value(QStringLiteral("cars")) == QStringLiteral("2"));
    CHECK(main[0].value(QStringLiteral("second_car_first_trip")).isEmpty());
    const auto people = test::csvRecords(test::pythonCsv(out + QStringLiteral("/household-roster.person.csv")));
    REQUIRE(people.size() == 2);
    for (int i = 0; i < 2; ++i) {
        CHECK(people[i].value(QStringLiteral("parent_uuid")) == uuid);
        CHECK(people[i].value(QStringLiteral("_index")) == QString::number(i + 1));
    }
    CHECK(people[0].value(QStringLiteral("pname")) == QStringLiteral("Ala"));
    CHECK(people[0].value(QStringLiteral("pension")).isEmpty());
    CHECK(people[1].value(QStringLiteral("pname")) == QStringLiteral("Celina"));
    CHECK(people[1].value(QStringLiteral("age")) == QStringLiteral("70"));
    CHECK(people[1].value(QStringLiteral("pension")) == QStringLiteral("850.5"));
    const auto cars = test::csvRecords(test::pythonCsv(out + QStringLiteral("/household-roster.car.csv")));
    REQUIRE(cars.size() == 2); // the removed Opel is gone; the Škoda took its place
    CHECK(cars[0].value(QStringLiteral("make")) == QStringLiteral("Fiat"));
    CHECK(cars[0].value(QStringLiteral("car_fuel")) == QStringLiteral("diesel"));
    CHECK(cars[1].value(QStringLiteral("make")) == QStringLiteral("Škoda"));
    CHECK(cars[1].value(QStringLiteral("_index")) == QStringLiteral("2"));
    CHECK(cars[1].value(QStringLiteral("parent_uuid")) == uuid);
    const auto trips = test::csvRecords(test::pythonCsv(out + QStringLiteral("/household-roster.trip.csv")));
    REQUIRE(trips.size() == 2);
    CHECK(trips[0].value(QStringLiteral("parent_uuid")) == uuid);
    CHECK(trips[0].value(QStringLiteral("_parent_index")) == QStringLiteral("1"));
    CHECK(trips[0].value(QStringLiteral("_index")) == QStringLiteral("1"));
    CHECK(trips[0].value(QStringLiteral("destination")) == QStringLiteral("Kraków"));
    CHECK(trips[1].value(QStringLiteral("_index")) == QStringLiteral("2"));
    CHECK(trips[1].value(QStringLiteral("destination")) == QStringLiteral("Gdańsk, \"port\""));

    // .sav through PSPP: sex female 1, dk 3 (declared missing); pension -97 where not asked.
    const QString listing = pspp(out, QStringLiteral("GET FILE='%1/household-roster.person.sav'.\n"
                                                     "LIST parent_uuid v_index pname age sex pension.\n"
                                                     "GET FILE='%1/household-roster.sav'.\nLIST uuid hh_size cars.\n")
                                          .arg(out));
    INFO(listing.toStdString());
    CHECK(listing.contains(uuid + QStringLiteral(",1,Ala,40,1,-97")));
    CHECK(listing.contains(uuid + QStringLiteral(",2,Celina,70,3,850.500")));
    CHECK(listing.contains(uuid + QStringLiteral(",2,2")));

    // .dta through ReadStat: the cars and the trips, linked to the interview and to car 1.
    const auto carsDta = readstat(out + QStringLiteral("/household-roster.car.dta"), out + QStringLiteral("/car.csv"));
    REQUIRE(carsDta.size() == 2);
    CHECK(carsDta[0].value(QStringLiteral("parent_uuid")) == uuid);
    CHECK(carsDta[0].value(QStringLiteral("v_index")).toDouble() == 1); // a number ("1.000000")
    CHECK(carsDta[1].value(QStringLiteral("make")) == QStringLiteral("Škoda"));
    const auto tripsDta = readstat(out + QStringLiteral("/household-roster.trip.dta"), out + QStringLiteral("/trip.csv"));
    REQUIRE(tripsDta.size() == 2);
    CHECK(tripsDta[1].value(QStringLiteral("parent_uuid")) == uuid);
    CHECK(tripsDta[1].value(QStringLiteral("v_parent_index")) == QStringLiteral("1")); // text: "2.1" deeper down
    CHECK(tripsDta[1].value(QStringLiteral("v_index")).toDouble() == 2);
    CHECK(tripsDta[1].value(QStringLiteral("destination")) == QStringLiteral("Gdańsk, \"port\""));
}
