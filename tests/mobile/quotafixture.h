// SPDX-License-Identifier: Apache-2.0
#pragma once
// A tablet data folder as a sync leaves it for a case study with quotas: the case study's name,
// the plan and the collector's counts, written through the sync client's own functions from a
// real kerbside.v1 form manifest, before the app opens the store.

#include "fieldworkstate.h"
#include "form/formloader.h"
#include "kerbside/v1/sync.pb.h"
#include "quota/quotafiles.h"
#include "settingkeys.h"
#include "store/devicestore.h"
#include "tabletoptions.h"
#include "testpaths.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <stdexcept>

namespace kerbside::test {

inline const QString kQuotaCase = QStringLiteral("northfield");

// Age band x gender for the shipped vox pop: 55-64 women 3 (the collector has 3: full), 35-44
// women 10 (4 counted), 16-24 men 8 (1 counted), 25-34 men 2 (2: full); every other cell 0.
inline void seedQuotaFieldwork(const QString &dataDir, quota::Mode mode, const QDateTime &asOf)
{
    TabletOptions o;
    o.dataDir = dataDir;
    auto store = DeviceStore::open(o.databasePath());
    const QJsonArray cases{QJsonObject{{QStringLiteral("id"), kQuotaCase}, {QStringLiteral("name"), QStringLiteral("Northfield Estate")}}};
    store->setSetting(settingkeys::caseStudies, QString::fromUtf8(QJsonDocument(cases).toJson(QJsonDocument::Compact)));
    store->setSetting(settingkeys::currentCaseStudy, kQuotaCase);

    const FormLoadResult form = FormLoader::loadFile(sourcePath(QStringLiteral("forms/community-contracts-voxpop.json")));
    if (!form.ok())
        throw std::runtime_error("the vox pop does not load");
    QString error;
    std::optional<quota::Plan> plan = quota::planFromTargets(
        *form.form, {QStringLiteral("age_band"), QStringLiteral("gender")},
        "age_band,gender,target\n55_64,woman,3\n35_44,woman,10\n16_24,man,8\n25_34,man,2\n",
        QStringLiteral("targets.csv"), &error);
    if (!plan)
        throw std::runtime_error(error.toStdString());
    plan->caseStudy = kQuotaCase;
    plan->mode = mode;
    plan->version = 1;

    v1::FormManifest manifest;
    manifest.set_format(1);
    v1::FieldworkPlan *p = manifest.add_plans();
    p->set_case_study(kQuotaCase.toStdString());
    p->set_quota_plan(plan->toJson().toStdString());
    v1::QuotaCounts *counts = p->mutable_counts();
    counts->set_case_study(kQuotaCase.toStdString());
    counts->set_plan_version(1);
    const QMap<QString, qint64> achieved{{QStringLiteral("age_band=55_64;gender=woman"), 3},
                                         {QStringLiteral("age_band=35_44;gender=woman"), 4},
                                         {QStringLiteral("age_band=16_24;gender=man"), 1},
                                         {QStringLiteral("age_band=25_34;gender=man"), 2}};
    for (const QString &cell : plan->cells()) {
        counts->add_cells(cell.toStdString());
        counts->add_achieved(quint64(achieved.value(cell)));
    }
    rememberFieldworkPlans(*store, manifest, asOf);
}

} // namespace kerbside::test
