// SPDX-License-Identifier: Apache-2.0
// bench_postgres [batches]: collector ingest rate (responses merged per second, batches of 500
// vox-pop responses through CollectorStore::mergeBatch, the path every upload takes) on
// PostgreSQL against SQLite, measured in the same process and interleaved in rounds because
// machines here are noisy. SQLite runs twice: on the normal disk (synchronous=FULL, real
// fsync) and on /dev/shm (fsync costs nothing), since the throwaway PostgreSQL cluster of
// .ci/postgres.sh runs with fsync=off. Then two PostgreSQL stores (two collectors) merge at
// once into one database. Needs KERBSIDE_TEST_PG (a libpq URL); skips with a message without.
#include "batchcodec.h"
#include "collectorstore.h"
#include "postgrescollectorstore.h"
#include "postgresconnection.h"
#include "sqlitecollectorstore.h"
#include "syncsamples.h"
#include "voxpopform.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QThread>
#include <QUrl>

#include <cstdio>
#include <thread>
#include <vector>

using namespace kerbside;

namespace {

constexpr int kPerBatch = 500;
constexpr int kRounds = 4;

struct Encoded
{
    IncomingBatch batch;
    QByteArray raw;
};

std::vector<Encoded> makeBatches(int count, const QString &device)
{
    std::vector<Encoded> out;
    for (int i = 0; i < count; ++i) {
        const QByteArray raw = BatchCodec::encode(test::header(device, quint64(i + 1)),
                                                  test::voxpopBatch(kPerBatch, 0, QStringLiteral("leeds"), device),
                                                  test::voxpopTypes());
        out.push_back({BatchCodec::decode(raw), raw});
    }
    return out;
}

// Merges batches [from, to) and returns the seconds taken.
double merge(CollectorStore &store, const std::vector<Encoded> &batches, size_t from, size_t to)
{
    QElapsedTimer t;
    t.start();
    for (size_t i = from; i < to; ++i)
        store.mergeBatch(batches[i].batch, batches[i].raw, QStringLiteral("http"), QDateTime::currentDateTimeUtc());
    return double(t.nsecsElapsed()) / 1e9;
}

/** A new database on the test cluster, dropped at the end. */
struct BenchDb
{
    QString admin = qEnvironmentVariable("KERBSIDE_TEST_PG");
    QString name = QStringLiteral("kb_bench_%1").arg(QRandomGenerator::system()->generate64(), 16, 16, QLatin1Char('0'));
    QString url;
    BenchDb()
    {
        PgConnection(admin).execOnce(QStringLiteral("CREATE DATABASE %1").arg(name).toUtf8());
        QUrl u(admin);
        u.setPath(QLatin1Char('/') + name);
        url = u.toString();
    }
    ~BenchDb()
    {
        try {
            PgConnection(admin).execOnce(QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(name).toUtf8());
        } catch (...) {
        }
    }
};

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    if (qEnvironmentVariableIsEmpty("KERBSIDE_TEST_PG")) {
        std::printf("bench_postgres: KERBSIDE_TEST_PG is not set; skipped (source .ci/postgres.sh; start_throwaway_postgres)\n");
        return 0;
    }
    const int batches = argc > 1 ? std::max(kRounds, QByteArray(argv[1]).toInt()) : 24;
    try {
        const std::vector<Encoded> work = makeBatches(batches, QStringLiteral("dev-bench"));
        QTemporaryDir diskDir;
        std::unique_ptr<QTemporaryDir> shmDir;
        if (QDir(QStringLiteral("/dev/shm")).exists())
            shmDir = std::make_unique<QTemporaryDir>(QStringLiteral("/dev/shm/kerbside-bench-XXXXXX"));
        BenchDb db;
        auto sqliteDisk = SqliteCollectorStore::open(diskDir.filePath(QStringLiteral("c.sqlite")));
        std::unique_ptr<SqliteCollectorStore> sqliteShm;
        if (shmDir && shmDir->isValid())
            sqliteShm = SqliteCollectorStore::open(shmDir->filePath(QStringLiteral("c.sqlite")));
        auto pg = PostgresCollectorStore::open(db.url);
        for (CollectorStore *s : {static_cast<CollectorStore *>(sqliteDisk.get()), static_cast<CollectorStore *>(sqliteShm.get()),
                                  static_cast<CollectorStore *>(pg.get())}) {
            if (s) {
                s->addCaseStudy(QStringLiteral("leeds"), QStringLiteral("Leeds"));
                test::publishVoxpop(*s, {QStringLiteral("leeds")});
            }
        }
        const QString fsync = PgConnection(db.url).exec("SHOW fsync").text(0, 0);

        double tDisk = 0, tShm = 0, tPg = 0;
        const size_t per = size_t(batches / kRounds);
        for (int round = 0; round < kRounds; ++round) {
            const size_t from = size_t(round) * per, to = from + per;
            tDisk += merge(*sqliteDisk, work, from, to);
            if (sqliteShm)
                tShm += merge(*sqliteShm, work, from, to);
            tPg += merge(*pg, work, from, to);
        }
        const double n = double(per * kRounds * kPerBatch);
        if (pg->responseCount() != qint64(n) || sqliteDisk->responseCount() != qint64(n)) {
            std::fprintf(stderr, "bench_postgres: counts differ: %lld in PostgreSQL, %lld in SQLite, %.0f sent\n",
                         pg->responseCount(), sqliteDisk->responseCount(), n);
            return 1;
        }
        std::printf("ingest: %zu batches x %d vox-pop responses, merged through CollectorStore::mergeBatch\n",
                    per * kRounds, kPerBatch);
        std::printf("  SQLite, disk (synchronous=FULL)   %9.0f responses/s  (%.1f ms per batch)\n", n / tDisk,
                    tDisk * 1000 / double(per * kRounds));
        if (sqliteShm)
            std::printf("  SQLite, /dev/shm                  %9.0f responses/s  (%.1f ms per batch)\n", n / tShm,
                        tShm * 1000 / double(per * kRounds));
        std::printf("  PostgreSQL 15 (fsync=%s)         %9.0f responses/s  (%.1f ms per batch)\n", qPrintable(fsync),
                    n / tPg, tPg * 1000 / double(per * kRounds));
        std::printf("  ratio PostgreSQL / SQLite disk    %9.2f\n", tDisk / tPg);
        if (sqliteShm)
            std::printf("  ratio PostgreSQL / SQLite shm     %9.2f\n", tShm / tPg);

        // Scale-out: two collectors (two stores, two connections) on one database at once, each
        // merging its own device's batches; the aggregate against one collector above.
        BenchDb shared;
        auto c1 = PostgresCollectorStore::open(shared.url);
        auto c2 = PostgresCollectorStore::open(shared.url);
        c1->addCaseStudy(QStringLiteral("leeds"), QStringLiteral("Leeds"));
        test::publishVoxpop(*c1, {QStringLiteral("leeds")});
        const std::vector<Encoded> w1 = makeBatches(batches / 2, QStringLiteral("dev-one"));
        const std::vector<Encoded> w2 = makeBatches(batches / 2, QStringLiteral("dev-two"));
        QElapsedTimer both;
        both.start();
        std::thread t1([&] { merge(*c1, w1, 0, w1.size()); });
        std::thread t2([&] { merge(*c2, w2, 0, w2.size()); });
        t1.join();
        t2.join();
        const double tBoth = double(both.nsecsElapsed()) / 1e9;
        const double n2 = double((w1.size() + w2.size()) * kPerBatch);
        std::printf("  PostgreSQL, 2 collectors at once  %9.0f responses/s  (x%.2f one collector; %d cores here)\n",
                    n2 / tBoth, (n2 / tBoth) / (n / tPg), QThread::idealThreadCount());
        if (c1->responseCount() != qint64(n2)) {
            std::fprintf(stderr, "bench_postgres: two collectors stored %lld of %.0f\n", c1->responseCount(), n2);
            return 1;
        }
    } catch (const CollectorError &e) {
        std::fprintf(stderr, "bench_postgres: %s\n", e.what());
        return 1;
    }
    return 0;
}
