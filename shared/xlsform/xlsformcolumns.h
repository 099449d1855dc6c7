// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "xlsxsheet.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace kerbside {

/** The header row of one XLSForm sheet: which column holds what, in which language. Headings are
 *  matched case-insensitively with pyxform's aliases (`list name` = `list_name`, `readonly` =
 *  `read_only`, `jr:constraintMsg` = `constraint_message`); `label::English (en)` and the older
 *  `label:English` carry a language. */
class XlsFormColumns
{
public:
    enum class SheetKind { Survey, Choices, Settings };

    struct Column
    {
        int index = 0; // 1-based spreadsheet column
        QString heading; // as written (trimmed), for messages
        QString key; // canonical: "label", "constraint_message", ...; for unknown headings
                     // the heading as written (choices: an extra column for choice_filter)
        QString language; // language code for a translated column, "" when untagged
        bool known = false; // key is one Kerbside reads
        bool translated = false; // the heading had a ::language suffix
    };

    // Reads the first non-empty row as the header. Columns after 20 adjacent empty headings are
    // ignored, as pyxform does.
    void parse(const XlsxSheet &sheet, SheetKind kind);

    int headerRow() const { return m_headerRow; } // 0 when the sheet is empty
    const QList<Column> &columns() const { return m_columns; }
    // The column for key in language ("" = untagged); nullptr when there is none.
    const Column *find(const QString &key, const QString &language = {}) const;
    bool has(const QString &key) const; // in any language
    // Codes of every language that a translated column of this sheet names, in column order.
    QStringList languages() const;

    // "English (en)" -> "en"; "English" -> "en"; "EN" -> "en"; "Kiswahili" -> "kiswahili".
    static QString languageCode(const QString &spec);
    // True for keys that take a ::language suffix.
    static bool isTranslatable(const QString &key);

private:
    int m_headerRow = 0;
    QList<Column> m_columns;
};

} // namespace kerbside
