// SPDX-License-Identifier: Apache-2.0
// The case-study, device and list-flag counters kept at merge (casecounters.cpp), on both
// backends: after many random merges, revisions (status, start, place and paradata moved), a
// replayed batch, a sequence sent twice, a resolved conflict and a new area, every counter
// equals a recount from scratch over what is held; and schema step 10 fills the same from an
// existing database.
#include <catch2/catch.hpp>

#include "areahistory.h"
#include "batchcodec.h"
#include "casecounters.h"
#include "collectorstore.h"
#include "credentials.h"
#include "postgresconnection.h"
#include "postgrestestdb.h"
#include "sqliteconnection.h"
#include "syncsamples.h"
#include "version10paradata.h"
#include "voxpopform.h"

#include <QTemporaryDir>

#include <cmath>
#include <map>
#include <random>
#include <set>

using namespace kerbside;
using namespace kerbside::test;

namespace {

// A 0.02-degree square round the samples' positions (51.5297, -2.6093).
const char kArea[] = R"({"type":"Polygon","coordinates":[[[-2.62,51.52],[-2.60,51.52],[-2.60,51.54],[-2.62,51.54],[-2.62,51.52]]]})";
const QStringList kCaseStudies{QStringLiteral("leeds"), QStringLiteral("york")};
const QStringList kDevices{QStringLiteral("dev-a"), QStringLiteral("dev-b")};
const QStringList kQuestions{QStringLiteral("consent"), QStringLiteral("age_band"), QStringLiteral("gender"),
                             QStringLiteral("neighbourhood"), QStringLiteral("sat_waste"), QStringLiteral("sat_streets"),
                             QStringLiteral("sat_parks"), QStringLiteral("sat_libraries"), QStringLiteral("sat_roads"),
                             QStringLiteral("sat_transport"), QStringLiteral("sat_housing"), QStringLiteral("sat_socialcare")};
constexpr qint64 kFastMs = 3000; // the list filter's threshold in the checks

// What the counters must say, recounted from the held responses and their paradata.
struct Counts
{
    std::map<std::tuple<QString, qint64, QString>, qint64> starts;      // case study, quarter hour, status
    std::map<std::tuple<QString, QString, int>, qint64> places;         // case study, fieldworker, place
    std::map<std::tuple<QString, qint64, qint64>, qint64> questions;    // fieldworker, bucket from, to
    std::set<QString> outside, fast;                                    // the list filters' uuids
    std::map<QString, std::tuple<qint64, quint64, qint64, QDateTime>> devices; // batches, last sequence, missing, last batch
    std::map<QString, std::pair<QString, QStringList>> versions;       // app version, forms
    bool operator==(const Counts &) const = default;
};

std::set<QString> uuidsOf(const QList<InterviewRow> &rows)
{
    std::set<QString> out;
    for (const InterviewRow &r : rows)
        out.insert(r.uuid);
    return out;
}

Counts fromCounters(CollectorStore &s)
{
    Counts c;
    for (const QString &cs : kCaseStudies) {
        for (const StartCount &n : s.startCounts(cs))
            c.starts[{cs, n.quarterHour, n.status}] += n.n;
    }
    for (const PlaceCountRow &p : s.placeCounts(kCaseStudies))
        c.places[{p.caseStudy, p.enumerator, p.place}] += p.n;
    for (const QuestionCountRow &q : s.questionCounts(kCaseStudies))
        c.questions[{q.enumerator, q.fromMs, q.toMs}] += q.n;
    InterviewFilter f;
    f.limit = 1000;
    f.outsideArea = true;
    c.outside = uuidsOf(s.interviews(f));
    f.outsideArea = false;
    f.fastQuestionMs = kFastMs;
    c.fast = uuidsOf(s.interviews(f));
    for (const DeviceRecord &d : s.deviceSyncs())
        c.devices[d.id] = {d.batches, d.lastSequence, d.missingSequences, d.lastBatch};
    for (const DeviceVersions &v : s.deviceVersions())
        c.versions[v.deviceId] = {v.appVersion, v.forms};
    return c;
}

Counts recount(CollectorStore &s, const std::map<QString, QString> &appVersions, const std::map<QString, QStringList> &forms)
{
    Counts c;
    for (const QString &cs : kCaseStudies) {
        const AreaHistory area(s.caseStudyAreas(cs));
        s.forEachResponse(cs, [&](const StoredResponse &r) {
            const ResponseMeta &m = r.meta;
            const QString status = responseStatusName(m.status);
            if (m.started.isValid())
                c.starts[{cs, cases::quarterHour(m.started.toMSecsSinceEpoch()), status}] += 1;
            const bool fix = std::isfinite(m.location.latitude) && std::isfinite(m.location.longitude);
            const AreaHistory::Place p = area.judge(m.started, m.location.latitude, m.location.longitude);
            const int place = !fix ? 2 : area.isEmpty() ? 3 : p == AreaHistory::Place::Inside ? 0 : 1;
            c.places[{cs, m.enumerator, place}] += 1;
            if (place == 1)
                c.outside.insert(m.uuid);
            QList<cases::PagingEvent> paging;
            for (const ParadataRow &e : s.interviewParadata(s.interview(m.uuid)->versionId)) {
                if (e.kind == QLatin1String("shown") || e.kind == QLatin1String("finalised"))
                    paging.append({e.time.toMSecsSinceEpoch(), e.time.isValid(), e.kind == QLatin1String("shown"), e.question});
            }
            const double ms = cases::medianQuestionMs(paging, m.ended.toMSecsSinceEpoch(), m.ended.isValid());
            if (ms >= 0) {
                const int b = cases::questionBucket(qint64(std::floor(ms)));
                c.questions[{m.enumerator, cases::questionBucketStart(b), cases::questionBucketEnd(b)}] += 1;
                if (ms < kFastMs)
                    c.fast.insert(m.uuid);
            }
            return true;
        });
    }
    for (const DeviceRecord &d : s.devices()) // with the counts read from the batch log
        c.devices[d.id] = {d.batches, d.lastSequence, d.missingSequences, d.lastBatch};
    for (const auto &[device, app] : appVersions)
        c.versions[device] = {app, forms.at(device)};
    return c;
}

struct Fixture
{
    QTemporaryDir dir;
    TestCollectorDb db;
    std::unique_ptr<CollectorStore> store;
    std::mt19937 random{13};
    std::map<QString, quint64> sequence;        // per device
    std::map<QString, std::pair<quint64, QString>> newest; // per device: the newest sequence's app version
    std::map<QString, Response> held;           // uuid -> the newest revision sent
    std::map<QString, QString> owner;           // uuid -> device
    explicit Fixture(const std::string &backend) : db(backend, dir.path()), store(openCollectorStore(db.location()))
    {
        for (const QString &cs : kCaseStudies)
            store->addCaseStudy(cs, cs);
        test::publishVoxpop(*store, kCaseStudies);
        const QDateTime now = QDateTime::currentDateTimeUtc();
        for (const QString &d : kDevices) {
            const QString code = Credentials::newEnrolmentCode();
            store->addEnrolmentCode({Credentials::hash(code), QStringLiteral("leeds"), now, now.addDays(1)});
            store->redeemEnrolmentCode(Credentials::hash(code), now, d, Credentials::hash(Credentials::newToken()), d);
        }
    }
    int pick(int n) { return int(random() % unsigned(n)); }
    // Random start (over three days), status, fieldworker, place and pages shown.
    void vary(Response &r, QList<ParadataEvent> *paradata)
    {
        ResponseMeta &m = r.meta;
        m.started = QDateTime::fromMSecsSinceEpoch(1793324562498LL + qint64(pick(3 * 96)) * 900000 + pick(900000), Qt::UTC);
        m.ended = m.started.addSecs(60 + pick(1800));
        m.updated = m.ended;
        const ResponseStatus statuses[] = {ResponseStatus::Complete, ResponseStatus::Refused, ResponseStatus::Partial};
        m.status = statuses[pick(3)];
        m.enumerator = QStringLiteral("enumerator-%1").arg(pick(3));
        const int where = pick(3);
        m.location.latitude = where == 2 ? qQNaN() : 51.53;
        m.location.longitude = where == 2 ? qQNaN() : where == 0 ? -2.61 : -2.53;
        if (where == 2)
            m.location = Location{};
        paradata->clear();
        QDateTime t = m.started;
        const int pages = pick(4); // none: no question time
        for (int p = 0; p < pages; ++p) {
            for (int q = 0, n = 1 + pick(3); q < n; ++q)
                paradata->append({m.uuid, t, ParadataEvent::Kind::Shown, kQuestions[(3 * p + q) % kQuestions.size()], {}});
            t = t.addMSecs(200 + pick(9000));
        }
        if (pages && pick(2))
            paradata->append({m.uuid, t, ParadataEvent::Kind::Finalised, {}, {}});
    }
    QByteArray send(const QString &device, const OutboxBatch &b, bool sameSequence = false)
    {
        BatchHeader h = header(device, sameSequence ? sequence[device] : ++sequence[device]);
        h.appVersion = QStringLiteral("1.%1").arg(pick(5));
        if (h.sequence >= newest[device].first)
            newest[device] = {h.sequence, h.appVersion};
        const QByteArray raw = BatchCodec::encode(h, b, voxpopTypes());
        store->mergeBatch(BatchCodec::decode(raw), raw, QStringLiteral("http"), QDateTime::currentDateTimeUtc());
        return raw;
    }
    // A batch of new responses and revisions of held ones, from one device.
    QByteArray round(const QString &device, int fresh, int revisions)
    {
        OutboxBatch b;
        for (int i = 0; i < fresh; ++i) {
            Response r = voxpopResponse(i, kCaseStudies[pick(2)], device);
            QList<ParadataEvent> events;
            vary(r, &events);
            b.responses.append(r);
            b.paradata.append(events); // one list per response
        }
        std::vector<QString> mine;
        for (const auto &[uuid, d] : owner) {
            if (d == device)
                mine.push_back(uuid);
        }
        for (int i = 0; i < revisions && !mine.empty(); ++i) {
            const QString uuid = mine[size_t(pick(int(mine.size())))];
            bool inBatch = false;
            for (const Response &r : b.responses)
                inBatch = inBatch || r.meta.uuid == uuid;
            if (inBatch)
                continue;
            Response r = held.at(uuid);
            r.meta.revision += 1;
            QList<ParadataEvent> events;
            vary(r, &events);
            b.responses.append(r);
            b.paradata.append(events);
        }
        for (const Response &r : b.responses) {
            held[r.meta.uuid] = r;
            owner[r.meta.uuid] = device;
        }
        return send(device, b);
    }
    Counts expected()
    {
        std::map<QString, QString> apps;
        std::map<QString, QStringList> forms;
        for (const auto &[device, n] : newest) {
            apps[device] = n.second;
            forms[device] = QStringList{QStringLiteral("voxpop_council 2026112401")};
        }
        return recount(*store, apps, forms);
    }
};

} // namespace

TEST_CASE("the median time on screen splits a page over its questions and adds up revisits", "[sync][collector][web]")
{
    using cases::PagingEvent;
    const auto shown = [](qint64 ms, const char *q) { return PagingEvent{ms, true, true, QString::fromLatin1(q)}; };
    // a alone for 1 s, then b and c together for 3 s (1.5 s each), a again for 2 s, finalised.
    QList<PagingEvent> e{shown(0, "a"), shown(1000, "b"), shown(1000, "c"), shown(4000, "a"), {6000, true, false, {}}};
    CHECK(cases::medianQuestionMs(e, 0, false) == 1500); // a 3000, b 1500, c 1500
    e.removeLast(); // no "finalised": the last page runs to the interview's end, if known
    CHECK(cases::medianQuestionMs(e, 9000, true) == 1500);  // a 6000
    e[1].question = QStringLiteral("a");
    e[2].question = QStringLiteral("a");
    CHECK(cases::medianQuestionMs(e, 0, false) == 1000 + 3000); // one question: the last page counts nothing
    CHECK(cases::medianQuestionMs({}, 0, false) == -1);
    // Beyond the first 64 names (only a hostile batch has so many): the same sums. q_i is on
    // screen i + 1 ms, then q0 and q99 again for 1 s each: 2..99, 1001, 1100, whose median is 51.5.
    QList<PagingEvent> many;
    qint64 t = 0;
    for (int i = 0; i < 100; ++i) {
        many.append({t, true, true, QStringLiteral("q%1").arg(i)});
        t += i + 1;
    }
    many.append({t, true, true, QStringLiteral("q0")});
    many.append({t + 1000, true, true, QStringLiteral("q99")});
    many.append({t + 2000, true, false, {}});
    CHECK(cases::medianQuestionMs(many, 0, false) == 51.5);
}

TEST_CASE("case-study, device and flag counters equal a recount after merges, revisions, a conflict and an area",
          "[sync][collector][web]")
{
    KERBSIDE_FOR_EACH_COLLECTOR_BACKEND(backend);
    Fixture f(backend);
    f.round(QStringLiteral("dev-a"), 12, 0);
    f.round(QStringLiteral("dev-b"), 10, 0);
    CHECK(fromCounters(*f.store) == f.expected());
    const QByteArray again = f.round(QStringLiteral("dev-a"), 6, 8);
    f.round(QStringLiteral("dev-b"), 4, 6);
    f.store->setCaseStudyArea(QStringLiteral("leeds"), kArea, QStringLiteral("area.geojson")); // re-judges the places
    CHECK(fromCounters(*f.store) == f.expected());
    for (int i = 0; i < 4; ++i)
        f.round(kDevices[i % 2], 5, 10);
    // The same batch again (replayed), and its items under a new batch of the same sequence
    // (duplicates, one batch more, no sequence more): nothing moves but the batch count.
    f.store->mergeBatch(BatchCodec::decode(again), again, QStringLiteral("http"), QDateTime::currentDateTimeUtc());
    OutboxBatch dup;
    dup.responses.append(f.held.begin()->second);
    dup.paradata.append(QList<ParadataEvent>{});
    f.send(f.owner.at(f.held.begin()->first), dup, true);

    const Counts c = fromCounters(*f.store);
    CHECK(c == f.expected());
    CHECK(c.starts.size() > 10);
    CHECK(c.questions.size() > 5);
    CHECK_FALSE(c.outside.empty());
    CHECK_FALSE(c.fast.empty());
    const auto devA = c.devices.at(QStringLiteral("dev-a"));
    CHECK(std::get<0>(devA) == qint64(std::get<1>(devA)) + 1); // one sequence sent twice

    // A revision moves its counts: to refused, started a day later, outside, no page shown.
    const QString uuid = f.held.begin()->first;
    Response r = f.held.at(uuid);
    r.meta.revision += 1;
    r.meta.status = ResponseStatus::Refused;
    r.meta.started = r.meta.started.addDays(1);
    r.meta.ended = r.meta.started.addSecs(600);
    r.meta.updated = r.meta.ended;
    r.meta.location.latitude = 51.53;
    r.meta.location.longitude = -2.53;
    r.meta.caseStudy = f.held.at(uuid).meta.caseStudy;
    OutboxBatch revised;
    revised.responses.append(r);
    revised.paradata.append(QList<ParadataEvent>{});
    f.held[uuid] = r;
    f.send(f.owner.at(uuid), revised);
    const Counts moved = fromCounters(*f.store);
    CHECK(moved == f.expected());
    CHECK(moved.starts.count({r.meta.caseStudy, cases::quarterHour(r.meta.started.toMSecsSinceEpoch()), QStringLiteral("refused")}) == 1);
    CHECK(moved.fast.count(uuid) == 0);
    CHECK((r.meta.caseStudy != QStringLiteral("leeds") || moved.outside.count(uuid) == 1));

    // A conflict (the same revision, other content and place) moves nothing until chosen.
    OutboxBatch other = revised;
    other.responses[0].answers[QStringLiteral("sat_parks")] = QStringLiteral("1");
    other.responses[0].meta.location = Location{};
    other.responses[0].meta.status = ResponseStatus::Complete;
    QList<ParadataEvent> pages;
    pages.append({uuid, r.meta.ended.addSecs(-1), ParadataEvent::Kind::Shown, QStringLiteral("consent"), {}});
    other.paradata[0] = pages;
    f.send(f.owner.at(uuid), other);
    CHECK(fromCounters(*f.store) == f.expected());
    f.store->resolveConflict(f.store->conflicts().first().id, true, QStringLiteral("ann"), QDateTime::currentDateTimeUtc());
    const Counts chosen = fromCounters(*f.store);
    CHECK(chosen == f.expected());
    CHECK(chosen.outside.count(uuid) == 0);
    CHECK(chosen.fast.count(uuid) == 1); // one question, on screen the last second
}

TEST_CASE("schema step 10 fills the case-study, device and flag counters from what is held", "[sync][collector][web]")
{
    KERBSIDE_FOR_EACH_COLLECTOR_BACKEND(backend);
    Fixture f(backend);
    f.store->setCaseStudyArea(QStringLiteral("leeds"), kArea, QStringLiteral("area.geojson"));
    for (int i = 0; i < 6; ++i)
        f.round(kDevices[i % 2], 8, 6);
    const Counts before = fromCounters(*f.store);
    REQUIRE(before == f.expected());
    f.store.reset();
    // Back to version 8: the step's tables gone, the paradata a table again (step 11 packs them).
    REQUIRE(unpackParadataToVersion10(f.db.location(), f.db.isPostgres()) > 0);
    const char *drop = "DROP TABLE device_syncs; DROP TABLE device_forms; DROP TABLE start_counts; DROP TABLE question_counts;"
                       " DROP TABLE response_flags; UPDATE collector_meta SET value = '8' WHERE key = 'schema_version'";
    if (f.db.isPostgres()) {
        PgConnection pg(f.db.location());
        pg.exec(drop);
    } else {
        SqliteConnection c(f.db.location());
        c.exec(drop);
    }
    f.store = openCollectorStore(f.db.location());
    CHECK(fromCounters(*f.store) == before);
    // And the merge goes on from there.
    f.round(QStringLiteral("dev-a"), 4, 6);
    CHECK(fromCounters(*f.store) == f.expected());
}
