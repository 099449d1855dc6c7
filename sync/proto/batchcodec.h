// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "syncformat.h"
#include "wiretypes.h"

#include "form/form.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <functional>
#include <optional>

namespace kerbside {

/** Converts between the device's outbox (shared/store types) and kerbside.v1.Batch bytes.
 *  Encoding types each answer by its question's type when that round-trips exactly, and
 *  sends it as text otherwise: the collector always gets back the very string the device
 *  stored. Decoding validates everything (indexes, lengths, UUIDs, versions) and throws
 *  ProtocolError saying what and where; it never trusts the input. */
class BatchCodec
{
public:
    // The type of a question of a form version; nullopt when unknown (the answer goes as text).
    using TypeLookup = std::function<std::optional<QuestionType>(
        const QString &formId, const QString &formVersion, const QString &question)>;
    // A lookup over loaded forms (kept by pointer: they must outlive the lookup).
    static TypeLookup typesFrom(const QList<const Form *> &forms);

    // header.batchUuid empty -> a new one is made. paradata[i] belongs to responses[i].
    static QByteArray encode(const BatchHeader &header, const OutboxBatch &batch,
                             const TypeLookup &types = {});
    // Throws ProtocolError (Malformed, UnsupportedVersion, Invalid).
    static IncomingBatch decode(const QByteArray &bytes);

    // SHA-256 over a canonical form of everything in a response but paradata and the
    // device-local fields (cursor, synced). Equal for the same content however it travelled.
    static QByteArray responseHash(const ResponseMeta &meta, const QList<TypedAnswer> &answers);
    static QByteArray contactHash(const ContactEntry &contact);

    // UUIDs travel as 16 bytes when canonical (lower case, no braces), else as text.
    static bool uuidToWire(const QString &uuid, QByteArray *bytes);
    static QString uuidFromWire(const QByteArray &bytes, const QString &text);
    static QString newUuid(); // canonical, time-ordered (version 7: see newTimeOrderedUuid)

    // The canonical text forms the typed encodings round-trip through (forms/README.md).
    static QString formatDouble(double value); // shortest exact representation
    static QString formatTime(quint32 msSinceMidnight);
    static QString formatDateTime(qint64 utcMs, int offsetSeconds);
};

} // namespace kerbside
