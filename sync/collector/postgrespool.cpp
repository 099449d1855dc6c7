// SPDX-License-Identifier: Apache-2.0
#include "postgrespool.h"

#include "postgrescollectorstore.h"

#include <QUrl>
#include <QUrlQuery>

#include <chrono>

namespace kerbside {

int PgLanePool::takeSize(QString *url)
{
    if (!PostgresCollectorStore::isUrl(*url) || !url->contains(QLatin1String("pool=")))
        return kDefaultSize;
    QUrl u(*url);
    QUrlQuery q(u);
    if (!q.hasQueryItem(QStringLiteral("pool")))
        return kDefaultSize;
    bool ok = false;
    const int size = q.queryItemValue(QStringLiteral("pool")).toInt(&ok);
    if (!ok || size < 1 || size > kMaxSize)
        throw CollectorError(CollectorError::Code::Invalid,
                             QStringLiteral("pool=%1 in the database URL: give 1-%2 connections")
                                 .arg(q.queryItemValue(QStringLiteral("pool")).left(20))
                                 .arg(kMaxSize));
    q.removeAllQueryItems(QStringLiteral("pool"));
    u.setQuery(q);
    *url = u.toString();
    return size;
}

QString PgLanePool::withSize(const QString &url, int size)
{
    QUrl u(url);
    QUrlQuery q(u);
    q.removeAllQueryItems(QStringLiteral("pool"));
    q.addQueryItem(QStringLiteral("pool"), QString::number(size));
    u.setQuery(q);
    return u.toString();
}

PgLanePool::PgLanePool(int size, Factory open) : m_size(size), m_open(std::move(open))
{
    m_stats.size = size;
}

PgLanePool::~PgLanePool() = default;

PgLanePool::Lease PgLanePool::acquire()
{
    std::unique_lock lock(m_mutex);
    ++m_stats.leases;
    bool waited = false;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(kWaitSeconds);
    while (m_idle.empty()) {
        if (int(m_lanes.size()) + m_opening < m_size) {
            ++m_opening;
            lock.unlock();
            std::unique_ptr<PostgresCollectorStore> lane;
            try {
                lane = m_open(); // connects: not under the mutex
            } catch (...) {
                lock.lock();
                --m_opening;
                m_freed.notify_one(); // another waiter may try
                throw;
            }
            lock.lock();
            --m_opening;
            PostgresCollectorStore *raw = lane.get();
            m_lanes.push_back(std::move(lane));
            ++m_stats.opened;
            return Lease(this, raw);
        }
        if (!waited) {
            waited = true;
            ++m_stats.waited;
        }
        if (m_freed.wait_until(lock, deadline) == std::cv_status::timeout && m_idle.empty())
            throw CollectorError(CollectorError::Code::Io,
                                 QStringLiteral("all %1 database connections of this collector stayed busy for %2 s")
                                     .arg(m_size)
                                     .arg(kWaitSeconds));
    }
    PostgresCollectorStore *lane = m_idle.back();
    m_idle.pop_back();
    return Lease(this, lane);
}

void PgLanePool::release(PostgresCollectorStore *lane)
{
    {
        std::lock_guard lock(m_mutex);
        m_idle.push_back(lane);
    }
    m_freed.notify_one();
}

PgLanePool::Lease::~Lease()
{
    if (m_lane)
        m_pool->release(m_lane);
}

PgLanePool::Stats PgLanePool::stats()
{
    std::lock_guard lock(m_mutex);
    return m_stats;
}

void PgLanePool::forEachLane(const std::function<void(PostgresCollectorStore &)> &visit)
{
    std::vector<PostgresCollectorStore *> lanes;
    {
        std::lock_guard lock(m_mutex);
        for (const auto &l : m_lanes)
            lanes.push_back(l.get());
    }
    // The pool outlives its lanes' users and never drops a lane, so the pointers stay valid.
    for (PostgresCollectorStore *l : lanes)
        visit(*l);
}

} // namespace kerbside
