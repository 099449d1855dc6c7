// SPDX-License-Identifier: Apache-2.0
// Issue 14 on Home, Responses and first run, through the real buttons: every draft with its
// progress, finished interviews read-only, messages that fade, counters that say what they
// count, the first-run error that clears, read-only and fixed-size fields.
#include "uiharness.h"

#include "draftprogress.h"
#include "homecontroller.h"
#include "syncwording.h"
#include "synctypes.h"
#include "store/storetypes.h"

#include <QSet>

#include <catch2/catch.hpp>

using namespace kerbside;
using kerbside::test::UiHarness;

TEST_CASE("First run: the name error clears as soon as a name is typed", "[ui][home]")
{
    UiHarness ui;
    ui.click("firstrun_finish");
    REQUIRE(ui.isShowing("firstrun_error"));
    CHECK(ui.text("firstrun_error").contains("name"));
    ui.type("firstrun_enumerator", "E");
    CHECK_FALSE(ui.isShowing("firstrun_error"));
    ui.click("firstrun_finish");
    CHECK(ui.app().prefs()->firstRunDone());
}

TEST_CASE("Home lists every draft with its page and age, and Responses says the same", "[ui][home]")
{
    UiHarness ui;
    REQUIRE(ui.startInterview());
    const QString first = ui.interview().uuid();
    ui.click("choice_consent_yes");
    ui.click("nextButton");
    ui.click("choice_age_band_45_54"); // the screening page
    ui.click("choice_gender_man");
    ui.click("nextButton");
    ui.click("choice_aware_yes");
    ui.click("nextButton"); // stopped at page 4
    ui.click("pauseButton");
    REQUIRE(ui.startInterview(QStringLiteral("demo-all-types")));
    const QString second = ui.interview().uuid();
    ui.click("pauseButton");

    REQUIRE(ui.isShowing("draft_" + first));
    REQUIRE(ui.isShowing("draft_" + second));
    const QString progress = ui.text("draftProgress_" + first);
    CHECK(progress.startsWith("page 4 of "));
    CHECK(progress.endsWith("just now"));
    CHECK(ui.text("draftProgress_" + second).startsWith("page 1 of "));
    // The newest is first and resumes where it stopped.
    ui.click("resumeButton_1");
    CHECK(ui.interview().uuid() == first);
    CHECK(ui.isShowing("question_heard_how"));
    ui.click("pauseButton");

    ui.click("nav_responses");
    CHECK(ui.text("responseInfo_" + first).contains("page 4 of "));
    CHECK_FALSE(ui.text("responseInfo_" + first).contains("Drafts"));

    // The wording itself, at fixed times.
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const DraftProgress p{7, 13};
    CHECK(p.text(now.addSecs(-12 * 60), "en", now) == QLatin1String("page 7 of 13, 12 min ago"));
    CHECK(p.text(now.addSecs(-3 * 3600), "pl", now) == QStringLiteral("strona 7 z 13, 3 godz. temu"));
}

TEST_CASE("A finished interview opens read-only from Responses", "[ui][home]")
{
    UiHarness ui;
    REQUIRE(ui.startInterview());
    const QString uuid = ui.interview().uuid();
    ui.click("choice_consent_no");
    ui.click("nextButton"); // a refusal, finalised
    ui.click("finishedHomeButton");
    ui.click("nav_responses");
    ui.click("filter_refused");
    CHECK_FALSE(ui.isShowing("resume_" + uuid)); // no way to edit it
    ui.click("view_" + uuid);
    REQUIRE(ui.isShowing("responseView"));
    REQUIRE(ui.isShowing("viewed_consent"));
    CHECK(ui.require("viewed_consent")->inherits("QQuickRectangle")); // a plain row, not a button
    ui.click("responseViewClose");
    CHECK_FALSE(ui.isShowing("responseView"));
    CHECK(ui.store().response(uuid)->meta.status == ResponseStatus::Refused);
}

TEST_CASE("Home's message fades and its counters say what they count", "[ui][home]")
{
    UiHarness ui;
    ui.completeFirstRun();
    ui.click("logApproachButton");
    ui.click("disposition_come_back_later");
    ui.click("saveApproachButton");
    REQUIRE(ui.isShowing("homeMessage"));
    REQUIRE(test::waitFor([&] { return !ui.isShowing("homeMessage"); }, HomeController::kMessageMs + 3000));
    // "Waiting to sync" counts the approach too, and says so.
    CHECK(ui.require("countWaiting")->property("value").toString() == QLatin1String("1"));
    CHECK(ui.require("countWaiting")->property("caption").toString().contains("approaches"));
    CHECK(ui.require("countAll")->property("value").toString() == QLatin1String("0"));
    CHECK(ui.require("countAll")->property("caption").toString().contains("refusals"));
}

TEST_CASE("A calculated answer looks read-only, the number box keeps its width, a short page has no bar", "[ui][home]")
{
    QTemporaryDir data;
    double width = 0;
    QString uuid;
    {
        UiHarness ui({}, data.path());
        REQUIRE(ui.startInterview(QStringLiteral("demo-all-types")));
        uuid = ui.interview().uuid();
        ui.interview().goTo("age");
        test::settle();
        CHECK_FALSE(ui.isShowing("readOnlyNote_age"));
        ui.type("input_age", "34");
        ui.interview().goTo("age_in_months");
        test::settle();
        REQUIRE(ui.isShowing("readOnlyNote_age_in_months"));
        CHECK(ui.require("input_age_in_months")->property("readOnly").toBool());
        CHECK(ui.text("input_age_in_months") == QLatin1String("408"));
        ui.interview().goTo("age");
        test::settle();
        width = ui.require("input_age")->width();
        ui.click("pauseButton");
    }
    UiHarness ui({}, data.path());
    ui.click("resumeButton");
    ui.interview().goTo("age");
    test::settle();
    CHECK(ui.interview().answer("age") == QLatin1String("34"));
    CHECK(ui.require("input_age")->width() == Approx(width));

    // The consent page is short: no scroll bar, no "More below".
    ui.interview().goTo("consent");
    test::settle();
    QQuickItem *question = ui.require("question_consent");
    QQuickItem *flick = question->parentItem();
    while (flick && !flick->inherits("QQuickFlickable"))
        flick = flick->parentItem();
    REQUIRE(flick);
    REQUIRE(flick->property("contentHeight").toDouble() <= flick->height());
    int bars = 0;
    for (QQuickItem *c : flick->childItems()) {
        if (c->inherits("QQuickScrollBar")) {
            ++bars;
            CHECK_FALSE(c->isVisible());
        }
    }
    CHECK(bars == 1);
    CHECK_FALSE(ui.isShowing("scrollCue"));
}

TEST_CASE("Every sync failure is worded in the interface language, with no English detail inside", "[ui][home][sync]")
{
    using Code = SyncError::Code;
    // The engine's detail for each cause: English, technical, and never to be quoted.
    const QList<QPair<Code, QString>> causes = {
        {Code::Network, "could not reach the collector after 6 attempts: connection failed (Connection)"},
        {Code::Address, "the collector address \"htp:/x\" is not of the form https://host[:port][/path]"},
        {Code::Unauthorised, "the collector no longer accepts this tablet (token revoked)"},
        {Code::Refused, "the collector refused a batch of 12 items (HTTP 413): body too large"},
        {Code::Protocol, "the collector's acknowledgement of batch b-1 is unusable: it names another batch"},
        {Code::Store, "database disk image is malformed"},
        {Code::DiskFull, "database or disk is full"},
        {Code::FileWrite, "cannot write the batch file: No space left on device"},
        {Code::FileRead, "/media/usb/x.kack is not a Kerbside acknowledgement file"},
    };
    QSet<QString> polish;
    for (const auto &[code, detail] : causes) {
        SyncReport r;
        r.fail(SyncError(code, detail, code == Code::Refused ? 413 : 0));
        REQUIRE(r.result == SyncReport::Result::Failed);
        const QString en = syncSummary(r, 0, "en");
        const QString pl = syncSummary(r, 0, "pl");
        INFO(en.toStdString() << " | " << pl.toStdString());
        CHECK_FALSE(en.contains(detail));
        CHECK_FALSE(pl.contains(detail));
        CHECK_FALSE(pl.contains(QLatin1String("collector"))); // an English word of every detail
        CHECK_FALSE(pl.contains(QLatin1String("%")));
        CHECK(en != pl);
        polish.insert(syncFailure(r, "pl"));
        if (code == Code::Refused) {
            CHECK(en.contains(QLatin1String("(code 413)")));
            CHECK(pl.contains(QLatin1String("(kod 413)")));
        }
    }
    CHECK(polish.size() == causes.size()); // each cause has its own advice

    // A full disk met as a store error is said as such.
    SyncReport full;
    full.fail(StoreError(StoreError::Code::DiskFull, QStringLiteral("database or disk is full")));
    CHECK(syncSummary(full, 0, "pl").startsWith(QStringLiteral("Pamięć tabletu jest pełna")));

    // Enrolment and USB sentences too.
    SyncReport refusedCode;
    refusedCode.fail(SyncError(Code::Refused, "the collector refused the enrolment code: unknown or expired code", 403));
    CHECK(enrolFailedSummary(refusedCode, "pl")
          == QStringLiteral("Rejestracja nie powiodła się. Serwer nie przyjął tego kodu rejestracji. "
                            "Sprawdź go albo poproś koordynatora o nowy."));
    CHECK(enrolledSummary("https://c.example", {"Leeds", "Hull"}, "pl")
          == QStringLiteral("Tablet jest zarejestrowany na serwerze https://c.example dla: Leeds, Hull."));
    SyncReport saved;
    saved.sent = 3;
    CHECK(usbSummary(saved, "/media/usb/k.kbatch", "pl").startsWith(
        QStringLiteral("Zapisano wywiady i podejścia (3) w /media/usb/k.kbatch. Oddaj pendrive")));
    SyncReport noStick;
    noStick.fail(SyncError(Code::FileWrite, "cannot write the batch file: No space left on device"));
    CHECK(usbSummary(noStick, "/media/usb/k.kbatch", "pl").startsWith(QStringLiteral("Nie udało się zapisać pliku na pendrive")));
}

TEST_CASE("Sync results are plain sentences in both languages", "[ui][home][sync]")
{
    SyncReport failed;
    failed.result = SyncReport::Result::Failed;
    failed.error = QStringLiteral("connection failed (Connection)");
    failed.waiting = 2;
    const QString en = syncSummary(failed, 0, "en");
    CHECK(en.startsWith("Could not reach the collector. Check the internet connection"));
    CHECK_FALSE(en.contains("(Connection)"));
    CHECK(syncSummary(failed, 0, "pl").startsWith(QStringLiteral("Nie udało się połączyć z serwerem")));

    SyncReport ok;
    ok.sent = 1;
    ok.accepted = 1;
    ok.formsDownloaded = {"community-contracts-voxpop 3", "demo-all-types 2"};
    // Both forms were on the tablet already: nothing "new" to announce.
    CHECK(syncSummary(ok, 0, "en") == QLatin1String("Sent 1 interview or approach to the collector. Everything is with the collector."));
    CHECK(syncSummary(ok, 0, "pl") == QStringLiteral("Wysłano na serwer 1 wywiad lub podejście. Wszystko jest już na serwerze."));
    ok.sent = 12;
    const QString many = syncSummary(ok, 2, "en");
    CHECK(many.contains("Sent 12 interviews and approaches"));
    CHECK(many.contains("2 new questionnaires are ready to use."));
    for (const QString &s : {en, many, syncSummary(ok, 1, "pl")}) {
        CHECK_FALSE(s.contains("(s)"));
        CHECK_FALSE(s.contains('`'));
    }
}
