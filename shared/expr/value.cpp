// SPDX-License-Identifier: Apache-2.0
#include "value.h"

#include "dates.h"

#include <charconv>
#include <cmath>
#include <limits>

namespace kerbside {

Value Value::string(const QString &s)
{
    Value v;
    v.m_string = s;
    return v;
}

Value Value::number(double d)
{
    Value v;
    v.m_type = Type::Number;
    v.m_number = d;
    return v;
}

Value Value::boolean(bool b)
{
    Value v;
    v.m_type = Type::Boolean;
    v.m_number = b ? 1 : 0;
    return v;
}

Value Value::date(double daysSinceEpoch, bool hasTime)
{
    Value v;
    v.m_type = Type::Date;
    v.m_number = daysSinceEpoch;
    v.m_hasTime = hasTime;
    return v;
}

// javarosa's toNumeric: after trimming, only digits, '-' and '.' (or ',' read as '.', for
// locales that write 1,5) are a number: no exponent, no "Infinity"; anything else, including
// '', is NaN. Parsed without allocating.
static double stringToNumber(const QString &s)
{
    const QChar *p = s.constData();
    qsizetype begin = 0;
    qsizetype end = s.size();
    while (begin < end && p[begin].isSpace())
        ++begin;
    while (end > begin && p[end - 1].isSpace())
        --end;
    const qsizetype len = end - begin;
    if (len == 0 || len > 64)
        return std::numeric_limits<double>::quiet_NaN();
    char buf[65];
    for (qsizetype i = 0; i < len; ++i) {
        const char16_t c = p[begin + i].unicode();
        if (c != u'-' && c != u'.' && c != u',' && (c < u'0' || c > u'9'))
            return std::numeric_limits<double>::quiet_NaN();
        buf[i] = c == u',' ? '.' : char(c);
    }
    double d = 0;
    const char *first = buf;
    const char *last = buf + len;
    // from_chars takes no '+' and Java accepts no '+' here either; a leading '.' is fine.
    const auto [ptr, ec] = std::from_chars(first, last, d);
    if (ec != std::errc() || ptr != last)
        return std::numeric_limits<double>::quiet_NaN();
    return d;
}

double Value::toNumber() const
{
    switch (m_type) {
    case Type::Number:
    case Type::Boolean:
        return m_number;
    case Type::Date:
        // javarosa: a date-time as a number is the day count of its local date.
        return m_hasTime ? expr::Dates::fromDate(expr::Dates::toDateTime(m_number).date()) : m_number;
    case Type::String:
        break;
    }
    return stringToNumber(m_string);
}

bool Value::toBoolean() const
{
    switch (m_type) {
    case Type::Boolean:
        return m_number != 0;
    case Type::Number:
        return m_number != 0 && !std::isnan(m_number);
    case Type::Date:
        return true;
    case Type::String:
        break;
    }
    return !m_string.isEmpty(); // javarosa: any non-empty string, even "0" or "false"
}

QString Value::toString() const
{
    switch (m_type) {
    case Type::String:
        return m_string;
    case Type::Number:
        return formatNumber(m_number);
    case Type::Boolean:
        return m_number != 0 ? QStringLiteral("true") : QStringLiteral("false");
    case Type::Date:
        return expr::Dates::toIso(m_number, m_hasTime);
    }
    return m_string;
}

QString Value::formatNumber(double d)
{
    if (std::isnan(d))
        return QStringLiteral("NaN");
    if (std::isinf(d))
        return d > 0 ? QStringLiteral("Infinity") : QStringLiteral("-Infinity");
    if (d == 0)
        return QStringLiteral("0"); // also -0
    // Integers without a decimal point, up to where doubles stop being exact.
    if (d == std::trunc(d) && std::fabs(d) < 1e21) {
        char buf[32];
        const auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::fixed);
        return QString::fromLatin1(buf, ptr - buf);
    }
    char buf[64];
    const auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, d);
    return QString::fromLatin1(buf, ptr - buf);
}

const char *Value::typeName(Type t)
{
    switch (t) {
    case Type::String: return "string";
    case Type::Number: return "number";
    case Type::Boolean: return "boolean";
    case Type::Date: return "date";
    }
    return "string";
}

} // namespace kerbside
