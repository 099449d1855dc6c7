// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "collectortypes.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>
#include <QStringList>

#include <map>
#include <string>
#include <vector>

struct pg_conn;
struct pg_result;

namespace kerbside {

/** The parameters of one libpq statement: text format, except bytea (binary, no escaping). */
class PgParams
{
public:
    PgParams &add(const QString &text);         // a null QString binds ""
    PgParams &addOptional(const QString &text); // an empty one binds NULL
    PgParams &add(const QByteArray &blob);      // bytea; a null QByteArray binds NULL
    PgParams &add(qint64 value);
    PgParams &add(int value) { return add(qint64(value)); }
    PgParams &add(double value);                // NaN binds NULL
    PgParams &addTime(const QDateTime &time);   // ms since the epoch (UTC); invalid binds NULL
    PgParams &addNull();
    // A text[] (or, cast in SQL, int[]/bigint[]) literal; null items are SQL NULLs.
    PgParams &addArray(const QList<QByteArray> &items);
    PgParams &addTextArray(const QStringList &items);

    int size() const { return int(m_values.size()); }

private:
    friend class PgConnection;
    std::vector<QByteArray> m_values;
    std::vector<char> m_null;
    std::vector<int> m_formats;
};

/** A query result held in memory (text format); 0-based rows and columns. NULL reads as "",
 *  empty, 0, NaN, an invalid time. */
class PgResult
{
public:
    explicit PgResult(pg_result *result = nullptr) : m_result(result) {}
    ~PgResult();
    PgResult(PgResult &&other) noexcept : m_result(other.m_result) { other.m_result = nullptr; }
    PgResult &operator=(PgResult &&other) noexcept;
    PgResult(const PgResult &) = delete;
    PgResult &operator=(const PgResult &) = delete;

    int rows() const;
    qint64 affected() const; // rows changed by INSERT/UPDATE/DELETE
    bool isNull(int row, int column) const;
    QString text(int row, int column) const;
    QByteArray blob(int row, int column) const; // bytea (hex text output) decoded
    QByteArray raw(int row, int column) const;  // the text form exactly as sent
    qint64 int64(int row, int column) const;
    double real(int row, int column) const;
    QDateTime time(int row, int column) const;  // stored as ms since the epoch

private:
    pg_result *m_result;
};

/** One libpq connection, with statements prepared once per SQL literal. Every failure becomes
 *  a CollectorError (Io) naming the server (never the password), the operation and SQLSTATE;
 *  lastSqlState() keeps the code so a caller can retry transient failures. A connection lost
 *  between statements is re-established once. Not thread-safe. */
class PgConnection
{
public:
    // `url`: a libpq URL (postgresql://user@host:port/db?...) or key=value string.
    explicit PgConnection(const QString &url);
    ~PgConnection();
    PgConnection(const PgConnection &) = delete;
    PgConnection &operator=(const PgConnection &) = delete;

    // Runs SQL without parameters (several statements allowed; simple protocol).
    PgResult exec(const char *sql);
    // Runs one statement with parameters, prepared on first use (keyed by the literal's address).
    PgResult exec(const char *sql, const PgParams &params);
    // Runs one statement with parameters without preparing it (DECLARE, one-offs).
    PgResult execOnce(const QByteArray &sql, const PgParams &params = {});
    qint64 scalar(const char *sql, const PgParams &params = {});

    // COPY ... FROM STDIN in text format: begin, put rows (each ends with '\n'), end.
    void copyBegin(const QByteArray &sql);
    void copyPut(const QByteArray &data);
    void copyEnd();

    QString where() const { return m_where; } // "PostgreSQL host:port/db"
    QString lastSqlState() const { return m_lastSqlState; }
    void clearLastError() { m_lastSqlState.clear(); }
    // SQLSTATEs of a statement that lost a race with another transaction: retrying is safe.
    bool lastFailureTransient() const;

    // The URL with its password (if any) replaced by "***", for messages.
    static QString redact(const QString &url);

private:
    [[noreturn]] void fail(pg_result *result, const QString &what);
    pg_result *checked(pg_result *result, const QString &what);
    void ensureConnected();

    pg_conn *m_conn = nullptr;
    QString m_where;
    QString m_lastSqlState;
    std::map<const char *, std::string> m_prepared; // SQL literal -> statement name
};

} // namespace kerbside
