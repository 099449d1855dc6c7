// SPDX-License-Identifier: Apache-2.0
#include "interview.h"

#include "form/answerformat.h"

#include "interviewmessages.h"

#include "form/repeatpath.h"

#include <QDate>
#include <QRegularExpression>
#include <QTime>
#include <QTimeZone>

#include <algorithm>
#include <cmath>
#include <queue>
#include <utility>

namespace kerbside {

/** The interview as expressions see it: effective values (irrelevant = empty), the value being
 *  checked as '.', the choice being filtered, and the repeat instance being evaluated. */
class Interview::Context : public EvalContext
{
public:
    explicit Context(const Interview &interview) : m_iv(interview) {}

    Value fieldValue(const QString &name) const override
    {
        const int i = m_iv.m_form.indexOf(name);
        if (i < 0)
            return {};
        const Question &q = m_iv.m_form.questions[i];
        if (q.repeat < 0)
            return m_iv.effectiveValue(i);
        return m_iv.effectiveValueAt(i, resolve(m_iv.m_form.repeatChainOf(q)));
    }
    QList<Value> fieldValues(const QString &name) const override
    {
        const Form &form = m_iv.m_form;
        const int i = form.indexOf(name);
        const int g = i < 0 ? form.groupIndexOf(name) : -1;
        if (i < 0 && (g < 0 || !form.groups[g].repeat))
            return {};
        const QList<int> target = i >= 0 ? form.repeatChainOf(form.questions[i]) : form.repeatChain(g);
        if (target.isEmpty())
            return {fieldValue(name)};
        // The levels shared with the instance being evaluated stay; the deeper ones are all.
        const QList<int> prefix = resolve(target).mid(0, commonLevels(target));
        QList<Value> out;
        m_iv.forEachInstance(target, prefix, [&](const QList<int> &instance) {
            out.append(i >= 0 ? m_iv.effectiveValueAt(i, instance) : Value());
        });
        return out;
    }
    int position() const override
    {
        return m_instance && !m_instance->isEmpty() ? m_instance->last() : 1;
    }
    Value indexedValue(const QString &name, const QList<std::pair<QString, int>> &instances) const override
    {
        const Form &form = m_iv.m_form;
        const int i = form.indexOf(name);
        if (i < 0)
            return {};
        const QList<int> chain = form.repeatChainOf(form.questions[i]);
        QList<int> at = resolve(chain);
        for (const auto &[repeat, index] : instances) {
            const qsizetype level = chain.indexOf(form.groupIndexOf(repeat));
            if (level < 0)
                return {};
            at[level] = index;
        }
        return chain.isEmpty() ? m_iv.effectiveValue(i) : m_iv.effectiveValueAt(i, at);
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
    // The repeat instance expressions are evaluated in (nullptr: outside repeats).
    void setInstance(const QList<int> *chain, const QList<int> *instance)
    {
        m_chain = chain;
        m_instance = instance;
    }

private:
    // How many outer repeats `target` shares with the instance being evaluated.
    qsizetype commonLevels(const QList<int> &target) const
    {
        qsizetype n = 0;
        while (m_chain && n < target.size() && n < m_chain->size() && n < m_instance->size()
               && (*m_chain)[n] == target[n])
            ++n;
        return n;
    }
    // Instance indexes for a field of `target`'s repeats: the current instance where the
    // repeats are shared, the first instance below (XPath's first node of a set).
    QList<int> resolve(const QList<int> &target) const
    {
        const qsizetype common = commonLevels(target);
        QList<int> out;
        out.reserve(target.size());
        for (qsizetype j = 0; j < target.size(); ++j)
            out.append(j < common ? (*m_instance)[j] : 1);
        return out;
    }

    const Interview &m_iv;
    int m_currentQuestion = -1;
    const QString *m_current = nullptr;
    const Choice *m_choice = nullptr;
    const QList<int> *m_chain = nullptr;
    const QList<int> *m_instance = nullptr;
};

template<typename F>
void Interview::forEachInstance(const QList<int> &chain, const QList<int> &prefix, F &&f) const
{
    QList<int> instance = prefix;
    // Depth is at most kMaxRepeatDepth: recursion through a small lambda is fine.
    std::function<void()> walk = [&] {
        const qsizetype level = instance.size();
        if (level >= chain.size()) {
            f(std::as_const(instance));
            return;
        }
        const int n = m_counts.value(repeatpath::countKey(m_form, chain[level], instance));
        for (int k = 1; k <= n; ++k) {
            instance.append(k);
            walk();
            instance.removeLast();
        }
    };
    walk();
}

template<typename F>
void Interview::forEachSlot(F &&f) const
{
    for (int i = 0; i < m_form.questions.size(); ++i) {
        const Question &q = m_form.questions[i];
        if (q.repeat < 0) {
            f(i, QList<int>(), q.name);
            continue;
        }
        forEachInstance(m_form.repeatChainOf(q), {}, [&](const QList<int> &instance) {
            f(i, instance, repeatpath::answerKey(m_form, i, instance));
        });
    }
}

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
        // The outermost one-page group containing the question owns the page (a repeat is
        // never inside one: the reader refuses it, so a page's questions share their repeats).
        int pageGroup = -1;
        for (int g = q.group; g >= 0; g = m_form.groups[g].parent) {
            if (m_form.groups[g].onePage)
                pageGroup = g;
        }
        int pageIndex;
        if (pageGroup >= 0 && pageOfGroup.contains(pageGroup)) {
            pageIndex = pageOfGroup.value(pageGroup);
        } else {
            pageIndex = int(m_templates.size());
            Page page;
            page.group = pageGroup;
            page.repeat = q.repeat;
            m_templates.append(page);
            if (pageGroup >= 0)
                pageOfGroup.insert(pageGroup, pageIndex);
        }
        m_templates[pageIndex].questions.append(i);
        m_templates[pageIndex].keys.append(q.name);
        m_pageOfQuestion[i] = pageIndex;
    }
    if (!m_form.hasRepeats()) {
        m_pages = m_templates; // laid out once: nothing in them changes
        return;
    }
    buildBlocks();
    layoutPages();
}

// The templates in form order, nested by repeat: a repeat's pages are contiguous.
void Interview::buildBlocks()
{
    m_blocks = {Block{}};
    QList<int> open{0};  // blocks open from the outside in
    QList<int> openChain; // their repeats
    for (int t = 0; t < m_templates.size(); ++t) {
        const QList<int> chain = m_form.repeatChain(m_templates[t].repeat);
        qsizetype common = 0;
        while (common < openChain.size() && common < chain.size() && openChain[common] == chain[common])
            ++common;
        while (openChain.size() > common) {
            openChain.removeLast();
            open.removeLast();
        }
        while (openChain.size() < chain.size()) {
            const int r = chain[openChain.size()];
            m_blocks.append(Block{r, {}});
            const int b = int(m_blocks.size() - 1);
            m_blocks[open.last()].templates.append(-1 - b);
            open.append(b);
            openChain.append(r);
        }
        m_blocks[open.last()].templates.append(t);
    }
}

void Interview::layoutPages()
{
    if (!m_form.hasRepeats())
        return;
    m_pages.clear();
    m_pageOfKey.clear();
    m_pageOfQuestion.fill(-1);
    layoutBlock(0, {});
}

void Interview::layoutBlock(int block, const QList<int> &instance)
{
    for (int item : m_blocks[block].templates) {
        if (item >= 0) {
            Page page = m_templates[item];
            page.instance = instance;
            const int index = int(m_pages.size());
            for (qsizetype k = 0; k < page.questions.size(); ++k) {
                const int q = page.questions[k];
                if (m_form.questions[q].repeat < 0) {
                    m_pageOfQuestion[q] = index;
                } else {
                    page.keys[k] = repeatpath::answerKey(m_form, q, instance);
                    m_pageOfKey.insert(page.keys[k], index);
                }
            }
            m_pages.append(page);
            continue;
        }
        const int child = -1 - item;
        const int repeat = m_blocks[child].repeat;
        const int n = m_counts.value(repeatpath::countKey(m_form, repeat, instance));
        QList<int> inner = instance;
        inner.append(0);
        for (int k = 1; k <= n; ++k) {
            inner.last() = k;
            layoutBlock(child, inner);
        }
        if (m_form.groups[repeat].repeatCount.isNull()) {
            Page end;
            end.kind = Page::Kind::RepeatEnd;
            end.repeat = repeat;
            end.instance = instance;
            m_pageOfKey.insert(repeatpath::countKey(m_form, repeat, instance), int(m_pages.size()));
            m_pages.append(end);
        }
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
            else if (const int g = m_form.groupIndexOf(ref); g >= 0 && m_form.groups[g].repeat)
                addEdge(nodeOfGroup(g), to); // count(${repeat}): its instances
        }
    };
    for (int g = 0; g < ng; ++g) {
        const Group &group = m_form.groups[g];
        if (group.parent >= 0)
            addEdge(nodeOfGroup(group.parent), nodeOfGroup(g));
        addRefs(group.relevant, nodeOfGroup(g));
        addRefs(group.repeatCount, nodeOfGroup(g));
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

// One pass in dependency order settles every relevance and calculation, in every instance.
void Interview::recompute()
{
    Context ctx(*this);
    m_rrelevant.clear();
    m_rgroupRelevant.clear();
    for (int node : m_order) {
        ctx.setInstance(nullptr, nullptr); // never the previous node's (gone) instance
        if (node < 0) {
            const int g = -1 - node;
            const Group &group = m_form.groups[g];
            if (!group.repeat && group.repeatParent < 0) {
                const bool parentOk = group.parent < 0 || m_groupRelevant[group.parent];
                m_groupRelevant[g] = parentOk && (group.relevant.isNull() || group.relevant.evaluateBoolean(ctx));
                continue;
            }
            const QList<int> parentChain = m_form.repeatChain(group.repeat ? group.repeatParent : -1);
            if (group.repeat && !group.repeatCount.isNull()) {
                forEachInstance(parentChain, {}, [&](const QList<int> &parent) {
                    ctx.setInstance(&parentChain, &parent);
                    const double n = group.repeatCount.evaluate(ctx).toNumber();
                    m_counts[repeatpath::countKey(m_form, g, parent)]
                        = std::isfinite(n) ? std::clamp(int(std::trunc(std::clamp(n, -1.0, 1e6))), 0, kMaxRepeatInstances) : 0;
                });
            }
            const QList<int> chain = m_form.repeatChain(group.repeat ? g : group.repeatParent);
            auto relevantIn = [&](const QList<int> &instance) {
                if (group.parent >= 0 && !groupRelevantAt(group.parent, instance))
                    return false;
                ctx.setInstance(&chain, &instance);
                return group.relevant.isNull() || group.relevant.evaluateBoolean(ctx);
            };
            forEachInstance(chain, {}, [&](const QList<int> &instance) {
                m_rgroupRelevant.insert(groupKey(g, instance), relevantIn(instance));
            });
            if (group.repeat && group.repeatCount.isNull()) {
                // The "add another" page asks under the rules of the instance it would add.
                forEachInstance(parentChain, {}, [&](const QList<int> &parent) {
                    QList<int> next = parent;
                    next.append(m_counts.value(repeatpath::countKey(m_form, g, parent)) + 1);
                    m_rgroupRelevant.insert(groupKey(g, next), relevantIn(next));
                });
            }
            continue;
        }
        const Question &q = m_form.questions[node];
        if (q.repeat < 0) {
            const bool groupOk = q.group < 0 || m_groupRelevant[q.group];
            m_relevant[node] = groupOk && (q.relevant.isNull() || q.relevant.evaluateBoolean(ctx));
            if (!q.calculation.isNull() && m_relevant[node])
                m_values[node] = q.calculation.evaluate(ctx).toString();
            continue;
        }
        m_relevant[node] = false; // by key only
        const QList<int> chain = m_form.repeatChainOf(q);
        forEachInstance(chain, {}, [&](const QList<int> &instance) {
            ctx.setInstance(&chain, &instance);
            const bool relevant = (q.group < 0 || groupRelevantAt(q.group, instance))
                && (q.relevant.isNull() || q.relevant.evaluateBoolean(ctx));
            const QString key = repeatpath::answerKey(m_form, node, instance);
            m_rrelevant.insert(key, relevant);
            if (!q.calculation.isNull() && relevant)
                m_rvalues.insert(key, q.calculation.evaluate(ctx).toString());
        });
    }
    layoutPages(); // instance counts may have changed
}

QString Interview::groupKey(int group, const QList<int> &instance) const
{
    const Group &g = m_form.groups[group];
    return repeatpath::instancePrefix(m_form, m_form.repeatChain(g.repeat ? group : g.repeatParent), instance)
        + QLatin1Char('@') + QString::number(group);
}

bool Interview::groupRelevantAt(int group, const QList<int> &instance) const
{
    const Group &g = m_form.groups[group];
    if (!g.repeat && g.repeatParent < 0)
        return m_groupRelevant[group];
    return m_rgroupRelevant.value(groupKey(group, instance), false);
}

QString Interview::valueAt(int question, const QList<int> &instance) const
{
    if (m_form.questions[question].repeat < 0)
        return m_values[question];
    return m_rvalues.value(repeatpath::answerKey(m_form, question, instance));
}

bool Interview::relevantAt(int question, const QList<int> &instance) const
{
    if (m_form.questions[question].repeat < 0)
        return m_relevant[question];
    return m_rrelevant.value(repeatpath::answerKey(m_form, question, instance), false);
}

Value Interview::effectiveValueAt(int question, const QList<int> &instance) const
{
    return relevantAt(question, instance) ? typedValue(question, valueAt(question, instance)) : Value();
}

Interview::Slot Interview::slotOf(const QString &key) const
{
    if (!m_form.hasRepeats() || !key.contains(QLatin1Char('/'))) {
        const int i = m_form.indexOf(key);
        if (i < 0 || m_form.questions[i].repeat >= 0)
            return {};
        return {i, {}, key};
    }
    const repeatpath::ParsedKey parsed = repeatpath::parseKey(m_form, key);
    if (!parsed.ok() || parsed.question < 0)
        return {};
    return {parsed.question, parsed.instance, key};
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
    m_rvalues.clear();
    m_counts.clear();
    for (auto it = answers.cbegin(); it != answers.cend(); ++it) {
        const Slot slot = slotOf(it.key());
        if (slot.question >= 0 && slot.instance.isEmpty()) {
            m_values[slot.question] = it.value();
            continue;
        }
        if (!m_form.hasRepeats())
            continue;
        const repeatpath::ParsedKey parsed = repeatpath::parseKey(m_form, it.key());
        if (!parsed.ok())
            continue; // not of this form: left out, as an unknown name always was
        QList<int> chain;
        if (parsed.question >= 0) {
            m_rvalues.insert(it.key(), it.value());
            chain = m_form.repeatChainOf(m_form.questions[parsed.question]);
        } else {
            bool ok = false;
            const int n = it.value().toInt(&ok);
            int &count = m_counts[it.key()];
            count = std::max(count, ok ? std::clamp(n, 0, kMaxRepeatInstances) : 0);
            chain = m_form.repeatChain(m_form.groups[parsed.repeat].repeatParent);
        }
        // Every instance an answer lies in exists, whatever its count said.
        for (qsizetype level = 0; level < parsed.instance.size() && level < chain.size(); ++level) {
            int &count = m_counts[repeatpath::countKey(m_form, chain[level], parsed.instance.mid(0, level))];
            count = std::max(count, parsed.instance[level]);
        }
    }
    recompute();
}

void Interview::applyDefaults()
{
    applyDefaultsUnder({});
}

void Interview::applyDefaultsUnder(const QString &keyPrefix)
{
    Context ctx(*this);
    bool changed = false;
    forEachSlot([&](int i, const QList<int> &instance, const QString &key) {
        const Question &q = m_form.questions[i];
        if (q.defaultValue.isNull() || !isInputType(q.type) || !key.startsWith(keyPrefix) || !valueAt(i, instance).isEmpty())
            return;
        const QList<int> chain = m_form.repeatChainOf(q);
        ctx.setInstance(&chain, &instance);
        const QString v = q.defaultValue.evaluate(ctx).toString();
        if (q.repeat < 0)
            m_values[i] = v;
        else
            m_rvalues.insert(key, v);
        changed = true;
    });
    if (changed)
        recompute();
}

QStringList Interview::setAnswer(const QString &nameIn, const QString &value)
{
    // A copy: the caller's key may live in a page that recomputing lays out anew.
    const QString name = nameIn;
    const Slot slot = slotOf(name);
    if (slot.question < 0)
        return {};
    const QList<QString> valuesBefore = m_values;
    const QList<bool> relevantBefore = m_relevant;
    const QHash<QString, QString> rvaluesBefore = m_rvalues;
    const QHash<QString, bool> rrelevantBefore = m_rrelevant;
    if (slot.instance.isEmpty())
        m_values[slot.question] = value;
    else
        m_rvalues.insert(slot.key, value);
    recompute();
    QStringList changed{name};
    for (int q = 0; q < m_values.size(); ++q) {
        if (m_form.questions[q].repeat < 0 && q != slot.question
            && (m_values[q] != valuesBefore[q] || m_relevant[q] != relevantBefore[q]))
            changed.append(m_form.questions[q].name);
    }
    if (m_form.hasRepeats()) {
        forEachSlot([&](int, const QList<int> &instance, const QString &key) {
            if (instance.isEmpty() || key == name)
                return;
            if (m_rvalues.value(key) != rvaluesBefore.value(key) || m_rrelevant.value(key) != rrelevantBefore.value(key))
                changed.append(key);
        });
    }
    return changed;
}

QString Interview::answer(const QString &name) const
{
    const Slot slot = slotOf(name);
    return slot.question < 0 ? QString() : valueAt(slot.question, slot.instance);
}

QMap<QString, QString> Interview::instanceCounts() const
{
    QMap<QString, QString> out;
    for (int g = 0; g < m_form.groups.size(); ++g) {
        if (!m_form.groups[g].repeat)
            continue;
        forEachInstance(m_form.repeatChain(m_form.groups[g].repeatParent), {}, [&](const QList<int> &parent) {
            const QString key = repeatpath::countKey(m_form, g, parent);
            if (const int n = m_counts.value(key); n > 0)
                out.insert(key, QString::number(n));
        });
    }
    return out;
}

QMap<QString, QString> Interview::answers() const
{
    QMap<QString, QString> all = instanceCounts();
    forEachSlot([&](int i, const QList<int> &instance, const QString &key) {
        const QString v = valueAt(i, instance);
        if (!v.isEmpty())
            all.insert(key, v);
    });
    return all;
}

bool Interview::isRelevant(const QString &name) const
{
    const Slot slot = slotOf(name);
    return slot.question >= 0 && relevantAt(slot.question, slot.instance);
}

QList<int> Interview::visibleChoices(const QString &name) const
{
    const Slot slot = slotOf(name);
    const Question *q = slot.question < 0 ? nullptr : &m_form.questions[slot.question];
    const ChoiceList *list = q ? m_form.choicesFor(*q) : nullptr;
    QList<int> visible;
    if (!list)
        return visible;
    Context ctx(*this);
    const QList<int> chain = m_form.repeatChainOf(*q);
    ctx.setInstance(&chain, &slot.instance);
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
    return checkSlot(slotOf(name), candidate);
}

AnswerCheck Interview::checkSlot(const Slot &slot, const QString &candidate) const
{
    const int i = slot.question;
    if (i < 0 || !relevantAt(i, slot.instance))
        return {};
    const Question &q = m_form.questions[i];
    if (!isInputType(q.type) || q.readOnly)
        return {};
    Context ctx(*this);
    const QList<int> chain = m_form.repeatChainOf(q);
    ctx.setInstance(&chain, &slot.instance);
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
        for (int c : visibleChoices(slot.key))
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
    const Page &p = m_pages[page];
    for (qsizetype k = 0; k < p.questions.size(); ++k) {
        if (!checkSlot({p.questions[k], p.instance, p.keys[k]}, valueAt(p.questions[k], p.instance)).ok())
            return p.keys[k];
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
    if (i >= 0 && m_form.questions[i].repeat < 0)
        return m_pageOfQuestion[i];
    return m_pageOfKey.value(question, -1);
}

bool Interview::isPageRelevant(int page) const
{
    const Page &p = m_pages[page];
    if (p.kind == Page::Kind::RepeatEnd) {
        const int n = m_counts.value(repeatpath::countKey(m_form, p.repeat, p.instance));
        QList<int> next = p.instance;
        next.append(n + 1);
        return n < kMaxRepeatInstances && groupRelevantAt(p.repeat, next);
    }
    for (int q : p.questions) {
        if (relevantAt(q, p.instance))
            return true;
    }
    return false;
}

int Interview::addInstance(int repeatEndPage)
{
    if (repeatEndPage < 0 || repeatEndPage >= m_pages.size())
        return -1;
    const Page end = m_pages[repeatEndPage];
    if (end.kind != Page::Kind::RepeatEnd || !isPageRelevant(repeatEndPage))
        return -1;
    const QString countKey = repeatpath::countKey(m_form, end.repeat, end.instance);
    const int n = m_counts.value(countKey) + 1;
    m_counts[countKey] = n;
    QList<int> added = end.instance;
    added.append(n);
    const QString prefix = repeatpath::instancePrefix(m_form, m_form.repeatChain(end.repeat), added) + QLatin1Char('/');
    for (auto it = m_rvalues.begin(); it != m_rvalues.end();) // left over from a removed instance
        it = it.key().startsWith(prefix) ? m_rvalues.erase(it) : std::next(it);
    recompute();
    applyDefaultsUnder(prefix);
    // Pages before the "add another" page are where they were: the new instance starts there.
    return nextPage(repeatEndPage - 1);
}

bool Interview::canRemoveInstance(int page) const
{
    if (page < 0 || page >= m_pages.size())
        return false;
    const Page &p = m_pages[page];
    return p.kind == Page::Kind::Questions && p.repeat >= 0 && m_form.groups[p.repeat].repeatCount.isNull();
}

int Interview::removeInstance(int page)
{
    if (!canRemoveInstance(page))
        return -1;
    const Page p = m_pages[page];
    const QList<int> chain = m_form.repeatChain(p.repeat);
    const qsizetype level = chain.size() - 1;
    const QList<int> parent = p.instance.mid(0, level);
    const int removed = p.instance[level];
    const QString countKey = repeatpath::countKey(m_form, p.repeat, parent);
    const int n = m_counts.value(countKey);
    int first = page; // the removed instance's first page
    while (first > 0 && m_pages[first - 1].instance.mid(0, level + 1) == p.instance.mid(0, level + 1)
           && m_form.repeatChain(m_pages[first - 1].repeat).mid(0, level + 1) == chain)
        --first;
    auto segment = [&](int k) {
        QList<int> at = parent;
        at.append(k);
        return repeatpath::instancePrefix(m_form, chain, at) + QLatin1Char('/');
    };
    // Later instances move down one, with everything nested in them (answers and counts).
    auto shift = [&](auto &hash) {
        std::remove_reference_t<decltype(hash)> out;
        for (auto it = hash.cbegin(); it != hash.cend(); ++it) {
            QString key = it.key();
            bool keep = true;
            for (int k = removed; k <= n; ++k) {
                const QString from = segment(k);
                if (!key.startsWith(from))
                    continue;
                keep = k != removed;
                key = segment(k - 1) + key.mid(from.size());
                break;
            }
            if (keep)
                out.insert(key, it.value());
        }
        hash = std::move(out);
    };
    shift(m_rvalues);
    shift(m_counts);
    m_counts[countKey] = std::max(0, n - 1);
    recompute();
    return nextPage(first - 1);
}

QString Interview::keyIn(const QString &name, int page) const
{
    const int i = m_form.indexOf(name);
    if (i < 0 || m_form.questions[i].repeat < 0 || page < 0 || page >= m_pages.size())
        return name;
    const Page &p = m_pages[page];
    const QList<int> target = m_form.repeatChainOf(m_form.questions[i]);
    const QList<int> chain = m_form.repeatChain(p.kind == Page::Kind::RepeatEnd ? m_form.groups[p.repeat].repeatParent : p.repeat);
    QList<int> at;
    bool same = true;
    for (qsizetype j = 0; j < target.size(); ++j) {
        same = same && j < chain.size() && j < p.instance.size() && chain[j] == target[j];
        at.append(same ? p.instance[j] : 1);
    }
    return repeatpath::answerKey(m_form, i, at);
}

const Question *Interview::questionOf(const QString &key) const
{
    const Slot slot = slotOf(key);
    return slot.question < 0 ? nullptr : &m_form.questions[slot.question];
}

QString Interview::instanceTitle(int page) const
{
    if (page < 0 || page >= m_pages.size() || m_pages[page].repeat < 0)
        return {};
    const Page &p = m_pages[page];
    const Group &g = m_form.groups[p.repeat];
    const QString label = g.label.isEmpty() ? g.name : text(g.label);
    if (p.kind == Page::Kind::RepeatEnd)
        return label;
    return QStringLiteral("%1 %2").arg(label).arg(p.instance.value(m_form.repeatChain(p.repeat).size() - 1));
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
        const Page &page = m_pages[p];
        for (qsizetype k = 0; k < page.questions.size(); ++k) {
            const int q = page.questions[k];
            const AnswerCheck c = checkSlot({q, page.instance, page.keys[k]}, valueAt(q, page.instance));
            if (!c.ok())
                issues.append({page.keys[k], p, c});
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
        if (q.repeat >= 0 || !m_relevant[i] || m_values[i].isEmpty())
            continue;
        if (refusal && q.type != QuestionType::Consent)
            continue;
        kept.insert(q.name, m_values[i]);
    }
    if (refusal || !m_form.hasRepeats())
        return kept;
    kept.insert(instanceCounts());
    forEachSlot([&](int i, const QList<int> &instance, const QString &key) {
        if (instance.isEmpty() || !relevantAt(i, instance))
            return;
        if (const QString v = valueAt(i, instance); !v.isEmpty())
            kept.insert(key, v);
    });
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
