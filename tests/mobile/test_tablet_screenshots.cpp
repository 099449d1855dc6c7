// SPDX-License-Identifier: Apache-2.0
// Every screen rendered at 1280x800 and 800x1280, normal and largest text (and high contrast
// once), saved under <build>/screenshots/. Fails when a screen renders empty, a visible control
// sticks out of the window or a button is smaller than a fingertip (48 px).
#include "uiharness.h"

#include "synccontroller.h"

#include <catch2/catch.hpp>

#include <QDir>
#include <QHash>
#include <QImage>

using namespace kerbside;
using kerbside::test::UiHarness;

namespace {

struct Config
{
    QSize size;
    int textSize;
    bool highContrast;
    QString name() const
    {
        return QStringLiteral("%1x%2-text%3%4").arg(size.width()).arg(size.height()).arg(textSize)
            .arg(highContrast ? QStringLiteral("-hc") : QString());
    }
};

QString describe(QQuickItem *item)
{
    return QStringLiteral("%1 '%2'").arg(QLatin1String(item->metaObject()->className()), item->objectName());
}

// Problems a fieldworker would hit: controls outside the window (after their clip), tiny buttons.
void checkItems(QQuickItem *item, const QRectF &clip, const QRectF &window, QStringList *problems)
{
    if (!item->isVisible() || item->opacity() <= 0.01)
        return;
    const QRectF rect = item->mapRectToScene(QRectF(0, 0, item->width(), item->height()));
    const QRectF shown = rect.intersected(clip);
    if (item->inherits("QQuickControl") && !item->inherits("QQuickScrollBar") && shown.isValid()
        && !window.adjusted(-1, -1, 1, 1).contains(shown))
        *problems << QStringLiteral("%1 at %2,%3 %4x%5 falls outside the window")
                         .arg(describe(item)).arg(shown.x()).arg(shown.y()).arg(shown.width()).arg(shown.height());
    if (item->inherits("QQuickAbstractButton") && item->isEnabled() && shown.isValid()
        && (item->height() < 47.5 || item->width() < 47.5))
        *problems << QStringLiteral("%1 is only %2x%3 px").arg(describe(item)).arg(item->width()).arg(item->height());
    const QRectF childClip = item->clip() ? clip.intersected(rect) : clip;
    const QList<QQuickItem *> children = item->childItems();
    for (QQuickItem *c : children)
        checkItems(c, childClip, window, problems);
}

// True when the picture has content: some colour other than the background covers >= 0.5%.
bool hasContent(const QImage &image)
{
    QHash<QRgb, int> counts;
    for (int y = 0; y < image.height(); y += 2) {
        const QRgb *line = reinterpret_cast<const QRgb *>(image.constScanLine(y));
        for (int x = 0; x < image.width(); x += 2)
            ++counts[line[x]];
    }
    int total = 0;
    int top = 0;
    for (int c : std::as_const(counts)) {
        total += c;
        top = qMax(top, c);
    }
    return counts.size() > 2 && (total - top) * 200 >= total;
}

class Shooter
{
public:
    Shooter(UiHarness &ui, const Config &c) : m_ui(ui), m_config(c) {}

    void shot(const QString &screen)
    {
        test::settle(6);
        QQuickWindow *w = m_ui.window();
        const QImage image = w->grabWindow().convertToFormat(QImage::Format_ARGB32);
        const QString dir = test::binaryPath(QStringLiteral("screenshots"));
        QDir().mkpath(dir);
        const QString file = QStringLiteral("%1/%2-%3.png").arg(dir, screen, m_config.name());
        INFO(file.toStdString());
        REQUIRE(image.size() == w->size() * w->devicePixelRatio());
        REQUIRE(image.save(file));
        CHECK(hasContent(image));
        QStringList problems;
        const QRectF window(QPointF(0, 0), QSizeF(w->size()));
        checkItems(m_ui.rootItem(), window, window, &problems);
        INFO(problems.join('\n').toStdString());
        CHECK(problems.isEmpty());
        ++m_count;
    }
    int count() const { return m_count; }

private:
    UiHarness &m_ui;
    Config m_config;
    int m_count = 0;
};

void shootAll(const Config &c)
{
    UiHarness ui({}, {}, c.size);
    ui.app().prefs()->setTextSize(c.textSize);
    ui.app().prefs()->setHighContrast(c.highContrast);
    Shooter s(ui, c);
    s.shot("firstrun");
    ui.completeFirstRun();
    s.shot("home");
    ui.click("logApproachButton");
    ui.click("disposition_refused");
    s.shot("log-approach");
    ui.click("cancelApproachButton");

    ui.click("form_community-contracts-voxpop");
    ui.click("startInterviewButton");
    s.shot("interview-consent");
    ui.click("choice_consent_yes");
    ui.click("nextButton");
    ui.click("nextButton"); // nothing chosen: the core's message shows
    s.shot("interview-message");
    ui.interview().jumpTo("rate_drugs");
    ui.click("choice_rate_drugs_4");
    s.shot("interview-likert");
    ui.interview().jumpTo("heard_how");
    s.shot("interview-multiple");
    ui.interview().jumpTo("age_band");
    s.shot("interview-about-you");
    ui.interview().setLanguage("pl");
    s.shot("interview-about-you-pl");
    ui.interview().showReview();
    s.shot("interview-review");
    ui.click("pauseButton");

    ui.click("form_demo-all-types");
    ui.click("startInterviewButton");
    for (const char *q : {"age", "visit_date", "visit_time", "location"}) {
        ui.interview().jumpTo(QLatin1String(q));
        s.shot(QStringLiteral("editor-%1").arg(QLatin1String(q)));
    }
    ui.interview().setAnswer("follow_up", "yes");
    ui.interview().jumpTo("follow_up_at");
    s.shot("editor-datetime");
    ui.click("pauseButton");

    ui.click("form_community-contracts-voxpop");
    ui.click("startInterviewButton");
    ui.click("choice_consent_no");
    ui.click("nextButton");
    s.shot("interview-finished");
    ui.click("finishedHomeButton");

    ui.click("nav_responses");
    s.shot("responses");
    ui.click("nav_sync");
    s.shot("sync"); // not enrolled: the enrolment fields
    QTemporaryDir stick;
    ui.require("syncUsbFolder")->setProperty("text", stick.path());
    ui.click("syncUsbButton");
    REQUIRE(test::waitFor([&] { return !ui.app().sync()->busy(); }, 30000));
    s.shot("sync-usb-saved");
    ui.click("nav_settings");
    s.shot("settings");
    CHECK(s.count() == 20);
}

} // namespace

TEST_CASE("Screenshots: landscape, normal text", "[ui][screenshots]")
{
    shootAll({QSize(1280, 800), 1, false});
}

TEST_CASE("Screenshots: landscape, largest text", "[ui][screenshots]")
{
    shootAll({QSize(1280, 800), 3, false});
}

TEST_CASE("Screenshots: portrait, normal text", "[ui][screenshots]")
{
    shootAll({QSize(800, 1280), 1, false});
}

TEST_CASE("Screenshots: portrait, largest text", "[ui][screenshots]")
{
    shootAll({QSize(800, 1280), 3, false});
}

TEST_CASE("Screenshots: landscape, largest text, high contrast", "[ui][screenshots]")
{
    shootAll({QSize(1280, 800), 3, true});
}
