// SPDX-License-Identifier: Apache-2.0
// Repeat groups on the tablet, through the real QML: the household roster's pages per person
// (repeat_count), "Add another" for cars with its nested trips, removal after a confirmation,
// Polish texts, and a fresh app on the same data folder resuming with every instance. Saves
// screenshots under <build>/screenshots/ (repeat-*.png) to be looked at.
#include "uiharness.h"

#include <catch2/catch.hpp>

#include <QDir>

using namespace kerbside;

namespace {

void shot(test::UiHarness &ui, const QString &name)
{
    test::settle();
    const QImage image = ui.window()->grabWindow();
    const QString dir = test::binaryPath(QStringLiteral("screenshots"));
    QDir().mkpath(dir);
    REQUIRE(image.save(QDir(dir).filePath(QStringLiteral("repeat-%1.png").arg(name))));
}

} // namespace

TEST_CASE("Repeats on the tablet: pages per instance, add another, remove with confirmation, resume", "[ui][repeat]")
{
    QTemporaryDir dir;
    QString uuid;
    {
        test::UiHarness ui({}, dir.path());
        ui.app().prefs()->setUiLanguage(QStringLiteral("pl")); // the tablet's own texts
        REQUIRE(ui.startInterview(QStringLiteral("household-roster")));
        ui.click("lang_pl"); // the form's
        ui.click("choice_consent_yes");
        ui.click("nextButton");
        ui.type("input_hh_size", "2");
        ui.click("nextButton");
        // Person 1's name page, titled with the instance.
        REQUIRE(ui.isShowing("question_person[1]/pname"));
        CHECK(ui.require("pageTitle")->property("text").toString() == QStringLiteral("Osoba 1"));
        CHECK_FALSE(ui.isShowing("removeInstanceButton")); // counted by hh_size: not removable
        ui.type("input_person[1]/pname", "Ala");
        ui.click("nextButton");
        // The one-page group: age and sex together; the label quotes this person's name.
        REQUIRE(ui.isShowing("question_person[1]/age"));
        CHECK(ui.isShowing("question_person[1]/sex"));
        CHECK(ui.require("label_person[1]/age")->property("text").toString().contains(QStringLiteral("Ala")));
        CHECK(ui.require("pageTitle")->property("text").toString() == QStringLiteral("Osoba 1 · O tej osobie"));
        ui.type("input_person[1]/age", "40");
        ui.click("choice_person[1]/sex_female");
        shot(ui, "person-details-pl");
        ui.click("nextButton");
        REQUIRE(ui.isShowing("question_person[2]/pname"));
        ui.type("input_person[2]/pname", "Bartek");
        ui.click("nextButton");
        ui.type("input_person[2]/age", "12");
        ui.click("nextButton");

        // Cars: open-ended. The question, the count, one big button.
        REQUIRE(ui.interview().pageKind() == QLatin1String("repeatEnd"));
        CHECK(ui.require("repeatQuestion")->property("text").toString() == QStringLiteral("Dodać pozycję „Samochód”?"));
        CHECK(ui.require("nextButton")->property("text").toString() == QStringLiteral("Nie, dalej ›"));
        QQuickItem *add = ui.require("addInstanceButton");
        CHECK(add->height() >= 60);
        shot(ui, "add-first-pl");
        ui.click("addInstanceButton");
        REQUIRE(ui.isShowing("question_car[1]/make"));
        ui.type("input_car[1]/make", "Fiat");
        ui.click("nextButton");
        ui.click("nextButton"); // fuel: not required
        // The trips of car 1: skip them.
        REQUIRE(ui.interview().pageKind() == QLatin1String("repeatEnd"));
        CHECK(ui.require("repeatQuestion")->property("text").toString() == QStringLiteral("Dodać pozycję „Podróż”?"));
        ui.click("nextButton");
        REQUIRE(ui.interview().pageKind() == QLatin1String("repeatEnd"));
        CHECK(ui.require("repeatQuestion")->property("text").toString() == QStringLiteral("Dodać kolejną pozycję „Samochód”?"));
        CHECK(ui.require("repeatCount")->property("text").toString() == QStringLiteral("Dodano do tej pory: 1"));
        shot(ui, "add-another-pl");
        ui.click("addInstanceButton");
        ui.type("input_car[2]/make", "Opel");
        // Car 2 can be removed, after the confirmation.
        REQUIRE(ui.isShowing("removeInstanceButton"));
        CHECK(ui.require("removeInstanceButton")->property("text").toString() == QStringLiteral("Usuń: Samochód 2"));
        ui.click("removeInstanceButton");
        REQUIRE(ui.isShowing("confirmOk")); // the confirmation (a popup over the page)
        shot(ui, "remove-confirm-pl");
        ui.click("confirmCancel"); // nothing happens without the confirmation
        CHECK(ui.interview().answer("car[2]/make") == QLatin1String("Opel"));
        ui.click("removeInstanceButton");
        ui.click("confirmOk");
        CHECK(ui.interview().answer("car[2]/make").isEmpty());
        CHECK(ui.interview().pageKind() == QLatin1String("repeatEnd"));
        CHECK(ui.require("repeatCount")->property("text").toString() == QStringLiteral("Dodano do tej pory: 1"));
        // One more car, left without an answer: it must survive the restart.
        ui.click("addInstanceButton");
        REQUIRE(ui.isShowing("question_car[2]/make"));
        uuid = ui.interview().uuid();
        CHECK(ui.store().response(uuid)->answers.value(QStringLiteral("car")) == QStringLiteral("2"));
    } // the app goes away mid-interview, as after a kill: every change was already stored

    test::UiHarness ui({}, dir.path());
    ui.app().prefs()->setUiLanguage(QStringLiteral("pl"));
    REQUIRE(ui.isShowing("resumeButton"));
    ui.click("resumeButton");
    REQUIRE(ui.interview().uuid() == uuid);
    CHECK(ui.isShowing("question_car[2]/make"));
    CHECK(ui.interview().answer("person[2]/pname") == QLatin1String("Bartek"));
    CHECK(ui.interview().answer("car[1]/make") == QLatin1String("Fiat"));
    ui.type("input_car[2]/make", "Škoda");
    ui.click("nextButton");
    ui.click("nextButton");
    ui.click("nextButton"); // no trips
    ui.click("nextButton"); // no more cars
    ui.click("nextButton"); // the thank-you note
    REQUIRE(ui.interview().mode() == QLatin1String("review"));
    shot(ui, "review-pl");
    ui.click("finaliseButton");
    REQUIRE(ui.interview().mode() == QLatin1String("finished"));
    const auto r = ui.store().response(uuid);
    REQUIRE(r);
    CHECK(r->answers.value(QStringLiteral("car")) == QStringLiteral("2"));
    CHECK(r->answers.value(QStringLiteral("car[2]/make")) == QStringLiteral("Škoda"));
    CHECK(r->answers.value(QStringLiteral("person[1]/sex")) == QStringLiteral("female"));
    CHECK(r->answers.value(QStringLiteral("adults")) == QStringLiteral("1"));
}
