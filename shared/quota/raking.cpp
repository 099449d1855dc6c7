// SPDX-License-Identifier: Apache-2.0
#include "raking.h"

#include <cmath>
#include <limits>

namespace kerbside::quota {

RakingResult rake(const QList<QStringList> &answers, const QList<Margin> &margins, double tolerance, int maxIterations)
{
    RakingResult out;
    const qsizetype n = answers.size();
    out.weights = QList<double>(n, 1.0);
    out.weightedShares = QList<QMap<QString, double>>(margins.size());
    if (margins.isEmpty()) {
        out.raked = int(n);
        return out;
    }
    QList<bool> in(n, true);
    for (qsizetype i = 0; i < n; ++i) {
        for (qsizetype m = 0; m < margins.size(); ++m) {
            const QString a = answers[i].value(m);
            if (a.isEmpty() || margins[m].shares.value(a, 0.0) <= 0)
                in[i] = false;
        }
        if (!in[i]) {
            out.weights[i] = std::numeric_limits<double>::quiet_NaN();
            ++out.leftOut;
        }
    }
    out.raked = int(n) - out.leftOut;
    if (out.raked == 0) {
        out.converged = false;
        out.problem = QStringLiteral("no respondent has a share in every margin");
        return out;
    }
    auto sharesOf = [&](qsizetype m) {
        QMap<QString, double> totals;
        double sum = 0;
        for (qsizetype i = 0; i < n; ++i) {
            if (in[i]) {
                totals[answers[i][m]] += out.weights[i];
                sum += out.weights[i];
            }
        }
        for (double &t : totals)
            t /= sum;
        return totals;
    };
    // A category with a positive population share and no respondent cannot be matched.
    for (qsizetype m = 0; m < margins.size(); ++m) {
        const QMap<QString, double> now = sharesOf(m);
        for (auto it = margins[m].shares.constBegin(); it != margins[m].shares.constEnd(); ++it) {
            if (it.value() > 0 && !now.contains(it.key())) {
                out.converged = false;
                out.problem = QStringLiteral("no respondent with %1=%2 (population share %3): cannot rake to it")
                                  .arg(margins[m].question, it.key()).arg(it.value());
            }
        }
    }
    if (out.converged) {
        out.converged = false;
        for (out.iterations = 1; out.iterations <= maxIterations; ++out.iterations) {
            for (qsizetype m = 0; m < margins.size(); ++m) {
                const QMap<QString, double> now = sharesOf(m);
                double total = 0;
                for (double s : margins[m].shares)
                    total += s;
                for (qsizetype i = 0; i < n; ++i) {
                    if (in[i])
                        out.weights[i] *= margins[m].shares.value(answers[i][m]) / total / now.value(answers[i][m]);
                }
            }
            double worst = 0;
            for (qsizetype m = 0; m < margins.size(); ++m) {
                const QMap<QString, double> now = sharesOf(m);
                double total = 0;
                for (double s : margins[m].shares)
                    total += s;
                for (auto it = now.constBegin(); it != now.constEnd(); ++it)
                    worst = std::max(worst, std::abs(it.value() - margins[m].shares.value(it.key()) / total));
            }
            if (worst < tolerance) {
                out.converged = true;
                break;
            }
        }
        if (!out.converged) {
            out.iterations = maxIterations;
            out.problem = QStringLiteral("did not converge to %1 in %2 iterations").arg(tolerance).arg(maxIterations);
        }
    }
    // Mean 1 over the raked respondents.
    double sum = 0, sum2 = 0;
    for (qsizetype i = 0; i < n; ++i) {
        if (in[i])
            sum += out.weights[i];
    }
    for (qsizetype i = 0; i < n; ++i) {
        if (in[i]) {
            out.weights[i] *= out.raked / sum;
            sum2 += out.weights[i] * out.weights[i];
        }
    }
    out.kishDeff = out.raked * sum2 / (double(out.raked) * out.raked);
    for (qsizetype m = 0; m < margins.size(); ++m)
        out.weightedShares[m] = sharesOf(m);
    return out;
}

} // namespace kerbside::quota
