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

/** Rows for COPY ... FROM STDIN (FORMAT binary): each row is its field count, then its fields in
 *  the table's column order, each in the column's exact type (int4 for INTEGER, int8 for
 *  BIGINT, float8, text as UTF-8, bytea as is). No parsing or escaping on either side. */
class PgCopyRows
{
public:
    PgCopyRows();
    void row(int fields);
    void int64(qint64 value);
    void int32(qint32 value);
    void real(double value);            // NaN is NULL
    void time(const QDateTime &time);   // int8 ms since the epoch; invalid is NULL
    void text(const QString &text);     // a null QString is ""
    void bytes(const QByteArray &data); // bytea
    void null();
    int rows() const { return m_rows; }
    QByteArray finished() const;        // with the trailer

private:
    void put16(qint16 v);
    void put32(qint32 v);
    void put64(qint64 v);
    QByteArray m_data;
    int m_rows = 0;
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
 *  between statements is re-established once (and a parameterised statement outside a
 *  transaction that found it lost runs again). Not thread-safe: a collector holds a pool of
 *  them (postgrespool.h). */
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
    // Runs one prepared statement once per parameter set, pipelined (libpq pipeline mode): all
    // sent, then all results read, so n statements cost one round trip, not n. Inside a
    // transaction (a failure aborts it; the error is the first statement's that failed).
    // Returns the rows changed, summed.
    qint64 execMany(const char *sql, const std::vector<PgParams> &rows);
    qint64 scalar(const char *sql, const PgParams &params = {});

    // COPY ... FROM STDIN: begin, put the data (text rows ending in '\n', or PgCopyRows), end.
    void copyBegin(const QByteArray &sql);
    void copyPut(const QByteArray &data);
    void copyEnd();
    // The three at once: `sql` is a COPY ... FROM STDIN (FORMAT binary) of `rows`.
    void copyRows(const char *sql, const class PgCopyRows &rows);

    QString where() const { return m_where; } // "PostgreSQL host:port/db"
    // The connection was lost (the server ended it, a restart, a cut): the transaction under
    // way is gone, and the next statement connects again.
    bool lost() const;
    QString lastSqlState() const { return m_lastSqlState; }
    void clearLastError() { m_lastSqlState.clear(); }
    // SQLSTATEs of a statement that lost a race with another transaction: retrying is safe.
    bool lastFailureTransient() const;

    // The URL with its password (if any) replaced by "***", for messages.
    static QString redact(const QString &url);

private:
    PgResult execPrepared(const char *sql, const PgParams &params);
    const std::string &prepared(const char *sql);
    template<typename F>
    PgResult reconnecting(F &&run);
    [[noreturn]] void fail(pg_result *result, const QString &what);
    pg_result *checked(pg_result *result, const QString &what);
    void ensureConnected();

    pg_conn *m_conn = nullptr;
    QString m_where;
    QString m_lastSqlState;
    std::map<const char *, std::string> m_prepared; // SQL literal -> statement name
};

} // namespace kerbside
