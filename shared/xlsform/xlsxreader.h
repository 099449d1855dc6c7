// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "xlsxsheet.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

namespace kerbside {

/** Reads the cell text of an .xlsx workbook (Office Open XML spreadsheet): the workbook and its
 *  relationships to find sheets by name, the shared strings, then each sheet's cells. Formulas
 *  are not evaluated: a formula cell gives its cached result. Read-only; the whole file is read
 *  by open() and nothing is kept open afterwards. */
class XlsxReader
{
public:
    // Reads the workbook's sheet list and shared strings. False with error() set when the file
    // is missing, not a ZIP, an old binary .xls, or its XML is broken.
    bool open(const QString &path);
    const QString &error() const { return m_error; }

    const QStringList &sheetNames() const { return m_sheetNames; } // in workbook order
    // Reads one sheet by its exact name. False with error() set when its XML is broken.
    bool readSheet(const QString &name, XlsxSheet *sheet);

    // Largest ZIP member we read (bytes): an XLSForm's sheets are kilobytes; this stops a
    // crafted archive from inflating into all of memory.
    static constexpr qint64 kMaxPartBytes = 256LL * 1024 * 1024;

private:
    bool readPart(const QString &partName, QByteArray *data, bool optional = false);
    bool parseRelationships(const QByteArray &xml, const QString &partName, const QString &baseDir,
                            QHash<QString, QString> *targets, QHash<QString, QString> *types);
    bool parseSharedStrings(const QByteArray &xml, const QString &partName);
    bool parseSheet(const QByteArray &xml, const QString &partName, XlsxSheet *sheet);

    QString m_path;
    QString m_error;
    QStringList m_sheetNames;
    QHash<QString, QString> m_sheetParts; // sheet name -> ZIP member name
    QStringList m_sharedStrings;
    QHash<QString, QByteArray> m_parts; // every ZIP member we may need, read once in open()
};

} // namespace kerbside
