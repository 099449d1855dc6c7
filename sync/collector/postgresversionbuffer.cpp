// SPDX-License-Identifier: Apache-2.0
#include "postgresversionbuffer.h"

#include "answerpack.h"
#include "paradatapack.h"

namespace kerbside {

void PgVersionBuffer::reserve(PgConnection &db, int count)
{
    if (count <= 0)
        return;
    const PgResult r = db.exec("SELECT nextval(pg_get_serial_sequence('response_versions', 'id')) FROM generate_series(1, $1)",
                               PgParams().add(qint64(count)));
    for (int i = 0; i < r.rows(); ++i)
        m_reserved.append(r.int64(i, 0));
}

qint64 PgVersionBuffer::add(PgConnection &db, const IncomingResponse &r, qint64 batchId, const AnswerDictionary *dictionary)
{
    if (m_reserved.isEmpty())
        reserve(db, 1);
    const qint64 id = m_reserved.takeFirst();
    const ResponseMeta &m = r.meta;
    // In the column order of the COPY in flush(), each in its column's type.
    m_versions.row(25);
    m_versions.int64(id);
    m_versions.text(m.uuid);
    m_versions.int32(m.revision);
    m_versions.bytes(r.contentHash);
    m_versions.int64(batchId);
    m_versions.text(m.formId);
    m_versions.text(m.formVersion);
    m_versions.text(m.caseStudy);
    m_versions.text(m.enumerator);
    m_versions.text(m.deviceId);
    m_versions.text(responseStatusName(m.status));
    m_versions.time(m.started);
    m_versions.time(m.ended);
    m_versions.time(m.updated);
    m_versions.real(m.location.latitude);
    m_versions.real(m.location.longitude);
    m_versions.real(m.location.altitude);
    m_versions.real(m.location.accuracy);
    m_versions.time(m.location.time);
    m_versions.text(m.language);
    m_versions.bytes(answerpack::pack(r.answers, dictionary));
    if (m.startedUtcOffset)
        m_versions.int32(*m.startedUtcOffset);
    else
        m_versions.null(); // not recorded
    if (r.paradata.isEmpty())
        m_versions.null();
    else
        m_versions.bytes(paradatapack::pack(r.paradata, dictionary, m.started));
    m_versions.int32(paradatapack::changes(r.paradata));
    m_versions.int32(paradatapack::languageSwitched(r.paradata) ? 1 : 0);
    m_versionUuids.append(m.uuid);
    return id;
}

void PgVersionBuffer::addHead(const QString &uuid, const QString &caseStudy, qint64 versionId)
{
    m_heads.row(5);
    m_heads.text(uuid);
    m_heads.text(caseStudy);
    m_heads.int64(versionId);
    m_heads.int32(1); // versions
    m_heads.int32(0); // conflicted
    m_headUuids.insert(uuid);
}

void PgVersionBuffer::flush(PgConnection &db)
{
    if (isEmpty())
        return;
    // Versions first: the new `responses` rows refer to them.
    if (m_versions.rows())
        db.copyRows("COPY response_versions (id, uuid, revision, content_hash, batch_id, form_id, form_version, "
                    "case_study, enumerator, device_id, status, started_ms, ended_ms, updated_ms, latitude, longitude, "
                    "altitude, accuracy, fix_ms, language, answers, started_offset_s, paradata, changes, "
                    "language_switched) FROM STDIN (FORMAT binary)",
                    m_versions);
    if (m_heads.rows())
        db.copyRows("COPY responses (uuid, case_study, current_version, versions, conflicted) FROM STDIN (FORMAT binary)",
                    m_heads);
    // A UUID whose row was there before this flush counts the versions added to it here (a
    // new row starts at 1 and gets no other version in the same batch: one item per UUID).
    QStringList older;
    for (const QString &u : std::as_const(m_versionUuids)) {
        if (!m_headUuids.contains(u))
            older.append(u);
    }
    if (!older.isEmpty())
        db.exec("UPDATE responses SET versions = responses.versions + n.k "
                "FROM (SELECT x AS u, count(*) AS k FROM unnest($1::text[]) AS x GROUP BY x) AS n WHERE responses.uuid = n.u",
                PgParams().addTextArray(older));
    QList<qint64> reserved = std::move(m_reserved);
    clear();
    m_reserved = std::move(reserved); // unused ids stay usable within this transaction
}

void PgVersionBuffer::clear()
{
    *this = PgVersionBuffer();
}

} // namespace kerbside
