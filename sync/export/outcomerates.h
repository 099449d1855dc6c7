// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "collectortypes.h"

#include <QByteArray>
#include <QDate>
#include <QString>

#include <map>
#include <utility>

namespace kerbside {

/** Outcome counts and rates by the AAPOR Standard Definitions, as the rOpenSci `outcomerate`
 *  package computes them. Street intercepts have no non-contacts and no cases of unknown
 *  eligibility (NC = UH = UO = 0), so RR1 = RR5, RR2 = RR6, REF1 = REF2 = REF3. The mapping
 *  of every status and disposition to a class is documented in forms/README.md. */
struct OutcomeCounts
{
    qint64 interviews = 0;   // I: complete
    qint64 partials = 0;     // P: broken off after consent
    qint64 refusals = 0;     // R: refused (at consent or on approach)
    qint64 nonContacts = 0;  // NC: always 0 for intercepts, kept so the formulas read as AAPOR's
    qint64 other = 0;        // O: eligible, not interviewed for another reason
    qint64 notEligible = 0;  // NE: not a resident, ineligible, screened out (quota full)

    qint64 eligible() const { return interviews + partials + refusals + nonContacts + other; }
    // Each rate is NaN when its denominator is 0.
    double rr5() const;    // I / ((I+P) + (R+NC+O))
    double rr6() const;    // (I+P) / ((I+P) + (R+NC+O))
    double coop1() const;  // I / ((I+P) + R + O)
    double coop2() const;  // (I+P) / ((I+P) + R + O)
    double coop3() const;  // I / ((I+P) + R)
    double coop4() const;  // (I+P) / ((I+P) + R)
    double ref3() const;   // R / ((I+P) + (R+NC+O))
    double eligibility() const; // eligible / (eligible + NE)
};

/** The one mapping of interview statuses and contact-log dispositions to AAPOR classes
 *  (forms/README.md): `n` cases added to `c` (drafts and discarded interviews are no case).
 *  summary.csv and the dashboard both count through these. */
void addOutcome(OutcomeCounts *c, ResponseStatus status, qint64 n = 1);
void addOutcome(OutcomeCounts *c, Disposition disposition, qint64 n = 1);

/** Counts per case study, per fieldworker and per day (UTC date of the start or approach). */
class OutcomeRates
{
public:
    void addResponse(const ResponseMeta &meta);
    void addContact(const ContactEntry &contact);
    void addCaseStudy(const QString &id) { m_caseStudies[id]; } // listed even with nothing

    // summary.csv: one row per case study, then per fieldworker, then per day.
    QByteArray csv(bool bom) const;

    const std::map<QString, OutcomeCounts> &caseStudies() const { return m_caseStudies; }

private:
    std::map<QString, OutcomeCounts> m_caseStudies;
    std::map<std::pair<QString, QString>, OutcomeCounts> m_fieldworkers;
    std::map<std::pair<QString, QDate>, OutcomeCounts> m_days;
};

} // namespace kerbside
