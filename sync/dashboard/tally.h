// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "outcomerates.h"

#include <QJsonObject>
#include <QString>

namespace kerbside::dashboard {

/** What the overview, a case study and a fieldworker's day count, from the counters kept at
 *  merge ("complete", "contact:refused", ...). The AAPOR classes and rates are the exports'
 *  (addOutcome() and OutcomeCounts in sync/export/outcomerates.h), so summary.csv and the
 *  dashboard cannot disagree. */
struct Tally
{
    OutcomeCounts aapor;
    qint64 complete = 0, partial = 0, refused = 0, screenedOut = 0, approaches = 0;
    qint64 doorRefused = 0, ineligible = 0; // contact-log refusals; not resident or ineligible

    void add(const QString &kind, qint64 n);
    void add(const Tally &other);
    // complete, partial, refused (interview and door), screenedOut, approaches, ineligible,
    // the AAPOR counts (I P R NC O NE) and rates rr5 (= RR1 for intercepts), rr6, coop1..4,
    // ref3, eligibility (null when a denominator is 0).
    QJsonObject toJson() const;
};

} // namespace kerbside::dashboard
