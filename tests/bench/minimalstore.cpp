// SPDX-License-Identifier: Apache-2.0
#include "minimalstore.h"

#include "kerbside/v1/sync.pb.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>

#include <sqlite3.h>

#include <fcntl.h>
#include <unistd.h>

#include <stdexcept>

namespace kerbside::bench {

namespace {

void check(int rc, sqlite3 *db, const char *what)
{
    if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
        throw std::runtime_error(std::string(what) + ": " + sqlite3_errmsg(db));
}

/** One pass of the minimal store into a new file; returns the responses stored. */
qint64 storePass(const QString &path, const QList<QByteArray> &bodies, int groupSize)
{
    QFile::remove(path);
    QFile::remove(path + QStringLiteral("-wal"));
    sqlite3 *db = nullptr;
    check(sqlite3_open(path.toUtf8().constData(), &db), db, "open");
    check(sqlite3_exec(db,
                       "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                       "CREATE TABLE batches (id INTEGER PRIMARY KEY, uuid BLOB NOT NULL UNIQUE, body BLOB NOT NULL);"
                       "CREATE TABLE responses (uuid BLOB PRIMARY KEY, batch INTEGER NOT NULL) WITHOUT ROWID;",
                       nullptr, nullptr, nullptr),
          db, "schema");
    sqlite3_stmt *batch = nullptr, *response = nullptr;
    check(sqlite3_prepare_v2(db, "INSERT INTO batches (uuid, body) VALUES (?, ?)", -1, &batch, nullptr), db, "prepare");
    check(sqlite3_prepare_v2(db, "INSERT INTO responses VALUES (?, ?)", -1, &response, nullptr), db, "prepare");
    qint64 n = 0;
    v1::Batch parsed;
    for (qsizetype i = 0; i < bodies.size(); i += groupSize) {
        check(sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), db, "begin");
        for (qsizetype j = i; j < std::min(bodies.size(), i + groupSize); ++j) {
            const QByteArray &body = bodies[j];
            if (!parsed.ParseFromArray(body.constData(), int(body.size())))
                throw std::runtime_error("baseline: a batch does not parse");
            sqlite3_bind_blob(batch, 1, parsed.batch_uuid().data(), int(parsed.batch_uuid().size()), SQLITE_STATIC);
            sqlite3_bind_blob(batch, 2, body.constData(), int(body.size()), SQLITE_STATIC);
            check(sqlite3_step(batch), db, "insert batch");
            sqlite3_reset(batch);
            const sqlite3_int64 id = sqlite3_last_insert_rowid(db);
            for (const v1::Response &r : parsed.responses()) {
                sqlite3_bind_blob(response, 1, r.uuid().data(), int(r.uuid().size()), SQLITE_STATIC);
                sqlite3_bind_int64(response, 2, id);
                check(sqlite3_step(response), db, "insert response");
                sqlite3_reset(response);
                ++n;
            }
        }
        check(sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr), db, "commit");
    }
    sqlite3_finalize(batch);
    sqlite3_finalize(response);
    sqlite3_close(db);
    return n;
}

qint64 appendPass(const QString &path, const QList<QByteArray> &bodies, int groupSize)
{
    const int fd = ::open(path.toUtf8().constData(), O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0600);
    if (fd < 0)
        throw std::runtime_error("baseline: cannot open the append file");
    qint64 n = 0;
    for (qsizetype i = 0; i < bodies.size(); ++i) {
        const QByteArray &body = bodies[i];
        const quint32 size = quint32(body.size());
        if (::write(fd, &size, sizeof size) != sizeof size || ::write(fd, body.constData(), size_t(size)) != qint64(size))
            throw std::runtime_error("baseline: short write");
        n += responsesIn(body);
        if ((i + 1) % groupSize == 0 || i + 1 == bodies.size())
            ::fdatasync(fd);
    }
    ::close(fd);
    return n;
}

template <typename Pass>
double ratePerSecond(const QString &path, const QList<QByteArray> &bodies, int groupSize, double seconds, Pass pass)
{
    QElapsedTimer t;
    t.start();
    qint64 n = 0;
    do
        n += pass(path, bodies, groupSize);
    while (double(t.nsecsElapsed()) / 1e9 < seconds);
    const double rate = double(n) / (double(t.nsecsElapsed()) / 1e9);
    QFile::remove(path);
    QFile::remove(path + QStringLiteral("-wal"));
    QFile::remove(path + QStringLiteral("-shm"));
    return rate;
}

} // namespace

int responsesIn(const QByteArray &body)
{
    v1::Batch parsed;
    return parsed.ParseFromArray(body.constData(), int(body.size())) ? parsed.responses_size() : 0;
}

double minimalSqliteRate(const QString &dir, const QList<QByteArray> &bodies, int groupSize, double seconds)
{
    return ratePerSecond(QDir(dir).filePath(QStringLiteral("minimal.db")), bodies, groupSize, seconds, storePass);
}

double appendRate(const QString &dir, const QList<QByteArray> &bodies, int groupSize, double seconds)
{
    return ratePerSecond(QDir(dir).filePath(QStringLiteral("append.log")), bodies, groupSize, seconds, appendPass);
}

} // namespace kerbside::bench
