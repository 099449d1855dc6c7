// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "tabletoptions.h"

#include <QObject>
#include <QString>

#include <memory>

class QQmlApplicationEngine;
class QQuickWindow;
class QTemporaryDir;

namespace kerbside {

class FormCatalogue;
class InterviewController;
class PositionService;
class Preferences;
class StoreService;
class SyncController;

/** Wires the tablet's services (store, forms, position, preferences, sync) and loads
 *  Main.qml with them as required properties. main() and the UI tests share this wiring, so
 *  tests drive exactly what fieldworkers run. */
class TabletApp : public QObject
{
    Q_OBJECT

public:
    explicit TabletApp(TabletOptions options, QObject *parent = nullptr);
    ~TabletApp() override;

    // Opens the store, loads the forms and Main.qml. False with errorString() on failure.
    bool load();
    QString errorString() const { return m_error; }

    const TabletOptions &options() const { return m_options; }
    QQmlApplicationEngine *engine() const { return m_engine.get(); }
    QQuickWindow *window() const;
    // Sizes and shows the window: --window WxH exactly; full screen on Android/iOS; otherwise a
    // resizable 1280x800 window shrunk to fit the screen. load() calls it.
    void placeWindow();
    StoreService *store() const { return m_store; }
    FormCatalogue *catalogue() const { return m_catalogue; }
    PositionService *position() const { return m_position; }
    Preferences *prefs() const { return m_prefs; }
    SyncController *sync() const { return m_sync; }
    InterviewController *interview() const; // the one Main.qml made

    // Shows a screen by name ("firstrun", "home", "interview", "responses", "sync", "settings").
    void showScreen(const QString &name);
    // --self-test: visits every screen and every page of every form, then discards; returns
    // the number of warnings seen (0 = pass). Call after load().
    int runSelfTest();

    // Counts Qt warnings/criticals from here on (self-test, UI tests).
    static void installWarningCounter();
    static int warningCount();

private:
    TabletOptions m_options;
    QString m_error;
    std::unique_ptr<QTemporaryDir> m_tempData; // --self-test without --data
    StoreService *m_store = nullptr;
    FormCatalogue *m_catalogue = nullptr;
    PositionService *m_position = nullptr;
    Preferences *m_prefs = nullptr;
    SyncController *m_sync = nullptr;
    std::unique_ptr<QQmlApplicationEngine> m_engine;
};

} // namespace kerbside
