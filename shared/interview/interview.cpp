// SPDX-License-Identifier: Apache-2.0
#include "interview.h"

#include "form/answerformat.h"

#include "interviewmessages.h"

#include <QDate>
#include <QRegularExpression>
#include <QTime>
#include <QTimeZone>

#include <cmath>
#include <queue>

namespace kerbside {

/** The interview as expressions see it: effective values (irrelevant = empty), the value being
 *  checked as '.', and the choice being filtered. */
class Interview::Context : public EvalContext
{
public:
    explicit Context(const Interview &interview) : m_iv(interview) {}

    Value fieldValue(const QString &name) const override
    {
        const int i = m_iv.m_form.indexOf(name);
        return i < 0 ? Value() : m_iv.effectiveValue(i);
    }
    Value currentValue() const override
    {
        if (m_currentQuestion < 0)
            return {};
        return m_iv.typedValue(m_currentQuestion, m_current ? *m_current : QString());
    }
    Value choiceColumn(const QString &column) const override
    {
        if (!m_choice)
            return {};
        if (column == QLatin1String("name"))
            return Value::string(m_choice->name);
        return Value::string(m_choice->properties.value(column));
    }
    QString choiceLabel(const QString &field, const QString &choiceName) const override
    {
        const Question *q = m_iv.m_form.question(field);
        const ChoiceList *list = q ? m_iv.m_form.choicesFor(*q) : nullptr;
        const int c = list ? list->indexOf(choiceName) : -1;
        return c < 0 ? QString() : m_iv.text(list->choices[c].label);
    }
    QDateTime now() const override
    {
        return m_iv.m_clock ? m_iv.m_clock() : QDateTime::currentDateTime();
    }

    void setCurrent(int question, const QString *value)
    {
        m_currentQuestion = question;
        m_current = value;
    }
    void setChoice(const Choice *choice) { m_choice = choice; }

private:
    const Interview &m_iv;
    int m_currentQuestion = -1;
    const QString *m_current = nullptr;
    const Choice *m_choice = nullptr;
};

Interview::Interview(const Form &form, const QString &language)
    : m_form(form),
      m_language(language.isEmpty() ? form.defaultLanguage : language),
      m_values(form.questions.size()),
      m_relevant(form.questions.size(), true),
      m_groupRelevant(form.groups.size(), true)
{
    buildPages();
    buildEvaluationOrder();
    recompute();
}

Interview::~Interview() = default;

void Interview::buildPages()
{
    m_pageOfQuestion = QList<int>(m_form.questions.size(), -1);
    QHash<int, int> pageOfGroup;
    for (int i = 0; i < m_form.questions.size(); ++i) {
        const Question &q = m_form.questions[i];
        if (q.type == QuestionType::Calculate)
            continue;
        // The outermost one-page group containing the question owns the page.
        int pageGroup = -1;
        for (int g = q.group; g >= 0; g = m_form.groups[g].parent) {
            if (m_form.groups[g].onePage)
                pageGroup = g;
        }
        int pageIndex;
        if (pageGroup >= 0 && pageOfGroup.contains(pageGroup)) {
            pageIndex = pageOfGroup.value(pageGroup);
        } else {
            pageIndex = int(m_pages.size());
            m_pages.append(Page{{}, pageGroup});
            if (pageGroup >= 0)
                pageOfGroup.insert(pageGroup, pageIndex);
        }
        m_pages[pageIndex].questions.append(i);
        m_pageOfQuestion[i] = pageIndex;
    }
}

// Orders groups and questions so that everything an expression reads is computed before it:
// a topological sort (Kahn) with ties broken by form order. Nodes caught in a cycle (only
// possible through `relevant`; the loader refuses calculation cycles) follow in form order.
void Interview::buildEvaluationOrder()
{
    const int nq = int(m_form.questions.size());
    const int ng = int(m_form.groups.size());
    auto nodeOfGroup = [nq](int g) { return nq + g; };
    const int n = nq + ng;

    // Form order: each group just before its first question.
    QList<int> formOrder;
    QList<bool> placed(n, false);
    // Places a group after its unplaced ancestors, outermost first; a loop rather than
    // recursion so that nesting depth never reaches the stack's limit.
    auto placeGroup = [&](int g) {
        QList<int> chain;
        for (; g >= 0 && !placed[nodeOfGroup(g)] && !chain.contains(g); g = m_form.groups[g].parent)
            chain.append(g);
        for (qsizetype k = chain.size() - 1; k >= 0; --k) {
            placed[nodeOfGroup(chain[k])] = true;
            formOrder.append(nodeOfGroup(chain[k]));
        }
    };
    for (int i = 0; i < nq; ++i) {
        placeGroup(m_form.questions[i].group);
        placed[i] = true;
        formOrder.append(i);
    }
    for (int g = 0; g < ng; ++g)
        placeGroup(g); // empty groups
    QList<int> rank(n);
    for (int r = 0; r < formOrder.size(); ++r)
        rank[formOrder[r]] = r;

    QList<QList<int>> dependents(n);
    QList<int> indegree(n, 0);
    auto addEdge = [&](int from, int to) {
        if (from == to)
            return;
        dependents[from].append(to);
        ++indegree[to];
    };
    auto addRefs = [&](const Expression &e, int to) {
        for (const QString &ref : e.references()) {
            const int i = m_form.indexOf(ref);
            if (i >= 0)
                addEdge(i, to);
        }
    };
    for (int g = 0; g < ng; ++g) {
        const Group &group = m_form.groups[g];
        if (group.parent >= 0)
            addEdge(nodeOfGroup(group.parent), nodeOfGroup(g));
        addRefs(group.relevant, nodeOfGroup(g));
    }
    for (int i = 0; i < nq; ++i) {
        const Question &q = m_form.questions[i];
        if (q.group >= 0)
            addEdge(nodeOfGroup(q.group), i);
        addRefs(q.relevant, i);
        addRefs(q.calculation, i);
    }

    auto later = [&](int a, int b) { return rank[a] > rank[b]; };
    std::priority_queue<int, std::vector<int>, decltype(later)> ready(later);
    for (int v = 0; v < n; ++v) {
        if (indegree[v] == 0)
            ready.push(v);
    }
    QList<bool> done(n, false);
    m_order.clear();
    while (!ready.empty()) {
        const int v = ready.top();
        ready.pop();
        done[v] = true;
        m_order.append(v < nq ? v : -1 - (v - nq));
        for (int w : dependents[v]) {
            if (--indegree[w] == 0)
                ready.push(w);
        }
    }
    for (int v : formOrder) {
        if (!done[v])
            m_order.append(v < nq ? v : -1 - (v - nq));
    }
}

// One pass in dependency order settles every relevance and calculation.
void Interview::recompute()
{
    Context ctx(*this);
    for (int node : m_order) {
        if (node < 0) {
            const int g = -1 - node;
            const Group &group = m_form.groups[g];
            const bool parentOk = group.parent < 0 || m_groupRelevant[group.parent];
            m_groupRelevant[g] = parentOk && (group.relevant.isNull() || group.relevant.evaluateBoolean(ctx));
            continue;
        }
        const Question &q = m_form.questions[node];
        const bool groupOk = q.group < 0 || m_groupRelevant[q.group];
        m_relevant[node] = groupOk && (q.relevant.isNull() || q.relevant.evaluateBoolean(ctx));
        if (!q.calculation.isNull() && m_relevant[node])
            m_values[node] = q.calculation.evaluate(ctx).toString();
    }
}

Value Interview::typedValue(int question, const QString &raw) const
{
    if (raw.isEmpty())
        return {};
    switch (m_form.questions[question].type) {
    case QuestionType::Integer:
    case QuestionType::Decimal: {
        bool ok = false;
        const double d = raw.toDouble(&ok);
        return ok ? Value::number(d) : Value::string(raw);
    }
    case QuestionType::Date: {
        const QDate date = QDate::fromString(raw, Qt::ISODate);
        if (!date.isValid())
            return Value::string(raw);
        return Value::date(double(QDate(1970, 1, 1).daysTo(date)));
    }
    case QuestionType::DateTime: {
        const QDateTime dt = QDateTime::fromString(raw, Qt::ISODateWithMs);
        if (!dt.isValid())
            return Value::string(raw);
        return Value::date(double(dt.toMSecsSinceEpoch()) / 86400000.0, true);
    }
    default:
        return Value::string(raw);
    }
}

Value Interview::effectiveValue(int question) const
{
    return m_relevant[question] ? typedValue(question, m_values[question]) : Value();
}

void Interview::load(const QMap<QString, QString> &answers)
{
    for (QString &v : m_values)
        v.clear();
    for (auto it = answers.cbegin(); it != answers.cend(); ++it) {
        const int i = m_form.indexOf(it.key());
        if (i >= 0)
            m_values[i] = it.value();
    }
    recompute();
}

void Interview::applyDefaults()
{
    Context ctx(*this);
    bool changed = false;
    for (int i = 0; i < m_form.questions.size(); ++i) {
        const Question &q = m_form.questions[i];
        if (!m_values[i].isEmpty() || q.defaultValue.isNull() || !isInputType(q.type))
            continue;
        m_values[i] = q.defaultValue.evaluate(ctx).toString();
        changed = true;
    }
    if (changed)
        recompute();
}

QStringList Interview::setAnswer(const QString &name, const QString &value)
{
    const int i = m_form.indexOf(name);
    if (i < 0)
        return {};
    const QList<QString> valuesBefore = m_values;
    const QList<bool> relevantBefore = m_relevant;
    m_values[i] = value;
    recompute();
    QStringList changed{name};
    for (int q = 0; q < m_values.size(); ++q) {
        if (q != i && (m_values[q] != valuesBefore[q] || m_relevant[q] != relevantBefore[q]))
            changed.append(m_form.questions[q].name);
    }
    return changed;
}

QString Interview::answer(const QString &name) const
{
    const int i = m_form.indexOf(name);
    return i < 0 ? QString() : m_values[i];
}

QMap<QString, QString> Interview::answers() const
{
    QMap<QString, QString> all;
    for (int i = 0; i < m_values.size(); ++i) {
        if (!m_values[i].isEmpty())
            all.insert(m_form.questions[i].name, m_values[i]);
    }
    return all;
}

bool Interview::isRelevant(const QString &name) const
{
    const int i = m_form.indexOf(name);
    return i >= 0 && m_relevant[i];
}

QList<int> Interview::visibleChoices(const QString &name) const
{
    const Question *q = m_form.question(name);
    const ChoiceList *list = q ? m_form.choicesFor(*q) : nullptr;
    QList<int> visible;
    if (!list)
        return visible;
    Context ctx(*this);
    for (int c = 0; c < list->choices.size(); ++c) {
        ctx.setChoice(&list->choices[c]);
        if (q->choiceFilter.isNull() || q->choiceFilter.evaluateBoolean(ctx))
            visible.append(c);
    }
    return visible;
}

QString Interview::message(const LocalizedText &custom, const char *fallbackKey) const
{
    if (!custom.isEmpty())
        return text(custom);
    return interviewMessage(fallbackKey, m_language);
}

AnswerCheck Interview::check(const QString &name) const
{
    return checkValue(name, answer(name));
}

namespace {
bool isValidTypedAnswer(const Question &q, const ChoiceList *list, const QString &v, QString *key)
{
    static const QRegularExpression integerRe(QStringLiteral("^[+-]?\\d{1,9}$"));
    switch (q.type) {
    case QuestionType::Integer:
        *key = "type.integer";
        return integerRe.match(v).hasMatch();
    case QuestionType::Decimal: {
        *key = "type.decimal";
        bool ok = false;
        const double d = v.toDouble(&ok);
        return ok && std::isfinite(d);
    }
    case QuestionType::Date:
        *key = "type.date";
        return QDate::fromString(v, Qt::ISODate).isValid();
    case QuestionType::Time:
        *key = "type.time";
        return QTime::fromString(v, Qt::ISODate).isValid() || QTime::fromString(v, Qt::ISODateWithMs).isValid();
    case QuestionType::DateTime:
        *key = "type.datetime";
        return QDateTime::fromString(v, Qt::ISODateWithMs).isValid();
    case QuestionType::Geopoint: {
        *key = "type.geopoint";
        const QStringList parts = v.split(QLatin1Char(' '), Qt::SkipEmptyParts);
        if (parts.size() < 2 || parts.size() > 4)
            return false;
        double n[4] = {0, 0, 0, 0};
        for (int i = 0; i < parts.size(); ++i) {
            bool ok = false;
            n[i] = parts[i].toDouble(&ok);
            if (!ok || !std::isfinite(n[i]))
                return false;
        }
        return n[0] >= -90 && n[0] <= 90 && n[1] >= -180 && n[1] <= 180 && n[3] >= 0;
    }
    case QuestionType::SelectOne:
    case QuestionType::Consent:
        *key = "type.choice";
        return list && list->indexOf(v) >= 0;
    case QuestionType::SelectMultiple:
    case QuestionType::Rank: {
        // Choices of the list, each once; a rank then needs every shown choice (checkValue).
        *key = q.type == QuestionType::Rank ? "type.rank" : "type.choice";
        if (!list)
            return false;
        const QStringList parts = v.split(QLatin1Char(' '), Qt::SkipEmptyParts);
        for (const QString &p : parts) {
            if (list->indexOf(p) < 0 || parts.count(p) > 1)
                return false;
        }
        return !parts.isEmpty();
    }
    case QuestionType::Geotrace:
        *key = "type.geotrace";
        return answerformat::geotraceProblem(v).isEmpty();
    case QuestionType::Geoshape:
        *key = "type.geoshape";
        return answerformat::geoshapeProblem(v).isEmpty();
    default:
        return true;
    }
}
} // namespace

AnswerCheck Interview::checkValue(const QString &name, const QString &candidate) const
{
    const int i = m_form.indexOf(name);
    if (i < 0 || !m_relevant[i])
        return {};
    const Question &q = m_form.questions[i];
    if (!isInputType(q.type) || q.readOnly)
        return {};
    Context ctx(*this);
    ctx.setCurrent(i, &candidate);
    if (candidate.trimmed().isEmpty()) {
        const bool required = q.requiredAlways || (!q.required.isNull() && q.required.evaluateBoolean(ctx));
        if (required)
            return {AnswerCheck::Kind::Required, message(q.requiredMessage, "required")};
        return {};
    }
    QString key;
    if (!isValidTypedAnswer(q, m_form.choicesFor(q), candidate, &key))
        return {AnswerCheck::Kind::Type, interviewMessage(key.toLatin1().constData(), m_language)};
    if (q.type == QuestionType::Rank) {
        // Ranked means every choice shown (choice_filter applies) has a place.
        QStringList shown;
        for (int c : visibleChoices(name))
            shown << m_form.choicesFor(q)->choices[c].name;
        if (!answerformat::rankProblem(candidate, shown).isEmpty())
            return {AnswerCheck::Kind::Type, interviewMessage("type.rank", m_language)};
    }
    if (q.type == QuestionType::Geopoint && q.accuracyThreshold > 0) {
        const QStringList parts = candidate.split(QLatin1Char(' '), Qt::SkipEmptyParts);
        const double accuracy = parts.size() >= 4 ? parts[3].toDouble() : qQNaN();
        if (!(accuracy <= q.accuracyThreshold)) {
            return {AnswerCheck::Kind::Accuracy,
                    interviewMessage("accuracy", m_language).arg(q.accuracyThreshold)};
        }
    }
    if (!q.constraint.isNull() && !q.constraint.evaluateBoolean(ctx))
        return {AnswerCheck::Kind::Constraint, message(q.constraintMessage, "constraint")};
    return {};
}

QString Interview::firstInvalidOnPage(int page) const
{
    if (page < 0 || page >= m_pages.size())
        return {};
    for (int q : m_pages[page].questions) {
        if (!check(m_form.questions[q].name).ok())
            return m_form.questions[q].name;
    }
    return {};
}

AnswerCheck Interview::checkPage(int page) const
{
    const QString name = firstInvalidOnPage(page);
    return name.isEmpty() ? AnswerCheck{} : check(name);
}

int Interview::pageOf(const QString &question) const
{
    const int i = m_form.indexOf(question);
    return i < 0 ? -1 : m_pageOfQuestion[i];
}

bool Interview::isPageRelevant(int page) const
{
    for (int q : m_pages[page].questions) {
        if (m_relevant[q])
            return true;
    }
    return false;
}

int Interview::firstPage() const
{
    return nextPage(-1);
}

// The page holding a relevant consent question answered "no", or -1.
static int refusalPage(const Interview &iv)
{
    const Form &form = iv.form();
    for (int i = 0; i < form.questions.size(); ++i) {
        const Question &q = form.questions[i];
        if (q.type == QuestionType::Consent && iv.isRelevant(i) && iv.answer(q.name) == QLatin1String("no"))
            return iv.pageOf(q.name);
    }
    return -1;
}

int Interview::nextPage(int from) const
{
    const int refusal = refusalPage(*this);
    if (refusal >= 0 && from >= refusal)
        return -1; // "no" at consent ends the interview
    for (int p = from + 1; p < m_pages.size(); ++p) {
        if (isPageRelevant(p))
            return p;
    }
    return -1;
}

int Interview::previousPage(int from) const
{
    for (int p = std::min(from, int(m_pages.size())) - 1; p >= 0; --p) {
        if (isPageRelevant(p))
            return p;
    }
    return -1;
}

QList<int> Interview::relevantPages() const
{
    QList<int> pages;
    for (int p = firstPage(); p >= 0; p = nextPage(p))
        pages.append(p);
    return pages;
}

bool Interview::isRefusal() const
{
    return refusalPage(*this) >= 0;
}

QList<FinaliseIssue> Interview::finaliseIssues() const
{
    QList<FinaliseIssue> issues;
    if (isRefusal())
        return issues;
    for (int p : relevantPages()) {
        for (int q : m_pages[p].questions) {
            const QString &name = m_form.questions[q].name;
            const AnswerCheck c = check(name);
            if (!c.ok())
                issues.append({name, p, c});
        }
    }
    return issues;
}

QMap<QString, QString> Interview::finalAnswers() const
{
    QMap<QString, QString> kept;
    const bool refusal = isRefusal();
    for (int i = 0; i < m_values.size(); ++i) {
        const Question &q = m_form.questions[i];
        if (!m_relevant[i] || m_values[i].isEmpty())
            continue;
        if (refusal && q.type != QuestionType::Consent)
            continue;
        kept.insert(q.name, m_values[i]);
    }
    return kept;
}

void Interview::setLanguage(const QString &language)
{
    m_language = language;
}

void Interview::setClock(std::function<QDateTime()> clock)
{
    m_clock = std::move(clock);
    recompute();
}

} // namespace kerbside
