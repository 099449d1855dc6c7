// SPDX-License-Identifier: Apache-2.0
// The tablet's quota flow (issue 12) through the real QML: Home's figures (the collector's last
// counts plus this tablet's completes since), the quota-full notice on the screening page, soft
// mode going on or ending politely, hard mode ending as screened out, all in a real store.
#include "quotafixture.h"
#include "uiharness.h"

#include <catch2/catch.hpp>

using namespace kerbside;
using kerbside::test::UiHarness;

namespace {

const QString kVoxPop = QStringLiteral("community-contracts-voxpop");

// The last sync, at 14:05 today (local time).
QDateTime syncedAt()
{
    return QDateTime(QDate::currentDate(), QTime(14, 5)).toUTC();
}

// A vox pop finalised on this tablet before the app starts (as an earlier interview would be).
QString addComplete(DeviceStore &store, const QString &age, const QString &gender)
{
    const FormLoadResult form = FormLoader::loadFile(test::sourcePath(QStringLiteral("forms/community-contracts-voxpop.json")));
    NewResponse r;
    r.formId = kVoxPop;
    r.formVersion = form.form->version;
    r.caseStudy = test::kQuotaCase;
    const QString uuid = store.createResponse(r);
    store.setAnswer(uuid, QStringLiteral("consent"), QStringLiteral("yes"));
    store.setAnswer(uuid, QStringLiteral("age_band"), age);
    store.setAnswer(uuid, QStringLiteral("gender"), gender);
    store.finalise(uuid, ResponseStatus::Complete);
    return uuid;
}

// Home -> the vox pop -> consent yes -> the screening page.
void toScreening(UiHarness &ui)
{
    ui.completeFirstRun();
    ui.click(QStringLiteral("nav_home"));
    ui.click(QStringLiteral("form_") + kVoxPop);
    ui.click(QStringLiteral("startInterviewButton"));
    REQUIRE(ui.isShowing(QStringLiteral("question_consent")));
    ui.click(QStringLiteral("choice_consent_yes"));
    ui.click(QStringLiteral("nextButton"));
    REQUIRE(ui.isShowing(QStringLiteral("question_age_band")));
    REQUIRE(ui.isShowing(QStringLiteral("question_gender")));
}

} // namespace

TEST_CASE("Home shows the quota cells most needed first, counting this tablet's completes since the last sync", "[ui][quota]")
{
    QTemporaryDir dir;
    test::seedQuotaFieldwork(dir.path(), quota::Mode::Soft, syncedAt());
    {
        TabletOptions o;
        o.dataDir = dir.path();
        auto store = DeviceStore::open(o.databasePath());
        // Two completes since the sync (16-24 men), not yet acknowledged: Home adds them. A third,
        // acknowledged, is already in the collector's counts and must not be added again.
        addComplete(*store, QStringLiteral("16_24"), QStringLiteral("man"));
        addComplete(*store, QStringLiteral("16_24"), QStringLiteral("man"));
        const QString synced = addComplete(*store, QStringLiteral("35_44"), QStringLiteral("woman"));
        store->acknowledge({synced}, {});
    }
    UiHarness ui({}, dir.path());
    ui.completeFirstRun();
    ui.click("nav_home");
    REQUIRE(ui.isShowing("quotaPanel"));
    CHECK(ui.text("quotaAsOf") == QLatin1String("Figures from the last sync, 14:05"));
    // 16-24 men 1 + 2 of 8, 35-44 women 4 of 10, 55-64 women 3 of 3, 25-34 men 2 of 2.
    CHECK(ui.text("quotaTotal") == QLatin1String("12 of 23 interviews toward the target"));
    CHECK(ui.text("quotaCellLabel_0") == QStringLiteral("35 to 44 · Woman")); // 6 still needed
    CHECK(ui.text("quotaCellFigures_0") == QLatin1String("4 / 10"));
    CHECK(ui.text("quotaCellLabel_1") == QStringLiteral("16 to 24 · Man"));   // 5 still needed
    CHECK(ui.text("quotaCellFigures_1") == QLatin1String("3 / 8"));
    // Full cells last, in the plan's order.
    CHECK(ui.text("quotaCellLabel_2") == QStringLiteral("25 to 34 · Man"));
    CHECK(ui.text("quotaCellFigures_2") == QStringLiteral("2 / 2 · full"));
    CHECK(ui.text("quotaCellFigures_3") == QStringLiteral("3 / 3 · full"));
    CHECK_FALSE(ui.isShowing("quotaCell_4")); // cells with target 0 are not listed
    CHECK_FALSE(ui.isShowing("quotaScreenedOut"));

    // Polish: the same figures, the form's Polish labels, the sync time in Polish words.
    ui.app().prefs()->setUiLanguage(QStringLiteral("pl"));
    test::settle();
    CHECK(ui.text("quotaAsOf") == QLatin1String("Dane z ostatniej synchronizacji, 14:05"));
    CHECK(ui.text("quotaCellLabel_0") == QStringLiteral("35–44 lata · Kobieta"));
    CHECK(ui.text("quotaTotal") == QStringLiteral("12 z 23 wywiadów zaliczonych do celu"));
}

TEST_CASE("Soft mode: a full cell is said on the screening page; the fieldworker continues or ends politely", "[ui][quota]")
{
    QTemporaryDir dir;
    test::seedQuotaFieldwork(dir.path(), quota::Mode::Soft, syncedAt());
    UiHarness ui({}, dir.path());
    toScreening(ui);
    const QString uuid = ui.interview().uuid();
    ui.click("choice_age_band_55_64");
    CHECK_FALSE(ui.isShowing("quotaNotice")); // the cell is not fixed until gender is known
    ui.click("choice_gender_woman");
    REQUIRE(ui.isShowing("quotaNotice"));
    CHECK(ui.text("quotaNoticeText") == QStringLiteral("Quota full: 55 to 64 · Woman in Northfield Estate"));
    CHECK(ui.text("nextButton") == QStringLiteral("Next ›")); // soft: Next still goes on
    // Another cell that still needs people: the notice goes.
    ui.click("choice_age_band_35_44");
    CHECK_FALSE(ui.isShowing("quotaNotice"));
    ui.click("choice_age_band_55_64");
    REQUIRE(ui.isShowing("quotaNotice"));

    ui.click("quotaContinueButton");
    CHECK_FALSE(ui.isShowing("quotaNotice"));
    ui.click("nextButton");
    CHECK(ui.isShowing("question_aware")); // the interview goes on
    CHECK(ui.store().response(uuid)->meta.status == ResponseStatus::Draft);

    // The next respondent in the same full cell: ended politely, kept as screened out.
    ui.click("pauseButton");
    toScreening(ui);
    const QString second = ui.interview().uuid();
    ui.click("choice_age_band_55_64");
    ui.click("choice_gender_woman");
    ui.click("quotaEndButton");
    REQUIRE(ui.interview().mode() == QLatin1String("finished"));
    CHECK(ui.text("finishedTitle") == QStringLiteral("Screened out: quota full"));
    const std::optional<Response> r = ui.store().response(second);
    REQUIRE(r);
    CHECK(r->meta.status == ResponseStatus::ScreenedOut);
    CHECK(r->answers.value("gender") == QLatin1String("woman"));
}

TEST_CASE("Hard mode: a full cell ends the interview as screened out, stored with that status", "[ui][quota]")
{
    QTemporaryDir dir;
    test::seedQuotaFieldwork(dir.path(), quota::Mode::Hard, syncedAt());
    UiHarness ui({}, dir.path());
    ui.completeFirstRun();
    CHECK(ui.text("quotaMode") == QStringLiteral("When a group is full the interview ends (screened out)."));
    toScreening(ui);
    const QString uuid = ui.interview().uuid();
    ui.click("choice_age_band_25_34");
    ui.click("choice_gender_man");
    REQUIRE(ui.isShowing("quotaNotice"));
    CHECK(ui.text("quotaNoticeText") == QStringLiteral("Quota full: 25 to 34 · Man in Northfield Estate"));
    CHECK_FALSE(ui.isShowing("quotaContinueButton")); // hard: no going on
    CHECK(ui.text("nextButton") == QStringLiteral("End interview (quota full)"));
    ui.click("nextButton");
    REQUIRE(ui.interview().mode() == QLatin1String("finished"));
    CHECK(ui.text("finishedTitle") == QStringLiteral("Screened out: quota full"));

    const std::optional<Response> r = ui.store().response(uuid);
    REQUIRE(r);
    CHECK(r->meta.status == ResponseStatus::ScreenedOut);
    CHECK(r->meta.ended.isValid());
    CHECK(r->answers.value("age_band") == QLatin1String("25_34"));
    CHECK(r->answers.value("gender") == QLatin1String("man"));
    CHECK_FALSE(r->answers.contains("aware"));
    const OutboxBatch box = ui.store().outbox();
    REQUIRE(box.responses.size() == 1);
    CHECK(box.responses.first().meta.status == ResponseStatus::ScreenedOut);

    // Home counts it; Responses lists it under its own status.
    ui.click("finishedHomeButton");
    CHECK(ui.text("quotaScreenedOut") == QStringLiteral("Screened out (quota full): 1"));
    CHECK(ui.text("quotaCellFigures_2") == QStringLiteral("2 / 2 · full")); // a screen-out is no complete
    ui.click("nav_responses");
    ui.click("filter_screened_out");
    CHECK(ui.isShowing("response_" + uuid));
    CHECK(ui.text("responseInfo_" + uuid).contains(QStringLiteral("Screened out")));

    // A cell that still needs people: the interview goes on in hard mode too.
    toScreening(ui);
    ui.click("choice_age_band_35_44");
    ui.click("choice_gender_woman");
    CHECK_FALSE(ui.isShowing("quotaNotice"));
    ui.click("nextButton");
    CHECK(ui.isShowing("question_aware"));
}
