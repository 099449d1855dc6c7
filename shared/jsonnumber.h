// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QJsonValue>

#include <cmath>

namespace kerbside {

/** A JSON number as a whole number. JSON read back from a manifest, a store or a journal file
 *  is hostile: casting a double beyond qint64's range (or NaN) to an integer is undefined
 *  behaviour, so such a value (or a non-number) reads as `fallback`. */
inline qint64 jsonWholeNumber(const QJsonValue &v, qint64 fallback = 0)
{
    const double d = v.toDouble(std::nan(""));
    return std::isfinite(d) && std::fabs(d) < 9.0e15 ? qint64(d) : fallback;
}

} // namespace kerbside
