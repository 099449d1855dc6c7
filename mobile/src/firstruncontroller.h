// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "servicecontroller.h"

namespace kerbside {

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

public:
    explicit FirstRunController(QObject *parent = nullptr);

    QString errorId() const { return m_errorId; }

    // Checks and saves; adds the demo case studies when there are none. False (and errorId)
    // when something is missing.
    Q_INVOKABLE bool finish();

signals:
    void fieldsChanged();
    void errorIdChanged();
    void done();

private:
    void watchPrefs(Preferences *p) override;
    void setErrorId(const QString &id);

    QString m_enumerator;
    QString m_deviceName;
    QString m_collectorUrl;
    QString m_enrolmentCode;
    bool m_offlineOnly = true;
    QString m_errorId;
};

} // namespace kerbside
