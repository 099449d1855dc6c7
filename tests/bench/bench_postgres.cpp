// SPDX-License-Identifier: Apache-2.0
// bench_postgres: the collector's ingest on PostgreSQL (responses merged per second, batches of
// 500 vox-pop responses through CollectorStore::mergeBatch, the path every upload takes):
//   - one collector, one device (batches one after another);
//   - one collector, eight devices at once (eight threads on one store, its pool of connections
//     and, in the same run, a pool of one);
//   - two collectors at once, as two processes on one database (this binary with --worker);
//   - the honest limit, in the same run: a minimal PostgreSQL store of the same bytes (INSERT of
//     the batch row, binary COPY of a row per response keyed by its 16-byte UUID, one
//     transaction per batch);
//   - SQLite on disk (synchronous=FULL) for comparison.
// Each phase runs --runs (3) times, printed as min / median / max. Figures are only durable
// with fsync=on: `bash tests/bench/run.sh bench_postgres` starts a cluster with fsync on when
// KERBSIDE_TEST_PG is not set; the line "fsync=" says which one was measured.
//
// Usage: bench_postgres [--batches N] [--runs N]   (needs KERBSIDE_TEST_PG, a libpq URL)
#include "batchcodec.h"
#include "benchstats.h"
#include "collectorstore.h"
#include "kerbside/v1/sync.pb.h"
#include "postgrescollectorstore.h"
#include "postgresconnection.h"
#include "sqlitecollectorstore.h"
#include "syncsamples.h"
#include "voxpopform.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QThread>
#include <QUrl>

#include <cstdio>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

using namespace kerbside;

namespace {

constexpr int kPerBatch = 500;

struct Encoded
{
    IncomingBatch batch;
    QByteArray raw;
};

std::vector<Encoded> makeBatches(int count, const QString &device)
{
    std::vector<Encoded> out;
    for (int i = 0; i < count; ++i) {
        OutboxBatch batch = test::voxpopBatch(kPerBatch, 0, QStringLiteral("leeds"), device);
        QRandomGenerator random(quint32(i + 1));
        for (const Response &r : std::as_const(batch.responses))
            batch.paradata.append(test::tabletParadata(r, random)); // as a tablet records them
        const QByteArray raw = BatchCodec::encode(test::header(device, quint64(i + 1)), batch, test::voxpopTypes());
        out.push_back({BatchCodec::decode(raw), raw});
    }
    return out;
}

void merge(CollectorStore &store, const std::vector<Encoded> &batches)
{
    for (const Encoded &e : batches)
        store.mergeBatch(e.batch, e.raw, QStringLiteral("http"), QDateTime::currentDateTimeUtc());
}

/** A new database on the cluster, dropped at the end. */
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

std::unique_ptr<PostgresCollectorStore> freshPostgres(const BenchDb &db, int pool = PgLanePool::kDefaultSize)
{
    auto s = PostgresCollectorStore::open(PgLanePool::withSize(db.url, pool));
    s->addCaseStudy(QStringLiteral("leeds"), QStringLiteral("Leeds"));
    test::publishVoxpop(*s, {QStringLiteral("leeds")});
    return s;
}

// --- the honest limit ----------------------------------------------------------------------

/** The least a PostgreSQL store could do for the same batches, durably and exactly once by
 *  UUID: the batch row (its UUID and bytes) and a row per response in one transaction. */
double minimalPostgresRate(const QString &url, const std::vector<Encoded> &batches)
{
    PgConnection db(url);
    db.exec("CREATE TABLE IF NOT EXISTS min_batches (id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
            " uuid BYTEA NOT NULL UNIQUE, body BYTEA NOT NULL)");
    db.exec("CREATE TABLE IF NOT EXISTS min_responses (uuid BYTEA PRIMARY KEY, batch BIGINT NOT NULL)");
    QElapsedTimer t;
    t.start();
    qint64 n = 0;
    v1::Batch parsed;
    for (const Encoded &e : batches) {
        if (!parsed.ParseFromArray(e.raw.constData(), int(e.raw.size())))
            throw CollectorError(CollectorError::Code::Invalid, QStringLiteral("baseline: a batch does not parse"));
        db.exec("BEGIN");
        const PgResult id = db.exec("INSERT INTO min_batches (uuid, body) VALUES ($1, $2) RETURNING id",
                                    PgParams()
                                        .add(QByteArray::fromStdString(parsed.batch_uuid()))
                                        .add(e.raw));
        const qint64 batchId = id.int64(0, 0);
        PgCopyRows copy;
        for (const v1::Response &r : parsed.responses()) {
            copy.row(2);
            copy.bytes(QByteArray::fromStdString(r.uuid()));
            copy.int64(batchId);
            ++n;
        }
        db.copyRows("COPY min_responses (uuid, batch) FROM STDIN (FORMAT binary)", copy);
        db.exec("COMMIT");
    }
    return double(n) / (double(t.nsecsElapsed()) / 1e9);
}

// --- two collectors as two processes ---------------------------------------------------------

/** `bench_postgres --worker URL DEVICE BATCHES`: prepares its batches, says "ready", merges
 *  them on "go" and says "done". One collector process. */
int worker(const QString &url, const QString &device, int batches)
{
    const std::vector<Encoded> work = makeBatches(batches, device);
    auto store = PostgresCollectorStore::open(url);
    std::printf("ready\n");
    std::fflush(stdout);
    std::string line;
    std::getline(std::cin, line);
    merge(*store, work);
    std::printf("done\n");
    std::fflush(stdout);
    return 0;
}

double twoProcessesRate(const QString &url, int batchesEach, int run)
{
    std::vector<std::unique_ptr<QProcess>> workers;
    for (int w = 0; w < 2; ++w) {
        auto p = std::make_unique<QProcess>();
        p->setProcessChannelMode(QProcess::ForwardedErrorChannel);
        p->start(QCoreApplication::applicationFilePath(),
                 {QStringLiteral("--worker"), url, QStringLiteral("dev-proc%1-run%2").arg(w).arg(run),
                  QString::number(batchesEach)});
        if (!p->waitForStarted(10000))
            throw CollectorError(CollectorError::Code::Io, QStringLiteral("cannot start a worker"));
        workers.push_back(std::move(p));
    }
    const auto waitFor = [](QProcess &p, const QByteArray &word) {
        QByteArray out;
        while (!out.contains(word)) {
            if (!p.waitForReadyRead(120000))
                throw CollectorError(CollectorError::Code::Io, QStringLiteral("a worker stopped before \"%1\"").arg(QString::fromLatin1(word)));
            out += p.readAllStandardOutput();
        }
    };
    for (auto &p : workers)
        waitFor(*p, "ready");
    QElapsedTimer t;
    t.start();
    for (auto &p : workers)
        p->write("go\n");
    for (auto &p : workers)
        waitFor(*p, "done");
    const double seconds = double(t.nsecsElapsed()) / 1e9;
    for (auto &p : workers)
        p->waitForFinished(30000);
    return double(2 * batchesEach * kPerBatch) / seconds;
}

double timed(const std::function<void()> &f, qint64 responses)
{
    QElapsedTimer t;
    t.start();
    f();
    return double(responses) / (double(t.nsecsElapsed()) / 1e9);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() == 5 && args[1] == QLatin1String("--worker"))
        return worker(args[2], args[3], args[4].toInt());
    if (qEnvironmentVariableIsEmpty("KERBSIDE_TEST_PG")) {
        std::printf("bench_postgres: KERBSIDE_TEST_PG is not set; skipped (bash tests/bench/run.sh bench_postgres starts a cluster)\n");
        return 0;
    }
    int batches = 24, runs = 3;
    for (int i = 1; i + 1 < args.size(); ++i) {
        if (args[i] == QLatin1String("--batches"))
            batches = std::max(8, args[i + 1].toInt());
        if (args[i] == QLatin1String("--runs"))
            runs = std::max(1, args[i + 1].toInt());
    }
    batches -= batches % 8; // shared out evenly between eight devices
    try {
        const QString fsync = PgConnection(qEnvironmentVariable("KERBSIDE_TEST_PG")).exec("SHOW fsync").text(0, 0);
        std::printf("bench_postgres: %d batches x %d vox-pop responses per phase, %d runs, PostgreSQL fsync=%s%s\n",
                    batches, kPerBatch, runs, qPrintable(fsync),
                    fsync == QLatin1String("on") ? "" : " (NOT durable: figures flatter PostgreSQL)");
        const qint64 n = qint64(batches) * kPerBatch;
        bench::Runs one, eight, eightOne, two, minimal, sqlite, r8, r8One, r2, rMin;
        qint64 retries = 0;
        int lanes = 0;
        for (int run = 0; run < runs; ++run) {
            const std::vector<Encoded> single = makeBatches(batches, QStringLiteral("dev-one-%1").arg(run));
            std::vector<std::vector<Encoded>> devices;
            for (int d = 0; d < 8; ++d)
                devices.push_back(makeBatches(batches / 8, QStringLiteral("dev-eight-%1-%2").arg(run).arg(d)));

            BenchDb dbOne, dbEight, dbEightOne, dbTwo, dbMin;
            auto storeOne = freshPostgres(dbOne);
            const double rOne = timed([&] { merge(*storeOne, single); }, n);
            const auto eightDevices = [&](CollectorStore &store) {
                std::vector<std::thread> threads;
                for (int d = 0; d < 8; ++d)
                    threads.emplace_back([&, d] { merge(store, devices[size_t(d)]); });
                for (std::thread &t : threads)
                    t.join();
            };
            // The same eight devices through a pool of one connection: what the pool adds.
            auto storeEightOne = freshPostgres(dbEightOne, 1);
            const double rEightOne = timed([&] { eightDevices(*storeEightOne); }, n);
            auto storeEight = freshPostgres(dbEight);
            const double rEight = timed([&] { eightDevices(*storeEight); }, n);
            const PostgresCollectorStore::ConcurrencyStats cs = storeEight->concurrencyStats();
            retries += cs.retries;
            lanes = std::max(lanes, cs.pool.opened);
            freshPostgres(dbTwo); // schema and case study, before the workers open it
            const double rTwo = twoProcessesRate(dbTwo.url, batches / 2, run);
            const double rMinimal = minimalPostgresRate(dbMin.url, single);
            QTemporaryDir disk;
            auto lite = SqliteCollectorStore::open(disk.filePath(QStringLiteral("c.sqlite")));
            lite->addCaseStudy(QStringLiteral("leeds"), QStringLiteral("Leeds"));
            test::publishVoxpop(*lite, {QStringLiteral("leeds")});
            const double rLite = timed([&] { merge(*lite, single); }, n);

            if (storeOne->responseCount() != n || storeEight->responseCount() != n || storeEightOne->responseCount() != n
                || PostgresCollectorStore::open(dbTwo.url)->responseCount() != n) {
                std::fprintf(stderr, "bench_postgres: a phase stored the wrong number of responses\n");
                return 1;
            }
            one.add(rOne), eight.add(rEight), eightOne.add(rEightOne), two.add(rTwo), minimal.add(rMinimal), sqlite.add(rLite);
            r8.add(rEight / rOne), r8One.add(rEightOne / rOne), r2.add(rTwo / rOne), rMin.add(rOne / rMinimal);
            std::printf("  run %d: 1 device %.0f/s, 8 devices %.0f/s (pool of 1: %.0f/s), 2 collector processes %.0f/s, "
                        "minimal store %.0f/s, SQLite %.0f/s\n",
                        run + 1, rOne, rEight, rEightOne, rTwo, rMinimal, rLite);
            std::fflush(stdout);
        }
        std::printf("\nfigures are min / median / max of %d runs; ratios are taken within each run\n", runs);
        std::printf("PostgreSQL, 1 collector, 1 device:   %s responses/s\n", qPrintable(one.text()));
        std::printf("PostgreSQL, 1 collector, 8 devices:  %s responses/s   x%s of 1 device (aim >= 3)\n",
                    qPrintable(eight.text()), qPrintable(r8.text(2)));
        std::printf("  the same 8 devices, pool of 1:     %s responses/s   x%s of 1 device (%d connections opened by the pool of %d; "
                    "%lld merges retried after a lost race)\n",
                    qPrintable(eightOne.text()), qPrintable(r8One.text(2)), lanes, PgLanePool::kDefaultSize,
                    static_cast<long long>(retries));
        std::printf("PostgreSQL, 2 collector processes:   %s responses/s   x%s of 1 collector (aim >= 1.8; %d cores here)\n",
                    qPrintable(two.text()), qPrintable(r2.text(2)), QThread::idealThreadCount());
        std::printf("minimal PostgreSQL store, same bytes: %s responses/s  collector x%s of it (aim >= 0.4)\n",
                    qPrintable(minimal.text()), qPrintable(rMin.text(2)));
        std::printf("SQLite on disk (synchronous=FULL):   %s responses/s\n", qPrintable(sqlite.text()));
    } catch (const CollectorError &e) {
        std::fprintf(stderr, "bench_postgres: %s\n", e.what());
        return 1;
    }
    return 0;
}
