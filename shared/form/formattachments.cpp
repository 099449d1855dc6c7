// SPDX-License-Identifier: Apache-2.0
#include "formattachments.h"

#include <QJsonDocument>

namespace kerbside {

QStringList missingAttachments(const QJsonObject &form)
{
    QStringList files = form.value(QStringLiteral("missing_attachments")).toObject().keys();
    files.sort();
    return files;
}

QString publishRefusal(const QJsonObject &form)
{
    const QStringList files = missingAttachments(form);
    if (files.isEmpty())
        return {};
    QStringList options;
    for (const QString &f : files)
        options << QStringLiteral("--attachment ") + f;
    return QStringLiteral("the form needs its attachment%1 %2, missing at import: import the workbook again "
                          "with `kerbside form import FORM.xlsx %3`, then publish")
        .arg(files.size() == 1 ? QString() : QStringLiteral("s"),
             QLatin1Char('\'') + files.join(QStringLiteral("', '")) + QLatin1Char('\''),
             options.join(QLatin1Char(' ')));
}

QString publishRefusal(const QByteArray &formJson)
{
    // FormLoader reads a file with a UTF-8 byte-order mark; so must this.
    const QByteArray bytes = formJson.startsWith("\xef\xbb\xbf") ? formJson.mid(3) : formJson;
    return publishRefusal(QJsonDocument::fromJson(bytes).object());
}

} // namespace kerbside
