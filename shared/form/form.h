// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "expr/expression.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

namespace kerbside {

/** Form ids become file names (exports) and travel in every batch, so they follow one
 *  pattern, checked wherever a form enters (loader, publish, XLSForm import) and on the
 *  collector: a lower-case ASCII letter, then up to 63 lower-case letters, digits, '_' or '-'
 *  (`[a-z][a-z0-9_-]{0,63}`). No '/', '.', spaces or upper case: safe as a file name on
 *  every system and never two ids that differ only in case. */
inline constexpr int kMaxFormIdLength = 64;
bool isValidFormId(const QString &id);
// The rule of forms published before the pattern above: a letter, then letters, digits, '_',
// '-' and '.'. Only for loading stored forms; exports still build file names safely from them.
bool isLegacyFormId(const QString &id);
// contacts, summary, codebook, weights, manifest and unpublished-form-*: the exporter's own
// file stems (compared without case: they could collide on a case-insensitive disk).
bool isReservedFormId(const QString &id);
// Why `id` is not a valid form id, in plain words naming it ("" when it is valid).
QString formIdProblem(const QString &id);

/** Text in several languages: language code -> text. */
class LocalizedText
{
public:
    LocalizedText() = default;
    QHash<QString, QString> texts;

    bool isEmpty() const { return texts.isEmpty(); }
    bool has(const QString &lang) const { return texts.contains(lang); }
    // The text in `lang`, else in `fallback`, else any; "" when there is none.
    QString text(const QString &lang, const QString &fallback = {}) const;
};

enum class QuestionType {
    Note, Text, Integer, Decimal, SelectOne, SelectMultiple,
    Date, Time, DateTime, Geopoint, Calculate, Consent,
    Rank,     // the choice names in the order given, space-separated (answerformat.h)
    Geotrace, // points "lat lon alt acc;..." (a line)
    Geoshape  // the same, closed (a polygon)
};
// "select_one" <-> QuestionType::SelectOne; returns false for an unknown name.
bool questionTypeFromName(const QString &name, QuestionType *type);
QString questionTypeName(QuestionType type);
// True for types that take an answer from the fieldworker (not note, not calculate).
bool isInputType(QuestionType type);
// select_one, select_multiple and rank: a question answered from a choice list by choice_filter.
bool isChoiceType(QuestionType type);

struct Choice
{
    QString name; // the stored value; no spaces (select_multiple stores "a b c")
    LocalizedText label;
    QHash<QString, QString> properties; // extra columns, readable by choice_filter as bare names
    bool missing = false; // "missing": true: means no answer (don't know, ...); exports declare it missing
};

struct ChoiceList
{
    QString name;
    QList<Choice> choices;
    int indexOf(const QString &choiceName) const;
};

/** Most instances one repeat holds in one parent (an interview, or one instance of the repeat
 *  around it): the tablet offers no "add another" past it, repeat_count is capped at it and
 *  the collector refuses a response with more. */
inline constexpr int kMaxRepeatInstances = 200;
// How deep repeats may nest (a repeat inside a repeat inside ...).
inline constexpr int kMaxRepeatDepth = 4;

/** A group of questions. A group with onePage shows all its questions on one page.
 *  A repeat ("type": "repeat") is a group asked once per instance: as many as repeatCount
 *  says, or as many as the fieldworker adds when it has none. */
struct Group
{
    QString name;
    LocalizedText label;
    Expression relevant; // applies to every question inside
    int parent = -1;     // index into Form::groups, -1 at top level
    bool onePage = false;
    bool repeat = false;
    Expression repeatCount; // repeats only: a number or an expression; null = open-ended
    int repeatParent = -1;  // the innermost repeat enclosing this group (itself excluded), -1 for none
    QString jsonPath; // e.g. "$.questions[3]"
};

struct Question
{
    QString name;
    QuestionType type = QuestionType::Text;
    LocalizedText label;
    LocalizedText hint;
    Expression relevant;
    Expression constraint;
    LocalizedText constraintMessage;
    bool requiredAlways = false; // "required": true
    Expression required;         // "required": "<expression>" (null when a plain bool)
    LocalizedText requiredMessage;
    Expression calculation;
    QString choiceList; // select_one / select_multiple; consent uses the built-in yes/no
    Expression choiceFilter;
    Expression defaultValue; // a literal is stored as a quoted string expression
    QString defaultLiteral;  // the default as written when it is a plain literal
    bool readOnly = false;
    QString appearance; // "likert", "minimal", "multiline", "numbers", ...
    bool sensitive = false;
    double accuracyThreshold = 0; // geopoint: metres the fix must reach; 0 = any fix
    int group = -1;               // innermost enclosing group, index into Form::groups
    int repeat = -1;              // innermost enclosing repeat (set by rebuildIndex), -1 for none
    QString jsonPath;             // e.g. "$.questions[3].questions[1]"
    // XLSForm: the name as written and its group path ("household/age") when the import had to
    // rename the question (the same name in two groups); the codebook says so.
    QString renamedFrom;
};

/** A validated form definition. Loaded by FormLoader; immutable afterwards. */
struct Form
{
    QString id;
    QString version;
    LocalizedText title;
    QString defaultLanguage;
    QStringList languages; // declared, default first
    QList<Question> questions; // depth-first, in form order
    QList<Group> groups;
    QHash<QString, ChoiceList> choiceLists;
    QString sourcePath; // the file it was loaded from, if any

    int indexOf(const QString &questionName) const; // -1 when absent
    const Question *question(const QString &name) const;
    const ChoiceList *choicesFor(const Question &q) const; // nullptr when none
    int groupIndexOf(const QString &groupName) const; // -1 when absent
    // The repeats around a question or group, outermost first (empty outside repeats); a
    // repeat group's own chain ends with itself.
    QList<int> repeatChain(int repeatGroup) const;
    QList<int> repeatChainOf(const Question &q) const { return repeatChain(q.repeat); }
    bool hasRepeats() const { return m_hasRepeats; }
    void rebuildIndex(); // call after filling `questions` and `groups`

private:
    QHash<QString, int> m_index;
    QHash<QString, int> m_groupIndex;
    bool m_hasRepeats = false;
};

} // namespace kerbside
