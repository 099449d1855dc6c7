// SPDX-License-Identifier: Apache-2.0
#include "xlsformimporter.h"

#include "xlsformconverter.h"
#include "xlsxreader.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSaveFile>

namespace kerbside {

XlsFormImportResult XlsFormImporter::importFile(const QString &path)
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
    return importSheets(sheets, QFileInfo(path).completeBaseName());
}

XlsFormImportResult XlsFormImporter::importSheets(const QList<XlsxSheet> &sheets, const QString &formName)
{
    XlsFormConverter converter(sheets, formName);
    converter.run();
    XlsFormImportResult result;
    result.problems = converter.problems();
    result.warnings = converter.warnings();
    if (result.problems.isEmpty())
        result.form = converter.form();
    return result;
}

FormLoadResult XlsFormImporter::loadFile(const QString &path)
{
    const XlsFormImportResult imported = importFile(path);
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
