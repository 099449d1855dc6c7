// SPDX-License-Identifier: Apache-2.0
// CollectorStore's dashboard part on both backends: the counters kept at merge (new,
// replaced, contacts, a conflict resolved), the upgrade that fills them, users, sessions,
// reviews, map cells and points, and the interviews filter.
#include <catch2/catch.hpp>

#include "batchcodec.h"
#include "collectorstore.h"
#include "postgrestestdb.h"
#include "syncsamples.h"
#include "voxpopform.h"

#include <QTemporaryDir>

using namespace kerbside;
using namespace kerbside::test;

namespace {

struct Fixture
{
    QTemporaryDir dir;
    TestCollectorDb db;
    std::unique_ptr<CollectorStore> store;
    explicit Fixture(const std::string &backend) : db(backend, dir.path()), store(openCollectorStore(db.location()))
    {
        store->addCaseStudy(QStringLiteral("leeds"), QStringLiteral("Leeds"));
        store->addCaseStudy(QStringLiteral("york"), QStringLiteral("York"));
        test::publishVoxpop(*store, {QStringLiteral("leeds"), QStringLiteral("york")}); // answers are checked against it
    }
    MergeResult merge(const OutboxBatch &outbox, quint64 sequence)
    {
        const BatchHeader h = header(QStringLiteral("dev-test"), sequence);
        const QByteArray raw = BatchCodec::encode(h, outbox, voxpopTypes());
        return store->mergeBatch(BatchCodec::decode(raw), raw, QStringLiteral("http"), QDateTime::currentDateTimeUtc());
    }
    qint64 count(const QString &cs, const QString &kind)
    {
        qint64 n = 0;
        for (const CounterRow &c : store->counters({cs}, false, false))
            n += c.kind == kind ? c.n : 0;
        return n;
    }
};

} // namespace

TEST_CASE("the merge keeps counters per case study, fieldworker, day and kind", "[sync][collector][web]")
{
    KERBSIDE_FOR_EACH_COLLECTOR_BACKEND(backend);
    Fixture f(backend);
    OutboxBatch b = voxpopBatch(10, 3);
    b.responses[9].meta.status = ResponseStatus::Refused;
    f.merge(b, 1);
    CHECK(f.count(QStringLiteral("leeds"), QStringLiteral("complete")) == 9);
    CHECK(f.count(QStringLiteral("leeds"), QStringLiteral("refused")) == 1);
    CHECK(f.count(QStringLiteral("leeds"), QStringLiteral("contact:refused")) == 3);
    CHECK(f.count(QStringLiteral("york"), QStringLiteral("complete")) == 0);

    // The same batch again (replayed) and the same items in a new one (duplicates) count nothing.
    f.merge(b, 2);
    CHECK(f.count(QStringLiteral("leeds"), QStringLiteral("complete")) == 9);

    // A newer revision replaces the old one: its status moves from refused to complete.
    OutboxBatch revised;
    revised.responses.append(b.responses[9]);
    revised.responses[0].meta.revision = 2;
    revised.responses[0].meta.status = ResponseStatus::Complete;
    f.merge(revised, 3);
    CHECK(f.count(QStringLiteral("leeds"), QStringLiteral("complete")) == 10);
    CHECK(f.count(QStringLiteral("leeds"), QStringLiteral("refused")) == 0);

    const QList<CounterRow> byDay = f.store->counters({QStringLiteral("leeds")}, true, true);
    REQUIRE_FALSE(byDay.isEmpty());
    CHECK(byDay.first().enumerator == QStringLiteral("enumerator-07"));
    CHECK(byDay.first().day == b.responses[0].meta.started.date().toString(Qt::ISODate));

    // A conflict (same revision, other answers) counts nothing until resolved; choosing the
    // other version moves the count if its status differs.
    OutboxBatch other;
    other.responses.append(b.responses[1]);
    other.responses[0].meta.status = ResponseStatus::Refused;
    other.responses[0].answers[QStringLiteral("sat_parks")] = QStringLiteral("1");
    CHECK(f.merge(other, 4).count(MergeOutcome::Conflict) == 1);
    CHECK(f.count(QStringLiteral("leeds"), QStringLiteral("complete")) == 10);
    const QList<ConflictRecord> conflicts = f.store->conflicts();
    REQUIRE(conflicts.size() == 1);
    f.store->resolveConflict(conflicts.first().id, true, QStringLiteral("ann"), QDateTime::currentDateTimeUtc());
    CHECK(f.count(QStringLiteral("leeds"), QStringLiteral("complete")) == 9);
    CHECK(f.count(QStringLiteral("leeds"), QStringLiteral("refused")) == 1);
    CHECK(f.store->conflicts().isEmpty());
    CHECK_THROWS_AS(f.store->resolveConflict(conflicts.first().id, false, QStringLiteral("ann"), QDateTime::currentDateTimeUtc()),
                    CollectorError);
    const std::optional<InterviewRow> now = f.store->interview(b.responses[1].meta.uuid);
    REQUIRE(now);
    CHECK(now->status == QStringLiteral("refused"));
}

TEST_CASE("dashboard users, sessions and reviews are stored, hashes only", "[sync][collector][web]")
{
    KERBSIDE_FOR_EACH_COLLECTOR_BACKEND(backend);
    Fixture f(backend);
    DashboardUser u{QStringLiteral("ann"), QStringLiteral("coordinator"), {QStringLiteral("leeds")},
                    QStringLiteral("$argon2id$v=19$..."), true, false, QDateTime::currentDateTimeUtc()};
    f.store->addUser(u);
    CHECK_THROWS_AS(f.store->addUser(u), CollectorError);
    u.mustChange = false;
    f.store->updateUser(u);
    const std::optional<DashboardUser> back = f.store->user(QStringLiteral("ann"));
    REQUIRE(back);
    CHECK(back->caseStudies == QStringList{QStringLiteral("leeds")});
    CHECK_FALSE(back->mustChange);
    CHECK(back->sees(QStringLiteral("leeds")));
    CHECK_FALSE(back->sees(QStringLiteral("york")));

    const QDateTime t = QDateTime::fromMSecsSinceEpoch(1793324562000LL, Qt::UTC);
    f.store->addSession({QStringLiteral("ab12"), QStringLiteral("ann"), QStringLiteral("csrf"), t, t});
    f.store->touchSession(QStringLiteral("ab12"), t.addSecs(60));
    const std::optional<DashboardSession> s = f.store->session(QStringLiteral("ab12"));
    REQUIRE(s);
    CHECK(s->lastSeen == t.addSecs(60));
    f.store->deleteUserSessions(QStringLiteral("ann"));
    CHECK_FALSE(f.store->session(QStringLiteral("ab12")));

    const OutboxBatch b = voxpopBatch(3);
    f.merge(b, 1);
    f.store->setReview({b.responses[0].meta.uuid, QStringLiteral("has_issues"), QStringLiteral("odd"), QStringLiteral("ann"), t});
    f.store->setReview({b.responses[0].meta.uuid, QStringLiteral("approved"), QString(), QStringLiteral("ann"), t});
    CHECK(f.store->approvedResponses() == QSet<QString>{b.responses[0].meta.uuid});
    CHECK_THROWS_AS(f.store->setReview({QStringLiteral("nope"), QStringLiteral("approved"), {}, QStringLiteral("ann"), t}),
                    CollectorError);
    InterviewFilter filter;
    filter.caseStudies = {QStringLiteral("leeds")};
    filter.review = QStringLiteral("approved");
    CHECK(f.store->interviews(filter).size() == 1);
    filter.review = QStringLiteral("none");
    CHECK(f.store->interviews(filter).size() == 2);
    filter.review.clear();
    filter.shorterThanMs = 60000; // the samples last 140 s
    CHECK(f.store->interviews(filter).isEmpty());
    filter.shorterThanMs = 0;
    filter.caseStudies = {QStringLiteral("york")};
    CHECK(f.store->interviews(filter).isEmpty());
}

TEST_CASE("the map: grid counts at low zoom, points inside a box", "[sync][collector][web]")
{
    KERBSIDE_FOR_EACH_COLLECTOR_BACKEND(backend);
    Fixture f(backend);
    f.merge(voxpopBatch(20, 2), 1);
    double size = 0;
    const QList<MapCell> cells = f.store->gridCells(QStringLiteral("leeds"), GeoBox{}, 8, &size); // cells of 45/256 degrees
    qint64 total = 0;
    for (const MapCell &c : cells)
        total += c.count;
    CHECK(total == 20); // the sample contacts have no fix
    REQUIRE(cells.size() == 1);
    CHECK(std::abs(cells.first().latitude - 51.529688) < size / 2);
    CHECK(std::abs(cells.first().longitude - -2.6092701) < size / 2);
    CHECK(f.store->mapPoints(QStringLiteral("leeds"), GeoBox{51.0, -3.0, 52.0, -2.0}, 100).size() == 20);
    CHECK(f.store->mapPoints(QStringLiteral("leeds"), GeoBox{10.0, 10.0, 11.0, 11.0}, 100).isEmpty());
    CHECK(f.store->mapPoints(QStringLiteral("york"), GeoBox{}, 100).isEmpty());
    const std::optional<GeoBox> e = f.store->mapExtent(QStringLiteral("leeds"));
    REQUIRE(e);
    CHECK(e->south <= 51.529688); // to the grid's finest cell
    CHECK(e->north >= 51.529688 + 19e-6);
    CHECK_FALSE(f.store->mapExtent(QStringLiteral("york")));
    const QList<FieldworkerStats> fw = f.store->fieldworkerStats({}, 200000, 5, false);
    REQUIRE(fw.size() == 1);
    CHECK(fw.first().interviews == 20);
    CHECK(fw.first().medianMs == 142500); // 140.8 s, to its bucket of 140 to 145 s
    CHECK(fw.first().tooFast == 20);
}

TEST_CASE("the merge counts each response on its UTC day, either side of midnight", "[sync][collector][web]")
{
    KERBSIDE_FOR_EACH_COLLECTOR_BACKEND(backend);
    Fixture f(backend);
    // The counters are keyed by a day number while a batch merges (dashboardstore.cpp): the day
    // text must still be the one of t.toUTC().date().
    const QList<qint64> starts{
        QDateTime(QDate(2026, 3, 1), QTime(23, 59, 59, 999), Qt::UTC).toMSecsSinceEpoch(),
        QDateTime(QDate(2026, 3, 2), QTime(0, 0), Qt::UTC).toMSecsSinceEpoch(),
        QDateTime(QDate(2000, 1, 1), QTime(0, 0), Qt::UTC).toMSecsSinceEpoch(), // the earliest a batch may hold
        QDateTime(QDate(2000, 1, 1), QTime(23, 59, 59, 999), Qt::UTC).toMSecsSinceEpoch(),
        QDateTime(QDate(2099, 12, 31), QTime(12, 0), Qt::UTC).toMSecsSinceEpoch(),
    };
    OutboxBatch b = voxpopBatch(int(starts.size()), 0);
    for (qsizetype i = 0; i < starts.size(); ++i) {
        ResponseMeta &m = b.responses[i].meta;
        m.started = QDateTime::fromMSecsSinceEpoch(starts[i], Qt::UTC);
        m.ended = m.started.addSecs(60);
        m.updated = m.ended;
        m.location.time = m.started.addSecs(5);
    }
    REQUIRE(f.merge(b, 1).count(MergeOutcome::Accepted) == int(starts.size()));
    QMap<QString, qint64> perDay;
    for (const CounterRow &c : f.store->counters({QStringLiteral("leeds")}, false, true)) {
        if (c.kind == QLatin1String("complete"))
            perDay[c.day] += c.n;
    }
    const QMap<QString, qint64> expected{{QStringLiteral("2000-01-01"), 2}, {QStringLiteral("2026-03-01"), 1},
                                         {QStringLiteral("2026-03-02"), 1}, {QStringLiteral("2099-12-31"), 1}};
    CHECK(perDay == expected);
}
