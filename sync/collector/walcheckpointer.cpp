// SPDX-License-Identifier: Apache-2.0
#include "walcheckpointer.h"

#include <sqlite3.h>

#include <cstdio>

#include <csignal>
#include <pthread.h>

namespace kerbside {

WalCheckpointer::WalCheckpointer(const QString &path, sqlite3 *writer, int thresholdPages)
    : m_path(path), m_writer(writer), m_threshold(thresholdPages)
{
    // Replaces the automatic checkpoint (itself a WAL hook) on the writer connection.
    sqlite3_wal_hook(m_writer, &WalCheckpointer::onCommit, this);
    // The thread starts with every signal blocked: `kerbside serve` waits for SIGTERM/SIGINT on
    // a thread of its own (sigwait), and a thread that could take the signal would end the
    // process before the requests under way are finished.
    sigset_t all, previous;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &previous);
    m_thread = std::thread([this] { run(); });
    pthread_sigmask(SIG_SETMASK, &previous, nullptr);
}

WalCheckpointer::~WalCheckpointer()
{
    sqlite3_wal_hook(m_writer, nullptr, nullptr);
    {
        std::lock_guard lock(m_mutex);
        m_stop = true;
    }
    m_wake.notify_one();
    m_thread.join();
}

int WalCheckpointer::onCommit(void *self, sqlite3 *, const char *, int walPages)
{
    auto *c = static_cast<WalCheckpointer *>(self);
    if (walPages >= c->m_threshold) {
        {
            std::lock_guard lock(c->m_mutex);
            c->m_due = true;
        }
        c->m_wake.notify_one();
    }
    return SQLITE_OK;
}

void WalCheckpointer::run()
{
    sqlite3 *db = nullptr;
    if (sqlite3_open_v2(m_path.toUtf8().constData(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr)
        != SQLITE_OK) {
        // The writer still works; its WAL is checkpointed when it closes. Say so once.
        std::fprintf(stderr, "kerbside: %s: no background checkpoint connection: %s\n", qPrintable(m_path),
                     db ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_close(db);
        return;
    }
    // A checkpoint syncs the WAL before copying and the database file after, as FULL commits do.
    sqlite3_exec(db, "PRAGMA synchronous=FULL", nullptr, nullptr, nullptr);
    std::unique_lock lock(m_mutex);
    while (true) {
        m_wake.wait(lock, [this] { return m_due || m_stop; });
        if (m_stop)
            break;
        m_due = false;
        lock.unlock();
        int logPages = 0, copied = 0;
        const int rc = sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, &logPages, &copied);
        if (rc == SQLITE_OK)
            ++m_checkpoints;
        else if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED)
            std::fprintf(stderr, "kerbside: %s: background checkpoint failed: %s\n", qPrintable(m_path),
                         sqlite3_errmsg(db));
        lock.lock();
    }
    lock.unlock();
    sqlite3_close(db);
}

} // namespace kerbside
