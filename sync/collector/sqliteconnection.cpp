// SPDX-License-Identifier: Apache-2.0
#include "sqliteconnection.h"

#include <sqlite3.h>

#include <algorithm>

namespace kerbside {

SqliteConnection::SqliteConnection(const QString &path)
    : m_path(path)
{
    const int rc = sqlite3_open_v2(path.toUtf8().constData(), &m_db,
                                   SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                                   nullptr);
    if (rc != SQLITE_OK) {
        const QString message = m_db ? QString::fromUtf8(sqlite3_errmsg(m_db)) : QStringLiteral("out of memory");
        sqlite3_close(m_db);
        m_db = nullptr;
        throw CollectorError(CollectorError::Code::Io, QStringLiteral("%1: cannot open: %2").arg(path, message));
    }
    sqlite3_extended_result_codes(m_db, 1);
    sqlite3_busy_timeout(m_db, 10000); // ms; another process (a coordinator command) may hold a write lock
    // WAL + FULL: a batch is acknowledged only after its commit is on disk.
    exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;");
}

SqliteConnection::~SqliteConnection()
{
    for (auto &[sql, stmt] : m_cache)
        sqlite3_finalize(stmt);
    sqlite3_close(m_db);
}

void SqliteConnection::fail(int rc, const QString &what) const
{
    // A full disk says so first (the collector's log shows the message): it is the one failure
    // the coordinator can fix at once, by freeing space where the file is.
    const QString message = QStringLiteral("%1: %2%3: %4 (SQLite %5)")
                                .arg(m_path, (rc & 0xff) == SQLITE_FULL ? QStringLiteral("disk full: ") : QString(), what,
                                     QString::fromUtf8(sqlite3_errmsg(m_db)))
                                .arg(rc);
    throw CollectorError(CollectorError::Code::Io, message);
}

SqliteConnection::Statement SqliteConnection::prepare(const char *sql)
{
    auto it = m_cache.find(sql);
    if (it == m_cache.end()) {
        sqlite3_stmt *stmt = nullptr;
        const int rc = sqlite3_prepare_v3(m_db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
        if (rc != SQLITE_OK)
            fail(rc, QStringLiteral("preparing \"%1\"").arg(QString::fromUtf8(sql).simplified().left(80)));
        it = m_cache.emplace(sql, stmt).first;
    }
    return Statement(*this, it->second);
}

void SqliteConnection::exec(const char *sql)
{
    char *error = nullptr;
    const int rc = sqlite3_exec(m_db, sql, nullptr, nullptr, &error);
    if (rc != SQLITE_OK) {
        sqlite3_free(error);
        fail(rc, QStringLiteral("running \"%1\"").arg(QString::fromUtf8(sql).simplified().left(80)));
    }
}

qint64 SqliteConnection::scalar(const char *sql)
{
    Statement s = prepare(sql);
    return s.next() ? s.int64(0) : 0;
}

qint64 SqliteConnection::lastInsertId() const
{
    return sqlite3_last_insert_rowid(m_db);
}

int SqliteConnection::changes() const
{
    return sqlite3_changes(m_db);
}

SqliteConnection::Statement::~Statement()
{
    sqlite3_reset(m_stmt);
    if (m_clear)
        sqlite3_clear_bindings(m_stmt);
}

SqliteConnection::Statement &SqliteConnection::Statement::bind(int index, const QString &text)
{
    // ASCII (ids, names, most values) is narrowed into the connection's scratch buffer, which
    // SQLite copies from at once (SQLITE_TRANSIENT): no QByteArray per bound string.
    const qsizetype n = text.size();
    const ushort *u = text.utf16();
    std::vector<char> &buffer = m_db.m_scratch;
    if (buffer.size() < size_t(n))
        buffer.resize(std::max<size_t>(size_t(n), 256));
    char *out = buffer.data();
    qsizetype i = 0;
    for (; i < n && u[i] < 0x80; ++i)
        out[i] = char(u[i]);
    if (i == n) {
        sqlite3_bind_text(m_stmt, index, out, int(n), SQLITE_TRANSIENT);
        return *this;
    }
    const QByteArray utf8 = text.toUtf8();
    sqlite3_bind_text(m_stmt, index, utf8.isEmpty() ? "" : utf8.constData(), int(utf8.size()), SQLITE_TRANSIENT);
    return *this;
}

SqliteConnection::Statement &SqliteConnection::Statement::bindOptional(int index, const QString &text)
{
    return text.isEmpty() ? bindNull(index) : bind(index, text);
}

SqliteConnection::Statement &SqliteConnection::Statement::bind(int index, const QByteArray &blob)
{
    if (blob.isNull())
        return bindNull(index);
    sqlite3_bind_blob(m_stmt, index, blob.constData(), int(blob.size()), SQLITE_TRANSIENT);
    return *this;
}

SqliteConnection::Statement &SqliteConnection::Statement::bind(int index, qint64 value)
{
    sqlite3_bind_int64(m_stmt, index, value);
    return *this;
}

SqliteConnection::Statement &SqliteConnection::Statement::bind(int index, double value)
{
    if (qIsNaN(value))
        return bindNull(index);
    sqlite3_bind_double(m_stmt, index, value);
    return *this;
}

SqliteConnection::Statement &SqliteConnection::Statement::bindTime(int index, const QDateTime &time)
{
    if (!time.isValid())
        return bindNull(index);
    return bind(index, time.toMSecsSinceEpoch());
}

SqliteConnection::Statement &SqliteConnection::Statement::bindNull(int index)
{
    sqlite3_bind_null(m_stmt, index);
    return *this;
}

bool SqliteConnection::Statement::next()
{
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    m_db.fail(rc, QStringLiteral("running \"%1\"").arg(QString::fromUtf8(sqlite3_sql(m_stmt)).simplified().left(80)));
}

void SqliteConnection::Statement::run()
{
    while (next()) {
    }
    sqlite3_reset(m_stmt);
}

SqliteConnection::Statement &SqliteConnection::Statement::reset()
{
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
    return *this;
}

QString SqliteConnection::Statement::text(int column) const
{
    const auto *data = reinterpret_cast<const char *>(sqlite3_column_text(m_stmt, column));
    if (!data)
        return {};
    return QString::fromUtf8(data, sqlite3_column_bytes(m_stmt, column));
}

QString SqliteConnection::Statement::text(int column, StringReuse *reuse) const
{
    const auto *data = reinterpret_cast<const char *>(sqlite3_column_text(m_stmt, column));
    if (!data)
        return {};
    return reuse->get(column, data, sqlite3_column_bytes(m_stmt, column));
}

QByteArray SqliteConnection::Statement::blob(int column) const
{
    const auto *data = static_cast<const char *>(sqlite3_column_blob(m_stmt, column));
    if (!data)
        return {};
    return QByteArray(data, sqlite3_column_bytes(m_stmt, column));
}

QByteArrayView SqliteConnection::Statement::blobView(int column) const
{
    const auto *data = static_cast<const char *>(sqlite3_column_blob(m_stmt, column));
    return data ? QByteArrayView(data, sqlite3_column_bytes(m_stmt, column)) : QByteArrayView();
}

qint64 SqliteConnection::Statement::int64(int column) const
{
    return sqlite3_column_int64(m_stmt, column);
}

double SqliteConnection::Statement::real(int column) const
{
    return isNull(column) ? qQNaN() : sqlite3_column_double(m_stmt, column);
}

QDateTime SqliteConnection::Statement::time(int column) const
{
    return isNull(column) ? QDateTime() : QDateTime::fromMSecsSinceEpoch(int64(column), Qt::UTC);
}

bool SqliteConnection::Statement::isNull(int column) const
{
    return sqlite3_column_type(m_stmt, column) == SQLITE_NULL;
}

} // namespace kerbside
