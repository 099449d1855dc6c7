// SPDX-License-Identifier: Apache-2.0
// Issue 14 on Home, Responses and first run, through the real buttons: every draft with its
// progress, finished interviews read-only, messages that fade, counters that say what they
// count, the first-run error that clears, read-only and fixed-size fields.
#include "uiharness.h"

#include "draftprogress.h"
#include "homecontroller.h"
#include "syncwording.h"
#include "synctypes.h"

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
