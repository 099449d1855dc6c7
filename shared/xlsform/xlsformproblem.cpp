// SPDX-License-Identifier: Apache-2.0
#include "xlsformproblem.h"

namespace kerbside {

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
