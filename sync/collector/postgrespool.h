// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QString>

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

namespace kerbside {

class PostgresCollectorStore;

/** The database connections of one collector process, each inside a store of its own (a
 *  "lane": its connection, its merge state, its mutex), so that uploads from several devices
 *  merge in concurrent transactions. They need nothing more than two collector processes do:
 *  the advisory locks on batch and item UUIDs (postgrescollectorstore.h) order merges of the
 *  same items, whichever connection runs them.
 *
 *  Lanes open on demand, up to `size`; a caller finding all of them busy waits for one (at
 *  most kWaitSeconds, then CollectorError Io: the upload is answered 503 and retried). A lane
 *  whose connection dropped reconnects on its next statement (PgConnection). */
class PgLanePool
{
public:
    static constexpr int kDefaultSize = 8; // the collector's worker threads: max(8, 2 x cores)
    static constexpr int kMaxSize = 64;
    static constexpr int kWaitSeconds = 60;

    // Takes "pool=N" (1..kMaxSize) out of a postgresql:// URL's query (libpq would refuse it)
    // and returns N, or kDefaultSize when absent. Throws CollectorError Invalid for a bad N.
    static int takeSize(QString *url);
    // `url` (postgresql://...) asking for a pool of `size`.
    static QString withSize(const QString &url, int size);

    using Factory = std::function<std::unique_ptr<PostgresCollectorStore>()>;
    PgLanePool(int size, Factory open);
    ~PgLanePool();

    class Lease
    {
    public:
        Lease(PgLanePool *pool, PostgresCollectorStore *lane) : m_pool(pool), m_lane(lane) {}
        ~Lease();
        Lease(Lease &&other) noexcept : m_pool(other.m_pool), m_lane(other.m_lane) { other.m_lane = nullptr; }
        Lease(const Lease &) = delete;
        Lease &operator=(const Lease &) = delete;
        Lease &operator=(Lease &&) = delete;
        PostgresCollectorStore *operator->() const { return m_lane; }
        PostgresCollectorStore &operator*() const { return *m_lane; }

    private:
        PgLanePool *m_pool;
        PostgresCollectorStore *m_lane;
    };
    Lease acquire();

    struct Stats
    {
        int size = 0;
        int opened = 0;     // lanes (connections) opened so far
        qint64 leases = 0;
        qint64 waited = 0;  // leases that found every lane busy and waited
    };
    Stats stats();
    // Visits every opened lane (busy or not): only for what a lane allows from any thread.
    void forEachLane(const std::function<void(PostgresCollectorStore &)> &visit);

private:
    void release(PostgresCollectorStore *lane);

    const int m_size;
    Factory m_open;
    std::mutex m_mutex;
    std::condition_variable m_freed;
    std::vector<std::unique_ptr<PostgresCollectorStore>> m_lanes;
    std::vector<PostgresCollectorStore *> m_idle;
    int m_opening = 0; // lanes being opened (outside the mutex) count against the size
    Stats m_stats;
};

} // namespace kerbside
