// SPDX-License-Identifier: Apache-2.0
#pragma once
// Small readings of cell text shared by the XlsFormConverter's files (not a public API).

#include <QRegularExpression>
#include <QString>

#include <optional>

namespace kerbside::xlsformcell {

// yes/true/TRUE/true() and the no forms; anything else is an expression.
inline std::optional<bool> yesNo(const QString &text)
{
    const QString t = text.trimmed().toLower();
    if (t == u"yes" || t == u"true" || t == u"true()")
        return true;
    if (t == u"no" || t == u"false" || t == u"false()")
        return false;
    return std::nullopt;
}

// ${name}, with the name in capture 1.
inline const QRegularExpression &referencePattern()
{
    static const QRegularExpression re(QStringLiteral("\\$\\{\\s*([^}\\s]*)\\s*\\}"));
    return re;
}

} // namespace kerbside::xlsformcell
