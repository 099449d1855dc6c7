// SPDX-License-Identifier: Apache-2.0
#include "xlsformlenient.h"

#include "form/form.h"

#include "expr/expression.h"

#include <QHash>
#include <QRegularExpression>
#include <QStringList>

#include <algorithm>
#include <cmath>

namespace kerbside {

void XlsFormWarnings::add(const XlsxSheet *sheet, int row, const QString &column, const QString &message)
{
    XlsFormProblem::addTo(m_warnings, sheet ? sheet->name : QString(), row, column, message);
}

void XlsFormWarnings::fallback(const XlsxSheet *sheet, const QString &column, int row, const QString &what)
{
    for (Fallback &f : m_fallbacks) {
        if (f.sheet == sheet && f.column == column && f.what == what) {
            f.rows.append(row);
            return;
        }
    }
    m_fallbacks.append(Fallback {sheet, column, what, {row}});
}

void XlsFormWarnings::reportFallbacks()
{
    for (const Fallback &f : std::as_const(m_fallbacks)) {
        if (f.rows.size() == 1) {
            add(f.sheet, f.rows.first(), f.column, f.what);
            continue;
        }
        QStringList rows;
        for (qsizetype i = 0; i < f.rows.size() && i < 10; ++i)
            rows << QString::number(f.rows[i]);
        if (f.rows.size() > 10)
            rows << QStringLiteral("...");
        add(f.sheet, 0, f.column,
            QStringLiteral("%1 on %2 rows (%3)").arg(f.what).arg(f.rows.size()).arg(rows.join(QStringLiteral(", "))));
    }
    m_fallbacks.clear();
}

namespace xlsformlenient {

QString safeFormId(const QString &text)
{
    QString id;
    for (const QChar c : text.trimmed().toLower()) {
        const char16_t u = c.unicode();
        const bool ok = (u >= 'a' && u <= 'z') || (u >= '0' && u <= '9') || u == '_' || u == '-';
        id += ok ? c : QLatin1Char('_');
    }
    if (id.isEmpty() || id.at(0) < QLatin1Char('a') || id.at(0) > QLatin1Char('z'))
        id.prepend(QStringLiteral("form_"));
    if (isReservedFormId(id)) // the name of a file an export writes
        id.prepend(QStringLiteral("form_"));
    return id.left(64);
}

QString ignoredSetting(const QString &heading)
{
    static const QHash<QString, QString> reasons {
        {QStringLiteral("instance_name"),
         QStringLiteral("Kerbside lists responses by case and time; instance_name is not used")},
        {QStringLiteral("public_key"),
         QStringLiteral("Kerbside does not encrypt responses with a form key (they travel to the collector "
                        "over TLS and are stored there); public_key is not used")},
        {QStringLiteral("submission_url"),
         QStringLiteral("responses go to the collector the tablet is enrolled with; submission_url is not used")},
        {QStringLiteral("omit_instanceid"),
         QStringLiteral("every Kerbside response has its own id; omit_instanceID is not used")},
    };
    const QString key = heading.trimmed().toLower();
    if (key == u"allow_choice_duplicates")
        return {};
    return reasons.value(key, QStringLiteral("setting '%1' is not used by Kerbside").arg(heading));
}

std::optional<QString> straightQuotes(const QString &expression)
{
    static const QRegularExpression curly(QStringLiteral("[\u2018\u2019\u201C\u201D]"));
    if (!curly.match(expression).hasMatch() || Expression::parse(expression).isValid())
        return std::nullopt; // a curly quote inside a straight-quoted string is just text
    QString s = expression;
    s.replace(QChar(0x2018), QLatin1Char('\'')).replace(QChar(0x2019), QLatin1Char('\''));
    s.replace(QChar(0x201C), QLatin1Char('"')).replace(QChar(0x201D), QLatin1Char('"'));
    if (!Expression::parse(s).isValid())
        return std::nullopt; // no better: the original's own error is the one to report
    return s;
}

Range range(const QString &parameters)
{
    Range r;
    double bounds[3] = {1, 10, 1};
    static const QStringList names {QStringLiteral("start"), QStringLiteral("end"), QStringLiteral("step")};
    bool integral = true;
    static const QRegularExpression separators(QStringLiteral("[\\s;,]+"));
    for (const QString &pair : parameters.split(separators, Qt::SkipEmptyParts)) {
        const QString key = pair.section(QLatin1Char('='), 0, 0).trimmed().toLower();
        const QString v = pair.section(QLatin1Char('='), 1).trimmed();
        const qsizetype index = names.indexOf(key);
        if (index < 0) {
            r.ignored << key;
            continue;
        }
        bool ok = false;
        const double d = v.toDouble(&ok);
        if (!ok || !std::isfinite(d)) {
            r.problems << QStringLiteral("range %1 '%2' is not a number").arg(key, v);
            continue;
        }
        bounds[index] = d;
        integral = integral && !v.contains(QLatin1Char('.'));
    }
    const double start = bounds[0];
    const double end = bounds[1];
    const double step = bounds[2];
    r.type = integral ? QStringLiteral("integer") : QStringLiteral("decimal");
    if (step <= 0 || start == end || std::fabs(end - start) / step > 1e6) {
        r.problems << QStringLiteral("range needs start and end apart and a step above 0 (start=%1 end=%2 step=%3)")
                          .arg(start)
                          .arg(end)
                          .arg(step);
        return r;
    }
    r.constraint = QStringLiteral(". >= %1 and . <= %2").arg(std::min(start, end)).arg(std::max(start, end));
    if (step != 1 || !integral)
        r.constraint += QStringLiteral(" and abs((. - %1) div %2 - round((. - %1) div %2)) < 0.000001").arg(start).arg(step);
    r.note = QStringLiteral("range: asked as a number from %1 to %2 in steps of %3 (Kerbside has no slider yet)")
                 .arg(start)
                 .arg(end)
                 .arg(step);
    return r;
}

} // namespace xlsformlenient

} // namespace kerbside
