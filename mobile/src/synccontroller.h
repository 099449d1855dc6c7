// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "servicecontroller.h"
#include "synctypes.h"

#include <functional>
#include <memory>
#include <optional>
#include <thread>

namespace kerbside {

class SyncEngine;

/** The Sync screen's state over the real sync engine (sync/client): enrol, sync now, cancel,
 *  save the outbox to a USB stick. Engine calls run on one worker thread at a time (each opens
 *  its own store connection); progress and results hop back to the GUI thread. Afterwards the
 *  store is announced as changed (Home's counts) and the catalogue reloaded when forms came.
 *  Never deletes anything: only the engine marks items synced, from the collector's receipt. */
class SyncController : public kerbside::ServiceController // qualified: see ServiceController
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The sync service is built in main() and handed to the screens")
    // "notSetUp" (not enrolled), "idle", "enrolling", "syncing", "exporting", "done", "failed"
    Q_PROPERTY(QString state READ state NOTIFY stateChanged)
    Q_PROPERTY(bool busy READ busy NOTIFY stateChanged)
    Q_PROPERTY(double progress READ progress NOTIFY progressChanged) // 0..1
    Q_PROPERTY(QString phaseText READ phaseText NOTIFY progressChanged) // the engine's words
    Q_PROPERTY(QString lastResult READ lastResult NOTIFY stateChanged)  // plain words, persisted
    Q_PROPERTY(QString lastResultTime READ lastResultTime NOTIFY stateChanged) // "14:05" local
    Q_PROPERTY(int waiting READ waiting NOTIFY stateChanged)
    Q_PROPERTY(bool enrolled READ enrolled NOTIFY stateChanged)
    Q_PROPERTY(QString collectorUrl READ collectorUrl NOTIFY stateChanged)
    // What first run stored, to prefill "Enrol this tablet".
    Q_PROPERTY(QString suggestedUrl READ suggestedUrl NOTIFY stateChanged)
    Q_PROPERTY(QString suggestedCode READ suggestedCode NOTIFY stateChanged)
    Q_PROPERTY(QString usbFolder READ usbFolder CONSTANT) // default folder for "Save to USB stick"
    Q_PROPERTY(QString lastExportPath READ lastExportPath NOTIFY stateChanged)

public:
    explicit SyncController(QObject *parent = nullptr);
    ~SyncController() override; // cancels and waits for the worker

    // One engine for the app's life (main() builds it on the store file and the forms folder).
    void setEngine(std::shared_ptr<SyncEngine> engine);

    QString state() const { return m_state; }
    bool busy() const { return m_busy; }
    double progress() const { return m_progress; }
    QString phaseText() const { return m_phaseText; }
    QString lastResult() const { return m_lastResult; }
    QString lastResultTime() const { return m_lastResultTime; }
    int waiting() const { return m_waiting; }
    bool enrolled() const { return m_enrolled; }
    QString collectorUrl() const { return m_collectorUrl; }
    QString suggestedUrl() const;
    QString suggestedCode() const;
    QString usbFolder() const;
    QString lastExportPath() const { return m_lastExportPath; }

    Q_INVOKABLE void enrol(const QString &url, const QString &code);
    Q_INVOKABLE void syncNow();
    Q_INVOKABLE void cancel();
    Q_INVOKABLE void exportToUsb(const QString &folderPath);
    Q_INVOKABLE void refresh();

signals:
    void stateChanged();
    void progressChanged();
    void finished(); // an enrol, sync or export ended (tests wait on it)

private:
    struct Outcome
    {
        bool ok = false;
        QString summary;       // plain words for lastResult
        QString exportPath;    // a written batch file
        bool formsDownloaded = false;
        bool persist = false;  // store summary as the last result (enrol, export)
        bool enrolled = false; // enrolment succeeded
        std::optional<SyncReport> report; // syncNow(): worded here, in the interface language
    };

    void watchStore(StoreService *s) override;
    void watchPrefs(Preferences *p) override;
    void servicesUpdated(Service which) override;
    // Runs `work` on the worker thread; `state` is shown meanwhile, then done/failed.
    bool run(const QString &state, std::function<Outcome()> work);
    void finish(const Outcome &outcome);
    void setState(const QString &state);
    QString idleState() const;
    QString language() const; // the interface language, for the sentences this screen shows
    void persistSummary(const QString &summary);

    std::shared_ptr<SyncEngine> m_engine;
    std::thread m_worker;
    QString m_state = QStringLiteral("notSetUp");
    bool m_busy = false;
    double m_progress = 0;
    QString m_phaseText;
    QString m_lastResult;
    QString m_lastResultTime;
    QString m_lastExportPath;
    QString m_collectorUrl;
    int m_waiting = 0;
    bool m_enrolled = false;
};

} // namespace kerbside
