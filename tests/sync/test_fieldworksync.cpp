// SPDX-License-Identifier: Apache-2.0
// The fieldwork plan reaches a real tablet store through a real `kerbside serve`: quotas and
// area with the forms, the collector's quota counts with every acknowledgement, kept on the
// device as of its last sync.
#include <catch2/catch.hpp>

#include "test_syncclient_harness.h"

#include "batchfile.h"
#include "fieldworkstate.h"
#include "kerbside/v1/sync.pb.h"
#include "quota/quotaprogress.h"
#include "synchttp.h"

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>

#include <array>

using namespace kerbside;
using namespace kerbside::test;

namespace {

const QString kCase = QStringLiteral("north");

SyncOptions quickOptions()
{
    SyncOptions o;
    o.maxAttempts = 4;
    o.initialBackoff = std::chrono::milliseconds(20);
    o.maxBackoff = std::chrono::milliseconds(200);
    return o;
}

QMap<QString, qint64> collectorCounts(const QString &db)
{
    int code = -1;
    const QString csv = runKerbside({QStringLiteral("quota"), QStringLiteral("show"), kCase, QStringLiteral("--csv"),
                                     QStringLiteral("--db"), db}, &code);
    REQUIRE(code == 0);
    QMap<QString, qint64> out;
    for (const QString &line : csv.trimmed().split(QLatin1Char('\n')).mid(1)) {
        const QStringList f = line.split(QLatin1Char(','));
        out.insert(f[1], f[3].toLongLong());
    }
    return out;
}

} // namespace

TEST_CASE("quotas and area reach the tablet with its forms, and counts come back with every acknowledgement", "[sync][quota]")
{
    QTemporaryDir dir{scratchTemplate()};
    Collector collector(dir.path());
    collector.addCaseStudy(kCase, QStringLiteral("North estate"));
    collector.publish(voxpopPath(), {kCase});
    QFile area(dir.filePath(QStringLiteral("north.geojson")));
    REQUIRE(area.open(QIODevice::WriteOnly));
    area.write(R"({"type":"Polygon","coordinates":[[[-2.25,53.45],[-2.23,53.45],[-2.23,53.47],[-2.25,53.47],[-2.25,53.45]]]})");
    area.close();
    QFile targets(dir.filePath(QStringLiteral("targets.csv")));
    REQUIRE(targets.open(QIODevice::WriteOnly));
    targets.write("gender,target\nwoman,4\nman,4\nother,1\n");
    targets.close();
    int code = -1;
    QString err;
    runKerbside({"casestudy", "area", kCase, "--geojson", area.fileName(), "--db", collector.dbPath()}, &code, &err);
    REQUIRE(code == 0);
    runKerbside({"quota", "set", kCase, "--form", "community-contracts-voxpop", "--by", "gender", "--targets",
                 targets.fileName(), "--db", collector.dbPath()}, &code, &err);
    INFO(err.toStdString());
    REQUIRE(code == 0);
    REQUIRE(collector.start());

    Device d(dir.path(), QStringLiteral("tablet"), quickOptions());
    d.engine().enrol(collector.url(), collector.enrolmentCode(kCase));
    d.addInterviews(6, kCase, 3);
    const SyncReport r = d.engine().syncNow();
    INFO(r.summary().toStdString());
    REQUIRE(r.result == SyncReport::Result::Ok);

    const DeviceFieldwork f = deviceFieldwork(d.store(), kCase);
    REQUIRE(f.plan);
    CHECK(f.plan->formId == QStringLiteral("community-contracts-voxpop"));
    CHECK(f.plan->targets.value(QStringLiteral("gender=woman")) == 4);
    CHECK(f.areaVersion == 1);
    CHECK(f.areaGeojson.contains("Polygon"));
    CHECK(f.countsPlanVersion == 1);
    CHECK(f.countsAsOf.isValid());
    const QMap<QString, qint64> server = collectorCounts(collector.dbPath());
    qint64 total = 0;
    for (qint64 n : server)
        total += n;
    CHECK(total > 0);
    CHECK(f.collectorCounts == server); // what the tablet knows is what the collector counted

    CHECK(knownQuotaCounts(d.store(), f) == server); // everything acknowledged: nothing to add

    // Offline: three more interviews; the tablet's figures are the collector's plus its own.
    d.addInterviews(3, kCase, 4);
    const DeviceFieldwork offlineState = deviceFieldwork(d.store(), kCase);
    CHECK(offlineState.collectorCounts == server); // unchanged until it syncs
    const QMap<QString, qint64> mine = unsyncedQuotaCounts(d.store(), *f.plan);
    qint64 mineTotal = 0;
    for (qint64 n : mine)
        mineTotal += n;
    CHECK(mineTotal == 3);
    QMap<QString, qint64> expected = server;
    for (auto it = mine.constBegin(); it != mine.constEnd(); ++it)
        expected[it.key()] += it.value();
    CHECK(knownQuotaCounts(d.store(), offlineState) == expected);
    // A screen-out (quota full) travels with them and counts in no cell.
    NewResponse so;
    so.formId = voxpopForm().id;
    so.formVersion = voxpopForm().version;
    so.caseStudy = kCase;
    so.deviceId = d.store().setting(QStringLiteral("device_id"));
    const QString screened = d.store().createResponse(so);
    d.store().setAnswer(screened, QStringLiteral("consent"), QStringLiteral("yes"));
    d.store().setAnswer(screened, QStringLiteral("gender"), QStringLiteral("woman"));
    d.store().finalise(screened, ResponseStatus::ScreenedOut);
    CHECK(knownQuotaCounts(d.store(), offlineState) == expected);
    REQUIRE(d.engine().syncNow().result == SyncReport::Result::Ok);
    const QMap<QString, qint64> after = collectorCounts(collector.dbPath());
    CHECK(after == expected); // the collector counted exactly what the tablet showed offline
    CHECK(deviceFieldwork(d.store(), kCase).collectorCounts == after);
    CHECK(knownQuotaCounts(d.store(), deviceFieldwork(d.store(), kCase)) == after); // not counted twice
    CHECK(d.store().outboxSize() == 0);

    // The collector keeps the screen-out with its status; the export names it and counts it as
    // not eligible in the outcome rates.
    const QString out = dir.filePath(QStringLiteral("export"));
    runKerbside({"export", "--db", collector.dbPath(), "--out", out, "--all", "--format", "csv"}, &code, &err);
    INFO(err.toStdString());
    REQUIRE(code == 0);
    QFile table(out + QStringLiteral("/community-contracts-voxpop.csv"));
    REQUIRE(table.open(QIODevice::ReadOnly));
    const QString csv = QString::fromUtf8(table.readAll());
    QString screenedRow;
    for (const QString &line : csv.split(QLatin1Char('\n')))
        if (line.contains(screened))
            screenedRow = line;
    CHECK(screenedRow.contains(QStringLiteral("screened_out")));
    qint64 totalAfter = 0;
    for (qint64 n : after)
        totalAfter += n;
    CHECK(totalAfter >= total);
    const quota::Progress p = quota::progress(*f.plan, after, {}, voxpopForm());
    CHECK(p.totalTarget == 9);
}

namespace {

// `kerbside quota show CS` (text): cell -> the "unsynced" column.
QMap<QString, qint64> unsyncedColumn(const QString &db)
{
    int code = -1;
    const QString text = runKerbside({QStringLiteral("quota"), QStringLiteral("show"), kCase, QStringLiteral("--db"), db}, &code);
    REQUIRE(code == 0);
    QMap<QString, qint64> out;
    for (const QString &line : text.split(QLatin1Char('\n'))) {
        const QStringList f = line.split(QLatin1Char(' '), Qt::SkipEmptyParts);
        if (f.size() == 6 && f[0].contains(QLatin1Char('=')))
            out.insert(f[0], f[3].toLongLong()); // cell target achieved unsynced remaining over
    }
    return out;
}

// POSTs a StatusRequest as the tablet would, with the tablet's own token.
int postReport(const Collector &collector, Device &d, const QList<std::array<QString, 3>> &items)
{
    v1::StatusRequest request;
    request.set_format(1);
    for (const auto &[uuid, cs, cell] : items) {
        v1::UnsyncedComplete *u = request.add_unsynced();
        u->set_uuid_text(uuid.toStdString());
        u->set_case_study(cs.toStdString());
        u->set_cell(cell.toStdString());
    }
    SyncHttp http(collector.url(), quickOptions());
    http.setToken(d.store().setting(QStringLiteral("device_token")));
    return http.post(QStringLiteral("/v1/status"), QByteArray::fromStdString(request.SerializeAsString())).status;
}

} // namespace

TEST_CASE("quota show counts what tablets last reported holding unsynced, until it is merged", "[sync][quota]")
{
    QTemporaryDir dir{scratchTemplate()};
    Collector collector(dir.path());
    collector.addCaseStudy(kCase, QStringLiteral("North estate"));
    collector.addCaseStudy(QStringLiteral("south"), QStringLiteral("South"));
    collector.publish(voxpopPath(), {kCase});
    QFile targets(dir.filePath(QStringLiteral("targets.csv")));
    REQUIRE(targets.open(QIODevice::WriteOnly));
    targets.write("gender,target\nwoman,4\nman,4\nother,1\n");
    targets.close();
    int code = -1;
    runKerbside({"quota", "set", kCase, "--form", "community-contracts-voxpop", "--by", "gender", "--targets",
                 targets.fileName(), "--db", collector.dbPath()}, &code);
    REQUIRE(code == 0);
    REQUIRE(collector.start());
    Device d(dir.path(), QStringLiteral("tablet"), quickOptions());
    d.engine().enrol(collector.url(), collector.enrolmentCode(kCase));
    REQUIRE(d.engine().syncNow().result != SyncReport::Result::Failed); // fetches the plan

    // The sync itself reports, after its batches, what it still holds: here a complete interview
    // of a form version the collector never published (refused, so kept on the tablet).
    const QStringList uuids = d.addInterviews(4, kCase, 8);
    NewResponse stray;
    stray.formId = voxpopForm().id;
    stray.formVersion = QStringLiteral("1999010101");
    stray.caseStudy = kCase;
    stray.enumerator = QStringLiteral("ana");
    stray.deviceId = d.store().setting(QStringLiteral("device_id"));
    const QString refused = d.store().createResponse(stray);
    d.store().setAnswer(refused, QStringLiteral("consent"), QStringLiteral("yes"));
    d.store().setAnswer(refused, QStringLiteral("gender"), QStringLiteral("other"));
    d.store().finalise(refused, ResponseStatus::Complete);
    const QList<UnsyncedCell> held = unsyncedCompletes(d.store());
    CHECK(held.size() == uuids.size() + 1);
    for (const UnsyncedCell &u : held)
        CHECK(u.cell.startsWith(QStringLiteral("gender=")));
    const SyncReport r = d.engine().syncNow();
    INFO(r.summary().toStdString());
    CHECK(r.rejected == 1);
    const QList<UnsyncedCell> left = unsyncedCompletes(d.store());
    REQUIRE(left.size() == 1);
    CHECK(left[0].uuid == refused);
    CHECK(left[0].cell == QStringLiteral("gender=other"));
    QMap<QString, qint64> shown = unsyncedColumn(collector.dbPath());
    CHECK(shown.value(QStringLiteral("gender=other")) == 1);
    CHECK(shown.value(QStringLiteral("gender=woman")) == 0);
    CHECK(shown.value(QStringLiteral("gender=man")) == 0);

    // A report of interviews not merged (yet): counted per cell; a merged UUID is not.
    CHECK(postReport(collector, d, {{"7f000000-0000-4000-8000-000000000001", kCase, "gender=woman"},
                                    {"7f000000-0000-4000-8000-000000000002", kCase, "gender=woman"},
                                    {"7f000000-0000-4000-8000-000000000002", kCase, "gender=woman"}, // listed twice
                                    {"7f000000-0000-4000-8000-000000000003", kCase, "gender=man"},
                                    {uuids[0], kCase, "gender=other"}})
          == 200);
    shown = unsyncedColumn(collector.dbPath());
    CHECK(shown.value(QStringLiteral("gender=woman")) == 2);
    CHECK(shown.value(QStringLiteral("gender=man")) == 1);
    CHECK(shown.value(QStringLiteral("gender=other")) == 0);
    // The CSV keeps exactly its columns.
    const QString csv = runKerbside({"quota", "show", kCase, "--csv", "--db", collector.dbPath()}, &code);
    CHECK(csv.startsWith(QStringLiteral("case_study,cell,target,achieved,remaining,gender\n")));

    // Another case study than the device's: refused whole, the last report stands.
    CHECK(postReport(collector, d, {{"7f000000-0000-4000-8000-000000000009", "south", "gender=man"}}) == 422);
    CHECK(unsyncedColumn(collector.dbPath()) == shown);
    // The next report replaces it.
    CHECK(postReport(collector, d, {{"7f000000-0000-4000-8000-000000000003", kCase, "gender=man"}}) == 200);
    shown = unsyncedColumn(collector.dbPath());
    CHECK(shown.value(QStringLiteral("gender=woman")) == 0);
    CHECK(shown.value(QStringLiteral("gender=man")) == 1);
}

TEST_CASE("@timeslot cells: the tablet reads the offset recorded with the start, as the collector's merge does", "[sync][quota]")
{
    // The plan's zone is UTC; the tablet said UTC+01:00. 11:30 UTC on a weekday is 12:30 on the
    // fieldworker's clock: afternoon, not the morning the plan's zone alone would give.
    QTemporaryDir dir{scratchTemplate()};
    Collector collector(dir.path());
    collector.addCaseStudy(kCase, QStringLiteral("North estate"));
    collector.publish(voxpopPath(), {kCase});
    QFile targets(dir.filePath(QStringLiteral("targets.csv")));
    REQUIRE(targets.open(QIODevice::WriteOnly));
    targets.write("@timeslot,target\nweekday_morning,5\nweekday_afternoon,1\n");
    targets.close();
    int code = -1;
    QString err;
    runKerbside({"quota", "set", kCase, "--form", "community-contracts-voxpop", "--by", "@timeslot", "--targets",
                 targets.fileName(), "--time-zone", "UTC", "--db", collector.dbPath()}, &code, &err);
    INFO(err.toStdString());
    REQUIRE(code == 0);
    REQUIRE(collector.start());
    Device d(dir.path(), QStringLiteral("tablet"), quickOptions());
    d.engine().enrol(collector.url(), collector.enrolmentCode(kCase));
    REQUIRE(d.engine().syncNow().result != SyncReport::Result::Failed); // fetches the plan
    const DeviceFieldwork f = deviceFieldwork(d.store(), kCase);
    REQUIRE(f.plan);
    REQUIRE(f.plan->timeZone == QByteArray("UTC"));

    // A recent weekday (the collector refuses starts far in the past or in the future).
    QDate day = QDate::currentDate().addDays(-7);
    while (day.dayOfWeek() >= 6)
        day = day.addDays(-1);
    const QDateTime started(day, QTime(11, 30), Qt::UTC);
    QRandomGenerator random(12);
    auto add = [&](std::optional<int> offset) {
        NewResponse r;
        r.formId = voxpopForm().id;
        r.formVersion = voxpopForm().version;
        r.caseStudy = kCase;
        r.enumerator = QStringLiteral("ana");
        r.deviceId = d.store().setting(QStringLiteral("device_id"));
        r.started = started;
        r.startedUtcOffset = offset;
        const QString uuid = d.store().createResponse(r);
        const QMap<QString, QString> answers = voxpopAnswers(random);
        for (auto it = answers.cbegin(); it != answers.cend(); ++it)
            d.store().setAnswer(uuid, it.key(), it.value());
        d.store().finalise(uuid, ResponseStatus::Complete);
        return uuid;
    };
    const QString plusOne = add(3600); // 12:30 local
    const QString atUtc = add(0);      // 11:30 local
    REQUIRE(d.store().response(plusOne)->meta.startedUtcOffset == 3600);
    const QString afternoon = QStringLiteral("@timeslot=weekday_afternoon");
    const QString morning = QStringLiteral("@timeslot=weekday_morning");

    // Home's count of this tablet's unsynced completes.
    const QMap<QString, qint64> mine = unsyncedQuotaCounts(d.store(), *f.plan);
    CHECK(mine == QMap<QString, qint64>{{afternoon, 1}, {morning, 1}});
    // The unsynced report's cells.
    QMap<QString, QString> reported;
    for (const UnsyncedCell &u : unsyncedCompletes(d.store()))
        reported.insert(u.uuid, u.cell);
    CHECK(reported.value(plusOne) == afternoon);
    CHECK(reported.value(atUtc) == morning);
    // The quota-full check: with the afternoon's one interview counted, the +01:00 start is in a
    // full cell; judged in the plan's zone alone it would be the morning, which still needs people.
    const QMap<QString, qint64> known = knownQuotaCounts(d.store(), f);
    const std::optional<Response> r = d.store().response(plusOne);
    auto answer = [&](const QString &q) { return r->answers.value(q); };
    CHECK(quota::fullCell(*f.plan, known, answer, r->meta.started, r->meta.startedUtcOffset) == afternoon);
    CHECK(quota::fullCell(*f.plan, known, answer, r->meta.started).isEmpty());

    // The collector's merge puts them in the same cells, and the tablet's figures agree after the sync.
    const SyncReport report = d.engine().syncNow();
    INFO(report.summary().toStdString());
    REQUIRE(report.result == SyncReport::Result::Ok);
    const QMap<QString, qint64> server = collectorCounts(collector.dbPath());
    CHECK(server.value(afternoon) == 1);
    CHECK(server.value(morning) == 1);
    CHECK(server == known);
    CHECK(knownQuotaCounts(d.store(), deviceFieldwork(d.store(), kCase)) == server);
}

TEST_CASE("by USB file: the collector counts the imported interviews and the acknowledgement file brings the counts back", "[sync][quota][usb]")
{
    QTemporaryDir dir{scratchTemplate()};
    Collector collector(dir.path());
    collector.addCaseStudy(kCase, QStringLiteral("North estate"));
    collector.publish(voxpopPath(), {kCase});
    QFile targets(dir.filePath(QStringLiteral("targets.csv")));
    REQUIRE(targets.open(QIODevice::WriteOnly));
    targets.write("gender,target\nwoman,4\nman,4\nother,1\n");
    targets.close();
    int code = -1;
    runKerbside({"quota", "set", kCase, "--form", "community-contracts-voxpop", "--by", "gender", "--targets",
                 targets.fileName(), "--db", collector.dbPath()}, &code);
    REQUIRE(code == 0);
    REQUIRE(collector.start());
    Device d(dir.path(), QStringLiteral("tablet"), quickOptions());
    d.engine().enrol(collector.url(), collector.enrolmentCode(kCase));
    REQUIRE(d.engine().syncNow().result != SyncReport::Result::Failed); // the plan, counts all 0
    const DeviceFieldwork before = deviceFieldwork(d.store(), kCase);
    REQUIRE(before.plan);

    // Offline: five interviews, carried on a USB stick and imported.
    d.addInterviews(5, kCase, 21);
    const QMap<QString, qint64> offline = knownQuotaCounts(d.store(), before);
    const QString file = dir.filePath(QStringLiteral("tablet.kbatch"));
    REQUIRE(d.engine().writeBatchFile(file).ok());
    collector.importFile(file, &code);
    REQUIRE(code == 0);
    const QMap<QString, qint64> server = collectorCounts(collector.dbPath());
    CHECK(server == offline); // what the tablet showed offline is what the collector counted

    // The acknowledgement of that batch (the one the collector stored: a re-sent batch gets it
    // byte for byte) carries the counts; applied from a file, the tablet holds them, once.
    QFile in(file);
    REQUIRE(in.open(QIODevice::ReadOnly));
    const QByteArray batch = BatchFile::unwrap(in.readAll());
    SyncHttp http(collector.url(), quickOptions());
    http.setToken(d.store().setting(QStringLiteral("device_token")));
    const SyncHttp::Reply ack = http.post(QStringLiteral("/v1/batches"), batch);
    REQUIRE(ack.status == 200);
    const QString ackFile = dir.filePath(QStringLiteral("tablet.kack"));
    QFile out(ackFile);
    REQUIRE(out.open(QIODevice::WriteOnly));
    out.write(ack.body);
    out.close();
    CHECK(d.engine().applyAcknowledgementFile(ackFile).ok());
    const DeviceFieldwork after = deviceFieldwork(d.store(), kCase);
    CHECK(after.collectorCounts == server);
    CHECK(after.countsAsOf >= before.countsAsOf);
    CHECK(unsyncedQuotaCounts(d.store(), *after.plan).isEmpty());
    CHECK(knownQuotaCounts(d.store(), after) == server); // not counted twice
}
