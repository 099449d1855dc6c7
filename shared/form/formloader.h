// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "form.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace kerbside {

/** One thing wrong with a form definition, with where it is. */
struct FormProblem
{
    QString file;    // the source file (or name given), may be empty
    QString path;    // JSON path, e.g. "$.questions[4].relevant"
    int line = 0;    // 1-based line in the source where known, else 0
    int column = 0;  // 1-based column inside an expression for syntax errors, else 0
    QString message; // plain words: "refers to unknown field ${agee}"

    QString toString() const; // "file:line: $.path: message" (parts omitted when unknown)
};

struct FormLoadResult
{
    std::optional<Form> form; // set only when problems is empty
    QList<FormProblem> problems;
    bool ok() const { return form.has_value(); }
};

/** Reads Kerbside form JSON (forms/README.md) and validates it, reporting every problem at
 *  once. A form with any problem is refused whole. */
class FormLoader
{
public:
    static FormLoadResult loadFile(const QString &path);
    static FormLoadResult loadJson(const QByteArray &json, const QString &sourceName = {});
    static FormLoadResult loadObject(const QJsonObject &root, const QString &sourceName = {});
};

} // namespace kerbside
