// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QString>
#include <QStringList>

namespace kerbside {

struct SyncReport;

/** What a sync did, in plain sentences a fieldworker understands, in the interface language
 *  (the engine's own summary is English and technical). `newForms` counts only the
 *  questionnaires that were not on the tablet before this sync. */
QString syncSummary(const SyncReport &report, int newForms, const QString &language);

/** Why a sync, an enrolment or a USB save stopped (report.failure), as one sentence that says
 *  what to do. */
QString syncFailure(const SyncReport &report, const QString &language);

/** Enrolment: done (with the case studies' names), or why not. */
QString enrolledSummary(const QString &url, const QStringList &caseStudies, const QString &language);
QString enrolFailedSummary(const SyncReport &failure, const QString &language);

/** "Save to USB stick": where the file went and what to do with it, or why not. */
QString usbSummary(const SyncReport &report, const QString &path, const QString &language);

} // namespace kerbside
