// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "xlsformproblem.h"
#include "xlsxsheet.h"

#include <QList>
#include <QString>

#include <optional>

namespace kerbside {

/** What the importer read leniently, as pyxform does: warnings, sorted by sheet and row by the
 *  caller. Fallbacks repeated on many rows (a missing translation on hundreds) become one line
 *  per column that lists the first rows. */
class XlsFormWarnings
{
public:
    void add(const XlsxSheet *sheet, int row, const QString &column, const QString &message);
    void fallback(const XlsxSheet *sheet, const QString &column, int row, const QString &what);
    // Turns the collected fallbacks into warnings; call once, at the end.
    void reportFallbacks();
    const QList<XlsFormProblem> &list() const { return m_warnings; }

private:
    struct Fallback
    {
        const XlsxSheet *sheet;
        QString column;
        QString what;
        QList<int> rows;
    };
    QList<XlsFormProblem> m_warnings;
    QList<Fallback> m_fallbacks;
};

namespace xlsformlenient {

// A form id that follows the trust boundary's rule, [a-z][a-z0-9_-]{0,63} ("Spec test" ->
// "spec_test", "2026 Census" -> "form_2026_census").
QString safeFormId(const QString &text);
// Why a settings column Kerbside does not use is ignored ("" for one it uses).
QString ignoredSetting(const QString &heading);
// The expression with curly quotes made straight, when only that makes it parse (Excel's
// autocorrect); nullopt when it parses as it is or does not parse either way.
std::optional<QString> straightQuotes(const QString &expression);

/** An XLSForm range as a Kerbside number question: its parameters' bounds and step become the
 *  constraint ("start=0 end=10 step=0.5"; pyxform's defaults 1, 10, 1). */
struct Range
{
    QString type; // "integer" or "decimal"
    QString constraint; // empty when the parameters are unusable
    QString note; // the warning saying how it is asked
    QStringList problems; // parameters that are not numbers, bounds that make no range
    QStringList ignored; // parameter names Kerbside does not use
};
Range range(const QString &parameters);

} // namespace xlsformlenient

} // namespace kerbside
