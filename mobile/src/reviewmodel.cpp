// SPDX-License-Identifier: Apache-2.0
#include "reviewmodel.h"

#include "interview/interview.h"
#include "pagemodel.h"

namespace kerbside {

ReviewModel::ReviewModel(QObject *parent) : QAbstractListModel(parent)
{
}

int ReviewModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : count();
}

QVariant ReviewModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &r = m_rows[index.row()];
    switch (role) {
    case NameRole:
        return r.name;
    case Qt::DisplayRole:
    case LabelRole:
        return r.label;
    case AnswerRole:
        return r.answer;
    case IssueRole:
        return r.issue;
    case PageRole:
        return r.page;
    }
    return {};
}

QHash<int, QByteArray> ReviewModel::roleNames() const
{
    return {{NameRole, "name"}, {LabelRole, "label"}, {AnswerRole, "answer"},
            {IssueRole, "issue"}, {PageRole, "page"}};
}

void ReviewModel::rebuild(const Interview &iv)
{
    beginResetModel();
    m_rows.clear();
    m_issues = 0;
    QHash<QString, QString> issues;
    for (const FinaliseIssue &i : iv.finaliseIssues())
        issues.insert(i.question, i.check.message);
    const Form &form = iv.form();
    for (int page : iv.relevantPages()) {
        const Page &p = iv.page(page);
        for (qsizetype k = 0; k < p.questions.size(); ++k) {
            const int q = p.questions[k];
            const QString &key = p.keys[k];
            const Question &question = form.questions[q];
            if (!isInputType(question.type) || !iv.isRelevant(key))
                continue;
            Row r;
            r.name = key;
            r.label = PageModel::interpolate(iv, iv.text(question.label), page);
            if (p.repeat >= 0) // which instance: "Person 2 · First name"
                r.label = iv.instanceTitle(page) + QStringLiteral(" · ") + r.label;
            r.answer = PageModel::displayValue(iv, q, iv.answer(key), QStringLiteral("\n"));
            r.issue = issues.value(key);
            r.page = page;
            m_issues += r.issue.isEmpty() ? 0 : 1;
            m_rows << r;
        }
    }
    endResetModel();
    emit countChanged();
}

void ReviewModel::clear()
{
    beginResetModel();
    m_rows.clear();
    m_issues = 0;
    endResetModel();
    emit countChanged();
}

} // namespace kerbside
