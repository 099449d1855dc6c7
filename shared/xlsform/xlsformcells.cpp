// SPDX-License-Identifier: Apache-2.0
// XlsFormConverter: reading cells (data rows, values, translated text, media columns).
#include "xlsformconverter.h"

#include <QRegularExpression>

namespace kerbside {

namespace {

// Rows after this many adjacent empty rows are ignored, as pyxform does.
constexpr int kMaxBlankRows = 20;

} // namespace

QList<int> XlsFormConverter::dataRows(const XlsxSheet &sheet, const XlsFormColumns &columns) const
{
    QList<int> rows;
    int previous = columns.headerRow();
    for (auto it = sheet.rows.upperBound(columns.headerRow()); it != sheet.rows.constEnd(); ++it) {
        bool blank = true;
        for (const XlsFormColumns::Column &c : columns.columns())
            blank = blank && it.value().value(c.index).trimmed().isEmpty();
        if (blank)
            continue;
        if (it.key() - previous - 1 >= kMaxBlankRows)
            break;
        rows.append(it.key());
        previous = it.key();
    }
    return rows;
}

QString XlsFormConverter::cellText(const XlsxSheet &sheet, int row, int column) const
{
    QString text = sheet.cell(row, column).trimmed();
    // pyxform's clean_text_values (on unless the settings say no): runs of spaces in the survey
    // sheet's cells become one, as the XForm an ODK author tested would have them.
    static const QRegularExpression spaces(QStringLiteral(" {2,}"));
    if (m_cleanTextValues && &sheet == m_survey && text.contains(QLatin1String("  ")))
        text.replace(spaces, QStringLiteral(" "));
    return text;
}

QString XlsFormConverter::value(const XlsxSheet &sheet, const XlsFormColumns &columns, int row,
                                const QString &key, const QString &language) const
{
    const XlsFormColumns::Column *c = columns.find(key, language);
    return c ? cellText(sheet, row, c->index) : QString();
}

QString XlsFormConverter::heading(const XlsFormColumns &columns, const QString &key) const
{
    if (const XlsFormColumns::Column *c = columns.find(key))
        return c->heading;
    if (const XlsFormColumns::Column *c = columns.find(key, m_defaultLanguage))
        return c->heading;
    for (const XlsFormColumns::Column &c : columns.columns()) {
        if (c.key == key)
            return c.heading;
    }
    return key;
}

void XlsFormConverter::readText(const XlsxSheet &sheet, const XlsFormColumns &columns, int row,
                                const QString &key, QJsonObject &obj,
                                QList<std::pair<QString, QString>> &sourceColumns)
{
    QJsonObject texts;
    for (const QString &lang : m_languages) {
        const XlsFormColumns::Column *c = columns.find(key, lang);
        QString text = c ? cellText(sheet, row, c->index) : QString();
        const XlsFormColumns::Column *untagged = columns.find(key);
        if (text.isEmpty() && lang == m_defaultLanguage && untagged) {
            // An untagged column is the default language's, where no tagged one says more.
            text = cellText(sheet, row, untagged->index);
            if (!c || !text.isEmpty())
                c = untagged;
        }
        if (c)
            sourceColumns.append({key + QLatin1Char('.') + lang, c->heading});
        if (!text.isEmpty())
            texts.insert(lang, text);
    }
    if (columns.has(key))
        sourceColumns.append({key, heading(columns, key)});
    if (!texts.isEmpty()) {
        // As ODK Collect: a language without its own text shows the default language's (or,
        // where that is missing too, the first language's that has one).
        const bool label = key == u"label";
        const QString from = texts.contains(m_defaultLanguage) ? m_defaultLanguage : texts.constBegin().key();
        for (const QString &lang : m_languages) {
            if (texts.contains(lang) || (!label && lang != m_defaultLanguage))
                continue;
            texts.insert(lang, texts.value(from));
            const XlsFormColumns::Column *c = columns.find(key, lang);
            if (!c && lang == m_defaultLanguage)
                c = columns.find(key);
            m_warnings.fallback(&sheet, c ? c->heading : key + QStringLiteral("::") + lang, row,
                         QStringLiteral("no '%1' text in '%2'; the '%3' text is shown")
                             .arg(key, lang, from));
        }
        obj.insert(key, texts);
    }
}

bool XlsFormConverter::hasMedia(const XlsxSheet &sheet, const XlsFormColumns &columns, int row) const
{
    for (const XlsFormColumns::Column &c : columns.columns()) {
        if (!c.known && XlsFormColumns::isTranslatable(c.key) && !sheet.cell(row, c.index).trimmed().isEmpty())
            return true;
    }
    return false;
}

QJsonObject XlsFormConverter::everyLanguage(const QString &text) const
{
    QJsonObject texts;
    for (const QString &lang : m_languages)
        texts.insert(lang, text);
    return texts;
}

} // namespace kerbside
