// SPDX-License-Identifier: Apache-2.0
// CollectorStore's dashboard part (i13): accounts, sessions, reviews, conflict resolutions,
// the counters kept at merge and the read-only views the pages show. Written once in
// portable SQL over sqlRows()/sqlExec(), so SQLite and PostgreSQL cannot drift apart.
#include "collectorstore.h"

#include "answerpack.h"
#include "paradatapack.h"

#include <algorithm>
#include <tuple>
#include <QTimeZone>
#include <QtMath>

namespace kerbside {

namespace {

QString joinList(const QStringList &items)
{
    return items.join(QLatin1Char(','));
}

QStringList splitList(const QString &text)
{
    return text.split(QLatin1Char(','), Qt::SkipEmptyParts);
}

QVariant ms(const QDateTime &t)
{
    return t.isValid() ? QVariant(t.toMSecsSinceEpoch()) : QVariant();
}

QDateTime fromMs(const QString &text)
{
    return text.isNull() ? QDateTime() : QDateTime::fromMSecsSinceEpoch(text.toLongLong(), Qt::UTC);
}

QVariant optional(const QString &text)
{
    return text.isEmpty() ? QVariant() : QVariant(text);
}

double real(const QString &text)
{
    return text.isNull() ? qQNaN() : text.toDouble();
}

// The UTC day of `t` as days since 1970-01-01 (the counters' key while merging; the same day
// as t.toUTC().date() without building a QDate per response).
qint64 dayNumber(const QDateTime &t, qint64 none)
{
    if (!t.isValid())
        return none;
    const qint64 ms = t.toMSecsSinceEpoch();
    constexpr qint64 kDay = 86'400'000;
    return ms / kDay - (ms % kDay < 0 ? 1 : 0);
}

// A day number as the counters store it: "YYYY-MM-DD", "" for none.
QString dayText(qint64 day, qint64 none)
{
    static const qint64 epoch = QDate(1970, 1, 1).toJulianDay();
    return day == none ? QString(QLatin1String("")) : QDate::fromJulianDay(epoch + day).toString(Qt::ISODate);
}

const char kUserColumns[] =
    "SELECT name, role, case_studies, password_hash, must_change, disabled, created_ms FROM dashboard_users";

DashboardUser userFromRow(const QStringList &r)
{
    DashboardUser u;
    u.name = r[0];
    u.role = r[1];
    u.caseStudies = splitList(r[2]);
    u.passwordHash = r[3];
    u.mustChange = r[4].toInt() != 0;
    u.disabled = r[5].toInt() != 0;
    u.created = fromMs(r[6]);
    return u;
}

// The case-study filter of the list queries: "" (all) or a comma-joined list matched with
// a LIKE on ",id," (ids never hold commas: validCaseStudyId).
QVariant caseStudyList(const QStringList &ids)
{
    return ids.isEmpty() ? QVariant() : QVariant(QLatin1Char(',') + joinList(ids) + QLatin1Char(','));
}

// The interviews list's flags, kept at merge (casecounters.cpp): outside the area ($9 = 1),
// median question time below $10 ms ($10 > 0).
// $9: a place (grid::Place) or -1; $10: a median question time bound or 0; $11: more answer
// changes (paradata) than this, or 0.
const char kFlagFilter[] =
    " AND (CAST($9 AS BIGINT) < 0 OR EXISTS (SELECT 1 FROM response_flags g WHERE g.uuid = r.uuid AND g.place = $9))"
    " AND (CAST($10 AS BIGINT) = 0 OR EXISTS (SELECT 1 FROM response_flags g WHERE g.uuid = r.uuid AND g.question_ms < $10))"
    " AND (CAST($11 AS BIGINT) = 0 OR v.changes > CAST($11 AS BIGINT))";

const char kInterviewColumns[] =
    "SELECT r.uuid, r.case_study, v.form_id, v.form_version, v.enumerator, v.device_id, v.status, v.revision,"
    " v.started_ms, v.ended_ms, v.latitude, v.longitude, w.state, w.comment, w.reviewer, v.id, pf.place"
    " FROM responses r JOIN response_versions v ON v.id = r.current_version"
    " LEFT JOIN response_reviews w ON w.uuid = r.uuid LEFT JOIN response_flags pf ON pf.uuid = r.uuid ";
constexpr int kInterviewColumnCount = 17;

InterviewRow interviewFromRow(const QStringList &r)
{
    InterviewRow i;
    i.uuid = r[0];
    i.caseStudy = r[1];
    i.formId = r[2];
    i.formVersion = r[3];
    i.enumerator = r[4];
    i.deviceId = r[5];
    i.status = r[6];
    i.revision = r[7].toInt();
    i.started = fromMs(r[8]);
    i.ended = fromMs(r[9]);
    i.latitude = real(r[10]);
    i.longitude = real(r[11]);
    i.review = r[12];
    i.reviewComment = r[13];
    i.reviewer = r[14];
    i.versionId = r[15].toLongLong();
    // grid::Place: 0 inside, 1 outside, 2 no fix, 3 no area.
    i.place = r[16] == QLatin1String("0") ? QStringLiteral("inside")
        : r[16] == QLatin1String("1")     ? QStringLiteral("outside")
                                          : QStringLiteral("unknown");
    return i;
}

} // namespace

// --- accounts and sessions ---------------------------------------------------------------

void CollectorStore::addUser(const DashboardUser &u)
{
    std::lock_guard lock(m_mutex);
    if (!sqlRows("SELECT 1 FROM dashboard_users WHERE name = $1", {u.name}, 1).isEmpty())
        throw CollectorError(CollectorError::Code::Exists, QStringLiteral("user %1 exists already").arg(u.name));
    sqlExec("INSERT INTO dashboard_users (name, role, case_studies, password_hash, must_change, disabled, created_ms)"
            " VALUES ($1, $2, $3, $4, $5, $6, $7)",
            {u.name, u.role, joinList(u.caseStudies), u.passwordHash, qint64(u.mustChange), qint64(u.disabled), ms(u.created)});
}

void CollectorStore::updateUser(const DashboardUser &u)
{
    std::lock_guard lock(m_mutex);
    if (sqlExec("UPDATE dashboard_users SET role = $2, case_studies = $3, password_hash = $4, must_change = $5,"
                " disabled = $6 WHERE name = $1",
                {u.name, u.role, joinList(u.caseStudies), u.passwordHash, qint64(u.mustChange), qint64(u.disabled)}) == 0)
        throw CollectorError(CollectorError::Code::NotFound, QStringLiteral("unknown user %1").arg(u.name));
}

std::optional<DashboardUser> CollectorStore::user(const QString &name)
{
    std::lock_guard lock(m_mutex);
    static const QByteArray sql = QByteArray(kUserColumns) + " WHERE name = $1";
    const auto rows = sqlRows(sql.constData(), {name}, 7);
    if (rows.isEmpty())
        return std::nullopt;
    return userFromRow(rows.first());
}

QList<DashboardUser> CollectorStore::users()
{
    std::lock_guard lock(m_mutex);
    QList<DashboardUser> out;
    static const QByteArray sql = QByteArray(kUserColumns) + " ORDER BY name";
    for (const QStringList &r : sqlRows(sql.constData(), {}, 7))
        out.append(userFromRow(r));
    return out;
}

void CollectorStore::addSession(const DashboardSession &s)
{
    std::lock_guard lock(m_mutex);
    sqlExec("INSERT INTO dashboard_sessions (token_hash, user_name, csrf, created_ms, last_seen_ms) VALUES ($1, $2, $3, $4, $5)",
            {s.tokenHash, s.user, s.csrf, ms(s.created), ms(s.lastSeen)});
}

std::optional<DashboardSession> CollectorStore::session(const QString &tokenHash)
{
    std::lock_guard lock(m_mutex);
    const auto rows = sqlRows("SELECT token_hash, user_name, csrf, created_ms, last_seen_ms FROM dashboard_sessions"
                              " WHERE token_hash = $1", {tokenHash}, 5);
    if (rows.isEmpty())
        return std::nullopt;
    const QStringList &r = rows.first();
    return DashboardSession{r[0], r[1], r[2], fromMs(r[3]), fromMs(r[4])};
}

void CollectorStore::touchSession(const QString &tokenHash, const QDateTime &when)
{
    std::lock_guard lock(m_mutex);
    sqlExec("UPDATE dashboard_sessions SET last_seen_ms = $2 WHERE token_hash = $1", {tokenHash, ms(when)});
}

void CollectorStore::deleteSession(const QString &tokenHash)
{
    std::lock_guard lock(m_mutex);
    sqlExec("DELETE FROM dashboard_sessions WHERE token_hash = $1", {tokenHash});
}

void CollectorStore::deleteUserSessions(const QString &user)
{
    std::lock_guard lock(m_mutex);
    sqlExec("DELETE FROM dashboard_sessions WHERE user_name = $1", {user});
}

// --- devices ---------------------------------------------------------------------------------

QList<DeviceRecord> CollectorStore::deviceSyncs()
{
    std::lock_guard lock(m_mutex);
    QList<DeviceRecord> out;
    QHash<QString, qsizetype> index;
    // One row per device kept at merge (casecounters.cpp), not the batch log.
    for (const QStringList &r : sqlRows(
             "SELECT d.id, d.label, d.enrolled_ms, d.revoked_ms, d.last_seen_ms, COALESCE(s.batches, 0), COALESCE(s.last_sequence, 0),"
             " COALESCE(s.sequences, 0), s.last_received_ms"
             " FROM devices d LEFT JOIN device_syncs s ON s.device_id = d.id ORDER BY d.enrolled_ms, d.id",
             {}, 9)) {
        DeviceRecord d;
        d.id = r[0];
        d.label = r[1];
        d.enrolled = fromMs(r[2]);
        d.revoked = fromMs(r[3]);
        d.lastSeen = fromMs(r[4]);
        d.batches = r[5].toLongLong();
        d.lastSequence = r[6].toULongLong();
        d.missingSequences = r[6].toLongLong() - r[7].toLongLong();
        d.lastBatch = fromMs(r[8]);
        index.insert(d.id, out.size());
        out.append(d);
    }
    for (const QStringList &r : sqlRows("SELECT device_id, case_study FROM device_case_studies ORDER BY device_id, case_study", {}, 2)) {
        if (const auto it = index.constFind(r[0]); it != index.constEnd())
            out[*it].caseStudies.append(r[1]);
    }
    return out;
}

// --- counters kept at merge ----------------------------------------------------------------

void CollectorStore::countResponse(const IncomingResponse &r, qint64 delta)
{
    const ResponseMeta &meta = r.meta;
    const QString kind = responseStatusName(meta.status);
    m_counterDelta[{meta.caseStudy, meta.enumerator, dayNumber(meta.started, kNoDay), kind}] += delta;
    const int changes = paradatapack::changes(r.paradata); // as response_versions.changes holds it
    gridCount(meta.caseStudy, meta.enumerator, meta.started,
              meta.started.isValid() && meta.ended.isValid() ? meta.started.msecsTo(meta.ended) : -1, changes,
              meta.location, kind, delta);
    if (delta > 0)
        caseCount(r);
    else
        caseUncount(meta.uuid);
}

void CollectorStore::countContact(const ContactEntry &entry, qint64 delta)
{
    m_counterDelta[{entry.caseStudy, entry.enumerator, dayNumber(entry.time, kNoDay),
                    QStringLiteral("contact:") + dispositionName(entry.disposition)}] += delta;
    gridCount(entry.caseStudy, {}, {}, -1, -1, entry.location, QStringLiteral("contact:") + dispositionName(entry.disposition), delta);
}

void CollectorStore::countVersion(qint64 versionId, qint64 delta)
{
    const auto rows = sqlRows("SELECT case_study, enumerator, started_ms, status, ended_ms, latitude, longitude,"
                              " changes, uuid"
                              " FROM response_versions WHERE id = $1",
                              {versionId}, 9);
    if (rows.isEmpty())
        return;
    const QStringList &r = rows.first();
    m_counterDelta[{r[0], r[1], dayNumber(fromMs(r[2]), kNoDay), r[3]}] += delta;
    Location where;
    where.latitude = real(r[5]);
    where.longitude = real(r[6]);
    gridCount(r[0], r[1], fromMs(r[2]), r[2].isNull() || r[4].isNull() ? -1 : r[4].toLongLong() - r[2].toLongLong(),
              r[7].toInt(), where, r[3], delta);
    if (delta > 0)
        caseCountVersion(r[8], versionId, r);
    else
        caseUncount(r[8]);
}

qint64 CollectorStore::sqlExecMany(const char *sql, const QList<QVariantList> &rows)
{
    qint64 changed = 0;
    for (const QVariantList &row : rows)
        changed += sqlExec(sql, row);
    return changed;
}

void CollectorStore::flushCounters()
{
    // In key order (as flushGrid()): QHash's order differs between processes (its seed), and
    // two PostgreSQL merges upserting shared rows in different orders could deadlock.
    std::vector<std::pair<const CounterKey *, qint64>> keys;
    keys.reserve(size_t(m_counterDelta.size()));
    for (auto it = m_counterDelta.constBegin(); it != m_counterDelta.constEnd(); ++it) {
        if (it.value() != 0)
            keys.emplace_back(&it.key(), it.value());
    }
    std::sort(keys.begin(), keys.end(), [](const auto &a, const auto &b) {
        const CounterKey &x = *a.first, &y = *b.first;
        return std::tie(x.caseStudy, x.enumerator, x.day, x.kind) < std::tie(y.caseStudy, y.enumerator, y.day, y.kind);
    });
    QList<QVariantList> rows;
    rows.reserve(qsizetype(keys.size()));
    for (const auto &[k, n] : keys)
        rows.append({k->caseStudy, k->enumerator, dayText(k->day, kNoDay), k->kind, n});
    sqlExecMany("INSERT INTO merge_counters (case_study, enumerator, day, kind, n) VALUES ($1, $2, $3, $4, $5)"
                " ON CONFLICT (case_study, enumerator, day, kind) DO UPDATE SET n = merge_counters.n + excluded.n",
                rows);
    m_counterDelta.clear();
    flushCaseCounts(); // before flushGrid(), which forgets the areas read
    flushGrid();
}

QList<CounterRow> CollectorStore::counters(const QStringList &caseStudies, bool byEnumerator, bool byDay)
{
    std::lock_guard lock(m_mutex);
    // Four literal statements (prepared once each), one case study at a time (the primary
    // key's prefix, no LIKE over every row). Per case study and kind only: the map grid's
    // coarsest level holds the same sums in a few rows (dashboardgrid.cpp), where
    // merge_counters has one per fieldworker and day.
    static const char *const kSql[4] = {
        "SELECT case_study, '', '', kind, sum(n) FROM dashboard_grid WHERE case_study = $1 AND level = 0"
        " GROUP BY case_study, kind ORDER BY 1, 4",
        "SELECT case_study, enumerator, '', kind, sum(n) FROM merge_counters WHERE case_study = $1"
        " GROUP BY case_study, enumerator, kind ORDER BY 1, 2, 4",
        "SELECT case_study, '', day, kind, sum(n) FROM merge_counters WHERE case_study = $1"
        " GROUP BY case_study, day, kind ORDER BY 1, 3, 4",
        "SELECT case_study, enumerator, day, kind, sum(n) FROM merge_counters WHERE case_study = $1"
        " GROUP BY case_study, enumerator, day, kind ORDER BY 1, 2, 3, 4",
    };
    QStringList ids = caseStudies;
    if (ids.isEmpty()) {
        for (const QStringList &r : sqlRows("SELECT id FROM case_studies", {}, 1))
            ids.append(r[0]);
    }
    ids.sort();
    ids.removeDuplicates();
    QList<CounterRow> out;
    for (const QString &cs : ids) {
        for (const QStringList &r : sqlRows(kSql[(byEnumerator ? 1 : 0) + (byDay ? 2 : 0)], {cs}, 5)) {
            if (r[4].toLongLong() != 0)
                out.append(CounterRow{r[0], r[1], r[2], r[3], r[4].toLongLong()});
        }
    }
    return out;
}

// --- map -----------------------------------------------------------------------------------

QList<MapPoint> CollectorStore::mapPoints(const QString &caseStudy, const GeoBox &box, int limit)
{
    std::lock_guard lock(m_mutex);
    QList<MapPoint> out;
    for (const QStringList &r : sqlRows(
             "SELECT r.uuid, v.latitude, v.longitude, v.status, v.enumerator, v.started_ms FROM responses r"
             " JOIN response_versions v ON v.id = r.current_version"
             " WHERE r.case_study = $1 AND v.latitude BETWEEN $2 AND $4 AND v.longitude BETWEEN $3 AND $5"
             " UNION ALL SELECT uuid, latitude, longitude, 'contact:' || disposition, enumerator, time_ms FROM contacts"
             " WHERE case_study = $1 AND is_current = 1 AND latitude BETWEEN $2 AND $4 AND longitude BETWEEN $3 AND $5"
             " LIMIT $6",
             {caseStudy, box.south, box.west, box.north, box.east, qint64(std::clamp(limit, 1, 200000))}, 6))
        out.append(MapPoint{r[0], r[1].toDouble(), r[2].toDouble(), r[3], r[4], fromMs(r[5])});
    return out;
}

// --- interviews and reviews ----------------------------------------------------------------

QList<InterviewRow> CollectorStore::interviews(const InterviewFilter &f)
{
    std::lock_guard lock(m_mutex);
    // Two literals (one per dialect), built once: the day expression differs. Answers changed:
    // "changed" paradata, as the fieldworker counters count them at merge (gridcounters.cpp).
    static const QByteArray sqlite = QByteArray(kInterviewColumns) +
        "WHERE (CAST($1 AS TEXT) IS NULL OR $1 LIKE '%,' || r.case_study || ',%') AND ($2 IS NULL OR v.enumerator = $2)"
        " AND ($3 IS NULL OR v.status = $3) AND ($4 IS NULL OR COALESCE(w.state, 'none') = $4)"
        " AND ($5 IS NULL OR " + counterDaySql(SqlDialect::Sqlite, "v.started_ms") + " = $5)"
        " AND ($8 = 0 OR v.ended_ms - v.started_ms < $8)" + kFlagFilter +
        " ORDER BY v.started_ms DESC, r.uuid LIMIT $6 OFFSET $7";
    static const QByteArray postgres = QByteArray(kInterviewColumns) +
        "WHERE ($1::text IS NULL OR $1 LIKE '%,' || r.case_study || ',%') AND ($2::text IS NULL OR v.enumerator = $2)"
        " AND ($3::text IS NULL OR v.status = $3) AND ($4::text IS NULL OR COALESCE(w.state, 'none') = $4)"
        " AND ($5::text IS NULL OR " + counterDaySql(SqlDialect::Postgres, "v.started_ms") + " = $5)"
        " AND ($8::bigint = 0 OR v.ended_ms - v.started_ms < $8)" + kFlagFilter +
        " ORDER BY v.started_ms DESC, r.uuid LIMIT $6 OFFSET $7";
    QList<InterviewRow> out;
    for (const QStringList &r : sqlRows((sqlDialect() == SqlDialect::Sqlite ? sqlite : postgres).constData(),
                                        {caseStudyList(f.caseStudies), optional(f.enumerator), optional(f.status),
                                         optional(f.review), optional(f.day), qint64(std::clamp(f.limit, 1, 1000)),
                                         qint64(std::max(f.offset, 0)), qint64(std::max<qint64>(f.shorterThanMs, 0)),
                                         qint64(f.outsideArea ? 1 : f.noFix ? 2 : -1), // grid::Place
                                         qint64(std::max<qint64>(f.fastQuestionMs, 0)), qint64(std::max(f.moreChangesThan, 0))},
                                        kInterviewColumnCount))
        out.append(interviewFromRow(r));
    return out;
}

std::optional<InterviewRow> CollectorStore::interview(const QString &uuid)
{
    std::lock_guard lock(m_mutex);
    static const QByteArray sql = QByteArray(kInterviewColumns) + "WHERE r.uuid = $1";
    const auto rows = sqlRows(sql.constData(), {uuid}, kInterviewColumnCount);
    if (rows.isEmpty())
        return std::nullopt;
    return interviewFromRow(rows.first());
}

QList<TypedAnswer> CollectorStore::interviewAnswers(qint64 versionId)
{
    std::lock_guard lock(m_mutex);
    return versionAnswers(versionId);
}

QList<ParadataRow> CollectorStore::interviewParadata(qint64 versionId)
{
    std::lock_guard lock(m_mutex);
    return paradataOf(versionId);
}

QList<ParadataRow> CollectorStore::paradataOf(qint64 versionId)
{
    QList<ParadataRow> out;
    forEachParadata(versionId, versionId, [&out](qint64, const QList<ParadataEvent> &events) {
        for (const ParadataEvent &e : events)
            out.append(ParadataRow{e.time, paradataKindName(e.kind), e.question, e.detail});
    });
    return out;
}

void CollectorStore::setReview(const ReviewRecord &w)
{
    std::lock_guard lock(m_mutex);
    if (sqlRows("SELECT 1 FROM responses WHERE uuid = $1", {w.uuid}, 1).isEmpty())
        throw CollectorError(CollectorError::Code::NotFound, QStringLiteral("unknown interview %1").arg(w.uuid));
    sqlExec("INSERT INTO response_reviews (uuid, state, comment, reviewer, reviewed_ms) VALUES ($1, $2, $3, $4, $5)"
            " ON CONFLICT (uuid) DO UPDATE SET state = excluded.state, comment = excluded.comment,"
            " reviewer = excluded.reviewer, reviewed_ms = excluded.reviewed_ms",
            {w.uuid, w.state, w.comment, w.reviewer, ms(w.when)});
}

QSet<QString> CollectorStore::approvedResponses(const QString &caseStudy)
{
    std::lock_guard lock(m_mutex);
    QSet<QString> out;
    for (const QStringList &r : sqlRows("SELECT w.uuid FROM response_reviews w JOIN responses r ON r.uuid = w.uuid"
                                        " WHERE w.state = 'approved' AND ($1 = '' OR r.case_study = $1)",
                                        {caseStudy.isNull() ? QString(QLatin1String("")) : caseStudy}, 1))
        out.insert(r[0]);
    return out;
}

std::optional<ConflictVersions> CollectorStore::conflictVersions(qint64 id)
{
    std::lock_guard lock(m_mutex);
    const auto rows = sqlRows("SELECT kind, uuid, kept_id, other_id FROM conflicts WHERE id = $1", {id}, 4);
    if (rows.isEmpty())
        return std::nullopt;
    const QStringList &r = rows.first();
    return ConflictVersions{r[0], r[1], r[2].toLongLong(), r[3].toLongLong()};
}

// --- conflicts -----------------------------------------------------------------------------

QList<ConflictResolution> CollectorStore::conflictResolutions(int limit)
{
    std::lock_guard lock(m_mutex);
    QList<ConflictResolution> out;
    for (const QStringList &r : sqlRows("SELECT c.id, c.kind, c.uuid, c.case_study, s.chosen, s.resolver, s.resolved_ms"
                                        " FROM conflict_resolutions s JOIN conflicts c ON c.id = s.conflict_id"
                                        " ORDER BY s.resolved_ms DESC, c.id DESC LIMIT $1",
                                        {qint64(std::clamp(limit, 1, 1000))}, 7))
        out.append({r[0].toLongLong(), r[1], r[2], r[3], r[4], r[5], QDateTime::fromMSecsSinceEpoch(r[6].toLongLong(), Qt::UTC)});
    return out;
}

void CollectorStore::resolveConflict(qint64 id, bool chooseOther, const QString &resolver, const QDateTime &when)
{
    std::lock_guard lock(m_mutex);
    const auto rows = sqlRows("SELECT kind, uuid, kept_id, other_id FROM conflicts WHERE id = $1 AND resolved_ms IS NULL",
                              {id}, 4);
    if (rows.isEmpty())
        throw CollectorError(CollectorError::Code::NotFound, QStringLiteral("no open conflict %1").arg(id));
    const QStringList &c = rows.first();
    const qint64 kept = c[2].toLongLong();
    const qint64 other = c[3].toLongLong();
    beginWrite();
    try {
        m_counterDelta.clear();
        m_grid.clear();
        m_cases.clear();
        if (chooseOther && c[0] == QLatin1String("response")) {
            const auto cur = sqlRows("SELECT current_version FROM responses WHERE uuid = $1", {c[1]}, 1);
            if (!cur.isEmpty() && cur.first()[0].toLongLong() != other) {
                countVersion(cur.first()[0].toLongLong(), -1);
                countVersion(other, 1);
                setCurrentVersion(c[1], other);
            }
        } else if (chooseOther) {
            const auto k = sqlRows("SELECT case_study, enumerator, time_ms, disposition FROM contacts WHERE id IN ($1, $2) ORDER BY id = $1 DESC",
                                   {kept, other}, 4);
            sqlExec("UPDATE contacts SET is_current = 0 WHERE uuid = $1", {c[1]});
            sqlExec("UPDATE contacts SET is_current = 1 WHERE id = $1", {other});
            gridCountContact(kept, -1);
            gridCountContact(other, 1);
            if (k.size() == 2) {
                m_counterDelta[{k[0][0], k[0][1], dayNumber(fromMs(k[0][2]), kNoDay), QStringLiteral("contact:") + k[0][3]}] -= 1;
                m_counterDelta[{k[1][0], k[1][1], dayNumber(fromMs(k[1][2]), kNoDay), QStringLiteral("contact:") + k[1][3]}] += 1;
            }
        }
        flushCounters();
        sqlExec("UPDATE conflicts SET resolved_ms = $2 WHERE id = $1", {id, ms(when)});
        sqlExec("INSERT INTO conflict_resolutions (conflict_id, chosen, resolver, resolved_ms) VALUES ($1, $2, $3, $4)",
                {id, chooseOther ? QStringLiteral("other") : QStringLiteral("kept"), resolver, ms(when)});
        commitWrite();
    } catch (...) {
        rollbackWrite();
        throw;
    }
}

} // namespace kerbside
