// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "answerdictionary.h"
#include "store/storetypes.h" // ParadataEvent

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QVariant>

namespace kerbside {

/** The paradata of one response version, packed into one column (`response_versions.paradata`,
 *  schema version 11), as its answers are (answerpack.h).
 *
 *  Why not a row per event: a tablet records a "shown" and a "changed" per question and more,
 *  ~45 events for a vox pop, and a row each was most of the rows a merge inserts and of the
 *  bytes it stores. The events of a version are written once, never changed and read together
 *  (the dashboard's timeline, the case counters' question times). What SQL filters on is kept
 *  beside the pack: `changes` (how many "changed") and `language_switched` (0 or 1).
 *
 *  Format 1: a byte 0x01; varint the size of the form version's AnswerDictionary it was packed
 *  against (0: none, every question spelt out; a reader holding another dictionary refuses the
 *  pack); then per event: one head byte, bits 0-2 the kind (ParadataEvent::Kind, 0-4), bit 3
 *  set when the event has no time, bit 4 set when a detail follows, bits 5-7 zero; unless bit 3,
 *  a zigzag varint (up to 64 bits) of ms after the previous event's time (the first event's: after
 *  `started`, or after the epoch when the version has no start); varint q, 0 no question, 1 the
 *  name follows as varint byte length + UTF-8 (a key the dictionary lacks, such as a repeat's
 *  `member[2]/age`), q >= 2 the dictionary's question q - 2; with bit 4, the detail as varint byte
 *  length + UTF-8. Varints are unsigned LEB128. A version without events stores no pack (NULL):
 *  pack() of an empty list is an empty array. A vox pop's events take ~3 bytes each. */
namespace paradatapack {

QByteArray pack(const QList<ParadataEvent> &events, const AnswerDictionary *dictionary, const QDateTime &started);

/** Unpacks into `out` (appending; responseUuid stays empty). An empty pack is no events. Returns
 *  false, with `out` unchanged, for anything that is not a well-formed pack: an unknown format
 *  byte, another dictionary's size, an index or length past the end, an unknown kind or head
 *  bit, a time before the epoch or after the year 9999. */
bool unpack(const char *data, qsizetype size, QList<ParadataEvent> *out, const AnswerDictionary *dictionary,
            const QDateTime &started);

/** unpack() for a stored column: a damaged pack throws CollectorError (Invalid) naming `where`
 *  (the database) and the version. */
void unpackStored(QByteArrayView packed, QList<ParadataEvent> *out, const QString &where, qint64 versionId,
                  const AnswerDictionary *dictionary, const QDateTime &started);

/** One row of schema version 10's `paradata` table as an event to pack (no time: `timeMs` null);
 *  an unknown kind throws CollectorError (Invalid) naming `where`, the version and the row. */
ParadataEvent fromVersion10Row(const QString &where, qint64 versionId, qint64 seq, const QVariant &timeMs,
                               const QString &kind, const QString &question, const QString &detail);

/** What SQL reads beside the pack: the events of kind "changed", and whether the language switched. */
int changes(const QList<ParadataEvent> &events);
bool languageSwitched(const QList<ParadataEvent> &events);

} // namespace paradatapack
} // namespace kerbside
