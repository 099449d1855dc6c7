// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace kerbside {

// A form's "missing_attachments" (forms/README.md): the select_one_from_file files the XLSForm
// import did not find, each with the empty list standing in for its rows. FormLoader checks the
// shape; such a form loads, to be checked, but is never published.
QStringList missingAttachments(const QJsonObject &form);
// Why the form cannot be published, naming the files and the command that supplies them; "" when
// it can. The JSON overload reads the bytes as `kerbside publish` and the dashboard upload have them.
QString publishRefusal(const QJsonObject &form);
QString publishRefusal(const QByteArray &formJson);

} // namespace kerbside
