// SPDX-License-Identifier: Apache-2.0
#include "tally.h"

#include "store/storetypes.h"

#include <cmath>

namespace kerbside::dashboard {

namespace {

QJsonValue rate(double v)
{
    return std::isfinite(v) ? QJsonValue(v) : QJsonValue();
}

} // namespace

void Tally::add(const QString &kind, qint64 n)
{
    static const QLatin1String contact("contact:");
    if (kind.startsWith(contact)) {
        Disposition d = Disposition::Other; // an unknown disposition is "other", as the exports read it
        dispositionFromName(kind.mid(contact.size()), &d);
        addOutcome(&aapor, d, n);
        approaches += n;
        doorRefused += d == Disposition::Refused ? n : 0;
        ineligible += d == Disposition::NotResident || d == Disposition::Ineligible ? n : 0;
        return;
    }
    ResponseStatus s;
    if (!responseStatusFromName(kind, &s) || s == ResponseStatus::Draft || s == ResponseStatus::Discarded)
        return;
    addOutcome(&aapor, s, n);
    approaches += n;
    complete += s == ResponseStatus::Complete ? n : 0;
    partial += s == ResponseStatus::Partial ? n : 0;
    refused += s == ResponseStatus::Refused ? n : 0;
    screenedOut += s == ResponseStatus::ScreenedOut ? n : 0;
}

void Tally::add(const Tally &o)
{
    aapor.interviews += o.aapor.interviews;
    aapor.partials += o.aapor.partials;
    aapor.refusals += o.aapor.refusals;
    aapor.nonContacts += o.aapor.nonContacts;
    aapor.other += o.aapor.other;
    aapor.notEligible += o.aapor.notEligible;
    complete += o.complete;
    partial += o.partial;
    refused += o.refused;
    screenedOut += o.screenedOut;
    approaches += o.approaches;
    doorRefused += o.doorRefused;
    ineligible += o.ineligible;
}

QJsonObject Tally::toJson() const
{
    const OutcomeCounts &a = aapor;
    return QJsonObject{
        {QStringLiteral("complete"), complete}, {QStringLiteral("partial"), partial},
        {QStringLiteral("refused"), refused + doorRefused}, {QStringLiteral("screenedOut"), screenedOut},
        {QStringLiteral("approaches"), approaches}, {QStringLiteral("ineligible"), ineligible},
        {QStringLiteral("aapor"), QJsonObject{{QStringLiteral("I"), a.interviews}, {QStringLiteral("P"), a.partials},
                                              {QStringLiteral("R"), a.refusals}, {QStringLiteral("NC"), a.nonContacts},
                                              {QStringLiteral("O"), a.other}, {QStringLiteral("NE"), a.notEligible}}},
        {QStringLiteral("rr5"), rate(a.rr5())}, {QStringLiteral("rr6"), rate(a.rr6())},
        {QStringLiteral("coop1"), rate(a.coop1())}, {QStringLiteral("coop2"), rate(a.coop2())},
        {QStringLiteral("coop3"), rate(a.coop3())}, {QStringLiteral("coop4"), rate(a.coop4())},
        {QStringLiteral("ref3"), rate(a.ref3())}, {QStringLiteral("eligibility"), rate(a.eligibility())},
    };
}

} // namespace kerbside::dashboard
