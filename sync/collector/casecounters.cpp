// SPDX-License-Identifier: Apache-2.0
// The dashboard's case-study, device and list-flag counters (casecounters.h): the arithmetic,
// and CollectorStore's part. Kept at merge from countResponse()/countVersion() (the response's
// place, start and question time; a replaced version's counts are read back from its
// response_flags row, so a revision moves them exactly) and countBatch() (the device rows),
// flushed with the other counters in the merge's transaction. Portable SQL over
// sqlRows()/sqlExec(), as dashboardstore.cpp.
#include "casecounters.h"

#include "collectorstore.h"

#include <QtMath>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>
#include <vector>

namespace kerbside::cases {

int questionBucket(qint64 ms)
{
    if (ms < 60000)
        return int(std::max<qint64>(ms, 0) / 100);
    if (ms < 600000)
        return int(600 + (ms - 60000) / 1000);
    return kQuestionOverflow;
}

qint64 questionBucketStart(int b)
{
    if (b < 600)
        return qint64(b) * 100;
    if (b < kQuestionOverflow)
        return 60000 + qint64(b - 600) * 1000;
    return 600000;
}

qint64 questionBucketEnd(int b)
{
    return b < kQuestionOverflow ? questionBucketStart(b + 1) : 3600000;
}

double medianQuestionMs(const QList<PagingEvent> &e, qint64 endedMs, bool endedValid)
{
    // Question -> ms on screen. This runs for every merged response, so its ~22 questions are
    // looked up in a small vector, not a QHash that allocates and hashes every name; past
    // kLinear names (only a hostile batch has so many) the rest go to a hash, so the time
    // stays linear in the events.
    constexpr size_t kLinear = 64;
    std::vector<std::pair<const QString *, double>> small;
    small.reserve(32);
    QHash<QString, double> more;
    const auto add = [&](const QString &q, double share) {
        for (auto &entry : small) {
            if (*entry.first == q) {
                entry.second += share;
                return;
            }
        }
        if (small.size() < kLinear)
            small.emplace_back(&q, share);
        else
            more[q] += share;
    };
    qsizetype i = 0;
    while (i < e.size()) {
        if (!e[i].shown || !e[i].valid) {
            ++i;
            continue;
        }
        // One page: the "shown" events at the same moment.
        qsizetype j = i;
        while (j < e.size() && e[j].shown && e[j].valid && e[j].timeMs == e[i].timeMs)
            ++j;
        qint64 next = e[i].timeMs;
        if (j < e.size() ? e[j].valid : endedValid)
            next = std::max(j < e.size() ? e[j].timeMs : endedMs, e[i].timeMs);
        const double share = double(next - e[i].timeMs) / double(j - i);
        for (qsizetype k = i; k < j; ++k)
            add(e[k].question, share);
        i = j;
    }
    if (small.empty())
        return -1;
    std::vector<double> v;
    v.reserve(small.size() + size_t(more.size()));
    for (const auto &entry : small)
        v.push_back(entry.second);
    v.insert(v.end(), more.cbegin(), more.cend());
    std::sort(v.begin(), v.end());
    const size_t n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

QByteArray backfillSql(SqlDialect dialect)
{
    Q_UNUSED(dialect); // the same SQL on both backends
    return "INSERT INTO device_syncs (device_id, batches, sequences, last_sequence, last_received_ms, app_version)"
           " SELECT b.device_id, count(*), count(DISTINCT b.sequence), max(b.sequence), max(b.received_ms),"
           " (SELECT o.app_version FROM batches o WHERE o.device_id = b.device_id ORDER BY o.sequence DESC, o.id DESC LIMIT 1)"
           " FROM batches b GROUP BY b.device_id;\n"
           "INSERT INTO device_forms (device_id, form_id, form_version)"
           " SELECT DISTINCT device_id, form_id, form_version FROM response_versions;\n"
           "INSERT INTO start_counts (case_study, quarter_hour, kind, n)"
           " SELECT r.case_study, v.started_ms / 900000, v.status, count(*)"
           " FROM responses r JOIN response_versions v ON v.id = r.current_version"
           " WHERE v.started_ms IS NOT NULL GROUP BY 1, 2, 3;\n"
           "INSERT INTO collector_meta (key, value) SELECT 'case_counts_unfilled', '1'"
           " WHERE EXISTS (SELECT 1 FROM responses);\n";
}

size_t qHash(const Tally::StartKey &k, size_t seed)
{
    return qHashMulti(seed, k.caseStudy, k.quarter, k.kind);
}

size_t qHash(const Tally::QuestionKey &k, size_t seed)
{
    return qHashMulti(seed, k.caseStudy, k.enumerator, k.bucket);
}

} // namespace kerbside::cases

namespace kerbside {

namespace {

QList<cases::PagingEvent> pagingOf(const QList<ParadataEvent> &paradata)
{
    QList<cases::PagingEvent> out;
    for (const ParadataEvent &e : paradata) {
        if (e.kind == ParadataEvent::Kind::Shown || e.kind == ParadataEvent::Kind::Finalised)
            out.append({e.time.isValid() ? e.time.toMSecsSinceEpoch() : 0, e.time.isValid(),
                        e.kind == ParadataEvent::Kind::Shown, e.question});
    }
    return out;
}

} // namespace

// --- kept at merge -----------------------------------------------------------------------

void CollectorStore::caseCount(const QString &uuid, const ResponseMeta &meta, const QString &kind,
                               const QList<cases::PagingEvent> &paging)
{
    cases::Tally::Flags f;
    f.caseStudy = meta.caseStudy;
    f.enumerator = meta.enumerator;
    f.kind = kind;
    f.startValid = meta.started.isValid();
    f.quarter = f.startValid ? cases::quarterHour(meta.started.toMSecsSinceEpoch()) : -1;
    f.place = int(grid::validFix(meta.location.latitude, meta.location.longitude)
                      ? judgePlace(meta.caseStudy, meta.started, meta.location)
                      : grid::Place::NoFix);
    const double q = cases::medianQuestionMs(paging, meta.ended.isValid() ? meta.ended.toMSecsSinceEpoch() : 0,
                                             meta.ended.isValid());
    f.questionMs = q < 0 ? -1 : qint64(std::floor(q));
    cases::Tally &t = m_cases;
    if (f.startValid)
        t.starts[{f.caseStudy, f.quarter, kind}] += 1;
    if (f.questionMs >= 0)
        t.questions[{f.caseStudy, f.enumerator, cases::questionBucket(f.questionMs)}] += 1;
    t.flags.insert(uuid, f);
}

void CollectorStore::caseCount(const IncomingResponse &r)
{
    caseCount(r.meta.uuid, r.meta, responseStatusName(r.meta.status), pagingOf(r.paradata));
}

void CollectorStore::caseUncount(const QString &uuid)
{
    cases::Tally &t = m_cases;
    cases::Tally::Flags f;
    if (const auto it = t.flags.constFind(uuid); it != t.flags.constEnd()) { // counted earlier in this batch
        f = *it;
    } else {
        const auto rows = sqlRows("SELECT case_study, enumerator, kind, quarter_hour, question_ms FROM response_flags WHERE uuid = $1",
                                  {uuid}, 5);
        if (rows.isEmpty())
            return;
        const QStringList &r = rows.first();
        f.caseStudy = r[0];
        f.enumerator = r[1];
        f.kind = r[2];
        f.startValid = !r[3].isNull();
        f.quarter = r[3].toLongLong();
        f.questionMs = r[4].isNull() ? -1 : r[4].toLongLong();
    }
    if (f.startValid)
        t.starts[{f.caseStudy, f.quarter, f.kind}] -= 1;
    if (f.questionMs >= 0)
        t.questions[{f.caseStudy, f.enumerator, cases::questionBucket(f.questionMs)}] -= 1;
    t.flags.remove(uuid); // the version that replaces it writes its own row
}

void CollectorStore::caseCountVersion(const QString &uuid, qint64 versionId, const QStringList &row)
{
    // row: case_study, enumerator, started_ms, status, ended_ms, latitude, longitude (countVersion()'s read)
    ResponseMeta meta;
    meta.caseStudy = row[0];
    meta.enumerator = row[1];
    meta.started = row[2].isNull() ? QDateTime() : QDateTime::fromMSecsSinceEpoch(row[2].toLongLong(), Qt::UTC);
    meta.ended = row[4].isNull() ? QDateTime() : QDateTime::fromMSecsSinceEpoch(row[4].toLongLong(), Qt::UTC);
    meta.location.latitude = row[5].isNull() ? qQNaN() : row[5].toDouble();
    meta.location.longitude = row[6].isNull() ? qQNaN() : row[6].toDouble();
    QList<cases::PagingEvent> paging;
    forEachParadata(versionId, versionId, [&paging](qint64, const QList<ParadataEvent> &events) { paging = pagingOf(events); });
    caseCount(uuid, meta, row[3], paging);
}

void CollectorStore::casePlace(const QString &uuid, const QString &caseStudy, const QDateTime &started, const Location &where)
{
    m_cases.places.insert(uuid, int(grid::validFix(where.latitude, where.longitude) ? judgePlace(caseStudy, started, where)
                                                                                     : grid::Place::NoFix));
}

void CollectorStore::countBatch(const IncomingBatch &batch, qint64 batchId, const QDateTime &received, const MergeResult &result)
{
    const BatchHeader &h = batch.header;
    // A sequence already held (a batch sent again under a new UUID) adds a batch, not a sequence.
    const bool newSequence = sqlRows("SELECT 1 FROM batches WHERE device_id = $1 AND sequence = $2 AND id <> $3 LIMIT 1",
                                     {h.deviceId, qint64(h.sequence), batchId}, 1)
                                 .isEmpty();
    sqlExec("INSERT INTO device_syncs (device_id, batches, sequences, last_sequence, last_received_ms, app_version)"
            " VALUES ($1, 1, $2, $3, $4, $5) ON CONFLICT (device_id) DO UPDATE SET batches = device_syncs.batches + 1,"
            " sequences = device_syncs.sequences + excluded.sequences,"
            " app_version = CASE WHEN excluded.last_sequence >= device_syncs.last_sequence THEN excluded.app_version"
            " ELSE device_syncs.app_version END,"
            " last_sequence = CASE WHEN excluded.last_sequence > device_syncs.last_sequence THEN excluded.last_sequence"
            " ELSE device_syncs.last_sequence END,"
            " last_received_ms = CASE WHEN device_syncs.last_received_ms IS NULL OR excluded.last_received_ms > device_syncs.last_received_ms"
            " THEN excluded.last_received_ms ELSE device_syncs.last_received_ms END",
            {h.deviceId, qint64(newSequence ? 1 : 0), qint64(h.sequence), received.toMSecsSinceEpoch(), h.appVersion});
    // Every version stored (all but refused items) was recorded with its form version.
    std::set<std::tuple<QString, QString, QString>> forms; // sorted: one order for concurrent collectors
    for (qsizetype i = 0; i < batch.responses.size() && i < result.responses.size(); ++i) {
        const ResponseMeta &m = batch.responses[i].meta;
        if (result.responses[i].outcome != MergeOutcome::Rejected)
            forms.insert({m.deviceId, m.formId, m.formVersion});
    }
    QList<QVariantList> rows;
    for (const auto &[device, form, version] : forms)
        rows.append({device, form, version});
    sqlExecMany("INSERT INTO device_forms (device_id, form_id, form_version) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING", rows);
}

// One row per response, no other merge shares it: written before the shared counters, whose
// row locks are then held for as short a time as can be (PostgreSQL: until the COMMIT).
void CollectorStore::flushResponseFlags()
{
    cases::Tally &t = m_cases;
    std::vector<QString> uuids(t.flags.keyBegin(), t.flags.keyEnd());
    std::sort(uuids.begin(), uuids.end());
    QList<QVariantList> rows;
    rows.reserve(qsizetype(uuids.size()));
    for (const QString &uuid : uuids) {
        const cases::Tally::Flags &f = t.flags[uuid];
        rows.append({uuid, f.caseStudy, f.enumerator, f.kind, f.startValid ? QVariant(f.quarter) : QVariant(), qint64(f.place),
                     f.questionMs >= 0 ? QVariant(f.questionMs) : QVariant()});
    }
    sqlExecMany("INSERT INTO response_flags (uuid, case_study, enumerator, kind, quarter_hour, place, question_ms)"
                " VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (uuid) DO UPDATE SET case_study = excluded.case_study,"
                " enumerator = excluded.enumerator, kind = excluded.kind, quarter_hour = excluded.quarter_hour,"
                " place = excluded.place, question_ms = excluded.question_ms",
                rows);
    std::vector<std::pair<QString, int>> places(t.places.keyValueBegin(), t.places.keyValueEnd());
    std::sort(places.begin(), places.end());
    rows.clear();
    for (const auto &[uuid, place] : places)
        rows.append({uuid, qint64(place)});
    sqlExecMany("UPDATE response_flags SET place = $2 WHERE uuid = $1", rows);
    t.flags.clear();
    t.places.clear();
}

// In one order of the keys' values (as flushGrid()): concurrent collectors queue, not deadlock.
void CollectorStore::flushCaseCounts()
{
    cases::Tally &t = m_cases;
    std::map<std::tuple<QString, qint64, QString>, qint64> starts;
    for (auto it = t.starts.constBegin(); it != t.starts.constEnd(); ++it) {
        if (it.value() != 0)
            starts[{it.key().caseStudy, it.key().quarter, it.key().kind}] += it.value();
    }
    QList<QVariantList> rows;
    for (const auto &[k, n] : starts)
        rows.append({std::get<0>(k), std::get<1>(k), std::get<2>(k), n});
    sqlExecMany("INSERT INTO start_counts (case_study, quarter_hour, kind, n) VALUES ($1, $2, $3, $4)"
                " ON CONFLICT (case_study, quarter_hour, kind) DO UPDATE SET n = start_counts.n + excluded.n",
                rows);
    std::map<std::tuple<QString, QString, int>, qint64> questions;
    for (auto it = t.questions.constBegin(); it != t.questions.constEnd(); ++it) {
        if (it.value() != 0)
            questions[{it.key().caseStudy, it.key().enumerator, it.key().bucket}] += it.value();
    }
    rows.clear();
    for (const auto &[k, n] : questions)
        rows.append({std::get<0>(k), std::get<1>(k), qint64(std::get<2>(k)), n});
    sqlExecMany("INSERT INTO question_counts (case_study, enumerator, bucket, n) VALUES ($1, $2, $3, $4)"
                " ON CONFLICT (case_study, enumerator, bucket) DO UPDATE SET n = question_counts.n + excluded.n",
                rows);
    flushResponseFlags();
    t.clear();
}

// Step 10's C++ part, once: every current response's place and question time, read in ranges
// of version ids, so memory stays bounded.
void CollectorStore::fillCaseCounts()
{
    std::lock_guard lock(m_mutex);
    if (sqlRows("SELECT value FROM collector_meta WHERE key = 'case_counts_unfilled'", {}, 1).isEmpty())
        return;
    beginWrite();
    try {
        m_cases.clear();
        m_grid.clear();
        const auto range = sqlRows("SELECT min(id), max(id) FROM response_versions", {}, 2);
        const qint64 last = range.isEmpty() || range.first()[1].isNull() ? -1 : range.first()[1].toLongLong();
        constexpr qint64 kChunk = 5000;
        for (qint64 from = range.isEmpty() ? 0 : range.first()[0].toLongLong(); from <= last; from += kChunk) {
            QHash<qint64, QList<cases::PagingEvent>> paging;
            forEachParadata(from, from + kChunk - 1, [&paging](qint64 versionId, const QList<ParadataEvent> &events) {
                paging.insert(versionId, pagingOf(events));
            });
            for (const QStringList &r : sqlRows("SELECT r.uuid, v.id, v.case_study, v.enumerator, v.started_ms, v.status, v.ended_ms,"
                                                " v.latitude, v.longitude FROM response_versions v"
                                                " JOIN responses r ON r.uuid = v.uuid AND r.current_version = v.id"
                                                " WHERE v.id BETWEEN $1 AND $2",
                                                {from, from + kChunk - 1}, 9)) {
                ResponseMeta meta;
                meta.caseStudy = r[2];
                meta.enumerator = r[3];
                meta.started = r[4].isNull() ? QDateTime() : QDateTime::fromMSecsSinceEpoch(r[4].toLongLong(), Qt::UTC);
                meta.ended = r[6].isNull() ? QDateTime() : QDateTime::fromMSecsSinceEpoch(r[6].toLongLong(), Qt::UTC);
                meta.location.latitude = r[7].isNull() ? qQNaN() : r[7].toDouble();
                meta.location.longitude = r[8].isNull() ? qQNaN() : r[8].toDouble();
                caseCount(r[0], meta, r[5], paging.value(r[1].toLongLong()));
            }
            m_cases.starts.clear(); // step 10's SQL counted them
            flushCaseCounts();
        }
        m_grid.clear();
        sqlExec("DELETE FROM collector_meta WHERE key = 'case_counts_unfilled'", {});
        commitWrite();
    } catch (...) {
        rollbackWrite();
        throw;
    }
}

// --- read by the dashboard ---------------------------------------------------------------

QList<PlaceCountRow> CollectorStore::placeCounts(const QStringList &caseStudies)
{
    std::lock_guard lock(m_mutex);
    QList<PlaceCountRow> out;
    for (const QString &cs : caseStudies) {
        for (const QStringList &r : sqlRows("SELECT enumerator, bucket, n FROM fieldworker_counts"
                                            " WHERE case_study = $1 AND day = '*' AND measure = 'place' AND n <> 0",
                                            {cs}, 3))
            out.append(PlaceCountRow{cs, r[0], r[1].toInt(), r[2].toLongLong()});
    }
    return out;
}

QList<QuestionCountRow> CollectorStore::questionCounts(const QStringList &caseStudies)
{
    std::lock_guard lock(m_mutex);
    QList<QuestionCountRow> out;
    for (const QString &cs : caseStudies) {
        for (const QStringList &r : sqlRows("SELECT enumerator, bucket, n FROM question_counts WHERE case_study = $1 AND n <> 0",
                                            {cs}, 3)) {
            const int b = r[1].toInt();
            out.append(QuestionCountRow{r[0], cases::questionBucketStart(b), cases::questionBucketEnd(b), r[2].toLongLong()});
        }
    }
    return out;
}

QList<StartCount> CollectorStore::startCounts(const QString &caseStudy)
{
    std::lock_guard lock(m_mutex);
    QList<StartCount> out;
    for (const QStringList &r : sqlRows("SELECT quarter_hour, kind, n FROM start_counts WHERE case_study = $1 AND n <> 0",
                                        {caseStudy}, 3))
        out.append(StartCount{r[0].toLongLong(), r[1], r[2].toLongLong()});
    return out;
}

QList<DeviceVersions> CollectorStore::deviceVersions()
{
    std::lock_guard lock(m_mutex);
    QList<DeviceVersions> out;
    QHash<QString, qsizetype> index;
    auto device = [&](const QString &id) -> DeviceVersions & {
        auto it = index.constFind(id);
        if (it == index.constEnd()) {
            it = index.insert(id, out.size());
            DeviceVersions d;
            d.deviceId = id;
            out.append(d);
        }
        return out[*it];
    };
    for (const QStringList &r : sqlRows("SELECT device_id, app_version FROM device_syncs ORDER BY 1", {}, 2))
        device(r[0]).appVersion = r[1];
    for (const QStringList &r : sqlRows("SELECT device_id, form_id, form_version FROM device_forms ORDER BY 1, 2, 3", {}, 3))
        device(r[0]).forms.append(r[1] + QLatin1Char(' ') + r[2]);
    // Reports are small (what tablets hold unsynced): a primary-key probe per reported UUID.
    for (const QStringList &r : sqlRows("SELECT u.device_id, count(*) - count(r.uuid), max(u.reported_ms) FROM device_unsynced u"
                                        " LEFT JOIN responses r ON r.uuid = u.uuid GROUP BY u.device_id",
                                        {}, 3)) {
        DeviceVersions &d = device(r[0]);
        d.pending = r[1].toLongLong();
        d.reported = QDateTime::fromMSecsSinceEpoch(r[2].toLongLong(), Qt::UTC);
    }
    return out;
}

} // namespace kerbside
