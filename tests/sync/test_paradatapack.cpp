// SPDX-License-Identifier: Apache-2.0
// The packed paradata of schema 11 (sync/collector/paradatapack.h): the codec round-trips every
// event and refuses damaged packs by name; the upgrade from version 10 converts the `paradata`
// table in place on both backends with every event the same (or, meeting damage, changes
// nothing and names the version); `kerbside migrate` copies the packs to PostgreSQL.
#include <catch2/catch.hpp>

#include "answerdictionary.h"
#include "batchcodec.h"
#include "collectorprocess.h"
#include "collectorstore.h"
#include "collectortypes.h"
#include "paradatapack.h"
#include "postgresconnection.h"
#include "postgrestestdb.h"
#include "sqliteconnection.h"
#include "syncsamples.h"
#include "version10paradata.h"
#include "voxpopform.h"

#include "form/formloader.h"

#include <QFile>
#include <QTemporaryDir>

#include <algorithm>

using namespace kerbside;
using namespace kerbside::test;

namespace {

const QDateTime kStart = QDateTime::fromMSecsSinceEpoch(1793324562498LL, Qt::UTC);

QList<ParadataEvent> sampleEvents()
{
    return {{{}, kStart.addMSecs(1200), ParadataEvent::Kind::Shown, QStringLiteral("consent"), {}},
            {{}, kStart.addMSecs(4100), ParadataEvent::Kind::Changed, QStringLiteral("consent"), {}},
            {{}, kStart.addMSecs(4100), ParadataEvent::Kind::LanguageSwitched, {}, QStringLiteral("pl")},
            {{}, kStart.addMSecs(3000), ParadataEvent::Kind::Resumed, {}, {}}, // the clock went back
            {{}, QDateTime(), ParadataEvent::Kind::Changed, QStringLiteral("member[2]/age"), QStringLiteral("ø ✓")},
            {{}, kStart.addMSecs(-5000), ParadataEvent::Kind::Shown, QStringLiteral("age_band"), {}},
            {{}, kStart.addDays(3), ParadataEvent::Kind::Finalised, {}, {}}};
}

bool sameEvents(const QList<ParadataEvent> &a, const QList<ParadataEvent> &b)
{
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i) {
        if (a[i].time.isValid() != b[i].time.isValid() || (a[i].time.isValid() && a[i].time != b[i].time)
            || a[i].kind != b[i].kind || a[i].question != b[i].question || a[i].detail != b[i].detail)
            return false;
    }
    return true;
}

QByteArray varint(quint64 v)
{
    QByteArray out;
    for (; v >= 0x80; v >>= 7)
        out.append(char(v | 0x80));
    return out + char(v);
}

quint64 zigzag(qint64 v)
{
    return (quint64(v) << 1) ^ quint64(v >> 63);
}

// What the refusal of `packed` says (empty when it unpacks).
QString refusal(const QByteArray &packed, const AnswerDictionary *d)
{
    QList<ParadataEvent> out;
    try {
        paradatapack::unpackStored(packed, &out, QStringLiteral("c.sqlite"), 7, d, kStart);
    } catch (const CollectorError &e) {
        CHECK(out.isEmpty());
        return e.message();
    }
    return {};
}

// Each current interview's paradata, by UUID, as the dashboard's timeline reads them.
QMap<QString, QList<ParadataRow>> timelines(CollectorStore &store)
{
    InterviewFilter all;
    all.limit = 1000;
    QMap<QString, QList<ParadataRow>> out;
    for (const InterviewRow &r : store.interviews(all))
        out.insert(r.uuid, store.interviewParadata(r.versionId));
    return out;
}

bool sameRows(const QList<ParadataRow> &a, const QList<ParadataRow> &b)
{
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i) {
        if (a[i].time != b[i].time || a[i].kind != b[i].kind || a[i].question != b[i].question || a[i].detail != b[i].detail)
            return false;
    }
    return true;
}

// 30 vox pops with a tablet's paradata (every fifth with none), merged into a new database;
// returns the batch.
OutboxBatch mergeWithParadata(CollectorStore &store)
{
    store.addCaseStudy(QStringLiteral("leeds"), QStringLiteral("Leeds"));
    publishVoxpop(store, {QStringLiteral("leeds")});
    OutboxBatch b = voxpopBatch(30);
    QRandomGenerator random(16);
    for (qsizetype i = 0; i < b.responses.size(); ++i) {
        QList<ParadataEvent> events = i % 5 == 4 ? QList<ParadataEvent>() : tabletParadata(b.responses[i], random);
        if (i % 3 == 0) // an answer changed many times, and a language switch
            for (int k = 0; k < 6; ++k)
                events.insert(std::min<qsizetype>(1, events.size()),
                              {{}, b.responses[i].meta.started.addSecs(2), ParadataEvent::Kind::Changed, QStringLiteral("age_band"), {}});
        if (i % 7 == 0)
            events.append({{}, b.responses[i].meta.ended, ParadataEvent::Kind::LanguageSwitched, {}, QStringLiteral("en")});
        b.paradata.append(events);
    }
    const QByteArray raw = BatchCodec::encode(header(QStringLiteral("dev-test"), 1), b, voxpopTypes());
    REQUIRE(store.mergeBatch(BatchCodec::decode(raw), raw, QStringLiteral("http"), QDateTime::currentDateTimeUtc())
                .count(MergeOutcome::Accepted) == 30);
    return b;
}

void execOn(const TestCollectorDb &db, const char *sql)
{
    if (db.isPostgres())
        PgConnection(db.location()).exec(sql);
    else
        SqliteConnection(db.location()).exec(sql);
}

qint64 scalarOn(const TestCollectorDb &db, const char *sql)
{
    if (db.isPostgres())
        return PgConnection(db.location()).scalar(sql);
    return SqliteConnection(db.location()).scalar(sql);
}

const char kTableCount[] = "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'paradata'";
const char kSqliteTableCount[] = "SELECT count(*) FROM sqlite_master WHERE name = 'paradata'";

qint64 paradataTables(const TestCollectorDb &db)
{
    return scalarOn(db, db.isPostgres() ? kTableCount : kSqliteTableCount) > 0 ? 1 : 0;
}

} // namespace

TEST_CASE("a paradata pack round-trips every event, against the form's dictionary or spelt out", "[sync][collector]")
{
    const AnswerDictionary d(voxpopCouncilForm());
    const QList<ParadataEvent> events = sampleEvents();
    for (const AnswerDictionary *with : {static_cast<const AnswerDictionary *>(nullptr), &d}) {
        for (const QDateTime &started : {kStart, QDateTime()}) {
            const QByteArray packed = paradatapack::pack(events, with, started);
            CHECK(packed.at(0) == '\x01');
            QList<ParadataEvent> back;
            REQUIRE(paradatapack::unpack(packed.constData(), packed.size(), &back, with, started));
            CHECK(sameEvents(back, events));
        }
    }
    // Against the dictionary a question is an index: a vox pop's events take a few bytes each.
    const QByteArray spelt = paradatapack::pack(events, nullptr, kStart), indexed = paradatapack::pack(events, &d, kStart);
    CHECK(indexed.size() < spelt.size());
    QList<ParadataEvent> shown;
    for (int i = 0; i < 40; ++i)
        shown.append({{}, kStart.addMSecs(3000 * i), ParadataEvent::Kind::Shown, d.name(i % d.size()), {}});
    CHECK(paradatapack::pack(shown, &d, kStart).size() <= 2 + 40 * 4);
    // No events: no pack, and an empty pack is no events.
    CHECK(paradatapack::pack({}, &d, kStart).isEmpty());
    QList<ParadataEvent> none;
    CHECK(paradatapack::unpack("", 0, &none, &d, kStart));
    CHECK(none.isEmpty());
    CHECK(paradatapack::changes(events) == 2);
    CHECK(paradatapack::languageSwitched(events));
    CHECK_FALSE(paradatapack::languageSwitched(shown));
}

TEST_CASE("a damaged or unknown paradata pack is refused, naming the version", "[sync][collector][security]")
{
    const AnswerDictionary d(voxpopCouncilForm());
    const QByteArray good = paradatapack::pack(sampleEvents(), &d, kStart);
    CHECK(refusal(good, &d).isEmpty());
    // Every cut short pack is refused or gives fewer events, never garbage or a crash.
    for (qsizetype n = 1; n < good.size(); ++n) {
        QList<ParadataEvent> out;
        if (paradatapack::unpack(good.constData(), n, &out, &d, kStart))
            CHECK(out.size() < sampleEvents().size());
    }
    QByteArray unknown = good;
    unknown[0] = '\x02';
    CHECK(refusal(unknown, &d) == QLatin1String("c.sqlite: the paradata of response version 7 have an unknown format (byte 2)"));
    CHECK(refusal(good, nullptr)
          == QLatin1String("c.sqlite: the paradata of response version 7 are packed against a form version this database "
                           "does not hold (or cannot read)"));
    const QByteArray head = QByteArray("\x01") + char(d.size()); // the dictionary's size fits one byte
    REQUIRE(d.size() < 128);
    struct Case
    {
        const char *what;
        QByteArray pack;
    };
    const QList<Case> damaged{
        {"another dictionary's size", QByteArray("\x01") + char(d.size() + 1) + QByteArray("\x04\x02\x00", 3)},
        {"an unknown kind", head + QByteArray("\x05\x02\x00", 3)},
        {"a head bit that means nothing", head + QByteArray("\x20\x02\x00", 3)},
        {"a question past the dictionary", head + QByteArray("\x00\x02", 2) + char(d.size() + 2)},
        {"a name longer than the pack", head + QByteArray("\x08\x01\x09" "abc", 6)},
        {"a detail cut short", head + QByteArray("\x18\x00\x05" "pl", 5)},
        {"a time before the epoch", QByteArray("\x01\x00\x00", 3) + varint(zigzag(-kStart.toMSecsSinceEpoch() - 1)) + '\0'},
        {"a time varint over 64 bits", head + QByteArray("\x00\xff\xff\xff\xff\xff\xff\xff\xff\xff\x7f\x00", 12)},
        {"a varint that never ends", head + QByteArray("\x00\x80\x80", 3)},
    };
    for (const Case &c : damaged) {
        INFO(c.what);
        QList<ParadataEvent> out;
        CHECK_FALSE(paradatapack::unpack(c.pack.constData(), c.pack.size(), &out, &d, QDateTime()));
        CHECK(out.isEmpty());
        CHECK(refusal(c.pack, &d).startsWith(QLatin1String("c.sqlite: the paradata of response version 7 ")));
    }
    CHECK_THROWS_WITH(paradatapack::fromVersion10Row(QStringLiteral("c.sqlite"), 7, 3, QVariant(), QStringLiteral("blinked"),
                                                     {}, {}),
                      "c.sqlite: paradata 3 of response version 7 has unknown kind 'blinked'");
    // A time the reader would refuse as damage is refused when packing an old row.
    CHECK_THROWS_WITH(paradatapack::fromVersion10Row(QStringLiteral("c.sqlite"), 7, 4, QVariant(qint64(-1)),
                                                     QStringLiteral("shown"), QStringLiteral("age"), {}),
                      "c.sqlite: paradata 4 of response version 7 has time_ms -1, outside 1970 to 9999");
    CHECK(paradatapack::fromVersion10Row(QStringLiteral("c.sqlite"), 7, 5, QVariant(qint64(0)), QStringLiteral("shown"),
                                         QStringLiteral("age"), {}).time == QDateTime::fromMSecsSinceEpoch(0, Qt::UTC));
}

TEST_CASE("schema step 11 packs the paradata table of an existing database in place, every event the same",
          "[sync][collector][postgres][web]")
{
    KERBSIDE_FOR_EACH_COLLECTOR_BACKEND(backend);
    QTemporaryDir dir;
    TestCollectorDb db(backend, dir.path());
    QMap<QString, QList<ParadataRow>> before;
    QList<InterviewRow> manyChanges;
    InterviewFilter changed;
    changed.moreChangesThan = 20;
    changed.limit = 1000;
    OutboxBatch merged;
    {
        auto store = openCollectorStore(db.location());
        merged = mergeWithParadata(*store);
        before = timelines(*store);
        manyChanges = store->interviews(changed);
    }
    qint64 none = 0, switches = 0, many = 0, events = 0;
    for (const QList<ParadataEvent> &list : std::as_const(merged.paradata)) {
        events += list.size();
        none += list.isEmpty();
        switches += paradatapack::languageSwitched(list);
        many += paradatapack::changes(list) > changed.moreChangesThan;
    }
    REQUIRE(before.size() == 30);
    REQUIRE(manyChanges.size() == many);
    REQUIRE(many > 0);
    REQUIRE(many < 30);
    // Back to version 10: a row per event, plus one the tablets of today never send (no time,
    // a question the form's dictionary lacks) that the pack must spell out.
    const qint64 rows = unpackParadataToVersion10(db.location(), db.isPostgres());
    REQUIRE(rows == events);
    const InterviewRow &odd = manyChanges.first();
    execOn(db, QStringLiteral("INSERT INTO paradata (version_id, seq, time_ms, kind, question, detail) VALUES (%1, 999, NULL,"
                              " 'changed', 'member[2]/age', 'ø')")
                   .arg(odd.versionId).toUtf8().constData());
    before[odd.uuid].append(ParadataRow{QDateTime(), QStringLiteral("changed"), QStringLiteral("member[2]/age"), QStringLiteral("ø")});
    execOn(db, "UPDATE collector_meta SET value = '10' WHERE key = 'schema_version'");
    REQUIRE(paradataTables(db) == 1);

    auto store = openCollectorStore(db.location());
    CHECK(scalarOn(db, "SELECT CAST(value AS INTEGER) FROM collector_meta WHERE key = 'schema_version'") == 11);
    CHECK(paradataTables(db) == 0);
    const QMap<QString, QList<ParadataRow>> after = timelines(*store);
    REQUIRE(after.keys() == before.keys());
    for (auto it = before.cbegin(); it != before.cend(); ++it) {
        INFO(it.key().toStdString());
        CHECK(sameRows(after.value(it.key()), it.value()));
    }
    // The columns beside the pack say what the rows said.
    const QList<InterviewRow> manyAfter = store->interviews(changed);
    REQUIRE(manyAfter.size() == manyChanges.size());
    for (qsizetype i = 0; i < manyAfter.size(); ++i)
        CHECK(manyAfter[i].uuid == manyChanges[i].uuid);
    CHECK(scalarOn(db, "SELECT count(*) FROM response_versions WHERE paradata IS NULL") == none);
    CHECK(scalarOn(db, "SELECT sum(language_switched) FROM response_versions") == switches);
    qint64 switched = 0;
    store->forEachResponse({}, [&](const StoredResponse &r) {
        switched += r.languageSwitched;
        return true;
    });
    CHECK(switched == switches);
    // And the merge goes on in the new shape.
    const QByteArray raw = BatchCodec::encode(header(QStringLiteral("dev-test"), 2), voxpopBatch(2), voxpopTypes());
    CHECK(store->mergeBatch(BatchCodec::decode(raw), raw, QStringLiteral("http"), QDateTime::currentDateTimeUtc())
              .count(MergeOutcome::Accepted) == 2);
}

TEST_CASE("schema step 11 meets an event of an unknown kind: nothing changes and the version is named",
          "[sync][collector][postgres]")
{
    KERBSIDE_FOR_EACH_COLLECTOR_BACKEND(backend);
    QTemporaryDir dir;
    TestCollectorDb db(backend, dir.path());
    {
        auto store = openCollectorStore(db.location());
        mergeWithParadata(*store);
    }
    const qint64 rows = unpackParadataToVersion10(db.location(), db.isPostgres());
    const qint64 version = scalarOn(db, "SELECT max(version_id) FROM paradata");
    execOn(db, "UPDATE paradata SET kind = 'blinked' WHERE seq = 1 AND version_id = (SELECT max(version_id) FROM paradata)");
    execOn(db, "UPDATE collector_meta SET value = '10' WHERE key = 'schema_version'");
    CHECK_THROWS_WITH(openCollectorStore(db.location()),
                      Catch::Contains(QStringLiteral("paradata 1 of response version %1 has unknown kind 'blinked'")
                                          .arg(version).toStdString()));
    CHECK(scalarOn(db, "SELECT CAST(value AS INTEGER) FROM collector_meta WHERE key = 'schema_version'") == 10);
    CHECK(scalarOn(db, "SELECT count(*) FROM paradata") == rows);
}

TEST_CASE("kerbside migrate copies the packed paradata to PostgreSQL, every event the same", "[sync][postgres]")
{
    if (testPostgresUrl().isEmpty()) {
        WARN("KERBSIDE_TEST_PG is not set: PostgreSQL test skipped (.ci/test.sh starts a cluster)");
        return;
    }
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("c.sqlite"));
    QMap<QString, QList<ParadataRow>> before;
    qint64 changes = 0;
    {
        auto store = openCollectorStore(path);
        for (const QList<ParadataEvent> &events : mergeWithParadata(*store).paradata)
            changes += paradatapack::changes(events);
        before = timelines(*store);
    }
    PostgresTestDb db;
    const CommandResult r = runKerbside({QStringLiteral("migrate"), QStringLiteral("--from"), QStringLiteral("sqlite:") + path,
                                         QStringLiteral("--to"), db.url()});
    INFO(r.out.toStdString() << r.err.toStdString());
    REQUIRE(r.exitCode == 0);
    auto store = openCollectorStore(db.url());
    const QMap<QString, QList<ParadataRow>> after = timelines(*store);
    REQUIRE(after.keys() == before.keys());
    for (auto it = before.cbegin(); it != before.cend(); ++it)
        CHECK(sameRows(after.value(it.key()), it.value()));
    PgConnection pg(db.url());
    CHECK(pg.scalar("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'paradata'") == 0);
    CHECK(pg.scalar("SELECT sum(changes) FROM response_versions") == changes);
}
