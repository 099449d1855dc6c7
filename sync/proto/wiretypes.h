// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "store/storetypes.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QSet>
#include <QString>

namespace kerbside {

/** How an answer travelled (and is stored on the collector). The value itself is always
 *  kept as the device stored it (forms/README.md), so the type never changes a value. */
enum class AnswerType { Text = 1, Choice = 2, Integer = 3, Decimal = 4, Choices = 5,
                        Date = 6, Time = 7, DateTime = 8, Geopoint = 9 };
QString answerTypeName(AnswerType type); // "text", "choice", "integer", ...
bool answerTypeFromInt(int value, AnswerType *type);

struct TypedAnswer
{
    QString question;
    AnswerType type = AnswerType::Text;
    QString value; // exactly as stored on the device
};

/** A decoded response of a batch. contentHash covers everything but paradata (see
 *  BatchCodec::responseHash): equal hashes mean the same response at the same revision. */
struct IncomingResponse
{
    ResponseMeta meta;
    QList<TypedAnswer> answers; // sorted by question name
    QList<ParadataEvent> paradata;
    QByteArray contentHash;     // SHA-256
    // Not empty: this response breaks a rule of its own (a time out of range, NaN, ...) and is
    // refused alone, with this reason naming the field, while the rest of the batch merges.
    // Only meta.uuid is then filled in.
    QString refusal;
};

struct IncomingContact
{
    ContactEntry entry;
    QByteArray contentHash; // SHA-256
    QString refusal;        // as IncomingResponse::refusal
};

/** What identifies a batch: written by the device, checked by the collector. */
struct BatchHeader
{
    QString batchUuid; // canonical, lower case, no braces
    QString deviceId;
    quint64 sequence = 0;
    QDateTime created; // UTC
    QString appVersion;
};

/** A batch decoded and validated by BatchCodec::decode. */
struct IncomingBatch
{
    BatchHeader header;
    QList<IncomingResponse> responses;
    QList<IncomingContact> contacts;

    QSet<QString> caseStudies() const; // of every response and contact in it
};

} // namespace kerbside
