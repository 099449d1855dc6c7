// SPDX-License-Identifier: Apache-2.0
// Issue 14, tried as a fieldworker in the street would: messages that point at the question,
// deliberate clearing, numbers checked as typed, location warnings, ODK-style navigation (swipe,
// Page Up/Down, the question list, the back button), rating scales that never break a word.
// Real clicks and keys through the real QML.
#include "uiharness.h"

#include "pagemodel.h"
#include "reviewmodel.h"
#include "tabletoptions.h"

#include <catch2/catch.hpp>

#include <QQuickItem>

using namespace kerbside;
using kerbside::test::UiHarness;

namespace {


// Through the question list, as a fieldworker jumps.
void jump(UiHarness &ui, const QString &question)
{
    ui.click(QStringLiteral("questionListButton"));
    ui.click(QStringLiteral("jump_") + question);
    REQUIRE(ui.isShowing(QStringLiteral("question_") + question));
}

QQuickItem *flickableOf(QQuickItem *item)
{
    for (QQuickItem *p = item->parentItem(); p; p = p->parentItem())
        if (p->inherits("QQuickFlickable"))
            return p;
    return nullptr;
}

// The item is wholly inside the part of its Flickable on screen (so above the footer).
bool inView(QQuickItem *item)
{
    QQuickItem *flick = flickableOf(item);
    if (!flick)
        return false;
    const QRectF view = flick->mapRectToScene(QRectF(0, 0, flick->width(), flick->height()));
    const QRectF r = item->mapRectToScene(QRectF(0, 0, item->width(), item->height()));
    return view.adjusted(-1, -1, 1, 1).contains(r);
}

void swipe(UiHarness &ui, int fromX, int toX, int y)
{
    QTest::mousePress(ui.window(), Qt::LeftButton, Qt::NoModifier, QPoint(fromX, y));
    const int steps = 12;
    for (int i = 1; i <= steps; ++i) {
        QTest::mouseMove(ui.window(), QPoint(fromX + (toX - fromX) * i / steps, y), 10);
    }
    QTest::mouseRelease(ui.window(), Qt::LeftButton, Qt::NoModifier, QPoint(toX, y), 10);
    test::settle();
}

} // namespace

TEST_CASE("A second tap keeps the answer and Clear answer takes it back", "[ui][street]")
{
    UiHarness ui;
    REQUIRE(ui.startInterview());
    ui.click("choice_consent_yes");
    ui.click("nextButton");
    ui.click("choice_age_band_45_54"); // the screening page
    ui.click("choice_gender_man");
    ui.click("nextButton");
    REQUIRE(ui.isShowing("question_aware"));
    CHECK_FALSE(ui.isShowing("clearAnswer_aware")); // nothing to clear yet
    ui.click("choice_aware_yes");
    ui.click("choice_aware_yes"); // a shaky double tap
    CHECK(ui.interview().answer("aware") == QLatin1String("yes"));
    CHECK(ui.require("choice_aware_yes")->property("checked").toBool());
    ui.click("clearAnswer_aware");
    CHECK(ui.interview().answer("aware").isEmpty());
    CHECK_FALSE(ui.isShowing("clearAnswer_aware"));
    CHECK(ui.store().response(ui.interview().uuid())->answers.value("aware").isEmpty());
}

TEST_CASE("Next on a long page names the question and scrolls its message into view", "[ui][street]")
{
    UiHarness ui; // 1280x800: with the largest text the screening page is taller than the screen
    ui.app().prefs()->setTextSize(3);
    REQUIRE(ui.startInterview());
    ui.click("choice_consent_yes");
    jump(ui, "age_band");
    ui.click("choice_age_band_35_44");
    // gender left empty; the page is scrolled back to the top, away from it.
    QQuickItem *body = flickableOf(ui.require("question_gender"));
    REQUIRE(body);
    body->setProperty("contentY", 0);
    test::settle();
    REQUIRE(body->property("contentHeight").toDouble() > body->height()); // really a long page
    ui.click("nextButton");
    REQUIRE(ui.isShowing("message_gender"));
    const QString label = ui.text("label_gender").remove(QStringLiteral(" *"));
    CHECK(ui.text("pageMessage").contains(label.left(20)));
    REQUIRE(test::waitFor([&] { return inView(ui.require("message_gender")); }, 2000));
    CHECK(inView(ui.require("choice_gender_" + ui.interview().page()->data(
        ui.interview().page()->index(ui.interview().page()->rowOf("gender")), PageModel::ChoicesRole).toList().last().toMap().value("name").toString())));
}

TEST_CASE("A typed number is checked once the typing pauses, without Next", "[ui][street]")
{
    UiHarness ui;
    REQUIRE(ui.startInterview());
    ui.click("choice_consent_yes");
    jump(ui, "age_band");
    ui.click("choice_age_band_16_24");
    jump(ui, "years_in_area"); // "About you", a page after the screening page
    const int page = ui.interview().pageIndex();
    ui.type("input_years_in_area", "30"); // more years in the area than their age allows
    REQUIRE(test::waitFor([&] { return ui.isShowing("message_years_in_area"); }, 10000));
    CHECK(ui.interview().pageIndex() == page);
    CHECK_FALSE(ui.isShowing("pageMessage")); // under the question, not a Next refusal
    // Fixed while typing: the message goes at once.
    ui.click("input_years_in_area");
    QTest::keyClick(ui.window(), Qt::Key_End);
    QTest::keyClick(ui.window(), Qt::Key_Backspace);
    test::settle();
    CHECK(ui.interview().answer("years_in_area") == QLatin1String("3"));
    CHECK_FALSE(ui.isShowing("message_years_in_area"));
}

TEST_CASE("Review warns when no location was recorded and an optional location can be skipped", "[ui][street]")
{
    UiHarness ui; // no GPS at all
    REQUIRE(ui.startInterview(QStringLiteral("demo-all-types")));
    CHECK(ui.interview().locationMissing());
    jump(ui, "consent");
    ui.click("choice_consent_yes");
    jump(ui, "location");
    // Optional and waiting forever: the fieldworker may go on.
    ui.click("skipLocation_location");
    CHECK_FALSE(ui.isShowing("question_location"));
    CHECK(ui.interview().answer("location").isEmpty());
    ui.interview().showReview();
    test::settle();
    REQUIRE(ui.isShowing("locationWarning"));
    CHECK(ui.text("locationWarning").contains(QStringLiteral("No location")));
}

TEST_CASE("Swipe, Page Up/Down and the back key turn pages like ODK Collect", "[ui][street]")
{
    UiHarness ui;
    REQUIRE(ui.startInterview());
    ui.click("choice_consent_yes");
    const int first = ui.interview().pageIndex();
    const int y = ui.window()->height() / 2 + 60; // below the consent buttons, on the page
    swipe(ui, 1000, 300, y);
    REQUIRE(ui.interview().pageIndex() != first);
    CHECK(ui.isShowing("question_age_band"));
    swipe(ui, 300, 1000, y);
    CHECK(ui.interview().pageIndex() == first);

    QTest::keyClick(ui.window(), Qt::Key_PageDown);
    test::settle();
    CHECK(ui.isShowing("question_age_band"));
    QTest::keyClick(ui.window(), Qt::Key_PageUp);
    test::settle();
    CHECK(ui.isShowing("question_consent"));

    QTest::keyClick(ui.window(), Qt::Key_PageDown);
    test::settle();
    REQUIRE(ui.isShowing("question_age_band"));
    QTest::keyClick(ui.window(), Qt::Key_Back); // Android's back button
    test::settle();
    CHECK(ui.isShowing("question_consent"));
    CHECK(ui.interview().mode() == QLatin1String("question")); // never out of the interview
}

TEST_CASE("The question list jumps to any relevant question from any page", "[ui][street]")
{
    UiHarness ui;
    REQUIRE(ui.startInterview());
    ui.click("choice_consent_yes");
    ui.click("questionListButton");
    CHECK(ui.isShowing("jump_trust_council"));
    CHECK_FALSE(ui.isShowing("jump_heard_how")); // not relevant until "aware" is yes
    ui.click("jump_trust_council");
    CHECK(ui.isShowing("question_trust_council"));
    CHECK_FALSE(ui.isShowing("toReviewButton")); // a jump, not a return from Review
    CHECK(ui.interview().mode() == QLatin1String("question"));
    jump(ui, "aware");
    ui.click("choice_aware_yes");
    jump(ui, "heard_how");
}

TEST_CASE("Review lists several chosen answers one per line", "[ui][street]")
{
    UiHarness ui;
    REQUIRE(ui.startInterview());
    ui.click("choice_consent_yes");
    ui.click("nextButton");
    ui.click("choice_age_band_45_54");
    ui.click("choice_gender_man");
    ui.click("nextButton");
    ui.click("choice_aware_yes");
    ui.click("nextButton");
    ui.click("choice_heard_how_leaflet");
    ui.click("choice_heard_how_poster");
    ui.interview().showReview();
    test::settle();
    const ReviewModel *review = ui.interview().review();
    QString answer;
    for (int r = 0; r < review->count(); ++r)
        if (review->data(review->index(r), ReviewModel::NameRole).toString() == QLatin1String("heard_how"))
            answer = review->data(review->index(r), ReviewModel::AnswerRole).toString();
    CHECK(answer.split('\n').size() == 2);
    CHECK_FALSE(answer.contains(QStringLiteral(", ")));
}

TEST_CASE("A rating scale that cannot fit its labels whole becomes a vertical list", "[ui][street]")
{
    auto columnsAt = [](QSize size, int textSize, const QString &language) {
        UiHarness ui({}, {}, size);
        ui.app().prefs()->setTextSize(textSize);
        ui.app().prefs()->setUiLanguage(language);
        REQUIRE(ui.startInterview());
        ui.click("choice_consent_yes");
        jump(ui, "influence");
        const PageModel *page = ui.interview().page();
        const int choices = int(page->data(page->index(page->rowOf("influence")), PageModel::ChoicesRole).toList().size());
        REQUIRE(choices >= 5);
        const int columns = ui.require("choices_influence")->property("columns").toInt();
        return columns == choices ? QStringLiteral("scale") : columns == 1 ? QStringLiteral("list") : QString::number(columns);
    };
    CHECK(columnsAt(QSize(1280, 800), 1, "en") == QLatin1String("scale")); // room: the scale
    CHECK(columnsAt(QSize(800, 1280), 3, "pl") == QLatin1String("list"));  // "Zdecydowanie" cannot fit a sixth
}

TEST_CASE("The window takes its size from the window option and a bad size is refused", "[ui][street]")
{
    TabletOptions o;
    QString error;
    REQUIRE(TabletOptions::parse({"kerbside-tablet", "--window", "800x1280"}, &o, &error));
    CHECK(o.windowSize == QSize(800, 1280));
    CHECK_FALSE(TabletOptions::parse({"kerbside-tablet", "--window", "big"}, &o, &error));
    CHECK(error.contains("WIDTHxHEIGHT"));
    UiHarness ui({}, {}, QSize(800, 1280));
    CHECK(ui.window()->size() == QSize(800, 1280));
    // Resizable: a new size relays the screens out.
    ui.window()->resize(QSize(1000, 700));
    test::settle();
    CHECK(ui.rootItem()->width() == 1000);
}
