// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QHash>
#include <QString>
#include <QStringList>

namespace kerbside {

/** Labels of the values the export itself defines (interview status, inside_area), which no
 *  form carries, in every language the export writes: English and Polish from this table,
 *  English for any other language (the codebook says so). */
namespace metalabels {

// language -> label for each of `languages`; `english` must be in the table (else English everywhere).
QHash<QString, QString> everyLanguage(const char *english, const QStringList &languages);

} // namespace metalabels

} // namespace kerbside
