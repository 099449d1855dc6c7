// SPDX-License-Identifier: Apache-2.0
// Quota counters kept at merge, on SQLite and PostgreSQL: each complete interview counted once,
// a revision that changes cell moves its count, duplicates and conflicts never count twice,
// six tablets syncing in any order (at once, twice, and by USB file) give exact counts, and
// overshoot is reported, never refused. Case-study areas are versioned and checked.
#include <catch2/catch.hpp>

#include "areahistory.h"
#include "batchcodec.h"
#include "batchfile.h"
#include "collectorstore.h"
#include "credentials.h"
#include "fieldworkwire.h"
#include "kerbside/v1/sync.pb.h"
#include "postgrestestdb.h"
#include "syncsamples.h"
#include "voxpopform.h"
#include "testpaths.h"

#include <QFile>
#include <QProcess>
#include <QRandomGenerator>
#include <QTemporaryDir>

#include <cmath>
#include <numeric>
#include <random>
#include <thread>

using namespace kerbside;
using namespace kerbside::test;

namespace {

const QString kCs = QStringLiteral("leeds");
const QStringList kGenders{QStringLiteral("woman"), QStringLiteral("man"), QStringLiteral("other")};
const QStringList kAges{QStringLiteral("a35_44"), QStringLiteral("a55_64")};

// Quotas by gender x age band x time slot on the sample form (voxpop_council).
quota::Plan samplePlan(qint64 targetEach = 10)
{
    quota::Plan p;
    p.caseStudy = kCs;
    p.formId = QStringLiteral("voxpop_council");
    p.dimensions = {{QStringLiteral("gender"), kGenders}, {QStringLiteral("age_band"), kAges},
                    {QString::fromLatin1(quota::kTimeslot), quota::timeslotNames()}};
    p.timeZone = "Europe/London";
    for (const QString &cell : p.cells())
        p.targets.insert(cell, targetEach);
    return p;
}

// Tuesday 3 November 2026, 10:00 London (GMT): weekday_morning.
const QDateTime kMorning(QDate(2026, 11, 3), QTime(10, 0), Qt::UTC);

Response sampleResponse(int i, const QString &device, const QString &gender, const QString &age)
{
    Response r = voxpopResponse(i, kCs, device);
    r.meta.started = kMorning.addSecs(i);
    r.meta.ended = r.meta.started.addSecs(200);
    r.meta.updated = r.meta.ended;
    r.answers[QStringLiteral("gender")] = gender;
    r.answers[QStringLiteral("age_band")] = age;
    return r;
}

QString cellOf(const QString &gender, const QString &age)
{
    return QStringLiteral("gender=%1;age_band=%2;@timeslot=weekday_morning").arg(gender, age);
}

struct Fixture
{
    QTemporaryDir dir;
    TestCollectorDb db;
    std::unique_ptr<CollectorStore> store;
    explicit Fixture(const std::string &backend) : db(backend, dir.path()), store(openCollectorStore(db.location()))
    {
        store->addCaseStudy(kCs, QStringLiteral("Leeds"));
        publishVoxpop(*store, {kCs}); // only responses to a published form version are merged
    }
    MergeResult merge(const OutboxBatch &outbox, const QString &device = QStringLiteral("dev-test"), quint64 sequence = 1)
    {
        const QByteArray raw = BatchCodec::encode(header(device, sequence), outbox, voxpopTypes());
        return store->mergeBatch(BatchCodec::decode(raw), raw, QStringLiteral("http"), QDateTime::currentDateTimeUtc());
    }
    QMap<QString, qint64> achieved()
    {
        QMap<QString, qint64> out;
        for (const QuotaStatus &s : store->quotaStatus(kCs)) {
            for (const QuotaCellStatus &c : s.cells) {
                if (c.achieved)
                    out.insert(c.cell, c.achieved);
            }
        }
        return out;
    }
    // The same figures by scanning every current response: what the counters must equal.
    QMap<QString, qint64> recount()
    {
        const quota::Plan plan = *store->quotaPlan(kCs);
        QMap<QString, qint64> out;
        store->forEachResponse(kCs, [&](const StoredResponse &r) {
            if (r.meta.status != ResponseStatus::Complete || r.meta.formId != plan.formId)
                return true;
            const QString cell = plan.cellOf([&](const QString &q) {
                for (const TypedAnswer &a : r.answers) {
                    if (a.question == q)
                        return a.value;
                }
                return QString();
            }, r.meta.started, r.meta.startedUtcOffset);
            if (!cell.isEmpty())
                ++out[cell];
            return true;
        });
        return out;
    }
};

} // namespace

TEST_CASE("@timeslot counts at merge read the tablet's recorded clock, and a revision moves the count", "[sync][quota]")
{
    KERBSIDE_FOR_EACH_COLLECTOR_BACKEND(backend);
    Fixture f(backend);
    f.store->setQuotaPlan(samplePlan());
    // 10:00 UTC: morning in London, the plan's zone. A tablet at UTC+03:00 saw 13:00 (afternoon);
    // one at UTC-05:00 saw 05:00 (no slot, no cell); one that recorded nothing falls back to London.
    Response east = sampleResponse(0, QStringLiteral("dev-test"), kGenders[0], kAges[0]);
    east.meta.startedUtcOffset = 3 * 3600;
    Response west = sampleResponse(1, QStringLiteral("dev-test"), kGenders[0], kAges[0]);
    west.meta.startedUtcOffset = -5 * 3600;
    Response unknown = sampleResponse(2, QStringLiteral("dev-test"), kGenders[0], kAges[0]);
    OutboxBatch b;
    b.responses = {east, west, unknown};
    f.merge(b, QStringLiteral("dev-test"), 1);
    const QString afternoon = QStringLiteral("gender=%1;age_band=%2;@timeslot=weekday_afternoon").arg(kGenders[0], kAges[0]);
    CHECK(f.achieved() == QMap<QString, qint64>{{afternoon, 1}, {cellOf(kGenders[0], kAges[0]), 1}});
    CHECK(f.recount() == f.achieved());
    // A revision of the eastern interview with the London offset moves its count to the morning:
    // the old version's cell is read with its own recorded offset.
    east.meta.revision = 2;
    east.meta.startedUtcOffset = 0;
    OutboxBatch revised;
    revised.responses = {east};
    f.merge(revised, QStringLiteral("dev-test"), 2);
    CHECK(f.achieved() == QMap<QString, qint64>{{cellOf(kGenders[0], kAges[0]), 2}});
    CHECK(f.recount() == f.achieved());
}

TEST_CASE("quota counters follow merges: new, duplicate, revision, stale revision, conflict", "[sync][quota]")
{
    KERBSIDE_FOR_EACH_COLLECTOR_BACKEND(backend);
    Fixture f(backend);
    const quota::Plan stored = f.store->setQuotaPlan(samplePlan());
    CHECK(stored.version == 1);

    OutboxBatch b;
    for (int i = 0; i < 6; ++i)
        b.responses.append(sampleResponse(i, QStringLiteral("dev-test"), kGenders[i % 2], kAges[0]));
    Response refused = sampleResponse(6, QStringLiteral("dev-test"), kGenders[0], kAges[0]);
    refused.meta.status = ResponseStatus::Refused;
    b.responses.append(refused);
    Response otherForm = sampleResponse(7, QStringLiteral("dev-test"), kGenders[0], kAges[0]);
    otherForm.meta.formId = QStringLiteral("another_form");
    b.responses.append(otherForm);
    Response night = sampleResponse(8, QStringLiteral("dev-test"), kGenders[0], kAges[0]);
    night.meta.started = kMorning.addSecs(-8 * 3600); // 02:00: no time slot, no cell
    b.responses.append(night);
    const MergeResult first = f.merge(b, QStringLiteral("dev-test"), 1);
    const QMap<QString, qint64> three{{cellOf(kGenders[0], kAges[0]), 3}, {cellOf(kGenders[1], kAges[0]), 3}};
    CHECK(f.achieved() == three);
    // The acknowledgement brings the counts back to the tablet (BatchAck.quota_counts).
    v1::BatchAck ack;
    REQUIRE(ack.ParseFromArray(first.ack.constData(), int(first.ack.size())));
    REQUIRE(ack.quota_counts_size() == 1);
    const v1::QuotaCounts &qc = ack.quota_counts(0);
    CHECK(qc.case_study() == "leeds");
    CHECK(qc.plan_version() == 1);
    REQUIRE(qc.cells_size() == 36);
    REQUIRE(qc.achieved_size() == 36);
    QMap<QString, qint64> fromAck;
    for (int i = 0; i < qc.cells_size(); ++i) {
        if (qc.achieved(i))
            fromAck.insert(QString::fromStdString(qc.cells(i)), qint64(qc.achieved(i)));
    }
    CHECK(fromAck == three);

    // The same batch again (replayed) and the same responses in a new batch (duplicates).
    const QByteArray raw = BatchCodec::encode(header(QStringLiteral("dev-test"), 2), b, voxpopTypes());
    f.store->mergeBatch(BatchCodec::decode(raw), raw, QStringLiteral("http"), QDateTime::currentDateTimeUtc());
    f.store->mergeBatch(BatchCodec::decode(raw), raw, QStringLiteral("usb"), QDateTime::currentDateTimeUtc());
    CHECK(f.achieved() == three);

    // Revision 2 of response 0 says "other": the count moves from woman to other.
    OutboxBatch v2;
    v2.responses = {b.responses[0]};
    v2.responses[0].meta.revision = 2;
    v2.responses[0].answers[QStringLiteral("gender")] = QStringLiteral("other");
    f.merge(v2, QStringLiteral("dev-test"), 3);
    QMap<QString, qint64> moved{{cellOf(kGenders[0], kAges[0]), 2}, {cellOf(kGenders[1], kAges[0]), 3},
                                {cellOf(kGenders[2], kAges[0]), 1}};
    CHECK(f.achieved() == moved);

    // Revision 1 again with other content (history) and revision 2 with other content
    // (conflict: the first stays current): neither moves anything.
    OutboxBatch late;
    late.responses = {b.responses[0]};
    late.responses[0].answers[QStringLiteral("age_band")] = kAges[1];
    CHECK(f.merge(late, QStringLiteral("dev-test"), 4).responses[0].outcome == MergeOutcome::Accepted);
    OutboxBatch clash = v2;
    clash.responses[0].answers[QStringLiteral("gender")] = QStringLiteral("man");
    CHECK(f.merge(clash, QStringLiteral("dev-test"), 5).responses[0].outcome == MergeOutcome::Conflict);
    CHECK(f.achieved() == moved);

    // A revision that leaves the cell (the interview turned out refused) takes its count away.
    OutboxBatch v3;
    v3.responses = {b.responses[1]};
    v3.responses[0].meta.revision = 3;
    v3.responses[0].meta.status = ResponseStatus::Refused;
    f.merge(v3, QStringLiteral("dev-test"), 6);
    moved[cellOf(kGenders[1], kAges[0])] = 2;
    CHECK(f.achieved() == moved);
    CHECK(f.achieved() == f.recount());

    // Status: most needed first, remaining and over-target per cell.
    const QuotaStatus s = f.store->quotaStatus(kCs).value(0);
    CHECK(s.totalTarget == 2 * 3 * 6 * 10);
    CHECK(s.totalAchieved == 5);
    CHECK(s.totalRemaining == s.totalTarget - 5);
    CHECK(s.cells.first().remaining() == 10);
    CHECK(s.cells.last().remaining() == 8);
}

TEST_CASE("quota set counts what is merged already, and a new version replaces the old", "[sync][quota]")
{
    KERBSIDE_FOR_EACH_COLLECTOR_BACKEND(backend);
    Fixture f(backend);
    OutboxBatch b;
    for (int i = 0; i < 9; ++i)
        b.responses.append(sampleResponse(i, QStringLiteral("dev-test"), kGenders[i % 3], kAges[i % 2]));
    f.merge(b);
    CHECK_THROWS_AS(f.store->quotaStatus(kCs), CollectorError); // no quotas yet
    f.store->setQuotaPlan(samplePlan());
    CHECK(f.achieved() == f.recount());
    CHECK(f.store->quotaStatus(kCs)[0].totalAchieved == 9);

    quota::Plan byGender;
    byGender.caseStudy = kCs;
    byGender.formId = QStringLiteral("voxpop_council");
    byGender.dimensions = {{QStringLiteral("gender"), kGenders}};
    byGender.mode = quota::Mode::Hard;
    byGender.targets = {{QStringLiteral("gender=woman"), 2}, {QStringLiteral("gender=man"), 5}, {QStringLiteral("gender=other"), 0}};
    CHECK(f.store->setQuotaPlan(byGender).version == 2);
    const QMap<QString, qint64> expected{{QStringLiteral("gender=woman"), 3}, {QStringLiteral("gender=man"), 3},
                                         {QStringLiteral("gender=other"), 3}};
    CHECK(f.achieved() == expected);
    const QuotaStatus s = f.store->quotaStatus(kCs)[0];
    CHECK(s.plan.mode == quota::Mode::Hard);
    CHECK(s.cells[0].cell == QStringLiteral("gender=man")); // 2 still needed
    CHECK(s.totalRemaining == 2);
    // Overshoot is reported: woman has 1 over, other 3 over (target 0, "not needed").
    for (const QuotaCellStatus &c : s.cells) {
        if (c.cell == QStringLiteral("gender=woman"))
            CHECK(c.over() == 1);
        if (c.cell == QStringLiteral("gender=other"))
            CHECK(c.over() == 3);
    }
    CHECK_THROWS_AS(f.store->setQuotaPlan([] { quota::Plan p = samplePlan(); p.caseStudy = QStringLiteral("nowhere"); return p; }()),
                    CollectorError);
}

TEST_CASE("six tablets offline sync in any order, at once, twice and by USB file: counts stay exact", "[sync][quota]")
{
    KERBSIDE_FOR_EACH_COLLECTOR_BACKEND(backend);
    Fixture f(backend);
    // Small targets: the tablets overshoot them offline, and nothing may be refused for it.
    f.store->setQuotaPlan(samplePlan(4));
    std::mt19937 rng(20261201);
    struct Upload
    {
        QString device;
        quint64 sequence;
        QByteArray raw;
    };
    QList<Upload> uploads;
    QHash<QString, QString> finalCell; // response UUID -> cell of its newest revision
    int responses = 0;
    for (int d = 0; d < 6; ++d) {
        const QString device = QStringLiteral("tablet-%1").arg(d + 1);
        // Enrolled: `kerbside import` refuses a file from a device the collector does not know.
        const QByteArray code = Credentials::hash(QStringLiteral("code-") + device);
        const QDateTime now = QDateTime::currentDateTimeUtc();
        f.store->addEnrolmentCode({code, kCs, now, now.addDays(1)});
        f.store->redeemEnrolmentCode(code, now, device, Credentials::hash(QStringLiteral("token-") + device), {});
        QList<Response> held;
        for (quint64 seq = 1; seq <= 3; ++seq) {
            OutboxBatch b;
            for (int i = 0; i < 15; ++i) {
                Response r = sampleResponse(responses++, device, kGenders[rng() % 3], kAges[rng() % 2]);
                finalCell.insert(r.meta.uuid, cellOf(r.answers[QStringLiteral("gender")], r.answers[QStringLiteral("age_band")]));
                held.append(r);
                b.responses.append(r);
            }
            // Later batches revise two interviews of the batch before (another gender, maybe
            // another cell) and re-send a third as it was (a duplicate).
            if (seq > 1) {
                const int base = int(seq - 2) * 15, x = int(rng() % 5), y = 5 + int(rng() % 5), z = 10 + int(rng() % 5);
                for (int k : {x, y}) {
                    Response &r = held[base + k];
                    r.meta.revision += 1;
                    r.answers[QStringLiteral("gender")] = kGenders[rng() % 3];
                    finalCell.insert(r.meta.uuid, cellOf(r.answers[QStringLiteral("gender")], r.answers[QStringLiteral("age_band")]));
                    b.responses.append(r);
                }
                b.responses.append(held[base + z]);
            }
            uploads.append({device, seq, BatchCodec::encode(header(device, seq), b, voxpopTypes())});
        }
    }
    QMap<QString, qint64> expected;
    for (const QString &cell : finalCell)
        ++expected[cell];

    // First round: every batch, shuffled, from six threads at once; a third by USB file through
    // `kerbside import` (its own process and connection).
    std::shuffle(uploads.begin(), uploads.end(), rng);
    QTemporaryDir usb;
    QStringList files;
    std::vector<std::thread> threads;
    std::atomic<int> refused{0};
    for (int t = 0; t < 6; ++t) {
        threads.emplace_back([&, t] {
            for (qsizetype i = t; i < uploads.size(); i += 6) {
                if (i % 3 == 2)
                    continue;
                const MergeResult r = f.store->mergeBatch(BatchCodec::decode(uploads[i].raw), uploads[i].raw,
                                                          QStringLiteral("http"), QDateTime::currentDateTimeUtc());
                refused += r.count(MergeOutcome::Rejected);
            }
        });
    }
    for (qsizetype i = 2; i < uploads.size(); i += 3) {
        const QString path = usb.filePath(QStringLiteral("batch-%1.kbatch").arg(i));
        QFile out(path);
        REQUIRE(out.open(QIODevice::WriteOnly));
        out.write(BatchFile::wrap(uploads[i].raw, uploads[i].device));
        out.close();
        files.append(path);
    }
    QProcess import;
    import.start(binaryPath(QStringLiteral("bin/kerbside")), QStringList{QStringLiteral("import")} + files
                                                                  + QStringList{QStringLiteral("--db"), f.db.location()});
    REQUIRE(import.waitForFinished(120000));
    INFO(import.readAllStandardError().toStdString());
    CHECK(import.exitCode() == 0);
    for (std::thread &t : threads)
        t.join();
    CHECK(refused == 0);
    CHECK(f.achieved() == expected);

    // Second round, in reverse order: every batch is a replay, nothing changes.
    std::reverse(uploads.begin(), uploads.end());
    for (const Upload &u : uploads) {
        const MergeResult r = f.store->mergeBatch(BatchCodec::decode(u.raw), u.raw, QStringLiteral("usb"), QDateTime::currentDateTimeUtc());
        CHECK(r.replayed);
    }
    CHECK(f.achieved() == expected);
    CHECK(f.achieved() == f.recount());
    const QuotaStatus s = f.store->quotaStatus(kCs)[0];
    CHECK(s.totalAchieved == qint64(finalCell.size()));
    qint64 over = 0;
    for (const QuotaCellStatus &c : s.cells)
        over += c.over();
    CHECK(over > 0); // 90 interviews in 6 cells of target 4: overshoot, reported
}

TEST_CASE("case-study areas are versioned, and anything but a WGS84 polygon is refused with its line", "[sync][quota]")
{
    KERBSIDE_FOR_EACH_COLLECTOR_BACKEND(backend);
    Fixture f(backend);
    const QByteArray square = R"({"type":"Polygon","coordinates":[[[-1.56,53.79],[-1.54,53.79],[-1.54,53.81],[-1.56,53.81],[-1.56,53.79]]]})";
    CHECK(f.store->setCaseStudyArea(kCs, square, QStringLiteral("leeds.geojson")) == 1);
    CHECK(f.store->setCaseStudyArea(kCs, square, QStringLiteral("leeds.geojson")) == 2);
    try {
        f.store->setCaseStudyArea(kCs, "{\"type\":\"Polygon\",\n\"coordinates\":[[[0,0],[1,0],[0,0]]]}", QStringLiteral("bad.geojson"));
        FAIL("refused expected");
    } catch (const CollectorError &e) {
        CHECK(e.code() == CollectorError::Code::Invalid);
        CHECK_THAT(e.message().toStdString(), Catch::StartsWith("bad.geojson line 2"));
        CHECK_THAT(e.message().toStdString(), Catch::Contains("at least 4 positions"));
    }
    CHECK_THROWS_AS(f.store->setCaseStudyArea(QStringLiteral("nowhere"), square, QStringLiteral("x")), CollectorError);
    const QList<AreaRecord> areas = f.store->caseStudyAreas(kCs);
    REQUIRE(areas.size() == 2);
    CHECK(areas[1].version == 2);
    CHECK(areas[1].geojson == square);

    f.store->setPopulationMargin(kCs, QStringLiteral("gender"), {{QStringLiteral("woman"), 0.52}, {QStringLiteral("man"), 0.48}});
    f.store->setPopulationMargin(kCs, QStringLiteral("gender"), {{QStringLiteral("woman"), 0.5}, {QStringLiteral("man"), 0.5}});
    const QList<quota::Margin> margins = f.store->populationMargins(kCs);
    REQUIRE(margins.size() == 1);
    CHECK(margins[0].shares.value(QStringLiteral("woman")) == 0.5);

    // What a tablet gets with its forms: quotas, the current area and the counters.
    f.store->setQuotaPlan(samplePlan(3));
    v1::FormManifest manifest;
    addFieldworkPlans(*f.store, {kCs}, &manifest);
    REQUIRE(manifest.plans_size() == 1);
    const v1::FieldworkPlan &wire = manifest.plans(0);
    CHECK(wire.case_study() == "leeds");
    CHECK(wire.area_version() == 2);
    CHECK(QByteArray::fromStdString(wire.area_geojson()) == square);
    const quota::Plan back = quota::Plan::fromJson(QByteArray::fromStdString(wire.quota_plan()));
    CHECK(back.version == 1);
    CHECK(back.targets == samplePlan(3).targets);
    CHECK(wire.counts().cells_size() == 36);
    CHECK(wire.counts().plan_version() == 1);
}

TEST_CASE("an interview is judged against the area version current when it started", "[sync][quota]")
{
    // Version 1 (from 1 Dec 09:00 UTC): a square of 0.02 degrees; version 2 (from 14:00): its
    // western half. A fix in the eastern half is inside for an interview started before 14:00
    // and outside for one started after, whenever either is merged or exported.
    const QDateTime v1(QDate(2026, 12, 1), QTime(9, 0), Qt::UTC), v2(QDate(2026, 12, 1), QTime(14, 0), Qt::UTC);
    const QList<AreaRecord> versions{
        {kCs, 1, R"({"type":"Polygon","coordinates":[[[-1.56,53.79],[-1.54,53.79],[-1.54,53.81],[-1.56,53.81],[-1.56,53.79]]]})", v1},
        {kCs, 2, R"({"type":"Polygon","coordinates":[[[-1.56,53.79],[-1.55,53.79],[-1.55,53.81],[-1.56,53.81],[-1.56,53.79]]]})", v2}};
    const AreaHistory areas(versions);
    const double lat = 53.80, east = -1.545, west = -1.555;
    using Place = AreaHistory::Place;
    CHECK(areas.judge(v2.addSecs(-1), lat, east) == Place::Inside);
    CHECK(areas.judge(v2, lat, east) == Place::Outside); // current from its creation on
    CHECK(areas.judge(v2.addSecs(3600), lat, east) == Place::Outside);
    CHECK(areas.judge(v2.addSecs(3600), lat, west) == Place::Inside);
    CHECK(areas.judge(v1.addSecs(-3600), lat, east) == Place::Inside); // before any version: the first
    CHECK(areas.judge(v2, std::nan(""), east) == Place::Unknown);      // no fix
    CHECK(AreaHistory().judge(v2, lat, east) == Place::Unknown);        // no area
    // Order of the stored versions does not matter, nor does an unreadable one.
    const AreaHistory reversed({versions[1], {kCs, 3, "{not json", v2.addSecs(60)}, versions[0]});
    CHECK(reversed.judge(v2.addSecs(-1), lat, east) == Place::Inside);
    CHECK(reversed.judge(v2.addSecs(3600), lat, east) == Place::Outside);
}

TEST_CASE("devices' reports of unsynced completes count per cell until merged, on both backends", "[sync][quota]")
{
    KERBSIDE_FOR_EACH_COLLECTOR_BACKEND(backend);
    Fixture f(backend);
    f.store->setQuotaPlan(samplePlan());
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (const QString &device : {QStringLiteral("tab-a"), QStringLiteral("tab-b")}) {
        const QByteArray code = Credentials::hash(QStringLiteral("code-") + device);
        f.store->addEnrolmentCode({code, kCs, now, now.addDays(1)});
        f.store->redeemEnrolmentCode(code, now, device, Credentials::hash(QStringLiteral("token-") + device), {});
    }
    const Response r1 = sampleResponse(1, QStringLiteral("tab-a"), kGenders[0], kAges[0]);
    const Response r2 = sampleResponse(2, QStringLiteral("tab-a"), kGenders[0], kAges[0]);
    const Response r3 = sampleResponse(3, QStringLiteral("tab-b"), kGenders[1], kAges[1]);
    const QString woman = cellOf(kGenders[0], kAges[0]), man = cellOf(kGenders[1], kAges[1]);
    f.store->recordDeviceReport(QStringLiteral("tab-a"), {{r1.meta.uuid, kCs, woman}, {r2.meta.uuid, kCs, woman},
                                                          {QStringLiteral("no-cell"), kCs, QString()}});
    f.store->recordDeviceReport(QStringLiteral("tab-b"), {{r3.meta.uuid, kCs, man}, {r3.meta.uuid, kCs, man}});
    auto unsynced = [&] {
        QMap<QString, qint64> out;
        const QuotaStatus s = f.store->quotaStatus(kCs).value(0);
        for (const QuotaCellStatus &c : s.cells) {
            if (c.unsynced)
                out.insert(c.cell, c.unsynced);
        }
        CHECK(s.totalUnsynced == std::accumulate(out.begin(), out.end(), qint64(0)));
        return out;
    };
    CHECK(unsynced() == QMap<QString, qint64>{{woman, 2}, {man, 1}});
    CHECK(f.achieved().isEmpty());

    // tab-a syncs r1: it moves from unsynced to achieved, never counted twice.
    OutboxBatch b;
    b.responses = {r1};
    f.merge(b, QStringLiteral("tab-a"), 1);
    CHECK(unsynced() == QMap<QString, qint64>{{woman, 1}, {man, 1}});
    CHECK(f.achieved() == QMap<QString, qint64>{{woman, 1}});
    // A new report replaces the device's last one; the other device's stands.
    f.store->recordDeviceReport(QStringLiteral("tab-a"), {});
    CHECK(unsynced() == QMap<QString, qint64>{{man, 1}});
    // Checked: the device's own case studies only, and a bounded size.
    CHECK_THROWS_AS(f.store->recordDeviceReport(QStringLiteral("tab-a"), {{QStringLiteral("x"), QStringLiteral("york"), woman}}),
                    CollectorError);
    CHECK_THROWS_AS(f.store->recordDeviceReport(QStringLiteral("nobody"), {}), CollectorError);
    QList<UnsyncedComplete> many(CollectorStore::kMaxUnsynced + 1, UnsyncedComplete{QStringLiteral("u"), kCs, woman});
    CHECK_THROWS_AS(f.store->recordDeviceReport(QStringLiteral("tab-b"), many), CollectorError);
    CHECK(unsynced() == QMap<QString, qint64>{{man, 1}});
}
