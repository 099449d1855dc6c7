// SPDX-License-Identifier: Apache-2.0
#include "xlsformproblem.h"

namespace kerbside {

void XlsFormProblem::addTo(QList<XlsFormProblem> &list, const QString &sheet, int row, const QString &column,
                           const QString &message)
{
    XlsFormProblem p;
    p.sheet = sheet;
    p.row = row;
    p.column = column;
    p.message = message;
    if (!list.contains(p))
        list.append(p);
}

QString XlsFormProblem::toString() const
{
    QString where;
    if (!sheet.isEmpty())
        where = row > 0 ? QStringLiteral("%1 row %2").arg(sheet).arg(row)
                        : QStringLiteral("%1 sheet").arg(sheet);
    if (!column.isEmpty())
        where += (where.isEmpty() ? QString() : QStringLiteral(", ")) + QStringLiteral("column ") + column;
    return where.isEmpty() ? message : where + QStringLiteral(": ") + message;
}

} // namespace kerbside
