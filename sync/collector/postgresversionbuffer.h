// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "answerdictionary.h"
#include "postgresconnection.h"
#include "wiretypes.h"

#include <QList>
#include <QSet>

namespace kerbside {

/** The response versions (with packed answers and paradata) and new `responses` rows of one merge,
 *  gathered as binary COPY rows and written by flush(): a batch of 500 responses costs a COPY
 *  per table (no SQL parsed per row, no array literals, bytea sent as is) instead of 500
 *  INSERTs. Ids are reserved from the sequence ahead (reserve()), so add() can return a
 *  version's id at once. */
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
    bool isEmpty() const { return m_versions.rows() == 0 && m_heads.rows() == 0; }

private:
    QList<qint64> m_reserved;
    PgCopyRows m_versions, m_heads;
    QStringList m_versionUuids; // to count the versions of UUIDs with a row already
    QSet<QString> m_headUuids;  // new rows in this buffer: their count starts at 1
};

} // namespace kerbside
