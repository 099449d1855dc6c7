// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QtGlobal>

namespace kerbside::isotime {

/** "2026-09-07T09:30:00Z" for ms since the epoch (UTC), as Qt::ISODate writes it, without
 *  QDateTime's time-zone machinery: exports format two of these per row, a million rows. */
inline QByteArray utcSeconds(qint64 ms)
{
    qint64 secs = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
    qint64 days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
    const int sod = int(secs - days * 86400);
    // Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
    days += 719468;
    const qint64 era = (days >= 0 ? days : days - 146096) / 146097;
    const unsigned doe = unsigned(days - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    qint64 y = qint64(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
    if (y < 0 || y > 9999)
        return {};
    char buf[21];
    auto two = [&](int at, unsigned v) {
        buf[at] = char('0' + v / 10);
        buf[at + 1] = char('0' + v % 10);
    };
    two(0, unsigned(y / 100));
    two(2, unsigned(y % 100));
    buf[4] = '-';
    two(5, m);
    buf[7] = '-';
    two(8, d);
    buf[10] = 'T';
    two(11, unsigned(sod / 3600));
    buf[13] = ':';
    two(14, unsigned(sod / 60 % 60));
    buf[16] = ':';
    two(17, unsigned(sod % 60));
    buf[19] = 'Z';
    return QByteArray(buf, 20);
}

/** "2026-09-07T10:30:00+01:00": the clock time `offsetSeconds` east of UTC, with that offset
 *  (whole minutes, as Qt::ISODate writes an offset); "" when out of range. */
inline QByteArray withOffset(qint64 utcMs, int offsetSeconds)
{
    QByteArray s = utcSeconds(utcMs + qint64(offsetSeconds) * 1000);
    if (s.isEmpty())
        return s;
    const int minutes = (offsetSeconds < 0 ? -offsetSeconds : offsetSeconds) / 60;
    s.chop(1); // 'Z'
    const char sign = offsetSeconds < 0 ? '-' : '+';
    const char text[] = {sign, char('0' + minutes / 600), char('0' + minutes / 60 % 10), ':',
                         char('0' + minutes % 60 / 10), char('0' + minutes % 10)};
    s.append(text, 6);
    return s;
}

} // namespace kerbside::isotime
