// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "xlsformproblem.h"
#include "xlsxsheet.h"

#include "form/formloader.h"

#include <QJsonObject>
#include <QList>
#include <QString>

namespace kerbside {

struct XlsFormImportResult
{
    QJsonObject form; // the kerbside-form/1 JSON; empty unless ok()
    QList<XlsFormProblem> problems; // every problem, in sheet and row order
    // What was read leniently, as pyxform does (a missing translation, a derived id, a setting
    // Kerbside ignores): the form imports, and these say what the author may want to fix.
    QList<XlsFormProblem> warnings;
    bool ok() const { return problems.isEmpty(); }
};

/** Converts an XLSForm workbook (.xlsx, as written for ODK and Kobo) into a Kerbside form.
 *  The result is checked by FormLoader; its problems are reported by sheet, row and column.
 *  A workbook with any problem gives no form at all.
 *
 *  Mapping decisions: metadata rows (start, end, today, deviceid, username, ...) are left out,
 *  since Kerbside records them with every response, unless a ${name} refers to one, which
 *  then becomes a calculate (now(), today() or ''). `acknowledge` becomes a select_one with
 *  the single choice "OK" (the value ODK stores). `or_other` adds an "other" choice and a
 *  `NAME_other` text question, as pyxform does. Untagged label columns are the
 *  default_language's (English when the settings name none). A missing version is "1".
 *  What pyxform accepts and Kerbside reads leniently (a missing translation, a nameless note,
 *  the same name in two groups, an unsafe form_id, ...) imports with `warnings`; the full list
 *  is in forms/README.md. */
class XlsFormImporter
{
public:
    // Where select_one_from_file finds its files (XlsFormAttachments): the files given, and
    // with Beside also the workbook's folder and its NAME-media folder; with None and no files
    // given, such a row is refused (an upload that came alone, with nothing beside it).
    enum class Search { Beside, None };
    static XlsFormImportResult importFile(const QString &path, const QStringList &attachmentFiles = {},
                                          Search search = Search::Beside);
    // `formName` is the id/title when the settings sheet gives none (normally the file name).
    static XlsFormImportResult importSheets(const QList<XlsxSheet> &sheets, const QString &formName,
                                            class XlsFormAttachments *attachments = nullptr);

    // Imports and loads: for `kerbside form check` and anything that wants a Form. Problems
    // carry `path` as the file and "survey row 4, column relevant: ..." as the message.
    static FormLoadResult loadFile(const QString &path, const QStringList &attachmentFiles = {});

    // survey.xlsx -> survey.json beside it.
    static QString defaultOutputPath(const QString &xlsxPath);
    // Writes indented JSON atomically (QSaveFile): the old file stays whole on any failure.
    static bool writeForm(const QJsonObject &form, const QString &path, QString *error);
};

} // namespace kerbside
