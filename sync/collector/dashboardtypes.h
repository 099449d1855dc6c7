// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include <limits>

namespace kerbside {

/** A dashboard account (`kerbside user add`). Only the Argon2id hash of its password is kept. */
struct DashboardUser
{
    QString name;
    QString role;            // "coordinator" or "analyst"
    QStringList caseStudies; // empty: every case study
    QString passwordHash;    // crypto_pwhash_str() output
    bool mustChange = false; // a generated one-time password: change it at first login
    bool disabled = false;
    QDateTime created;
    bool sees(const QString &caseStudy) const { return caseStudies.isEmpty() || caseStudies.contains(caseStudy); }
};

/** A signed-in browser. The cookie's token is never stored, only its SHA-256 (hex). */
struct DashboardSession
{
    QString tokenHash;
    QString user;
    QString csrf; // sent back by the page in X-Kerbside-CSRF on every request
    QDateTime created;
    QDateTime lastSeen;
};

/** Counts kept at merge, summed over the rows asked for. `kind` is a response status
 *  ("complete", "refused", "partial", ...) or "contact:" + a contact disposition. */
struct CounterRow
{
    QString caseStudy;
    QString enumerator; // "" when not grouped by fieldworker
    QString day;        // "yyyy-MM-dd", "" when not grouped by day
    QString kind;
    qint64 n = 0;
};

/** A geographic box (degrees); the default holds everything. */
struct GeoBox
{
    double south = -90, west = -180, north = 90, east = 180;
};

struct MapCell
{
    double latitude = 0; // the cell's centre
    double longitude = 0;
    qint64 count = 0;    // interviews and contacts
    qint64 inside = 0;   // of them: inside the case study's area
    qint64 outside = 0;  // outside it (the rest: no area to judge against)
    qint64 contacts = 0; // of them: contacts (approaches) rather than interviews
};

struct MapPoint
{
    QString uuid;
    double latitude = 0;
    double longitude = 0;
    QString status;    // response status, or "contact:" + disposition
    QString enumerator;
    QDateTime started; // of the interview, or the contact's time
};

struct InterviewFilter
{
    QStringList caseStudies; // empty: all
    QString enumerator;
    QString status;
    QString review;          // "approved", "has_issues", "rejected", "none"
    QString day;             // "yyyy-MM-dd" of the start
    qint64 shorterThanMs = 0; // > 0: only interviews shorter than this ("too fast")
    bool outsideArea = false; // only those with a fix outside the case study's area
    qint64 fastQuestionMs = 0; // > 0: only those whose median question time is below this
    bool noFix = false;       // only those without a usable fix (as the grid counters judge it)
    int moreChangesThan = 0;  // > 0: only interviews with more answers changed (paradata)
    int limit = 100;
    int offset = 0;
};

struct InterviewRow
{
    QString uuid;
    QString caseStudy;
    QString formId;
    QString formVersion;
    QString enumerator;
    QString deviceId;
    QString status;
    int revision = 0;
    QDateTime started;
    QDateTime ended;
    double latitude = std::numeric_limits<double>::quiet_NaN();
    double longitude = std::numeric_limits<double>::quiet_NaN();
    QString review;        // "" when not reviewed
    QString reviewComment;
    QString reviewer;
    qint64 versionId = 0;
    // Inside or outside the area current when it started, as judged at merge
    // (`response_flags.place`, casecounters.cpp): "inside", "outside" or "unknown" (no fix, no
    // area, or no flags row).
    QString place;
};

struct ParadataRow
{
    QDateTime time;
    QString kind;
    QString question;
    QString detail;
};

/** Per fieldworker: what the flags are computed from. */
struct FieldworkerStats
{
    QString enumerator;
    qint64 interviews = 0;    // with a start and an end (the length's counters)
    qint64 medianMs = 0;      // median interview length
    qint64 tooFast = 0;       // shorter than the threshold asked for
    qint64 manyChanges = 0;   // answers changed more often than the threshold asked for
    qint64 outsideArea = 0;   // with a fix outside the case study's area
    qint64 noFix = 0;         // without a position fix
    QString day;              // "yyyy-MM-dd" when asked per day
};

/** The two versions of a conflict. */
struct ConflictVersions
{
    QString kind;
    QString uuid;
    qint64 keptId = 0;
    qint64 otherId = 0;
};

/** One interview's page shows ("shown", one per question on the page, same time) and end
 *  ("finalised"), in order: what per-question times are computed from. */
struct InterviewPaging
{
    QString uuid;
    QString enumerator;
    QDateTime ended;
    QList<ParadataRow> events;
};

/** Current interviews of a case study and fieldworker in one place: 0 inside the area,
 *  1 outside, 2 no fix, 3 no area (grid::Place). */
struct PlaceCountRow
{
    QString caseStudy;
    QString enumerator;
    int place = 0;
    qint64 n = 0;
};

/** Current interviews of a fieldworker whose median question time fell in [fromMs, toMs). */
struct QuestionCountRow
{
    QString enumerator;
    qint64 fromMs = 0;
    qint64 toMs = 0;
    qint64 n = 0;
};

/** Interviews (current versions) that started in one quarter hour (UTC ms / 900000) with a status. */
struct StartCount
{
    qint64 quarterHour = 0;
    QString status;
    qint64 n = 0;
};

/** What a device reported with its batches: the app version of its newest batch and the form
 *  versions its responses were recorded with ("form_id version", sorted); and with its last
 *  report after a sync (`device_unsynced`): the completes it still held that are not merged
 *  since, and when it reported them (invalid: no report kept). */
struct DeviceVersions
{
    QString deviceId;
    QString appVersion;
    QStringList forms;
    qint64 pending = 0;
    QDateTime reported;
};

/** A conflict's resolution as recorded: who chose which version and when. */
struct ConflictResolution
{
    qint64 id = 0;
    QString kind;
    QString uuid;
    QString caseStudy;
    QString chosen; // "kept" or "other"
    QString resolver;
    QDateTime resolved;
};

struct ReviewRecord
{
    QString uuid;
    QString state; // "approved", "has_issues", "rejected"
    QString comment;
    QString reviewer;
    QDateTime when;
};

} // namespace kerbside
