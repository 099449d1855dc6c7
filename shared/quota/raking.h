// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

namespace kerbside::quota {

/** One population margin: a question and the population share of each of its choices. */
struct Margin
{
    QString question;
    QMap<QString, double> shares;
};

struct RakingResult
{
    QList<double> weights;   // per respondent, mean 1 over those raked; NaN for those left out
    int raked = 0;           // respondents with a share for every margin
    int leftOut = 0;         // an answer missing or without a population share
    int iterations = 0;
    bool converged = true;
    QString problem;         // why it did not converge ("" when it did)
    QList<QMap<QString, double>> weightedShares; // per margin, after raking
    double kishDeff = 1.0;   // n * sum(w^2) / (sum w)^2 over the raked respondents
};

/** Raking (iterative proportional fitting, Deming & Stephan 1940): each respondent's weight is
 *  scaled, margin after margin, until every margin's weighted shares equal the population's
 *  within `tolerance` (largest absolute difference of a share). `answers[i][m]` is respondent
 *  i's answer to margins[m].question. Respondents whose answer to a margin is missing or has
 *  no positive share are left out (NaN weight) and counted. Without margins every weight is 1.
 *  Weights are scaled to mean 1 (their sum is the number raked). */
RakingResult rake(const QList<QStringList> &answers, const QList<Margin> &margins,
                  double tolerance = 1e-6, int maxIterations = 1000);

} // namespace kerbside::quota
