// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QHash>
#include <QSet>
#include <QString>
#include <QStringList>

namespace kerbside {

/** The files a form's select_one_from_file / select_multiple_from_file rows name (its
 *  *attachments*, as ODK Central and Kobo call them). Found, by the exact file name in the type
 *  cell, among the files given (`kerbside form import --attachment FILE`), else in the folders
 *  to look in: beside the workbook and in its `NAME-media/` folder (where ODK Collect keeps a
 *  form's media). A name with a path in it (`../x.csv`, `a/b.csv`) is never looked up. */
class XlsFormAttachments
{
public:
    void addFile(const QString &path); // known by its file name
    void addFolder(const QString &folder);
    // The folder of `workbookPath` and its "<base name>-media" folder.
    void addFoldersBeside(const QString &workbookPath);

    // The bytes of `name`; false with *error saying why ("not found: ...", too large, unreadable),
    // and *notFound set when the file is nowhere to be found (not given, not beside the workbook).
    bool read(const QString &name, QByteArray *bytes, QString *error, bool *notFound = nullptr);
    // Files given with addFile that no row asked for (worth a warning: a typo in a type cell?).
    QStringList unused() const;

private:
    QHash<QString, QString> m_files; // file name -> path
    QStringList m_folders;
    QSet<QString> m_used;
};

} // namespace kerbside
