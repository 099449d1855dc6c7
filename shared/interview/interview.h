// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "form/form.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>

namespace kerbside {

/** One screen of the interview: a single question, every question of a one-page group, or,
 *  after the instances of an open-ended repeat, the question whether to add another. */
struct Page
{
    enum class Kind { Questions, RepeatEnd };
    Kind kind = Kind::Questions;
    QList<int> questions; // indexes into Form::questions, in form order
    QStringList keys;     // the answer key of each of `questions` (its name outside repeats)
    int group = -1;       // the one-page group shown, or -1
    int repeat = -1;      // the innermost repeat the page belongs to (RepeatEnd: the one asked about)
    QList<int> instance;  // 1-based instance indexes, outermost repeat first (RepeatEnd: the parent's)
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
 *  as empty by expressions, and left out of finalAnswers() (as in ODK).
 *
 *  Repeats: every question inside a repeat has one answer per instance, keyed by its path
 *  (repeatpath.h: `member[2]/age`); wherever a method takes a question `name`, such a key is
 *  accepted too. Relevance, calculations and checks run per instance, and `${q}` inside an
 *  instance means q of that same instance. Pages are laid out per instance, and an
 *  open-ended repeat ends with a RepeatEnd page ("add another?"). */
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
    // Questions outside repeats by index (a question inside a repeat: false; use its key).
    bool isRelevant(int question) const { return m_relevant.value(question); }
    // Choices of a select shown now: the list filtered by choice_filter. Indexes into the list.
    QList<int> visibleChoices(const QString &name) const;

    // Validation ------------------------------------------------------------------------------
    AnswerCheck check(const QString &name) const; // the current answer
    AnswerCheck checkValue(const QString &name, const QString &candidate) const;
    AnswerCheck checkPage(int page) const;  // the first failing question's verdict
    QString firstInvalidOnPage(int page) const; // its name, or "" when the page is fine

    // Repeats ---------------------------------------------------------------------------------
    // How many instances the repeat whose count key (repeatpath::countKey) is `key` holds.
    int instanceCount(const QString &countKey) const { return m_counts.value(countKey); }
    // On a RepeatEnd page: adds an instance and returns its first page (-1 if none can be
    // added: the repeat is full or not open-ended).
    int addInstance(int repeatEndPage);
    // Whether the fieldworker may remove the instance `page` belongs to (open-ended repeats).
    bool canRemoveInstance(int page) const;
    // Removes that instance (later ones move down one) and returns the page to show next.
    int removeInstance(int page);
    // "Household member 2": the repeat's label and the instance's number, for page titles.
    QString instanceTitle(int page) const;
    // The key ${name} means on `page`: in the page's instance when name shares its repeats.
    QString keyIn(const QString &name, int page) const;
    // The question an answer key belongs to (nullptr when the key fits no question).
    const Question *questionOf(const QString &key) const;

    // Navigation ------------------------------------------------------------------------------
    int pageCount() const { return int(m_pages.size()); }
    const Page &page(int index) const { return m_pages[index]; }
    // -1 for calculations and unknown names; a repeat's count key gives its "add another" page.
    int pageOf(const QString &question) const;
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
    struct Slot
    {
        int question = -1;
        QList<int> instance;
        QString key;
    };
    // A page template (one per page of a form without repeats) or a repeat's block of them.
    struct Block
    {
        int repeat = -1;       // -1: the whole form
        QList<int> templates;  // >= 0: index into m_templates; < 0: -1 - index into m_blocks
    };

    void buildPages();
    void buildBlocks();
    void layoutPages();
    void layoutBlock(int block, const QList<int> &instance);
    void buildEvaluationOrder();
    void recompute();
    // Calls f(instance) for every instance of `chain` (repeats, outermost first) under `prefix`.
    template<typename F> void forEachInstance(const QList<int> &chain, const QList<int> &prefix, F &&f) const;
    template<typename F> void forEachSlot(F &&f) const; // f(question, instance, key), form order
    QMap<QString, QString> instanceCounts() const; // count keys of existing instance lists, > 0
    void applyDefaultsUnder(const QString &keyPrefix); // "" = everywhere
    Slot slotOf(const QString &key) const; // question -1 when unknown
    QString valueAt(int question, const QList<int> &instance) const;
    bool relevantAt(int question, const QList<int> &instance) const;
    bool groupRelevantAt(int group, const QList<int> &instance) const;
    QString groupKey(int group, const QList<int> &instance) const;
    Value typedValue(int question, const QString &raw) const;
    Value effectiveValue(int question) const;
    Value effectiveValueAt(int question, const QList<int> &instance) const;
    AnswerCheck checkSlot(const Slot &slot, const QString &candidate) const;
    QString message(const LocalizedText &custom, const char *fallbackKey) const;

    const Form &m_form;
    QString m_language;
    std::function<QDateTime()> m_clock;
    QList<QString> m_values;   // by question index
    QList<bool> m_relevant;    // by question index (own relevant and every enclosing group)
    QList<bool> m_groupRelevant; // by group index (own relevant and its parents)
    QList<Page> m_pages;
    QList<int> m_pageOfQuestion; // by question index, -1 for none (outside repeats)
    // Repeats (empty for forms without them) ---------------------------------------------------
    QList<Page> m_templates;           // the form's pages before they are laid out per instance
    QList<Block> m_blocks;             // [0] is the whole form
    QHash<QString, QString> m_rvalues; // answers inside repeats, by key
    QHash<QString, bool> m_rrelevant;  // by key
    QHash<QString, bool> m_rgroupRelevant; // groups inside repeats, by groupKey()
    QHash<QString, int> m_counts;      // instance counts, by count key
    QHash<QString, int> m_pageOfKey;   // answers inside repeats -> page
    // Recompute order: entries >= 0 are questions, < 0 are groups (-1 - index).
    QList<int> m_order;
};

} // namespace kerbside
