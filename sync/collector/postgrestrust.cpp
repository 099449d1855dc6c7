// SPDX-License-Identifier: Apache-2.0
// PostgresCollectorStore: who may send what (device links, first senders) and the refusal log.
#include "postgrescollectorstore.h"

namespace kerbside {

void PostgresCollectorStore::linkDevice(const QString &oldDevice, const QString &newDevice, const QDateTime &when)
{
    std::lock_guard lock(m_mutex);
    if (oldDevice == newDevice)
        throw CollectorError(CollectorError::Code::Invalid, QStringLiteral("a device cannot be linked to itself"));
    for (const QString &id : {oldDevice, newDevice}) {
        if (!m_db->exec("SELECT 1 FROM devices WHERE id = $1", PgParams().add(id)).rows())
            throw CollectorError(CollectorError::Code::NotFound, QStringLiteral("unknown device %1").arg(id));
    }
    const PgResult r = m_db->exec("INSERT INTO device_links (old_device, new_device, linked_ms) VALUES ($1, $2, $3) "
                                  "ON CONFLICT (old_device) DO NOTHING",
                                  PgParams().add(oldDevice).add(newDevice).addTime(when));
    if (r.affected() == 0) {
        const PgResult e = m_db->exec("SELECT new_device FROM device_links WHERE old_device = $1", PgParams().add(oldDevice));
        throw CollectorError(CollectorError::Code::Exists,
                             QStringLiteral("device %1 is linked to %2 already").arg(oldDevice, e.rows() ? e.text(0, 0) : QString()));
    }
}

QList<DeviceLinkRecord> PostgresCollectorStore::deviceLinks()
{
    std::lock_guard lock(m_mutex);
    QList<DeviceLinkRecord> out;
    const PgResult s = m_db->exec("SELECT old_device, new_device, linked_ms FROM device_links ORDER BY linked_ms, old_device",
                                  PgParams());
    for (int i = 0; i < s.rows(); ++i)
        out.append({s.text(i, 0), s.text(i, 1), s.time(i, 2)});
    return out;
}

QList<RefusalRecord> PostgresCollectorStore::refusals(const QString &caseStudy)
{
    std::lock_guard lock(m_mutex);
    QList<RefusalRecord> out;
    const PgResult s = m_db->exec(
        "SELECT r.id, r.kind, r.uuid, r.case_study, b.device_id, b.batch_uuid, r.reason, r.detected_ms "
        "FROM refusals r JOIN batches b ON b.id = r.batch_id "
        "WHERE ($1::text IS NULL OR r.case_study = $1) ORDER BY r.id",
        PgParams().addOptional(caseStudy));
    for (int i = 0; i < s.rows(); ++i)
        out.append({s.int64(i, 0), s.text(i, 1), s.text(i, 2), s.text(i, 3), s.text(i, 4), s.text(i, 5), s.text(i, 6),
                    s.time(i, 7)});
    return out;
}

void PostgresCollectorStore::recordRefusal(const RefusalRow &r)
{
    m_pending.flush(*m_db);
    m_db->exec("INSERT INTO refusals (kind, uuid, case_study, batch_id, reason, detected_ms) VALUES ($1, $2, $3, $4, $5, $6)",
               PgParams().add(r.kind).add(r.uuid).add(r.caseStudy).add(r.batchId).add(r.reason).addTime(r.detected));
}

QString PostgresCollectorStore::firstSender(const QString &kind, const QString &uuid)
{
    m_pending.flush(*m_db); // the item is locked already (prepareItems / kb_response_versions)
    const PgResult s = m_db->exec(kind == QLatin1String("contact")
                                      ? "SELECT b.device_id FROM contacts v JOIN batches b ON b.id = v.batch_id "
                                        "WHERE v.uuid = $1 ORDER BY v.id LIMIT 1"
                                      : "SELECT b.device_id FROM response_versions v JOIN batches b ON b.id = v.batch_id "
                                        "WHERE v.uuid = $1 ORDER BY v.id LIMIT 1",
                                  PgParams().add(uuid));
    return s.rows() ? s.text(0, 0) : QString();
}

QSet<QString> PostgresCollectorStore::identitiesOf(const QString &deviceId)
{
    QSet<QString> out{deviceId};
    const PgResult s = m_db->exec("WITH RECURSIVE ids(id) AS (SELECT $1::text UNION "
                                  "SELECT l.old_device FROM device_links l JOIN ids ON l.new_device = ids.id) SELECT id FROM ids",
                                  PgParams().add(deviceId));
    for (int i = 0; i < s.rows(); ++i)
        out.insert(s.text(i, 0));
    return out;
}

} // namespace kerbside
