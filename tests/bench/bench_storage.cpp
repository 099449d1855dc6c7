// SPDX-License-Identifier: Apache-2.0
// bench_storage: stored bytes per response on each collector backend (issue 16's aim: <= 550),
// the batch log included: --batches batches of 500 vox-pop responses from one device (as
// bench_merge and bench_sync make them) merged in process into a fresh SQLite file and, when
// KERBSIDE_TEST_PG names a cluster, a fresh PostgreSQL database. SQLite: the file after a clean
// close (the WAL checkpointed into it), as bench_sync measures it. PostgreSQL: what the
// collector's tables grew by (pg_total_relation_size: heap, TOAST and indexes), so an empty
// schema's pages do not count.
//
// Usage: bench_storage [--batches N (40)]   (KERBSIDE_BENCH_KEEP=1 keeps the SQLite file)
#include "test_syncclient_harness.h"

#include "answerdictionary.h"
#include "answerpack.h"
#include "batchcodec.h"
#include "batchlog.h"
#include "benchstats.h"
#include "collectorstore.h"
#include "paradatapack.h"
#include "postgresconnection.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QUrl>

#include <cstdio>
#include <time.h>

using namespace kerbside;
using namespace kerbside::test;

namespace {

constexpr int kBatch = 500;
const QString kCase = QStringLiteral("bench");
const QString kDevice = QStringLiteral("bench-device");

void print(const QString &line)
{
    std::fputs(qPrintable(line + QLatin1Char('\n')), stdout);
    std::fflush(stdout);
}

// As bench_merge makes them: complete vox-pop interviews of one device, 3 minutes apart.
QByteArray makeBody(quint64 sequence, quint32 seed)
{
    QRandomGenerator random(seed);
    const Form &form = voxpopForm();
    OutboxBatch b;
    const QDateTime base = QDateTime::currentDateTimeUtc().addDays(-1);
    for (int i = 0; i < kBatch; ++i) {
        Response r;
        r.meta.uuid = BatchCodec::newUuid();
        r.meta.formId = form.id;
        r.meta.formVersion = form.version;
        r.meta.caseStudy = kCase;
        r.meta.enumerator = QStringLiteral("enumerator-%1").arg(seed % 5);
        r.meta.deviceId = kDevice;
        r.meta.status = ResponseStatus::Complete;
        r.meta.started = base.addSecs(i * 180);
        r.meta.ended = r.meta.started.addMSecs(140'000 + random.bounded(60'000));
        r.meta.updated = r.meta.ended;
        r.meta.language = QStringLiteral("en");
        r.meta.location.latitude = 51.4 + random.bounded(100000) / 1e6;
        r.meta.location.longitude = -2.6 + random.bounded(100000) / 1e6;
        r.meta.location.altitude = 30 + random.bounded(100) / 10.0;
        r.meta.location.accuracy = 3 + random.bounded(100) / 10.0;
        r.meta.location.time = r.meta.started.addSecs(5);
        r.answers = voxpopAnswers(random);
        b.responses.append(r);
        b.paradata.append(voxpopParadata(r, random));
    }
    static const BatchCodec::TypeLookup types = BatchCodec::typesFrom({&voxpopForm()});
    BatchHeader h;
    h.deviceId = kDevice;
    h.sequence = sequence;
    h.created = QDateTime::currentDateTimeUtc();
    h.appVersion = QStringLiteral("bench");
    return BatchCodec::encode(h, b, types);
}

// Merges every body into the store at `location`; false (and a line) when one is not accepted.
bool mergeAll(const QString &location, const QList<QByteArray> &bodies, const QByteArray &formJson,
              const std::function<void()> &afterSetup = {})
{
    auto store = openCollectorStore(location);
    store->addCaseStudy(kCase, QStringLiteral("Benchmark"));
    store->publishForm({voxpopForm().id, voxpopForm().version, QStringLiteral("Benchmark"), formJson, {}, {}, {}}, {kCase});
    if (afterSetup)
        afterSetup();
    for (const QByteArray &body : bodies) {
        const MergeResult r = store->mergeBatch(BatchCodec::decode(body), body, QStringLiteral("http"),
                                                QDateTime::currentDateTimeUtc());
        if (r.count(MergeOutcome::Accepted) != kBatch) {
            print(QStringLiteral("only %1 of %2 accepted").arg(r.count(MergeOutcome::Accepted)).arg(kBatch));
            return false;
        }
    }
    return true;
}

qint64 pgTableBytes(const QString &url)
{
    PgConnection pg(url);
    return pg.scalar("SELECT COALESCE(sum(pg_total_relation_size(c.oid)), 0)::bigint FROM pg_class c "
                     "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r' AND n.nspname = current_schema()");
}

// Where PostgreSQL's bytes go: per table its heap (with TOAST) and each index, per response.
void printPgTables(const QString &url, double responses)
{
    PgConnection pg(url);
    const PgResult r = pg.exec(
        "SELECT t.relname, i.relname, CASE WHEN i.oid IS NULL THEN pg_table_size(t.oid) ELSE pg_relation_size(i.oid) END "
        "FROM pg_class t JOIN pg_namespace n ON n.oid = t.relnamespace "
        "LEFT JOIN pg_index x ON x.indrelid = t.oid LEFT JOIN pg_class i ON i.oid = x.indexrelid "
        "WHERE t.relkind = 'r' AND n.nspname = current_schema() "
        "UNION ALL SELECT t.relname, NULL, pg_table_size(t.oid) FROM pg_class t JOIN pg_namespace n ON n.oid = t.relnamespace "
        "WHERE t.relkind = 'r' AND n.nspname = current_schema() AND EXISTS (SELECT 1 FROM pg_index x WHERE x.indrelid = t.oid) "
        "ORDER BY 3 DESC",
        PgParams());
    for (int i = 0; i < r.rows(); ++i) {
        const double perResponse = double(r.int64(i, 2)) / responses;
        if (perResponse < 1)
            continue;
        print(QStringLiteral("  %1 %2 %3 B").arg(r.text(i, 0), -20)
                  .arg(r.isNull(i, 1) ? QStringLiteral("(heap+TOAST)") : r.text(i, 1), -28)
                  .arg(perResponse, 5, 'f', 0));
    }
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    int batches = 40;
    const QStringList args = app.arguments();
    for (int i = 1; i + 1 < args.size(); ++i)
        if (args[i] == QLatin1String("--batches"))
            batches = std::max(1, args[i + 1].toInt());
    QList<QByteArray> bodies;
    qint64 wire = 0;
    for (int b = 0; b < batches; ++b) {
        bodies.append(makeBody(quint64(b + 1), quint32(1000 + b)));
        wire += bodies.last().size();
    }
    QByteArray formJson;
    {
        QFile f(voxpopPath());
        f.open(QIODevice::ReadOnly);
        formJson = f.readAll();
    }
    const double responses = double(batches) * kBatch;
    print(QStringLiteral("bench_storage: %1 batches of %2 vox-pop responses (batch bytes %3 per response)")
              .arg(batches).arg(kBatch).arg(double(wire) / responses, 0, 'f', 0));

    {
        // The packed answers alone, spelt out (format 1, schema 8) and against the dictionary.
        const AnswerDictionary dictionary(voxpopForm());
        qint64 spelt = 0, packed = 0;
        QList<IncomingResponse> decoded;
        for (const QByteArray &body : std::as_const(bodies))
            decoded.append(BatchCodec::decode(body).responses);
        // CPU of packing and unpacking each way (thread CPU, so a shared machine moves it less).
        const auto cpuNs = [] {
            timespec t{};
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
            return qint64(t.tv_sec) * 1'000'000'000 + t.tv_nsec;
        };
        qint64 t0 = cpuNs();
        QList<QByteArray> ones, twos;
        for (const IncomingResponse &r : std::as_const(decoded))
            ones.append(answerpack::pack(r.answers));
        const qint64 pack1 = cpuNs() - t0;
        t0 = cpuNs();
        for (const IncomingResponse &r : std::as_const(decoded))
            twos.append(answerpack::pack(r.answers, &dictionary));
        const qint64 pack2 = cpuNs() - t0;
        t0 = cpuNs();
        StringReuse names;
        for (const QByteArray &p : std::as_const(ones)) {
            QList<TypedAnswer> out;
            answerpack::unpack(p.constData(), p.size(), &out, &names);
        }
        const qint64 unpack1 = cpuNs() - t0;
        t0 = cpuNs();
        for (const QByteArray &p : std::as_const(twos)) {
            QList<TypedAnswer> out;
            answerpack::unpack(p.constData(), p.size(), &out, nullptr, &dictionary);
        }
        const qint64 unpack2 = cpuNs() - t0;
        for (qsizetype i = 0; i < ones.size(); ++i)
            spelt += ones[i].size(), packed += twos[i].size();
        print(QStringLiteral("packed answers per response: %1 B spelt out (format 1), %2 B against the form's dictionary (format 2)")
                  .arg(double(spelt) / responses, 0, 'f', 0).arg(double(packed) / responses, 0, 'f', 0));
        print(QStringLiteral("  CPU per response: pack %1 / %2 us, unpack %3 / %4 us (format 1 / format 2)")
                  .arg(double(pack1) / responses / 1000, 0, 'f', 2).arg(double(pack2) / responses / 1000, 0, 'f', 2)
                  .arg(double(unpack1) / responses / 1000, 0, 'f', 2).arg(double(unpack2) / responses / 1000, 0, 'f', 2));
        // The packed paradata (schema 11) against the dictionary, and how many events they hold.
        qint64 events = 0, paradata = 0;
        for (const IncomingResponse &r : std::as_const(decoded)) {
            events += r.paradata.size();
            paradata += paradatapack::pack(r.paradata, &dictionary, r.meta.started).size();
        }
        print(QStringLiteral("packed paradata per response: %1 B for %2 events (schema 11, against the dictionary)")
                  .arg(double(paradata) / responses, 0, 'f', 0).arg(double(events) / responses, 0, 'f', 1));
        // The batch log's zstd frames (batchlog.h): bytes, and CPU per batch against decoding the
        // same batch (the least the collector does with every batch it is sent).
        bench::Runs packMs, unpackMs, decodeMs;
        qint64 logged = 0;
        for (const QByteArray &body : std::as_const(bodies)) {
            t0 = cpuNs();
            const QByteArray stored = batchlog::pack(body);
            packMs.add(double(cpuNs() - t0) / 1e6);
            t0 = cpuNs();
            QByteArray back;
            QString why;
            const bool ok = batchlog::unpack(stored, &back, &why);
            unpackMs.add(double(cpuNs() - t0) / 1e6);
            t0 = cpuNs();
            const IncomingBatch decodedAgain = BatchCodec::decode(body);
            decodeMs.add(double(cpuNs() - t0) / 1e6);
            if (!ok || back != body || decodedAgain.responses.size() != kBatch) {
                print(QStringLiteral("batch log: a pack did not come back (%1)").arg(why));
                return 1;
            }
            logged += stored.size();
        }
        print(QStringLiteral("batch log per response: %1 B packed (zstd level 1) of %2 B sent")
                  .arg(double(logged) / responses, 0, 'f', 0).arg(double(wire) / responses, 0, 'f', 0));
        print(QStringLiteral("  CPU per batch of %1 (min / median / max over batches): pack %2 ms, unpack %3 ms; "
                             "decoding the batch %4 ms: pack / decode %5")
                  .arg(kBatch).arg(packMs.text(2), unpackMs.text(2), decodeMs.text(2))
                  .arg(packMs.median() / decodeMs.median(), 0, 'f', 2));
    }
    QTemporaryDir dir(QDir::temp().filePath(QStringLiteral("kerbside-bench-XXXXXX")));
    const QString path = QDir(dir.path()).filePath(QStringLiteral("storage.db"));
    if (qEnvironmentVariableIsSet("KERBSIDE_BENCH_KEEP")) { // to look inside (sqlite3's dbstat)
        dir.setAutoRemove(false);
        print(QStringLiteral("keeping %1").arg(path));
    }
    if (!mergeAll(path, bodies, formJson))
        return 1;
    const qint64 file = QFileInfo(path).size() + QFileInfo(path + QStringLiteral("-wal")).size();
    print(QStringLiteral("SQLite stored bytes per response:     %1  (file %2 B; aim <= 550)")
              .arg(double(file) / responses, 0, 'f', 0).arg(file));

    const QString admin = qEnvironmentVariable("KERBSIDE_TEST_PG");
    if (admin.isEmpty()) {
        print(QStringLiteral("PostgreSQL: KERBSIDE_TEST_PG is not set, skipped"));
        return 0;
    }
    const QString name = QStringLiteral("kb_bench_storage_%1").arg(QCoreApplication::applicationPid());
    PgConnection(admin).execOnce(QStringLiteral("CREATE DATABASE %1").arg(name).toUtf8());
    QUrl url(admin);
    url.setPath(QLatin1Char('/') + name);
    qint64 empty = 0;
    const bool merged = mergeAll(url.toString(), bodies, formJson, [&] { empty = pgTableBytes(url.toString()); });
    const qint64 grown = merged ? pgTableBytes(url.toString()) - empty : 0;
    if (merged)
        printPgTables(url.toString(), responses);
    PgConnection(admin).execOnce(QStringLiteral("DROP DATABASE %1 WITH (FORCE)").arg(name).toUtf8());
    if (!merged)
        return 1;
    print(QStringLiteral("PostgreSQL stored bytes per response: %1  (tables grew %2 B; aim <= 550)")
              .arg(double(grown) / responses, 0, 'f', 0).arg(grown));
    return 0;
}
