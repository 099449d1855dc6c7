// SPDX-License-Identifier: Apache-2.0
// The Sync screen against a real `kerbside serve`: enrol with what first run stored, finalise an
// interview, Sync now, and check the collector holds it; and "Save to USB stick" writing a
// batch file that `kerbside import` accepts.
#include "collectorfixture.h"
#include "uiharness.h"

#include "synccontroller.h"
#include "syncengine.h"

#include <catch2/catch.hpp>

#include <QDir>
#include <QFileInfo>

using namespace kerbside;
using kerbside::test::UiHarness;

namespace {

const QString kVoxPop = QStringLiteral("community-contracts-voxpop");

// First run enrolled the tablet: the Sync screen offers Sync now, not enrolment.
void enrolledAtFirstRun(UiHarness &ui)
{
    SyncController *sync = ui.app().sync();
    INFO(sync->lastResult().toStdString());
    REQUIRE(ui.app().prefs()->firstRunDone());
    REQUIRE(sync->enrolled());
    CHECK(sync->lastResult().contains(QLatin1String("enrolled")));
    CHECK(ui.app().prefs()->caseStudy() == QLatin1String("leeds")); // the collector's case study
    ui.click(QStringLiteral("nav_sync"));
    CHECK(ui.isShowing(QStringLiteral("syncNowButton")));
    CHECK_FALSE(ui.isShowing(QStringLiteral("syncEnrolButton")));
}

// A refusal at consent: a finalised interview in two taps.
QString finaliseRefusal(UiHarness &ui)
{
    ui.click(QStringLiteral("nav_home"));
    ui.click(QStringLiteral("form_") + kVoxPop);
    ui.click(QStringLiteral("startInterviewButton"));
    const QString uuid = ui.interview().uuid();
    ui.click(QStringLiteral("choice_consent_no"));
    ui.click(QStringLiteral("nextButton"));
    REQUIRE(ui.interview().mode() == QLatin1String("finished"));
    ui.click(QStringLiteral("finishedHomeButton"));
    return uuid;
}

} // namespace

TEST_CASE("Sync screen: enrol with the first-run code, finalise, Sync now, the collector holds it", "[ui][sync]")
{
    test::TestCollector collector;
    const QString url = collector.server->url();
    const QString code = collector.newCode();
    QTemporaryDir dataDir;
    {
        UiHarness ui({}, dataDir.path());
        test::firstRunWithCollector(ui, url, code);
        enrolledAtFirstRun(ui);

        const QString uuid = finaliseRefusal(ui);
        SyncController *sync = ui.app().sync();
        REQUIRE(sync->waiting() >= 1);
        const std::optional<Response> r = ui.store().response(uuid);
        REQUIRE(r.has_value());
        CHECK(r->meta.caseStudy == QLatin1String("leeds"));
        CHECK(r->meta.deviceId == ui.store().setting(QStringLiteral("device_id"))); // the collector's id

        ui.click(QStringLiteral("nav_sync"));
        ui.click(QStringLiteral("syncNowButton"));
        CHECK(sync->busy());
        REQUIRE(test::waitFor([&] { return !sync->busy(); }, 60000));
        INFO(sync->lastResult().toStdString() << "\n" << collector.server->log().toStdString());
        REQUIRE(sync->state() == QLatin1String("done"));
        CHECK(sync->progress() == Approx(1.0));
        CHECK(sync->waiting() == 0);
        CHECK(ui.store().outboxSize() == 0);
        CHECK(sync->lastResult().contains(QLatin1String("Everything is with the collector")));
        CHECK(ui.text(QStringLiteral("syncLastResult")).remove(QChar(0x200B)) == sync->lastResult());
        CHECK(ui.text(QStringLiteral("syncStatus")) == QLatin1String("Finished."));

        // Home's "waiting to sync" follows.
        ui.click(QStringLiteral("nav_home"));
        CHECK(ui.require(QStringLiteral("countWaiting"))->property("value").toString() == QLatin1String("0"));

        // The collector itself says it holds one response from this device.
        SyncEngine probe(ui.app().options().databasePath());
        const CollectorStatus status = probe.status();
        REQUIRE(status.caseStudies.size() == 1);
        CHECK(status.caseStudies.first().id == QLatin1String("leeds"));
        CHECK(status.caseStudies.first().responsesFromDevice == 1);
        CHECK(status.missingSequences.isEmpty());
    }
    // The last result survives a restart.
    UiHarness again({}, dataDir.path());
    CHECK(again.app().sync()->enrolled());
    CHECK(again.app().sync()->state() == QLatin1String("idle"));
    CHECK(again.app().sync()->lastResult().contains(QLatin1String("Everything is with the collector")));
}

TEST_CASE("A wrong enrolment code fails in plain words at first run and on the Sync screen", "[ui][sync]")
{
    test::TestCollector collector;
    UiHarness ui;
    test::firstRunWithCollector(ui, collector.server->url(), QStringLiteral("AAAAA-AAAAA"));
    SyncController *sync = ui.app().sync();
    // First run stays, says why, and offers the way on.
    CHECK_FALSE(ui.app().prefs()->firstRunDone());
    REQUIRE(ui.isShowing(QStringLiteral("firstrun_error")));
    CHECK(ui.text(QStringLiteral("firstrun_enrol")).startsWith(QLatin1String("Enrolment did not work")));
    ui.click(QStringLiteral("firstrun_offline"));
    CHECK_FALSE(ui.isShowing(QStringLiteral("firstrun_error"))); // a new choice clears it
    ui.click(QStringLiteral("firstrun_finish"));
    REQUIRE(ui.app().prefs()->firstRunDone());
    // Later, on the Sync screen, the same code fails the same way.
    ui.app().prefs()->setOfflineOnly(false);
    ui.click(QStringLiteral("nav_sync"));
    ui.require(QStringLiteral("syncEnrolUrl"))->setProperty("text", collector.server->url());
    ui.require(QStringLiteral("syncEnrolCode"))->setProperty("text", QStringLiteral("AAAAA-AAAAA"));
    ui.click(QStringLiteral("syncEnrolButton"));
    REQUIRE(test::waitFor([&] { return !sync->busy(); }, 30000));
    CHECK(sync->state() == QLatin1String("failed"));
    CHECK_FALSE(sync->enrolled());
    CHECK(sync->lastResult().startsWith(QLatin1String("Enrolment did not work. The collector did not accept this enrolment code")));
    CHECK(ui.isShowing(QStringLiteral("syncEnrolButton")));
    // In Polish the whole sentence is Polish: the collector's English reason is not quoted.
    ui.app().prefs()->setUiLanguage(QStringLiteral("pl"));
    ui.click(QStringLiteral("syncEnrolButton"));
    REQUIRE(test::waitFor([&] { return !sync->busy(); }, 30000));
    CHECK(sync->lastResult().startsWith(QStringLiteral("Rejestracja nie powiodła się. Serwer nie przyjął tego kodu")));
    CHECK_FALSE(sync->lastResult().contains(QLatin1String("collector")));
}

TEST_CASE("Sync screen: Save to USB stick writes a batch file that kerbside import accepts", "[ui][sync][usb]")
{
    test::TestCollector collector;
    const QString url = collector.server->url();
    const QString code = collector.newCode();
    UiHarness ui;
    test::firstRunWithCollector(ui, url, code);
    enrolledAtFirstRun(ui);
    finaliseRefusal(ui);
    SyncController *sync = ui.app().sync();
    REQUIRE(sync->waiting() >= 1);

    QTemporaryDir stick;
    ui.click(QStringLiteral("nav_sync"));
    CHECK_FALSE(ui.text(QStringLiteral("syncUsbFolder")).isEmpty()); // home or /media
    ui.require(QStringLiteral("syncUsbFolder"))->setProperty("text", stick.path());
    ui.click(QStringLiteral("syncUsbButton"));
    REQUIRE(test::waitFor([&] { return !sync->busy(); }, 30000));
    INFO(sync->lastResult().toStdString());
    REQUIRE(sync->state() == QLatin1String("done"));
    const QString file = sync->lastExportPath();
    CHECK(QFileInfo(file).dir().absolutePath() == QDir(stick.path()).absolutePath());
    CHECK(QFileInfo(file).fileName().startsWith(QLatin1String("kerbside-")));
    CHECK(file.endsWith(QLatin1String(".kbatch")));
    REQUIRE(QFileInfo(file).size() > 0);
    CHECK(ui.isShowing(QStringLiteral("syncUsbPath")));
    CHECK(sync->waiting() >= 1); // a file marks nothing: it stays until a sync confirms it

    const test::CommandResult imported =
        test::runKerbside({QStringLiteral("import"), file, QStringLiteral("--db"), collector.db});
    INFO(imported.out.toStdString() << imported.err.toStdString());
    CHECK(imported.exitCode == 0);

    // A later network sync finds it held already (a duplicate) and marks it.
    ui.click(QStringLiteral("syncNowButton"));
    REQUIRE(test::waitFor([&] { return !sync->busy(); }, 60000));
    CHECK(sync->state() == QLatin1String("done"));
    CHECK(sync->waiting() == 0);
    CHECK(sync->lastResult().contains(QLatin1String("already had 1 of them")));

    // A folder that does not exist is refused in plain words, nothing written.
    ui.require(QStringLiteral("syncUsbFolder"))->setProperty("text", stick.filePath(QStringLiteral("missing")));
    ui.click(QStringLiteral("syncUsbButton"));
    CHECK(sync->state() == QLatin1String("failed"));
    CHECK(sync->lastResult().startsWith(QLatin1String("Cannot save to")));
}

TEST_CASE("Downloaded forms: the newest version starts new interviews, a draft resumes on its own", "[ui][sync][forms]")
{
    QTemporaryDir dataDir;
    QString draft;
    {
        UiHarness ui({}, dataDir.path());
        ui.completeFirstRun();
        ui.click(QStringLiteral("form_") + kVoxPop);
        ui.click(QStringLiteral("startInterviewButton"));
        draft = ui.interview().uuid();
        ui.click(QStringLiteral("choice_consent_yes"));
        ui.click(QStringLiteral("pauseButton"));
    }
    const std::optional<QString> oldVersion = [&]() -> std::optional<QString> {
        UiHarness ui({}, dataDir.path());
        const std::optional<Response> r = ui.store().response(draft);
        return r ? std::optional<QString>(r->meta.formVersion) : std::nullopt;
    }();
    REQUIRE(oldVersion.has_value());
    REQUIRE_FALSE(oldVersion->isEmpty());

    // What the sync client saves: <id>@<version>.json in the data folder's downloaded-forms.
    QFile source(test::sourcePath(QStringLiteral("forms/community-contracts-voxpop.json")));
    REQUIRE(source.open(QIODevice::ReadOnly));
    QByteArray json = source.readAll();
    const QString newVersion = QStringLiteral("2099010101");
    json.replace(QByteArray("\"version\": \"") + oldVersion->toUtf8() + '"',
                 QByteArray("\"version\": \"") + newVersion.toUtf8() + '"');
    REQUIRE(json.contains(newVersion.toUtf8()));
    const QString downloaded = QDir(dataDir.path()).filePath(QStringLiteral("downloaded-forms"));
    QDir().mkpath(downloaded);
    QFile out(QDir(downloaded).filePath(kVoxPop + QLatin1Char('@') + newVersion + QStringLiteral(".json")));
    REQUIRE(out.open(QIODevice::WriteOnly));
    out.write(json);
    out.close();

    UiHarness ui({}, dataDir.path());
    FormCatalogue *catalogue = ui.app().catalogue();
    CHECK(catalogue->problems().isEmpty());
    REQUIRE(catalogue->form(kVoxPop));
    CHECK(catalogue->form(kVoxPop)->version == newVersion);        // new interviews
    REQUIRE(catalogue->form(kVoxPop, *oldVersion));                 // still loaded
    CHECK(catalogue->count() == 3); // one row per form id (the voxpop, the demo, the household roster)

    ui.click(QStringLiteral("resumeButton")); // Home offers the draft
    REQUIRE(ui.interview().uuid() == draft);
    CHECK(ui.interview().answer(QStringLiteral("consent")) == QLatin1String("yes"));
    ui.click(QStringLiteral("pauseButton"));
    CHECK(ui.store().response(draft)->meta.formVersion == *oldVersion);

    ui.click(QStringLiteral("form_") + kVoxPop);
    ui.click(QStringLiteral("startInterviewButton"));
    const QString fresh = ui.interview().uuid();
    ui.click(QStringLiteral("pauseButton"));
    CHECK(ui.store().response(fresh)->meta.formVersion == newVersion);

    // reload() picks up a later download and never drops what interviews may hold.
    const Form *held = catalogue->form(kVoxPop, *oldVersion);
    catalogue->reload();
    CHECK(catalogue->form(kVoxPop, *oldVersion) == held);
    CHECK(catalogue->count() == 3);
}

TEST_CASE("Quotas from a real collector: Home's figures after Sync now, a hard-mode screen-out reaches the collector", "[ui][sync][quota]")
{
    test::TestCollector collector;
    // Men 2, every other gender 0 ("not needed": a woman's cell is full from the start). Hard mode.
    QTemporaryDir files;
    QFile targets(files.filePath(QStringLiteral("targets.csv")));
    REQUIRE(targets.open(QIODevice::WriteOnly));
    targets.write("gender,target\nman,2\n");
    targets.close();
    const test::CommandResult set = test::runKerbside(
        {QStringLiteral("quota"), QStringLiteral("set"), QStringLiteral("leeds"), QStringLiteral("--form"), kVoxPop,
         QStringLiteral("--by"), QStringLiteral("gender"), QStringLiteral("--targets"), targets.fileName(),
         QStringLiteral("--mode"), QStringLiteral("hard"), QStringLiteral("--db"), collector.db});
    INFO(set.err.toStdString());
    REQUIRE(set.exitCode == 0);

    UiHarness ui;
    test::firstRunWithCollector(ui, collector.server->url(), collector.newCode());
    enrolledAtFirstRun(ui);
    SyncController *sync = ui.app().sync();
    ui.click(QStringLiteral("syncNowButton")); // brings the forms, the plan and the counts
    REQUIRE(test::waitFor([&] { return !sync->busy(); }, 60000));
    REQUIRE(sync->state() == QLatin1String("done"));
    ui.click(QStringLiteral("nav_home"));
    REQUIRE(ui.isShowing(QStringLiteral("quotaPanel")));
    static const QRegularExpression synced(QStringLiteral("^Figures from the last sync, \\d\\d:\\d\\d$"));
    CHECK(synced.match(ui.text(QStringLiteral("quotaAsOf"))).hasMatch());
    CHECK(ui.text(QStringLiteral("quotaTotal")) == QLatin1String("0 of 2 interviews toward the target"));
    CHECK(ui.text(QStringLiteral("quotaCellLabel_0")) == QLatin1String("Man"));
    CHECK(ui.text(QStringLiteral("quotaCellFigures_0")) == QLatin1String("0 / 2"));

    // A woman: her cell is full, and hard mode ends the interview as screened out.
    ui.click(QStringLiteral("form_") + kVoxPop);
    ui.click(QStringLiteral("startInterviewButton"));
    const QString uuid = ui.interview().uuid();
    ui.click(QStringLiteral("choice_consent_yes"));
    ui.click(QStringLiteral("nextButton"));
    ui.click(QStringLiteral("choice_age_band_45_54"));
    ui.click(QStringLiteral("choice_gender_woman"));
    CHECK(ui.text(QStringLiteral("quotaNoticeText")) == QLatin1String("Quota full: Woman in Leeds"));
    ui.click(QStringLiteral("nextButton"));
    REQUIRE(ui.interview().mode() == QLatin1String("finished"));
    CHECK(ui.store().response(uuid)->meta.status == ResponseStatus::ScreenedOut);
    ui.click(QStringLiteral("finishedHomeButton"));
    ui.click(QStringLiteral("nav_sync"));
    ui.click(QStringLiteral("syncNowButton"));
    REQUIRE(test::waitFor([&] { return !sync->busy(); }, 60000));
    REQUIRE(sync->state() == QLatin1String("done"));
    CHECK(ui.store().outboxSize() == 0);

    // The collector holds it as screened_out (its export says so) and counted it in no cell.
    const QString out = files.filePath(QStringLiteral("export"));
    const test::CommandResult exported = test::runKerbside(
        {QStringLiteral("export"), QStringLiteral("--db"), collector.db, QStringLiteral("--out"), out,
         QStringLiteral("--all"), QStringLiteral("--format"), QStringLiteral("csv")});
    INFO(exported.err.toStdString());
    REQUIRE(exported.exitCode == 0);
    QFile table(out + QLatin1Char('/') + kVoxPop + QStringLiteral(".csv"));
    REQUIRE(table.open(QIODevice::ReadOnly));
    QString row;
    for (const QString &line : QString::fromUtf8(table.readAll()).split(QLatin1Char('\n')))
        if (line.contains(uuid))
            row = line;
    CHECK(row.contains(QLatin1String("screened_out")));
    ui.click(QStringLiteral("nav_home"));
    CHECK(ui.text(QStringLiteral("quotaTotal")) == QLatin1String("0 of 2 interviews toward the target"));
}
