// SPDX-License-Identifier: Apache-2.0
// PostgresCollectorStore: storage of the fieldwork plan (areas, quotas and their counters,
// population margins). Counters are changed with one statement per batch (unnest), never
// per response; merges and `quota set` meet on a per-case-study advisory lock.
#include "postgrescollectorstore.h"

namespace kerbside {

namespace {

// Cells and counts as two parallel arrays, for unnest($::text[], $::bigint[]).
void toArrays(const QMap<QString, qint64> &counts, QStringList *cells, QList<QByteArray> *values)
{
    for (auto it = counts.constBegin(); it != counts.constEnd(); ++it) {
        cells->append(it.key());
        values->append(QByteArray::number(it.value()));
    }
}

} // namespace

void PostgresCollectorStore::lockPlan(const QString &caseStudy, bool exclusive)
{
    if (exclusive)
        m_db->exec("SELECT pg_advisory_xact_lock(hashtextextended('q:' || $1, 0))", PgParams().add(caseStudy));
    else
        m_db->exec("SELECT pg_advisory_xact_lock_shared(hashtextextended('q:' || $1, 0))", PgParams().add(caseStudy));
}

std::optional<QByteArray> PostgresCollectorStore::storedPlan(const QString &caseStudy)
{
    const PgResult r = m_db->exec("SELECT plan FROM quota_plans WHERE case_study = $1", PgParams().add(caseStudy));
    if (!r.rows())
        return std::nullopt;
    return r.blob(0, 0);
}

QStringList PostgresCollectorStore::plannedCaseStudies()
{
    QStringList out;
    const PgResult r = m_db->exec("SELECT case_study FROM quota_plans ORDER BY case_study COLLATE \"C\"", PgParams());
    for (int i = 0; i < r.rows(); ++i)
        out.append(r.text(i, 0));
    return out;
}

void PostgresCollectorStore::writePlan(const QString &caseStudy, const QByteArray &json, const QMap<QString, qint64> &counts)
{
    m_db->exec("INSERT INTO quota_plans (case_study, plan) VALUES ($1, $2) "
               "ON CONFLICT (case_study) DO UPDATE SET plan = EXCLUDED.plan",
               PgParams().add(caseStudy).add(json));
    m_db->exec("DELETE FROM quota_counts WHERE case_study = $1", PgParams().add(caseStudy));
    QStringList cells;
    QList<QByteArray> values;
    toArrays(counts, &cells, &values);
    m_db->exec("INSERT INTO quota_counts (case_study, cell, achieved) "
               "SELECT $1, c, n FROM unnest($2::text[], $3::bigint[]) AS x(c, n)",
               PgParams().add(caseStudy).addTextArray(cells).addArray(values));
}

QMap<QString, qint64> PostgresCollectorStore::storedCounts(const QString &caseStudy)
{
    QMap<QString, qint64> out;
    const PgResult r = m_db->exec("SELECT cell, achieved FROM quota_counts WHERE case_study = $1", PgParams().add(caseStudy));
    for (int i = 0; i < r.rows(); ++i)
        out.insert(r.text(i, 0), r.int64(i, 1));
    return out;
}

void PostgresCollectorStore::addCounts(const QString &caseStudy, const QMap<QString, qint64> &deltas)
{
    QStringList cells;
    QList<QByteArray> values;
    toArrays(deltas, &cells, &values);
    m_db->exec("INSERT INTO quota_counts (case_study, cell, achieved) "
               "SELECT $1, c, n FROM unnest($2::text[], $3::bigint[]) AS x(c, n) ORDER BY c "
               "ON CONFLICT (case_study, cell) DO UPDATE SET achieved = quota_counts.achieved + EXCLUDED.achieved",
               PgParams().add(caseStudy).addTextArray(cells).addArray(values));
}

CollectorStore::VersionHead PostgresCollectorStore::versionHead(qint64 versionId)
{
    m_pending.flush(*m_db);
    VersionHead h;
    const PgResult r = m_db->exec("SELECT form_id, status, started_ms, started_offset_s FROM response_versions WHERE id = $1",
                                  PgParams().add(versionId));
    if (r.rows()) {
        h.formId = r.text(0, 0);
        responseStatusFromName(r.text(0, 1), &h.status);
        h.started = r.time(0, 2);
        if (!r.isNull(0, 3))
            h.startedUtcOffset = int(r.int64(0, 3));
    }
    return h;
}

int PostgresCollectorStore::writeArea(const QString &caseStudy, const QByteArray &geojson, const QDateTime &created)
{
    lockPlan(caseStudy, true); // two collectors adding a version at once take turns
    const PgResult r = m_db->exec(
        "INSERT INTO case_study_areas (case_study, version, geojson, created_ms) "
        "SELECT $1, coalesce(max(version), 0) + 1, $2, $3 FROM case_study_areas WHERE case_study = $1 RETURNING version",
        PgParams().add(caseStudy).add(geojson).addTime(created));
    return int(r.int64(0, 0));
}

QList<AreaRecord> PostgresCollectorStore::storedAreas(const QString &caseStudy)
{
    QList<AreaRecord> out;
    const PgResult r = m_db->exec("SELECT version, geojson, created_ms FROM case_study_areas WHERE case_study = $1 ORDER BY version",
                                  PgParams().add(caseStudy));
    for (int i = 0; i < r.rows(); ++i)
        out.append({caseStudy, int(r.int64(i, 0)), r.blob(i, 1), r.time(i, 2)});
    return out;
}

void PostgresCollectorStore::writeMargin(const QString &caseStudy, const QString &question, const QMap<QString, double> &shares)
{
    m_db->exec("DELETE FROM population_margins WHERE case_study = $1 AND question = $2", PgParams().add(caseStudy).add(question));
    for (auto it = shares.constBegin(); it != shares.constEnd(); ++it)
        m_db->exec("INSERT INTO population_margins (case_study, question, choice, share) VALUES ($1, $2, $3, $4)",
                   PgParams().add(caseStudy).add(question).add(it.key()).add(it.value()));
}

QList<quota::Margin> PostgresCollectorStore::storedMargins(const QString &caseStudy)
{
    QList<quota::Margin> out;
    const PgResult r = m_db->exec("SELECT question, choice, share FROM population_margins WHERE case_study = $1 "
                                  "ORDER BY question COLLATE \"C\", choice COLLATE \"C\"", PgParams().add(caseStudy));
    for (int i = 0; i < r.rows(); ++i) {
        if (out.isEmpty() || out.last().question != r.text(i, 0))
            out.append({r.text(i, 0), {}});
        out.last().shares.insert(r.text(i, 1), r.real(i, 2));
    }
    return out;
}

void PostgresCollectorStore::writeDeviceReport(const QString &deviceId, const QList<UnsyncedComplete> &items,
                                               const QDateTime &reported)
{
    m_db->exec("DELETE FROM device_unsynced WHERE device_id = $1", PgParams().add(deviceId));
    QStringList uuids, cases, cells;
    for (const UnsyncedComplete &u : items) {
        uuids.append(u.uuid);
        cases.append(u.caseStudy);
        cells.append(u.cell);
    }
    // One statement for the whole report (its UUIDs are distinct: recordDeviceReport).
    m_db->exec("INSERT INTO device_unsynced (device_id, uuid, case_study, cell, reported_ms) "
               "SELECT $1, u, c, cell, $5 FROM unnest($2::text[], $3::text[], $4::text[]) AS x(u, c, cell)",
               PgParams().add(deviceId).addTextArray(uuids).addTextArray(cases).addTextArray(cells).addTime(reported));
}

QMap<QString, qint64> PostgresCollectorStore::storedUnsynced(const QString &caseStudy)
{
    QMap<QString, qint64> out;
    const PgResult r = m_db->exec("SELECT cell, count(*) FROM device_unsynced u WHERE case_study = $1 AND cell <> '' "
                                  "AND NOT EXISTS (SELECT 1 FROM responses r WHERE r.uuid = u.uuid) GROUP BY cell",
                                  PgParams().add(caseStudy));
    for (int i = 0; i < r.rows(); ++i)
        out.insert(r.text(i, 0), r.int64(i, 1));
    return out;
}

} // namespace kerbside
