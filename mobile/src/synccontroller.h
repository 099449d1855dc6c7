// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QObject>
#include <QPointer>
#include <QtQml/qqmlregistration.h>

Q_MOC_INCLUDE("preferences.h")
Q_MOC_INCLUDE("storeservice.h")

namespace kerbside {

class Preferences;
class StoreService;

/** The Sync screen's state: status, progress and the last result in plain words. A
 *  placeholder until the sync engine (sync/client) is wired in: it reports what is waiting
 *  and says clearly that sync is not set up yet. Never deletes anything. */
class SyncController : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The sync service is built in main() and handed to the screens")
    Q_PROPERTY(kerbside::StoreService *store READ store WRITE setStore NOTIFY servicesChanged)
    Q_PROPERTY(kerbside::Preferences *prefs READ prefs WRITE setPrefs NOTIFY servicesChanged)
    // "not_set_up" (no engine yet, or offline only), "idle", "syncing", "failed", "done"
    Q_PROPERTY(QString status READ status NOTIFY statusChanged)
    Q_PROPERTY(double progress READ progress NOTIFY statusChanged) // 0..1
    Q_PROPERTY(QString lastResultId READ lastResultId NOTIFY statusChanged) // interface-text id
    Q_PROPERTY(QString lastResultTime READ lastResultTime NOTIFY statusChanged)
    Q_PROPERTY(int waiting READ waiting NOTIFY statusChanged)

public:
    explicit SyncController(QObject *parent = nullptr);

    StoreService *store() const { return m_store; }
    void setStore(StoreService *s);
    Preferences *prefs() const { return m_prefs; }
    void setPrefs(Preferences *p);
    QString status() const { return m_status; }
    double progress() const { return m_progress; }
    QString lastResultId() const { return m_lastResultId; }
    QString lastResultTime() const { return m_lastResultTime; }
    int waiting() const { return m_waiting; }

    Q_INVOKABLE void syncNow();
    Q_INVOKABLE void refresh();

signals:
    void servicesChanged();
    void statusChanged();

private:
    QPointer<StoreService> m_store;
    QPointer<Preferences> m_prefs;
    QString m_status = QStringLiteral("not_set_up");
    double m_progress = 0;
    QString m_lastResultId;
    QString m_lastResultTime;
    int m_waiting = 0;
};

} // namespace kerbside
