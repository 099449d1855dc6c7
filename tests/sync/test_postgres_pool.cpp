// SPDX-License-Identifier: Apache-2.0
// One collector's pool of PostgreSQL connections (postgrespool.h): eight devices merging at once
// through a pool smaller than they are (exhaustion: callers wait for a lane), every response
// stored once and owned by the device that sent it first, the rows written by binary COPY read
// back; and merges that go on while the server drops the collector's connections, mid-merge
// included. A real cluster (KERBSIDE_TEST_PG); skipped with a message when there is none.
#include <catch2/catch.hpp>

#include "batchcodec.h"
#include "postgrescollectorstore.h"
#include "postgrestestdb.h"
#include "syncsamples.h"
#include "voxpopform.h"

#include <QHash>
#include <QSet>

#include <atomic>
#include <latch>
#include <thread>

using namespace kerbside;
using namespace kerbside::test;

namespace {

#define SKIP_WITHOUT_POSTGRES()                                                                    \
    if (testPostgresUrl().isEmpty()) {                                                             \
        WARN("KERBSIDE_TEST_PG is not set: PostgreSQL test skipped (.ci/test.sh starts a cluster)"); \
        return;                                                                                    \
    }

struct Encoded
{
    IncomingBatch batch;
    QByteArray raw;
};

Encoded encode(const QString &device, quint64 sequence, const OutboxBatch &outbox)
{
    const QByteArray raw = BatchCodec::encode(header(device, sequence), outbox, voxpopTypes());
    return {BatchCodec::decode(raw), raw};
}

// Two paradata events per response, a language switch on every third.
void addParadata(OutboxBatch *b)
{
    b->paradata.clear();
    for (qsizetype i = 0; i < b->responses.size(); ++i) {
        const QDateTime t = b->responses[i].meta.started;
        QList<ParadataEvent> events{{{}, t.addSecs(1), ParadataEvent::Kind::Shown, QStringLiteral("consent"), {}},
                                    {{}, t.addSecs(2), ParadataEvent::Kind::Changed, QStringLiteral("age_band"), {}}};
        if (i % 3 == 0)
            events.append({{}, t.addSecs(3), ParadataEvent::Kind::LanguageSwitched, {}, QStringLiteral("pl")});
        b->paradata.append(events);
    }
}

std::unique_ptr<PostgresCollectorStore> openLeeds(const QString &url)
{
    auto store = PostgresCollectorStore::open(url);
    store->addCaseStudy(QStringLiteral("leeds"), QStringLiteral("Leeds"));
    publishVoxpop(*store, {QStringLiteral("leeds")});
    return store;
}

// Merges like a device: a batch that fails (503) is sent again, up to `tries` times.
MergeResult mergeAsDevice(CollectorStore &store, const Encoded &e, int tries, int *failures)
{
    for (int attempt = 1;; ++attempt) {
        try {
            return store.mergeBatch(e.batch, e.raw, QStringLiteral("http"), QDateTime::currentDateTimeUtc());
        } catch (const CollectorError &) {
            ++*failures;
            if (attempt >= tries)
                throw;
        }
    }
}

} // namespace

TEST_CASE("PostgreSQL: eight devices at once through a pool of three: every response once, owned by its first sender",
          "[sync][postgres]")
{
    SKIP_WITHOUT_POSTGRES();
    PostgresTestDb db;
    auto store = openLeeds(PgLanePool::withSize(db.url(), 3));
    CHECK(store->url() == db.url()); // pool=N is the collector's, never passed to libpq

    constexpr int kDevices = 8, kOwnBatches = 4, kPerBatch = 25, kShared = 20;
    // The same 20 UUIDs sent by every device (each as its own): the first to merge owns them.
    const OutboxBatch shared = voxpopBatch(kShared, 0, QStringLiteral("leeds"), QStringLiteral("dev-x"));
    struct Work
    {
        QString device;
        std::vector<Encoded> batches; // own 1-4, shared, then batch 1 again
        std::vector<MergeResult> results;
        QList<Response> own;
        int failures = 0;
    };
    std::vector<Work> work(kDevices);
    int expectedParadata = 0;
    for (int d = 0; d < kDevices; ++d) {
        Work &w = work[size_t(d)];
        w.device = QStringLiteral("dev-pool-%1").arg(d);
        for (int b = 0; b < kOwnBatches; ++b) {
            OutboxBatch o = voxpopBatch(kPerBatch, b == 0 ? 2 : 0, QStringLiteral("leeds"), w.device);
            addParadata(&o);
            for (const auto &events : o.paradata)
                expectedParadata += int(events.size());
            w.own += o.responses;
            w.batches.push_back(encode(w.device, quint64(b + 1), o));
        }
        OutboxBatch mine = shared;
        for (Response &r : mine.responses) {
            r.meta.deviceId = w.device;
            r.answers[QStringLiteral("sat_roads")] = QString::number(1 + d % 5);
        }
        w.batches.push_back(encode(w.device, kOwnBatches + 1, mine));
        w.batches.push_back(w.batches.front()); // resent: the stored acknowledgement
    }

    std::latch start(kDevices);
    std::vector<std::thread> threads;
    for (int d = 0; d < kDevices; ++d) {
        threads.emplace_back([&, d] {
            Work &w = work[size_t(d)];
            start.arrive_and_wait();
            for (const Encoded &e : w.batches)
                w.results.push_back(mergeAsDevice(*store, e, 3, &w.failures));
        });
    }
    for (std::thread &t : threads)
        t.join();

    QHash<QString, QString> owner; // shared UUID -> the device whose version was accepted
    for (const Work &w : work) {
        INFO(w.device.toStdString());
        CHECK(w.failures == 0);
        REQUIRE(w.results.size() == w.batches.size());
        for (int b = 0; b < kOwnBatches; ++b)
            CHECK(w.results[size_t(b)].count(MergeOutcome::Accepted) == kPerBatch + (b == 0 ? 2 : 0));
        // The resent batch: the first one's outcomes, item for item.
        const MergeResult &first = w.results.front(), &again = w.results.back();
        REQUIRE(again.responses.size() == first.responses.size());
        for (qsizetype i = 0; i < first.responses.size(); ++i) {
            CHECK(again.responses[i].uuid == first.responses[i].uuid);
            CHECK(again.responses[i].outcome == first.responses[i].outcome);
        }
        for (const ItemResult &r : w.results[kOwnBatches].responses) {
            if (r.outcome == MergeOutcome::Accepted) {
                CHECK_FALSE(owner.contains(r.uuid));
                owner.insert(r.uuid, w.device);
            } else {
                CHECK(r.outcome == MergeOutcome::Rejected); // another device's UUID
            }
        }
    }
    CHECK(owner.size() == kShared);

    // The pool: never more connections than its size, and devices waited for one.
    const PostgresCollectorStore::ConcurrencyStats cs = store->concurrencyStats();
    CHECK(cs.pool.size == 3);
    CHECK(cs.pool.opened <= 3);
    CHECK(cs.pool.opened >= 1);
    CHECK(cs.pool.waited > 0);
    CHECK(store->mergeStats().batches == kDevices * qint64(kOwnBatches + 2));

    CHECK(store->responseCount() == kDevices * kOwnBatches * kPerBatch + kShared);
    CHECK(store->batchCount() == kDevices * (kOwnBatches + 1));
    QSet<QString> seen;
    QHash<QString, bool> switched; // own UUIDs -> whether their paradata says the language switched
    for (const Work &w : work) {
        for (qsizetype i = 0; i < w.own.size(); ++i)
            switched.insert(w.own[i].meta.uuid, (i % kPerBatch) % 3 == 0);
    }
    int duplicates = 0;
    store->forEachResponse({}, [&](const StoredResponse &r) {
        duplicates += seen.contains(r.meta.uuid);
        seen.insert(r.meta.uuid);
        CHECK(r.versions == 1);
        if (owner.contains(r.meta.uuid)) {
            CHECK(r.meta.deviceId == owner.value(r.meta.uuid));
        } else {
            REQUIRE(switched.contains(r.meta.uuid));
            CHECK(r.languageSwitched == switched.value(r.meta.uuid));
            CHECK(r.answers.size() == 20);
        }
        return true;
    });
    CHECK(duplicates == 0);
    CHECK(seen.size() == kDevices * kOwnBatches * kPerBatch + kShared);

    PgConnection pg(db.url());
    CHECK(pg.scalar("SELECT count(*) FROM response_versions") == kDevices * kOwnBatches * kPerBatch + kShared);
    // The events, packed per version (paradatapack.h): every one back, with the count beside them.
    qint64 events = 0, timedAgeBand = 0;
    const PgResult packed = pg.exec("SELECT id FROM response_versions WHERE paradata IS NOT NULL");
    for (int i = 0; i < packed.rows(); ++i) {
        for (const ParadataRow &p : store->interviewParadata(packed.int64(i, 0))) {
            ++events;
            timedAgeBand += p.kind == QLatin1String("changed") && p.question == QLatin1String("age_band") && p.time.isValid();
        }
    }
    CHECK(events == expectedParadata);
    CHECK(timedAgeBand == kDevices * kOwnBatches * kPerBatch);
    CHECK(pg.scalar("SELECT sum(changes) FROM response_versions") == kDevices * kOwnBatches * kPerBatch);
    CHECK(pg.scalar("SELECT count(*) FROM response_versions WHERE latitude IS NULL OR started_ms IS NULL OR length(answers) < 2") == 0);
    CHECK(pg.scalar("SELECT count(*) FROM contacts") == kDevices * 2);
    CHECK(pg.scalar("SELECT count(*) FROM refusals") == (kDevices - 1) * kShared);
}

TEST_CASE("PostgreSQL: merges go on while the server drops the collector's connections, mid-merge included",
          "[sync][postgres]")
{
    SKIP_WITHOUT_POSTGRES();
    PostgresTestDb db;
    auto store = openLeeds(PgLanePool::withSize(db.url(), 4));

    constexpr int kDevices = 4, kBatches = 8, kPerBatch = 40;
    std::vector<std::vector<Encoded>> batches(kDevices);
    for (int d = 0; d < kDevices; ++d) {
        const QString device = QStringLiteral("dev-cut-%1").arg(d);
        for (int b = 0; b < kBatches; ++b) {
            OutboxBatch o = voxpopBatch(kPerBatch, 0, QStringLiteral("leeds"), device);
            addParadata(&o);
            batches[size_t(d)].push_back(encode(device, quint64(b + 1), o));
        }
    }
    // Ends every other connection to the database ten times while the devices merge (then lets
    // them finish: a merge slower than the gap between cuts would never get through). Each cut
    // waits until some connection is between two statements of a transaction, so it lands mid-merge however fast
    // the machine is (on a quiet one, sleeping first let every merge finish between cuts).
    PgConnection killer(db.url());
    std::atomic<bool> merging{true};
    std::atomic<qint64> killed{0};
    std::thread cutter([&] {
        for (int cut = 0; cut < 10 && merging; ++cut) {
            while (merging && killer.scalar("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                                            " AND pid <> pg_backend_pid() AND state = 'idle in transaction'",
                                            PgParams()) == 0)
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
            killed += killer.scalar("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                                    "WHERE datname = current_database() AND pid <> pg_backend_pid()",
                                    PgParams());
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
    });
    std::atomic<int> failures{0};
    std::atomic<int> lost{0}; // batches that still failed after the device's tries: none
    std::vector<std::thread> threads;
    for (int d = 0; d < kDevices; ++d) {
        threads.emplace_back([&, d] {
            int mine = 0;
            for (const Encoded &e : batches[size_t(d)]) {
                // A device sends a batch that failed again.
                try {
                    const MergeResult r = mergeAsDevice(*store, e, 20, &mine);
                    if (r.count(MergeOutcome::Accepted) + r.count(MergeOutcome::Duplicate) != kPerBatch)
                        ++lost;
                } catch (const CollectorError &) {
                    ++lost;
                }
            }
            failures += mine;
        });
    }
    for (std::thread &t : threads)
        t.join();
    merging = false;
    cutter.join();
    INFO("connections ended: " << killed.load() << ", batches the devices had to send again: " << failures.load());
    CHECK(lost == 0);
    CHECK(killed > 0);
    CHECK(store->concurrencyStats().retries > 0); // the store ran merges again itself

    // Every response exactly once, whatever was cut where.
    const qint64 total = qint64(kDevices) * kBatches * kPerBatch;
    CHECK(store->responseCount() == total); // on the store's own connection, ended too: reconnects
    PgConnection pg(db.url());
    CHECK(pg.scalar("SELECT count(*) FROM response_versions") == total);
    CHECK(pg.scalar("SELECT count(DISTINCT uuid) FROM response_versions") == total);
    CHECK(pg.scalar("SELECT count(*) FROM batches") == kDevices * kBatches);
    CHECK(pg.scalar("SELECT count(*) FROM batch_acks") == kDevices * kBatches);
    // Each response's two events and every third's language switch, packed once (paradatapack.h).
    CHECK(pg.scalar("SELECT count(*) FROM response_versions WHERE paradata IS NOT NULL") == total);
    CHECK(pg.scalar("SELECT sum(changes) FROM response_versions") == total);
    CHECK(pg.scalar("SELECT sum(language_switched) FROM response_versions") == qint64(kDevices) * kBatches * ((kPerBatch + 2) / 3));

    // Idle connections ended: the next merge and token lookup just work (no error to the caller).
    killer.scalar("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                  "WHERE datname = current_database() AND pid <> pg_backend_pid()",
                  PgParams());
    const Encoded more = encode(QStringLiteral("dev-cut-0"), kBatches + 1, voxpopBatch(5, 0, QStringLiteral("leeds"), QStringLiteral("dev-cut-0")));
    CHECK(store->mergeBatch(more.batch, more.raw, QStringLiteral("http"), QDateTime::currentDateTimeUtc())
              .count(MergeOutcome::Accepted) == 5);
    CHECK_FALSE(store->deviceByTokenHash(QByteArray(32, 'x')).has_value());
    CHECK(store->responseCount() == total + 5);
}

TEST_CASE("PostgreSQL: pool=N in the database URL sizes the pool and is not passed on to libpq", "[sync]")
{
    QString url = QStringLiteral("postgresql://kerbside@127.0.0.1:5432/kb?sslmode=disable&pool=3");
    CHECK(PgLanePool::takeSize(&url) == 3);
    CHECK(url == QStringLiteral("postgresql://kerbside@127.0.0.1:5432/kb?sslmode=disable"));
    url = QStringLiteral("postgresql://kerbside@127.0.0.1:5432/kb");
    CHECK(PgLanePool::takeSize(&url) == PgLanePool::kDefaultSize);
    CHECK(url == QStringLiteral("postgresql://kerbside@127.0.0.1:5432/kb"));
    CHECK(PgLanePool::withSize(url, 5) == url + QStringLiteral("?pool=5"));
    for (const char *bad : {"0", "65", "many", ""}) {
        INFO(bad);
        QString b = url + QStringLiteral("?pool=") + QLatin1String(bad);
        CHECK_THROWS_WITH(PgLanePool::takeSize(&b), Catch::Contains("give 1-64 connections"));
    }
}

// The counters' upserts are pipelined (PgConnection::execMany: one round trip per statement
// and batch, not one per row): every row runs, in order, across more than one slice; a row that
// fails fails the call with its SQLSTATE, the rows before it roll back with the transaction, and
// the connection is ready for the ROLLBACK and the next statement.
TEST_CASE("PostgreSQL: pipelined statements run every row in order, and a failing row fails the call cleanly",
          "[sync][postgres]")
{
    SKIP_WITHOUT_POSTGRES();
    PostgresTestDb db;
    PgConnection pg(db.url());
    pg.exec("CREATE TABLE t (k BIGINT PRIMARY KEY, n BIGINT NOT NULL)");
    const char kUpsert[] = "INSERT INTO t (k, n) VALUES ($1, $2) ON CONFLICT (k) DO UPDATE SET n = t.n * 10 + excluded.n";
    std::vector<PgParams> rows;
    for (int i = 0; i < 600; ++i) // three slices of 256 at most
        rows.push_back(PgParams().add(i % 300).add(i < 300 ? 1 : 2));
    pg.exec("BEGIN");
    CHECK(pg.execMany(kUpsert, rows) == 600);
    pg.exec("COMMIT");
    // Order kept: each key got 1 first, then 2 (1 * 10 + 2).
    CHECK(pg.scalar("SELECT count(*) FROM t WHERE n = 12") == 300);
    CHECK(pg.execMany(kUpsert, {}) == 0);

    std::vector<PgParams> bad;
    bad.push_back(PgParams().add(1000).add(1));
    bad.push_back(PgParams().add(1001).addNull()); // NOT NULL: fails here
    bad.push_back(PgParams().add(1002).add(1));
    pg.exec("BEGIN");
    try {
        pg.execMany(kUpsert, bad);
        FAIL("a NOT NULL violation went through");
    } catch (const CollectorError &e) {
        CHECK(QString::fromUtf8(e.what()).contains(QStringLiteral("23502")));
        CHECK(pg.lastSqlState() == QStringLiteral("23502"));
    }
    pg.exec("ROLLBACK");
    CHECK(pg.scalar("SELECT count(*) FROM t WHERE k >= 1000") == 0);
    CHECK(pg.scalar("SELECT count(*) FROM t") == 300);
}
