// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QDate>
#include <QSet>
#include <QString>
#include <QStringList>

namespace kerbside {

/** What `kerbside export` was asked for. */
struct ExportOptions
{
    QString outDir;
    QStringList caseStudies;  // empty = all
    QDate from;               // inclusive, on the interview's start date (UTC); invalid = open
    QDate to;                 // inclusive
    QStringList formVersions; // empty = all
    QStringList formats{QStringLiteral("csv")}; // csv, sav, dta, jsonl
    bool longLayout = false;
    bool includeSensitive = false;
    double coarsenMetres = 0; // 0 = precise coordinates
    bool bom = false;
    QString language; // labels in this language; "" = each form's default language
    bool approvedOnly = false; // only interviews a coordinator approved on the dashboard
};

} // namespace kerbside
