// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QDateTime>
#include <QString>

#include <optional>

namespace kerbside::expr {

/** Conversions between XLSForm date text and day counts. A date is days since 1970-01-01 (a
 *  whole number); a date-time is fractional days since 1970-01-01T00:00Z, shown in local time. */
class Dates
{
public:
    // "2026-11-24" → whole days; "2026-11-24T10:30:00[.zzz][Z|+hh:mm]" → fractional days.
    // nullopt when the text is not an ISO date. *hasTime says which form it was.
    static std::optional<double> parseIso(const QString &text, bool *hasTime = nullptr);
    static QString toIso(double days, bool hasTime);
    static double fromDate(QDate date);
    static double fromDateTime(const QDateTime &dt);
    static QDate toDate(double days);          // the calendar date of a date value
    static QDateTime toDateTime(double days);  // local time of a date-time value
    // format-date: %Y %y %m %n %b %d %e %H %h %M %S %3 %a; unknown %x kept as is.
    static QString format(double days, bool hasTime, const QString &pattern);
};

} // namespace kerbside::expr
