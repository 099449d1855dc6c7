// SPDX-License-Identifier: Apache-2.0
#include "sqlitedb.h"

#include <QFile>

#include <sqlite3.h>

#include <cmath>

namespace kerbside {

std::unique_ptr<SqliteDb> SqliteDb::openFile(const QString &path, OpenMode mode)
{
    sqlite3 *handle = nullptr;
    const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX
                      | (mode == OpenMode::Create ? SQLITE_OPEN_CREATE : 0);
    const int rc = sqlite3_open_v2(QFile::encodeName(path).constData(), &handle, flags, nullptr);
    auto db = std::make_unique<SqliteDb>(handle, path); // closes the handle whatever happens
    if (rc != SQLITE_OK)
        db->fail(rc, QStringLiteral("opening the file"));
    sqlite3_extended_result_codes(handle, 1);
    sqlite3_busy_timeout(handle, 5000); // ms; another process (a backup tool) may hold a lock
    if (mode == OpenMode::Inspect) {
        db->setCheckpointOnClose(false);
        db->exec("PRAGMA query_only = 1", "opening the file read-only");
    }
    return db;
}

void SqliteDb::setCheckpointOnClose(bool on)
{
    sqlite3_db_config(m_db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, on ? 0 : 1, nullptr);
}

SqliteDb::Query::~Query()
{
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
}

SqliteDb::Query &SqliteDb::Query::bind(int index, const QString &text)
{
    // A null QString binds '' (a NULL pointer would bind SQL NULL): text columns are NOT NULL.
    const QByteArray utf8 = text.toUtf8();
    const char *data = utf8.isNull() ? "" : utf8.constData();
    const int rc = sqlite3_bind_text(m_stmt, index, data, int(utf8.size()), SQLITE_TRANSIENT);
    if (rc != SQLITE_OK)
        m_db.fail(rc, QStringLiteral("binding a value"));
    return *this;
}

SqliteDb::Query &SqliteDb::Query::bind(int index, qint64 value)
{
    const int rc = sqlite3_bind_int64(m_stmt, index, value);
    if (rc != SQLITE_OK)
        m_db.fail(rc, QStringLiteral("binding a value"));
    return *this;
}

SqliteDb::Query &SqliteDb::Query::bind(int index, double value)
{
    if (std::isnan(value))
        return bindNull(index);
    const int rc = sqlite3_bind_double(m_stmt, index, value);
    if (rc != SQLITE_OK)
        m_db.fail(rc, QStringLiteral("binding a value"));
    return *this;
}

SqliteDb::Query &SqliteDb::Query::bindTime(int index, const QDateTime &time)
{
    if (!time.isValid())
        return bindNull(index);
    return bind(index, time.toMSecsSinceEpoch());
}

SqliteDb::Query &SqliteDb::Query::bindNull(int index)
{
    const int rc = sqlite3_bind_null(m_stmt, index);
    if (rc != SQLITE_OK)
        m_db.fail(rc, QStringLiteral("binding a value"));
    return *this;
}

SqliteDb::Query &SqliteDb::Query::bindBlob(int index, const QByteArray &bytes)
{
    const int rc = sqlite3_bind_blob64(m_stmt, index, bytes.constData(), sqlite3_uint64(bytes.size()), SQLITE_TRANSIENT);
    if (rc != SQLITE_OK)
        m_db.fail(rc, QStringLiteral("binding a value"));
    return *this;
}

bool SqliteDb::Query::next()
{
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    m_db.fail(rc, QString::fromUtf8(sqlite3_sql(m_stmt)).simplified());
}

void SqliteDb::Query::run()
{
    while (next()) {
    }
}

QString SqliteDb::Query::text(int column) const
{
    const auto *data = reinterpret_cast<const char *>(sqlite3_column_text(m_stmt, column));
    if (!data)
        return QString();
    return QString::fromUtf8(data, sqlite3_column_bytes(m_stmt, column));
}

QString SqliteDb::Query::text(int column, TextIntern &intern) const
{
    const auto *data = reinterpret_cast<const char *>(sqlite3_column_text(m_stmt, column));
    if (!data)
        return QString();
    return intern.get(data, sqlite3_column_bytes(m_stmt, column));
}

qint64 SqliteDb::Query::int64(int column) const
{
    return sqlite3_column_int64(m_stmt, column);
}

double SqliteDb::Query::real(int column) const
{
    if (isNull(column))
        return qQNaN();
    return sqlite3_column_double(m_stmt, column);
}

QDateTime SqliteDb::Query::time(int column) const
{
    if (isNull(column))
        return QDateTime();
    return QDateTime::fromMSecsSinceEpoch(int64(column), Qt::UTC);
}

bool SqliteDb::Query::isNull(int column) const
{
    return sqlite3_column_type(m_stmt, column) == SQLITE_NULL;
}

QByteArrayView SqliteDb::Query::blob(int column) const
{
    const auto *data = static_cast<const char *>(sqlite3_column_blob(m_stmt, column));
    return data ? QByteArrayView(data, sqlite3_column_bytes(m_stmt, column)) : QByteArrayView();
}

SqliteDb::Transaction::Transaction(SqliteDb &db, Mode mode) : m_db(db)
{
    // IMMEDIATE takes the write lock up front, so a write never fails half-way with BUSY.
    if (mode == Mode::Write)
        m_db.query("BEGIN IMMEDIATE").run();
    else
        m_db.query("BEGIN DEFERRED").run();
}

SqliteDb::Transaction::~Transaction()
{
    if (m_open)
        m_db.rollbackQuietly();
}

void SqliteDb::Transaction::commit()
{
    // A failed COMMIT (disk full, I/O error) leaves the transaction open: the destructor
    // rolls it back, so the file keeps its state from before this transaction.
    m_db.query("COMMIT").run();
    m_open = false;
}

SqliteDb::SqliteDb(sqlite3 *db, const QString &path) : m_db(db), m_path(path) {}

SqliteDb::~SqliteDb()
{
    for (auto &entry : m_cache)
        sqlite3_finalize(entry.second);
    sqlite3_close(m_db);
}

SqliteDb::Query SqliteDb::query(const char *sql)
{
    auto it = m_cache.find(sql);
    if (it == m_cache.end()) {
        sqlite3_stmt *stmt = nullptr;
        const int rc = sqlite3_prepare_v3(m_db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
        if (rc != SQLITE_OK)
            fail(rc, QStringLiteral("preparing \"%1\"").arg(QString::fromUtf8(sql).simplified()));
        it = m_cache.emplace(sql, stmt).first;
    }
    return Query(*this, it->second);
}

void SqliteDb::exec(const char *sql, const char *what)
{
    char *message = nullptr;
    const int rc = sqlite3_exec(m_db, sql, nullptr, nullptr, &message);
    sqlite3_free(message);
    if (rc != SQLITE_OK)
        fail(rc, what ? QString::fromUtf8(what) : QString::fromUtf8(sql).simplified());
}

qint64 SqliteDb::scalar(const char *sql)
{
    sqlite3_stmt *stmt = nullptr;
    int rc = sqlite3_prepare_v2(m_db, sql, -1, &stmt, nullptr);
    if (rc != SQLITE_OK)
        fail(rc, QString::fromUtf8(sql));
    rc = sqlite3_step(stmt);
    const qint64 value = rc == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : 0;
    sqlite3_finalize(stmt);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        fail(rc, QString::fromUtf8(sql));
    return value;
}

qint64 SqliteDb::lastInsertId() const
{
    return sqlite3_last_insert_rowid(m_db);
}

int SqliteDb::changes() const
{
    return sqlite3_changes(m_db);
}

void SqliteDb::rollbackQuietly()
{
    // SQLite may already have rolled back by itself (SQLITE_FULL, SQLITE_IOERR).
    if (!sqlite3_get_autocommit(m_db))
        sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr);
}

StoreError::Code SqliteDb::codeFor(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_FULL: return StoreError::Code::DiskFull;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB: return StoreError::Code::Corrupt;
    case SQLITE_CONSTRAINT:
    case SQLITE_MISMATCH:
    case SQLITE_RANGE:
    case SQLITE_TOOBIG: return StoreError::Code::Invalid;
    default: return StoreError::Code::Io;
    }
}

void SqliteDb::fail(int rc, const QString &what) const
{
    const StoreError::Code code = codeFor(rc);
    const QString detail = QString::fromUtf8(sqlite3_errmsg(m_db));
    QString message;
    switch (code) {
    case StoreError::Code::DiskFull:
        message = QStringLiteral("Device store %1: the disk (or the store's size limit) is full; "
                                 "the last change was not saved, earlier data is intact. Free some "
                                 "space and try again. (%2: %3)")
                      .arg(m_path, what, detail);
        break;
    case StoreError::Code::Corrupt:
        message = QStringLiteral("Device store %1 is corrupt (%2: %3). Do not delete it: copy it "
                                 "off the device for recovery.")
                      .arg(m_path, what, detail);
        break;
    default:
        message = QStringLiteral("Device store %1: %2 failed: %3 (SQLite code %4)")
                      .arg(m_path, what, detail)
                      .arg(sqlite3_extended_errcode(m_db));
        break;
    }
    throw StoreError(code, message);
}

} // namespace kerbside
