// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "exportoptions.h"
#include "exporttable.h"

#include <QByteArray>
#include <QList>
#include <QStringList>

namespace kerbside {

/** The codebook written beside an export, as Markdown (to read) and CSV (to load): every
 *  variable with its question text, type, choices and codes, relevance rule, sensitivity and
 *  renames for SPSS/Stata, plus how missing values, location and the response rate work.
 *  Holds no export time, so the same data gives the same bytes. */
class Codebook
{
public:
    explicit Codebook(const ExportOptions &options) : m_options(options) {}

    // `files`: the file names the table was written to; `omitted`: sensitive questions left out.
    void addTable(const ExportTable &table, const QStringList &files, const QStringList &omitted = {},
                  const QString &description = {});

    QByteArray markdown() const;
    QByteArray csv() const;

    static QString choicesText(const ExportColumn &c); // "1 = yes: Yes; 2 = no: No"
    static QString storageText(const ExportColumn &c); // "numeric code", "text (width 36)", ...

private:
    struct Entry
    {
        ExportTable table;
        QStringList files;
        QStringList omitted;
        QString description;
    };
    ExportOptions m_options;
    QList<Entry> m_entries;
};

} // namespace kerbside
