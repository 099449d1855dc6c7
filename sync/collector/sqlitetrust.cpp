// SPDX-License-Identifier: Apache-2.0
// SqliteCollectorStore: who may send what (device links, first senders) and the refusal log.
#include "sqlitecollectorstore.h"

namespace kerbside {

void SqliteCollectorStore::linkDevice(const QString &oldDevice, const QString &newDevice, const QDateTime &when)
{
    std::lock_guard lock(m_mutex);
    if (oldDevice == newDevice)
        throw CollectorError(CollectorError::Code::Invalid, QStringLiteral("a device cannot be linked to itself"));
    for (const QString &id : {oldDevice, newDevice}) {
        if (!m_db->prepare("SELECT 1 FROM devices WHERE id = ?1").bind(1, id).next())
            throw CollectorError(CollectorError::Code::NotFound, QStringLiteral("unknown device %1").arg(id));
    }
    auto existing = m_db->prepare("SELECT new_device FROM device_links WHERE old_device = ?1");
    if (existing.bind(1, oldDevice).next())
        throw CollectorError(CollectorError::Code::Exists,
                             QStringLiteral("device %1 is linked to %2 already").arg(oldDevice, existing.text(0)));
    m_db->prepare("INSERT INTO device_links (old_device, new_device, linked_ms) VALUES (?1, ?2, ?3)")
        .bind(1, oldDevice).bind(2, newDevice).bindTime(3, when).run();
}

QList<DeviceLinkRecord> SqliteCollectorStore::deviceLinks()
{
    std::lock_guard lock(m_mutex);
    QList<DeviceLinkRecord> out;
    auto s = m_db->prepare("SELECT old_device, new_device, linked_ms FROM device_links ORDER BY linked_ms, old_device");
    while (s.next())
        out.append({s.text(0), s.text(1), s.time(2)});
    return out;
}

QList<RefusalRecord> SqliteCollectorStore::refusals(const QString &caseStudy)
{
    std::lock_guard lock(m_mutex);
    QList<RefusalRecord> out;
    auto s = m_db->prepare("SELECT r.id, r.kind, r.uuid, r.case_study, b.device_id, b.batch_uuid, r.reason, r.detected_ms "
                           "FROM refusals r JOIN batches b ON b.id = r.batch_id "
                           "WHERE (?1 IS NULL OR r.case_study = ?1) ORDER BY r.id");
    s.bindOptional(1, caseStudy);
    while (s.next())
        out.append({s.int64(0), s.text(1), s.text(2), s.text(3), s.text(4), s.text(5), s.text(6), s.time(7)});
    return out;
}

void SqliteCollectorStore::recordRefusal(const RefusalRow &r)
{
    m_db->prepare("INSERT INTO refusals (kind, uuid, case_study, batch_id, reason, detected_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6)")
        .bind(1, r.kind).bind(2, r.uuid).bind(3, r.caseStudy).bind(4, r.batchId).bind(5, r.reason)
        .bindTime(6, r.detected).run();
}

QString SqliteCollectorStore::firstSender(const QString &kind, const QString &uuid)
{
    auto s = m_db->prepare(kind == QLatin1String("contact")
                               ? "SELECT b.device_id FROM contacts v JOIN batches b ON b.id = v.batch_id "
                                 "WHERE v.uuid = ?1 ORDER BY v.id LIMIT 1"
                               : "SELECT b.device_id FROM response_versions v JOIN batches b ON b.id = v.batch_id "
                                 "WHERE v.uuid = ?1 ORDER BY v.id LIMIT 1");
    return s.bind(1, uuid).next() ? s.text(0) : QString();
}

QSet<QString> SqliteCollectorStore::identitiesOf(const QString &deviceId)
{
    QSet<QString> out{deviceId};
    QStringList todo{deviceId};
    auto s = m_db->prepare("SELECT old_device FROM device_links WHERE new_device = ?1");
    while (!todo.isEmpty()) {
        s.reset().bind(1, todo.takeLast());
        while (s.next()) {
            const QString old = s.text(0);
            if (!out.contains(old)) {
                out.insert(old);
                todo.append(old);
            }
        }
    }
    return out;
}

} // namespace kerbside
