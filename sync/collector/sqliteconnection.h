// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "collectortypes.h"
#include "stringreuse.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>

#include <map>
#include <string>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace kerbside {

/** One SQLite connection for the collector, with cached prepared statements. Every SQLite
 *  failure becomes a CollectorError (Io) naming the file and the operation. Not thread-safe. */
class SqliteConnection
{
public:
    /** A cached statement; reset and unbound when it goes out of scope. */
    class Statement
    {
    public:
        Statement(SqliteConnection &db, sqlite3_stmt *stmt) : m_db(db), m_stmt(stmt) {}
        ~Statement();
        Statement(const Statement &) = delete;
        Statement &operator=(const Statement &) = delete;

        // 1-based, as in SQLite. NaN, invalid times and null QByteArrays bind NULL; a QString
        // always binds text (a null one ""), bindOptional() binds NULL for an empty one.
        Statement &bind(int index, const QString &text);
        Statement &bindOptional(int index, const QString &text);
        Statement &bind(int index, const QByteArray &blob);
        Statement &bind(int index, qint64 value);
        Statement &bind(int index, int value) { return bind(index, qint64(value)); }
        Statement &bind(int index, double value);
        Statement &bindTime(int index, const QDateTime &time); // ms since the epoch (UTC)
        Statement &bindNull(int index);

        bool next();        // true while there is a row
        void run();         // steps to the end, then resets: bind again and run again
        Statement &reset(); // to run a query again with new bindings
        // For a statement whose every use binds every parameter (the merge's per-row inserts):
        // going out of scope leaves the bindings, so SQLite reuses their buffers next time
        // instead of freeing them (sqlite3_clear_bindings) and allocating them again.
        Statement &bindsAll()
        {
            m_clear = false;
            return *this;
        }

        // 0-based. NULL reads as "", empty, 0, NaN, invalid time.
        QString text(int column) const;
        QByteArray blob(int column) const;
        QByteArrayView blobView(int column) const; // valid until the next step or reset
        QString text(int column, StringReuse *reuse) const; // reuse's slot = column
        qint64 int64(int column) const;
        double real(int column) const;
        QDateTime time(int column) const;
        bool isNull(int column) const;

    private:
        SqliteConnection &m_db;
        sqlite3_stmt *m_stmt;
        bool m_clear = true;
    };

    // Opens or creates the file: WAL, synchronous=FULL, foreign keys, busy timeout.
    explicit SqliteConnection(const QString &path);
    ~SqliteConnection();
    SqliteConnection(const SqliteConnection &) = delete;
    SqliteConnection &operator=(const SqliteConnection &) = delete;

    Statement prepare(const char *sql); // cached by the literal's address
    void exec(const char *sql);
    qint64 scalar(const char *sql);
    qint64 lastInsertId() const;
    int changes() const;
    QString path() const { return m_path; }
    sqlite3 *handle() const { return m_db; } // for hooks that belong to this connection

    [[noreturn]] void fail(int rc, const QString &what) const;

private:
    sqlite3 *m_db = nullptr;
    QString m_path;
    std::map<const char *, sqlite3_stmt *> m_cache;
    std::vector<char> m_scratch; // Statement::bind(QString)'s ASCII, copied by SQLite at once
};

} // namespace kerbside
