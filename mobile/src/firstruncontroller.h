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

/** The first-run screen: who is interviewing on which device, and either a collector address
 *  with an enrolment code (used by sync) or "offline only". Everything is changeable later. */
class FirstRunController : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(kerbside::Preferences *prefs READ prefs WRITE setPrefs NOTIFY servicesChanged)
    Q_PROPERTY(kerbside::StoreService *store READ store WRITE setStore NOTIFY servicesChanged)
    Q_PROPERTY(QString enumerator MEMBER m_enumerator NOTIFY fieldsChanged)
    Q_PROPERTY(QString deviceName MEMBER m_deviceName NOTIFY fieldsChanged)
    Q_PROPERTY(QString collectorUrl MEMBER m_collectorUrl NOTIFY fieldsChanged)
    Q_PROPERTY(QString enrolmentCode MEMBER m_enrolmentCode NOTIFY fieldsChanged)
    Q_PROPERTY(bool offlineOnly MEMBER m_offlineOnly NOTIFY fieldsChanged)
    Q_PROPERTY(QString errorId READ errorId NOTIFY errorIdChanged) // an interface-text id, "" = none

public:
    explicit FirstRunController(QObject *parent = nullptr);

    Preferences *prefs() const { return m_prefs; }
    void setPrefs(Preferences *p);
    StoreService *store() const { return m_store; }
    void setStore(StoreService *s);
    QString errorId() const { return m_errorId; }

    // Checks and saves; adds the demo case studies when there are none. False (and errorId)
    // when something is missing.
    Q_INVOKABLE bool finish();

signals:
    void servicesChanged();
    void fieldsChanged();
    void errorIdChanged();
    void done();

private:
    void setErrorId(const QString &id);

    QPointer<Preferences> m_prefs;
    QPointer<StoreService> m_store;
    QString m_enumerator;
    QString m_deviceName;
    QString m_collectorUrl;
    QString m_enrolmentCode;
    bool m_offlineOnly = true;
    QString m_errorId;
};

} // namespace kerbside
