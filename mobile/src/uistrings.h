// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QString>
#include <QStringList>
#include <QVariantMap>

namespace kerbside {

/** The tablet's interface text in English and Polish, keyed by id (uistrings.cpp holds the
 *  table, one row per id with both languages side by side so a translator sees the pair).
 *  Form text (labels, hints, validation messages) comes from the form through the core. */
class UiStrings
{
public:
    static QStringList languages(); // {"en", "pl"}
    // Every id -> text in `language` (English where a Polish text is missing).
    static QVariantMap table(const QString &language);
    static QString text(const QString &id, const QString &language);
};

} // namespace kerbside
