// SPDX-License-Identifier: Apache-2.0
#include "postgresconnection.h"

#include <QRegularExpression>
#include <QUrl>
#include <QUrlQuery>
#include <QtEndian>

#include <libpq-fe.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>

namespace kerbside {

// --- parameters ------------------------------------------------------------------------------

PgParams &PgParams::add(const QString &text)
{
    QByteArray utf8 = text.toUtf8();
    if (utf8.isNull())
        utf8 = QByteArray("");
    m_values.push_back(utf8);
    m_null.push_back(0);
    m_formats.push_back(0);
    return *this;
}

PgParams &PgParams::addOptional(const QString &text)
{
    return text.isEmpty() ? addNull() : add(text);
}

PgParams &PgParams::add(const QByteArray &blob)
{
    if (blob.isNull())
        return addNull();
    m_values.push_back(blob);
    m_null.push_back(0);
    m_formats.push_back(1); // binary: bytea travels as is
    return *this;
}

PgParams &PgParams::add(qint64 value)
{
    m_values.push_back(QByteArray::number(value));
    m_null.push_back(0);
    m_formats.push_back(0);
    return *this;
}

PgParams &PgParams::add(double value)
{
    if (std::isnan(value))
        return addNull();
    m_values.push_back(QByteArray::number(value, 'g', 17)); // 17 digits: round-trips exactly
    m_null.push_back(0);
    m_formats.push_back(0);
    return *this;
}

PgParams &PgParams::addTime(const QDateTime &time)
{
    return time.isValid() ? add(time.toMSecsSinceEpoch()) : addNull();
}

PgParams &PgParams::addNull()
{
    m_values.emplace_back();
    m_null.push_back(1);
    m_formats.push_back(0);
    return *this;
}

PgParams &PgParams::addArray(const QList<QByteArray> &items)
{
    // Array literal: every item quoted, '"' and '\' escaped; NULL unquoted.
    QByteArray literal("{");
    for (qsizetype i = 0; i < items.size(); ++i) {
        if (i)
            literal += ',';
        const QByteArray &item = items[i];
        if (item.isNull()) {
            literal += "NULL";
            continue;
        }
        literal += '"';
        for (char c : item) {
            if (c == '"' || c == '\\')
                literal += '\\';
            literal += c;
        }
        literal += '"';
    }
    literal += '}';
    m_values.push_back(literal);
    m_null.push_back(0);
    m_formats.push_back(0);
    return *this;
}

PgParams &PgParams::addTextArray(const QStringList &items)
{
    QList<QByteArray> utf8;
    utf8.reserve(items.size());
    for (const QString &s : items) {
        QByteArray b = s.toUtf8();
        utf8.append(b.isNull() ? QByteArray("") : b);
    }
    return addArray(utf8);
}

// --- results ---------------------------------------------------------------------------------

PgResult::~PgResult()
{
    if (m_result)
        PQclear(m_result);
}

PgResult &PgResult::operator=(PgResult &&other) noexcept
{
    if (this != &other) {
        if (m_result)
            PQclear(m_result);
        m_result = other.m_result;
        other.m_result = nullptr;
    }
    return *this;
}

int PgResult::rows() const
{
    return m_result ? PQntuples(m_result) : 0;
}

qint64 PgResult::affected() const
{
    return m_result ? QByteArray(PQcmdTuples(m_result)).toLongLong() : 0;
}

bool PgResult::isNull(int row, int column) const
{
    return !m_result || PQgetisnull(m_result, row, column);
}

QByteArray PgResult::raw(int row, int column) const
{
    if (isNull(row, column))
        return {};
    return QByteArray(PQgetvalue(m_result, row, column), PQgetlength(m_result, row, column));
}

QString PgResult::text(int row, int column) const
{
    return QString::fromUtf8(raw(row, column));
}

QByteArray PgResult::blob(int row, int column) const
{
    const QByteArray hex = raw(row, column);
    if (hex.startsWith("\\x"))
        return QByteArray::fromHex(hex.mid(2));
    return hex; // not bytea (or escape output): as sent
}

qint64 PgResult::int64(int row, int column) const
{
    return raw(row, column).toLongLong();
}

double PgResult::real(int row, int column) const
{
    if (isNull(row, column))
        return std::nan("");
    return raw(row, column).toDouble();
}

QDateTime PgResult::time(int row, int column) const
{
    return isNull(row, column) ? QDateTime() : QDateTime::fromMSecsSinceEpoch(int64(row, column), Qt::UTC);
}

// --- connection ------------------------------------------------------------------------------

PgConnection::PgConnection(const QString &url)
{
    m_conn = PQconnectdb(url.toUtf8().constData());
    if (!m_conn || PQstatus(m_conn) != CONNECTION_OK) {
        const QString message = m_conn ? QString::fromUtf8(PQerrorMessage(m_conn)).trimmed() : QStringLiteral("out of memory");
        if (m_conn)
            PQfinish(m_conn);
        m_conn = nullptr;
        throw CollectorError(CollectorError::Code::Io,
                             QStringLiteral("cannot connect to PostgreSQL at %1: %2").arg(redact(url), message));
    }
    m_where = QStringLiteral("PostgreSQL %1:%2/%3")
                  .arg(QString::fromUtf8(PQhost(m_conn)), QString::fromUtf8(PQport(m_conn)),
                       QString::fromUtf8(PQdb(m_conn)));
    // Quiet notices ("relation exists, skipping") would go to stderr otherwise.
    PQsetNoticeProcessor(m_conn, [](void *, const char *) {}, nullptr);
    // bytea as hex whatever the server or role default: PgResult::blob() decodes that form.
    exec("SET client_encoding = 'UTF8'; SET bytea_output = 'hex'");
}

PgConnection::~PgConnection()
{
    if (m_conn)
        PQfinish(m_conn);
}

QString PgConnection::redact(const QString &url)
{
    if (url.startsWith(QLatin1String("postgresql://")) || url.startsWith(QLatin1String("postgres://"))) {
        QUrl u(url);
        if (!u.password().isEmpty())
            u.setPassword(QStringLiteral("***"));
        QUrlQuery q(u);
        if (q.hasQueryItem(QStringLiteral("password"))) {
            q.removeAllQueryItems(QStringLiteral("password"));
            q.addQueryItem(QStringLiteral("password"), QStringLiteral("***"));
            u.setQuery(q);
        }
        return u.toString();
    }
    QString out = url;
    static const QRegularExpression re(QStringLiteral("password\\s*=\\s*('[^']*'|\\S+)"));
    return out.replace(re, QStringLiteral("password=***"));
}

bool PgConnection::lastFailureTransient() const
{
    // 40001 serialization_failure, 40P01 deadlock_detected, 23505 unique_violation (another
    // collector inserted the same key first): the transaction rolled back; run it again.
    return m_lastSqlState == QLatin1String("40001") || m_lastSqlState == QLatin1String("40P01")
        || m_lastSqlState == QLatin1String("23505");
}

void PgConnection::ensureConnected()
{
    if (PQstatus(m_conn) == CONNECTION_OK)
        return;
    // The server restarted or the connection dropped between statements: one new attempt.
    // A transaction under way is lost with the connection (the caller's statement fails).
    PQreset(m_conn);
    m_prepared.clear();
    if (PQstatus(m_conn) != CONNECTION_OK) {
        m_lastSqlState = QStringLiteral("08006");
        throw CollectorError(CollectorError::Code::Io,
                             QStringLiteral("%1: connection lost: %2").arg(m_where, QString::fromUtf8(PQerrorMessage(m_conn)).trimmed()));
    }
    PQclear(PQexec(m_conn, "SET client_encoding = 'UTF8'; SET bytea_output = 'hex'"));
}

void PgConnection::fail(pg_result *result, const QString &what)
{
    QString message;
    if (result) {
        const char *state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
        m_lastSqlState = state ? QString::fromLatin1(state) : QString();
        message = QString::fromUtf8(PQresultErrorMessage(result)).trimmed();
        PQclear(result);
    } else {
        m_lastSqlState.clear();
    }
    if (message.isEmpty())
        message = QString::fromUtf8(PQerrorMessage(m_conn)).trimmed();
    if (PQstatus(m_conn) != CONNECTION_OK && m_lastSqlState.isEmpty())
        m_lastSqlState = QStringLiteral("08006");
    if (m_lastSqlState == QLatin1String("53100")) // disk_full, as the SQLite backend says it
        message.prepend(QStringLiteral("disk full: "));
    throw CollectorError(CollectorError::Code::Io,
                         QStringLiteral("%1: %2 failed: %3%4")
                             .arg(m_where, what, message,
                                  m_lastSqlState.isEmpty() ? QString() : QStringLiteral(" [%1]").arg(m_lastSqlState)));
}

pg_result *PgConnection::checked(pg_result *result, const QString &what)
{
    const ExecStatusType status = result ? PQresultStatus(result) : PGRES_FATAL_ERROR;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && status != PGRES_COPY_IN)
        fail(result, what);
    return result;
}

namespace {

QString statementName(const char *sql)
{
    // For messages: the first words of the statement.
    return QString::fromUtf8(sql).simplified().left(60);
}

} // namespace

template<typename F>
PgResult PgConnection::reconnecting(F &&run)
{
    const bool idle = PQstatus(m_conn) == CONNECTION_OK && PQtransactionStatus(m_conn) == PQTRANS_IDLE;
    try {
        return run();
    } catch (const CollectorError &) {
        // Outside a transaction, a statement that found the connection gone (the server
        // restarted, pg_terminate_backend, a cut while idle) runs once more on a new one.
        // Inside one it fails: the transaction went with the connection (retryMerge).
        if (!idle || !lost())
            throw;
    }
    return run();
}

PgResult PgConnection::exec(const char *sql)
{
    return reconnecting([&] {
        ensureConnected();
        return PgResult(checked(PQexec(m_conn, sql), statementName(sql)));
    });
}

PgResult PgConnection::exec(const char *sql, const PgParams &params)
{
    return reconnecting([&] { return execPrepared(sql, params); });
}

const std::string &PgConnection::prepared(const char *sql)
{
    auto it = m_prepared.find(sql);
    if (it == m_prepared.end()) {
        const std::string name = "kb" + std::to_string(m_prepared.size() + 1);
        PQclear(checked(PQprepare(m_conn, name.c_str(), sql, 0, nullptr), QStringLiteral("preparing ") + statementName(sql)));
        it = m_prepared.emplace(sql, name).first;
    }
    return it->second;
}

PgResult PgConnection::execPrepared(const char *sql, const PgParams &params)
{
    ensureConnected();
    const std::string &name = prepared(sql);
    std::vector<const char *> values(params.m_values.size());
    std::vector<int> lengths(params.m_values.size());
    for (size_t i = 0; i < values.size(); ++i) {
        values[i] = params.m_null[i] ? nullptr : params.m_values[i].constData();
        lengths[i] = int(params.m_values[i].size());
    }
    return PgResult(checked(PQexecPrepared(m_conn, name.c_str(), params.size(), values.data(), lengths.data(),
                                           params.m_formats.data(), 0),
                            statementName(sql)));
}

qint64 PgConnection::execMany(const char *sql, const std::vector<PgParams> &rows)
{
    if (rows.empty())
        return 0;
    if (rows.size() == 1)
        return exec(sql, rows.front()).affected();
    ensureConnected();
    const std::string &name = prepared(sql);
    // In slices: the results of a slice wait in the server's send buffer while we are still
    // sending, so a slice's results must fit there (tiny command tags; 256 take a few KB).
    constexpr size_t kSlice = 256;
    qint64 affected = 0;
    for (size_t from = 0; from < rows.size(); from += kSlice) {
        const size_t to = std::min(rows.size(), from + kSlice);
        if (PQenterPipelineMode(m_conn) != 1)
            fail(nullptr, QStringLiteral("entering pipeline mode for ") + statementName(sql));
        bool sent = true;
        size_t queued = 0;
        for (size_t r = from; r < to && sent; ++r) {
            const PgParams &p = rows[r];
            std::vector<const char *> values(p.m_values.size());
            std::vector<int> lengths(p.m_values.size());
            for (size_t i = 0; i < values.size(); ++i) {
                values[i] = p.m_null[i] ? nullptr : p.m_values[i].constData();
                lengths[i] = int(p.m_values[i].size());
            }
            sent = PQsendQueryPrepared(m_conn, name.c_str(), p.size(), values.data(), lengths.data(), p.m_formats.data(), 0) == 1;
            queued += sent ? 1 : 0;
        }
        // A sync ends what was queued, even after a failed send, so that it can be drained.
        const bool syncSent = queued > 0 && PQpipelineSync(m_conn) == 1;
        // Every result up to the sync is read before a failure is thrown, so the connection
        // leaves pipeline mode ready for the ROLLBACK.
        pg_result *bad = nullptr;
        bool synced = false;
        while (syncSent && !synced) {
            pg_result *r = PQgetResult(m_conn);
            if (!r) {
                if (PQstatus(m_conn) != CONNECTION_OK)
                    break; // lost: nothing more will come
                continue; // the end of one statement's results
            }
            const ExecStatusType status = PQresultStatus(r);
            if (status == PGRES_PIPELINE_SYNC) {
                synced = true;
                PQclear(r);
            } else if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
                affected += std::atoll(PQcmdTuples(r));
                PQclear(r);
            } else if (!bad && status != PGRES_PIPELINE_ABORTED) {
                bad = r;
            } else {
                PQclear(r);
            }
        }
        const bool left = PQexitPipelineMode(m_conn) == 1;
        if (!left || (queued > 0 && !synced)) {
            // Results left unread: the connection can run nothing more, not even the ROLLBACK.
            // Drop it (the server rolls the transaction back) and say "connection lost", so
            // the merge runs again on a new connection (lost(), retryMerge).
            if (bad)
                PQclear(bad);
            const QString message = QString::fromUtf8(PQerrorMessage(m_conn)).trimmed();
            PQreset(m_conn);
            m_prepared.clear();
            m_lastSqlState = QStringLiteral("08006");
            throw CollectorError(CollectorError::Code::Io,
                                 QStringLiteral("%1: %2 failed: the pipeline could not be drained (%3); the connection was dropped [08006]")
                                     .arg(m_where, statementName(sql), message));
        }
        if (bad || !sent)
            fail(bad, statementName(sql));
    }
    return affected;
}

PgResult PgConnection::execOnce(const QByteArray &sql, const PgParams &params)
{
    ensureConnected();
    std::vector<const char *> values(params.m_values.size());
    std::vector<int> lengths(params.m_values.size());
    for (size_t i = 0; i < values.size(); ++i) {
        values[i] = params.m_null[i] ? nullptr : params.m_values[i].constData();
        lengths[i] = int(params.m_values[i].size());
    }
    return PgResult(checked(PQexecParams(m_conn, sql.constData(), params.size(), nullptr, values.data(), lengths.data(),
                                         params.m_formats.data(), 0),
                            statementName(sql.constData())));
}

qint64 PgConnection::scalar(const char *sql, const PgParams &params)
{
    const PgResult r = params.size() ? exec(sql, params) : exec(sql);
    return r.rows() ? r.int64(0, 0) : 0;
}

void PgConnection::copyBegin(const QByteArray &sql)
{
    ensureConnected();
    PGresult *r = checked(PQexec(m_conn, sql.constData()), statementName(sql.constData()));
    PQclear(r);
}

void PgConnection::copyPut(const QByteArray &data)
{
    if (PQputCopyData(m_conn, data.constData(), int(data.size())) != 1)
        fail(nullptr, QStringLiteral("COPY"));
}

void PgConnection::copyEnd()
{
    if (PQputCopyEnd(m_conn, nullptr) != 1)
        fail(nullptr, QStringLiteral("COPY end"));
    // The COPY's own result, then the end of the command; all read before a failure is thrown,
    // so the connection is ready for the ROLLBACK.
    PGresult *bad = nullptr;
    while (PGresult *r = PQgetResult(m_conn)) {
        if (!bad && PQresultStatus(r) != PGRES_COMMAND_OK)
            bad = r;
        else
            PQclear(r);
    }
    if (bad)
        fail(bad, QStringLiteral("COPY"));
}

void PgConnection::copyRows(const char *sql, const PgCopyRows &rows)
{
    copyBegin(QByteArray::fromRawData(sql, qsizetype(qstrlen(sql))));
    copyPut(rows.finished());
    copyEnd();
}

bool PgConnection::lost() const
{
    return PQstatus(m_conn) != CONNECTION_OK || m_lastSqlState.startsWith(QLatin1String("08"))
        || m_lastSqlState == QLatin1String("57P01") || m_lastSqlState == QLatin1String("57P02")
        || m_lastSqlState == QLatin1String("57P03");
}

// --- binary COPY rows ------------------------------------------------------------------------

PgCopyRows::PgCopyRows()
{
    m_data.reserve(64 * 1024);
    m_data.append("PGCOPY\n\377\r\n\0", 11); // signature
    put32(0);                                    // flags
    put32(0);                                    // header extension length
}

void PgCopyRows::put16(qint16 v)
{
    const qint16 be = qToBigEndian(v);
    m_data.append(reinterpret_cast<const char *>(&be), 2);
}

void PgCopyRows::put32(qint32 v)
{
    const qint32 be = qToBigEndian(v);
    m_data.append(reinterpret_cast<const char *>(&be), 4);
}

void PgCopyRows::put64(qint64 v)
{
    const qint64 be = qToBigEndian(v);
    m_data.append(reinterpret_cast<const char *>(&be), 8);
}

void PgCopyRows::row(int fields)
{
    put16(qint16(fields));
    ++m_rows;
}

void PgCopyRows::int64(qint64 value)
{
    put32(8);
    put64(value);
}

void PgCopyRows::int32(qint32 value)
{
    put32(4);
    put32(value);
}

void PgCopyRows::real(double value)
{
    if (std::isnan(value))
        return null();
    qint64 bits;
    std::memcpy(&bits, &value, sizeof bits);
    put32(8);
    put64(bits);
}

void PgCopyRows::time(const QDateTime &time)
{
    if (!time.isValid())
        return null();
    int64(time.toMSecsSinceEpoch());
}

void PgCopyRows::text(const QString &text)
{
    const qsizetype at = m_data.size();
    put32(0);
    m_data.append(text.toUtf8());
    const qint32 be = qToBigEndian(qint32(m_data.size() - at - 4));
    std::memcpy(m_data.data() + at, &be, 4);
}

void PgCopyRows::bytes(const QByteArray &data)
{
    put32(qint32(data.size()));
    m_data.append(data);
}

void PgCopyRows::null()
{
    put32(-1);
}

QByteArray PgCopyRows::finished() const
{
    QByteArray out = m_data;
    const qint16 trailer = qToBigEndian(qint16(-1));
    out.append(reinterpret_cast<const char *>(&trailer), 2);
    return out;
}

} // namespace kerbside
