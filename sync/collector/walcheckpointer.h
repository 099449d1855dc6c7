// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QString>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

struct sqlite3;

namespace kerbside {

/** Keeps SQLite's WAL checkpoints off the request path. SQLite's automatic checkpoint runs
 *  inside the COMMIT of whichever write crosses 1,000 WAL pages, so one upload in a few paid
 *  for copying everyone's pages into the database file. This turns that off on the writer
 *  connection and checkpoints on a thread of its own, over its own connection, whenever the
 *  writer's commits have grown the WAL past `thresholdPages`. The checkpoint is PASSIVE: it
 *  never waits for, or blocks, the writer; frames still in use are copied by the next one. */
class WalCheckpointer
{
public:
    WalCheckpointer(const QString &path, sqlite3 *writer, int thresholdPages = 1000);
    ~WalCheckpointer(); // stops the thread; the writer's own close does the final checkpoint
    WalCheckpointer(const WalCheckpointer &) = delete;
    WalCheckpointer &operator=(const WalCheckpointer &) = delete;

    qint64 checkpoints() const { return m_checkpoints.load(); } // completed so far

private:
    static int onCommit(void *self, sqlite3 *db, const char *name, int walPages);
    void run();

    QString m_path;
    sqlite3 *m_writer;
    int m_threshold;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_due = false;
    bool m_stop = false;
    std::atomic<qint64> m_checkpoints{0};
    std::thread m_thread;
};

} // namespace kerbside
