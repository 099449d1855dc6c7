// SPDX-License-Identifier: Apache-2.0
#include "pagemodel.h"

#include "interview/interview.h"
#include "uistrings.h"

#include <QRegularExpression>

namespace kerbside {

PageModel::PageModel(QObject *parent) : QAbstractListModel(parent)
{
}

int PageModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : count();
}

QHash<int, QByteArray> PageModel::roleNames() const
{
    return {{NameRole, "name"},         {TypeRole, "type"},         {LabelRole, "label"},
            {HintRole, "hint"},         {ValueRole, "value"},       {MessageRole, "message"},
            {RelevantRole, "relevant"}, {RequiredRole, "mandatory"}, {ReadOnlyRole, "readOnly"},
            {AppearanceRole, "appearance"}, {ChoicesRole, "choices"}, {AccuracyRole, "accuracy"}};
}

QVariant PageModel::data(const QModelIndex &index, int role) const
{
    if (!m_interview
        || !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Interview &iv = *m_interview;
    const int qi = m_questions[index.row()];
    const QString &key = m_keys[index.row()];
    const Question &q = iv.form().questions[qi];
    switch (role) {
    case NameRole:
        return key;
    case TypeRole:
        return questionTypeName(q.type);
    case Qt::DisplayRole:
    case LabelRole:
        return interpolate(iv, iv.text(q.label), m_pageIndex);
    case HintRole:
        return interpolate(iv, iv.text(q.hint), m_pageIndex);
    case ValueRole:
        return iv.answer(key);
    case MessageRole:
        return m_messages.value(key);
    case RelevantRole:
        return iv.isRelevant(key);
    case RequiredRole:
        return q.requiredAlways;
    case ReadOnlyRole:
        return q.readOnly || !q.calculation.isNull();
    case AppearanceRole:
        return q.appearance;
    case ChoicesRole: {
        QVariantList out;
        if (q.type == QuestionType::Consent) {
            for (const char *c : {"yes", "no"}) {
                const QString name = QLatin1String(c);
                out << QVariantMap{{QStringLiteral("name"), name},
                                   {QStringLiteral("label"), UiStrings::text(name, iv.language())}};
            }
            return out;
        }
        const ChoiceList *list = iv.form().choicesFor(q);
        if (!list)
            return out;
        const QList<int> visible = iv.visibleChoices(key);
        for (int c : visible) {
            const Choice &choice = list->choices[c];
            out << QVariantMap{{QStringLiteral("name"), choice.name},
                               {QStringLiteral("label"), iv.text(choice.label)}};
        }
        return out;
    }
    case AccuracyRole:
        return q.accuracyThreshold;
    }
    return {};
}

void PageModel::reset(const Interview *interview, int page)
{
    beginResetModel();
    m_interview = interview;
    m_pageIndex = page;
    m_questions.clear();
    m_keys.clear();
    const Page &p = interview->page(page);
    for (qsizetype k = 0; k < p.questions.size(); ++k) {
        if (interview->form().questions[p.questions[k]].type != QuestionType::Calculate) {
            m_questions << p.questions[k];
            m_keys << p.keys[k];
        }
    }
    m_messages.clear();
    endResetModel();
    emit countChanged();
}

void PageModel::clear()
{
    beginResetModel();
    m_interview = nullptr;
    m_pageIndex = -1;
    m_questions.clear();
    m_keys.clear();
    m_messages.clear();
    endResetModel();
    emit countChanged();
}

void PageModel::refresh(const QStringList &names)
{
    if (m_questions.isEmpty())
        return;
    // Labels may quote any answer (${name}) and choice filters read other answers: a page has a
    // handful of rows, so every row is refreshed; `names` only matters for messages.
    Q_UNUSED(names);
    emit dataChanged(index(0), index(count() - 1));
}

void PageModel::setMessage(const QString &name, const QString &message)
{
    if (message.isEmpty()) {
        if (!m_messages.remove(name))
            return;
    } else {
        if (m_messages.value(name) == message && m_messages.contains(name))
            return;
        m_messages.insert(name, message);
    }
    const int row = rowOf(name);
    if (row >= 0)
        emit dataChanged(index(row), index(row), {MessageRole});
}

int PageModel::rowOf(const QString &name) const
{
    if (!m_interview)
        return -1;
    for (int r = 0; r < m_keys.size(); ++r) {
        if (m_keys[r] == name)
            return r;
    }
    return -1;
}

QString PageModel::nameAt(int row) const
{
    return m_interview && row >= 0 && row < count() ? m_keys[row] : QString();
}

QString PageModel::interpolate(const Interview &interview, const QString &text, int page)
{
    if (!text.contains(QLatin1String("${")))
        return text;
    static const QRegularExpression ref(QStringLiteral("\\$\\{([A-Za-z_][A-Za-z0-9_.-]*)\\}"));
    QString out;
    qsizetype last = 0;
    for (auto it = ref.globalMatch(text); it.hasNext();) {
        const QRegularExpressionMatch m = it.next();
        out += text.mid(last, m.capturedStart() - last);
        const int q = interview.form().indexOf(m.captured(1));
        if (q >= 0)
            out += displayValue(interview, q, interview.answer(interview.keyIn(m.captured(1), page)));
        last = m.capturedEnd();
    }
    out += text.mid(last);
    return out;
}

QString PageModel::displayValue(const Interview &interview, int question, const QString &raw,
                                const QString &separator)
{
    if (raw.isEmpty())
        return {};
    const Question &q = interview.form().questions[question];
    switch (q.type) {
    case QuestionType::Consent:
        return UiStrings::text(raw, interview.language());
    case QuestionType::SelectOne:
    case QuestionType::SelectMultiple:
    case QuestionType::Rank: {
        const ChoiceList *list = interview.form().choicesFor(q);
        if (!list)
            return raw;
        QStringList labels;
        for (const QString &name : raw.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
            const int c = list->indexOf(name);
            labels << (c >= 0 ? interview.text(list->choices[c].label) : name);
        }
        return labels.join(separator);
    }
    case QuestionType::Geopoint: {
        const QStringList p = raw.split(QLatin1Char(' '), Qt::SkipEmptyParts);
        if (p.size() < 4)
            return raw;
        return QStringLiteral("%1, %2 (± %3 m)").arg(p[0], p[1], p[3]);
    }
    default:
        return raw;
    }
}

} // namespace kerbside
