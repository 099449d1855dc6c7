// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QMap>
#include <QString>

namespace kerbside {

/** One worksheet of an .xlsx workbook as text, the way a spreadsheet shows it: shared, inline
 *  and rich-text strings joined, numbers as written (12.0 -> "12"), booleans as TRUE/FALSE.
 *  Rows and columns are 1-based (A = 1); empty cells are absent. */
struct XlsxSheet
{
    QString name;
    QMap<int, QMap<int, QString>> rows; // row -> column -> text

    QString cell(int row, int column) const;
    bool isEmpty() const { return rows.isEmpty(); }

    // "A" -> 1, "AB" -> 28; 0 for anything that is not a column name.
    static int columnNumber(const QString &letters);
    static QString columnName(int column); // 28 -> "AB"
};

} // namespace kerbside
