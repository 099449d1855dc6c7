// SPDX-License-Identifier: Apache-2.0
#include "fieldworkcolumns.h"

#include "codebook.h"
#include "csvsink.h"
#include "exporter.h"
#include "metalabels.h"

#include "collectorstore.h"

#include <QFileInfo>

#include <cmath>

namespace kerbside {

namespace {

enum Column { kQuotaCell, kInsideArea, kDistance, kWeight };

QString answerIn(const QList<TypedAnswer> &answers, const QString &question)
{
    for (const TypedAnswer &a : answers) {
        if (a.question == question)
            return a.value;
    }
    return {};
}

ExportColumn column(const QString &name, ColumnKind kind, const QString &label, const QString &note,
                    const QString &type = QStringLiteral("metadata"))
{
    ExportColumn c;
    c.name = c.spssName = c.stataName = name;
    c.kind = kind;
    c.label = label;
    c.note = note;
    c.questionType = type;
    return c;
}

QByteArray number(double v, int decimals)
{
    return QByteArray::number(v, 'f', decimals);
}

} // namespace

FieldworkColumns::FieldworkColumns(CollectorStore &store, const QStringList &caseStudies, const QString &formId)
{
    QStringList ids = caseStudies;
    if (ids.isEmpty()) {
        for (const CaseStudyRecord &c : store.caseStudies())
            ids.append(c.id);
    }
    for (const QString &id : ids) {
        CaseStudyPlan p;
        p.plan = store.quotaPlan(id);
        p.areas = AreaHistory(store.caseStudyAreas(id));
        m_plans.insert(id, std::move(p));
        const QList<quota::Margin> margins = store.populationMargins(id);
        if (margins.isEmpty())
            continue;
        QStringList uuids;
        QList<QStringList> answers;
        store.forEachResponse(id, [&](const StoredResponse &r) {
            if (r.meta.status == ResponseStatus::Complete && r.meta.formId == formId) {
                QStringList values;
                for (const quota::Margin &m : margins)
                    values.append(answerIn(r.answers, m.question));
                uuids.append(r.meta.uuid);
                answers.append(values);
            }
            return true;
        });
        Weighting w{id, margins, quota::rake(answers, margins), QList<QMap<QString, double>>(margins.size())};
        for (qsizetype i = 0; i < uuids.size(); ++i) {
            const double weight = w.result.weights[i];
            m_weights.insert(uuids[i], weight);
            // Unweighted shares of the raked respondents, beside the weighted ones.
            for (qsizetype m = 0; m < margins.size() && !std::isnan(weight); ++m)
                w.unweighted[m][answers[i][m]] += 1.0 / std::max(1, w.result.raked);
        }
        w.result.weights.clear();
        m_weightings.append(w);
    }
}

FieldworkColumns::~FieldworkColumns() = default;

void FieldworkColumns::addColumns(QList<ExportColumn> *columns, const QStringList &languages)
{
    m_first = int(columns->size());
    columns->append(column(QStringLiteral("quota_cell"), ColumnKind::Text, QStringLiteral("Quota cell"),
                           QStringLiteral("the cell the answers fix under the case study's quotas, e.g. "
                                          "age_band=55_64;gender=woman (dimensions in the order of kerbside quota set; "
                                          "@timeslot from the local start time); empty without quotas or when the "
                                          "interview is not complete or fixes no cell")));
    ExportColumn inside = column(QStringLiteral("inside_area"), ColumnKind::Code, QStringLiteral("Interview inside the case-study area"),
                                 QStringLiteral("judged on the collector against the area version current when the "
                                                "interview started (the first version for interviews before it); "
                                                "unknown without a position fix or an area; the boundary counts as inside"));
    const char *names[] = {"yes", "no", "unknown"};
    const char *labels[] = {"Inside the area", "Outside the area", "Unknown (no fix or no area)"};
    for (int i = 0; i < 3; ++i) {
        const QHash<QString, QString> every = metalabels::everyLanguage(labels[i], languages);
        inside.valueLabels.append({i + 1, QString::fromLatin1(names[i]), every.value(languages.value(0), QString::fromLatin1(labels[i])),
                                   every, 0});
        inside.codes.insert(QString::fromLatin1(names[i]), i + 1);
    }
    columns->append(inside);
    ExportColumn distance = column(QStringLiteral("distance_to_area_m"), ColumnKind::Number,
                                   QStringLiteral("Distance to the area's boundary (metres)"),
                                   QStringLiteral("shortest distance from the interview's position to the boundary, "
                                                  "inside or outside (see inside_area); empty when unknown"));
    distance.decimals = 1;
    columns->append(distance);
    ExportColumn weight = column(QStringLiteral("weight"), ColumnKind::Number, QStringLiteral("Raking weight"),
                                 QStringLiteral("raking (iterative proportional fitting, tolerance 1e-6) of the case "
                                                "study's complete interviews to its population margins "
                                                "(kerbside quota population), mean 1; 1 without margins; empty for "
                                                "interviews not complete or without an answer every margin has a share for; "
                                                "see weights.csv"));
    weight.decimals = 6;
    columns->append(weight);
}

void FieldworkColumns::fill(const StoredResponse &r, ExportRow *row) const
{
    if (m_first < 0)
        return;
    ExportRow &c = *row;
    for (int i = kQuotaCell; i <= kWeight; ++i)
        c[m_first + i].clear();
    const auto plan = m_plans.constFind(r.meta.caseStudy);
    const bool complete = r.meta.status == ResponseStatus::Complete;
    if (plan != m_plans.constEnd() && plan->plan && complete && r.meta.formId == plan->plan->formId) {
        const QString cell = plan->plan->cellOf([&](const QString &q) { return answerIn(r.answers, q); }, r.meta.started,
                                                r.meta.startedUtcOffset);
        if (!cell.isEmpty())
            c[m_first + kQuotaCell].set(QStringView(cell));
    }
    const geo::Area *area = plan == m_plans.constEnd() ? nullptr : plan->areas.at(r.meta.started);
    if (area && r.meta.location.isValid()) {
        const geo::LonLat p{r.meta.location.longitude, r.meta.location.latitude};
        const bool inside = area->contains(p);
        c[m_first + kInsideArea].set(inside ? QByteArray("yes") : QByteArray("no"), inside ? 1 : 2);
        const double d = std::round(area->distanceToBoundary(p) * 10) / 10;
        c[m_first + kDistance].set(QByteArray::number(d, 'f', 1), d);
    } else {
        c[m_first + kInsideArea].set(QByteArray("unknown"), 3);
    }
    if (complete) {
        const auto w = m_weights.constFind(r.meta.uuid);
        const double weight = w == m_weights.constEnd() ? 1.0 : *w;
        if (!std::isnan(weight))
            c[m_first + kWeight].set(QByteArray::number(weight, 'f', 6), weight);
    }
}

ExportedFile writeWeightsTable(const QString &path, bool bom, const QList<FieldworkColumns::Weighting> &weightings,
                               Codebook *codebook)
{
    ExportTable t;
    t.stem = QStringLiteral("weights");
    t.title = QStringLiteral("Raking weights per case study: margins and design effect");
    const QString type = QStringLiteral("summary");
    t.columns = {
        column(QStringLiteral("case_study"), ColumnKind::Text, QStringLiteral("Case study"), {}, type),
        column(QStringLiteral("question"), ColumnKind::Text, QStringLiteral("Margin (question)"), {}, type),
        column(QStringLiteral("choice"), ColumnKind::Text, QStringLiteral("Choice"), {}, type),
        column(QStringLiteral("population_share"), ColumnKind::Number, QStringLiteral("Population share"),
               QStringLiteral("as given to kerbside quota population"), type),
        column(QStringLiteral("unweighted_share"), ColumnKind::Number, QStringLiteral("Share among raked interviews, unweighted"), {}, type),
        column(QStringLiteral("weighted_share"), ColumnKind::Number, QStringLiteral("Share among raked interviews, weighted"),
               QStringLiteral("equals the population share within 1e-6 when converged"), type),
        column(QStringLiteral("raked"), ColumnKind::Number, QStringLiteral("Complete interviews raked"), {}, type),
        column(QStringLiteral("left_out"), ColumnKind::Number, QStringLiteral("Complete interviews left out"),
               QStringLiteral("an answer to a margin missing or without a population share: weight empty"), type),
        column(QStringLiteral("kish_deff"), ColumnKind::Number, QStringLiteral("Kish design effect of the weights"),
               QStringLiteral("n * sum(w^2) / (sum w)^2"), type),
        column(QStringLiteral("iterations"), ColumnKind::Number, QStringLiteral("Raking iterations"), {}, type),
        column(QStringLiteral("converged"), ColumnKind::Number, QStringLiteral("Converged (1) or not (0)"), {}, type),
    };
    qint64 rows = 0;
    for (const FieldworkColumns::Weighting &w : weightings) {
        for (const quota::Margin &m : w.margins)
            rows += m.shares.size();
    }
    CsvSink sink(path, bom);
    sink.begin(t, rows);
    ExportRow row(t.columns.size());
    for (const FieldworkColumns::Weighting &w : weightings) {
        for (qsizetype m = 0; m < w.margins.size(); ++m) {
            const quota::Margin &margin = w.margins[m];
            for (auto it = margin.shares.constBegin(); it != margin.shares.constEnd(); ++it) {
                const double weighted = w.result.weightedShares.value(m).value(it.key());
                const double unweighted = w.unweighted.value(m).value(it.key());
                row[0].set(QStringView(w.caseStudy));
                row[1].set(QStringView(margin.question));
                row[2].set(QStringView(it.key()));
                row[3].set(number(it.value(), 6), it.value());
                row[4].set(number(unweighted, 6), unweighted);
                row[5].set(number(weighted, 6), weighted);
                row[6].set(QByteArray::number(w.result.raked), w.result.raked);
                row[7].set(QByteArray::number(w.result.leftOut), w.result.leftOut);
                row[8].set(number(w.result.kishDeff, 6), w.result.kishDeff);
                row[9].set(QByteArray::number(w.result.iterations), w.result.iterations);
                row[10].set(QByteArray(w.result.converged ? "1" : "0"), w.result.converged ? 1 : 0);
                sink.row(row);
            }
        }
    }
    sink.finish();
    const QFileInfo info(sink.path());
    codebook->addTable(t, {info.fileName()}, {},
                       QStringLiteral("Raking (iterative proportional fitting, Deming and Stephan 1940): the weights of a "
                                      "case study's complete interviews are scaled margin after margin until every "
                                      "weighted share equals its population share within 1e-6 (at most 1000 rounds), "
                                      "then scaled to mean 1. Without margins the weight is 1 and no rows appear here."));
    return {info.fileName(), rows, info.size(), sink.sha256Hex()};
}

} // namespace kerbside
