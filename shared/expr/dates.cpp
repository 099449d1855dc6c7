// SPDX-License-Identifier: Apache-2.0
#include "dates.h"

#include <cmath>

namespace kerbside::expr {

namespace {

constexpr double kMsPerDay = 86400000.0;
const QDate kEpoch(1970, 1, 1);

const char *const kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                               "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
const char *const kDays[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};

int digitsAt(const QString &s, qsizetype pos, int count)
{
    int v = 0;
    for (int i = 0; i < count; ++i) {
        const QChar c = s.at(pos + i);
        if (c < u'0' || c > u'9')
            return -1;
        v = v * 10 + (c.unicode() - u'0');
    }
    return v;
}

QString pad(int v, int width)
{
    return QString::number(v).rightJustified(width, u'0');
}

QString offsetText(int seconds)
{
    const QChar sign = seconds < 0 ? u'-' : u'+';
    seconds = std::abs(seconds);
    return sign + pad(seconds / 3600, 2) + u':' + pad(seconds / 60 % 60, 2);
}

} // namespace

std::optional<double> Dates::parseIso(const QString &input, bool *hasTime)
{
    const QString text = input.trimmed();
    if (text.size() < 10 || text.at(4) != u'-' || text.at(7) != u'-')
        return std::nullopt;
    const int y = digitsAt(text, 0, 4);
    const int m = digitsAt(text, 5, 2);
    const int d = digitsAt(text, 8, 2);
    const QDate date(y, m, d);
    if (y < 0 || m < 0 || d < 0 || !date.isValid())
        return std::nullopt;
    if (text.size() == 10) {
        if (hasTime)
            *hasTime = false;
        return fromDate(date);
    }
    if (text.at(10) != u'T')
        return std::nullopt;
    const QDateTime dt = QDateTime::fromString(text, Qt::ISODateWithMs);
    if (!dt.isValid())
        return std::nullopt;
    if (hasTime)
        *hasTime = true;
    return fromDateTime(dt);
}

double Dates::fromDate(QDate date)
{
    return double(kEpoch.daysTo(date));
}

double Dates::fromDateTime(const QDateTime &dt)
{
    return double(dt.toMSecsSinceEpoch()) / kMsPerDay;
}

// Days beyond this from the epoch (about 270 million years) make no date: converting such a
// double to an integer would be undefined behaviour.
constexpr double kMaxDays = 1e11;

QDate Dates::toDate(double days)
{
    if (!std::isfinite(days) || std::fabs(days) > kMaxDays)
        return QDate();
    return kEpoch.addDays(qint64(std::floor(days)));
}

QDateTime Dates::toDateTime(double days)
{
    if (!std::isfinite(days) || std::fabs(days) > kMaxDays)
        return QDateTime();
    return QDateTime::fromMSecsSinceEpoch(qint64(std::llround(days * kMsPerDay)));
}

QString Dates::toIso(double days, bool hasTime)
{
    if (!std::isfinite(days))
        return QString();
    if (!hasTime)
        return toDate(days).toString(Qt::ISODate);
    const QDateTime dt = toDateTime(days);
    return dt.toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzz")) + offsetText(dt.offsetFromUtc());
}

QString Dates::format(double days, bool hasTime, const QString &pattern)
{
    if (!std::isfinite(days))
        return QString();
    QDate date;
    QTime time(0, 0);
    if (hasTime) {
        const QDateTime dt = toDateTime(days);
        date = dt.date();
        time = dt.time();
    } else {
        date = toDate(days);
    }
    QString out;
    out.reserve(pattern.size() + 16);
    for (qsizetype i = 0; i < pattern.size(); ++i) {
        const QChar c = pattern.at(i);
        if (c != u'%' || i + 1 == pattern.size()) {
            out += c;
            continue;
        }
        const QChar f = pattern.at(++i);
        switch (f.unicode()) {
        case 'Y': out += pad(date.year(), 4); break;
        case 'y': out += pad(date.year() % 100, 2); break;
        case 'm': out += pad(date.month(), 2); break;
        case 'n': out += QString::number(date.month()); break;
        case 'b': out += QLatin1String(kMonths[date.month() - 1]); break;
        case 'd': out += pad(date.day(), 2); break;
        case 'e': out += QString::number(date.day()); break;
        case 'H': out += pad(time.hour(), 2); break;
        case 'h': out += QString::number(time.hour()); break;
        case 'M': out += pad(time.minute(), 2); break;
        case 'S': out += pad(time.second(), 2); break;
        case '3': out += pad(time.msec(), 3); break;
        case 'a': out += QLatin1String(kDays[date.dayOfWeek() - 1]); break;
        case '%': out += u'%'; break;
        default: out += u'%'; out += f; break;
        }
    }
    return out;
}

} // namespace kerbside::expr
