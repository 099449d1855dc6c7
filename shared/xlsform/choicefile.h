// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

namespace kerbside {

/** The table in a form attachment that select_one_from_file / select_multiple_from_file read:
 *  a CSV file (RFC 4180: a header row, quoted fields with "" for a quote, CRLF or LF, an
 *  optional UTF-8 byte order mark) or an XML file as ODK reads one (`<root><item><name>..
 *  </name><label>..</label></item>...</root>`: each item's child elements are its columns).
 *  An attachment comes from outside, so reading is bounded (size, rows, columns, cell length)
 *  and refuses what it cannot read whole, naming the row (the CSV line's record number, the
 *  header being row 1; for XML the item number + 1, so that item 1 is row 2 as in a sheet). */
class ChoiceFile
{
public:
    static constexpr qsizetype kMaxBytes = 16 * 1024 * 1024;
    static constexpr int kMaxRows = 100000; // choices
    static constexpr int kMaxColumns = 256;
    static constexpr qsizetype kMaxCellChars = 64 * 1024;

    struct Row
    {
        int row = 0; // as described above: header/first row 1, first choice row 2
        QStringList cells; // one per header, "" where the row is short
    };

    // By the file name's extension: .csv or .xml (case-insensitive); anything else is an error.
    bool read(const QString &fileName, const QByteArray &bytes);
    bool readCsv(const QByteArray &bytes);
    bool readXml(const QByteArray &bytes);

    const QStringList &headers() const { return m_headers; }
    const QList<Row> &rows() const { return m_rows; }
    int column(const QString &header) const; // index into headers (exact, then case-insensitive); -1
    QString error() const { return m_error; }
    int errorRow() const { return m_errorRow; } // 0: the file as a whole

private:
    bool fail(int row, const QString &message);
    bool addRow(int row, QStringList cells);

    QStringList m_headers;
    QList<Row> m_rows;
    QString m_error;
    int m_errorRow = 0;
};

} // namespace kerbside
