// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "answerdictionary.h"
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
 *  value, its UTF-8. Varints are unsigned LEB128, at most 5 bytes. An empty list is "\x01".
 *
 *  Format 2 (schema version 9), packed against the form version's AnswerDictionary: a byte
 *  0x02, varint the dictionary's size (a reader holding another dictionary refuses the pack),
 *  then per answer: varint q (0: the name follows as varint length + UTF-8, a key the
 *  dictionary lacks such as a repeat's `member[2]/age`; else the dictionary's question q - 1);
 *  one byte answer type; varint v whose low two bits say what follows, n = v >> 2: 0, n bytes
 *  of UTF-8; 1, none: the question's choice n; 2, n varints: choices joined by single spaces
 *  (a select_multiple), n >= 2. A vox pop's answers take ~3 bytes each instead of ~17. */
namespace answerpack {

QByteArray pack(const QList<TypedAnswer> &answers);
// Format 2 against `dictionary`; format 1 when it is nullptr (the form version is not held).
QByteArray pack(const QList<TypedAnswer> &answers, const AnswerDictionary *dictionary);

/** Unpacks into `out` (appending). Returns false, with `out` unchanged, for anything that is
 *  not a well-formed pack: empty (NULL), unknown format byte, a length past the end or over
 *  32 bits, an unknown type. */
bool unpack(const QByteArray &packed, QList<TypedAnswer> *out);
bool unpack(const char *data, qsizetype size, QList<TypedAnswer> *out);
// The same, reusing question names from earlier calls with the same `names` (one per stream).
bool unpack(const char *data, qsizetype size, QList<TypedAnswer> *out, StringReuse *names);
// Either format; format 2 needs the dictionary it was packed against (false without it).
bool unpack(const char *data, qsizetype size, QList<TypedAnswer> *out, StringReuse *names,
            const AnswerDictionary *dictionary);

/** unpack() for a stored column: a damaged pack throws CollectorError (Invalid) naming `where`
 *  (the database), the version and, when known, the response's UUID. */
void unpackStored(QByteArrayView packed, QList<TypedAnswer> *out, StringReuse *names, const QString &where,
                  qint64 versionId, const QString &uuid = {}, const AnswerDictionary *dictionary = nullptr);

/** One row of schema version 1's `answers` table as an answer to pack; an unknown type throws
 *  CollectorError (Invalid) naming `where`, the answer and the version. */
TypedAnswer fromVersion1Row(const QString &where, qint64 versionId, const QString &question, qint64 type,
                            const QString &value);

} // namespace answerpack
} // namespace kerbside
