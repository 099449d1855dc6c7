// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "servicecontroller.h"

Q_MOC_INCLUDE("synccontroller.h")

namespace kerbside {

class SyncController;

/** The first-run screen: who is interviewing on which device, and either a collector address
 *  with an enrolment code (used by sync) or "offline only". Everything is changeable later. */
class FirstRunController : public kerbside::ServiceController // qualified: see ServiceController
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(QString enumerator MEMBER m_enumerator NOTIFY fieldsChanged)
    Q_PROPERTY(QString deviceName MEMBER m_deviceName NOTIFY fieldsChanged)
    Q_PROPERTY(QString collectorUrl MEMBER m_collectorUrl NOTIFY fieldsChanged)
    Q_PROPERTY(QString enrolmentCode MEMBER m_enrolmentCode NOTIFY fieldsChanged)
    Q_PROPERTY(bool offlineOnly MEMBER m_offlineOnly NOTIFY fieldsChanged)
    Q_PROPERTY(QString errorId READ errorId NOTIFY errorIdChanged) // an interface-text id, "" = none
    // With a collector, Start enrols the tablet there (through this SyncController) and first
    // run ends only once it is enrolled; a failure is told in plain words and first run stays.
    Q_PROPERTY(kerbside::SyncController *sync READ sync WRITE setSync NOTIFY syncChanged)
    Q_PROPERTY(bool enrolling READ enrolling NOTIFY enrollingChanged)
    Q_PROPERTY(QString enrolResult READ enrolResult NOTIFY enrollingChanged) // the collector's words

public:
    explicit FirstRunController(QObject *parent = nullptr);

    QString errorId() const { return m_errorId; }
    SyncController *sync() const { return m_sync; }
    void setSync(SyncController *sync);
    bool enrolling() const { return m_enrolling; }
    QString enrolResult() const { return m_enrolResult; }

    // Checks and saves; adds the demo case studies when there are none. False (and errorId)
    // when something is missing. With a collector it then enrols: done() follows on success.
    Q_INVOKABLE bool finish();

signals:
    void fieldsChanged();
    void errorIdChanged();
    void done();
    void syncChanged();
    void enrollingChanged();

private:
    void watchPrefs(Preferences *p) override;
    void setErrorId(const QString &id);
    void complete();
    void enrolFinished();

    QString m_enumerator;
    QString m_deviceName;
    QString m_collectorUrl;
    QString m_enrolmentCode;
    bool m_offlineOnly = true;
    QString m_errorId;
    SyncController *m_sync = nullptr;
    bool m_enrolling = false;
    QString m_enrolResult;
};

} // namespace kerbside
