// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "xlsxsheet.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

struct zip;

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
    // The same from bytes in memory (the fuzz target); name stands for the file in messages.
    bool openData(const QByteArray &bytes, const QString &name);
    const QString &error() const { return m_error; }

    const QStringList &sheetNames() const { return m_sheetNames; } // in workbook order
    // Reads one sheet by its exact name. False with error() set when its XML is broken.
    bool readSheet(const QString &name, XlsxSheet *sheet);

    // Bounds on what a workbook may inflate to: an XLSForm's parts are kilobytes, so these stop a
    // crafted archive (a few MB of zeros compressed 1000 to 1) long before memory runs out.
    struct Limits
    {
        qint64 partBytes = 64LL * 1024 * 1024;   // one ZIP member, inflated
        qint64 totalBytes = 128LL * 1024 * 1024; // all the members we read, inflated
        qint64 ratio = 200;                      // inflated : compressed, of one member
        qint64 ratioFloorBytes = 1024 * 1024;    // the ratio counts once a member inflates beyond this
    };
    void setLimits(const Limits &limits) { m_limits = limits; }
    const Limits &limits() const { return m_limits; }

private:
    void reset(const QString &path);
    bool checkMagic(const QByteArray &magic);
    void notZip(const QString &reason);
    bool readArchive(zip *zip); // takes ownership
    bool readPart(const QString &partName, QByteArray *data, bool optional = false);
    bool parseRelationships(const QByteArray &xml, const QString &partName, const QString &baseDir,
                            QHash<QString, QString> *targets, QHash<QString, QString> *types);
    bool parseSharedStrings(const QByteArray &xml, const QString &partName);
    bool parseSheet(const QByteArray &xml, const QString &partName, XlsxSheet *sheet);

    Limits m_limits;
    QString m_path;
    QString m_error;
    QStringList m_sheetNames;
    QHash<QString, QString> m_sheetParts; // sheet name -> ZIP member name
    QStringList m_sharedStrings;
    QHash<QString, QByteArray> m_parts; // every ZIP member we may need, read once in open()
};

} // namespace kerbside
