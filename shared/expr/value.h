// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QString>

namespace kerbside {

/** A typed XPath value as an expression sees it. Answers arrive as strings (as stored); the
 *  evaluator coerces them with XPath 1.0 / ODK Collect rules. Cheap to copy (QString is shared). */
class Value
{
public:
    enum class Type { String, Number, Boolean, Date };

    Value() = default; // the empty string: what an unanswered field is
    static Value string(const QString &s);
    static Value number(double d);
    static Value boolean(bool b);
    // Days since 1970-01-01 (UTC); fractional part is the time of day for date-times.
    static Value date(double daysSinceEpoch, bool hasTime = false);

    Type type() const { return m_type; }
    bool isEmptyString() const { return m_type == Type::String && m_string.isEmpty(); }

    // XPath coercions (ODK Collect flavour): number('') is NaN, boolean('') is false, ...
    double toNumber() const;
    bool toBoolean() const;
    QString toString() const; // numbers in shortest round-trip form, NaN, Infinity, -Infinity

    // Shortest round-trip text of a number as `kerbside expr` prints it (1, 0.5, NaN, Infinity).
    static QString formatNumber(double d);
    static const char *typeName(Type t); // "string", "number", "boolean", "date"

    const QString &rawString() const { return m_string; }
    double rawNumber() const { return m_number; }
    bool hasTime() const { return m_hasTime; }

private:
    Type m_type = Type::String;
    bool m_hasTime = false;
    double m_number = 0;
    QString m_string;
};

} // namespace kerbside
