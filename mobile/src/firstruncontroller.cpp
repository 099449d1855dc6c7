// SPDX-License-Identifier: Apache-2.0
#include "firstruncontroller.h"

#include "preferences.h"
#include "settingkeys.h"
#include "storeservice.h"
#include "synccontroller.h"

#include <QUrl>

namespace kerbside {

FirstRunController::FirstRunController(QObject *parent) : ServiceController(parent)
{
    // A message about a missing field goes as soon as anything is typed or chosen again;
    // finish() checks afresh.
    connect(this, &FirstRunController::fieldsChanged, this, [this] { setErrorId({}); });
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
    if (m_enrolling)
        return false;
    try {
        m_prefs->setEnumerator(m_enumerator);
        m_prefs->setDeviceName(m_deviceName.trimmed().isEmpty() ? m_prefs->deviceId().left(8) : m_deviceName);
        m_prefs->setOfflineOnly(m_offlineOnly);
        if (!m_offlineOnly) {
            m_prefs->setCollectorUrl(m_collectorUrl);
            m_store->setSetting(settingkeys::enrolmentCode, m_enrolmentCode.trimmed());
        }
    } catch (const StoreError &e) {
        m_store->reportError(QString::fromUtf8(e.what()));
        return false;
    }
    setErrorId({});
    if (!m_offlineOnly && m_sync && !m_sync->enrolled()) {
        m_enrolling = true;
        m_enrolResult.clear();
        emit enrollingChanged();
        m_sync->enrol(m_collectorUrl, m_enrolmentCode);
        return true;
    }
    complete();
    return true;
}

void FirstRunController::setSync(SyncController *sync)
{
    if (sync == m_sync)
        return;
    if (m_sync)
        disconnect(m_sync, nullptr, this, nullptr);
    m_sync = sync;
    if (m_sync)
        connect(m_sync, &SyncController::finished, this, &FirstRunController::enrolFinished);
    emit syncChanged();
}

void FirstRunController::enrolFinished()
{
    if (!m_enrolling)
        return;
    m_enrolling = false;
    m_enrolResult = m_sync->lastResult();
    emit enrollingChanged();
    if (m_sync->enrolled())
        complete();
    else
        setErrorId(QStringLiteral("firstrun_enrol_failed"));
}

void FirstRunController::complete()
{
    try {
        // Enrolment brought the collector's case studies; the demo ones only without any.
        m_prefs->addDemoCaseStudies();
        m_prefs->markFirstRunDone();
    } catch (const StoreError &e) {
        m_store->reportError(QString::fromUtf8(e.what()));
        return;
    }
    emit done();
}

} // namespace kerbside
