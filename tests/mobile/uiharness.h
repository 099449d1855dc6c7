// SPDX-License-Identifier: Apache-2.0
#pragma once
// Drives the real tablet UI (TabletApp + Main.qml) in tests: finds items by objectName, scrolls
// them into view and clicks/types with real mouse and key events through the window.

#include "formcatalogue.h"
#include "interviewcontroller.h"
#include "positionservice.h"
#include "preferences.h"
#include "storeservice.h"
#include "tabletapp.h"
#include "testpaths.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QQuickItem>
#include <QQuickWindow>
#include <QTemporaryDir>
#include <QTest>

#include <QtQuickTest/quicktest.h>

#include <functional>
#include <memory>
#include <stdexcept>

namespace kerbside::test {

inline void settle(int rounds = 4)
{
    for (int i = 0; i < rounds; ++i) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
        // Outside exec(), deleteLater()'d delegates are only freed on an explicit flush.
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    }
}

// Waits (processing events) until `done` holds or `timeoutMs` passes.
inline bool waitFor(const std::function<bool()> &done, int timeoutMs = 5000)
{
    QElapsedTimer t;
    t.start();
    while (!done()) {
        if (t.elapsed() > timeoutMs)
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
        QTest::qWait(5);
    }
    return true;
}

class UiHarness
{
public:
    // A fresh data folder (or `dataDir`), the repository's forms, no GPS unless options say so.
    explicit UiHarness(std::function<void(TabletOptions &)> tweak = {}, const QString &dataDir = {},
                       QSize size = QSize(1280, 800))
    {
        TabletOptions o;
        o.dataDir = dataDir.isEmpty() ? m_dir.path() : dataDir;
        o.formsDir = sourcePath(QStringLiteral("forms"));
        o.positioning = TabletOptions::Positioning::None;
        o.windowSize = size; // as `--window WxH`
        if (tweak)
            tweak(o);
        m_app = std::make_unique<TabletApp>(o);
        if (!m_app->load())
            throw std::runtime_error(m_app->errorString().toStdString());
        window()->resize(size);
        window()->show();
        settle();
    }

    TabletApp &app() { return *m_app; }
    QQuickWindow *window() const { return m_app->window(); }
    InterviewController &interview() const { return *m_app->interview(); }
    DeviceStore &store() const { return m_app->store()->store(); }
    QString dataDir() const { return m_app->options().dataDir; }

    // Completes first run the way a fieldworker does: name, Start.
    void completeFirstRun(const QString &name = QStringLiteral("Ewa Test"))
    {
        if (m_app->prefs()->firstRunDone())
            return;
        type(QStringLiteral("firstrun_enumerator"), name);
        click(QStringLiteral("firstrun_finish"));
    }

    // From wherever the app is: first run if needed, Home, the form, Start. True when the
    // interview's first page shows.
    bool startInterview(const QString &formId = QStringLiteral("community-contracts-voxpop"))
    {
        completeFirstRun();
        click(QStringLiteral("nav_home"));
        click(QStringLiteral("form_") + formId);
        click(QStringLiteral("startInterviewButton"));
        return interview().mode() == QLatin1String("question");
    }

    QQuickItem *rootItem() const
    {
        QQuickItem *root = window()->contentItem();
        while (root->parentItem())
            root = root->parentItem();
        return root;
    }

    // The visible item with this objectName (nullptr when none is showing).
    QQuickItem *find(const QString &name) const { return findIn(rootItem(), name); }
    bool isShowing(const QString &name) const { return find(name) != nullptr; }

    QQuickItem *require(const QString &name) const
    {
        QQuickItem *item = find(name);
        if (!item)
            throw std::runtime_error("no visible item " + name.toStdString());
        return item;
    }

    QString text(const QString &name) const { return require(name)->property("text").toString(); }

    // Scrolls the nearest Flickable so the item is inside the window, then clicks its centre.
    void click(const QString &name)
    {
        settle();
        // Positioners place their children at polish time, which offscreen only happens on a
        // frame: until then a new page's choices may all sit at (0, 0) and a click lands on
        // the wrong one. Wait for the window's polish before reading positions.
        QQuickTest::qWaitForPolish(window(), 2000);
        QQuickItem *item = require(name);
        if (!item->isEnabled())
            throw std::runtime_error("item " + name.toStdString() + " is disabled");
        scrollIntoView(item);
        QQuickTest::qWaitForPolish(window(), 2000);
        const QPointF centre = item->mapToScene(QPointF(item->width() / 2, item->height() / 2));
        if (!QRectF(QPointF(0, 0), QSizeF(window()->size())).contains(centre))
            throw std::runtime_error("item " + name.toStdString() + " is outside the window at "
                                     + std::to_string(centre.x()) + "," + std::to_string(centre.y()));
        QTest::mouseClick(window(), Qt::LeftButton, Qt::NoModifier, centre.toPoint());
        settle();
    }

    // Clicks a text field (focus) and types, as the on-screen keyboard would.
    void type(const QString &name, const QString &text)
    {
        click(name);
        // QTest has no keyClicks for a QWindow in Qt 6.4: one key event per character, with its text.
        for (const QChar ch : text) {
            const Qt::Key key = ch.isLetterOrNumber() && ch.unicode() < 128
                                    ? Qt::Key(ch.toUpper().unicode()) : Qt::Key_unknown;
            QTest::sendKeyEvent(QTest::Click, window(), key, QString(ch), Qt::NoModifier);
        }
        settle();
    }

    void scrollIntoView(QQuickItem *item)
    {
        for (QQuickItem *p = item->parentItem(); p; p = p->parentItem()) {
            if (!p->inherits("QQuickFlickable"))
                continue;
            auto *content = qvariant_cast<QQuickItem *>(p->property("contentItem"));
            if (!content)
                continue;
            const double y = item->mapToItem(content, QPointF(0, 0)).y();
            const double h = item->height();
            const double viewH = p->height();
            double contentY = p->property("contentY").toDouble();
            if (y < contentY || y + h > contentY + viewH) {
                const double maxY = qMax(0.0, p->property("contentHeight").toDouble() - viewH);
                contentY = qBound(0.0, y - qMax(0.0, (viewH - h) / 2), maxY);
                p->setProperty("contentY", contentY);
                settle();
                settle();
            }
        }
    }

private:
    static QQuickItem *findIn(QQuickItem *item, const QString &name)
    {
        if (!item->isVisible())
            return nullptr;
        if (item->objectName() == name)
            return item;
        const QList<QQuickItem *> children = item->childItems();
        for (QQuickItem *c : children) {
            if (QQuickItem *found = findIn(c, name))
                return found;
        }
        return nullptr;
    }

    QTemporaryDir m_dir;
    std::unique_ptr<TabletApp> m_app;
};

} // namespace kerbside::test
