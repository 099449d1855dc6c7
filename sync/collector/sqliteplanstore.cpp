// SPDX-License-Identifier: Apache-2.0
// SqliteCollectorStore: storage of the fieldwork plan (areas, quotas and their counters,
// population margins). One writer, so no plan lock is needed (lockPlan stays a no-op).
#include "sqlitecollectorstore.h"

namespace kerbside {

std::optional<QByteArray> SqliteCollectorStore::storedPlan(const QString &caseStudy)
{
    auto s = m_db->prepare("SELECT plan FROM quota_plans WHERE case_study = ?1");
    if (!s.bind(1, caseStudy).next())
        return std::nullopt;
    return s.blob(0);
}

QStringList SqliteCollectorStore::plannedCaseStudies()
{
    QStringList out;
    auto s = m_db->prepare("SELECT case_study FROM quota_plans ORDER BY case_study");
    while (s.next())
        out.append(s.text(0));
    return out;
}

void SqliteCollectorStore::writePlan(const QString &caseStudy, const QByteArray &json, const QMap<QString, qint64> &counts)
{
    m_db->prepare("INSERT INTO quota_plans (case_study, plan) VALUES (?1, ?2) "
                  "ON CONFLICT (case_study) DO UPDATE SET plan = excluded.plan")
        .bind(1, caseStudy).bind(2, json).run();
    m_db->prepare("DELETE FROM quota_counts WHERE case_study = ?1").bind(1, caseStudy).run();
    auto insert = m_db->prepare("INSERT INTO quota_counts (case_study, cell, achieved) VALUES (?1, ?2, ?3)");
    for (auto it = counts.constBegin(); it != counts.constEnd(); ++it)
        insert.reset().bind(1, caseStudy).bind(2, it.key()).bind(3, it.value()).run();
}

QMap<QString, qint64> SqliteCollectorStore::storedCounts(const QString &caseStudy)
{
    QMap<QString, qint64> out;
    auto s = m_db->prepare("SELECT cell, achieved FROM quota_counts WHERE case_study = ?1");
    s.bind(1, caseStudy);
    while (s.next())
        out.insert(s.text(0), s.int64(1));
    return out;
}

void SqliteCollectorStore::addCounts(const QString &caseStudy, const QMap<QString, qint64> &deltas)
{
    auto s = m_db->prepare("INSERT INTO quota_counts (case_study, cell, achieved) VALUES (?1, ?2, ?3) "
                           "ON CONFLICT (case_study, cell) DO UPDATE SET achieved = achieved + excluded.achieved");
    for (auto it = deltas.constBegin(); it != deltas.constEnd(); ++it)
        s.reset().bind(1, caseStudy).bind(2, it.key()).bind(3, it.value()).run();
}

CollectorStore::VersionHead SqliteCollectorStore::versionHead(qint64 versionId)
{
    VersionHead h;
    auto s = m_db->prepare("SELECT form_id, status, started_ms, started_offset_s FROM response_versions WHERE id = ?1");
    if (s.bind(1, versionId).next()) {
        h.formId = s.text(0);
        responseStatusFromName(s.text(1), &h.status);
        h.started = s.time(2);
        if (!s.isNull(3))
            h.startedUtcOffset = int(s.int64(3));
    }
    return h;
}

int SqliteCollectorStore::writeArea(const QString &caseStudy, const QByteArray &geojson, const QDateTime &created)
{
    auto last = m_db->prepare("SELECT coalesce(max(version), 0) FROM case_study_areas WHERE case_study = ?1");
    last.bind(1, caseStudy).next();
    const int version = int(last.int64(0)) + 1;
    last.reset();
    m_db->prepare("INSERT INTO case_study_areas (case_study, version, geojson, created_ms) VALUES (?1, ?2, ?3, ?4)")
        .bind(1, caseStudy).bind(2, version).bind(3, geojson).bindTime(4, created).run();
    return version;
}

QList<AreaRecord> SqliteCollectorStore::storedAreas(const QString &caseStudy)
{
    QList<AreaRecord> out;
    auto s = m_db->prepare("SELECT version, geojson, created_ms FROM case_study_areas WHERE case_study = ?1 ORDER BY version");
    s.bind(1, caseStudy);
    while (s.next())
        out.append({caseStudy, int(s.int64(0)), s.blob(1), s.time(2)});
    return out;
}

void SqliteCollectorStore::writeMargin(const QString &caseStudy, const QString &question, const QMap<QString, double> &shares)
{
    m_db->prepare("DELETE FROM population_margins WHERE case_study = ?1 AND question = ?2")
        .bind(1, caseStudy).bind(2, question).run();
    auto insert = m_db->prepare("INSERT INTO population_margins (case_study, question, choice, share) VALUES (?1, ?2, ?3, ?4)");
    for (auto it = shares.constBegin(); it != shares.constEnd(); ++it)
        insert.reset().bind(1, caseStudy).bind(2, question).bind(3, it.key()).bind(4, it.value()).run();
}

QList<quota::Margin> SqliteCollectorStore::storedMargins(const QString &caseStudy)
{
    QList<quota::Margin> out;
    auto s = m_db->prepare("SELECT question, choice, share FROM population_margins WHERE case_study = ?1 ORDER BY question, choice");
    s.bind(1, caseStudy);
    while (s.next()) {
        if (out.isEmpty() || out.last().question != s.text(0))
            out.append({s.text(0), {}});
        out.last().shares.insert(s.text(1), s.real(2));
    }
    return out;
}

void SqliteCollectorStore::writeDeviceReport(const QString &deviceId, const QList<UnsyncedComplete> &items,
                                             const QDateTime &reported)
{
    m_db->prepare("DELETE FROM device_unsynced WHERE device_id = ?1").bind(1, deviceId).run();
    auto insert = m_db->prepare("INSERT OR REPLACE INTO device_unsynced (device_id, uuid, case_study, cell, reported_ms) "
                                "VALUES (?1, ?2, ?3, ?4, ?5)");
    for (const UnsyncedComplete &u : items)
        insert.reset().bind(1, deviceId).bind(2, u.uuid).bind(3, u.caseStudy).bind(4, u.cell).bindTime(5, reported).run();
}

QMap<QString, qint64> SqliteCollectorStore::storedUnsynced(const QString &caseStudy)
{
    // Reports are small (what tablets hold unsynced); each UUID is one primary-key probe.
    QMap<QString, qint64> out;
    auto s = m_db->prepare("SELECT cell, count(*) FROM device_unsynced u WHERE case_study = ?1 AND cell <> '' "
                           "AND NOT EXISTS (SELECT 1 FROM responses r WHERE r.uuid = u.uuid) GROUP BY cell");
    s.bind(1, caseStudy);
    while (s.next())
        out.insert(s.text(0), s.int64(1));
    return out;
}

} // namespace kerbside
