// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "wiretypes.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include <stdexcept>

namespace kerbside {

struct CaseStudyRecord
{
    QString id;
    QString name;
    QDateTime created; // UTC
};

/** A form version as published: the JSON exactly as given, and where it is published. */
struct PublishedFormRecord
{
    QString formId;
    QString version;
    QString title;
    QByteArray json;
    QByteArray sha256;
    QDateTime published;     // UTC, first publication
    QStringList caseStudies; // sorted
};

struct DeviceRecord
{
    QString id;
    QString label;
    QStringList caseStudies; // sorted
    QDateTime enrolled;
    QDateTime revoked;       // invalid while the device may sync
    QDateTime lastSeen;      // last authenticated request
    QDateTime lastBatch;     // last batch received (network or USB)
    qint64 batches = 0;
    qint64 responses = 0;    // distinct responses received from it
    qint64 contacts = 0;
    quint64 lastSequence = 0;
    qint64 missingSequences = 0; // numbers below lastSequence never received
    bool isRevoked() const { return revoked.isValid(); }
};

struct EnrolmentCodeRecord
{
    QByteArray codeHash; // SHA-256 of the normalised code; the code itself is never stored
    QString caseStudy;
    QDateTime created;
    QDateTime expires;
};

/** What redeeming an enrolment code gave. */
struct Enrolment
{
    DeviceRecord device;
    QList<CaseStudyRecord> caseStudies;
};

/** The same response (or contact) UUID at the same revision with other content. */
struct ConflictRecord
{
    qint64 id = 0;
    QString kind;        // "response" or "contact"
    QString uuid;
    QString caseStudy;
    int revision = 0;
    QString keptBatch;   // batch UUID of the version kept as current
    QString otherBatch;  // batch UUID of the conflicting version
    QString keptDevice;
    QString otherDevice;
    QStringList differences; // question or field names that differ (never values)
    QDateTime detected;
};

/** A response or contact the collector refused (OUTCOME_REJECTED), kept for the coordinator:
 *  `kerbside refusals` lists them. The item itself is not stored. */
struct RefusalRecord
{
    qint64 id = 0;
    QString kind;      // "response" or "contact"
    QString uuid;      // as sent
    QString caseStudy; // as sent (may name no case study this device is in)
    QString deviceId;  // the device whose batch brought it
    QString batchUuid;
    QString reason;    // names the item and the field, never a value
    QDateTime detected;
};

/** Two identities of one tablet: `oldDevice` was re-enrolled as `newDevice`, which may send
 *  (and revise) what the old identity recorded. */
struct DeviceLinkRecord
{
    QString oldDevice;
    QString newDevice;
    QDateTime linked;
};

struct CaseStudyCounts
{
    QString id;
    QString name;
    qint64 responsesFromDevice = 0;
    qint64 contactsFromDevice = 0;
    qint64 responsesTotal = 0;
    qint64 openConflicts = 0;
};

/** One merged response as the exporter reads it: the current version. */
struct StoredResponse
{
    ResponseMeta meta;
    QList<TypedAnswer> answers; // sorted by question
    QString batchUuid;          // the batch that brought the current version
    QDateTime received;
    int versions = 1;           // distinct versions held
    bool conflicted = false;
    bool languageSwitched = false; // the current version's paradata has a language switch
};

/** Per-item result of merging a batch. */
enum class MergeOutcome { Accepted = 1, Duplicate = 2, Conflict = 3, Rejected = 4 };

struct ItemResult
{
    QString uuid;
    MergeOutcome outcome = MergeOutcome::Accepted;
    QString reason;
    int revision = 0;
};

struct MergeResult
{
    QByteArray ack;      // serialized kerbside.v1.BatchAck, identical for a re-sent batch
    bool replayed = false; // the batch had been merged before; nothing changed
    QList<ItemResult> responses;
    QList<ItemResult> contacts;
    int count(MergeOutcome o) const;
};

/** A collector storage failure, or a request the store refuses. */
class CollectorError : public std::runtime_error
{
public:
    enum class Code {
        Io,        // the database failed (disk, corruption, ...)
        NotFound,  // unknown case study, device, form, code
        Exists,    // already there (case study id, ...)
        Invalid,   // refused input (bad id, unknown case study in a batch, ...)
        Forbidden, // e.g. a batch UUID already used by another device
        Expired,   // enrolment code past its expiry
        Used,      // enrolment code already redeemed
        TooNew,    // a database written by a newer collector
    };
    CollectorError(Code code, const QString &message)
        : std::runtime_error(message.toStdString()), m_code(code) {}
    Code code() const { return m_code; }
    QString message() const { return QString::fromUtf8(what()); }

private:
    Code m_code;
};

} // namespace kerbside
