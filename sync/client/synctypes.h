// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

#include <chrono>
#include <optional>
#include <stdexcept>

namespace kerbside {

/** How a sync is tuned. The defaults suit a tablet on a poor mobile connection. */
struct SyncOptions
{
    int maxBatchResponses = 500;  // responses per batch (the protocol's recommended ceiling)
    int maxAttempts = 6;          // per request, before the sync gives up for now
    std::chrono::milliseconds initialBackoff{500};   // doubled after each failed attempt...
    std::chrono::milliseconds maxBackoff{30'000};    // ...up to this
    std::chrono::milliseconds connectTimeout{10'000};
    std::chrono::milliseconds readTimeout{60'000};   // also the write timeout
    QString formsDir;     // where downloaded forms go (<id>@<version>.json); empty: no download
    QString appVersion;   // informative, sent with batches and enrolment
    QString deviceLabel;  // shown to the coordinator at enrolment (e.g. the tablet model)
    QString caCertFile;   // https: extra CA bundle (a self-signed collector); empty: system CAs
};

/** Where a sync is. done/total count items (responses + contacts) or forms, per phase. */
struct SyncProgress
{
    enum class Phase { Connecting, Uploading, Retrying, Downloading, Finished };
    Phase phase = Phase::Connecting;
    int done = 0;
    int total = 0;
    QString message; // plain words for a status line ("Retrying in 2 s (attempt 3 of 6)")
};

/** One item the collector refused; it stays in the outbox. */
struct SyncRejection
{
    QString kind;   // "response" or "contact"
    QString uuid;
    QString reason; // the collector's plain words
};

/** A sync step that cannot go on (not enrolled, refused, unreachable after retries). The
 *  message is English detail for logs and the command line; the tablet words the code. */
class SyncError : public std::runtime_error
{
public:
    enum class Code { NotEnrolled, Unauthorised, Refused, Network, Protocol, Cancelled, Store,
                      Address, DiskFull, FileWrite, FileRead };
    SyncError(Code code, const QString &message, int httpStatus = 0)
        : std::runtime_error(message.toStdString()), m_code(code), m_httpStatus(httpStatus) {}
    Code code() const { return m_code; }
    int httpStatus() const { return m_httpStatus; } // the collector's answer, for Refused
    QString message() const { return QString::fromUtf8(what()); }

private:
    Code m_code;
    int m_httpStatus;
};

/** What one syncNow() (or a batch file) did. */
struct SyncReport
{
    enum class Result { Ok, NothingToDo, Failed, Cancelled, NotEnrolled };
    Result result = Result::Ok;
    int batches = 0;     // batches acknowledged
    int sent = 0;        // responses + contacts in acknowledged batches
    int accepted = 0;
    int duplicates = 0;  // the collector held them already (e.g. brought by USB)
    int conflicts = 0;   // held, but listed for the coordinator
    int rejected = 0;    // not held: still in the outbox, see rejections
    QList<SyncRejection> rejections;
    QStringList formsDownloaded; // "<id> <version>"
    QStringList formProblems;    // forms not saved, and why
    int retries = 0;     // failed attempts that were retried
    int waiting = 0;     // left in the outbox afterwards
    QString error;       // English detail when Failed / NotEnrolled (logs, command line)
    // Why it stopped, for words in the tablet's language (syncwording.cpp): the English
    // detail above is never put inside a translated sentence.
    std::optional<SyncError::Code> failure;
    int httpStatus = 0;  // with SyncError::Code::Refused
    /** Records why the step stopped: a SyncError's code, or what a store/other error means. */
    void fail(const SyncError &e);
    void fail(const std::exception &e);
    bool ok() const { return result == Result::Ok || result == Result::NothingToDo; }
    QString summary() const; // a sentence or two for the fieldworker
};

/** What enrolment gave: the collector's id for this device and its case studies. The token
 *  is stored in the device store and deliberately not returned. */
struct EnrolResult
{
    QString deviceId;
    QList<QPair<QString, QString>> caseStudies; // (id, name)
};

/** GET /v1/status: what the collector holds from this device, per case study. */
struct CollectorStatus
{
    struct CaseStudy
    {
        QString id;
        QString name;
        quint64 responsesFromDevice = 0;
        quint64 contactsFromDevice = 0;
        quint64 responsesTotal = 0; // all devices
        quint64 openConflicts = 0;
    };
    QString deviceId;
    quint64 batches = 0;
    quint64 lastSequence = 0;
    QList<quint64> missingSequences;
    QList<CaseStudy> caseStudies;
};

} // namespace kerbside
