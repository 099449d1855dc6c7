// SPDX-License-Identifier: Apache-2.0
#include "questiontimes.h"

#include <QHash>

#include <algorithm>
#include <cmath>
#include <vector>

namespace kerbside::dashboard {

double medianQuestionSeconds(const InterviewPaging &p)
{
    QHash<QString, double> msOf; // question -> ms on screen
    const QList<ParadataRow> &e = p.events;
    qsizetype i = 0;
    while (i < e.size()) {
        if (e[i].kind != QLatin1String("shown") || !e[i].time.isValid()) {
            ++i;
            continue;
        }
        // One page: the "shown" events at the same moment.
        qsizetype j = i;
        while (j < e.size() && e[j].kind == QLatin1String("shown") && e[j].time == e[i].time)
            ++j;
        QDateTime next = j < e.size() ? e[j].time : p.ended;
        if (!next.isValid() || next < e[i].time)
            next = e[i].time;
        const double share = double(e[i].time.msecsTo(next)) / double(j - i);
        for (qsizetype k = i; k < j; ++k)
            msOf[e[k].question] += share;
        i = j;
    }
    if (msOf.isEmpty())
        return std::nan("");
    std::vector<double> v(msOf.cbegin(), msOf.cend());
    std::sort(v.begin(), v.end());
    const size_t n = v.size();
    const double median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    return median / 1000.0;
}

} // namespace kerbside::dashboard
