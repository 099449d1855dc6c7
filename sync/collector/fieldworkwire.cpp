// SPDX-License-Identifier: Apache-2.0
#include "fieldworkwire.h"

#include "collectorstore.h"
#include "kerbside/v1/sync.pb.h"

namespace kerbside {

void addFieldworkPlans(CollectorStore &store, const QStringList &caseStudies, v1::FormManifest *manifest)
{
    for (const QString &cs : caseStudies) {
        const std::optional<quota::Plan> plan = store.quotaPlan(cs);
        const QList<AreaRecord> areas = store.caseStudyAreas(cs);
        if (!plan && areas.isEmpty())
            continue;
        v1::FieldworkPlan *out = manifest->add_plans();
        out->set_case_study(cs.toStdString());
        if (plan) {
            const QByteArray json = plan->toJson();
            out->set_quota_plan(json.constData(), size_t(json.size()));
            v1::QuotaCounts *counts = out->mutable_counts();
            counts->set_case_study(cs.toStdString());
            counts->set_plan_version(quint64(plan->version));
            for (const QuotaStatus &s : store.quotaStatus(cs)) {
                for (const QuotaCellStatus &c : s.cells) {
                    counts->add_cells(c.cell.toStdString());
                    counts->add_achieved(quint64(std::max<qint64>(0, c.achieved)));
                }
            }
        }
        if (!areas.isEmpty()) {
            out->set_area_version(quint32(areas.last().version));
            out->set_area_geojson(areas.last().geojson.constData(), size_t(areas.last().geojson.size()));
        }
    }
}

} // namespace kerbside
