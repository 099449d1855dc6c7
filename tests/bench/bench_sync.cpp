// SPDX-License-Identifier: Apache-2.0
// bench_sync: responses merged per second end to end (HTTP, batches of 500, the vox-pop form)
// from 1 device and from 8 at once, each phase lasting at least --seconds (5) and repeated
// --runs (3) times, against the honest limits measured on the same batches in the same run
// (tests/bench/minimalstore.h): a minimal durable SQLite store of the same bytes (a row per
// batch, a row per response keyed by its 16-byte UUID, WAL + synchronous=FULL; one batch per
// commit for one device, eight per commit for eight) and a durable append of the bytes. Also:
// the tablet's time to build a batch (each further batch of a sync; and a batch file from a new
// engine, store open and forms included) against the collector's time to merge it, bytes on the
// wire per response against ODK's OpenRosa submission of the same answers, stored bytes per
// response, collector peak RSS.
//
// Usage: bench_sync [--seconds S] [--runs N] [--tablet-only]
// The collector's database and the baselines live on the same (real) disk.
#include "../sync/faultproxy.h"
#include "../sync/test_syncclient_harness.h"

#include "batchcodec.h"
#include "benchstats.h"
#include "minimalstore.h"
#include "collectorstore.h"
#include "sqliteconnection.h"
#include "synchttp.h"
#include "syncsettings.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QThread>


#include <cstdio>
#include <algorithm>
#include <thread>

using namespace kerbside;
using namespace kerbside::test;

namespace {

constexpr int kBatch = 500;
const QString kCase = QStringLiteral("bench");

// ODK Central's figures measured on a machine like ours (../shared/peers/odk-central/README.md).
constexpr double kOdkRate1 = 87, kOdkRate8 = 136, kOdkRequestBytes = 1950;
constexpr double kOdkSampleXmlBytes = 1212; // its sample submission; the rest of a request is overhead

void print(const QString &line)
{
    std::fputs(qPrintable(line + QLatin1Char('\n')), stdout);
    std::fflush(stdout);
}

struct DeviceKey
{
    QString deviceId;
    QString token;
};

DeviceKey enrol(Collector &c, const QString &dir, int i)
{
    const QString path = QDir(dir).filePath(QStringLiteral("enrol-%1.db").arg(i));
    SyncEngine engine(path);
    engine.enrol(c.url(), c.enrolmentCode(kCase));
    auto store = DeviceStore::open(path);
    return {store->setting(syncsettings::deviceId), store->setting(syncsettings::deviceToken)};
}

OutboxBatch makeResponses(const QString &deviceId, int count, quint32 seed)
{
    QRandomGenerator random(seed);
    const Form &form = voxpopForm();
    OutboxBatch b;
    const QDateTime base = QDateTime::currentDateTimeUtc().addDays(-1);
    for (int i = 0; i < count; ++i) {
        Response r;
        r.meta.uuid = BatchCodec::newUuid();
        r.meta.formId = form.id;
        r.meta.formVersion = form.version;
        r.meta.caseStudy = kCase;
        r.meta.enumerator = QStringLiteral("enumerator-%1").arg(seed % 5);
        r.meta.deviceId = deviceId;
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
    return b;
}

QByteArray encode(const DeviceKey &who, quint64 sequence, const OutboxBatch &batch)
{
    static const BatchCodec::TypeLookup types = BatchCodec::typesFrom({&voxpopForm()});
    BatchHeader h;
    h.deviceId = who.deviceId;
    h.sequence = sequence;
    h.created = QDateTime::currentDateTimeUtc();
    h.appVersion = QStringLiteral("bench");
    return BatchCodec::encode(h, batch, types);
}

// The same answers as ODK Collect would submit them (the sample's envelope, flat fields).
QByteArray openRosaXml(const Response &r)
{
    QByteArray x = "<?xml version='1.0' ?><data id=\"community-contracts-voxpop\" version=\"" + r.meta.formVersion.toUtf8()
        + "\" xmlns:h=\"http://www.w3.org/1999/xhtml\" xmlns:jr=\"http://openrosa.org/javarosa\" "
          "xmlns:orx=\"http://openrosa.org/xforms\" xmlns:odk=\"http://www.opendatakit.org/xforms\">";
    const auto iso = [](const QDateTime &t) { return t.toOffsetFromUtc(3600).toString(Qt::ISODateWithMs).toUtf8(); };
    x += "<start>" + iso(r.meta.started) + "</start><end>" + iso(r.meta.ended) + "</end>";
    for (auto it = r.answers.cbegin(); it != r.answers.cend(); ++it)
        x += "<" + it.key().toUtf8() + ">" + it.value().toHtmlEscaped().toUtf8() + "</" + it.key().toUtf8() + ">";
    x += "<location>" + QByteArray::number(r.meta.location.latitude, 'f', 7) + " "
        + QByteArray::number(r.meta.location.longitude, 'f', 7) + " "
        + QByteArray::number(r.meta.location.altitude, 'f', 1) + " "
        + QByteArray::number(r.meta.location.accuracy, 'f', 1) + "</location>";
    x += "<meta><instanceID>uuid:" + r.meta.uuid.toUtf8() + "</instanceID></meta></data>";
    return x;
}

// Posts batches one after another until they run out or `deadline` has passed (when given);
// returns false on any non-200. *posted counts the batches sent.
bool postAll(const QString &url, const DeviceKey &who, const QList<QByteArray> &bodies, QString *error,
             const QDeadlineTimer &deadline = QDeadlineTimer(QDeadlineTimer::Forever), int *posted = nullptr)
{
    SyncOptions o;
    o.maxAttempts = 3;
    SyncHttp http(url, o);
    http.setToken(who.token);
    for (const QByteArray &body : bodies) {
        if (deadline.hasExpired())
            break;
        const SyncHttp::Reply r = http.post(QStringLiteral("/v1/batches"), body);
        if (r.status != 200) {
            *error = QStringLiteral("HTTP %1: %2").arg(r.status).arg(r.errorText());
            return false;
        }
        if (posted)
            ++*posted;
    }
    return true;
}

/** Encoded batches for one device, numbered on from its last sequence. */
QList<QByteArray> makeBodies(const DeviceKey &who, int count, quint64 *sequence, quint32 seed)
{
    QList<QByteArray> out;
    for (int b = 0; b < count; ++b) {
        const OutboxBatch batch = makeResponses(who.deviceId, kBatch, seed + quint32(b));
        out.append(encode(who, ++*sequence, batch));
    }
    return out;
}

qint64 vmHwmKb(qint64 pid)
{
    QFile f(QStringLiteral("/proc/%1/status").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n')) {
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').first().toLongLong();
    }
    return -1;
}

qint64 fileSize(const QString &path)
{
    return QFileInfo(path).exists() ? QFileInfo(path).size() : 0;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true);
    double seconds = 5; // each phase lasts at least this long
    int runs = 3;
    const QStringList args = app.arguments();
    const bool tabletOnly = args.contains(QLatin1String("--tablet-only")); // for profiling the device side
    for (int i = 1; i + 1 < args.size(); ++i) {
        if (args[i] == QLatin1String("--seconds"))
            seconds = args[i + 1].toDouble();
        if (args[i] == QLatin1String("--runs"))
            runs = std::max(1, args[i + 1].toInt());
    }
    // On the real disk (not tmpfs): durability costs are part of what is measured.
    QTemporaryDir dir(QDir::temp().filePath(QStringLiteral("kerbside-bench-XXXXXX")));
    Collector collector(dir.path());
    collector.addCaseStudy(kCase, QStringLiteral("Benchmark"));
    collector.publish(voxpopPath(), {kCase});
    if (!collector.start()) {
        print(QStringLiteral("cannot start kerbside serve"));
        return 1;
    }
    QList<DeviceKey> devices;
    for (int i = 0; i < 9; ++i)
        devices.append(enrol(collector, dir.path(), i));
    std::vector<quint64> sequence(9, 0);

    print(QStringLiteral("bench_sync: vox-pop form, batches of %1, %2 runs of at least %3 s per phase, collector %4, db %5")
              .arg(kBatch).arg(runs).arg(seconds).arg(collector.url(), collector.dbPath()));

    // Bytes on the wire: one batch through a counting proxy (the whole HTTP request).
    qint64 wireBytes = 0, wireBody = 0;
    const OutboxBatch sample = makeResponses(devices[0].deviceId, kBatch, 42);
    {
        FaultProxy proxy(collector.port(), 1, 0.0);
        const QByteArray body = encode(devices[0], ++sequence[0], sample);
        wireBody = body.size();
        QString error;
        if (!postAll(QStringLiteral("http://127.0.0.1:%1").arg(proxy.port()), devices[0], {body}, &error)) {
            print(QStringLiteral("wire measurement failed: %1").arg(error));
            return 1;
        }
        for (int i = 0; i < 200 && proxy.counts().bytesUp == 0; ++i)
            QThread::msleep(10); // counted when the proxy's connection ends
        wireBytes = proxy.counts().bytesUp;
    }

    // A short warm-up sizes each run's prepared batches (the phases stop at `seconds`).
    QString error;
    QElapsedTimer t;
    double estimate1 = 0;
    {
        const QList<QByteArray> warm = makeBodies(devices[0], 6, &sequence[0], 7);
        t.start();
        if (!postAll(collector.url(), devices[0], warm, &error)) {
            print(QStringLiteral("warm-up failed: %1").arg(error));
            return 1;
        }
        estimate1 = double(warm.size() * kBatch) / (double(t.nsecsElapsed()) / 1e9);
    }
    double estimate8 = estimate1 * 1.5;
    const auto batchesFor = [&](double rate, int devicesAtOnce) {
        return std::clamp(int(rate * seconds * 1.6 / kBatch / devicesAtOnce) + 2, 4, 4000);
    };

    bench::Runs rate1, rate8, minimal1, minimal8, append1, append8, ratio1, ratio8;
    QList<QByteArray> firstBodies; // for the in-process breakdown below
    for (int run = 0; run < runs && !tabletOnly; ++run) {
        // 1 device, batches one after another.
        const QList<QByteArray> single = makeBodies(devices[0], batchesFor(estimate1, 1), &sequence[0], quint32(1000 + run * 10000));
        int posted = 0;
        t.restart();
        if (!postAll(collector.url(), devices[0], single, &error, QDeadlineTimer(qint64(seconds * 1000)), &posted)) {
            print(QStringLiteral("1-device run failed: %1").arg(error));
            return 1;
        }
        const double r1 = double(posted * kBatch) / (double(t.nsecsElapsed()) / 1e9);
        const QList<QByteArray> sent1 = single.mid(0, posted);
        if (firstBodies.isEmpty())
            firstBodies = sent1.mid(0, 20);
        const double m1 = bench::minimalSqliteRate(dir.path(), sent1, 1, seconds);
        const double a1 = bench::appendRate(dir.path(), sent1, 1, seconds);

        // 8 devices at once.
        QList<QList<QByteArray>> eight;
        for (int d = 0; d < 8; ++d)
            eight.append(makeBodies(devices[d + 1], batchesFor(estimate8, 8), &sequence[size_t(d + 1)],
                                    quint32(500000 + run * 10000 + d * 1000)));
        std::vector<QString> errors(8);
        std::vector<int> posted8(8, 0);
        t.restart();
        {
            const QDeadlineTimer deadline(qint64(seconds * 1000));
            std::vector<std::thread> threads;
            for (int d = 0; d < 8; ++d)
                threads.emplace_back([&, d] {
                    postAll(collector.url(), devices[d + 1], eight[d], &errors[size_t(d)], deadline, &posted8[size_t(d)]);
                });
            for (std::thread &th : threads)
                th.join();
        }
        const double elapsed8 = double(t.nsecsElapsed()) / 1e9;
        for (const QString &e : errors) {
            if (!e.isEmpty()) {
                print(QStringLiteral("8-device run failed: %1").arg(e));
                return 1;
            }
        }
        // The baseline stores the same batches, one from each device in turn, 8 per commit.
        QList<QByteArray> sent8;
        for (int i = 0;; ++i) {
            bool any = false;
            for (int d = 0; d < 8; ++d) {
                if (i < posted8[size_t(d)]) {
                    sent8.append(eight[d][i]);
                    any = true;
                }
            }
            if (!any)
                break;
        }
        const double r8 = double(sent8.size() * kBatch) / elapsed8;
        const double m8 = bench::minimalSqliteRate(dir.path(), sent8, 8, seconds);
        const double a8 = bench::appendRate(dir.path(), sent8, 8, seconds);

        rate1.add(r1), rate8.add(r8), minimal1.add(m1), minimal8.add(m8), append1.add(a1), append8.add(a8);
        ratio1.add(r1 / m1), ratio8.add(r8 / m8);
        estimate1 = r1, estimate8 = r8;
        print(QStringLiteral("  run %1: 1 device %2/s (minimal store %3/s, append %4/s); 8 devices %5/s (minimal %6/s, append %7/s)")
                  .arg(run + 1).arg(r1, 0, 'f', 0).arg(m1, 0, 'f', 0).arg(a1, 0, 'f', 0)
                  .arg(r8, 0, 'f', 0).arg(m8, 0, 'f', 0).arg(a8, 0, 'f', 0));
    }

    if (firstBodies.isEmpty())
        firstBodies = makeBodies(devices[0], 20, &sequence[0], 99);

    // The device side end to end: a tablet's own store, outbox read, send, acknowledgement marked.
    double deviceRate = 0;
    int deviceResponses = 0;
    {
        QTemporaryDir tablet(scratchTemplate()); // answers are written on tmpfs: setup only
        SyncOptions o;
        Device d(tablet.path(), QStringLiteral("tablet"), o);
        d.engine().enrol(collector.url(), collector.enrolmentCode(kCase));
        deviceResponses = int(d.addInterviews(kBatch * 2, kCase, 9, true).size());
        QElapsedTimer td;
        td.start();
        const SyncReport r = d.engine().syncNow();
        deviceRate = double(r.accepted) / (double(td.nsecsElapsed()) / 1e9);
        if (r.accepted != deviceResponses)
            print(QStringLiteral("device sync: %1").arg(r.summary()));
    }
    // Building one batch of 500 on the tablet, without the network or the collector: the
    // tablet's share of a sync. First a whole batch file (SyncEngine::writeBatchFile: store
    // opened and checked, forms loaded, outbox read, encode, file written), then what each
    // further batch of a sync costs.
    bench::Runs buildMs, firstBuildMs;
    for (int run = 0; run < runs; ++run) {
        QTemporaryDir tablet(scratchTemplate());
        Device d(tablet.path(), QStringLiteral("builder"));
        d.engine().enrol(collector.url(), collector.enrolmentCode(kCase));
        d.addInterviews(kBatch, kCase, quint32(77 + run), true); // with a real interview's paradata
        const QString file = QDir(tablet.path()).filePath(QStringLiteral("batch.kbatch"));
        QElapsedTimer tb;
        tb.start();
        d.engine().writeBatchFile(file);
        firstBuildMs.add(double(tb.nsecsElapsed()) / 1e6);
        // Each further batch of a sync, the steps of SyncEngine::buildPending on the store the
        // sync holds open: outbox read, sequence number kept, encode, pending batch kept. The
        // same 500 each time (nothing is acknowledged); the least of 5.
        static const BatchCodec::TypeLookup types = BatchCodec::typesFrom({&voxpopForm()});
        DeviceStore &store = d.store();
        const QString deviceId = store.setting(syncsettings::deviceId);
        double best = 1e9;
        for (int again = 0; again < 5; ++again) {
            tb.restart();
            const OutboxBatch outbox = store.outbox(kBatch);
            BatchHeader h;
            h.batchUuid = BatchCodec::newUuid();
            h.deviceId = deviceId;
            h.sequence = store.setting(syncsettings::sequence, QStringLiteral("0")).toULongLong() + 1;
            store.setSetting(syncsettings::sequence, QString::number(h.sequence));
            h.created = QDateTime::currentDateTimeUtc();
            h.appVersion = QStringLiteral("bench");
            const QByteArray bytes = BatchCodec::encode(h, outbox, types);
            store.setSetting(syncsettings::pendingBatch, QString::fromLatin1(bytes.toBase64()));
            best = std::min(best, double(tb.nsecsElapsed()) / 1e6);
            if (outbox.responses.size() != kBatch)
                print(QStringLiteral("the tablet's outbox holds %1, not %2").arg(outbox.responses.size()).arg(kBatch));
        }
        store.setSetting(syncsettings::pendingBatch, {});
        buildMs.add(best);
    }

    // Where the collector's time goes, in this process: decode (with content hashes), the
    // hashes alone, and the merge into a fresh collector database on the same disk.
    double decodeMs = 0, hashMs = 0, mergeMs = 0;
    int inprocBatches = 0;
    {
        auto store = openCollectorStore(QDir(dir.path()).filePath(QStringLiteral("inproc.db")));
        store->addCaseStudy(kCase, QStringLiteral("Benchmark"));
        {
            QFile form(voxpopPath());
            form.open(QIODevice::ReadOnly);
            store->publishForm({voxpopForm().id, voxpopForm().version, QStringLiteral("Benchmark"), form.readAll(), {}, {}, {}},
                               {kCase});
        }
        for (const QByteArray &body : std::as_const(firstBodies)) {
            QElapsedTimer tt;
            tt.start();
            const IncomingBatch batch = BatchCodec::decode(body);
            decodeMs += double(tt.nsecsElapsed()) / 1e6;
            tt.restart();
            for (const IncomingResponse &r : batch.responses)
                BatchCodec::responseHash(r.meta, r.answers);
            hashMs += double(tt.nsecsElapsed()) / 1e6;
            tt.restart();
            store->mergeBatch(batch, body, QStringLiteral("http"), QDateTime::currentDateTimeUtc());
            mergeMs += double(tt.nsecsElapsed()) / 1e6;
            ++inprocBatches;
        }
    }

    const qint64 rssKb = vmHwmKb(collector.pid());
    collector.stop(); // a clean stop checkpoints the WAL into the file
    const qint64 stored = fileSize(collector.dbPath()) + fileSize(collector.dbPath() + QStringLiteral("-wal"));
    // What the collector holds, counted in its file: the phases stop at `seconds`, so not every
    // prepared batch was sent (counting the sequences used overstated the responses by ~60%).
    const qint64 total = SqliteConnection(collector.dbPath()).scalar("SELECT count(*) FROM responses");

    // ODK: the same answers as OpenRosa XML, plus the request overhead of its sample.
    qint64 xmlBytes = 0;
    for (const Response &r : std::as_const(sample.responses))
        xmlBytes += openRosaXml(r).size();
    const double xmlPer = double(xmlBytes) / double(sample.responses.size());
    const double odkBytes = xmlPer + (kOdkRequestBytes - kOdkSampleXmlBytes);
    const double wirePer = double(wireBytes) / kBatch;

    print(QString());
    print(QStringLiteral("figures are min / median / max of %1 runs; ratios are taken within each run").arg(runs));
    print(QStringLiteral("merged end to end, 1 device:   %1 responses/s  (ODK Central %2/s: x%3 median; aim x100)")
              .arg(rate1.text()).arg(kOdkRate1).arg(rate1.median() / kOdkRate1, 0, 'f', 1));
    print(QStringLiteral("merged end to end, 8 devices:  %1 responses/s  (ODK Central %2/s: x%3 median; aim x100)")
              .arg(rate8.text()).arg(kOdkRate8).arg(rate8.median() / kOdkRate8, 0, 'f', 1));
    print(QStringLiteral("minimal durable SQLite store:  1 batch per commit %1/s, 8 per commit %2/s")
              .arg(minimal1.text(), minimal8.text()));
    print(QStringLiteral("  collector / minimal store:   1 device %1 (aim >= 0.40), 8 devices %2 (aim >= 0.50)")
              .arg(ratio1.text(2), ratio8.text(2)));
    print(QStringLiteral("durable append of the bytes:   1 batch per fdatasync %1/s, 8 per fdatasync %2/s")
              .arg(append1.text(), append8.text()));
    if (inprocBatches > 0) {
        const double per = double(inprocBatches);
        const double httpMs = 1000.0 * kBatch / rate1.median() - (decodeMs + mergeMs) / per;
        print(QStringLiteral("  per batch of %1, in process: decode %2 ms (of which content hashes %3 ms), "
                             "merge %4 ms (%5 responses/s); HTTP + rest ~%6 ms")
                  .arg(kBatch).arg(decodeMs / per, 0, 'f', 1).arg(hashMs / per, 0, 'f', 1)
                  .arg(mergeMs / per, 0, 'f', 1).arg(kBatch * per * 1000.0 / mergeMs, 0, 'f', 0)
                  .arg(httpMs, 0, 'f', 1));
        const double collectorMs = (decodeMs + mergeMs) / per;
        print(QStringLiteral("tablet builds a batch of %1:   %2 ms per batch of a sync (outbox read, encode, sequence "
                             "and pending batch kept); collector decode + merge %3 ms: x%4 median (aim >= x10)")
                  .arg(kBatch).arg(buildMs.text(1)).arg(collectorMs, 0, 'f', 1)
                  .arg(collectorMs / buildMs.median(), 0, 'f', 1));
        print(QStringLiteral("  a batch file from a new engine: %1 ms (store opened and checked, forms loaded): x%2 median")
                  .arg(firstBuildMs.text(1)).arg(collectorMs / firstBuildMs.median(), 0, 'f', 1));
    }
    print(QStringLiteral("tablet sync (store -> ack):    %1 responses/s  (%2 responses, outbox read + marking included)")
              .arg(deviceRate, 0, 'f', 0).arg(deviceResponses));
    print(QStringLiteral("wire bytes per response:       %1  (whole request %2 B, body %3 B for %4 responses)")
              .arg(wirePer, 0, 'f', 0).arg(wireBytes).arg(wireBody).arg(kBatch));
    print(QStringLiteral("  ODK OpenRosa, same answers:  %1  (XML %2 + request overhead %3): ratio %4; aim <= 0.20")
              .arg(odkBytes, 0, 'f', 0).arg(xmlPer, 0, 'f', 0).arg(kOdkRequestBytes - kOdkSampleXmlBytes, 0, 'f', 0)
              .arg(wirePer / odkBytes, 0, 'f', 3));
    print(QStringLiteral("  ODK Central's measured ~%1 B per request: ratio %2").arg(kOdkRequestBytes).arg(wirePer / kOdkRequestBytes, 0, 'f', 3));
    print(QStringLiteral("stored bytes per response:     %1  (%2 B for %3 responses, batch log included; aim <= 550)")
              .arg(double(stored) / double(total), 0, 'f', 0).arg(stored).arg(total));
    print(QStringLiteral("collector peak RSS (VmHWM):    %1 MB").arg(double(rssKb) / 1024.0, 0, 'f', 1));
    return 0;
}
