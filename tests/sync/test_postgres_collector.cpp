// SPDX-License-Identifier: Apache-2.0
// The PostgreSQL backend beyond the shared collector suite: two `kerbside serve` processes on
// one database merging overlapping uploads exactly once, enrolment codes redeemed at once on
// both, schema versioning, and `kerbside migrate` from SQLite. Real processes, a real cluster
// (KERBSIDE_TEST_PG); skipped with a message when there is none.
#include <catch2/catch.hpp>

#include "batchcodec.h"
#include "collectorprocess.h"
#include "credentials.h"
#include "kerbside/v1/sync.pb.h"
#include "postgrescollectorstore.h"
#include "postgrestestdb.h"
#include "sqlitecollectorstore.h"
#include "syncsamples.h"
#include "voxpopform.h"

#include <httplib.h>

#include <QSet>

#include <atomic>
#include <thread>

using namespace kerbside;
using namespace kerbside::test;

namespace {

const char kProtobuf[] = "application/x-protobuf";

#define SKIP_WITHOUT_POSTGRES()                                                                    \
    if (testPostgresUrl().isEmpty()) {                                                             \
        WARN("KERBSIDE_TEST_PG is not set: PostgreSQL test skipped (.ci/test.sh starts a cluster)"); \
        return;                                                                                    \
    }

struct Device
{
    QString id;
    QString token;
};

struct Reply
{
    int status = 0;
    std::string body;
    std::string error; // X-Kerbside-Error
};

Reply post(int port, const char *path, const std::string &body, const QString &token = {})
{
    httplib::Client c("127.0.0.1", port);
    c.set_read_timeout(60, 0);
    httplib::Headers headers;
    if (!token.isEmpty())
        headers.emplace("Authorization", "Bearer " + token.toStdString());
    httplib::Result res = c.Post(path, headers, body, kProtobuf);
    if (!res)
        return {};
    return {res->status, res->body, res->get_header_value("X-Kerbside-Error")};
}

QString newCode(const QString &db, const QString &caseStudy)
{
    const CommandResult r = runKerbside({QStringLiteral("enrol"), QStringLiteral("--case-study"), caseStudy,
                                         QStringLiteral("--db"), db});
    INFO(r.err.toStdString());
    REQUIRE(r.exitCode == 0);
    static const QRegularExpression re(QStringLiteral("code: ([A-Z0-9]{5}-[A-Z0-9]{5})"));
    const QRegularExpressionMatch m = re.match(r.out);
    REQUIRE(m.hasMatch());
    return m.captured(1);
}

std::string enrolRequest(const QString &code)
{
    v1::EnrolRequest req;
    req.set_format(1);
    req.set_code(code.toStdString());
    req.set_device_label("test tablet");
    return req.SerializeAsString();
}

Device enrol(const QString &db, int port)
{
    const Reply r = post(port, "/v1/enrol", enrolRequest(newCode(db, QStringLiteral("leeds"))));
    REQUIRE(r.status == 200);
    v1::EnrolResponse out;
    REQUIRE(out.ParseFromString(r.body));
    return {QString::fromStdString(out.device_id()), QString::fromStdString(out.token())};
}

// Outcome per response UUID in an acknowledgement.
QHash<QString, v1::Outcome> outcomes(const std::string &ackBytes)
{
    v1::BatchAck ack;
    REQUIRE(ack.ParseFromString(ackBytes));
    QHash<QString, v1::Outcome> out;
    for (const v1::ItemAck &a : ack.responses())
        out.insert(BatchCodec::uuidFromWire(QByteArray::fromStdString(a.uuid()), QString::fromStdString(a.uuid_text())),
                   a.outcome());
    return out;
}

QByteArray encodeBatch(const Device &d, quint64 sequence, const QList<Response> &responses,
                       const QList<ContactEntry> &contacts = {})
{
    OutboxBatch outbox;
    outbox.responses = responses;
    outbox.contacts = contacts;
    return BatchCodec::encode(header(d.id, sequence), outbox, voxpopTypes());
}

// Sends two bodies at the same moment, one to each collector; returns both replies.
std::pair<Reply, Reply> sendBoth(int portA, const QByteArray &a, int portB, const QByteArray &b, const QString &token)
{
    std::atomic<int> ready{0};
    Reply ra, rb;
    auto go = [&](int port, const QByteArray &body, Reply *out) {
        ++ready;
        while (ready.load() < 2) {
        }
        *out = post(port, "/v1/batches", body.toStdString(), token);
    };
    std::thread t1(go, portA, a, &ra);
    std::thread t2(go, portB, b, &rb);
    t1.join();
    t2.join();
    return {ra, rb};
}

} // namespace

TEST_CASE("PostgreSQL: two collectors on one database merge every response exactly once", "[sync][postgres]")
{
    SKIP_WITHOUT_POSTGRES();
    PostgresTestDb db;
    REQUIRE(runKerbside({QStringLiteral("casestudy"), QStringLiteral("add"), QStringLiteral("leeds"), QStringLiteral("--name"),
                         QStringLiteral("Leeds"), QStringLiteral("--db"), db.url()}).exitCode == 0);
    REQUIRE(runKerbside({QStringLiteral("publish"), voxpopFormPath(), QStringLiteral("--case-study"), QStringLiteral("leeds"),
                         QStringLiteral("--db"), db.url()}).exitCode == 0);
    CollectorProcess a(db.url());
    CollectorProcess b(db.url());

    constexpr int kDevices = 4;
    constexpr int kPerDevice = 60;
    std::vector<Device> devices;
    for (int i = 0; i < kDevices; ++i)
        devices.push_back(enrol(db.url(), i % 2 ? b.port() : a.port()));

    // Per device, every step sent to both collectors at once:
    //  1. batch X (R0-29 + 3 contacts) to both: one merges it, the other returns its ack;
    //  2. R20-59 in two batches with other UUIDs, reversed order in one (locks taken in other
    //     orders: deadlocks are detected and the merge retried);
    //  3. R0-9 at revision 2 to one, at revision 3 to the other;
    //  4. batch X again to the second collector: the identical acknowledgement.
    struct Outcome
    {
        std::vector<std::pair<Reply, Reply>> steps;
        Reply replay;
        QList<Response> responses;
    };
    std::vector<Outcome> results(kDevices);
    std::vector<std::thread> threads;
    for (int d = 0; d < kDevices; ++d) {
        threads.emplace_back([&, d] {
            const Device &dev = devices[size_t(d)];
            Outcome &o = results[size_t(d)];
            OutboxBatch pool = voxpopBatch(kPerDevice, 3, QStringLiteral("leeds"), dev.id);
            o.responses = pool.responses;
            const QByteArray x = encodeBatch(dev, 1, pool.responses.mid(0, 30), pool.contacts);
            o.steps.push_back(sendBoth(a.port(), x, b.port(), x, dev.token));
            QList<Response> overlap = pool.responses.mid(20, 40);
            const QByteArray y1 = encodeBatch(dev, 2, overlap, pool.contacts);
            std::reverse(overlap.begin(), overlap.end());
            const QByteArray y2 = encodeBatch(dev, 3, overlap);
            o.steps.push_back(sendBoth(a.port(), y1, b.port(), y2, dev.token));
            QList<Response> rev2 = pool.responses.mid(0, 10), rev3 = pool.responses.mid(0, 10);
            for (Response &r : rev2) {
                r.meta.revision = 2;
                r.answers[QStringLiteral("sat_roads")] = QStringLiteral("3");
            }
            for (Response &r : rev3) {
                r.meta.revision = 3;
                r.answers[QStringLiteral("sat_roads")] = QStringLiteral("5");
            }
            o.steps.push_back(sendBoth(a.port(), encodeBatch(dev, 4, rev2), b.port(), encodeBatch(dev, 5, rev3), dev.token));
            o.replay = post(b.port(), "/v1/batches", x.toStdString(), dev.token);
        });
    }
    for (std::thread &t : threads)
        t.join();

    QSet<QString> expected;
    for (int d = 0; d < kDevices; ++d) {
        const Outcome &o = results[size_t(d)];
        INFO("device " << d);
        for (const auto &[ra, rb] : o.steps) {
            INFO(ra.body << " / " << rb.body);
            REQUIRE(ra.status == 200);
            REQUIRE(rb.status == 200);
        }
        // The same batch at once to both collectors: one acknowledgement, byte for byte.
        CHECK(o.steps[0].first.body == o.steps[0].second.body);
        CHECK(o.replay.status == 200);
        CHECK(o.replay.body == o.steps[0].first.body);
        // R30-59 were new in step 2: accepted by exactly one collector, a duplicate at the other.
        const auto y1 = outcomes(o.steps[1].first.body), y2 = outcomes(o.steps[1].second.body);
        for (int i = 20; i < 60; ++i) {
            const QString uuid = o.responses[i].meta.uuid;
            const int accepted = (y1.value(uuid) == v1::OUTCOME_ACCEPTED) + (y2.value(uuid) == v1::OUTCOME_ACCEPTED);
            const int duplicate = (y1.value(uuid) == v1::OUTCOME_DUPLICATE) + (y2.value(uuid) == v1::OUTCOME_DUPLICATE);
            CHECK(accepted == (i >= 30 ? 1 : 0));
            CHECK(duplicate == (i >= 30 ? 1 : 2));
        }
        for (const Response &r : o.responses)
            expected.insert(r.meta.uuid);
    }
    CHECK(a.stop() == 0);
    CHECK(b.stop() == 0);

    auto store = openCollectorStore(db.url());
    CHECK(store->responseCount() == kDevices * kPerDevice);
    CHECK(store->contactCount() == kDevices * 3);
    CHECK(store->batchCount() == kDevices * 5); // X, Y1, Y2, rev 2, rev 3: each distinct batch once
    CHECK(store->conflicts().isEmpty());
    QSet<QString> seen;
    int duplicates = 0;
    store->forEachResponse({}, [&](const StoredResponse &r) {
        duplicates += seen.contains(r.meta.uuid);
        seen.insert(r.meta.uuid);
        bool revised = false;
        for (const Outcome &o : results) {
            for (int i = 0; i < 10; ++i)
                revised = revised || o.responses[i].meta.uuid == r.meta.uuid;
        }
        CHECK(r.meta.revision == (revised ? 3 : 1));
        CHECK(r.versions == (revised ? 3 : 1));
        return true;
    });
    CHECK(duplicates == 0);
    CHECK(seen == expected);

    // In the tables themselves: every version, contact and batch once.
    PgConnection pg(db.url());
    CHECK(pg.scalar("SELECT count(*) FROM response_versions") == kDevices * (kPerDevice + 20));
    CHECK(pg.scalar("SELECT count(*) FROM (SELECT DISTINCT uuid, revision FROM response_versions) v") == kDevices * (kPerDevice + 20));
    CHECK(pg.scalar("SELECT count(*) FROM contacts") == kDevices * 3);
    CHECK(pg.scalar("SELECT count(DISTINCT batch_uuid) FROM batches") == kDevices * 5);
    CHECK(pg.scalar("SELECT count(*) FROM batch_acks") == kDevices * 5);
    CHECK(pg.scalar("SELECT count(*) FROM response_versions WHERE answers IS NULL OR length(answers) < 2") == 0);
}

TEST_CASE("PostgreSQL: an enrolment code redeemed at once on two collectors works once", "[sync][postgres]")
{
    SKIP_WITHOUT_POSTGRES();
    PostgresTestDb db;
    REQUIRE(runKerbside({QStringLiteral("casestudy"), QStringLiteral("add"), QStringLiteral("leeds"), QStringLiteral("--name"),
                         QStringLiteral("Leeds"), QStringLiteral("--db"), db.url()}).exitCode == 0);
    CollectorProcess a(db.url());
    CollectorProcess b(db.url());
    constexpr int kCodes = 8;
    int winners = 0;
    for (int i = 0; i < kCodes; ++i) {
        const std::string body = enrolRequest(newCode(db.url(), QStringLiteral("leeds")));
        std::atomic<int> ready{0};
        Reply ra, rb;
        auto go = [&](int port, Reply *out) {
            ++ready;
            while (ready.load() < 2) {
            }
            *out = post(port, "/v1/enrol", body);
        };
        std::thread t1(go, a.port(), &ra);
        std::thread t2(go, b.port(), &rb);
        t1.join();
        t2.join();
        INFO("code " << i << ": " << ra.status << " " << rb.status);
        CHECK(((ra.status == 200) + (rb.status == 200)) == 1);
        const Reply &loser = ra.status == 200 ? rb : ra;
        CHECK(loser.status == 409);
        CHECK(loser.error == "code-used");
        winners += (ra.status == 200) + (rb.status == 200);
    }
    CHECK(winners == kCodes);
    auto store = openCollectorStore(db.url());
    CHECK(store->devices().size() == kCodes);
}

TEST_CASE("PostgreSQL: the schema is versioned and a foreign database is refused", "[sync][postgres]")
{
    SKIP_WITHOUT_POSTGRES();
    {
        PostgresTestDb db;
        {
            auto store = openCollectorStore(QStringLiteral("postgres") + db.url().mid(QStringLiteral("postgresql").size()));
            store->addCaseStudy(QStringLiteral("leeds"), QStringLiteral("Leeds"));
        }
        CHECK(openCollectorStore(db.url())->caseStudies().size() == 1); // durable, reopened
        PgConnection(db.url()).exec("UPDATE collector_meta SET value = '99' WHERE key = 'schema_version'");
        try {
            openCollectorStore(db.url());
            FAIL("opened a newer schema");
        } catch (const CollectorError &e) {
            CHECK(e.code() == CollectorError::Code::TooNew);
        }
    }
    {
        PostgresTestDb db;
        PgConnection(db.url()).exec("CREATE TABLE t (x integer)");
        try {
            openCollectorStore(db.url());
            FAIL("opened a foreign database");
        } catch (const CollectorError &e) {
            CHECK(e.code() == CollectorError::Code::Invalid);
        }
    }
    // A server that is not there: a clear error, with no password in it.
    try {
        openCollectorStore(QStringLiteral("postgresql://kerbside:secret-pw@127.0.0.1:1/nowhere?connect_timeout=2"));
        FAIL("connected to nothing");
    } catch (const CollectorError &e) {
        CHECK(e.code() == CollectorError::Code::Io);
        CHECK_THAT(e.what(), Catch::Contains("cannot connect to PostgreSQL"));
        CHECK_THAT(e.what(), !Catch::Contains("secret-pw"));
    }
}

TEST_CASE("kerbside migrate copies an SQLite collector into PostgreSQL, batch log included, and verifies", "[sync][postgres]")
{
    SKIP_WITHOUT_POSTGRES();
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("collector.sqlite"));
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QByteArray firstAck, firstRaw;
    {
        auto src = SqliteCollectorStore::open(path);
        src->addCaseStudy(QStringLiteral("leeds"), QStringLiteral("Leeds"));
        src->addCaseStudy(QStringLiteral("york"), QStringLiteral("York, \"old\"\tcity\\"));
        src->publishForm({QStringLiteral("voxpop"), QStringLiteral("1"), QStringLiteral("Vox pop"),
                          QByteArray("{\"a\":\"tab\\t and \\\\ and \xc3\xa9\"}"), {}, {}, {}},
                         {QStringLiteral("leeds"), QStringLiteral("york")});
        publishVoxpop(*src, {QStringLiteral("leeds"), QStringLiteral("york")});
        src->addEnrolmentCode({Credentials::hash(QStringLiteral("C1")), QStringLiteral("leeds"), now, now.addDays(1)});
        src->addEnrolmentCode({Credentials::hash(QStringLiteral("C2")), QStringLiteral("york"), now, now.addDays(1)});
        src->redeemEnrolmentCode(Credentials::hash(QStringLiteral("C1")), now, QStringLiteral("dev-test"),
                                 Credentials::hash(QStringLiteral("T1")), QStringLiteral("Tab\nA"));
        OutboxBatch outbox = voxpopBatch(30, 4);
        outbox.responses[0].answers[QStringLiteral("comment_best")] = QStringLiteral("line one\nline two\ttab \\N \\\\ \"q\" \u00e9\u4e2d");
        const BatchHeader h = header(QStringLiteral("dev-test"), 1);
        firstRaw = BatchCodec::encode(h, outbox, voxpopTypes());
        firstAck = src->mergeBatch(BatchCodec::decode(firstRaw), firstRaw, QStringLiteral("http"), now).ack;
        OutboxBatch next;
        next.responses = {outbox.responses[1], outbox.responses[2]};
        next.responses[0].meta.revision = 2; // a revision
        next.responses[0].answers[QStringLiteral("sat_parks")] = QStringLiteral("1");
        next.responses[1].answers[QStringLiteral("gender")] = QStringLiteral("other"); // a conflict
        next.contacts = {outbox.contacts[0]};
        next.contacts[0].note = QStringLiteral("changed"); // a contact conflict
        const QByteArray raw2 = BatchCodec::encode(header(QStringLiteral("dev-test"), 3), next, voxpopTypes());
        src->mergeBatch(BatchCodec::decode(raw2), raw2, QStringLiteral("usb"), now.addSecs(60));
        src->revokeDevice(QStringLiteral("dev-test"), now.addSecs(120));
    }
    PostgresTestDb db;
    const CommandResult r = runKerbside({QStringLiteral("migrate"), QStringLiteral("--from"), QStringLiteral("sqlite:") + path,
                                         QStringLiteral("--to"), db.url()});
    INFO(r.out.toStdString() << r.err.toStdString());
    REQUIRE(r.exitCode == 0);
    CHECK(r.out.contains(QStringLiteral("verified")));
    CHECK(r.out.contains(QRegularExpression(QStringLiteral("response_versions\\s+32\\s+32"))));
    CHECK(r.out.contains(QRegularExpression(QStringLiteral("batches\\s+2\\s+2"))));
    // Paradata are packed in response_versions since schema 11: no table of their own to copy
    // (test_paradatapack checks every event arrives).
    CHECK_FALSE(r.out.contains(QRegularExpression(QStringLiteral("\\nparadata\\s"))));

    auto src = SqliteCollectorStore::open(path);
    auto dst = openCollectorStore(db.url());
    auto responses = [](CollectorStore &s) {
        QList<StoredResponse> out;
        s.forEachResponse({}, [&](const StoredResponse &x) {
            out.append(x);
            return true;
        });
        return out;
    };
    const QList<StoredResponse> a = responses(*src), b = responses(*dst);
    REQUIRE(a.size() == 30);
    REQUIRE(b.size() == a.size());
    for (qsizetype i = 0; i < a.size(); ++i) {
        INFO(a[i].meta.uuid.toStdString());
        CHECK(b[i].meta.uuid == a[i].meta.uuid);
        CHECK(b[i].meta.revision == a[i].meta.revision);
        CHECK(b[i].meta.started == a[i].meta.started);
        CHECK(b[i].meta.location.latitude == a[i].meta.location.latitude);
        CHECK(b[i].meta.location.accuracy == a[i].meta.location.accuracy);
        CHECK(b[i].versions == a[i].versions);
        CHECK(b[i].conflicted == a[i].conflicted);
        CHECK(b[i].batchUuid == a[i].batchUuid);
        REQUIRE(b[i].answers.size() == a[i].answers.size());
        for (qsizetype j = 0; j < a[i].answers.size(); ++j) {
            CHECK(b[i].answers[j].question == a[i].answers[j].question);
            CHECK(b[i].answers[j].value == a[i].answers[j].value);
            CHECK(b[i].answers[j].type == a[i].answers[j].type);
        }
    }
    CHECK(dst->caseStudies().value(1).name == src->caseStudies().value(1).name);
    CHECK(dst->forms().value(0).json == src->forms().value(0).json);
    CHECK(dst->forms().value(0).caseStudies == src->forms().value(0).caseStudies);
    CHECK(dst->contactCount() == src->contactCount());
    const QList<ConflictRecord> ca = src->conflicts(), cb = dst->conflicts();
    REQUIRE(ca.size() == 2);
    REQUIRE(cb.size() == 2);
    for (int i = 0; i < 2; ++i) {
        CHECK(cb[i].uuid == ca[i].uuid);
        CHECK(cb[i].differences == ca[i].differences);
        CHECK(cb[i].keptBatch == ca[i].keptBatch);
        CHECK(cb[i].otherBatch == ca[i].otherBatch);
    }
    const std::optional<DeviceRecord> d = dst->deviceByTokenHash(Credentials::hash(QStringLiteral("T1")));
    REQUIRE(d);
    CHECK(d->label == QStringLiteral("Tab\nA"));
    CHECK(d->isRevoked());
    const std::optional<DeviceRecord> full = dst->device(QStringLiteral("dev-test"));
    REQUIRE(full);
    CHECK(full->missingSequences == 1);
    CHECK(dst->sequences(QStringLiteral("dev-test")) == QList<quint64>{1, 3});
    // The remaining code still works once, on the new backend.
    dst->redeemEnrolmentCode(Credentials::hash(QStringLiteral("C2")), now, QStringLiteral("dev-2"),
                             Credentials::hash(QStringLiteral("T2")), {});
    CHECK_THROWS_AS(dst->redeemEnrolmentCode(Credentials::hash(QStringLiteral("C1")), now, QStringLiteral("dev-3"),
                                             Credentials::hash(QStringLiteral("T3")), {}),
                    CollectorError);

    // The batch log came across: a re-sent old batch gets the very acknowledgement SQLite gave,
    // and new batches get new ids after the copied ones.
    const MergeResult replay = dst->mergeBatch(BatchCodec::decode(firstRaw), firstRaw, QStringLiteral("http"), now.addDays(1));
    CHECK(replay.replayed);
    CHECK(replay.ack == firstAck);
    const QByteArray raw3 = BatchCodec::encode(header(QStringLiteral("dev-2"), 1), voxpopBatch(2, 0, QStringLiteral("york"), QStringLiteral("dev-2")),
                                               voxpopTypes());
    CHECK(dst->mergeBatch(BatchCodec::decode(raw3), raw3, QStringLiteral("http"), now).count(MergeOutcome::Accepted) == 2);
    CHECK(dst->batchCount() == 3);
    CHECK(dst->responseCount() == 32);

    // Never over a collector database that holds data; never from something that is not one.
    const CommandResult again = runKerbside({QStringLiteral("migrate"), QStringLiteral("--from"), path, QStringLiteral("--to"), db.url()});
    CHECK(again.exitCode == 1);
    CHECK(again.err.contains(QStringLiteral("not empty")));
    CHECK(dst->batchCount() == 3);
    PostgresTestDb empty;
    const CommandResult missing = runKerbside({QStringLiteral("migrate"), QStringLiteral("--from"),
                                               dir.filePath(QStringLiteral("nope.sqlite")), QStringLiteral("--to"), empty.url()});
    CHECK(missing.exitCode == 1);
    CHECK(missing.err.contains(QStringLiteral("no such file")));
    const CommandResult usage = runKerbside({QStringLiteral("migrate"), QStringLiteral("--from"), path});
    CHECK(usage.exitCode == 2);
}
