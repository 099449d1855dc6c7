// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "storetypes.h"

#include <QList>
#include <QString>

#include <functional>

namespace kerbside {

/** The second, independent copy of every finalised response until the collector acknowledges
 *  it: an append-only file beside the store (`<store>.journal`), so that a damaged database or
 *  WAL loses nothing finalised. `kerbside rescue` turns it into a USB batch file.
 *
 *  Format, version 1: the 8 bytes "KBJRNL1\n", then records: "KBR1", a 32-bit little-endian
 *  payload length, the payload's CRC-32 (zlib's polynomial, little-endian), the payload: one
 *  response as compact JSON (meta, answers, paradata; see outboxjournal.cpp). Each append is
 *  fsync'd before finalise() returns. A damaged record is skipped on reading (the next "KBR1"
 *  resynchronises); a torn last record is dropped. Plain QtCore: the protobuf encoding stays in
 *  sync/, and the journal does not depend on a form to be read back. */
class OutboxJournal
{
public:
    struct Entry
    {
        Response response;
        QList<ParadataEvent> paradata;
    };
    struct ReadResult
    {
        QList<Entry> entries;  // in file order; a uuid may appear at several revisions
        int damagedRecords = 0; // skipped: bad CRC, bad JSON or cut short
        QString error;          // the file cannot be read at all (then entries is empty)
    };

    static QString pathFor(const QString &storePath); // "<store>.journal"

    // Appends one finalised response and fsyncs. Throws StoreError (DiskFull, Io) naming the file.
    static void append(const QString &path, const Response &response, const QList<ParadataEvent> &paradata);
    static ReadResult read(const QString &path);
    // Rewrites the journal keeping only the entries `keep` accepts (atomically: a new file,
    // fsync'd, renamed over the old). Called after acknowledgements.
    static void compact(const QString &path, const std::function<bool(const Entry &)> &keep);

    // The payload codec (exposed for the fuzz target and tests).
    static QByteArray encode(const Entry &entry);
    static bool decode(const QByteArray &payload, Entry *entry);
};

} // namespace kerbside
