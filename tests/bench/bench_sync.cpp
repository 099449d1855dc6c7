// SPDX-License-Identifier: Apache-2.0
// bench_sync: responses merged per second end to end (HTTP, batches of 500, the vox-pop form)
// with 1 and 8 concurrent devices, against the raw insert rate of the same rows into SQLite
// with the same durability pragmas in the same run; bytes on the wire per response against
// the same answers as an ODK OpenRosa submission; stored bytes per response; collector peak RSS.
//
// Usage: bench_sync [--batches-1 N] [--batches-8 N]   (batches of 500 per device)
// The collector's database and the SQLite baseline live on the same (real) disk.
#include "../sync/faultproxy.h"
#include "../sync/test_syncclient_harness.h"

#include "batchcodec.h"
#include "collectorstore.h"
#include "synchttp.h"
#include "syncsettings.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QThread>

#include <sqlite3.h>

#include <cstdio>
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
        b.paradata.append(QList<ParadataEvent>());
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

// Posts batches one after another; returns false on any non-200.
bool postAll(const QString &url, const DeviceKey &who, const QList<QByteArray> &bodies, QString *error)
{
    SyncOptions o;
    o.maxAttempts = 3;
    SyncHttp http(url, o);
    http.setToken(who.token);
    for (const QByteArray &body : bodies) {
        const SyncHttp::Reply r = http.post(QStringLiteral("/v1/batches"), body);
        if (r.status != 200) {
            *error = QStringLiteral("HTTP %1: %2").arg(r.status).arg(r.errorText());
            return false;
        }
    }
    return true;
}

// The raw rate: the same responses (a row each, plus a row per answer) into a bare SQLite file,
// WAL + synchronous=FULL as the collector, one transaction per batch of 500.
double rawInsertRate(const QString &path, const QList<OutboxBatch> &batches)
{
    sqlite3 *db = nullptr;
    sqlite3_open(path.toUtf8().constData(), &db);
    sqlite3_exec(db,
                 "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                 "CREATE TABLE responses (id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE, case_study TEXT,"
                 " form_id TEXT, form_version TEXT, revision INTEGER, status TEXT, enumerator TEXT,"
                 " started_ms INTEGER, ended_ms INTEGER, latitude REAL, longitude REAL);"
                 "CREATE TABLE answers (response_id INTEGER NOT NULL, question TEXT NOT NULL, value TEXT NOT NULL,"
                 " PRIMARY KEY (response_id, question)) WITHOUT ROWID;",
                 nullptr, nullptr, nullptr);
    sqlite3_stmt *ins = nullptr, *ans = nullptr;
    sqlite3_prepare_v2(db, "INSERT INTO responses VALUES (NULL,?,?,?,?,?,?,?,?,?,?,?)", -1, &ins, nullptr);
    sqlite3_prepare_v2(db, "INSERT INTO answers VALUES (?,?,?)", -1, &ans, nullptr);
    const auto text = [](sqlite3_stmt *s, int i, const QString &v) {
        const QByteArray u = v.toUtf8();
        sqlite3_bind_text(s, i, u.constData(), int(u.size()), SQLITE_TRANSIENT);
    };
    QElapsedTimer t;
    t.start();
    qint64 n = 0;
    for (const OutboxBatch &b : batches) {
        sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
        for (const Response &r : b.responses) {
            text(ins, 1, r.meta.uuid);
            text(ins, 2, r.meta.caseStudy);
            text(ins, 3, r.meta.formId);
            text(ins, 4, r.meta.formVersion);
            sqlite3_bind_int(ins, 5, r.meta.revision);
            text(ins, 6, QStringLiteral("complete"));
            text(ins, 7, r.meta.enumerator);
            sqlite3_bind_int64(ins, 8, r.meta.started.toMSecsSinceEpoch());
            sqlite3_bind_int64(ins, 9, r.meta.ended.toMSecsSinceEpoch());
            sqlite3_bind_double(ins, 10, r.meta.location.latitude);
            sqlite3_bind_double(ins, 11, r.meta.location.longitude);
            sqlite3_step(ins);
            sqlite3_reset(ins);
            const sqlite3_int64 id = sqlite3_last_insert_rowid(db);
            for (auto it = r.answers.cbegin(); it != r.answers.cend(); ++it) {
                sqlite3_bind_int64(ans, 1, id);
                text(ans, 2, it.key());
                text(ans, 3, it.value());
                sqlite3_step(ans);
                sqlite3_reset(ans);
            }
            ++n;
        }
        sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
    }
    const double seconds = double(t.nsecsElapsed()) / 1e9;
    sqlite3_finalize(ins);
    sqlite3_finalize(ans);
    sqlite3_close(db);
    return double(n) / seconds;
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
    int batches1 = 20, batches8 = 8; // enough that one slow fsync does not decide the figure
    const QStringList args = app.arguments();
    for (int i = 1; i + 1 < args.size(); ++i) {
        if (args[i] == QLatin1String("--batches-1"))
            batches1 = args[i + 1].toInt();
        if (args[i] == QLatin1String("--batches-8"))
            batches8 = args[i + 1].toInt();
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

    print(QStringLiteral("bench_sync: vox-pop form, batches of %1, collector %2, db %3")
              .arg(kBatch).arg(collector.url(), collector.dbPath()));

    // Prepared before timing: the devices' batches as they would send them.
    QList<OutboxBatch> rows; // every response posted, for the raw SQLite baseline
    QList<QByteArray> single;
    for (int b = 0; b < batches1; ++b) {
        rows.append(makeResponses(devices[0].deviceId, kBatch, quint32(1000 + b)));
        single.append(encode(devices[0], quint64(b + 1), rows.last()));
    }
    QList<QList<QByteArray>> eight(8);
    for (int d = 0; d < 8; ++d) {
        for (int b = 0; b < batches8; ++b) {
            rows.append(makeResponses(devices[d + 1].deviceId, kBatch, quint32(5000 + d * 100 + b)));
            eight[d].append(encode(devices[d + 1], quint64(b + 1), rows.last()));
        }
    }

    // Bytes on the wire: one more batch through a counting proxy (the whole HTTP request).
    qint64 wireBytes = 0, wireBody = 0;
    {
        FaultProxy proxy(collector.port(), 1, 0.0);
        const OutboxBatch extra = makeResponses(devices[0].deviceId, kBatch, 42);
        rows.append(extra);
        const QByteArray body = encode(devices[0], quint64(batches1 + 1), extra);
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

    // 1 device, batches one after another.
    QElapsedTimer t;
    QString error;
    t.start();
    if (!postAll(collector.url(), devices[0], single, &error)) {
        print(QStringLiteral("1-device run failed: %1").arg(error));
        return 1;
    }
    const double rate1 = double(batches1 * kBatch) / (double(t.nsecsElapsed()) / 1e9);

    // 8 devices at once.
    std::vector<QString> errors(8);
    t.restart();
    {
        std::vector<std::thread> threads;
        for (int d = 0; d < 8; ++d)
            threads.emplace_back([&, d] { postAll(collector.url(), devices[d + 1], eight[d], &errors[size_t(d)]); });
        for (std::thread &th : threads)
            th.join();
    }
    const double rate8 = double(8 * batches8 * kBatch) / (double(t.nsecsElapsed()) / 1e9);
    for (const QString &e : errors) {
        if (!e.isEmpty()) {
            print(QStringLiteral("8-device run failed: %1").arg(e));
            return 1;
        }
    }

    // The device side end to end: a tablet's own store, outbox read, send, acknowledgement marked.
    double deviceRate = 0;
    int deviceResponses = 0;
    {
        QTemporaryDir tablet(scratchTemplate()); // answers are written on tmpfs: setup only
        SyncOptions o;
        Device d(tablet.path(), QStringLiteral("tablet"), o);
        d.engine().enrol(collector.url(), collector.enrolmentCode(kCase));
        deviceResponses = int(d.addInterviews(kBatch * 2, kCase, 9).size());
        QElapsedTimer td;
        td.start();
        const SyncReport r = d.engine().syncNow();
        deviceRate = double(r.accepted) / (double(td.nsecsElapsed()) / 1e9);
        if (r.accepted != deviceResponses)
            print(QStringLiteral("device sync: %1").arg(r.summary()));
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
        for (const QByteArray &body : std::as_const(single)) {
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

    const qint64 total = qint64(batches1 + 1 + 8 * batches8) * kBatch + deviceResponses;
    const qint64 rssKb = vmHwmKb(collector.pid());
    collector.stop(); // a clean stop checkpoints the WAL into the file
    const qint64 stored = fileSize(collector.dbPath()) + fileSize(collector.dbPath() + QStringLiteral("-wal"));

    const double raw = rawInsertRate(QDir(dir.path()).filePath(QStringLiteral("raw.db")), rows);

    // ODK: the same answers as OpenRosa XML, plus the request overhead of its sample.
    qint64 xmlBytes = 0;
    for (const Response &r : std::as_const(rows.first().responses))
        xmlBytes += openRosaXml(r).size();
    const double xmlPer = double(xmlBytes) / double(rows.first().responses.size());
    const double odkBytes = xmlPer + (kOdkRequestBytes - kOdkSampleXmlBytes);
    const double wirePer = double(wireBytes) / kBatch;

    print(QString());
    print(QStringLiteral("merged end to end, 1 device:   %1 responses/s  (ODK Central %2/s: x%3; aim x100)")
              .arg(rate1, 0, 'f', 0).arg(kOdkRate1).arg(rate1 / kOdkRate1, 0, 'f', 1));
    print(QStringLiteral("merged end to end, 8 devices:  %1 responses/s  (ODK Central %2/s: x%3; aim x100)")
              .arg(rate8, 0, 'f', 0).arg(kOdkRate8).arg(rate8 / kOdkRate8, 0, 'f', 1));
    print(QStringLiteral("raw SQLite insert, same rows:  %1 responses/s  (1 device %2, 8 devices %3 of it; aim >= 0.50)")
              .arg(raw, 0, 'f', 0).arg(rate1 / raw, 0, 'f', 2).arg(rate8 / raw, 0, 'f', 2));
    if (inprocBatches > 0) {
        const double per = double(inprocBatches);
        const double httpMs = 1000.0 * kBatch / rate1 - (decodeMs + mergeMs) / per;
        print(QStringLiteral("  per batch of %1, in process: decode %2 ms (of which content hashes %3 ms), "
                             "merge %4 ms (%5 responses/s); HTTP + rest ~%6 ms")
                  .arg(kBatch).arg(decodeMs / per, 0, 'f', 1).arg(hashMs / per, 0, 'f', 1)
                  .arg(mergeMs / per, 0, 'f', 1).arg(kBatch * per * 1000.0 / mergeMs, 0, 'f', 0)
                  .arg(httpMs, 0, 'f', 1));
        print(QStringLiteral("  raw SQLite per batch of %1: %2 ms").arg(kBatch).arg(1000.0 * kBatch / raw, 0, 'f', 1));
    }
    print(QStringLiteral("tablet sync (store -> ack):    %1 responses/s  (%2 responses, outbox read + marking included)")
              .arg(deviceRate, 0, 'f', 0).arg(deviceResponses));
    print(QStringLiteral("wire bytes per response:       %1  (whole request %2 B, body %3 B for %4 responses)")
              .arg(wirePer, 0, 'f', 0).arg(wireBytes).arg(wireBody).arg(kBatch));
    print(QStringLiteral("  ODK OpenRosa, same answers:  %1  (XML %2 + request overhead %3): ratio %4; aim <= 0.20")
              .arg(odkBytes, 0, 'f', 0).arg(xmlPer, 0, 'f', 0).arg(kOdkRequestBytes - kOdkSampleXmlBytes, 0, 'f', 0)
              .arg(wirePer / odkBytes, 0, 'f', 3));
    print(QStringLiteral("  ODK Central's measured ~%1 B per request: ratio %2").arg(kOdkRequestBytes).arg(wirePer / kOdkRequestBytes, 0, 'f', 3));
    print(QStringLiteral("stored bytes per response:     %1  (%2 B for %3 responses, batch log included)")
              .arg(double(stored) / double(total), 0, 'f', 0).arg(stored).arg(total));
    print(QStringLiteral("collector peak RSS (VmHWM):    %1 MB").arg(double(rssKb) / 1024.0, 0, 'f', 1));
    return 0;
}
