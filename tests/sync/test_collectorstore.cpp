// SPDX-License-Identifier: Apache-2.0
// The collector's merge rules and storage, on a real SQLite file.
#include <catch2/catch.hpp>

#include "batchcodec.h"
#include "credentials.h"
#include "kerbside/v1/sync.pb.h"
#include "sqlitecollectorstore.h"
#include "postgrestestdb.h"
#include "syncsamples.h"
#include "voxpopform.h"

#include <QTemporaryDir>

#include <latch>
#include <thread>

#include <sqlite3.h>

using namespace kerbside;
using namespace kerbside::test;

namespace {

struct Fixture
{
    QTemporaryDir dir;
    TestCollectorDb db; // an SQLite file in dir, or a new PostgreSQL database
    QString path = db.location();
    std::unique_ptr<CollectorStore> store = openCollectorStore(path);
    explicit Fixture(const std::string &backend) : db(backend, dir.path())
    {
        store->addCaseStudy(QStringLiteral("leeds"), QStringLiteral("Leeds"));
        store->addCaseStudy(QStringLiteral("york"), QStringLiteral("York"));
        publishVoxpop(*store, {QStringLiteral("leeds"), QStringLiteral("york")});
    }
    MergeResult merge(const OutboxBatch &outbox, quint64 sequence = 1, BatchHeader h = {})
    {
        if (h.batchUuid.isEmpty())
            h = header(QStringLiteral("dev-test"), sequence);
        const QByteArray raw = BatchCodec::encode(h, outbox, voxpopTypes());
        return store->mergeBatch(BatchCodec::decode(raw), raw, QStringLiteral("http"), QDateTime::currentDateTimeUtc());
    }
    QList<StoredResponse> all(const QString &cs = {})
    {
        QList<StoredResponse> out;
        store->forEachResponse(cs, [&](const StoredResponse &r) {
            out.append(r);
            return true;
        });
        return out;
    }
};

QMap<QString, QString> answerMap(const StoredResponse &r)
{
    QMap<QString, QString> m;
    for (const TypedAnswer &a : r.answers)
        m.insert(a.question, a.value);
    return m;
}

} // namespace

TEST_CASE("a new batch is logged and merged; its answers read back exactly", "[sync][collector]")
{
    KERBSIDE_FOR_EACH_COLLECTOR_BACKEND(backend);
    Fixture f(backend);
    OutboxBatch outbox = voxpopBatch(5, 2);
    outbox.responses[0].meta.startedUtcOffset = 3600;  // the tablet's offset from UTC at the start
    outbox.responses[1].meta.startedUtcOffset = 0;     // recorded as UTC; the others: not recorded
    const MergeResult r = f.merge(outbox);
    CHECK_FALSE(r.replayed);
    CHECK(r.count(MergeOutcome::Accepted) == 7);
    CHECK(f.store->batchCount() == 1);
    CHECK(f.store->responseCount(QStringLiteral("leeds")) == 5);
    CHECK(f.store->responseCount(QStringLiteral("york")) == 0);
    CHECK(f.store->contactCount(QStringLiteral("leeds")) == 2);
    const QList<StoredResponse> stored = f.all(QStringLiteral("leeds"));
    REQUIRE(stored.size() == 5);
    for (const StoredResponse &s : stored) {
        const auto it = std::find_if(outbox.responses.begin(), outbox.responses.end(),
                                     [&](const Response &o) { return o.meta.uuid == s.meta.uuid; });
        REQUIRE(it != outbox.responses.end());
        CHECK(answerMap(s) == it->answers);
        CHECK(s.meta.started == it->meta.started);
        CHECK(s.meta.startedUtcOffset == it->meta.startedUtcOffset);
        CHECK(s.meta.location.accuracy == it->meta.location.accuracy);
    }
    int contacts = 0;
    f.store->forEachContact(QStringLiteral("leeds"), [&](const ContactEntry &) { return ++contacts < 100; });
    CHECK(contacts == 2);
}

TEST_CASE("a re-sent batch returns the identical acknowledgement and changes nothing", "[sync][collector]")
{
    KERBSIDE_FOR_EACH_COLLECTOR_BACKEND(backend);
    Fixture f(backend);
    const OutboxBatch outbox = voxpopBatch(3);
    const BatchHeader h = header(QStringLiteral("dev-test"), 1);
    const MergeResult first = f.merge(outbox, 1, h);
    const MergeResult again = f.merge(outbox, 1, h);
    CHECK(again.replayed);
    CHECK(again.ack == first.ack);
    CHECK(again.count(MergeOutcome::Accepted) == 3);
    CHECK(f.store->batchCount() == 1);

    // The same batch UUID from another device is refused.
    BatchHeader other = h;
    other.deviceId = QStringLiteral("dev-other");
    CHECK_THROWS_AS(f.merge(outbox, 1, other), CollectorError);
}

TEST_CASE("duplicates, revision updates, stale revisions and conflicts", "[sync][collector]")
{
    KERBSIDE_FOR_EACH_COLLECTOR_BACKEND(backend);
    Fixture f(backend);
    OutboxBatch outbox = voxpopBatch(2);
    f.merge(outbox, 1);

    SECTION("the same responses in a new batch are duplicates") {
        const MergeResult r = f.merge(outbox, 2);
        CHECK(r.count(MergeOutcome::Duplicate) == 2);
        CHECK(f.store->responseCount() == 2);
    }
    SECTION("a higher revision replaces the current one; the old one is kept") {
        OutboxBatch v2;
        v2.responses = {outbox.responses[0]};
        v2.responses[0].meta.revision = 2;
        v2.responses[0].answers[QStringLiteral("sat_parks")] = QStringLiteral("5");
        const MergeResult r = f.merge(v2, 2);
        CHECK(r.count(MergeOutcome::Accepted) == 1);
        CHECK_THAT(r.responses[0].reason.toStdString(), Catch::Contains("replaces revision 1"));
        const QList<StoredResponse> stored = f.all();
        const auto it = std::find_if(stored.begin(), stored.end(),
                                     [&](const StoredResponse &s) { return s.meta.uuid == outbox.responses[0].meta.uuid; });
        REQUIRE(it != stored.end());
        CHECK(it->meta.revision == 2);
        CHECK(answerMap(*it).value(QStringLiteral("sat_parks")) == QStringLiteral("5"));
        CHECK(it->versions == 2);

        // Revision 1 arriving late (out of order) does not replace revision 2.
        OutboxBatch late;
        late.responses = {outbox.responses[0]};
        late.responses[0].answers[QStringLiteral("sat_parks")] = QStringLiteral("3");
        const MergeResult lr = f.merge(late, 3);
        CHECK(lr.responses[0].outcome == MergeOutcome::Accepted);
        CHECK_THAT(lr.responses[0].reason.toStdString(), Catch::Contains("history"));
        for (const StoredResponse &s : f.all()) {
            if (s.meta.uuid == outbox.responses[0].meta.uuid)
                CHECK(s.meta.revision == 2);
        }
        CHECK(f.store->conflicts().isEmpty());
    }
    SECTION("the same revision with other content is a conflict; both kept and listed") {
        OutboxBatch other;
        other.responses = {outbox.responses[1]};
        other.responses[0].answers[QStringLiteral("comment_best")] = QStringLiteral("Something else");
        other.responses[0].answers[QStringLiteral("gender")] = QStringLiteral("other");
        const MergeResult r = f.merge(other, 2);
        CHECK(r.responses[0].outcome == MergeOutcome::Conflict);
        const QList<ConflictRecord> conflicts = f.store->conflicts(QStringLiteral("leeds"));
        REQUIRE(conflicts.size() == 1);
        CHECK(conflicts[0].uuid == outbox.responses[1].meta.uuid);
        CHECK(conflicts[0].differences == QStringList{QStringLiteral("comment_best"), QStringLiteral("gender")});
        CHECK(conflicts[0].keptDevice == QStringLiteral("dev-test"));
        CHECK(f.store->responseCount() == 2);
        // Re-sending either version again is a duplicate, not a second conflict.
        CHECK(f.merge(other, 3).responses[0].outcome == MergeOutcome::Duplicate);
        CHECK(f.store->conflicts().size() == 1);
    }
    SECTION("a contact with the same UUID and other content is a conflict") {
        OutboxBatch c1 = voxpopBatch(0, 1);
        f.merge(c1, 2);
        c1.contacts[0].note = QStringLiteral("changed");
        CHECK(f.merge(c1, 3).contacts[0].outcome == MergeOutcome::Conflict);
        CHECK(f.store->contactCount() == 1);
        CHECK(f.store->conflicts().size() == 1);
    }
}

TEST_CASE("a batch with an unknown case study stores nothing at all", "[sync][collector]")
{
    KERBSIDE_FOR_EACH_COLLECTOR_BACKEND(backend);
    Fixture f(backend);
    OutboxBatch outbox = voxpopBatch(3);
    outbox.responses[2].meta.caseStudy = QStringLiteral("nowhere");
    try {
        f.merge(outbox);
        FAIL("merged a batch with an unknown case study");
    } catch (const CollectorError &e) {
        CHECK(e.code() == CollectorError::Code::Invalid);
        CHECK_THAT(e.what(), Catch::Contains("nowhere"));
    }
    CHECK(f.store->batchCount() == 0);
    CHECK(f.store->responseCount() == 0);
    // The store still works afterwards.
    CHECK(f.merge(voxpopBatch(1)).count(MergeOutcome::Accepted) == 1);
}

TEST_CASE("concurrent batches share transactions, yet each is stored, replayed or refused on its own", "[sync][collector]")
{
    KERBSIDE_FOR_EACH_COLLECTOR_BACKEND(backend);
    Fixture f(backend);
    constexpr int kRounds = 12, kThreads = 8, kValid = 6, kPerBatch = 20;
    for (int round = 0; round < kRounds; ++round) {
        // Threads 0-5: new batches. 6: an unknown case study. 7: thread 0's batch again.
        std::vector<QByteArray> raws(kThreads);
        for (int t = 0; t < kThreads; ++t) {
            OutboxBatch outbox = voxpopBatch(kPerBatch, 1, t % 2 ? QStringLiteral("york") : QStringLiteral("leeds"));
            if (t == 6)
                outbox.responses[3].meta.caseStudy = QStringLiteral("nowhere");
            raws[size_t(t)] = t == 7 ? raws[0]
                                     : BatchCodec::encode(header(QStringLiteral("dev-test"), quint64(round * kThreads + t + 1)),
                                                          outbox, voxpopTypes());
        }
        std::vector<MergeResult> results(kThreads);
        std::vector<QString> errors(kThreads);
        std::latch start(kThreads);
        std::vector<std::thread> threads;
        for (int t = 0; t < kThreads; ++t) {
            threads.emplace_back([&, t] {
                const IncomingBatch batch = BatchCodec::decode(raws[size_t(t)]);
                start.arrive_and_wait();
                try {
                    results[size_t(t)] = f.store->mergeBatch(batch, raws[size_t(t)], QStringLiteral("http"),
                                                             QDateTime::currentDateTimeUtc());
                } catch (const CollectorError &e) {
                    errors[size_t(t)] = e.message();
                }
            });
        }
        for (std::thread &th : threads)
            th.join();
        for (int t = 0; t < kThreads; ++t) {
            INFO("round " << round << ", thread " << t << ": " << errors[size_t(t)].toStdString());
            if (t == 6) {
                CHECK(errors[6].contains(QStringLiteral("nowhere")));
                continue;
            }
            REQUIRE(errors[size_t(t)].isEmpty());
            CHECK(results[size_t(t)].count(MergeOutcome::Accepted) == kPerBatch + 1);
        }
        // The batch sent twice at once: stored once, the other call replays the same ack.
        CHECK(results[0].replayed != results[7].replayed);
        CHECK(results[0].ack == results[7].ack);
    }
    CHECK(f.store->batchCount() == kRounds * kValid);
    CHECK(f.store->responseCount() == kRounds * kValid * kPerBatch);
    CHECK(f.store->contactCount() == kRounds * kValid);
    const CollectorStore::MergeStats stats = f.store->mergeStats();
    CHECK(stats.batches == kRounds * kThreads);
    if (backend == "sqlite")
        CHECK(stats.largestGroup > 1); // eight threads at once: some of them shared a commit
    else
        CHECK(stats.largestGroup == 1); // PostgreSQL: one batch per transaction
}

TEST_CASE("a merge that cannot start its transaction fails cleanly, and the next one works", "[sync][collector]")
{
    // Another process (a coordinator command, say) holds SQLite's write lock for longer than
    // the collector waits (10 s): the merge fails with an error, nothing is half-stored, and the
    // store is not left waiting for a group that will never finish.
    Fixture f("sqlite");
    sqlite3 *other = nullptr;
    REQUIRE(sqlite3_open(f.path.toUtf8().constData(), &other) == SQLITE_OK);
    REQUIRE(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr) == SQLITE_OK);
    try {
        f.merge(voxpopBatch(2), 1);
        FAIL("merged while another process held the write lock");
    } catch (const CollectorError &e) {
        CHECK(e.code() == CollectorError::Code::Io);
        CHECK_THAT(e.what(), Catch::Contains("locked"));
    }
    sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_close(other);
    CHECK(f.store->batchCount() == 0);
    CHECK(f.merge(voxpopBatch(3), 2).count(MergeOutcome::Accepted) == 3);
    CHECK(f.store->responseCount() == 3);
}

TEST_CASE("enrolment codes are single-use and expire; tokens are stored only as hashes", "[sync][collector]")
{
    KERBSIDE_FOR_EACH_COLLECTOR_BACKEND(backend);
    Fixture f(backend);
    const QString code = Credentials::newEnrolmentCode();
    CHECK(code.size() == 10);
    CHECK(Credentials::normaliseCode(Credentials::formatCode(code).toLower()) == code);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    f.store->addEnrolmentCode({Credentials::hash(code), QStringLiteral("leeds"), now, now.addDays(7)});
    const QString token = Credentials::newToken();
    CHECK(token.size() == 43);
    const Enrolment e = f.store->redeemEnrolmentCode(Credentials::hash(code), now, QStringLiteral("dev-1"),
                                                     Credentials::hash(token), QStringLiteral("Tab A"));
    CHECK(e.device.caseStudies == QStringList{QStringLiteral("leeds")});
    REQUIRE(f.store->deviceByTokenHash(Credentials::hash(token)));
    CHECK_FALSE(f.store->deviceByTokenHash(Credentials::hash(token + QLatin1Char('x'))));
    try {
        f.store->redeemEnrolmentCode(Credentials::hash(code), now, QStringLiteral("dev-2"), Credentials::hash(QStringLiteral("t2")), {});
        FAIL("a used code worked twice");
    } catch (const CollectorError &err) {
        CHECK(err.code() == CollectorError::Code::Used);
    }
    const QString old = Credentials::newEnrolmentCode();
    f.store->addEnrolmentCode({Credentials::hash(old), QStringLiteral("leeds"), now.addDays(-8), now.addDays(-1)});
    try {
        f.store->redeemEnrolmentCode(Credentials::hash(old), now, QStringLiteral("dev-3"), Credentials::hash(QStringLiteral("t3")), {});
        FAIL("an expired code worked");
    } catch (const CollectorError &err) {
        CHECK(err.code() == CollectorError::Code::Expired);
    }
    CHECK(f.store->devices().size() == 1);

    // Neither the token nor the code appears anywhere in the file.
    f.store.reset();
    QByteArray bytes;
    if (f.db.isPostgres()) {
        bytes = f.db.postgres()->dump();
        REQUIRE(bytes.contains("enrolment_codes"));
    } else {
        QFile file(f.path);
        REQUIRE(file.open(QIODevice::ReadOnly));
        bytes = file.readAll();
    }
    CHECK_FALSE(bytes.contains(token.toUtf8()));
    CHECK_FALSE(bytes.contains(code.toUtf8()));
}

TEST_CASE("device counts, sequence gaps and revocation", "[sync][collector]")
{
    KERBSIDE_FOR_EACH_COLLECTOR_BACKEND(backend);
    Fixture f(backend);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    f.store->addEnrolmentCode({Credentials::hash(QStringLiteral("C")), QStringLiteral("leeds"), now, now.addDays(1)});
    f.store->redeemEnrolmentCode(Credentials::hash(QStringLiteral("C")), now, QStringLiteral("dev-test"),
                                 Credentials::hash(QStringLiteral("T")), {});
    f.merge(voxpopBatch(2, 1), 3); // sequences 3 and 1 arrive, 2 is missing
    f.merge(voxpopBatch(1), 1);
    const std::optional<DeviceRecord> d = f.store->device(QStringLiteral("dev-test"));
    REQUIRE(d);
    CHECK(d->batches == 2);
    CHECK(d->responses == 3);
    CHECK(d->contacts == 1);
    CHECK(d->lastSequence == 3);
    CHECK(d->missingSequences == 1);
    CHECK(f.store->sequences(QStringLiteral("dev-test")) == QList<quint64>{1, 3});
    const QList<CaseStudyCounts> counts = f.store->counts(QStringLiteral("dev-test"));
    REQUIRE(counts.size() == 1);
    CHECK(counts[0].responsesFromDevice == 3);
    CHECK(counts[0].responsesTotal == 3);
    f.store->revokeDevice(QStringLiteral("dev-test"), now);
    CHECK(f.store->deviceByTokenHash(Credentials::hash(QStringLiteral("T")))->isRevoked());
    CHECK_THROWS_AS(f.store->revokeDevice(QStringLiteral("nope"), now), CollectorError);
}

TEST_CASE("forms are published per case study and never change within a version", "[sync][collector]")
{
    KERBSIDE_FOR_EACH_COLLECTOR_BACKEND(backend);
    Fixture f(backend);
    PublishedFormRecord form{QStringLiteral("voxpop"), QStringLiteral("1"), QStringLiteral("Vox pop"), QByteArray("{\"a\":1}"), {}, {}, {}};
    f.store->publishForm(form, {QStringLiteral("leeds")});
    f.store->publishForm(form, {QStringLiteral("york")}); // same content: adds a case study
    CHECK(f.store->forms({QStringLiteral("leeds")}).size() == 2); // and the fixture's voxpop_council
    CHECK(f.store->forms().value(0).caseStudies == QStringList{QStringLiteral("leeds"), QStringLiteral("york")});
    form.json = "{\"a\":2}";
    CHECK_THROWS_AS(f.store->publishForm(form, {QStringLiteral("leeds")}), CollectorError);
    CHECK_THROWS_AS(f.store->publishForm(form, {QStringLiteral("nowhere")}), CollectorError);
}

TEST_CASE("the database is durable, versioned and refuses foreign files", "[sync][collector]")
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("c.sqlite"));
    {
        auto store = SqliteCollectorStore::open(path);
        store->addCaseStudy(QStringLiteral("leeds"), QStringLiteral("Leeds"));
    }
    CHECK(SqliteCollectorStore::open(path)->caseStudies().size() == 1);

    sqlite3 *db = nullptr;
    REQUIRE(sqlite3_open(path.toUtf8().constData(), &db) == SQLITE_OK);
    sqlite3_exec(db, "UPDATE collector_meta SET value = '99' WHERE key = 'schema_version'", nullptr, nullptr, nullptr);
    sqlite3_close(db);
    try {
        SqliteCollectorStore::open(path);
        FAIL("opened a newer schema");
    } catch (const CollectorError &e) {
        CHECK(e.code() == CollectorError::Code::TooNew);
    }

    const QString foreign = dir.filePath(QStringLiteral("other.sqlite"));
    REQUIRE(sqlite3_open(foreign.toUtf8().constData(), &db) == SQLITE_OK);
    sqlite3_exec(db, "CREATE TABLE t (x)", nullptr, nullptr, nullptr);
    sqlite3_close(db);
    CHECK_THROWS_AS(SqliteCollectorStore::open(foreign), CollectorError);
}
