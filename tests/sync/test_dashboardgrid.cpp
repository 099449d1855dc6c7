// SPDX-License-Identifier: Apache-2.0
// The dashboard's grid and fieldworker counters kept at merge (dashboardgrid.cpp), on both
// backends: exact counts after merges, revisions, a resolved conflict, a new area, and the
// schema step that fills them from what is held.
#include <catch2/catch.hpp>

#include "batchcodec.h"
#include "collectorstore.h"
#include "postgresconnection.h"
#include "postgrestestdb.h"
#include "sqliteconnection.h"
#include "syncsamples.h"
#include "version10paradata.h"
#include "voxpopform.h"

#include <QTemporaryDir>

using namespace kerbside;
using namespace kerbside::test;

namespace {

// A 0.02-degree square round the samples' positions (51.5297, -2.6093).
const char kArea[] = R"({"type":"Polygon","coordinates":[[[-2.62,51.52],[-2.60,51.52],[-2.60,51.54],[-2.62,51.54],[-2.62,51.52]]]})";

struct Fixture
{
    QTemporaryDir dir;
    TestCollectorDb db;
    std::unique_ptr<CollectorStore> store;
    quint64 sequence = 0;
    explicit Fixture(const std::string &backend) : db(backend, dir.path()), store(openCollectorStore(db.location()))
    {
        store->addCaseStudy(QStringLiteral("leeds"), QStringLiteral("Leeds"));
        store->addCaseStudy(QStringLiteral("york"), QStringLiteral("York"));
        test::publishVoxpop(*store, {QStringLiteral("leeds"), QStringLiteral("york")});
    }
    MergeResult merge(const OutboxBatch &outbox)
    {
        const QByteArray raw = BatchCodec::encode(header(QStringLiteral("dev-test"), ++sequence), outbox, voxpopTypes());
        return store->mergeBatch(BatchCodec::decode(raw), raw, QStringLiteral("http"), QDateTime::currentDateTimeUtc());
    }
    // Sums of the cells at a zoom: {all, inside, outside, contacts}.
    std::array<qint64, 4> cells(int zoom, const GeoBox &box = {})
    {
        std::array<qint64, 4> sum{};
        for (const MapCell &c : store->gridCells(QStringLiteral("leeds"), box, zoom, nullptr)) {
            sum[0] += c.count;
            sum[1] += c.inside;
            sum[2] += c.outside;
            sum[3] += c.contacts;
        }
        return sum;
    }
    FieldworkerStats worker(qint64 tooFastMs = 300000, int manyChanges = 2)
    {
        const QList<FieldworkerStats> all = store->fieldworkerStats({QStringLiteral("leeds")}, tooFastMs, manyChanges, false);
        REQUIRE(all.size() == 1);
        return all.first();
    }
};

// Ten interviews: lengths 60, 120, ... 600 s; 0-6 inside the area, 7-8 about 5 km east
// (outside), 9 without a fix; 0-2 with three changed answers. Two contacts inside the area.
OutboxBatch sample()
{
    OutboxBatch b = voxpopBatch(10, 2);
    for (int i = 0; i < 10; ++i) {
        ResponseMeta &m = b.responses[i].meta;
        m.ended = m.started.addSecs(60 * (i + 1));
        m.updated = m.ended;
        QList<ParadataEvent> events;
        for (int k = 0; i < 3 && k < 3; ++k)
            events.append({m.uuid, m.started.addSecs(k + 1), ParadataEvent::Kind::Changed, QStringLiteral("sat_waste"), {}});
        b.paradata.append(events);
    }
    b.responses[7].meta.location.longitude = -2.53;
    b.responses[8].meta.location.longitude = -2.53;
    b.responses[9].meta.location = Location{};
    for (ContactEntry &c : b.contacts) {
        c.location.latitude = 51.53;
        c.location.longitude = -2.61;
    }
    return b;
}

} // namespace

TEST_CASE("grid and fieldworker counters follow merges, revisions and resolved conflicts", "[sync][collector][web]")
{
    KERBSIDE_FOR_EACH_COLLECTOR_BACKEND(backend);
    Fixture f(backend);
    f.store->setCaseStudyArea(QStringLiteral("leeds"), kArea, QStringLiteral("area.geojson"));
    OutboxBatch b = sample();
    f.merge(b);

    // Every zoom level sums to the same: 9 interviews and 2 contacts with a fix.
    for (int zoom : {0, 3, 7, 10, 13, 18})
        CHECK(f.cells(zoom) == std::array<qint64, 4>{11, 9, 2, 2});
    CHECK(f.store->gridTotal(QStringLiteral("leeds"), GeoBox{}, 14) == 11);
    // A box round the area only (finest level: cells of 0.0027 degrees) leaves the two east.
    CHECK(f.cells(14, GeoBox{51.52, -2.62, 51.54, -2.60})[0] == 9);
    CHECK(f.cells(14, GeoBox{10, 10, 11, 11})[0] == 0);
    CHECK(f.store->gridCells(QStringLiteral("york"), GeoBox{}, 0, nullptr).isEmpty());
    double size = 0;
    const QList<MapCell> coarse = f.store->gridCells(QStringLiteral("leeds"), GeoBox{}, 0, &size);
    CHECK(size == Approx(45.0 / 4));
    REQUIRE(coarse.size() == 1);
    CHECK(coarse.first().latitude == Approx(45.0 + 45.0 / 8));
    const std::optional<GeoBox> e = f.store->mapExtent(QStringLiteral("leeds"));
    REQUIRE(e);
    CHECK(e->south <= 51.529688);
    CHECK(e->south > 51.529688 - 45.0 / 16384);
    CHECK(e->east >= -2.53);

    FieldworkerStats w = f.worker();
    CHECK(w.enumerator == QStringLiteral("enumerator-07"));
    CHECK(w.interviews == 10);
    CHECK(w.tooFast == 4);         // 60, 120, 180, 240 s < 300 s
    CHECK(w.manyChanges == 3);     // three changes > 2
    CHECK(w.outsideArea == 2);
    CHECK(w.noFix == 1);
    CHECK(w.medianMs == 362500);   // the upper median, 360 s, to its 5 s bucket
    CHECK(f.worker(301000).tooFast == 4); // the threshold is rounded down to 5 s: 300 s
    CHECK(f.worker(305000).tooFast == 5);
    const QList<FieldworkerStats> days = f.store->fieldworkerStats({}, 300000, 2, true, QStringLiteral("enumerator-07"));
    REQUIRE(days.size() == 1);
    CHECK(days.first().day == b.responses[0].meta.started.date().toString(Qt::ISODate));
    CHECK(days.first().medianMs == 362500);
    CHECK(f.store->fieldworkerStats({QStringLiteral("york")}, 300000, 2, false).isEmpty());

    // Replayed and duplicate items count nothing.
    f.merge(b);
    CHECK(f.cells(0)[0] == 11);
    CHECK(f.worker().interviews == 10);

    // A revision moves interview 0 out of the area, makes it 20 minutes long and refused.
    OutboxBatch revised;
    revised.responses.append(b.responses[0]);
    revised.paradata.append(QList<ParadataEvent>{});
    Response &r = revised.responses[0];
    r.meta.revision = 2;
    r.meta.status = ResponseStatus::Refused;
    r.meta.location.longitude = -2.53;
    r.meta.ended = r.meta.started.addSecs(1200);
    r.meta.updated = r.meta.ended;
    f.merge(revised);
    CHECK(f.cells(5) == std::array<qint64, 4>{11, 8, 3, 2});
    w = f.worker();
    CHECK(w.interviews == 10);
    CHECK(w.tooFast == 3);
    CHECK(w.manyChanges == 2);
    CHECK(w.outsideArea == 3);
    CHECK(w.medianMs == 422500); // 420 s now
    qint64 refused = 0;
    for (const MapCell &c : f.store->gridCells(QStringLiteral("leeds"), GeoBox{51.52, -2.54, 51.54, -2.52}, 14, nullptr))
        refused += c.count;
    CHECK(refused == 3); // the two east and the one moved there

    // A conflict (same revision, other content, back inside without a fix) counts nothing until
    // the coordinator chooses it; then the counts move.
    OutboxBatch other = revised;
    other.responses[0].meta.location = Location{};
    other.responses[0].answers[QStringLiteral("sat_parks")] = QStringLiteral("1");
    REQUIRE(f.merge(other).count(MergeOutcome::Conflict) == 1);
    CHECK(f.cells(5)[0] == 11);
    f.store->resolveConflict(f.store->conflicts().first().id, true, QStringLiteral("ann"), QDateTime::currentDateTimeUtc());
    CHECK(f.cells(5) == std::array<qint64, 4>{10, 8, 2, 2});
    w = f.worker();
    CHECK(w.outsideArea == 2);
    CHECK(w.noFix == 2);
}

TEST_CASE("a new area re-judges the grid's inside and outside counts", "[sync][collector][web]")
{
    KERBSIDE_FOR_EACH_COLLECTOR_BACKEND(backend);
    Fixture f(backend);
    f.merge(sample());
    CHECK(f.cells(8) == std::array<qint64, 4>{11, 0, 0, 2}); // no area yet: neither
    CHECK(f.worker().outsideArea == 0);
    f.store->setCaseStudyArea(QStringLiteral("leeds"), kArea, QStringLiteral("area.geojson"));
    CHECK(f.cells(8) == std::array<qint64, 4>{11, 9, 2, 2});
    const FieldworkerStats w = f.worker();
    CHECK(w.outsideArea == 2);
    CHECK(w.noFix == 1);
    CHECK(w.interviews == 10); // lengths and changes are not touched
    CHECK(w.manyChanges == 3);
}

TEST_CASE("schema step 8 fills the grid and fieldworker counters from what is held", "[sync][collector][web]")
{
    KERBSIDE_FOR_EACH_COLLECTOR_BACKEND(backend);
    std::array<qint64, 4> before14, before0;
    FieldworkerStats wBefore;
    QTemporaryDir dir;
    TestCollectorDb db(backend, dir.path());
    {
        auto store = openCollectorStore(db.location());
        store->addCaseStudy(QStringLiteral("leeds"), QStringLiteral("Leeds"));
        test::publishVoxpop(*store, {QStringLiteral("leeds")});
        store->setCaseStudyArea(QStringLiteral("leeds"), kArea, QStringLiteral("area.geojson"));
        const OutboxBatch b = sample();
        const QByteArray raw = BatchCodec::encode(header(QStringLiteral("dev-test"), 1), b, voxpopTypes());
        store->mergeBatch(BatchCodec::decode(raw), raw, QStringLiteral("http"), QDateTime::currentDateTimeUtc());
        auto sums = [&](int zoom) {
            std::array<qint64, 4> s{};
            for (const MapCell &c : store->gridCells(QStringLiteral("leeds"), GeoBox{}, zoom, nullptr))
                s = {s[0] + c.count, s[1] + c.inside, s[2] + c.outside, s[3] + c.contacts};
            return s;
        };
        before14 = sums(14);
        before0 = sums(0);
        wBefore = store->fieldworkerStats({}, 300000, 2, false).value(0);
        CHECK(before14 == std::array<qint64, 4>{11, 9, 2, 2});
    }
    // Back to version 7: the step's tables gone, the paradata a table again (step 11 packs them).
    unpackParadataToVersion10(db.location(), db.isPostgres());
    const char *drop = "DROP TABLE dashboard_grid; DROP TABLE fieldworker_counts; DROP TABLE device_syncs; DROP TABLE device_forms;"
                       " DROP TABLE start_counts; DROP TABLE question_counts; DROP TABLE response_flags;"
                       " UPDATE collector_meta SET value = '7' WHERE key = 'schema_version'";
    if (db.isPostgres()) {
        PgConnection pg(db.location());
        pg.exec(drop);
    } else {
        SqliteConnection c(db.location());
        c.exec(drop);
    }
    auto store = openCollectorStore(db.location());
    auto sums = [&](int zoom) {
        std::array<qint64, 4> s{};
        for (const MapCell &c : store->gridCells(QStringLiteral("leeds"), GeoBox{}, zoom, nullptr))
            s = {s[0] + c.count, s[1] + c.inside, s[2] + c.outside, s[3] + c.contacts};
        return s;
    };
    CHECK(sums(14) == before14); // judged against the area when the store opened
    CHECK(sums(0) == before0);
    const FieldworkerStats w = store->fieldworkerStats({}, 300000, 2, false).value(0);
    CHECK(w.interviews == wBefore.interviews);
    CHECK(w.tooFast == wBefore.tooFast);
    CHECK(w.manyChanges == wBefore.manyChanges);
    CHECK(w.outsideArea == wBefore.outsideArea);
    CHECK(w.noFix == wBefore.noFix);
    CHECK(w.medianMs == wBefore.medianMs);
}
