// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "exporttable.h"

#include <QByteArray>
#include <QString>

namespace kerbside {

/** Syntax files that relabel an exported .sav or .dta in another of the form's languages, as
 *  Kobo users expect: `<stem>.<lang>.sps` (FILE LABEL, VARIABLE LABELS, VALUE LABELS; run it
 *  after GET FILE) and `<stem>.<lang>.do` (label data / variable / define / values; run it
 *  after use). Names are the files' own (spssName / stataName); the missing-value labels are
 *  repeated, since VALUE LABELS and `label define, replace` replace a variable's whole set. */
namespace relabel {
QByteArray spss(const ExportTable &table, const QString &language);
QByteArray stata(const ExportTable &table, const QString &language);
} // namespace relabel

} // namespace kerbside
