// SPDX-License-Identifier: Apache-2.0
// bench_merge: the collector's own cost per batch of 500 vox-pop responses, in this process and
// without HTTP: decode (BatchCodec::decode), then CollectorStore::mergeBatch (the checks against
// the published form, ownership, quota tally, dashboard counters, the SQLite writes and the
// durable commit) into a fresh SQLite collector database on the real disk; one device, batches
// one after another, as bench_sync's 1-device phase sends them. Against the honest limit on the
// same bytes in the same run (tests/bench/minimalstore.h, one batch per commit).
//
// Wall time includes the fsync at each commit; CPU time (getrusage, every thread of the process:
// the WAL checkpointer too) does not wait for the disk and moves less when the machine is shared.
// For a load-independent figure count instructions of the merge alone with callgrind:
//   valgrind --tool=callgrind --toggle-collect='kerbside::CollectorStore::mergeBatch*'
//       build/tests/bench/bench_merge --batches 10 --runs 1
// The file needs nothing newer than the collector API of commit 6ae31b6, so the same driver can be
// built against an older tree to compare (sync/collector/ARCHITECTURE.md, "Ingest cost").
//
// Usage: bench_merge [--batches N (40)] [--runs R (3)]
#include "test_syncclient_harness.h"

#include "batchcodec.h"
#include "benchstats.h"
#include "collectorstore.h"
#include "minimalstore.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QTemporaryDir>

#include <sys/resource.h>
#include <time.h>

#include <cstdio>

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

// Seconds of CPU used by the whole process so far (user + system, every thread).
double cpuSeconds()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// Seconds of CPU used by the calling thread (the merge runs in it: no other batch is queued).
double threadCpuSeconds()
{
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return double(t.tv_sec) + double(t.tv_nsec) / 1e9;
}

// As bench_sync sends them: complete vox-pop interviews of one device, 3 minutes apart.
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

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    int batches = 40, runs = 3;
    const QStringList args = app.arguments();
    for (int i = 1; i + 1 < args.size(); ++i) {
        if (args[i] == QLatin1String("--batches"))
            batches = std::max(2, args[i + 1].toInt());
        if (args[i] == QLatin1String("--runs"))
            runs = std::max(1, args[i + 1].toInt());
    }
    QTemporaryDir dir(QDir::temp().filePath(QStringLiteral("kerbside-bench-XXXXXX"))); // the real disk
    QList<QByteArray> bodies;
    for (int b = 0; b < batches; ++b)
        bodies.append(makeBody(quint64(b + 1), quint32(1000 + b)));
    QByteArray formJson;
    {
        QFile f(voxpopPath());
        f.open(QIODevice::ReadOnly);
        formJson = f.readAll();
    }
    print(QStringLiteral("bench_merge: vox-pop form, %1 batches of %2 from one device per run, %3 runs, SQLite in %4")
              .arg(batches).arg(kBatch).arg(runs).arg(dir.path()));

    // Per batch, the median over the batches of a run (the first, which loads the form, is left
    // out); then min / median / max over the runs.
    bench::Runs decodeMs, mergeMs, mergeCpuMs, mergeThreadMs, rate, minimal, ratio;
    for (int run = 0; run < runs; ++run) {
        const QString path = QDir(dir.path()).filePath(QStringLiteral("run-%1.db").arg(run));
        auto store = openCollectorStore(path);
        store->addCaseStudy(kCase, QStringLiteral("Benchmark"));
        store->publishForm({voxpopForm().id, voxpopForm().version, QStringLiteral("Benchmark"), formJson, {}, {}, {}}, {kCase});
        bench::Runs dec, mer, cpu, tcpu;
        double totalMerge = 0;
        for (qsizetype b = 0; b < bodies.size(); ++b) {
            QElapsedTimer t;
            t.start();
            const IncomingBatch batch = BatchCodec::decode(bodies[b]);
            const double d = double(t.nsecsElapsed()) / 1e6;
            t.restart();
            const double c0 = cpuSeconds(), t0 = threadCpuSeconds();
            const MergeResult result = store->mergeBatch(batch, bodies[b], QStringLiteral("http"), QDateTime::currentDateTimeUtc());
            const double c = (cpuSeconds() - c0) * 1000, tc = (threadCpuSeconds() - t0) * 1000;
            const double m = double(t.nsecsElapsed()) / 1e6;
            if (result.count(MergeOutcome::Accepted) != kBatch) {
                print(QStringLiteral("batch %1: only %2 of %3 accepted").arg(b).arg(result.count(MergeOutcome::Accepted)).arg(kBatch));
                return 1;
            }
            totalMerge += m;
            if (b == 0)
                continue;
            dec.add(d), mer.add(m), cpu.add(c), tcpu.add(tc);
        }
        const qint64 walBytes = QFileInfo(path + QStringLiteral("-wal")).size(); // before the closing checkpoint
        store.reset();
        const double r = double(kBatch) * double(bodies.size()) / (totalMerge / 1000);
        const double mr = bench::minimalSqliteRate(dir.path(), bodies, 1, 1.0);
        decodeMs.add(dec.median()), mergeMs.add(mer.median()), mergeCpuMs.add(cpu.median()), mergeThreadMs.add(tcpu.median());
        rate.add(r), minimal.add(mr), ratio.add(r / mr);
        QFile::remove(path);
        QFile::remove(path + QStringLiteral("-wal"));
        QFile::remove(path + QStringLiteral("-shm"));
        print(QStringLiteral("  run %1: decode %2 ms, merge %3 ms (CPU %4 ms, of its thread %8 ms) per batch (medians); merge %5 responses/s, "
                             "minimal store %6/s; WAL %7 MB at the end")
                  .arg(run + 1).arg(dec.median(), 0, 'f', 2).arg(mer.median(), 0, 'f', 2).arg(cpu.median(), 0, 'f', 2)
                  .arg(r, 0, 'f', 0).arg(mr, 0, 'f', 0).arg(double(walBytes) / 1e6, 0, 'f', 1).arg(tcpu.median(), 0, 'f', 2));
    }
    print(QString());
    print(QStringLiteral("figures are min / median / max of %1 runs (each the median of its batches, the first left out)").arg(runs));
    print(QStringLiteral("decode, per batch of %1:        %2 ms").arg(kBatch).arg(decodeMs.text(2)));
    print(QStringLiteral("mergeBatch, per batch (wall):   %1 ms").arg(mergeMs.text(2)));
    print(QStringLiteral("mergeBatch, per batch (CPU):    %1 ms  (every thread, no disk wait)").arg(mergeCpuMs.text(2)));
    print(QStringLiteral("mergeBatch, per batch (its thread's CPU): %1 ms").arg(mergeThreadMs.text(2)));
    print(QStringLiteral("merge rate:                     %1 responses/s").arg(rate.text()));
    print(QStringLiteral("minimal durable SQLite store:   %1 responses/s  (1 batch per commit)").arg(minimal.text()));
    print(QStringLiteral("  merge / minimal store:        %1").arg(ratio.text(2)));
    return 0;
}
