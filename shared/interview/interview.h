// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "form/form.h"

#include <QDateTime>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>

namespace kerbside {

/** One screen of the interview: a single question, or every question of a one-page group. */
struct Page
{
    QList<int> questions; // indexes into Form::questions, in form order
    int group = -1;       // the one-page group shown, or -1
};

/** The verdict on one answer, with a message in the interview's language. */
struct AnswerCheck
{
    enum class Kind { Ok, Required, Constraint, Type, Accuracy };
    Kind kind = Kind::Ok;
    QString message;
    bool ok() const { return kind == Kind::Ok; }
};

/** A blocking problem when finalising: which question and why. */
struct FinaliseIssue
{
    QString question;
    int page = -1;
    AnswerCheck check;
};

/** The rules of one interview: relevance, calculations in dependency order, defaults,
 *  validation, navigation and finalisation, for a form and the answers so far. Holds no
 *  storage and no UI; InterviewSession adds persistence, the tablet adds screens.
 *  Answers of questions that become irrelevant are kept while the interview is open, seen
 *  as empty by expressions, and left out of finalAnswers() (as in ODK). */
class Interview
{
public:
    // `form` must outlive the interview.
    explicit Interview(const Form &form, const QString &language = {});
    ~Interview();
    Interview(const Interview &) = delete;
    Interview &operator=(const Interview &) = delete;

    const Form &form() const { return m_form; }

    // Answers --------------------------------------------------------------------------------
    // Restores answers (e.g. a draft being resumed) and recomputes everything.
    void load(const QMap<QString, QString> &answers);
    // Fills empty inputs that have a `default` (literal or expression). Call once at start.
    void applyDefaults();
    // Stores a raw answer (not validated: the UI keeps what was typed) and recomputes.
    // Returns the names whose value or relevance changed, `name` first.
    QStringList setAnswer(const QString &name, const QString &value);
    QString answer(const QString &name) const;
    QMap<QString, QString> answers() const; // every non-empty value, relevant or not

    // Relevance and choices -----------------------------------------------------------------
    bool isRelevant(const QString &name) const;
    bool isRelevant(int question) const { return m_relevant.value(question); }
    // Choices of a select shown now: the list filtered by choice_filter. Indexes into the list.
    QList<int> visibleChoices(const QString &name) const;

    // Validation ------------------------------------------------------------------------------
    AnswerCheck check(const QString &name) const; // the current answer
    AnswerCheck checkValue(const QString &name, const QString &candidate) const;
    AnswerCheck checkPage(int page) const;  // the first failing question's verdict
    QString firstInvalidOnPage(int page) const; // its name, or "" when the page is fine

    // Navigation ------------------------------------------------------------------------------
    int pageCount() const { return int(m_pages.size()); }
    const Page &page(int index) const { return m_pages[index]; }
    int pageOf(const QString &question) const; // -1 for calculations and unknown names
    bool isPageRelevant(int page) const;
    int firstPage() const; // -1 when no page is relevant
    // The next/previous relevant page; -1 at the end (after a refusal, too) / at the start.
    int nextPage(int from) const;
    int previousPage(int from) const;
    // Relevant pages from the first to the last one reachable (for progress and review).
    QList<int> relevantPages() const;

    // Finalisation ----------------------------------------------------------------------------
    bool isRefusal() const; // a relevant consent question answered "no"
    QList<FinaliseIssue> finaliseIssues() const; // empty for a refusal with its consent answer
    bool canFinalise() const { return finaliseIssues().isEmpty(); }
    // What a finalised response keeps: relevant non-empty answers (calculations included);
    // for a refusal only the consent answers.
    QMap<QString, QString> finalAnswers() const;

    // Language and text -----------------------------------------------------------------------
    QString language() const { return m_language; }
    void setLanguage(const QString &language);
    QString text(const LocalizedText &t) const { return t.text(m_language, m_form.defaultLanguage); }

    // The clock used by today()/now(); tests set a fixed one.
    void setClock(std::function<QDateTime()> clock);

private:
    class Context;
    friend class Context;

    void buildPages();
    void buildEvaluationOrder();
    void recompute();
    Value typedValue(int question, const QString &raw) const;
    Value effectiveValue(int question) const;
    bool groupChainRelevant(int group) const;
    QString message(const LocalizedText &custom, const char *fallbackKey) const;

    const Form &m_form;
    QString m_language;
    std::function<QDateTime()> m_clock;
    QList<QString> m_values;   // by question index
    QList<bool> m_relevant;    // by question index (own relevant and every enclosing group)
    QList<bool> m_groupRelevant; // by group index (own relevant and its parents)
    QList<Page> m_pages;
    QList<int> m_pageOfQuestion; // by question index, -1 for none
    // Recompute order: entries >= 0 are questions, < 0 are groups (-1 - index).
    QList<int> m_order;
};

} // namespace kerbside
