// SPDX-License-Identifier: Apache-2.0
#include "xlsxsheet.h"

namespace kerbside {

QString XlsxSheet::cell(int row, int column) const
{
    auto r = rows.constFind(row);
    return r == rows.constEnd() ? QString() : r->value(column);
}

int XlsxSheet::columnNumber(const QString &letters)
{
    if (letters.isEmpty() || letters.size() > 3)
        return 0;
    int n = 0;
    for (QChar c : letters) {
        const char16_t u = c.toUpper().unicode();
        if (u < u'A' || u > u'Z')
            return 0;
        n = n * 26 + (u - u'A' + 1);
    }
    return n;
}

QString XlsxSheet::columnName(int column)
{
    QString name;
    while (column > 0) {
        const int rem = (column - 1) % 26;
        name.prepend(QChar(u'A' + rem));
        column = (column - 1) / 26;
    }
    return name;
}

} // namespace kerbside
