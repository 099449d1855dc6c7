// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QString>

namespace kerbside {

struct SyncReport;

/** What a sync did, in plain sentences a fieldworker understands, in the interface language
 *  (the engine's own summary is English and technical). `newForms` counts only the
 *  questionnaires that were not on the tablet before this sync. */
QString syncSummary(const SyncReport &report, int newForms, const QString &language);

} // namespace kerbside
