// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "quotaplan.h"

#include "form/form.h"

#include <optional>

namespace kerbside::quota {

/** Builds a plan from `kerbside quota set`'s input: the form the quotas count, the --by
 *  dimensions and the targets CSV (one column per dimension holding choice names, and
 *  `target`). Cells the file omits get target 0. Refuses, naming the file and line: a
 *  dimension that is not a select_one question of the form (or @timeslot), a dimension given
 *  twice, missing or unknown columns, choice names not in the question's list, duplicate
 *  cells, targets that are not whole numbers >= 0. */
std::optional<Plan> planFromTargets(const Form &form, const QStringList &by, const QByteArray &csv,
                                    const QString &fileName, QString *error);

/** Reads `kerbside quota population`'s file for one select_one question: columns named after
 *  the question (or `choice`) and `share`; shares in 0..1 summing to 1 +/- 0.001, each choice
 *  of the list at most once (choices left out have share 0). */
std::optional<QMap<QString, double>> marginFromFile(const Form &form, const QString &question, const QByteArray &csv,
                                                    const QString &fileName, QString *error);

} // namespace kerbside::quota
