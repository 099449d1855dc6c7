// SPDX-License-Identifier: Apache-2.0
// The fieldwork plan reaches a real tablet store through a real `kerbside serve`: quotas and
// area with the forms, the collector's quota counts with every acknowledgement, kept on the
// device as of its last sync.
#include <catch2/catch.hpp>

#include "test_syncclient_harness.h"

#include "fieldworkstate.h"
#include "quota/quotaprogress.h"

#include <QFile>
#include <QTemporaryDir>

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
