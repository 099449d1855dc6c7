// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QList>
#include <QString>
#include <QStringList>
#include <QStringView>

#include <array>

namespace kerbside {

struct ChoiceList;

/** The stored text of the answers that are lists (ODK's formats, so exports read as ODK's):
 *  geotrace "lat lon alt acc;lat lon alt acc;..." (at least 2 points), geoshape the same, closed
 *  (at least 4 points, the last equal to the first), rank the choice names in order, separated
 *  by single spaces, every choice once. One place for the tablet's interview checks and the
 *  collector's checks of what arrives. */
namespace answerformat {

inline constexpr int kMaxPoints = 10000; // bounds what one answer may hold

// "lat lon [alt [acc]]" points separated by ';' (spaces around ';' allowed); false when any
// point is not one (latitude -90..90, longitude -180..180, accuracy >= 0) or there are too many.
bool parsePoints(QStringView text, QList<std::array<double, 4>> *points);
// Why `text` is not a geotrace / geoshape ("" when it is one).
QString geotraceProblem(QStringView text);
QString geoshapeProblem(QStringView text);
// Why `text` is not an order of `names` (every one once); "" when it is.
QString rankProblem(QStringView text, const QStringList &names);

} // namespace answerformat

} // namespace kerbside
