// SPDX-License-Identifier: Apache-2.0
#include "loginlimiter.h"

#include <algorithm>

namespace kerbside::dashboard {

qint64 LoginLimiter::wait(const QString &key, const QDateTime &now) const
{
    const auto it = m_entries.constFind(key);
    if (it == m_entries.constEnd() || !it->blockedUntil.isValid() || it->blockedUntil <= now)
        return 0;
    return std::max<qint64>(1, (now.msecsTo(it->blockedUntil) + 999) / 1000);
}

qint64 LoginLimiter::waitSeconds(const QString &address, const QString &account, const QDateTime &now)
{
    std::lock_guard lock(m_mutex);
    return std::max(wait(QStringLiteral("a:") + address, now), wait(QStringLiteral("u:") + account.toLower(), now));
}

void LoginLimiter::bump(const QString &key, const QDateTime &now)
{
    if (m_entries.size() >= kMaxKeys && !m_entries.contains(key)) {
        auto oldest = m_entries.begin();
        for (auto it = m_entries.begin(); it != m_entries.end(); ++it) {
            if (it->last < oldest->last)
                oldest = it;
        }
        m_entries.erase(oldest);
    }
    Entry &e = m_entries[key];
    ++e.failures;
    e.last = now;
    if (e.failures >= kFreeFailures) {
        const int over = std::min(e.failures - kFreeFailures, 10);
        e.blockedUntil = now.addSecs(std::min<qint64>(kMaxWaitSeconds, qint64(1) << over));
    }
}

void LoginLimiter::failed(const QString &address, const QString &account, const QDateTime &now)
{
    std::lock_guard lock(m_mutex);
    bump(QStringLiteral("a:") + address, now);
    bump(QStringLiteral("u:") + account.toLower(), now);
}

void LoginLimiter::succeeded(const QString &address, const QString &account)
{
    std::lock_guard lock(m_mutex);
    m_entries.remove(QStringLiteral("a:") + address);
    m_entries.remove(QStringLiteral("u:") + account.toLower());
}

} // namespace kerbside::dashboard
