// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "answerdictionary.h"
#include "postgresconnection.h"
#include "wiretypes.h"

#include <QList>

namespace kerbside {

/** The response versions (with packed answers, and paradata) and new `responses` rows of one merge,
 *  gathered as column arrays and written in a single statement by flush(): a batch of 500
 *  responses costs one round trip instead of 500. Ids are reserved from the sequence ahead
 *  (reserve()), so add() can return a version's id at once. */
class PgVersionBuffer
{
public:
    // Reserves `count` response_versions ids in one round trip.
    void reserve(PgConnection &db, int count);
    // Buffers a version, its answers packed against `dictionary` (answerpack.h); returns its id
    // (reserving one more id if none is left).
    qint64 add(PgConnection &db, const IncomingResponse &response, qint64 batchId, const AnswerDictionary *dictionary);
    // Buffers the `responses` row of a new UUID.
    void addHead(const QString &uuid, const QString &caseStudy, qint64 versionId);
    // Writes everything buffered (nothing when empty). Must run before any other statement
    // that reads or refers to these rows, and before COMMIT.
    void flush(PgConnection &db);
    void clear(); // drops the buffer and the reserved ids (after a rollback)
    bool isEmpty() const { return m_ids.isEmpty() && m_headUuids.isEmpty(); }

private:
    QList<qint64> m_reserved;
    // response_versions columns
    QList<QByteArray> m_ids, m_revisions, m_hashes, m_batchIds, m_started, m_ended, m_updated;
    QList<QByteArray> m_lat, m_lon, m_alt, m_acc, m_fix;
    QStringList m_uuids, m_formIds, m_formVersions, m_caseStudies, m_enumerators, m_deviceIds, m_statuses, m_languages;
    QList<QByteArray> m_answers; // packed (answerpack.h), as bytea hex input
    QList<QByteArray> m_offsets; // started_offset_s (an empty item is NULL: not recorded)
    // paradata
    QList<QByteArray> m_paraVersion, m_paraSeq, m_paraTime;
    QStringList m_paraKind, m_paraQuestion, m_paraDetail;
    // new responses rows
    QStringList m_headUuids, m_headCaseStudies;
    QList<QByteArray> m_headVersions;
};

} // namespace kerbside
