// SPDX-License-Identifier: Apache-2.0
#include "postgresmigration.h"

#include "postgrescollectorstore.h"
#include "postgresconnection.h"
#include "sqlitecollectorstore.h"

#include <QCryptographicHash>
#include <QFileInfo>
#include <QHash>
#include <QtEndian>

#include <sqlite3.h>

namespace kerbside {

namespace {

constexpr qsizetype kCopyChunkBytes = 1 << 20; // COPY data sent in ~1 MB pieces

/** The source file, read-only, with its own tiny statement helper. */
class SqliteSource
{
public:
    explicit SqliteSource(const QString &path) : m_path(path)
    {
        if (sqlite3_open_v2(path.toUtf8().constData(), &m_db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK)
            fail(QStringLiteral("open"));
        sqlite3_busy_timeout(m_db, 10000);
    }
    ~SqliteSource()
    {
        for (sqlite3_stmt *s : m_open)
            sqlite3_finalize(s);
        sqlite3_close(m_db);
    }
    SqliteSource(const SqliteSource &) = delete;
    SqliteSource &operator=(const SqliteSource &) = delete;

    sqlite3_stmt *prepare(const QString &sql)
    {
        sqlite3_stmt *s = nullptr;
        if (sqlite3_prepare_v2(m_db, sql.toUtf8().constData(), -1, &s, nullptr) != SQLITE_OK)
            fail(QStringLiteral("reading (%1)").arg(sql.left(60)));
        m_open.append(s);
        return s;
    }
    bool step(sqlite3_stmt *s)
    {
        const int rc = sqlite3_step(s);
        if (rc == SQLITE_ROW)
            return true;
        if (rc != SQLITE_DONE)
            fail(QStringLiteral("reading"));
        return false;
    }
    void exec(const char *sql)
    {
        if (sqlite3_exec(m_db, sql, nullptr, nullptr, nullptr) != SQLITE_OK)
            fail(QString::fromLatin1(sql));
    }
    qint64 scalar(const QString &sql)
    {
        sqlite3_stmt *s = prepare(sql);
        return step(s) ? sqlite3_column_int64(s, 0) : 0;
    }
    [[noreturn]] void fail(const QString &what)
    {
        throw CollectorError(CollectorError::Code::Io, QStringLiteral("%1: %2 failed: %3")
                                                           .arg(m_path, what, QString::fromUtf8(sqlite3_errmsg(m_db))));
    }

private:
    QString m_path;
    sqlite3 *m_db = nullptr;
    QList<sqlite3_stmt *> m_open;
};

// COPY text format: backslash, newline, carriage return and tab escaped.
void appendCopyText(QByteArray *out, const char *data, int size)
{
    for (int i = 0; i < size; ++i) {
        const char c = data[i];
        switch (c) {
        case '\\': out->append("\\\\"); break;
        case '\n': out->append("\\n"); break;
        case '\r': out->append("\\r"); break;
        case '\t': out->append("\\t"); break;
        default: out->append(c);
        }
    }
}

// Folds one batch (id, raw bytes, acknowledgement) into the batch log checksum.
void addBatch(QCryptographicHash *sum, qint64 id, const QByteArray &rawSha, const QByteArray &ackSha)
{
    const quint64 be = qToBigEndian(quint64(id));
    sum->addData(QByteArrayView(reinterpret_cast<const char *>(&be), sizeof be));
    sum->addData(rawSha);
    sum->addData(ackSha);
}

QByteArray sha256(const void *data, int size)
{
    return QCryptographicHash::hash(QByteArrayView(static_cast<const char *>(data), size), QCryptographicHash::Sha256);
}

} // namespace

bool MigrationReport::verified() const
{
    for (const Table &t : tables) {
        if (t.source != t.target)
            return false;
    }
    return !sourceBatchLogSha256.isEmpty() && sourceBatchLogSha256 == targetBatchLogSha256;
}

MigrationReport PostgresMigration::run(const QString &sqlitePath, const QString &postgresUrl,
                                       const std::function<void(const QString &)> &progress)
{
    if (!QFileInfo(sqlitePath).isFile())
        throw CollectorError(CollectorError::Code::NotFound, QStringLiteral("%1: no such file").arg(sqlitePath));
    // An older schema is first upgraded in place, as any collector command would do.
    qint64 version = 0;
    {
        SqliteSource check(sqlitePath);
        if (check.scalar(QStringLiteral("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'collector_meta'")) == 0)
            throw CollectorError(CollectorError::Code::Invalid,
                                 QStringLiteral("%1: not a Kerbside collector database").arg(sqlitePath));
        version = check.scalar(QStringLiteral("SELECT value FROM collector_meta WHERE key = 'schema_version'"));
    }
    if (version >= 1 && version < SqliteCollectorStore::kSchemaVersion) {
        if (progress)
            progress(QStringLiteral("upgrading %1 from schema version %2 to %3")
                         .arg(sqlitePath).arg(version).arg(SqliteCollectorStore::kSchemaVersion));
        SqliteCollectorStore::open(sqlitePath).reset();
    }
    SqliteSource src(sqlitePath);
    src.exec("BEGIN"); // one read transaction: a consistent snapshot even if a collector writes
    {
        sqlite3_stmt *s = src.prepare(QStringLiteral("SELECT value FROM collector_meta WHERE key = 'schema_version'"));
        const int version = src.step(s) ? QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(s, 0))).toInt() : 0;
        if (version != PostgresCollectorStore::kSchemaVersion)
            throw CollectorError(version > PostgresCollectorStore::kSchemaVersion ? CollectorError::Code::TooNew
                                                                                   : CollectorError::Code::Invalid,
                                 QStringLiteral("%1: schema version %2; this migration copies version %3")
                                     .arg(sqlitePath).arg(version).arg(PostgresCollectorStore::kSchemaVersion));
    }

    // Creates the schema in an empty target (or checks an existing collector schema's version).
    PostgresCollectorStore::open(postgresUrl).reset();

    QString url = postgresUrl;
    PgLanePool::takeSize(&url); // a collector's pool=N means nothing to libpq
    PgConnection pg(url);
    const QStringList tables = PostgresCollectorStore::tables();
    MigrationReport report;
    pg.exec("BEGIN");
    try {
        // EXCLUSIVE: a collector already running on the target waits (it may still read) until
        // the copy is committed or rolled back; the emptiness check below cannot go stale.
        pg.execOnce(QStringLiteral("LOCK TABLE %1 IN EXCLUSIVE MODE").arg(tables.join(QStringLiteral(", "))).toUtf8());
        QStringList held;
        for (const QString &t : tables) {
            if (t == QLatin1String("collector_meta"))
                continue;
            const qint64 n = pg.execOnce(QStringLiteral("SELECT count(*) FROM %1").arg(t).toUtf8()).int64(0, 0);
            if (n > 0)
                held.append(QStringLiteral("%1 %2").arg(n).arg(t));
        }
        if (!held.isEmpty())
            throw CollectorError(CollectorError::Code::Exists,
                                 QStringLiteral("%1 is not empty (%2); migrate into a new, empty database")
                                     .arg(pg.where(), held.join(QStringLiteral(", "))));

        for (const QString &table : tables) {
            if (table == QLatin1String("collector_meta"))
                continue; // written by the target's own schema creation, version checked above
            // Column names from the source; how to encode each from the target's types.
            QStringList columns;
            {
                sqlite3_stmt *info = src.prepare(QStringLiteral("SELECT name FROM pragma_table_info('%1') ORDER BY cid").arg(table));
                while (src.step(info))
                    columns.append(QString::fromUtf8(reinterpret_cast<const char *>(sqlite3_column_text(info, 0))));
            }
            QHash<QString, QString> types;
            {
                const PgResult r = pg.execOnce("SELECT column_name, data_type FROM information_schema.columns "
                                               "WHERE table_schema = current_schema() AND table_name = $1",
                                               PgParams().add(table));
                for (int i = 0; i < r.rows(); ++i)
                    types.insert(r.text(i, 0), r.text(i, 1));
            }
            std::vector<char> isBytea;
            for (const QString &c : columns) {
                if (!types.contains(c))
                    throw CollectorError(CollectorError::Code::Invalid,
                                         QStringLiteral("%1: column %2.%3 has no counterpart in PostgreSQL").arg(sqlitePath, table, c));
                isBytea.push_back(types.value(c) == QLatin1String("bytea"));
            }
            const QString list = columns.join(QStringLiteral(", "));
            pg.copyBegin(QStringLiteral("COPY %1 (%2) FROM STDIN").arg(table, list).toUtf8());
            sqlite3_stmt *rows = src.prepare(QStringLiteral("SELECT %1 FROM %2").arg(list, table));
            QByteArray buffer;
            buffer.reserve(kCopyChunkBytes + 65536);
            qint64 copied = 0;
            const int n = int(columns.size());
            while (src.step(rows)) {
                for (int c = 0; c < n; ++c) {
                    if (c)
                        buffer += '\t';
                    const int type = sqlite3_column_type(rows, c);
                    if (type == SQLITE_NULL) {
                        buffer += "\\N";
                    } else if (isBytea[size_t(c)]) {
                        const int size = sqlite3_column_bytes(rows, c);
                        const QByteArray bytes(static_cast<const char *>(sqlite3_column_blob(rows, c)), size);
                        buffer += "\\\\x"; // bytea hex input, its backslash escaped for COPY
                        buffer += bytes.toHex();
                    } else if (type == SQLITE_FLOAT) {
                        buffer += QByteArray::number(sqlite3_column_double(rows, c), 'g', 17);
                    } else if (type == SQLITE_INTEGER) {
                        buffer += QByteArray::number(sqlite3_column_int64(rows, c));
                    } else {
                        const char *text = reinterpret_cast<const char *>(sqlite3_column_text(rows, c));
                        appendCopyText(&buffer, text, sqlite3_column_bytes(rows, c));
                    }
                }
                buffer += '\n';
                ++copied;
                if (buffer.size() >= kCopyChunkBytes) {
                    pg.copyPut(buffer);
                    buffer.clear();
                }
            }
            if (!buffer.isEmpty())
                pg.copyPut(buffer);
            pg.copyEnd();
            if (progress)
                progress(QStringLiteral("copied %1: %2 rows").arg(table).arg(copied));
        }

        // New ids continue after the copied ones.
        for (const char *t : {"batches", "response_versions", "contacts", "conflicts", "refusals"}) {
            pg.execOnce(QStringLiteral("SELECT setval(pg_get_serial_sequence('%1', 'id'), COALESCE(max(id), 0) + 1, false) FROM %1")
                            .arg(QLatin1String(t)).toUtf8());
        }

        // Verify from what each side now holds.
        for (const QString &t : tables) {
            MigrationReport::Table row;
            row.name = t;
            row.source = src.scalar(QStringLiteral("SELECT count(*) FROM %1").arg(t));
            row.target = pg.execOnce(QStringLiteral("SELECT count(*) FROM %1").arg(t).toUtf8()).int64(0, 0);
            report.tables.append(row);
        }
        {
            QCryptographicHash sum(QCryptographicHash::Sha256);
            sqlite3_stmt *s = src.prepare(QStringLiteral(
                "SELECT b.id, b.raw, a.ack FROM batches b LEFT JOIN batch_acks a ON a.batch_id = b.id ORDER BY b.id"));
            while (src.step(s)) {
                const QByteArray raw = sha256(sqlite3_column_blob(s, 1), sqlite3_column_bytes(s, 1));
                const QByteArray ack = sqlite3_column_type(s, 2) == SQLITE_NULL
                    ? QByteArray() : sha256(sqlite3_column_blob(s, 2), sqlite3_column_bytes(s, 2));
                addBatch(&sum, sqlite3_column_int64(s, 0), raw, ack);
            }
            report.sourceBatchLogSha256 = sum.result();
        }
        {
            // Digests computed by the server, fetched through a cursor: the log may be large.
            QCryptographicHash sum(QCryptographicHash::Sha256);
            pg.exec("DECLARE kb_log NO SCROLL CURSOR FOR SELECT b.id, sha256(b.raw), sha256(a.ack) "
                    "FROM batches b LEFT JOIN batch_acks a ON a.batch_id = b.id ORDER BY b.id");
            for (;;) {
                const PgResult r = pg.exec("FETCH 5000 FROM kb_log");
                if (!r.rows())
                    break;
                for (int i = 0; i < r.rows(); ++i)
                    addBatch(&sum, r.int64(i, 0), r.blob(i, 1), r.isNull(i, 2) ? QByteArray() : r.blob(i, 2));
            }
            pg.exec("CLOSE kb_log");
            report.targetBatchLogSha256 = sum.result();
        }
        if (!report.verified()) {
            QStringList problems;
            for (const MigrationReport::Table &t : report.tables) {
                if (t.source != t.target)
                    problems.append(QStringLiteral("%1: %2 in SQLite, %3 in PostgreSQL").arg(t.name).arg(t.source).arg(t.target));
            }
            if (report.sourceBatchLogSha256 != report.targetBatchLogSha256)
                problems.append(QStringLiteral("batch log checksums differ"));
            throw CollectorError(CollectorError::Code::Io,
                                 QStringLiteral("verification failed, nothing committed: %1").arg(problems.join(QStringLiteral("; "))));
        }
        pg.exec("COMMIT");
    } catch (...) {
        try {
            pg.exec("ROLLBACK");
        } catch (...) {
            // Connection gone: the server has rolled back.
        }
        throw;
    }
    src.exec("COMMIT");
    return report;
}

} // namespace kerbside
