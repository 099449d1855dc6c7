// SPDX-License-Identifier: Apache-2.0
#include "choicefile.h"

#include <QStringDecoder>
#include <QXmlStreamReader>

namespace kerbside {

bool ChoiceFile::fail(int row, const QString &message)
{
    m_error = message;
    m_errorRow = row;
    m_headers.clear();
    m_rows.clear();
    return false;
}

int ChoiceFile::column(const QString &header) const
{
    const int exact = int(m_headers.indexOf(header));
    if (exact >= 0)
        return exact;
    for (qsizetype i = 0; i < m_headers.size(); ++i) {
        if (m_headers[i].compare(header, Qt::CaseInsensitive) == 0)
            return int(i);
    }
    return -1;
}

bool ChoiceFile::read(const QString &fileName, const QByteArray &bytes)
{
    const QString lower = fileName.toLower();
    if (lower.endsWith(QLatin1String(".csv")))
        return readCsv(bytes);
    if (lower.endsWith(QLatin1String(".xml")))
        return readXml(bytes);
    return fail(0, QStringLiteral("Kerbside reads choices from .csv and .xml files only"));
}

bool ChoiceFile::addRow(int row, QStringList cells)
{
    if (m_headers.isEmpty()) {
        for (QString &c : cells)
            c = c.trimmed();
        if (cells.size() > kMaxColumns)
            return fail(row, QStringLiteral("more than %1 columns").arg(kMaxColumns));
        for (qsizetype i = 0; i < cells.size(); ++i) {
            if (cells[i].isEmpty())
                return fail(row, QStringLiteral("column %1 has no heading").arg(i + 1));
            if (cells.indexOf(cells[i]) != i)
                return fail(row, QStringLiteral("the heading '%1' is there twice").arg(cells[i]));
        }
        m_headers = cells;
        return true;
    }
    bool blank = true;
    for (const QString &c : std::as_const(cells))
        blank = blank && c.trimmed().isEmpty();
    if (blank)
        return true; // an empty line
    for (qsizetype i = m_headers.size(); i < cells.size(); ++i) {
        if (!cells[i].trimmed().isEmpty())
            return fail(row, QStringLiteral("%1 fields, but the header has %2").arg(cells.size()).arg(m_headers.size()));
    }
    cells.resize(m_headers.size());
    if (m_rows.size() >= kMaxRows)
        return fail(row, QStringLiteral("more than %1 choices").arg(kMaxRows));
    m_rows.append(Row {row, cells});
    return true;
}

bool ChoiceFile::readCsv(const QByteArray &bytes)
{
    m_headers.clear();
    m_rows.clear();
    m_error.clear();
    if (bytes.size() > kMaxBytes)
        return fail(0, QStringLiteral("larger than %1 MiB").arg(kMaxBytes / (1024 * 1024)));
    QStringDecoder decode(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    QString text = decode(bytes);
    if (decode.hasError())
        return fail(0, QStringLiteral("not UTF-8 text (save the CSV as UTF-8)"));
    if (text.startsWith(QChar(0xFEFF)))
        text.remove(0, 1);
    if (text.contains(QChar(0)))
        return fail(0, QStringLiteral("contains a NUL character: not a text file"));

    int row = 1;
    QStringList cells;
    QString cell;
    bool quoted = false; // inside a quoted field
    bool wasQuoted = false; // the current field was quoted (no more text may follow the quote)
    const qsizetype n = text.size();
    auto endCell = [&]() {
        if (cell.size() > kMaxCellChars)
            return false;
        cells.append(cell);
        cell.clear();
        wasQuoted = false;
        return true;
    };
    for (qsizetype i = 0; i < n; ++i) {
        const QChar c = text[i];
        if (quoted) {
            if (c == u'"') {
                if (i + 1 < n && text[i + 1] == u'"') {
                    cell += u'"';
                    ++i;
                } else {
                    quoted = false;
                    wasQuoted = true;
                }
            } else {
                cell += c;
            }
            if (cell.size() > kMaxCellChars)
                return fail(row, QStringLiteral("a field longer than %1 characters").arg(kMaxCellChars));
            continue;
        }
        if (c == u',') {
            if (!endCell())
                return fail(row, QStringLiteral("a field longer than %1 characters").arg(kMaxCellChars));
            if (cells.size() > kMaxColumns)
                return fail(row, QStringLiteral("more than %1 columns").arg(kMaxColumns));
        } else if (c == u'\n' || c == u'\r') {
            if (c == u'\r' && i + 1 < n && text[i + 1] == u'\n')
                ++i;
            if (!endCell())
                return fail(row, QStringLiteral("a field longer than %1 characters").arg(kMaxCellChars));
            if (!addRow(row, cells))
                return false;
            cells.clear();
            ++row;
        } else if (c == u'"' && cell.isEmpty() && !wasQuoted) {
            quoted = true;
        } else if (wasQuoted) {
            if (!c.isSpace())
                return fail(row, QStringLiteral("text after a closing quote (a quote inside a field is written \"\")"));
        } else {
            cell += c;
            if (cell.size() > kMaxCellChars)
                return fail(row, QStringLiteral("a field longer than %1 characters").arg(kMaxCellChars));
        }
    }
    if (quoted)
        return fail(row, QStringLiteral("a quoted field is not closed"));
    if (!cell.isEmpty() || !cells.isEmpty() || wasQuoted) {
        if (!endCell())
            return fail(row, QStringLiteral("a field longer than %1 characters").arg(kMaxCellChars));
        if (!addRow(row, cells))
            return false;
    }
    if (m_headers.isEmpty())
        return fail(0, QStringLiteral("empty: no header row"));
    return true;
}

bool ChoiceFile::readXml(const QByteArray &bytes)
{
    m_headers.clear();
    m_rows.clear();
    m_error.clear();
    if (bytes.size() > kMaxBytes)
        return fail(0, QStringLiteral("larger than %1 MiB").arg(kMaxBytes / (1024 * 1024)));
    QXmlStreamReader xml(bytes);
    // Items as header -> text, header order as first met; a DTD (entities) is refused outright.
    QList<QList<std::pair<QString, QString>>> items;
    QList<std::pair<QString, QString>> item;
    int depth = 0;
    QString field;
    QString text;
    while (!xml.atEnd()) {
        const QXmlStreamReader::TokenType token = xml.readNext();
        const int row = int(items.size()) + 2;
        switch (token) {
        case QXmlStreamReader::DTD:
            return fail(0, QStringLiteral("has a DTD (<!DOCTYPE ...>), which Kerbside does not read"));
        case QXmlStreamReader::EntityReference:
            return fail(row, QStringLiteral("refers to an undeclared entity '%1'").arg(xml.name().toString()));
        case QXmlStreamReader::StartElement:
            ++depth;
            if (depth > 3)
                return fail(row, QStringLiteral("<%1> is nested too deep: an item's columns hold text only")
                                     .arg(xml.name().toString()));
            if (depth == 2) {
                if (items.size() >= kMaxRows)
                    return fail(row, QStringLiteral("more than %1 choices").arg(kMaxRows));
                item.clear();
            } else if (depth == 3) {
                field = xml.name().toString();
                text.clear();
            }
            break;
        case QXmlStreamReader::Characters:
            if (depth == 3) {
                text += xml.text();
                if (text.size() > kMaxCellChars)
                    return fail(row, QStringLiteral("<%1> is longer than %2 characters").arg(field).arg(kMaxCellChars));
            } else if (!xml.isWhitespace()) {
                return fail(row, QStringLiteral("text outside an item's column elements"));
            }
            break;
        case QXmlStreamReader::EndElement:
            if (depth == 3) {
                for (const auto &[name, value] : std::as_const(item)) {
                    if (name == field)
                        return fail(row, QStringLiteral("the item has <%1> twice").arg(field));
                }
                item.append({field, text});
                if (!m_headers.contains(field)) {
                    if (m_headers.size() >= kMaxColumns)
                        return fail(row, QStringLiteral("more than %1 columns").arg(kMaxColumns));
                    m_headers.append(field);
                }
            } else if (depth == 2) {
                items.append(item);
            }
            --depth;
            break;
        default:
            break;
        }
    }
    if (xml.hasError())
        return fail(0, QStringLiteral("not well-formed XML (line %1: %2)").arg(xml.lineNumber()).arg(xml.errorString()));
    if (items.isEmpty())
        return fail(0, QStringLiteral("no items: expected <root><item><name>...</name><label>...</label></item></root>"));
    for (qsizetype i = 0; i < items.size(); ++i) {
        QStringList cells(m_headers.size());
        for (const auto &[name, value] : std::as_const(items[i]))
            cells[m_headers.indexOf(name)] = value;
        m_rows.append(Row {int(i) + 2, cells});
    }
    return true;
}

} // namespace kerbside
