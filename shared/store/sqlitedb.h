// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "storetypes.h"
#include "textintern.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QDateTime>
#include <QString>

#include <map>
#include <memory>

struct sqlite3;
struct sqlite3_stmt;

namespace kerbside {

/** One SQLite connection with a cache of prepared statements, and the mapping of SQLite
 *  result codes to StoreError (SQLITE_FULL -> DiskFull, SQLITE_CORRUPT -> Corrupt, ...).
 *  Owns the sqlite3 handle and closes it. */
class SqliteDb
{
public:
    /** A cached prepared statement, reset and unbound when the Query goes out of scope. */
    class Query
    {
    public:
        Query(SqliteDb &db, sqlite3_stmt *stmt) : m_db(db), m_stmt(stmt) {}
        ~Query();
        Query(const Query &) = delete;
        Query &operator=(const Query &) = delete;

        // Binding: 1-based indexes, as in SQLite. NaN doubles and invalid times bind NULL.
        Query &bind(int index, const QString &text);
        Query &bind(int index, qint64 value);
        Query &bind(int index, int value) { return bind(index, qint64(value)); }
        Query &bind(int index, double value);
        Query &bindTime(int index, const QDateTime &time); // ms since the epoch (UTC)
        Query &bindNull(int index);
        Query &bindBlob(int index, const QByteArray &bytes); // copied by SQLite

        bool next(); // steps; true while there is a row
        void run();  // steps a statement that returns no row

        // Columns: 0-based. NULL reads as "", 0, NaN or an invalid QDateTime.
        QString text(int column) const;
        QString text(int column, TextIntern &intern) const; // shared QStrings for repeats
        qint64 int64(int column) const;
        double real(int column) const; // NaN for NULL
        QDateTime time(int column) const; // UTC
        bool isNull(int column) const;
        // The column's bytes as SQLite holds them: valid until the next step or reset.
        QByteArrayView blob(int column) const;

    private:
        SqliteDb &m_db;
        sqlite3_stmt *m_stmt;
    };

    /** BEGIN ... COMMIT; rolls back when destroyed uncommitted (an exception). Read mode gives
     *  a consistent snapshot across several queries without taking the write lock. */
    class Transaction
    {
    public:
        enum class Mode { Write, Read };
        explicit Transaction(SqliteDb &db, Mode mode = Mode::Write);
        ~Transaction();
        Transaction(const Transaction &) = delete;
        Transaction &operator=(const Transaction &) = delete;
        void commit();

    private:
        SqliteDb &m_db;
        bool m_open = true;
    };

    // Opens a file: Create makes it when absent; Existing needs it; Inspect reads an existing
    // file without ever checkpointing its WAL into it (closing leaves the files as they were)
    // and refuses writes. Extended result codes on, 5 s busy timeout. Throws StoreError.
    enum class OpenMode { Create, Existing, Inspect, ReadNoCheckpoint = Inspect };
    static std::unique_ptr<SqliteDb> openFile(const QString &path, OpenMode mode);
    // While on, closing this connection does not checkpoint the WAL into the database file.
    void setCheckpointOnClose(bool on);

    // Takes ownership of an open handle; path names the file in every error message.
    SqliteDb(sqlite3 *db, const QString &path);
    ~SqliteDb();
    SqliteDb(const SqliteDb &) = delete;
    SqliteDb &operator=(const SqliteDb &) = delete;

    sqlite3 *handle() const { return m_db; }
    QString path() const { return m_path; }

    // Returns a cached statement for this SQL text (prepared on first use). Pass string
    // literals only: the cache is keyed by the pointer.
    Query query(const char *sql);
    // Runs one or more statements without caching (DDL, pragmas).
    void exec(const char *sql, const char *what = nullptr);
    // The first column of the first row, as an integer (pragmas, counts).
    qint64 scalar(const char *sql);
    qint64 lastInsertId() const;
    int changes() const;
    void rollbackQuietly(); // after a failure; never throws

    // Throws the StoreError for SQLite result code rc; `what` names the operation.
    [[noreturn]] void fail(int rc, const QString &what) const;
    static StoreError::Code codeFor(int rc);

private:
    sqlite3 *m_db;
    QString m_path;
    std::map<const char *, sqlite3_stmt *> m_cache; // keyed by the literal's address
};

} // namespace kerbside
