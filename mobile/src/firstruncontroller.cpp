// SPDX-License-Identifier: Apache-2.0
#include "firstruncontroller.h"

#include "preferences.h"
#include "settingkeys.h"
#include "storeservice.h"

#include <QUrl>

namespace kerbside {

FirstRunController::FirstRunController(QObject *parent) : ServiceController(parent)
{
}

void FirstRunController::watchPrefs(Preferences *p)
{
    m_enumerator = p->enumerator();
    m_deviceName = p->deviceName();
    m_collectorUrl = p->collectorUrl();
    m_offlineOnly = p->offlineOnly();
    emit fieldsChanged();
}

void FirstRunController::setErrorId(const QString &id)
{
    if (id == m_errorId)
        return;
    m_errorId = id;
    emit errorIdChanged();
}

bool FirstRunController::finish()
{
    if (!m_prefs || !m_store)
        return false;
    if (m_enumerator.trimmed().isEmpty()) {
        setErrorId(QStringLiteral("firstrun_need_name"));
        return false;
    }
    if (!m_offlineOnly) {
        const QUrl url(m_collectorUrl.trimmed(), QUrl::StrictMode);
        if (!url.isValid() || (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https"))
            || url.host().isEmpty()) {
            setErrorId(QStringLiteral("firstrun_bad_url"));
            return false;
        }
        if (m_enrolmentCode.trimmed().isEmpty()) {
            setErrorId(QStringLiteral("firstrun_need_code"));
            return false;
        }
    }
    try {
        m_prefs->setEnumerator(m_enumerator);
        m_prefs->setDeviceName(m_deviceName.trimmed().isEmpty() ? m_prefs->deviceId().left(8) : m_deviceName);
        m_prefs->setOfflineOnly(m_offlineOnly);
        if (!m_offlineOnly) {
            m_prefs->setCollectorUrl(m_collectorUrl);
            m_store->setSetting(settingkeys::enrolmentCode, m_enrolmentCode.trimmed());
        }
        m_prefs->addDemoCaseStudies();
        m_prefs->markFirstRunDone();
    } catch (const StoreError &e) {
        m_store->reportError(QString::fromUtf8(e.what()));
        return false;
    }
    setErrorId({});
    emit done();
    return true;
}

} // namespace kerbside
