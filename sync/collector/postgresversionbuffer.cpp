// SPDX-License-Identifier: Apache-2.0
#include "postgresversionbuffer.h"

#include "answerpack.h"

#include <cmath>

namespace kerbside {

namespace {

QByteArray number(qint64 v)
{
    return QByteArray::number(v);
}

QByteArray real(double v)
{
    return std::isnan(v) ? QByteArray() : QByteArray::number(v, 'g', 17); // null item = SQL NULL
}

QByteArray time(const QDateTime &t)
{
    return t.isValid() ? QByteArray::number(t.toMSecsSinceEpoch()) : QByteArray();
}

} // namespace

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
    m_ids.append(number(id));
    m_uuids.append(m.uuid);
    m_revisions.append(number(m.revision));
    m_hashes.append("\\x" + r.contentHash.toHex());
    m_batchIds.append(number(batchId));
    m_formIds.append(m.formId);
    m_formVersions.append(m.formVersion);
    m_caseStudies.append(m.caseStudy);
    m_enumerators.append(m.enumerator);
    m_deviceIds.append(m.deviceId);
    m_statuses.append(responseStatusName(m.status));
    m_started.append(time(m.started));
    m_ended.append(time(m.ended));
    m_updated.append(time(m.updated));
    m_lat.append(real(m.location.latitude));
    m_lon.append(real(m.location.longitude));
    m_alt.append(real(m.location.altitude));
    m_acc.append(real(m.location.accuracy));
    m_fix.append(time(m.location.time));
    m_languages.append(m.language);
    m_answers.append("\\x" + answerpack::pack(r.answers, dictionary).toHex());
    m_offsets.append(m.startedUtcOffset ? number(*m.startedUtcOffset) : QByteArray());
    for (qsizetype i = 0; i < r.paradata.size(); ++i) {
        const ParadataEvent &e = r.paradata[i];
        m_paraVersion.append(m_ids.last());
        m_paraSeq.append(number(i));
        m_paraTime.append(time(e.time));
        m_paraKind.append(paradataKindName(e.kind));
        m_paraQuestion.append(e.question);
        m_paraDetail.append(e.detail);
    }
    return id;
}

void PgVersionBuffer::addHead(const QString &uuid, const QString &caseStudy, qint64 versionId)
{
    m_headUuids.append(uuid);
    m_headCaseStudies.append(caseStudy);
    m_headVersions.append(number(versionId));
}

void PgVersionBuffer::flush(PgConnection &db)
{
    if (isEmpty())
        return;
    PgParams p;
    p.addArray(m_ids).addTextArray(m_uuids).addArray(m_revisions).addArray(m_hashes).addArray(m_batchIds)
        .addTextArray(m_formIds).addTextArray(m_formVersions).addTextArray(m_caseStudies).addTextArray(m_enumerators)
        .addTextArray(m_deviceIds).addTextArray(m_statuses).addArray(m_started).addArray(m_ended).addArray(m_updated)
        .addArray(m_lat).addArray(m_lon).addArray(m_alt).addArray(m_acc).addArray(m_fix).addTextArray(m_languages)
        .addArray(m_answers).addArray(m_offsets).addArray(m_paraVersion).addArray(m_paraSeq).addArray(m_paraTime).addTextArray(m_paraKind)
        .addTextArray(m_paraQuestion).addTextArray(m_paraDetail)
        .addTextArray(m_headUuids).addTextArray(m_headCaseStudies).addArray(m_headVersions);
    // The versions count of UUIDs already held goes up by the versions added here (new UUIDs
    // get their row, with 1, from `h`; the UPDATE cannot see those rows: same snapshot).
    db.exec("WITH v AS (INSERT INTO response_versions (id, uuid, revision, content_hash, batch_id, form_id, form_version, "
            "  case_study, enumerator, device_id, status, started_ms, ended_ms, updated_ms, latitude, longitude, altitude, "
            "  accuracy, fix_ms, language, answers, started_offset_s) "
            "  SELECT * FROM unnest($1::bigint[], $2::text[], $3::int[], $4::bytea[], $5::bigint[], $6::text[], $7::text[], "
            "  $8::text[], $9::text[], $10::text[], $11::text[], $12::bigint[], $13::bigint[], $14::bigint[], $15::float8[], "
            "  $16::float8[], $17::float8[], $18::float8[], $19::bigint[], $20::text[], $21::bytea[], $22::int[]) RETURNING uuid), "
            "p AS (INSERT INTO paradata (version_id, seq, time_ms, kind, question, detail) "
            "  SELECT * FROM unnest($23::bigint[], $24::int[], $25::bigint[], $26::text[], $27::text[], $28::text[])), "
            "h AS (INSERT INTO responses (uuid, case_study, current_version, versions, conflicted) "
            "  SELECT x.u, x.c, x.v, 1, 0 FROM unnest($29::text[], $30::text[], $31::bigint[]) AS x(u, c, v)) "
            "UPDATE responses SET versions = responses.versions + n.k "
            "FROM (SELECT x AS u, count(*) AS k FROM unnest($2::text[]) AS x GROUP BY x) AS n WHERE responses.uuid = n.u",
            p);
    QList<qint64> reserved = std::move(m_reserved);
    clear();
    m_reserved = std::move(reserved); // unused ids stay usable within this transaction
}

void PgVersionBuffer::clear()
{
    *this = PgVersionBuffer();
}

} // namespace kerbside
