// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QList>
#include <QString>

namespace kerbside {

/** One thing wrong with an XLSForm workbook, located the way its author sees it: sheet name as
 *  in the workbook, spreadsheet row number and column heading. */
struct XlsFormProblem
{
    QString sheet; // "survey" (as spelled in the workbook); empty for the workbook as a whole
    int row = 0; // 1-based spreadsheet row; 0 for the whole sheet
    QString column; // the column's heading, "relevant", "label::English (en)"; may be empty
    QString message; // "select_one list 'agree5' is not in the choices sheet"

    // Appends the problem at sheet/row/column to `list` unless it is already there.
    static void addTo(QList<XlsFormProblem> &list, const QString &sheet, int row, const QString &column,
                      const QString &message);

    // "survey row 14, column relevant: ..." (parts left out when unknown)
    QString toString() const;
    bool operator==(const XlsFormProblem &o) const
    {
        return sheet == o.sheet && row == o.row && column == o.column && message == o.message;
    }
};

} // namespace kerbside
