// SPDX-License-Identifier: Apache-2.0
#include "xlsformimporter.h"

#include "xlsformattachments.h"
#include "xlsformconverter.h"
#include "xlsxreader.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSaveFile>

namespace kerbside {

XlsFormImportResult XlsFormImporter::importFile(const QString &path, const QStringList &attachmentFiles,
                                                Search search)
{
    XlsFormImportResult result;
    XlsxReader reader;
    QList<XlsxSheet> sheets;
    bool ok = reader.open(path);
    // Only the XLSForm sheets are read (others can be large: styled empty cells by the
    // thousand); the rest are passed by name only, for messages.
    const QStringList wanted {QStringLiteral("survey"), QStringLiteral("choices"), QStringLiteral("settings"),
                              QStringLiteral("external_choices")};
    for (const QString &name : reader.sheetNames()) {
        if (!ok)
            break;
        XlsxSheet sheet;
        sheet.name = name;
        if (reader.sheetNames().size() == 1 || wanted.contains(name.trimmed(), Qt::CaseInsensitive))
            ok = reader.readSheet(name, &sheet);
        sheets.append(sheet);
    }
    if (!ok) {
        XlsFormProblem p;
        p.message = reader.error();
        result.problems.append(p);
        return result;
    }
    XlsFormAttachments attachments;
    for (const QString &file : attachmentFiles)
        attachments.addFile(file);
    if (search == Search::Beside)
        attachments.addFoldersBeside(path);
    const bool none = search == Search::None && attachmentFiles.isEmpty();
    result = importSheets(sheets, QFileInfo(path).completeBaseName(), none ? nullptr : &attachments);
    for (const QString &name : attachments.unused()) {
        XlsFormProblem w;
        w.message = QStringLiteral("the attachment %1 is not used by any select_one_from_file or "
                                   "select_multiple_from_file row")
                        .arg(name);
        result.warnings.append(w);
    }
    return result;
}

XlsFormImportResult XlsFormImporter::importSheets(const QList<XlsxSheet> &sheets, const QString &formName,
                                                  XlsFormAttachments *attachments)
{
    XlsFormConverter converter(sheets, formName, attachments);
    converter.run();
    XlsFormImportResult result;
    result.problems = converter.problems();
    result.warnings = converter.warnings();
    if (result.problems.isEmpty())
        result.form = converter.form();
    return result;
}

FormLoadResult XlsFormImporter::loadFile(const QString &path, const QStringList &attachmentFiles)
{
    const XlsFormImportResult imported = importFile(path, attachmentFiles);
    if (imported.ok())
        return FormLoader::loadObject(imported.form, path);
    FormLoadResult result;
    for (const XlsFormProblem &ip : imported.problems) {
        FormProblem p;
        p.file = path;
        p.message = ip.toString();
        result.problems.append(p);
    }
    return result;
}

QString XlsFormImporter::defaultOutputPath(const QString &xlsxPath)
{
    const QFileInfo info(xlsxPath);
    return info.dir().filePath(info.completeBaseName() + QStringLiteral(".json"));
}

bool XlsFormImporter::writeForm(const QJsonObject &form, const QString &path, QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    const QByteArray json = QJsonDocument(form).toJson(QJsonDocument::Indented);
    if (file.write(json) != json.size() || !file.commit()) {
        *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

} // namespace kerbside
