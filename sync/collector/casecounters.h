// SPDX-License-Identifier: Apache-2.0
#pragma once

// The dashboard's third set of counters kept at merge (i13, the pages at 1,000,000
// interviews; schema step 10): what the overview, the case-study page, the fieldworker page,
// the tablets page and the interviews list's flags read instead of scanning responses,
// paradata or batches. The arithmetic is here, once, for the merge and the backfill
// (casecounters.cpp holds CollectorStore's part).
//
//   device_syncs     per device: batches, distinct sequences, last sequence, last batch
//                    received, the app version of the newest sequence (one row per device)
//   device_forms     per device: every form version its responses were recorded with
//   start_counts     per case study, quarter hour of the start (UTC ms / 900000) and status
//   question_counts  per case study, fieldworker and bucket of an interview's median
//                    per-question time (questionBucket())
//   response_flags   per current response: its place (as grid::Place) and median question
//                    time, so the interviews list filters by them with an index, not a scan

#include "collectorschema.h"
#include "dashboardtypes.h"

#include <QByteArray>
#include <QDateTime>
#include <QHash>
#include <QList>
#include <QSet>
#include <QString>

namespace kerbside::cases {

// Median question time buckets (ms): 100 ms wide below 60 s, 1 s wide to 600 s (the
// threshold's range, 0.1 to 600 s), then one for everything longer. A threshold that is a
// multiple of 0.1 s (below 60 s) or of 1 s is counted exactly; a median is known to its bucket.
inline constexpr int kQuestionOverflow = 600 + 540;
int questionBucket(qint64 ms);
qint64 questionBucketStart(int bucket); // ms
qint64 questionBucketEnd(int bucket);   // ms, exclusive

// A quarter hour as start_counts keys it (what SQL's integer division gives, too).
inline qint64 quarterHour(qint64 startedMs) { return startedMs / 900000; }

/** One shown page or the end, in paradata order: what a median question time is computed from. */
struct PagingEvent
{
    qint64 timeMs = 0;
    bool valid = false; // the event had a time
    bool shown = false; // "shown" (else "finalised")
    QString question;
};
// The median time a question of one interview was on screen (ms): each page's time (from its
// "shown" events to the next page's, or to "finalised", or to `endedMs`) split evenly over
// the questions shown on it, summed over a question's showings. < 0 without any page shown.
double medianQuestionMs(const QList<PagingEvent> &events, qint64 endedMs, bool endedValid);

// Step 10: the tables' backfill that SQL can do (device rows, start counts). The rest (places
// and question times) is C++, done once when the store opens (CollectorStore::fillCaseCounts(),
// told by the collector_meta key 'case_counts_unfilled' that the step writes).
QByteArray backfillSql(SqlDialect dialect);

/** What one batch (or resolution) changes, gathered per key and written once. */
struct Tally
{
    struct StartKey
    {
        QString caseStudy;
        qint64 quarter;
        QString kind;
        bool operator==(const StartKey &) const = default;
    };
    struct QuestionKey
    {
        QString caseStudy, enumerator;
        int bucket;
        bool operator==(const QuestionKey &) const = default;
    };
    struct Flags
    {
        QString caseStudy, enumerator, kind;
        qint64 quarter = -1; // -1 with startValid false: no start
        bool startValid = false;
        int place = 0;
        qint64 questionMs = -1; // -1: no page shown
    };
    QHash<StartKey, qint64> starts;
    QHash<QuestionKey, qint64> questions;
    QHash<QString, Flags> flags; // uuid -> the current version's (written over the stored row)
    QHash<QString, int> places;  // uuid -> a new place only (an area re-judged)
    void clear()
    {
        starts.clear();
        questions.clear();
        flags.clear();
        places.clear();
    }
};
size_t qHash(const Tally::StartKey &k, size_t seed = 0);
size_t qHash(const Tally::QuestionKey &k, size_t seed = 0);

} // namespace kerbside::cases
