// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QString>
#include <QStringList>

#include <algorithm>
#include <vector>

namespace kerbside::bench {

/** Several runs of one figure; printed as min / median / max, as every benchmark here does. */
class Runs
{
public:
    void add(double v) { m_values.push_back(v); }
    bool empty() const { return m_values.empty(); }
    double min() const { return m_values.empty() ? 0 : *std::min_element(m_values.begin(), m_values.end()); }
    double max() const { return m_values.empty() ? 0 : *std::max_element(m_values.begin(), m_values.end()); }
    double median() const
    {
        if (m_values.empty())
            return 0;
        std::vector<double> v = m_values;
        std::sort(v.begin(), v.end());
        const size_t n = v.size();
        return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }
    // "min / median / max" with `decimals` places.
    QString text(int decimals = 0) const
    {
        return QStringLiteral("%1 / %2 / %3")
            .arg(min(), 0, 'f', decimals)
            .arg(median(), 0, 'f', decimals)
            .arg(max(), 0, 'f', decimals);
    }

private:
    std::vector<double> m_values;
};

} // namespace kerbside::bench
