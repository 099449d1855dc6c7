// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QDateTime>
#include <QList>
#include <QMap>
#include <QString>

#include <optional>
#include <stdexcept>

namespace kerbside {

// Partial: broken off after consent, kept with the answers given (an AAPOR partial).
// ScreenedOut: stopped because the respondent's quota cell was full (not eligible).
enum class ResponseStatus { Draft, Complete, Refused, Discarded, Partial, ScreenedOut };
QString responseStatusName(ResponseStatus s); // "draft", "complete", "refused", "discarded", "partial", "screened_out"
bool responseStatusFromName(const QString &name, ResponseStatus *s);

/** A position fix with its accuracy; invalid (NaN latitude) when there was none. */
struct Location
{
    double latitude = qQNaN();
    double longitude = qQNaN();
    double altitude = qQNaN();
    double accuracy = qQNaN(); // metres, horizontal
    QDateTime time;            // when the fix was taken (UTC)
    bool isValid() const { return !qIsNaN(latitude) && !qIsNaN(longitude); }
};

/** Whether an interview's position lies in its case study's area, as the tablet judged it
 *  (i12) with the area version it held; the collector recomputes and is the authority. */
enum class InsideArea { Unknown, Yes, No }; // Unknown: no fix, or no area for the case study
QString insideAreaName(InsideArea a);       // "unknown", "yes", "no"
bool insideAreaFromName(const QString &name, InsideArea *a);

struct AreaCheck
{
    InsideArea inside = InsideArea::Unknown;
    double distanceMetres = qQNaN(); // to the boundary, inside or outside; NaN when unknown
    int areaVersion = 0;             // the area version judged against; 0 without an area
};

struct ResponseMeta
{
    QString uuid;
    QString formId;
    QString formVersion;
    QString caseStudy;
    QString enumerator;
    QString deviceId;
    ResponseStatus status = ResponseStatus::Draft;
    int revision = 1;
    QDateTime started;   // UTC
    // The device's offset from UTC when the interview started, seconds east (+3600 = CET):
    // the local start time is started + this. Absent when not recorded (stores, batches and
    // collector rows from before it was).
    std::optional<int> startedUtcOffset;
    QDateTime ended;     // UTC; invalid until finalised
    QDateTime updated;   // UTC, last change
    Location location;
    AreaCheck area;      // of `location`, judged on the tablet
    QString language;    // interface/form language last used
    QString cursor;      // where to resume: the question name last shown
    bool synced = false; // acknowledged by the collector
};

/** A response with its answers (question name -> value as stored, see forms/README.md). */
struct Response
{
    ResponseMeta meta;
    QMap<QString, QString> answers;
};

struct NewResponse
{
    QString formId;
    QString formVersion;
    QString caseStudy;
    QString enumerator;
    QString deviceId;
    QString language;
    QDateTime started; // defaults to now
    std::optional<int> startedUtcOffset; // seconds; defaults to this device's offset at `started`
};

/** Paradata: what the fieldworker did, for time-per-question analysis. */
struct ParadataEvent
{
    enum class Kind { Shown, Changed, LanguageSwitched, Resumed, Finalised };
    QString responseUuid;
    QDateTime time; // UTC, millisecond precision
    Kind kind = Kind::Shown;
    QString question; // for Shown/Changed
    QString detail;   // e.g. the new language code; never the answer itself
};
QString paradataKindName(ParadataEvent::Kind k); // "shown", "changed", ...
bool paradataKindFromName(const QString &name, ParadataEvent::Kind *k);

enum class Disposition { Refused, NotResident, Ineligible, LanguageBarrier, ComeBackLater, Other };
QString dispositionName(Disposition d); // "refused", "not_resident", "ineligible", "language_barrier", "come_back_later", "other"
bool dispositionFromName(const QString &name, Disposition *d);

/** An approach that did not become an interview. */
struct ContactEntry
{
    QString uuid; // set by the store when empty
    QString caseStudy;
    QString enumerator;
    QString deviceId;
    QDateTime time; // UTC
    Location location;
    Disposition disposition = Disposition::Other;
    QString ageBand; // observed, optional ("" when not noted)
    QString gender;  // observed, optional
    QString note;
    bool synced = false;
};

/** Everything waiting for the collector's acknowledgement. */
struct OutboxBatch
{
    QList<Response> responses;           // finalised (complete/refused), not yet acknowledged
    QList<QList<ParadataEvent>> paradata; // paradata[i] belongs to responses[i]
    QList<ContactEntry> contacts;        // not yet acknowledged
};

struct StoreCounts
{
    int today = 0;       // interviews (complete + refused) started today (local time)
    int all = 0;         // complete + refused
    int drafts = 0;
    int waiting = 0;     // finalised responses + contacts not yet acknowledged
    int contacts = 0;    // approaches logged
};

/** A typed store failure. The message says what is wrong and where (file, table). */
class StoreError : public std::runtime_error
{
public:
    enum class Code { Io, Corrupt, Foreign, TooNew, NotFound, Locked, Invalid, DiskFull };
    StoreError(Code code, const QString &message)
        : std::runtime_error(message.toStdString()), m_code(code) {}
    Code code() const { return m_code; }

private:
    Code m_code;
};

} // namespace kerbside
