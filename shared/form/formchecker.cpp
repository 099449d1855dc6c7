// SPDX-License-Identifier: Apache-2.0
#include "formchecker.h"

#include "formreader.h"

#include <QSet>

#include <algorithm>

namespace kerbside {

namespace {

struct YesNo
{
    const char *language;
    const char *yes; // UTF-8
    const char *no;
};

// The languages fieldwork in English towns most often needs after English (Census 2021 main
// languages); others fall back to English rather than leave a consent button blank.
constexpr YesNo kYesNo[] = {
    {"en", "Yes", "No"},
    {"pl", "Tak", "Nie"},
    {"cy", "Ie", "Na"},
    {"ur", "\xd8\xac\xdb\x8c \xdb\x81\xd8\xa7\xda\xba", "\xd9\x86\xdb\x81\xdb\x8c\xda\xba"},
    {"bn", "\xe0\xa6\xb9\xe0\xa7\x8d\xe0\xa6\xaf\xe0\xa6\xbe\xe0\xa6\x81", "\xe0\xa6\xa8\xe0\xa6\xbe"},
    {"pa", "\xe0\xa8\xb9\xe0\xa8\xbe\xe0\xa8\x82", "\xe0\xa8\xa8\xe0\xa8\xb9\xe0\xa9\x80\xe0\xa8\x82"},
    {"so", "Haa", "Maya"},
    {"ar", "\xd9\x86\xd8\xb9\xd9\x85", "\xd9\x84\xd8\xa7"},
    {"ro", "Da", "Nu"},
};

QString question(const Question &q, const char *key)
{
    return q.jsonPath + QLatin1Char('.') + QLatin1String(key);
}

} // namespace

ChoiceList FormChecker::consentChoices(const QStringList &languages)
{
    ChoiceList list;
    list.name = QStringLiteral("_consent");
    Choice yes, no;
    yes.name = QStringLiteral("yes");
    no.name = QStringLiteral("no");
    for (const QString &lang : languages) {
        const YesNo *found = &kYesNo[0];
        for (const YesNo &t : kYesNo) {
            // "pl-PL" takes the "pl" words
            if (lang == QLatin1String(t.language)
                || lang.startsWith(QLatin1String(t.language) + QLatin1Char('-')))
                found = &t;
        }
        yes.label.texts.insert(lang, QString::fromUtf8(found->yes));
        no.label.texts.insert(lang, QString::fromUtf8(found->no));
    }
    list.choices = {yes, no};
    return list;
}

void FormChecker::problem(const QString &path, const QString &message, const QString &related)
{
    FormIssue issue;
    issue.problem.path = path;
    issue.problem.message = message;
    issue.relatedPath = related;
    m_issues.append(issue);
}

void FormChecker::check()
{
    m_form.rebuildIndex();
    checkNames();
    for (const Group &g : m_form.groups) {
        checkReferences(g.relevant, g.jsonPath + QStringLiteral(".relevant"));
        checkReferences(g.repeatCount, g.jsonPath + QStringLiteral(".repeat_count"));
    }
    for (const Question &q : m_form.questions) {
        checkReferences(q.relevant, question(q, "relevant"));
        checkReferences(q.required, question(q, "required"));
        checkReferences(q.constraint, question(q, "constraint"));
        checkReferences(q.calculation, question(q, "calculation"));
        checkReferences(q.choiceFilter, question(q, "choice_filter"));
        if (q.defaultLiteral.isNull())
            checkReferences(q.defaultValue, question(q, "default"));
    }
    checkChoiceLists();
    checkCycles();
}

void FormChecker::checkNames()
{
    // Questions and groups share one namespace; report each repeat against the first use.
    QHash<QString, QString> first;
    QList<std::pair<QString, QString>> entries; // name, path in form order
    for (const Group &g : m_form.groups)
        entries.append({g.name, g.jsonPath});
    for (const Question &q : m_form.questions)
        entries.append({q.name, q.jsonPath});
    // Groups were collected apart from questions; put everything back in document order.
    // Paths compare in document order when indices are compared numerically, so sort by the
    // list of indices rather than the text ("[10]" < "[2]" as text).
    auto indices = [](const QString &path) {
        QList<int> out;
        qsizetype i = 0;
        while ((i = path.indexOf(QLatin1Char('['), i)) >= 0) {
            const qsizetype end = path.indexOf(QLatin1Char(']'), i);
            out.append(path.mid(i + 1, end - i - 1).toInt());
            i = end;
        }
        return out;
    };
    std::stable_sort(entries.begin(), entries.end(), [&](const auto &a, const auto &b) {
        return indices(a.second) < indices(b.second);
    });
    for (const auto &[name, path] : entries) {
        if (name.isEmpty())
            continue;
        if (const auto it = first.constFind(name); it != first.constEnd()) {
            problem(path + QStringLiteral(".name"),
                    QStringLiteral("duplicate name '%1'; first used at %2").arg(name, *it), *it);
        } else {
            first.insert(name, path);
        }
    }
}

void FormChecker::checkReferences(const Expression &e, const QString &path)
{
    if (e.isNull() || !e.isValid())
        return;
    for (const QString &ref : e.references()) {
        if (m_form.indexOf(ref) >= 0)
            continue;
        const int group = m_form.groupIndexOf(ref);
        if (group >= 0 && m_form.groups[group].repeat)
            continue; // a repeat's instances: count(${member}), indexed-repeat(..., ${member}, 2)
        if (group >= 0) {
            problem(path, QStringLiteral("refers to ${%1}, which is a group; only questions have "
                                         "values")
                              .arg(ref));
            continue;
        }
        QStringList names;
        for (const Question &q : m_form.questions)
            names << q.name;
        const QString guess = FormReader::closest(ref, names);
        if (guess.isEmpty())
            problem(path, QStringLiteral("refers to unknown field ${%1}").arg(ref));
        else
            problem(path, QStringLiteral("refers to unknown field ${%1}; did you mean ${%2}?")
                              .arg(ref, guess));
    }
}

void FormChecker::checkChoiceLists()
{
    bool needConsent = false;
    for (const Question &q : m_form.questions) {
        if (q.choiceList.isEmpty())
            continue;
        if (q.choiceList == QLatin1String("_consent") && q.type == QuestionType::Consent) {
            needConsent = true;
            continue;
        }
        const QString path = question(q, "choices");
        const ChoiceList *list = m_form.choicesFor(q);
        if (!list) {
            const QStringList lists = m_form.choiceLists.keys();
            const QString guess = FormReader::closest(q.choiceList, lists);
            QString message = QStringLiteral("unknown choice list '%1'").arg(q.choiceList);
            if (!guess.isEmpty()) {
                message += QStringLiteral("; did you mean '%1'?").arg(guess);
            } else if (lists.isEmpty()) {
                message += QStringLiteral("; the form defines no choice lists");
            } else {
                QStringList sorted = lists;
                sorted.sort();
                message += QStringLiteral("; the form defines %1").arg(sorted.join(QStringLiteral(", ")));
            }
            problem(path, message);
            continue;
        }
        if (q.type == QuestionType::Consent) {
            for (const char *needed : {"yes", "no"}) {
                if (list->indexOf(QLatin1String(needed)) < 0)
                    problem(path, QStringLiteral("a consent question's list must have choices "
                                                 "named 'yes' and 'no'; '%1' has no '%2'")
                                      .arg(q.choiceList, QLatin1String(needed)));
            }
        }
        if (!q.defaultLiteral.isEmpty()) {
            const QStringList values = q.type == QuestionType::SelectMultiple || q.type == QuestionType::Rank
                                           ? q.defaultLiteral.split(QLatin1Char(' '), Qt::SkipEmptyParts)
                                           : QStringList{q.defaultLiteral};
            for (const QString &v : values) {
                if (list->indexOf(v) < 0)
                    problem(question(q, "default"),
                            QStringLiteral("default '%1' is not a choice in list '%2'")
                                .arg(v, q.choiceList));
            }
        }
    }
    if (needConsent)
        m_form.choiceLists.insert(QStringLiteral("_consent"), consentChoices(m_form.languages));
}

void FormChecker::checkCycles()
{
    // Edges run from a calculated field to the calculated fields its calculation reads.
    // Depth-first search with colours; a grey target closes a cycle. The walk keeps its own
    // stack (node, next reference) rather than recursing: a form of 20,000 chained
    // calculations would otherwise overflow the thread's stack.
    const qsizetype n = m_form.questions.size();
    QList<int> colour(n, 0); // 0 unvisited, 1 on the stack, 2 done
    struct Frame
    {
        int node;
        QStringList refs;
        qsizetype next = 0;
    };
    QList<Frame> frames;
    QList<int> path; // the nodes of frames, for naming a cycle
    QSet<QString> reported; // the cycle's names sorted and joined: each cycle once
    auto enter = [&](int i) {
        colour[i] = 1;
        frames.append(Frame{i, m_form.questions[i].calculation.references()});
        path.append(i);
    };
    for (int root = 0; root < n; ++root) {
        if (colour[root] != 0 || m_form.questions[root].calculation.isNull()
            || !m_form.questions[root].calculation.isValid())
            continue;
        enter(root);
        while (!frames.isEmpty()) {
            Frame &top = frames.last();
            if (top.next >= top.refs.size()) {
                colour[top.node] = 2;
                frames.removeLast();
                path.removeLast();
                continue;
            }
            const int j = m_form.indexOf(top.refs.at(top.next++));
            if (j < 0 || m_form.questions[j].calculation.isNull())
                continue;
            if (colour[j] == 1) {
                const qsizetype start = path.indexOf(j);
                QStringList names;
                for (qsizetype k = start; k < path.size(); ++k)
                    names << m_form.questions[path[k]].name;
                QStringList key = names;
                key.sort();
                if (!reported.contains(key.join(QLatin1Char(' ')))) {
                    reported.insert(key.join(QLatin1Char(' ')));
                    names << m_form.questions[j].name;
                    problem(question(m_form.questions[j], "calculation"),
                            QStringLiteral("calculation cycle: %1").arg(names.join(QStringLiteral(" -> "))));
                }
            } else if (colour[j] == 0) {
                enter(j); // invalidates top; the loop takes frames.last() afresh
            }
        }
    }
}

} // namespace kerbside
