// SPDX-License-Identifier: Apache-2.0
#include "synccontroller.h"

#include "preferences.h"
#include "storeservice.h"

#include <QDateTime>

namespace kerbside {

SyncController::SyncController(QObject *parent) : QObject(parent)
{
}

void SyncController::setStore(StoreService *s)
{
    if (m_store == s)
        return;
    if (m_store)
        disconnect(m_store, nullptr, this, nullptr);
    m_store = s;
    if (m_store)
        connect(m_store, &StoreService::changed, this, &SyncController::refresh);
    emit servicesChanged();
    refresh();
}

void SyncController::setPrefs(Preferences *p)
{
    if (m_prefs == p)
        return;
    m_prefs = p;
    emit servicesChanged();
    refresh();
}

void SyncController::refresh()
{
    if (!m_store)
        return;
    try {
        m_waiting = m_store->store().outboxSize();
    } catch (const StoreError &e) {
        m_store->reportError(QString::fromUtf8(e.what()));
    }
    emit statusChanged();
}

void SyncController::syncNow()
{
    // No engine yet: say so plainly and keep everything on the device.
    m_status = QStringLiteral("not_set_up");
    m_progress = 0;
    m_lastResultId = (m_prefs && m_prefs->offlineOnly()) ? QStringLiteral("sync_offline_only")
                                                         : QStringLiteral("sync_not_set_up");
    m_lastResultTime = QDateTime::currentDateTime().toString(QStringLiteral("HH:mm"));
    refresh();
}

} // namespace kerbside
