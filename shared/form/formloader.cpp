// SPDX-License-Identifier: Apache-2.0
#include "formloader.h"

#include "formchecker.h"
#include "formissue.h"
#include "formreader.h"
#include "jsonlinemap.h"

#include <QFile>
#include <QJsonDocument>

#include <algorithm>

namespace kerbside {

QString FormProblem::toString() const
{
    QString out;
    if (!file.isEmpty())
        out += file + QLatin1Char(':');
    if (line > 0)
        out += QString::number(line) + QLatin1Char(':');
    if (!out.isEmpty())
        out += QLatin1Char(' ');
    if (!path.isEmpty())
        out += path + QStringLiteral(": ");
    return out + message;
}

namespace {

QList<FormIssue> readAndCheck(const QJsonObject &root, Form *form)
{
    FormReader reader(root);
    if (reader.read())
        FormChecker(reader.form(), reader.issues()).check();
    *form = std::move(reader.form());
    return std::move(reader.issues());
}

// Turns issues into problems: file name, lines from the source text (when there is one) and
// the line of any related place appended to its message; then sorts them into file order.
FormLoadResult finish(Form form, QList<FormIssue> issues, const QString &sourceName,
                      const JsonLineMap *lines)
{
    FormLoadResult result;
    for (FormIssue &issue : issues) {
        FormProblem &p = issue.problem;
        p.file = sourceName;
        if (lines) {
            if (p.line == 0)
                p.line = lines->line(p.path);
            if (!issue.relatedPath.isEmpty()) {
                if (const int related = lines->line(issue.relatedPath); related > 0)
                    p.message += QStringLiteral(" (line %1)").arg(related);
            }
        }
        result.problems.append(p);
    }
    if (lines) {
        std::stable_sort(result.problems.begin(), result.problems.end(),
                         [](const FormProblem &a, const FormProblem &b) { return a.line < b.line; });
    }
    if (result.problems.isEmpty()) {
        form.sourcePath = sourceName;
        result.form = std::move(form);
    }
    return result;
}

FormLoadResult single(const QString &sourceName, int line, int column, const QString &message)
{
    FormLoadResult result;
    FormProblem p;
    p.file = sourceName;
    p.line = line;
    p.column = column;
    p.message = message;
    result.problems.append(p);
    return result;
}

} // namespace

FormLoadResult FormLoader::loadFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return single(path, 0, 0, QStringLiteral("cannot read the file: %1").arg(file.errorString()));
    return loadJson(file.readAll(), path);
}

FormLoadResult FormLoader::loadJson(const QByteArray &json, const QString &sourceName)
{
    // A UTF-8 byte-order mark is harmless; QJsonDocument refuses it. Lines do not change.
    const QByteArray text = json.startsWith("\xEF\xBB\xBF") ? json.mid(3) : json;
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(text, &error);
    if (error.error != QJsonParseError::NoError) {
        // Qt's offset is just past the offending character; point at the character itself.
        const QByteArray before = text.left(std::max(0, error.offset - 1));
        const int line = int(before.count('\n')) + 1;
        const QByteArray lineStart = before.mid(before.lastIndexOf('\n') + 1);
        const int column = int(QString::fromUtf8(lineStart).size()) + 1;
        return single(sourceName, line, column,
                      QStringLiteral("malformed JSON at column %1: %2").arg(column).arg(error.errorString()));
    }
    if (!doc.isObject())
        return single(sourceName, 1, 0, QStringLiteral("a form must be a JSON object { ... }"));

    // Duplicate keys are invisible in the QJsonObject, so look for them in the text first.
    const JsonLineMap quick = JsonLineMap::scan(text, false);
    Form form;
    QList<FormIssue> issues = readAndCheck(doc.object(), &form);
    if (issues.isEmpty() && quick.duplicateKeys().isEmpty())
        return finish(std::move(form), {}, sourceName, nullptr);

    // Only a form with problems pays for mapping every path to its line.
    const JsonLineMap lines = JsonLineMap::scan(text, true);
    for (const JsonLineMap::DuplicateKey &d : lines.duplicateKeys()) {
        FormIssue issue;
        issue.problem.path = d.path;
        issue.problem.line = d.line; // the later key's line, not where the path was first seen
        issue.problem.message =
            QStringLiteral("duplicate key '%1' (first at line %2); JSON keeps only one of them")
                .arg(d.key)
                .arg(d.firstLine);
        issues.append(issue);
    }
    return finish(std::move(form), std::move(issues), sourceName, &lines);
}

FormLoadResult FormLoader::loadObject(const QJsonObject &root, const QString &sourceName)
{
    Form form;
    QList<FormIssue> issues = readAndCheck(root, &form);
    return finish(std::move(form), std::move(issues), sourceName, nullptr);
}

} // namespace kerbside
