// SPDX-License-Identifier: Apache-2.0
#include "formreader.h"

#include "jsonlinemap.h"

#include <QJsonArray>
#include <QSet>
#include <QRegularExpression>

#include <algorithm>
#include <cmath>

namespace kerbside {

namespace {

const QStringList kTopKeys{
    QStringLiteral("format"), QStringLiteral("id"), QStringLiteral("version"),
    QStringLiteral("title"), QStringLiteral("default_language"), QStringLiteral("languages"),
    QStringLiteral("choices"), QStringLiteral("questions"), QStringLiteral("allow_choice_duplicates"),
    QStringLiteral("missing_attachments")};

const QStringList kQuestionKeys{
    QStringLiteral("name"), QStringLiteral("type"), QStringLiteral("label"),
    QStringLiteral("hint"), QStringLiteral("relevant"), QStringLiteral("required"),
    QStringLiteral("required_message"), QStringLiteral("constraint"),
    QStringLiteral("constraint_message"), QStringLiteral("calculation"),
    QStringLiteral("choices"), QStringLiteral("choice_filter"), QStringLiteral("default"),
    QStringLiteral("read_only"), QStringLiteral("appearance"), QStringLiteral("sensitive"),
    QStringLiteral("accuracy"), QStringLiteral("renamed_from")};

const QStringList kGroupKeys{
    QStringLiteral("type"), QStringLiteral("name"), QStringLiteral("label"),
    QStringLiteral("relevant"), QStringLiteral("page"), QStringLiteral("questions"),
    QStringLiteral("repeat_count")};

// Keys that only make sense on a question that takes an answer.
const QStringList kInputOnlyKeys{
    QStringLiteral("required"), QStringLiteral("required_message"),
    QStringLiteral("constraint"), QStringLiteral("constraint_message"),
    QStringLiteral("default"), QStringLiteral("read_only")};

const QStringList kChoiceKeys{QStringLiteral("name"), QStringLiteral("label"), QStringLiteral("missing")};

QString typeList()
{
    return QStringLiteral("note, text, integer, decimal, select_one, select_multiple, date, "
                          "time, datetime, geopoint, geotrace, geoshape, rank, calculate, consent, group, repeat");
}

QStringList allTypeNames()
{
    return typeList().split(QStringLiteral(", "));
}

int editDistance(const QString &a, const QString &b)
{
    QList<int> prev(b.size() + 1), cur(b.size() + 1);
    for (qsizetype j = 0; j <= b.size(); ++j)
        prev[j] = int(j);
    for (qsizetype i = 1; i <= a.size(); ++i) {
        cur[0] = int(i);
        for (qsizetype j = 1; j <= b.size(); ++j) {
            const int sub = prev[j - 1] + (a[i - 1].toLower() == b[j - 1].toLower() ? 0 : 1);
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
        }
        std::swap(prev, cur);
    }
    return prev[b.size()];
}

// An XPath string literal for `text`, so a literal default is an expression like any other.
QString quoteLiteral(const QString &text)
{
    if (!text.contains(QLatin1Char('\'')))
        return QLatin1Char('\'') + text + QLatin1Char('\'');
    if (!text.contains(QLatin1Char('"')))
        return QLatin1Char('"') + text + QLatin1Char('"');
    // Both quote kinds: XPath 1.0 has no escapes, so join pieces quoted the other way.
    QStringList parts;
    for (const QString &piece : text.split(QLatin1Char('\'')))
        parts << QLatin1Char('\'') + piece + QLatin1Char('\'');
    return QStringLiteral("concat(") + parts.join(QStringLiteral(", \"'\", ")) + QLatin1Char(')');
}

QString jsonTypeName(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Null: return QStringLiteral("null");
    case QJsonValue::Bool: return QStringLiteral("a boolean");
    case QJsonValue::Double: return QStringLiteral("a number");
    case QJsonValue::String: return QStringLiteral("a string");
    case QJsonValue::Array: return QStringLiteral("an array");
    case QJsonValue::Object: return QStringLiteral("an object");
    case QJsonValue::Undefined: break;
    }
    return QStringLiteral("nothing");
}

} // namespace

const QString &FormReader::formatName()
{
    static const QString name = QStringLiteral("kerbside-form/1");
    return name;
}

QString FormReader::closest(const QString &word, const QStringList &candidates)
{
    QString best;
    int bestDistance = 1000;
    for (const QString &c : candidates) {
        const int d = editDistance(word, c);
        if (d < bestDistance) {
            bestDistance = d;
            best = c;
        }
    }
    // Short words are too easily "close" to anything; allow one edit per three letters, max 3.
    const int allowed = std::clamp(int(word.size()) / 3, 1, 3);
    return bestDistance <= allowed ? best : QString();
}

bool FormReader::isValidName(const QString &name)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z_][A-Za-z0-9_.-]*$"));
    return re.match(name).hasMatch();
}

void FormReader::problem(const QString &path, const QString &message, int column)
{
    FormIssue issue;
    issue.problem.path = path;
    issue.problem.column = column;
    issue.problem.message = message;
    m_issues.append(issue);
}

bool FormReader::read()
{
    if (!readHeader())
        return false;
    checkKeys(m_root, QStringLiteral("$"), kTopKeys, {}, {});
    m_form.title = readText(m_root, QStringLiteral("title"), QStringLiteral("$"), TextKind::Label,
                            true);
    m_form.id = readString(m_root, QStringLiteral("id"), QStringLiteral("$"), true);
    // Stored forms keep the rule they were published under (`Voxpop`, `council.v2` load); the
    // stricter pattern of today (isValidFormId) is applied where a form enters: publish, XLSForm
    // import and `kerbside form check`.
    if (!m_form.id.isNull() && !isLegacyFormId(m_form.id))
        problem(QStringLiteral("$.id"),
                QStringLiteral("invalid id '%1': an id starts with a letter and contains only "
                               "letters, digits, '_', '-' and '.'")
                    .arg(m_form.id.left(80)));
    m_form.version = readString(m_root, QStringLiteral("version"), QStringLiteral("$"), true);
    if (!m_form.version.isNull() && m_form.version.trimmed().isEmpty())
        problem(QStringLiteral("$.version"), QStringLiteral("'version' must not be empty"));
    m_allowChoiceDuplicates = readBool(m_root, QStringLiteral("allow_choice_duplicates"), QStringLiteral("$"));
    readMissingAttachments();
    readChoices();
    const QJsonValue questions = m_root.value(QStringLiteral("questions"));
    if (questions.isUndefined())
        problem(QStringLiteral("$"), QStringLiteral("missing 'questions'"));
    else
        readEntries(questions, QStringLiteral("$.questions"), -1);
    checkMultipleChoiceNames();
    return true;
}

bool FormReader::readHeader()
{
    const QJsonValue format = m_root.value(QStringLiteral("format"));
    static const QRegularExpression versioned(QStringLiteral("^kerbside-form/(\\d+)(\\.\\d+)?$"));
    if (format.isUndefined()) {
        problem(QStringLiteral("$"),
                QStringLiteral("missing 'format'; expected \"%1\"").arg(formatName()));
    } else if (!format.isString()) {
        problem(QStringLiteral("$.format"),
                QStringLiteral("'format' must be the string \"%1\"").arg(formatName()));
    } else if (const auto m = versioned.match(format.toString()); m.hasMatch()) {
        if (m.captured(1) != QLatin1String("1")) {
            // Another major version may mean anything: report only this.
            problem(QStringLiteral("$.format"),
                    QStringLiteral("format \"%1\" is not supported; this version of Kerbside "
                                   "reads \"%2\"")
                        .arg(format.toString(), formatName()));
            return false;
        }
    } else {
        problem(QStringLiteral("$.format"), QStringLiteral("unknown format \"%1\"; expected \"%2\"")
                                                .arg(format.toString(), formatName()));
    }

    const QJsonValue languages = m_root.value(QStringLiteral("languages"));
    bool languagesOk = true;
    QStringList codes;
    if (languages.isUndefined()) {
        problem(QStringLiteral("$"), QStringLiteral("missing 'languages'"));
        languagesOk = false;
    } else if (!languages.isArray()) {
        problem(QStringLiteral("$.languages"),
                QStringLiteral("'languages' must be an array of language codes, e.g. [\"en\"]"));
        languagesOk = false;
    } else {
        const QJsonArray array = languages.toArray();
        if (array.isEmpty()) {
            problem(QStringLiteral("$.languages"),
                    QStringLiteral("'languages' must list at least one language code"));
            languagesOk = false;
        }
        for (qsizetype i = 0; i < array.size(); ++i) {
            const QString path = JsonLineMap::indexPath(QStringLiteral("$.languages"), i);
            const QString code = array.at(i).toString();
            if (!array.at(i).isString() || code.trimmed().isEmpty() || code.contains(QLatin1Char(' '))) {
                problem(path, QStringLiteral("a language code must be a non-empty string without "
                                             "spaces, e.g. \"en\""));
                languagesOk = false;
            } else if (codes.contains(code)) {
                problem(path, QStringLiteral("language '%1' is listed twice").arg(code));
            } else {
                codes << code;
            }
        }
    }

    m_form.defaultLanguage =
        readString(m_root, QStringLiteral("default_language"), QStringLiteral("$"), true);
    if (!m_form.defaultLanguage.isNull() && languagesOk
        && !codes.contains(m_form.defaultLanguage)) {
        problem(QStringLiteral("$.default_language"),
                QStringLiteral("default_language '%1' is not one of languages (%2)")
                    .arg(m_form.defaultLanguage, codes.join(QStringLiteral(", "))));
        languagesOk = false;
    }
    if (m_form.defaultLanguage.isNull())
        languagesOk = false;
    // Plain-string texts belong to the default language; without a usable one, to the first.
    m_textLanguage = languagesOk || codes.isEmpty() ? m_form.defaultLanguage : codes.first();
    if (languagesOk) {
        codes.removeAll(m_form.defaultLanguage);
        codes.prepend(m_form.defaultLanguage);
    }
    m_form.languages = codes;
    m_languagesOk = languagesOk;
    return true;
}

void FormReader::checkKeys(const QJsonObject &obj, const QString &path, const QStringList &allowed,
                           const QStringList &otherKindKeys, const QString &otherKindNote)
{
    for (auto it = obj.constBegin(); it != obj.constEnd(); ++it) {
        const QString key = it.key();
        if (allowed.contains(key))
            continue;
        const QString keyPath = JsonLineMap::childPath(path, key);
        if (otherKindKeys.contains(key)) {
            problem(keyPath, QStringLiteral("'%1' %2").arg(key, otherKindNote));
            continue;
        }
        const QString guess = closest(key, allowed);
        if (guess.isEmpty())
            problem(keyPath, QStringLiteral("unknown key '%1'").arg(key));
        else
            problem(keyPath, QStringLiteral("unknown key '%1'; did you mean '%2'?").arg(key, guess));
    }
}

QString FormReader::readString(const QJsonObject &obj, const QString &key, const QString &path,
                               bool required)
{
    const QJsonValue v = obj.value(key);
    if (v.isUndefined()) {
        if (required)
            problem(path, QStringLiteral("missing '%1'").arg(key));
        return {};
    }
    if (!v.isString()) {
        problem(JsonLineMap::childPath(path, key),
                QStringLiteral("'%1' must be a string, not %2").arg(key, jsonTypeName(v)));
        return {};
    }
    return v.toString();
}

bool FormReader::readBool(const QJsonObject &obj, const QString &key, const QString &path)
{
    const QJsonValue v = obj.value(key);
    if (v.isUndefined())
        return false;
    if (!v.isBool()) {
        problem(JsonLineMap::childPath(path, key),
                QStringLiteral("'%1' must be true or false, not %2").arg(key, jsonTypeName(v)));
        return false;
    }
    return v.toBool();
}

LocalizedText FormReader::readText(const QJsonObject &obj, const QString &key, const QString &path,
                                   TextKind kind, bool required)
{
    LocalizedText text;
    const QJsonValue v = obj.value(key);
    const QString keyPath = JsonLineMap::childPath(path, key);
    if (v.isUndefined()) {
        if (required)
            problem(path, QStringLiteral("missing '%1'").arg(key));
        return text;
    }
    if (v.isString()) {
        if (!m_textLanguage.isEmpty())
            text.texts.insert(m_textLanguage, v.toString());
    } else if (v.isObject()) {
        const QJsonObject o = v.toObject();
        for (auto it = o.constBegin(); it != o.constEnd(); ++it) {
            if (!it.value().isString()) {
                problem(JsonLineMap::childPath(keyPath, it.key()),
                        QStringLiteral("'%1' text in '%2' must be a string, not %3")
                            .arg(key, it.key(), jsonTypeName(it.value())));
                continue;
            }
            if (m_languagesOk && !m_form.languages.contains(it.key())) {
                problem(JsonLineMap::childPath(keyPath, it.key()),
                        QStringLiteral("'%1' has text in '%2', which is not in languages (%3)")
                            .arg(key, it.key(), m_form.languages.join(QStringLiteral(", "))));
                continue;
            }
            text.texts.insert(it.key(), it.value().toString());
        }
    } else {
        problem(keyPath, QStringLiteral("'%1' must be a string or an object of language -> text, "
                                        "not %2")
                             .arg(key, jsonTypeName(v)));
        return text;
    }
    if (!m_languagesOk)
        return text;
    const QStringList needed = kind == TextKind::Label ? m_form.languages
                                                       : QStringList{m_form.defaultLanguage};
    for (const QString &lang : needed) {
        if (!text.has(lang) || text.texts.value(lang).trimmed().isEmpty()) {
            if (kind == TextKind::Label)
                problem(keyPath, QStringLiteral("'%1' has no text in '%2'").arg(key, lang));
            else
                problem(keyPath, QStringLiteral("'%1' has no text in the default language '%2'")
                                     .arg(key, lang));
        }
    }
    return text;
}

Expression FormReader::readExpression(const QJsonObject &obj, const QString &key,
                                      const QString &path, bool allowCurrent)
{
    const QJsonValue v = obj.value(key);
    if (v.isUndefined())
        return {};
    const QString keyPath = JsonLineMap::childPath(path, key);
    if (!v.isString()) {
        problem(keyPath, QStringLiteral("'%1' must be an expression string, not %2")
                             .arg(key, jsonTypeName(v)));
        return {};
    }
    const Expression e = Expression::parse(v.toString());
    if (!e.isValid()) {
        problem(keyPath,
                QStringLiteral("syntax error at column %1: %2").arg(e.errorColumn()).arg(e.errorMessage()),
                e.errorColumn());
    } else if (e.usesCurrentValue() && !allowCurrent) {
        problem(keyPath, QStringLiteral("'.' (the current answer) may only be used in 'constraint'"));
    }
    return e;
}

void FormReader::checkName(const QString &name, const QString &path)
{
    if (!name.isNull() && !isValidName(name)) {
        problem(JsonLineMap::childPath(path, QStringLiteral("name")),
                QStringLiteral("invalid name '%1': a name starts with a letter or '_' and "
                               "contains only letters, digits, '_', '-' and '.'")
                    .arg(name));
    }
}

// "missing_attachments": {"regions.csv": "regions_csv"}: a select_one_from_file's file that the
// import did not find, and the (empty) list that stands in for its rows until it is given.
void FormReader::readMissingAttachments()
{
    const QJsonValue v = m_root.value(QStringLiteral("missing_attachments"));
    if (v.isUndefined())
        return;
    const QString path = QStringLiteral("$.missing_attachments");
    if (!v.isObject()) {
        problem(path, QStringLiteral("'missing_attachments' must be an object of file name -> list name"));
        return;
    }
    const QJsonObject files = v.toObject();
    const QJsonObject lists = m_root.value(QStringLiteral("choices")).toObject();
    for (auto it = files.constBegin(); it != files.constEnd(); ++it) {
        const QString filePath = JsonLineMap::childPath(path, it.key());
        const QString list = it.value().toString();
        if (it.key().isEmpty() || it.key().size() > 255 || it.key().contains(QLatin1Char('/'))
            || it.key().contains(QLatin1Char('\\'))) {
            problem(filePath, QStringLiteral("'%1' is not a plain file name").arg(it.key().left(80)));
        } else if (!it.value().isString() || !lists.value(list).isArray() || !lists.value(list).toArray().isEmpty()) {
            problem(filePath, QStringLiteral("the attachment '%1' must name an empty list of 'choices' that stands in "
                                             "for its rows")
                                  .arg(it.key()));
        } else {
            m_attachmentLists.insert(list);
        }
    }
}

void FormReader::readChoices()
{
    const QJsonValue v = m_root.value(QStringLiteral("choices"));
    if (v.isUndefined())
        return;
    if (!v.isObject()) {
        problem(QStringLiteral("$.choices"),
                QStringLiteral("'choices' must be an object of list name -> array of choices"));
        return;
    }
    const QJsonObject lists = v.toObject();
    for (auto it = lists.constBegin(); it != lists.constEnd(); ++it) {
        const QString listPath = JsonLineMap::childPath(QStringLiteral("$.choices"), it.key());
        if (!isValidName(it.key())) {
            problem(listPath, QStringLiteral("invalid list name '%1': a name starts with a letter "
                                             "or '_' and contains only letters, digits, '_', '-' "
                                             "and '.'")
                                  .arg(it.key()));
        } else if (it.key() == QLatin1String("_consent")) {
            problem(listPath, QStringLiteral("list name '_consent' is reserved for the built-in "
                                             "consent choices"));
        }
        if (!it.value().isArray()) {
            problem(listPath, QStringLiteral("choice list '%1' must be an array of choices, not %2")
                                  .arg(it.key(), jsonTypeName(it.value())));
            continue;
        }
        const QJsonArray array = it.value().toArray();
        // Empty only while it stands in for an attachment the import did not find.
        if (array.isEmpty() && !m_attachmentLists.contains(it.key()))
            problem(listPath, QStringLiteral("choice list '%1' is empty").arg(it.key()));
        ChoiceList list;
        list.name = it.key();
        QHash<QString, QString> firstPath; // choice name -> where it was first used
        for (qsizetype i = 0; i < array.size(); ++i) {
            const QString path = JsonLineMap::indexPath(listPath, i);
            if (!array.at(i).isObject()) {
                problem(path, QStringLiteral("a choice must be an object with 'name' and 'label', "
                                             "not %1")
                                  .arg(jsonTypeName(array.at(i))));
                continue;
            }
            const QJsonObject o = array.at(i).toObject();
            Choice choice;
            choice.name = readString(o, QStringLiteral("name"), path, true);
            choice.label = readText(o, QStringLiteral("label"), path, TextKind::Label, true);
            const QString namePath = JsonLineMap::childPath(path, QStringLiteral("name"));
            if (!choice.name.isNull() && choice.name.isEmpty()) {
                problem(namePath, QStringLiteral("choice name must not be empty"));
            } else if (!choice.name.isNull() && !m_allowChoiceDuplicates) {
                if (const auto first = firstPath.constFind(choice.name);
                    first != firstPath.constEnd()) {
                    FormIssue issue;
                    issue.problem.path = namePath;
                    issue.problem.message =
                        QStringLiteral("duplicate choice name '%1' in list '%2'; first used at %3")
                            .arg(choice.name, list.name, *first);
                    issue.relatedPath = *first;
                    m_issues.append(issue);
                } else {
                    firstPath.insert(choice.name, path);
                }
            }
            if (const QJsonValue m = o.value(QStringLiteral("missing")); !m.isUndefined()) {
                if (m.isBool())
                    choice.missing = m.toBool();
                else
                    problem(JsonLineMap::childPath(path, QStringLiteral("missing")),
                            QStringLiteral("'missing' must be true or false, not %1").arg(jsonTypeName(m)));
            }
            for (auto col = o.constBegin(); col != o.constEnd(); ++col) {
                if (kChoiceKeys.contains(col.key()))
                    continue;
                const QJsonValue c = col.value();
                if (c.isString())
                    choice.properties.insert(col.key(), c.toString());
                else if (c.isDouble())
                    choice.properties.insert(col.key(), QString::number(c.toDouble(), 'g', 17));
                else if (c.isBool())
                    choice.properties.insert(col.key(), c.toBool() ? QStringLiteral("true")
                                                                   : QStringLiteral("false"));
                else
                    problem(JsonLineMap::childPath(path, col.key()),
                            QStringLiteral("extra column '%1' must be a string, number or boolean, "
                                           "not %2")
                                .arg(col.key(), jsonTypeName(c)));
            }
            list.choices.append(choice);
        }
        m_form.choiceLists.insert(list.name, list);
    }
}

void FormReader::checkMultipleChoiceNames()
{
    static const QRegularExpression space(QStringLiteral("\\s"));
    QSet<QString> checked;
    for (const Question &q : std::as_const(m_form.questions)) {
        if ((q.type != QuestionType::SelectMultiple && q.type != QuestionType::Rank) || checked.contains(q.choiceList))
            continue;
        checked.insert(q.choiceList);
        const auto list = m_form.choiceLists.constFind(q.choiceList);
        if (list == m_form.choiceLists.constEnd())
            continue;
        const QString listPath = JsonLineMap::childPath(QStringLiteral("$.choices"), list->name);
        for (qsizetype i = 0; i < list->choices.size(); ++i) {
            if (list->choices[i].name.contains(space))
                problem(JsonLineMap::childPath(JsonLineMap::indexPath(listPath, i), QStringLiteral("name")),
                        QStringLiteral("choice name '%1' contains a space; select_multiple (%2 uses list '%3') "
                                       "stores choices separated by spaces")
                            .arg(list->choices[i].name, q.name, list->name));
        }
    }
}

void FormReader::readEntries(const QJsonValue &value, const QString &path, int group)
{
    if (!value.isArray()) {
        problem(path, QStringLiteral("'questions' must be an array, not %1").arg(jsonTypeName(value)));
        return;
    }
    const QJsonArray array = value.toArray();
    if (array.isEmpty())
        problem(path, QStringLiteral("'questions' is empty"));
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QString entryPath = JsonLineMap::indexPath(path, i);
        if (!array.at(i).isObject()) {
            problem(entryPath, QStringLiteral("a question must be an object, not %1")
                                   .arg(jsonTypeName(array.at(i))));
            continue;
        }
        const QJsonObject obj = array.at(i).toObject();
        const QJsonValue type = obj.value(QStringLiteral("type"));
        if (type == QLatin1String("group") || type == QLatin1String("repeat"))
            readGroup(obj, entryPath, group);
        else
            readQuestion(obj, entryPath, group);
    }
}

void FormReader::readGroup(const QJsonObject &obj, const QString &path, int parent)
{
    checkKeys(obj, path, kGroupKeys, kQuestionKeys,
              QStringLiteral("applies to questions, not groups"));
    Group g;
    g.name = readString(obj, QStringLiteral("name"), path, true);
    checkName(g.name, path);
    g.label = readText(obj, QStringLiteral("label"), path, TextKind::Label, false);
    g.relevant = readExpression(obj, QStringLiteral("relevant"), path, false);
    g.onePage = readBool(obj, QStringLiteral("page"), path);
    g.parent = parent;
    g.jsonPath = path;
    g.repeat = obj.value(QStringLiteral("type")) == QLatin1String("repeat");
    readRepeat(obj, path, &g);
    m_form.groups.append(g);
    const int index = int(m_form.groups.size() - 1);
    const QJsonValue children = obj.value(QStringLiteral("questions"));
    if (children.isUndefined())
        problem(path, QStringLiteral("missing 'questions'"));
    else
        readEntries(children, JsonLineMap::childPath(path, QStringLiteral("questions")), index);
}

void FormReader::readRepeat(const QJsonObject &obj, const QString &path, Group *g)
{
    const QString countKey = QStringLiteral("repeat_count");
    const QJsonValue count = obj.value(countKey);
    const QString countPath = JsonLineMap::childPath(path, countKey);
    if (!g->repeat) {
        if (!count.isUndefined())
            problem(countPath, QStringLiteral("'repeat_count' applies only to repeats (\"type\": \"repeat\")"));
        return;
    }
    if (g->onePage)
        problem(JsonLineMap::childPath(path, QStringLiteral("page")),
                QStringLiteral("a repeat cannot be one page; put a group with \"page\": true inside it"));
    int depth = 1;
    for (int p = g->parent; p >= 0; p = m_form.groups[p].parent) {
        if (m_form.groups[p].onePage)
            problem(path, QStringLiteral("a repeat cannot be inside a one-page group ('%1')").arg(m_form.groups[p].name));
        depth += m_form.groups[p].repeat ? 1 : 0;
    }
    if (depth > kMaxRepeatDepth)
        problem(path, QStringLiteral("repeats nest %1 deep; at most %2 are allowed").arg(depth).arg(kMaxRepeatDepth));
    if (count.isDouble()) {
        const double n = count.toDouble();
        if (n != std::floor(n) || n < 0 || n > kMaxRepeatInstances)
            problem(countPath, QStringLiteral("'repeat_count' must be a whole number from 0 to %1").arg(kMaxRepeatInstances));
        else
            g->repeatCount = Expression::parse(QString::number(int(n)));
    } else if (!count.isUndefined()) {
        g->repeatCount = readExpression(obj, countKey, path, false);
    }
}

void FormReader::readQuestionType(const QJsonObject &obj, const QString &path, QuestionType *type,
                                  bool *known)
{
    *known = false;
    const QString name = readString(obj, QStringLiteral("type"), path, true);
    if (name.isNull())
        return;
    if (questionTypeFromName(name, type)) {
        *known = true;
        return;
    }
    const QString guess = closest(name, allTypeNames());
    const QString typePath = JsonLineMap::childPath(path, QStringLiteral("type"));
    if (guess.isEmpty())
        problem(typePath, QStringLiteral("unknown type '%1'; types are %2").arg(name, typeList()));
    else
        problem(typePath, QStringLiteral("unknown type '%1' (did you mean '%2'?); types are %3")
                              .arg(name, guess, typeList()));
}

void FormReader::readQuestion(const QJsonObject &obj, const QString &path, int group)
{
    Question q;
    bool known = false;
    readQuestionType(obj, path, &q.type, &known);
    checkKeys(obj, path, kQuestionKeys, {QStringLiteral("page"), QStringLiteral("questions")},
              QStringLiteral("applies to groups (\"type\": \"group\"), not questions"));
    q.name = readString(obj, QStringLiteral("name"), path, true);
    checkName(q.name, path);
    q.group = group;
    q.jsonPath = path;
    q.label = readText(obj, QStringLiteral("label"), path, TextKind::Label,
                       known && q.type != QuestionType::Calculate);
    q.hint = readText(obj, QStringLiteral("hint"), path, TextKind::Message, false);
    q.relevant = readExpression(obj, QStringLiteral("relevant"), path, false);
    q.appearance = readString(obj, QStringLiteral("appearance"), path, false);
    q.sensitive = readBool(obj, QStringLiteral("sensitive"), path);
    q.renamedFrom = readString(obj, QStringLiteral("renamed_from"), path, false);
    if (!known) {
        // Without a type the per-type rules cannot be applied; still catch syntax errors.
        for (const QString &key : {QStringLiteral("constraint"), QStringLiteral("calculation"),
                                   QStringLiteral("choice_filter")})
            readExpression(obj, key, path, key == QLatin1String("constraint"));
        m_form.questions.append(q);
        return;
    }
    const QString typeName = questionTypeName(q.type);
    auto notFor = [&](const QString &key, const QString &which) {
        if (obj.contains(key))
            problem(JsonLineMap::childPath(path, key),
                    QStringLiteral("'%1' applies only to %2, not to %3").arg(key, which, typeName));
    };
    if (isInputType(q.type)) {
        readInputKeys(obj, path, q);
    } else {
        for (const QString &key : kInputOnlyKeys)
            notFor(key, QStringLiteral("questions that take an answer"));
    }

    const bool isSelect = isChoiceType(q.type);
    if (isSelect || q.type == QuestionType::Consent) {
        q.choiceList = readString(obj, QStringLiteral("choices"), path, false);
        if (q.choiceList.isNull() && isSelect)
            problem(path, QStringLiteral("%1 needs 'choices' naming a list from the top-level "
                                         "'choices'")
                              .arg(typeName));
        if (q.choiceList.isNull() && q.type == QuestionType::Consent)
            q.choiceList = QStringLiteral("_consent");
    } else {
        notFor(QStringLiteral("choices"), QStringLiteral("select_one, select_multiple, rank and consent"));
    }
    if (isSelect)
        q.choiceFilter = readExpression(obj, QStringLiteral("choice_filter"), path, false);
    else
        notFor(QStringLiteral("choice_filter"), QStringLiteral("select_one, select_multiple and rank"));

    if (q.type == QuestionType::Geopoint && obj.contains(QStringLiteral("accuracy"))) {
        const QJsonValue a = obj.value(QStringLiteral("accuracy"));
        if (!a.isDouble() || !std::isfinite(a.toDouble()) || a.toDouble() < 0)
            problem(JsonLineMap::childPath(path, QStringLiteral("accuracy")),
                    QStringLiteral("'accuracy' must be a number of metres, 0 or more"));
        else
            q.accuracyThreshold = a.toDouble();
    } else {
        notFor(QStringLiteral("accuracy"), QStringLiteral("geopoint"));
    }

    if (q.type == QuestionType::Calculate || (isInputType(q.type) && q.readOnly)) {
        q.calculation = readExpression(obj, QStringLiteral("calculation"), path, false);
        if (q.type == QuestionType::Calculate && !obj.contains(QStringLiteral("calculation")))
            problem(path, QStringLiteral("missing 'calculation'"));
    } else if (obj.contains(QStringLiteral("calculation"))) {
        problem(JsonLineMap::childPath(path, QStringLiteral("calculation")),
                isInputType(q.type)
                    ? QStringLiteral("'calculation' on a %1 question needs \"read_only\": true "
                                     "(or use a calculate question)")
                          .arg(typeName)
                    : QStringLiteral("'calculation' applies only to calculate and read-only "
                                     "questions, not to %1")
                          .arg(typeName));
    }
    m_form.questions.append(q);
}

void FormReader::readInputKeys(const QJsonObject &obj, const QString &path, Question &q)
{
    const QJsonValue required = obj.value(QStringLiteral("required"));
    if (required.isBool())
        q.requiredAlways = required.toBool();
    else if (required.isString())
        q.required = readExpression(obj, QStringLiteral("required"), path, false);
    else if (!required.isUndefined())
        problem(JsonLineMap::childPath(path, QStringLiteral("required")),
                QStringLiteral("'required' must be true, false or an expression string, not %1")
                    .arg(jsonTypeName(required)));
    q.requiredMessage =
        readText(obj, QStringLiteral("required_message"), path, TextKind::Message, false);
    q.constraint = readExpression(obj, QStringLiteral("constraint"), path, true);
    q.constraintMessage =
        readText(obj, QStringLiteral("constraint_message"), path, TextKind::Message, false);
    q.readOnly = readBool(obj, QStringLiteral("read_only"), path);
    const QJsonValue def = obj.value(QStringLiteral("default"));
    if (!def.isUndefined())
        readDefault(def, JsonLineMap::childPath(path, QStringLiteral("default")), q);
}

void FormReader::readDefault(const QJsonValue &value, const QString &path, Question &q)
{
    if (!value.isString()) {
        problem(path, QStringLiteral("'default' must be a string (a literal like \"3\" or an "
                                     "expression like \"=today()\"), not %1")
                          .arg(jsonTypeName(value)));
        return;
    }
    const QString text = value.toString();
    if (!text.startsWith(QLatin1Char('='))) {
        q.defaultLiteral = text;
        q.defaultValue = Expression::parse(quoteLiteral(text));
        bool ok = true;
        if (q.type == QuestionType::Integer)
            text.toLongLong(&ok);
        if (ok && q.type == QuestionType::Decimal)
            text.toDouble(&ok);
        if (!ok)
            problem(path, QStringLiteral("default '%1' is not %2")
                              .arg(text, q.type == QuestionType::Integer
                                             ? QStringLiteral("an integer")
                                             : QStringLiteral("a number")));
        return; // a select's literal is checked against its list once lists are known
    }
    const Expression e = Expression::parse(text.mid(1));
    if (!e.isValid()) {
        // +1: the column counts the '=' as written in the form
        problem(path,
                QStringLiteral("syntax error at column %1: %2").arg(e.errorColumn() + 1).arg(e.errorMessage()),
                e.errorColumn() + 1);
    } else if (e.usesCurrentValue()) {
        problem(path, QStringLiteral("'.' (the current answer) may only be used in 'constraint'"));
    }
    q.defaultValue = e;
}

} // namespace kerbside
