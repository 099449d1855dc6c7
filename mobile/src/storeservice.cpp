// SPDX-License-Identifier: Apache-2.0
#include "storeservice.h"

namespace kerbside {

StoreService::StoreService(std::unique_ptr<DeviceStore> store, QObject *parent)
    : QObject(parent), m_store(std::move(store))
{
}

StoreService::~StoreService() = default;

QString StoreService::path() const
{
    return m_store->path();
}

void StoreService::reportError(const QString &message)
{
    m_lastError = message;
    emit lastErrorChanged();
}

void StoreService::clearError()
{
    if (m_lastError.isEmpty())
        return;
    m_lastError.clear();
    emit lastErrorChanged();
}

QString StoreService::setting(QLatin1StringView key, const QString &fallback) const
{
    return m_store->setting(QString(key), fallback);
}

void StoreService::setSetting(QLatin1StringView key, const QString &value)
{
    m_store->setSetting(QString(key), value);
}

void StoreService::setNotice(const QString &notice)
{
    if (notice == m_notice)
        return;
    m_notice = notice;
    emit noticeChanged();
}

} // namespace kerbside
