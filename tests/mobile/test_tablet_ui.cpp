// SPDX-License-Identifier: Apache-2.0
// The tablet's real QML driven through real clicks and keys, against a real SQLite store.
#include "uiharness.h"

#include "homecontroller.h"
#include "pagemodel.h"
#include "responsescontroller.h"
#include "responsesmodel.h"
#include "reviewmodel.h"

#include <catch2/catch.hpp>

#include <QAbstractItemModelTester>

using namespace kerbside;
using kerbside::test::UiHarness;

namespace {

const QString kVoxPop = QStringLiteral("community-contracts-voxpop");

void startVoxPop(UiHarness &ui)
{
    ui.completeFirstRun();
    ui.click(QStringLiteral("form_") + kVoxPop);
    ui.click(QStringLiteral("startInterviewButton"));
    REQUIRE(ui.interview().mode() == QLatin1String("question"));
    REQUIRE(ui.isShowing(QStringLiteral("question_consent")));
}

void choose(UiHarness &ui, const QString &question, const QString &choice)
{
    ui.click(QStringLiteral("choice_%1_%2").arg(question, choice));
}

void next(UiHarness &ui)
{
    ui.click(QStringLiteral("nextButton"));
}

// Answers the vox pop from consent to the review page, through the real buttons.
void answerWholeVoxPop(UiHarness &ui)
{
    choose(ui, "consent", "yes");
    next(ui);
    // The screening page: the quota questions, right after consent.
    REQUIRE(ui.isShowing("question_age_band"));
    choose(ui, "age_band", "35_44");
    choose(ui, "gender", "woman");
    next(ui);
    choose(ui, "aware", "yes");
    next(ui);
    choose(ui, "heard_how", "leaflet");
    choose(ui, "heard_how", "poster");
    next(ui);
    choose(ui, "involved", "meeting");
    next(ui);
    REQUIRE(ui.isShowing("question_services_intro"));
    next(ui);
    for (const char *topic : {"drugs", "bins", "graffiti", "streets"}) {
        choose(ui, QStringLiteral("rate_%1").arg(QLatin1String(topic)), "4");
        choose(ui, QStringLiteral("change_%1").arg(QLatin1String(topic)), "better");
        next(ui);
    }
    choose(ui, "influence", "2");
    choose(ui, "trust_council", "3");
    next(ui);
    choose(ui, "tenure", "council");
    ui.type("input_years_in_area", "12");
    next(ui);
    ui.type("input_comment_multiline", "More bins please");
    next(ui);
    REQUIRE(ui.isShowing("question_thanks"));
    next(ui);
}

} // namespace

TEST_CASE("A full vox pop from Home to Finalise stores a complete response", "[ui]")
{
    UiHarness ui;
    startVoxPop(ui);
    const QString uuid = ui.interview().uuid();
    answerWholeVoxPop(ui);

    REQUIRE(ui.interview().mode() == QLatin1String("review"));
    REQUIRE(ui.isShowing("review_heard_how"));
    REQUIRE(ui.interview().review()->issueCount() == 0);
    ui.click("finaliseButton");
    REQUIRE(ui.interview().mode() == QLatin1String("finished"));
    REQUIRE(ui.text("finishedTitle") == QLatin1String("Interview saved"));

    const std::optional<Response> r = ui.store().response(uuid);
    REQUIRE(r.has_value());
    CHECK(r->meta.status == ResponseStatus::Complete);
    CHECK(r->meta.enumerator == QLatin1String("Ewa Test"));
    CHECK(r->meta.formId == kVoxPop);
    CHECK_FALSE(r->meta.location.isValid()); // no GPS source in this run
    CHECK(r->answers.value("consent") == QLatin1String("yes"));
    CHECK(r->answers.value("heard_how") == QLatin1String("leaflet poster"));
    CHECK(r->answers.value("involved") == QLatin1String("meeting"));
    CHECK(r->answers.value("rate_graffiti") == QLatin1String("4"));
    CHECK(r->answers.value("change_streets") == QLatin1String("better"));
    CHECK(r->answers.value("trust_council") == QLatin1String("3"));
    CHECK(r->answers.value("age_band") == QLatin1String("35_44"));
    CHECK(r->answers.value("years_in_area") == QLatin1String("12"));
    CHECK(r->answers.value("comment") == QLatin1String("More bins please"));

    // "Next respondent" starts a fresh interview at consent straight away.
    ui.click("nextRespondentButton");
    REQUIRE(ui.interview().mode() == QLatin1String("question"));
    CHECK(ui.interview().uuid() != uuid);
    CHECK(ui.isShowing("question_consent"));
    CHECK(ui.interview().answer("consent").isEmpty());
    CHECK(ui.store().counts().all == 1);
}

TEST_CASE("No at consent ends the interview as a refusal keeping only consent", "[ui]")
{
    UiHarness ui;
    startVoxPop(ui);
    const QString uuid = ui.interview().uuid();
    choose(ui, "consent", "no");
    REQUIRE(ui.isShowing("refusalNote"));
    REQUIRE(ui.text("nextButton") == QLatin1String("End interview (refusal)"));
    next(ui);
    REQUIRE(ui.interview().mode() == QLatin1String("finished"));
    CHECK(ui.text("finishedTitle") == QLatin1String("Refusal recorded"));
    const std::optional<Response> r = ui.store().response(uuid);
    REQUIRE(r.has_value());
    CHECK(r->meta.status == ResponseStatus::Refused);
    CHECK(r->answers.keys() == QStringList{"consent"});
    CHECK(r->answers.value("consent") == QLatin1String("no"));
}

TEST_CASE("A validation message from the core blocks Next and stays on the page", "[ui]")
{
    UiHarness ui;
    startVoxPop(ui);
    // Nothing chosen at consent: required.
    next(ui);
    CHECK(ui.interview().pageIndex() == 0);
    REQUIRE(ui.isShowing("message_consent"));
    CHECK_FALSE(ui.text("message_consent").isEmpty());
    REQUIRE(ui.isShowing("pageMessage"));

    choose(ui, "consent", "yes");
    CHECK_FALSE(ui.isShowing("message_consent")); // fixed: the message goes away
    next(ui);
    choose(ui, "age_band", "25_34");
    choose(ui, "gender", "man");
    next(ui);
    choose(ui, "aware", "yes");
    next(ui);
    choose(ui, "heard_how", "leaflet");
    next(ui);
    // The form's constraint: "none" together with another choice.
    choose(ui, "involved", "meeting");
    choose(ui, "involved", "none");
    const int page = ui.interview().pageIndex();
    next(ui);
    CHECK(ui.interview().pageIndex() == page);
    REQUIRE(ui.isShowing("message_involved"));
    const QString message = ui.text("message_involved");
    CHECK(message.size() > 3);
    CHECK(ui.isShowing("question_involved"));
    // Untick "meeting": valid again, Next moves on.
    choose(ui, "involved", "meeting");
    CHECK_FALSE(ui.isShowing("message_involved"));
    next(ui);
    CHECK(ui.interview().pageIndex() != page);
}

TEST_CASE("Switching language mid-interview relabels the page and logs paradata", "[ui]")
{
    UiHarness ui;
    startVoxPop(ui);
    choose(ui, "consent", "yes");
    next(ui);
    const QString english = ui.text("label_age_band");
    CHECK(english.startsWith("Which age group"));
    CHECK(ui.text("choice_gender_other") == QLatin1String("In another way"));

    ui.click("lang_pl");
    CHECK(ui.interview().language() == QLatin1String("pl"));
    const QString polish = ui.text("label_age_band");
    CHECK(polish != english);
    CHECK(polish.contains(QStringLiteral("grupie wiekowej")));
    CHECK(ui.text("choice_gender_other") == QStringLiteral("Inaczej"));
    // The answer given before the switch is still there.
    ui.click("backButton");
    CHECK(ui.interview().answer("consent") == QLatin1String("yes"));
    CHECK(ui.text("choice_consent_yes") == QLatin1String("Tak"));

    bool logged = false;
    for (const ParadataEvent &e : ui.store().paradata(ui.interview().uuid()))
        logged = logged || (e.kind == ParadataEvent::Kind::LanguageSwitched && e.detail == QLatin1String("pl"));
    CHECK(logged);
    CHECK(ui.store().response(ui.interview().uuid())->meta.language == QLatin1String("pl"));
}

TEST_CASE("Log approach takes two taps and lands in the contact log", "[ui]")
{
    UiHarness ui;
    ui.completeFirstRun();
    ui.click("logApproachButton");
    ui.click("disposition_come_back_later");
    ui.click("saveApproachButton");
    ui.click("logApproachButton");
    ui.click("disposition_refused");
    // The vox pop's own codes and labels, not a list of the tablet's.
    CHECK(ui.text("ageband_65_74") == QLatin1String("65 to 74"));
    CHECK_FALSE(ui.isShowing("ageband_refused")); // "prefer not to say" is not observed
    ui.click("ageband_65_74");
    ui.click("gender_woman");
    ui.click("saveApproachButton");
    const QList<ContactEntry> contacts = ui.store().contacts();
    REQUIRE(contacts.size() == 2);
    QStringList dispositions;
    for (const ContactEntry &c : contacts)
        dispositions << dispositionName(c.disposition);
    dispositions.sort();
    CHECK(dispositions == QStringList{"come_back_later", "refused"});
    for (const ContactEntry &c : contacts) {
        if (c.disposition == Disposition::Refused) {
            CHECK(c.ageBand == QLatin1String("65_74"));
            CHECK(c.gender == QLatin1String("woman"));
        } else {
            CHECK(c.ageBand.isEmpty());
        }
        CHECK(c.enumerator == QLatin1String("Ewa Test"));
        CHECK_FALSE(c.caseStudy.isEmpty());
    }
    CHECK(ui.text("homeMessage") == QLatin1String("Approach saved."));

    // A code that is not in the form's list is not stored.
    HomeController *home = ui.app().window()->findChild<HomeController *>();
    REQUIRE(home);
    CHECK_FALSE(home->logApproach("refused", "65+", "female"));
    CHECK(ui.store().contacts().size() == 2);
    // In Polish, the form's Polish labels.
    ui.app().prefs()->setUiLanguage(QStringLiteral("pl"));
    ui.click("logApproachButton");
    CHECK(ui.text("gender_man") == QStringLiteral("Mężczyzna"));
    CHECK(ui.text("ageband_75_plus") == QStringLiteral("75 lat lub więcej"));
}

TEST_CASE("Responses: a draft is discarded after confirming and restored", "[ui]")
{
    UiHarness ui;
    startVoxPop(ui);
    const QString uuid = ui.interview().uuid();
    choose(ui, "consent", "yes");
    ui.click("pauseButton");
    REQUIRE(ui.isShowing("resumeButton"));
    ui.click("nav_responses");
    REQUIRE(ui.isShowing("response_" + uuid));
    ui.click("discard_" + uuid);
    ui.click("confirmOk");
    CHECK(ui.store().response(uuid)->meta.status == ResponseStatus::Discarded);
    CHECK_FALSE(ui.isShowing("response_" + uuid));
    ui.click("filter_discarded");
    ui.click("restore_" + uuid);
    CHECK(ui.store().response(uuid)->meta.status == ResponseStatus::Draft);
    ui.click("filter_draft");
    ui.click("resume_" + uuid);
    CHECK(ui.interview().uuid() == uuid);
    CHECK(ui.interview().answer("consent") == QLatin1String("yes"));
}

TEST_CASE("GPS from an NMEA log is stored with the response; without a source it is missing", "[ui][gps]")
{
    SECTION("NMEA log replayed")
    {
        UiHarness ui([](TabletOptions &o) {
            o.positioning = TabletOptions::Positioning::Nmea;
            o.nmeaFile = test::sourcePath("tests/data/gps/manchester-walk.nmea");
        });
        startVoxPop(ui);
        const QString uuid = ui.interview().uuid();
        // The background fix arrives while the fieldworker talks; nothing waited for it.
        REQUIRE(test::waitFor([&] { return ui.interview().locationState() == QLatin1String("recorded"); }, 10000));
        // Qt's NMEA source reports accuracy as 2 x HDOP x UERE (5 m here): the log starts at HDOP
        // 3.0 (30 m) and settles at 0.9 (9 m); the better fix replaces the first one.
        const bool settled = test::waitFor([&] {
            const Location l = ui.store().response(uuid)->meta.location;
            return l.isValid() && l.accuracy < 10.0;
        }, 10000);
        INFO("stored accuracy " << ui.store().response(uuid)->meta.location.accuracy << " live "
             << ui.app().position()->accuracy());
        REQUIRE(settled);
        choose(ui, "consent", "no");
        next(ui);
        const Location l = ui.store().response(uuid)->meta.location;
        CHECK(l.latitude == Approx(53.4668).margin(0.0005));
        CHECK(l.longitude == Approx(-2.2339).margin(0.0005));
        CHECK(l.accuracy == Approx(9.0).margin(0.01));
        CHECK(l.time.isValid());
    }
    SECTION("no position source")
    {
        UiHarness ui;
        startVoxPop(ui);
        const QString uuid = ui.interview().uuid();
        CHECK(ui.interview().locationState() == QLatin1String("unavailable"));
        choose(ui, "consent", "no");
        next(ui);
        const std::optional<Response> r = ui.store().response(uuid);
        CHECK(r->meta.status == ResponseStatus::Refused);
        CHECK_FALSE(r->meta.location.isValid());
    }
}

TEST_CASE("Geopoint question accepts a fix within the form's accuracy", "[ui][gps]")
{
    UiHarness ui([](TabletOptions &o) {
        o.positioning = TabletOptions::Positioning::Nmea;
        o.nmeaFile = test::sourcePath("tests/data/gps/manchester-walk.nmea");
    });
    ui.completeFirstRun();
    ui.click("form_demo-all-types");
    ui.click("startInterviewButton");
    ui.interview().jumpTo("location");
    test::settle();
    REQUIRE(ui.isShowing("usePosition_location"));
    REQUIRE(test::waitFor([&] {
        QQuickItem *b = ui.find("usePosition_location");
        return b && b->isEnabled();
    }, 10000));
    ui.click("usePosition_location");
    const QStringList parts = ui.interview().answer("location").split(' ');
    REQUIRE(parts.size() == 4);
    CHECK(parts[0].toDouble() == Approx(53.4668).margin(0.0005));
    CHECK(parts[1].toDouble() == Approx(-2.2339).margin(0.0005));
    CHECK(parts[3].toDouble() <= 10.0);
}

TEST_CASE("The tablet's models pass QAbstractItemModelTester", "[ui][models]")
{
    UiHarness ui;
    ui.completeFirstRun();
    QAbstractItemModelTester catalogueTester(ui.app().catalogue(), QAbstractItemModelTester::FailureReportingMode::Fatal);
    CHECK(ui.app().catalogue()->count() >= 2);
    QAbstractItemModelTester pageTester(ui.interview().page(), QAbstractItemModelTester::FailureReportingMode::Fatal);
    QAbstractItemModelTester reviewTester(ui.interview().review(), QAbstractItemModelTester::FailureReportingMode::Fatal);
    auto *responses = ui.window()->findChild<ResponsesController *>();
    REQUIRE(responses);
    QAbstractItemModelTester responsesTester(responses->model(), QAbstractItemModelTester::FailureReportingMode::Fatal);

    ui.click("form_demo-all-types");
    ui.click("startInterviewButton");
    for (const Question &q : ui.app().catalogue()->form("demo-all-types")->questions)
        ui.interview().jumpTo(q.name);
    ui.interview().setLanguage("pl");
    ui.interview().showReview();
    CHECK(ui.interview().review()->count() > 5);
    ui.interview().close();
    CHECK(responses->model()->count() == 1);
    responses->setFilter("complete");
    CHECK(responses->model()->count() == 0);
}
