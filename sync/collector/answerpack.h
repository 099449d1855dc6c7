// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "stringreuse.h"
#include "wiretypes.h"

#include <QByteArray>
#include <QList>

namespace kerbside {

/** The answers of one response version, packed into one column (`response_versions.answers`).
 *
 *  Why not a row per answer: a vox pop has ~22 answers, and a row each made the merge insert
 *  11,000 rows per batch of 500 and the export look them up again per response; together
 *  they were two thirds of both. The answers of a version are written once, never changed and
 *  always read together, so one value is the natural unit (ODK Central keeps a whole XML
 *  submission per version the same way).
 *
 *  Format, version 1: a byte 0x01, then per answer in the given order: varint byte length of
 *  the question name, its UTF-8; one byte answer type (AnswerType); varint byte length of the
 *  value, its UTF-8. Varints are unsigned LEB128, at most 5 bytes. An empty list is "\x01". */
namespace answerpack {

QByteArray pack(const QList<TypedAnswer> &answers);

/** Unpacks into `out` (appending). Returns false, with `out` unchanged, for anything that is
 *  not a well-formed pack: empty (NULL), unknown format byte, a length past the end or over
 *  32 bits, an unknown type. */
bool unpack(const QByteArray &packed, QList<TypedAnswer> *out);
bool unpack(const char *data, qsizetype size, QList<TypedAnswer> *out);
// The same, reusing question names from earlier calls with the same `names` (one per stream).
bool unpack(const char *data, qsizetype size, QList<TypedAnswer> *out, StringReuse *names);

/** unpack() for a stored column: a damaged pack throws CollectorError (Invalid) naming `where`
 *  (the database), the version and, when known, the response's UUID. */
void unpackStored(QByteArrayView packed, QList<TypedAnswer> *out, StringReuse *names, const QString &where,
                  qint64 versionId, const QString &uuid = {});

/** One row of schema version 1's `answers` table as an answer to pack; an unknown type throws
 *  CollectorError (Invalid) naming `where`, the answer and the version. */
TypedAnswer fromVersion1Row(const QString &where, qint64 versionId, const QString &question, qint64 type,
                            const QString &value);

} // namespace answerpack
} // namespace kerbside
