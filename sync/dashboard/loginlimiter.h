// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QDateTime>
#include <QHash>
#include <QString>

#include <mutex>

namespace kerbside::dashboard {

/** Failed logins per address and per account. After a few failures a key must wait, the
 *  wait doubling with each further failure (capped); a refused attempt is answered at once
 *  (429 with Retry-After), so guessing never holds a worker thread asleep. Memory is bounded:
 *  the oldest entries go first past kMaxKeys. Thread-safe. */
class LoginLimiter
{
public:
    static constexpr int kFreeFailures = 5;
    static constexpr qint64 kMaxWaitSeconds = 900;
    static constexpr int kMaxKeys = 10000;

    // Seconds still to wait before this address or account may try again (0: may try now).
    qint64 waitSeconds(const QString &address, const QString &account, const QDateTime &now);
    void failed(const QString &address, const QString &account, const QDateTime &now);
    void succeeded(const QString &address, const QString &account);

private:
    struct Entry
    {
        int failures = 0;
        QDateTime blockedUntil;
        QDateTime last;
    };
    void bump(const QString &key, const QDateTime &now);
    qint64 wait(const QString &key, const QDateTime &now) const;

    std::mutex m_mutex;
    QHash<QString, Entry> m_entries; // "a:" + address, "u:" + account
};

} // namespace kerbside::dashboard
