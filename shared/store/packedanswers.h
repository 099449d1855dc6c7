// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "textintern.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QMap>
#include <QString>

namespace kerbside {

/** A finalised response's answers in one blob (responses.answers_packed, store schema 6),
 *  written in the transaction that finalises it, so the outbox reads one row per response
 *  instead of one per answer. The answers table stays the record; the blob is a copy.
 *
 *  Format 1, little-endian: "KA", format byte 1, a zero byte; the revision it was packed at
 *  (u32); the number of answers (u32); per answer, in question order: the question's UTF-8
 *  length (u32) and bytes, the value's length (u32) and bytes; last the CRC-32 of everything
 *  before it. Store files are hostile: unpack() checks every length against what is left,
 *  the revision against the row's and the CRC, and says what is wrong; the caller then reads
 *  the answers rows instead, so a damaged blob is never sent. */
namespace packedanswers {

QByteArray pack(const QMap<QString, QString> &answers, int revision);

// True and `answers` filled (texts shared through `intern` when given), or false with `why`
// set and `answers` left empty.
bool unpack(QByteArrayView blob, int revision, QMap<QString, QString> *answers, QString *why,
            TextIntern *intern = nullptr);

} // namespace packedanswers

} // namespace kerbside
