// SPDX-License-Identifier: Apache-2.0
#include "outcomerates.h"

#include "csvsink.h"

#include <cmath>

namespace kerbside {

namespace {

double ratio(qint64 numerator, qint64 denominator)
{
    return denominator > 0 ? double(numerator) / double(denominator) : std::nan("");
}

enum class Outcome { None, Interview, Partial, Refusal, Other, NotEligible };

Outcome classOf(ResponseStatus s)
{
    switch (s) {
    case ResponseStatus::Complete: return Outcome::Interview;
    case ResponseStatus::Partial: return Outcome::Partial;
    case ResponseStatus::Refused: return Outcome::Refusal;
    case ResponseStatus::ScreenedOut: return Outcome::NotEligible;
    case ResponseStatus::Draft:
    case ResponseStatus::Discarded: return Outcome::None; // never finalised: not a case
    }
    return Outcome::None;
}

Outcome classOf(Disposition d)
{
    switch (d) {
    case Disposition::Refused: return Outcome::Refusal;
    case Disposition::NotResident:
    case Disposition::Ineligible: return Outcome::NotEligible;
    case Disposition::LanguageBarrier:
    case Disposition::ComeBackLater:
    case Disposition::Other: return Outcome::Other;
    }
    return Outcome::Other;
}

void count(OutcomeCounts *c, Outcome o, qint64 n = 1)
{
    switch (o) {
    case Outcome::Interview: c->interviews += n; break;
    case Outcome::Partial: c->partials += n; break;
    case Outcome::Refusal: c->refusals += n; break;
    case Outcome::Other: c->other += n; break;
    case Outcome::NotEligible: c->notEligible += n; break;
    case Outcome::None: break;
    }
}

QByteArray rate(double v)
{
    return std::isnan(v) ? QByteArray() : QByteArray::number(v, 'f', 4);
}

} // namespace

void addOutcome(OutcomeCounts *c, ResponseStatus status, qint64 n)
{
    count(c, classOf(status), n);
}

void addOutcome(OutcomeCounts *c, Disposition disposition, qint64 n)
{
    count(c, classOf(disposition), n);
}

double OutcomeCounts::rr5() const { return ratio(interviews, eligible()); }
double OutcomeCounts::rr6() const { return ratio(interviews + partials, eligible()); }
double OutcomeCounts::coop1() const { return ratio(interviews, interviews + partials + refusals + other); }
double OutcomeCounts::coop2() const { return ratio(interviews + partials, interviews + partials + refusals + other); }
double OutcomeCounts::coop3() const { return ratio(interviews, interviews + partials + refusals); }
double OutcomeCounts::coop4() const { return ratio(interviews + partials, interviews + partials + refusals); }
double OutcomeCounts::ref3() const { return ratio(refusals, eligible()); }
double OutcomeCounts::eligibility() const { return ratio(eligible(), eligible() + notEligible); }

void OutcomeRates::addResponse(const ResponseMeta &m)
{
    const Outcome o = classOf(m.status);
    if (o == Outcome::None)
        return;
    count(&m_caseStudies[m.caseStudy], o);
    count(&m_fieldworkers[{m.caseStudy, m.enumerator}], o);
    count(&m_days[{m.caseStudy, m.started.toUTC().date()}], o);
}

void OutcomeRates::addContact(const ContactEntry &e)
{
    const Outcome o = classOf(e.disposition);
    count(&m_caseStudies[e.caseStudy], o);
    count(&m_fieldworkers[{e.caseStudy, e.enumerator}], o);
    count(&m_days[{e.caseStudy, e.time.toUTC().date()}], o);
}

QByteArray OutcomeRates::csv(bool bom) const
{
    QByteArray out;
    if (bom)
        out.append("\xEF\xBB\xBF");
    auto line = [&](const QList<QByteArray> &fields) {
        for (int i = 0; i < fields.size(); ++i) {
            if (i)
                out.append(',');
            CsvSink::appendField(&out, fields[i].constData(), fields[i].size());
        }
        out.append("\r\n", 2);
    };
    line({"level", "case_study", "enumerator", "day", "I", "P", "R", "NC", "O", "NE", "RR5", "RR6",
          "COOP1", "COOP2", "COOP3", "COOP4", "REF3", "eligibility"});
    auto row = [&](const char *level, const QString &cs, const QString &enumerator, const QString &day,
                   const OutcomeCounts &c) {
        line({level, cs.toUtf8(), enumerator.toUtf8(), day.toUtf8(), QByteArray::number(c.interviews),
              QByteArray::number(c.partials), QByteArray::number(c.refusals), QByteArray::number(c.nonContacts),
              QByteArray::number(c.other), QByteArray::number(c.notEligible), rate(c.rr5()), rate(c.rr6()),
              rate(c.coop1()), rate(c.coop2()), rate(c.coop3()), rate(c.coop4()), rate(c.ref3()),
              rate(c.eligibility())});
    };
    for (const auto &[cs, c] : m_caseStudies)
        row("case_study", cs, {}, {}, c);
    for (const auto &[key, c] : m_fieldworkers)
        row("fieldworker", key.first, key.second, {}, c);
    for (const auto &[key, c] : m_days)
        row("day", key.first, {}, key.second.isValid() ? key.second.toString(Qt::ISODate) : QString(), c);
    return out;
}

} // namespace kerbside
