// SPDX-License-Identifier: Apache-2.0
#include "responsecheck.h"

#include "form/answerformat.h"
#include "form/repeatpath.h"

#include <QHash>
#include <QDate>
#include <QDateTime>
#include <QRegularExpression>
#include <QTime>

#include <cmath>

namespace kerbside {

namespace {

// HH:MM, HH:MM:SS or HH:MM:SS.mmm (what the tablet writes; Qt's ISO parser reads the same).
constexpr const char *kTimePattern = "[0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]{1,3})?)?";

// Past this many choices a list is also kept as a hash set (a walk over a short list is faster).
constexpr qsizetype kChoiceWalk = 16;

bool isGeopointText(const QString &value)
{
    const QStringList parts = value.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    if (parts.size() < 2 || parts.size() > 4)
        return false;
    double d[4] = {0, 0, 0, 0};
    for (qsizetype i = 0; i < parts.size(); ++i) {
        bool ok = false;
        d[i] = parts[i].toDouble(&ok);
        if (!ok || !std::isfinite(d[i]))
            return false;
    }
    return d[0] >= -90 && d[0] <= 90 && d[1] >= -180 && d[1] <= 180 && std::abs(d[2]) <= 100000 && d[3] >= 0
        && d[3] <= 1e7;
}

// Why `value` (sent as text, or typed and formatted back by the decoder) does not fit `q`.
QString valueProblem(const ResponseRules::Rule &rule, const QString &value)
{
    if (value.isEmpty())
        return {};
    const Question &q = *rule.question;
    switch (q.type) {
    // Numbers, dates and times are read whole: Qt's parsers skip spaces and read an ISO date
    // from its first ten characters ("2024-01-01<64 KiB more>" would pass).
    case QuestionType::Integer: {
        static const QRegularExpression re(QStringLiteral("^-?[0-9]{1,19}\\z"));
        bool ok = false;
        if (re.match(value).hasMatch())
            value.toLongLong(&ok);
        return ok ? QString() : QStringLiteral("not an integer");
    }
    case QuestionType::Decimal: {
        static const QRegularExpression re(QStringLiteral("^-?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][-+]?[0-9]{1,3})?\\z"));
        bool ok = false;
        const double d = re.match(value).hasMatch() ? value.toDouble(&ok) : 0;
        return ok && std::isfinite(d) ? QString() : QStringLiteral("not a finite decimal number");
    }
    case QuestionType::SelectOne:
    case QuestionType::Consent:
        return rule.isChoice(value) ? QString()
                                          : QStringLiteral("not a choice of list '%1'").arg(q.choiceList);
    case QuestionType::SelectMultiple:
        for (QStringView part : QStringView(value).split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
            if (!rule.isChoice(part))
                return QStringLiteral("a value that is not a choice of list '%1'").arg(q.choiceList);
        }
        return {};
    case QuestionType::Date: {
        static const QRegularExpression re(QStringLiteral("^[0-9]{4}-[0-9]{2}-[0-9]{2}\\z"));
        return re.match(value).hasMatch() && QDate::fromString(value, Qt::ISODate).isValid()
            ? QString() : QStringLiteral("not a date (YYYY-MM-DD)");
    }
    case QuestionType::Time: {
        static const QRegularExpression re(QStringLiteral("^") + QLatin1String(kTimePattern) + QStringLiteral("\\z"));
        return re.match(value).hasMatch() && QTime::fromString(value, Qt::ISODateWithMs).isValid()
            ? QString() : QStringLiteral("not a time (HH:MM:SS)");
    }
    case QuestionType::DateTime: {
        static const QRegularExpression re(QStringLiteral("^[0-9]{4}-[0-9]{2}-[0-9]{2}T") + QLatin1String(kTimePattern)
                                           + QStringLiteral("(Z|[-+][0-9]{2}:[0-9]{2})?\\z"));
        return re.match(value).hasMatch() && QDateTime::fromString(value, Qt::ISODateWithMs).isValid()
            ? QString() : QStringLiteral("not an ISO 8601 date and time");
    }
    case QuestionType::Geopoint:
        return isGeopointText(value) ? QString()
                                     : QStringLiteral("not a geopoint (latitude -90..90, longitude -180..180, altitude, accuracy)");
    case QuestionType::Rank: {
        // Every choice of the list once, in order (the tablet shows only the filtered ones,
        // which the collector cannot recompute here; each value must still be a choice, once).
        const QList<QStringView> parts = QStringView(value).split(QLatin1Char(' '), Qt::SkipEmptyParts);
        for (qsizetype i = 0; i < parts.size(); ++i) {
            if (!rule.isChoice(parts[i]))
                return QStringLiteral("a value that is not a choice of list '%1'").arg(q.choiceList);
            if (parts.indexOf(parts[i]) != i)
                return QStringLiteral("a choice ranked twice");
        }
        return {};
    }
    case QuestionType::Geotrace:
        return answerformat::geotraceProblem(value);
    case QuestionType::Geoshape:
        return answerformat::geoshapeProblem(value);
    case QuestionType::Note:
    case QuestionType::Text:
    case QuestionType::Calculate:
        return {};
    }
    return {};
}

// The one question type each typed encoding stands for (text fits any type: the device sends a
// value as text when its typed form would not give back the very string it stored).
bool typeFits(AnswerType sent, QuestionType q)
{
    switch (sent) {
    case AnswerType::Text: return true;
    case AnswerType::Choice: return q == QuestionType::SelectOne || q == QuestionType::Consent;
    case AnswerType::Choices: return q == QuestionType::SelectMultiple;
    case AnswerType::Integer: return q == QuestionType::Integer;
    case AnswerType::Decimal: return q == QuestionType::Decimal;
    case AnswerType::Date: return q == QuestionType::Date;
    case AnswerType::Time: return q == QuestionType::Time;
    case AnswerType::DateTime: return q == QuestionType::DateTime;
    case AnswerType::Geopoint: return q == QuestionType::Geopoint;
    }
    return false;
}

// Answers inside repeats (forms/README.md, "Repeats"): every key names a real instance path of
// the form, counts are whole numbers up to kMaxRepeatInstances, and no answer lies in an
// instance past its repeat's count. `*q` is set for an answer, left null for a count.
QString repeatKeyProblem(const IncomingResponse &r, const Form &form, const TypedAnswer &a,
                         const QHash<QString, int> &counts, const Question **q)
{
    const repeatpath::ParsedKey key = repeatpath::parseKey(form, a.question);
    const QString name = a.question.left(100);
    if (!key.ok())
        return QStringLiteral("response %1: answer to '%2', which is not a question of form %3 version %4 (%5)")
            .arg(r.meta.uuid, name, form.id, form.version, key.problem);
    if (key.repeat >= 0) {
        if (a.type != AnswerType::Integer && a.type != AnswerType::Text)
            return QStringLiteral("response %1: instance count '%2' sent as %3, not as a number")
                .arg(r.meta.uuid, name, answerTypeName(a.type));
        bool ok = false;
        const int n = a.value.size() <= 4 ? a.value.toInt(&ok) : -1;
        if (!ok || n < 0 || n > kMaxRepeatInstances)
            return QStringLiteral("response %1: instance count '%2' is '%3', not 0 to %4")
                .arg(r.meta.uuid, name, a.value.left(20)).arg(kMaxRepeatInstances);
        return {};
    }
    *q = &form.questions[key.question];
    const QList<int> chain = form.repeatChainOf(**q);
    for (qsizetype level = 0; level < chain.size(); ++level) {
        const QString countKey = repeatpath::countKey(form, chain[level], key.instance.mid(0, level));
        const int count = counts.value(countKey, -1);
        if (count >= 0 && key.instance[level] > count)
            return QStringLiteral("response %1: answer '%2' lies in instance %3 of '%4', which has %5")
                .arg(r.meta.uuid, name).arg(key.instance[level]).arg(countKey).arg(count);
    }
    return {};
}

} // namespace

bool ResponseRules::Rule::isChoice(QStringView value) const
{
    if (!choices)
        return true; // a list the form does not hold (checked when the form was published)
    if (choices->size() > kChoiceWalk)
        return choiceSet.contains(value.toString());
    for (const QString &name : *choices) {
        if (name == value)
            return true;
    }
    return false;
}

ResponseRules::ResponseRules(std::shared_ptr<const Form> form) : m_form(std::move(form))
{
    m_rules.reserve(m_form->questions.size());
    for (const Question &q : m_form->questions) {
        Rule rule;
        rule.question = &q;
        if (const ChoiceList *list = m_form->choicesFor(q)) {
            rule.choices.emplace();
            rule.choices->reserve(list->choices.size());
            for (const Choice &c : list->choices)
                rule.choices->append(c.name);
            if (rule.choices->size() > kChoiceWalk)
                rule.choiceSet = QSet<QString>(rule.choices->cbegin(), rule.choices->cend());
        }
        m_rules.insert(q.name, std::move(rule)); // as Form's index (names are unique in a loaded form)
    }
}

QString ResponseRules::check(const IncomingResponse &r) const
{
    NameCache none;
    return check(r, &none);
}

QString ResponseRules::check(const IncomingResponse &r, NameCache *cache) const
{
    const Form &form = *m_form;
    QHash<QString, int> counts; // instance counts sent, for the answers inside repeats
    if (form.hasRepeats()) {
        for (const TypedAnswer &a : r.answers) {
            if (const int g = form.groupIndexOf(a.question.section(QLatin1Char('/'), -1)); g >= 0 && form.groups[g].repeat)
                counts.insert(a.question, a.value.toInt());
        }
    }
    for (const TypedAnswer &a : r.answers) {
        const Rule *rule = cache->value(a.question.constData());
        if (!rule || rule->question->name.size() != a.question.size()) { // same data and size: same text
            const auto it = m_rules.constFind(a.question);
            rule = it == m_rules.constEnd() ? nullptr : &*it;
            if (rule && !a.question.isEmpty())
                cache->insert(a.question.constData(), rule);
        }
        const auto name = [&] { return a.question.left(100); }; // built only for a refusal
        if (rule && rule->question->repeat >= 0)
            return QStringLiteral("response %1: answer to '%2', which is inside a repeat of form %3 version %4 "
                                  "and needs its instance (%5)")
                .arg(r.meta.uuid, name(), form.id, form.version, repeatpath::parseKey(form, a.question).problem);
        if (!rule && form.hasRepeats() && repeatpath::isRepeatKey(form, a.question)) {
            const Question *q = nullptr;
            const QString problem = repeatKeyProblem(r, form, a, counts, &q);
            if (!problem.isEmpty())
                return problem;
            if (!q)
                continue; // an instance count, checked
            rule = &*m_rules.constFind(q->name); // every question of the form has its rule
        }
        if (!rule)
            return QStringLiteral("response %1: answer to '%2', which is not a question of form %3 version %4")
                .arg(r.meta.uuid, name(), form.id, form.version);
        const Question &q = *rule->question;
        if (!typeFits(a.type, q.type))
            return QStringLiteral("response %1: answer to '%2' sent as %3, but the question is %4")
                .arg(r.meta.uuid, name(), answerTypeName(a.type), questionTypeName(q.type));
        // A typed value the decoder built is valid for its type already; choices still need
        // their list, and text needs the whole check.
        if (a.type != AnswerType::Text && a.type != AnswerType::Choice && a.type != AnswerType::Choices)
            continue;
        const QString problem = valueProblem(*rule, a.value);
        if (!problem.isEmpty())
            return QStringLiteral("response %1: answer to '%2' (%3) is %4").arg(r.meta.uuid, name(), questionTypeName(q.type), problem);
    }
    for (qsizetype i = 0; i < r.paradata.size(); ++i) {
        const QString &question = r.paradata[i].question;
        // Inside repeats: a question's key (car[2]/make) or an instance count's, which the
        // tablet logs when an instance is added or removed (car, car[1]/trip).
        const auto inRepeat = [&] {
            const repeatpath::ParsedKey k = repeatpath::parseKey(form, question);
            return k.ok() && (k.question >= 0 || k.repeat >= 0);
        };
        const bool known = question.isEmpty() || m_rules.contains(question) || (form.hasRepeats() && inRepeat());
        if (!known)
            return QStringLiteral("response %1: paradata %2 names a question that is not in form %3 version %4")
                .arg(r.meta.uuid).arg(i).arg(form.id, form.version);
    }
    return {};
}

} // namespace kerbside
