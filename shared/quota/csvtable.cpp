// SPDX-License-Identifier: Apache-2.0
#include "csvtable.h"

namespace kerbside {

std::optional<CsvTable> CsvTable::parse(const QByteArray &bytes, QString *error)
{
    auto fail = [&](const QString &why, int line) -> std::optional<CsvTable> {
        *error = line > 0 ? QStringLiteral("line %1: %2").arg(line).arg(why) : why;
        return std::nullopt;
    };
    if (bytes.size() > kMaxBytes)
        return fail(QStringLiteral("larger than %1 MB").arg(kMaxBytes / (1024 * 1024)), 0);
    const QString text = QString::fromUtf8(bytes.startsWith("\xEF\xBB\xBF") ? bytes.mid(3) : bytes);
    if (text.contains(QChar::ReplacementCharacter))
        return fail(QStringLiteral("not UTF-8 text"), 0);
    CsvTable table;
    QStringList row;
    QString field;
    bool quoted = false, fieldStarted = false;
    int line = 1, rowLine = 1;
    auto endRow = [&]() -> bool {
        row.append(field);
        field.clear();
        fieldStarted = false;
        const bool blank = row.size() == 1 && row.first().trimmed().isEmpty();
        if (!blank) {
            if (table.header.isEmpty()) {
                table.header = row;
            } else {
                if (row.size() != table.header.size()) {
                    *error = QStringLiteral("line %1: %2 fields, the header has %3").arg(rowLine).arg(row.size()).arg(table.header.size());
                    return false;
                }
                if (table.rows.size() >= kMaxRows) {
                    *error = QStringLiteral("line %1: more than %2 rows").arg(rowLine).arg(kMaxRows);
                    return false;
                }
                table.rows.append(row);
                table.lines.append(rowLine);
            }
        }
        row.clear();
        return true;
    };
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (quoted) {
            if (c == QLatin1Char('"')) {
                if (i + 1 < text.size() && text.at(i + 1) == QLatin1Char('"')) {
                    field += c;
                    ++i;
                } else {
                    quoted = false;
                }
            } else {
                if (c == QLatin1Char('\n'))
                    ++line;
                field += c;
            }
        } else if (c == QLatin1Char('"')) {
            if (fieldStarted)
                return fail(QStringLiteral("a quote inside an unquoted field"), line);
            quoted = fieldStarted = true;
        } else if (c == QLatin1Char(',')) {
            row.append(field);
            field.clear();
            fieldStarted = false;
        } else if (c == QLatin1Char('\n') || c == QLatin1Char('\r')) {
            if (c == QLatin1Char('\r') && i + 1 < text.size() && text.at(i + 1) == QLatin1Char('\n'))
                ++i;
            if (!endRow())
                return std::nullopt;
            rowLine = ++line;
        } else {
            field += c;
            fieldStarted = true;
        }
    }
    if (quoted)
        return fail(QStringLiteral("a quoted field is not closed"), rowLine);
    if (!field.isEmpty() || !row.isEmpty()) {
        if (!endRow())
            return std::nullopt;
    }
    if (table.header.isEmpty())
        return fail(QStringLiteral("empty: a header row is needed"), 0);
    for (QString &h : table.header)
        h = h.trimmed();
    return table;
}

} // namespace kerbside
