// SPDX-License-Identifier: Apache-2.0
#include "form.h"

#include <array>

namespace kerbside {

QString LocalizedText::text(const QString &lang, const QString &fallback) const
{
    if (auto it = texts.constFind(lang); it != texts.constEnd())
        return *it;
    if (auto it = texts.constFind(fallback); it != texts.constEnd())
        return *it;
    return texts.isEmpty() ? QString() : texts.constBegin().value();
}

namespace {
// File stems an export writes beside the forms' own (sync/export): a form of that id would
// overwrite them (or they it).
constexpr std::array<const char *, 5> kReservedFormIds{{"contacts", "summary", "codebook", "weights", "manifest"}};
constexpr const char *kReservedFormIdPrefix = "unpublished-form-";

} // namespace

bool isReservedFormId(const QString &id)
{
    for (const char *r : kReservedFormIds) {
        if (id.compare(QLatin1String(r), Qt::CaseInsensitive) == 0)
            return true;
    }
    return id.startsWith(QLatin1String(kReservedFormIdPrefix), Qt::CaseInsensitive);
}

bool isLegacyFormId(const QString &id)
{
    if (id.isEmpty() || id.size() > 256 || id.at(0).unicode() > 127 || !id.at(0).isLetter())
        return false;
    for (const QChar c : id) {
        const char16_t u = c.unicode();
        if (!((u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || u == '_' || u == '-' || u == '.'))
            return false;
    }
    return true;
}

bool isValidFormId(const QString &id)
{
    if (isReservedFormId(id))
        return false;
    if (id.isEmpty() || id.size() > kMaxFormIdLength || id.at(0) < QLatin1Char('a') || id.at(0) > QLatin1Char('z'))
        return false;
    for (const QChar c : id) {
        const char16_t u = c.unicode();
        if (!((u >= 'a' && u <= 'z') || (u >= '0' && u <= '9') || u == '_' || u == '-'))
            return false;
    }
    return true;
}

QString formIdProblem(const QString &id)
{
    if (isValidFormId(id))
        return {};
    if (isReservedFormId(id))
        return QStringLiteral("invalid id '%1': contacts, summary, codebook, weights, manifest and ids starting "
                              "with unpublished-form- are reserved for the files an export writes")
            .arg(id.left(80));
    return QStringLiteral("invalid id '%1': a form id is a lower-case letter followed by up to %2 lower-case "
                          "letters, digits, '_' or '-'")
        .arg(id.left(80))
        .arg(kMaxFormIdLength - 1);
}

namespace {
struct TypeName
{
    QuestionType type;
    const char *name;
};
constexpr std::array<TypeName, 15> kTypeNames{{
    {QuestionType::Note, "note"},
    {QuestionType::Text, "text"},
    {QuestionType::Integer, "integer"},
    {QuestionType::Decimal, "decimal"},
    {QuestionType::SelectOne, "select_one"},
    {QuestionType::SelectMultiple, "select_multiple"},
    {QuestionType::Date, "date"},
    {QuestionType::Time, "time"},
    {QuestionType::DateTime, "datetime"},
    {QuestionType::Geopoint, "geopoint"},
    {QuestionType::Calculate, "calculate"},
    {QuestionType::Consent, "consent"},
    {QuestionType::Rank, "rank"},
    {QuestionType::Geotrace, "geotrace"},
    {QuestionType::Geoshape, "geoshape"},
}};
} // namespace

bool questionTypeFromName(const QString &name, QuestionType *type)
{
    for (const TypeName &t : kTypeNames) {
        if (name == QLatin1String(t.name)) {
            *type = t.type;
            return true;
        }
    }
    return false;
}

QString questionTypeName(QuestionType type)
{
    for (const TypeName &t : kTypeNames) {
        if (t.type == type)
            return QString::fromLatin1(t.name);
    }
    return {};
}

bool isInputType(QuestionType type)
{
    return type != QuestionType::Note && type != QuestionType::Calculate;
}

bool isChoiceType(QuestionType type)
{
    return type == QuestionType::SelectOne || type == QuestionType::SelectMultiple || type == QuestionType::Rank;
}

int ChoiceList::indexOf(const QString &choiceName) const
{
    for (qsizetype i = 0; i < choices.size(); ++i) {
        if (choices[i].name == choiceName)
            return int(i);
    }
    return -1;
}

int Form::indexOf(const QString &questionName) const
{
    return m_index.value(questionName, -1);
}

const Question *Form::question(const QString &name) const
{
    const int i = indexOf(name);
    return i < 0 ? nullptr : &questions[i];
}

const ChoiceList *Form::choicesFor(const Question &q) const
{
    auto it = choiceLists.constFind(q.choiceList);
    return it == choiceLists.constEnd() ? nullptr : &*it;
}

int Form::groupIndexOf(const QString &groupName) const
{
    return m_groupIndex.value(groupName, -1);
}

QList<int> Form::repeatChain(int repeatGroup) const
{
    QList<int> chain;
    for (int g = repeatGroup; g >= 0 && chain.size() <= kMaxRepeatDepth + 1; g = groups[g].repeatParent)
        chain.prepend(g);
    return chain;
}

void Form::rebuildIndex()
{
    m_index.clear();
    for (qsizetype i = 0; i < questions.size(); ++i)
        m_index.insert(questions[i].name, int(i));
    m_groupIndex.clear();
    m_hasRepeats = false;
    // Groups come before their children (the reader appends a group, then what it holds).
    for (qsizetype g = 0; g < groups.size(); ++g) {
        Group &group = groups[g];
        m_groupIndex.insert(group.name, int(g));
        m_hasRepeats |= group.repeat;
        const int p = group.parent;
        group.repeatParent = (p < 0 || p >= g) ? -1 : (groups[p].repeat ? p : groups[p].repeatParent);
    }
    for (Question &q : questions) {
        const int g = q.group;
        q.repeat = (g < 0 || g >= groups.size()) ? -1 : (groups[g].repeat ? g : groups[g].repeatParent);
    }
}

} // namespace kerbside
