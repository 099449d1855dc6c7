// SPDX-License-Identifier: Apache-2.0
#include "quotafiles.h"

#include "csvtable.h"

#include <QSet>

#include <cmath>

namespace kerbside::quota {

namespace {

// The choice names of a select_one question, or why it cannot be a dimension.
std::optional<QStringList> selectOneChoices(const Form &form, const QString &name, QString *why)
{
    const Question *q = form.question(name);
    if (!q) {
        *why = QStringLiteral("form %1 has no question \"%2\"").arg(form.id, name);
        return std::nullopt;
    }
    if (q->type != QuestionType::SelectOne) {
        *why = QStringLiteral("question \"%1\" is %2, not select_one: only a single choice puts a respondent in one cell")
                   .arg(name, questionTypeName(q->type));
        return std::nullopt;
    }
    const ChoiceList *list = form.choicesFor(*q);
    QStringList names;
    if (list) {
        for (const Choice &c : list->choices)
            names.append(c.name);
    }
    if (names.isEmpty()) {
        *why = QStringLiteral("question \"%1\" has no choices").arg(name);
        return std::nullopt;
    }
    return names;
}

} // namespace

std::optional<Plan> planFromTargets(const Form &form, const QStringList &by, const QByteArray &csv,
                                    const QString &fileName, QString *error)
{
    auto fail = [&](const QString &why) -> std::optional<Plan> {
        *error = why;
        return std::nullopt;
    };
    if (by.isEmpty())
        return fail(QStringLiteral("--by needs at least one question"));
    Plan plan;
    plan.formId = form.id;
    for (const QString &name : by) {
        if (std::any_of(plan.dimensions.begin(), plan.dimensions.end(), [&](const Dimension &d) { return d.name == name; }))
            return fail(QStringLiteral("--by names %1 twice").arg(name));
        Dimension d{name, {}};
        if (name == QLatin1String(kTimeslot)) {
            d.values = timeslotNames();
        } else {
            QString why;
            const auto choices = selectOneChoices(form, name, &why);
            if (!choices)
                return fail(why);
            d.values = *choices;
        }
        plan.dimensions.append(d);
    }
    QString why;
    const auto table = CsvTable::parse(csv, &why);
    if (!table)
        return fail(QStringLiteral("%1: %2").arg(fileName, why));
    QList<int> columns;
    for (const Dimension &d : plan.dimensions) {
        const int c = table->column(d.name);
        if (c < 0)
            return fail(QStringLiteral("%1: no column \"%2\" (the header needs one column per --by question and \"target\")").arg(fileName, d.name));
        columns.append(c);
    }
    const int targetColumn = table->column(QStringLiteral("target"));
    if (targetColumn < 0)
        return fail(QStringLiteral("%1: no column \"target\"").arg(fileName));
    for (const QString &h : table->header) {
        if (h != QLatin1String("target") && !by.contains(h))
            return fail(QStringLiteral("%1: column \"%2\" is neither a --by question nor \"target\"").arg(fileName, h));
    }
    for (const QString &cell : plan.cells())
        plan.targets.insert(cell, 0);
    QHash<QString, int> seen; // cell -> line
    for (qsizetype r = 0; r < table->rows.size(); ++r) {
        const QStringList &row = table->rows[r];
        const int line = table->lines[r];
        QStringList values;
        for (qsizetype i = 0; i < plan.dimensions.size(); ++i) {
            const QString v = row[columns[i]].trimmed();
            if (!plan.dimensions[i].values.contains(v))
                return fail(QStringLiteral("%1 line %2: \"%3\" is not a choice of %4 (choices: %5)")
                                .arg(fileName).arg(line).arg(v, plan.dimensions[i].name,
                                                              plan.dimensions[i].values.join(QStringLiteral(", "))));
            values.append(v);
        }
        QStringList names;
        for (const Dimension &d : plan.dimensions)
            names.append(d.name);
        const QString cell = Plan::cellKey(names, values);
        if (seen.contains(cell))
            return fail(QStringLiteral("%1 line %2: cell %3 is already given on line %4").arg(fileName).arg(line).arg(cell).arg(seen.value(cell)));
        seen.insert(cell, line);
        bool ok = false;
        const qint64 target = row[targetColumn].trimmed().toLongLong(&ok);
        if (!ok || target < 0 || target > 1'000'000'000)
            return fail(QStringLiteral("%1 line %2: target \"%3\" must be a whole number from 0 up").arg(fileName).arg(line).arg(row[targetColumn]));
        plan.targets[cell] = target;
    }
    return plan;
}

std::optional<QMap<QString, double>> marginFromFile(const Form &form, const QString &question, const QByteArray &csv,
                                                    const QString &fileName, QString *error)
{
    auto fail = [&](const QString &why) -> std::optional<QMap<QString, double>> {
        *error = why;
        return std::nullopt;
    };
    QString why;
    const auto choices = selectOneChoices(form, question, &why);
    if (!choices)
        return fail(why);
    const auto table = CsvTable::parse(csv, &why);
    if (!table)
        return fail(QStringLiteral("%1: %2").arg(fileName, why));
    int choiceColumn = table->column(question);
    if (choiceColumn < 0)
        choiceColumn = table->column(QStringLiteral("choice"));
    const int shareColumn = table->column(QStringLiteral("share"));
    if (choiceColumn < 0 || shareColumn < 0 || table->header.size() != 2)
        return fail(QStringLiteral("%1: the header must be \"%2,share\" (or \"choice,share\")").arg(fileName, question));
    QMap<QString, double> shares;
    QHash<QString, int> lines;
    double sum = 0;
    for (qsizetype r = 0; r < table->rows.size(); ++r) {
        const int line = table->lines[r];
        const QString choice = table->rows[r][choiceColumn].trimmed();
        if (!choices->contains(choice))
            return fail(QStringLiteral("%1 line %2: \"%3\" is not a choice of %4").arg(fileName).arg(line).arg(choice, question));
        if (lines.contains(choice))
            return fail(QStringLiteral("%1 line %2: %3 is already given on line %4").arg(fileName).arg(line).arg(choice).arg(lines.value(choice)));
        lines.insert(choice, line);
        bool ok = false;
        const double share = table->rows[r][shareColumn].trimmed().toDouble(&ok);
        if (!ok || !std::isfinite(share) || share < 0 || share > 1)
            return fail(QStringLiteral("%1 line %2: share \"%3\" must be a number from 0 to 1").arg(fileName).arg(line).arg(table->rows[r][shareColumn]));
        shares.insert(choice, share);
        sum += share;
    }
    if (std::abs(sum - 1.0) > 0.001)
        return fail(QStringLiteral("%1: the shares add up to %2, not 1 (+/- 0.001)").arg(fileName).arg(sum, 0, 'g', 6));
    return shares;
}

} // namespace kerbside::quota
