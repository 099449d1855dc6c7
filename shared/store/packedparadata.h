// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "storetypes.h"
#include "textintern.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

namespace kerbside {

/** A finalised response's paradata in one blob (responses.paradata_packed, store schema 7),
 *  written with the packed answers in the transaction that finalises it (and rewritten when an
 *  event is appended to a finalised response), so the outbox reads one row per response
 *  instead of ~40 paradata rows. The paradata table stays the record; the blob is a copy.
 *
 *  Format 1, little-endian, in the frame of packedbytes.h: "KP", format byte 1, a zero byte;
 *  the revision (u32); the number of events (u32); per event, in the rows' order (time, id):
 *  its time in ms since the epoch (i64), its kind (u8, ParadataEvent::Kind), the question's
 *  and the detail's UTF-8 length (u32) and bytes; last the CRC-32. unpack() checks every
 *  length, the kind, the revision and the CRC and says what is wrong; the caller then reads
 *  the paradata rows instead. */
namespace packedparadata {

QByteArray pack(const QList<ParadataEvent> &events, int revision);

// True and `events` filled (each with `uuid`; texts shared through `intern` when given), or
// false with `why` set and `events` left empty.
bool unpack(QByteArrayView blob, int revision, const QString &uuid, QList<ParadataEvent> *events,
            QString *why, TextIntern *intern = nullptr);

} // namespace packedparadata

} // namespace kerbside
