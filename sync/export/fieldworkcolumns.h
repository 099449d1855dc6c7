// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "exporttable.h"

#include "areahistory.h"
#include "collectortypes.h"
#include "quota/quotaplan.h"
#include "quota/raking.h"

#include <QHash>
#include <QList>
#include <QString>

#include <memory>
#include <vector>

namespace kerbside {

class CollectorStore;
class Codebook;
struct ExportedFile;

/** The fieldwork-plan variables of a response export: `quota_cell` (the cell its answers fix
 *  under the case study's current quotas), `inside_area` and `distance_to_area_m` (judged
 *  on the collector against the area version current when the interview started) and
 *  `weight` (raking of the case study's complete interviews to its population margins; 1
 *  without margins). Built once per export: the raking takes one pass over the complete
 *  interviews of each case study that has margins, keeping only a weight per response. */
class FieldworkColumns
{
public:
    struct Weighting
    {
        QString caseStudy;
        QList<quota::Margin> margins; // population shares
        quota::RakingResult result;   // weights dropped; shares, deff, counts kept
        QList<QMap<QString, double>> unweighted;
    };

    // `caseStudies`: those exported (empty: all). `formId`: the table's form; only its
    // complete interviews are raked.
    FieldworkColumns(CollectorStore &store, const QStringList &caseStudies, const QString &formId);
    ~FieldworkColumns();

    // Appends the four, value labels in each of `languages` (the export's first); remembers where.
    void addColumns(QList<ExportColumn> *columns, const QStringList &languages);
    void fill(const StoredResponse &r, ExportRow *row) const;
    const QList<Weighting> &weightings() const { return m_weightings; }

private:
    struct CaseStudyPlan
    {
        std::optional<quota::Plan> plan;
        AreaHistory areas;
    };

    QHash<QString, CaseStudyPlan> m_plans;
    QHash<QString, double> m_weights; // response UUID -> weight (case studies with margins)
    QList<Weighting> m_weightings;
    int m_first = -1; // column of quota_cell; the others follow
};

/** Writes weights.csv (one row per case study, margin and choice: population share, unweighted
 *  and weighted share of the raked interviews, how many were raked and left out, Kish's
 *  design effect n*sum(w^2)/(sum w)^2, iterations, whether it converged) and describes it in
 *  the codebook. The weighted shares equal the population's within the tolerance. */
ExportedFile writeWeightsTable(const QString &path, bool bom, const QList<FieldworkColumns::Weighting> &weightings,
                               Codebook *codebook);

} // namespace kerbside
