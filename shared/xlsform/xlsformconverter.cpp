// SPDX-License-Identifier: Apache-2.0
#include "xlsformconverter.h"

#include "xlsformtype.h"

#include "form/formloader.h"
#include "form/formreader.h"
#include "form/jsonlinemap.h"

#include <QRegularExpression>

#include <algorithm>
#include <optional>

namespace kerbside {

namespace {

using Kind = XlsFormColumns::SheetKind;

// Rows after this many adjacent empty rows are ignored, as pyxform does.
constexpr int kMaxBlankRows = 20;

bool isInput(const QString &type)
{
    return type != u"note" && type != u"calculate";
}

// yes/true/TRUE/true() and the no forms; anything else is an expression.
std::optional<bool> yesNo(const QString &text)
{
    const QString t = text.trimmed().toLower();
    if (t == u"yes" || t == u"true" || t == u"true()")
        return true;
    if (t == u"no" || t == u"false" || t == u"false()")
        return false;
    return std::nullopt;
}

bool sameSheetName(const QString &name, const char *wanted)
{
    return name.trimmed().compare(QLatin1String(wanted), Qt::CaseInsensitive) == 0;
}

const QRegularExpression &referencePattern()
{
    static const QRegularExpression re(QStringLiteral("\\$\\{\\s*([^}\\s]*)\\s*\\}"));
    return re;
}

} // namespace

XlsFormConverter::XlsFormConverter(const QList<XlsxSheet> &sheets, const QString &formName)
    : m_sheets(sheets), m_formName(formName)
{ }

void XlsFormConverter::run()
{
    findSheets();
    if (!m_survey)
        return;
    m_surveyColumns.parse(*m_survey, Kind::Survey);
    if (m_choices)
        m_choicesColumns.parse(*m_choices, Kind::Choices);
    if (m_settings)
        m_settingsColumns.parse(*m_settings, Kind::Settings);
    // Two columns for the same thing: which one is meant is anyone's guess (pyxform refuses too).
    for (const auto &[sheet, columns] :
         {std::pair {m_survey, &m_surveyColumns}, std::pair {m_choices, &m_choicesColumns},
          std::pair {m_settings, &m_settingsColumns}}) {
        if (!sheet)
            continue;
        for (const XlsFormColumns::Column &c : columns->columns()) {
            const XlsFormColumns::Column *first = columns->find(c.key, c.language);
            if (c.known && first && first->index != c.index)
                problem(sheet, columns->headerRow(), c.heading,
                        QStringLiteral("column %1 repeats column %2 ('%3')")
                            .arg(XlsxSheet::columnName(c.index), XlsxSheet::columnName(first->index),
                                 first->heading));
        }
    }
    readLanguages();
    readSettings();
    readChoices();
    readSurvey();
    validate();
}

QList<XlsFormProblem> XlsFormConverter::problems() const
{
    auto order = [this](const XlsFormProblem &p) {
        if (p.sheet.isEmpty())
            return 0;
        if (m_survey && p.sheet == m_survey->name)
            return 1;
        if (m_choices && p.sheet == m_choices->name)
            return 2;
        return 3;
    };
    QList<XlsFormProblem> sorted = m_problems;
    std::stable_sort(sorted.begin(), sorted.end(), [&](const XlsFormProblem &a, const XlsFormProblem &b) {
        return std::pair(order(a), a.row) < std::pair(order(b), b.row);
    });
    return sorted;
}

void XlsFormConverter::problem(const XlsxSheet *sheet, int row, const QString &column, const QString &message,
                               bool structural)
{
    XlsFormProblem p;
    p.sheet = sheet ? sheet->name : QString();
    p.row = row;
    p.column = column;
    p.message = message;
    if (!m_problems.contains(p))
        m_problems.append(p);
    if (sheet && structural)
        m_problemRows.insert({sheet->name, row});
}

void XlsFormConverter::findSheets()
{
    for (const XlsxSheet &s : std::as_const(m_sheets)) {
        if (!m_survey && sameSheetName(s.name, "survey"))
            m_survey = &s;
        else if (!m_choices && sameSheetName(s.name, "choices"))
            m_choices = &s;
        else if (!m_settings && sameSheetName(s.name, "settings"))
            m_settings = &s;
    }
    // pyxform reads a workbook whose only sheet is unnamed ("Sheet1") as the survey.
    if (!m_survey && m_sheets.size() == 1)
        m_survey = &std::as_const(m_sheets).first(); // const: no detach, pointers stay valid
    if (!m_survey) {
        QStringList names;
        for (const XlsxSheet &s : std::as_const(m_sheets))
            names << QLatin1Char('\'') + s.name + QLatin1Char('\'');
        problem(nullptr, 0, {},
                QStringLiteral("the workbook has no 'survey' sheet (its sheets are %1)")
                    .arg(names.isEmpty() ? QStringLiteral("none") : names.join(QStringLiteral(", "))));
    }
}

void XlsFormConverter::readLanguages()
{
    // Languages are those that a translated column names, in column order, survey first.
    QStringList codes;
    auto add = [&codes](const QStringList &more) {
        for (const QString &code : more) {
            if (!codes.contains(code, Qt::CaseInsensitive))
                codes << code;
        }
    };
    add(m_surveyColumns.languages());
    add(m_choicesColumns.languages());

    bool untagged = false; // a label/hint/message column with no ::language
    for (const XlsFormColumns *cols : {&m_surveyColumns, &m_choicesColumns}) {
        for (const XlsFormColumns::Column &c : cols->columns()) {
            if (c.known && !c.translated && XlsFormColumns::isTranslatable(c.key))
                untagged = true;
        }
    }

    // The settings sheet has one header row and one row of values.
    QString wanted;
    if (m_settings && m_settingsColumns.headerRow()) {
        const QList<int> rows = dataRows(*m_settings, m_settingsColumns);
        if (!rows.isEmpty()) {
            m_settingsRow = rows.first();
            wanted = value(*m_settings, m_settingsColumns, m_settingsRow, QStringLiteral("default_language"));
        }
    }
    QString def;
    if (!wanted.isEmpty()) {
        def = XlsFormColumns::languageCode(wanted);
        for (const QString &code : std::as_const(codes)) {
            if (code.compare(def, Qt::CaseInsensitive) == 0)
                def = code;
        }
        // A default_language that no column has only names the untagged columns' language.
        if (!codes.contains(def) && !untagged && !codes.isEmpty())
            def = codes.first();
    } else if (untagged || codes.isEmpty()) {
        def = QStringLiteral("en"); // untagged columns with nothing saying otherwise: English
    } else {
        def = codes.first();
    }
    m_defaultLanguage = def;
    m_languages = QStringList {def};
    for (const QString &code : std::as_const(codes)) {
        if (code != def)
            m_languages << code;
    }
}

void XlsFormConverter::readSettings()
{
    QString id = m_formName;
    QString title;
    QString version = QStringLiteral("1"); // XLSForm's version is optional; Kerbside needs one
    if (m_settings && m_settingsRow) {
        const QString given = value(*m_settings, m_settingsColumns, m_settingsRow, QStringLiteral("form_id"));
        if (!given.isEmpty()) {
            id = given;
            m_sources.insert(
                QStringLiteral("$.id"),
                {m_settings, m_settingsRow, heading(m_settingsColumns, QStringLiteral("form_id"))});
        }
        title = value(*m_settings, m_settingsColumns, m_settingsRow, QStringLiteral("form_title"));
        if (!title.isEmpty())
            m_sources.insert(
                QStringLiteral("$.title"),
                {m_settings, m_settingsRow, heading(m_settingsColumns, QStringLiteral("form_title"))});
        const QString v = value(*m_settings, m_settingsColumns, m_settingsRow, QStringLiteral("version"));
        if (!v.isEmpty()) {
            version = v; // as written: an Excel number such as 44662.6850575292 keeps its digits
            m_sources.insert(
                QStringLiteral("$.version"),
                {m_settings, m_settingsRow, heading(m_settingsColumns, QStringLiteral("version"))});
        }
        if (m_settingsColumns.has(QStringLiteral("default_language")))
            m_sources.insert(
                QStringLiteral("$.default_language"),
                {m_settings, m_settingsRow, heading(m_settingsColumns, QStringLiteral("default_language"))});
    }
    if (id == m_formName) {
        // The file name stands in for form_id: make it a valid id rather than fail on it.
        static const QRegularExpression bad(QStringLiteral("[^A-Za-z0-9_.-]"));
        id.replace(bad, QStringLiteral("_"));
        if (id.isEmpty() || !id.at(0).isLetter())
            id.prepend(QStringLiteral("form_"));
    }
    if (title.isEmpty())
        title = id;
    m_form.insert(QStringLiteral("format"), FormReader::formatName());
    m_form.insert(QStringLiteral("id"), id);
    m_form.insert(QStringLiteral("version"), version);
    m_form.insert(QStringLiteral("title"), everyLanguage(title));
    m_form.insert(QStringLiteral("default_language"), m_defaultLanguage);
    m_form.insert(QStringLiteral("languages"), QJsonArray::fromStringList(m_languages));
    m_sources.insert(QStringLiteral("$.languages"), {m_survey, m_surveyColumns.headerRow(), {}});
}

void XlsFormConverter::readChoices()
{
    if (!m_choices || !m_choicesColumns.headerRow())
        return;
    const int header = m_choicesColumns.headerRow();
    bool missing = false;
    for (const char *key : {"list_name", "name"}) {
        if (!m_choicesColumns.has(QLatin1String(key))) {
            problem(m_choices, header, {},
                    QStringLiteral("the choices sheet has no '%1' column").arg(QLatin1String(key)));
            missing = true;
        }
    }
    if (missing)
        return;
    const bool duplicatesAllowed = m_settings && m_settingsRow
        && yesNo(value(*m_settings, m_settingsColumns, m_settingsRow,
                       QStringLiteral("allow_choice_duplicates")))
               .value_or(false);
    QHash<QString, QHash<QString, int>> nameRows; // list -> choice name -> row
    for (int row : dataRows(*m_choices, m_choicesColumns)) {
        const QString list = value(*m_choices, m_choicesColumns, row, QStringLiteral("list_name"));
        const QString name = value(*m_choices, m_choicesColumns, row, QStringLiteral("name"));
        if (list.isEmpty() && name.isEmpty())
            continue; // a comment or a spacer row
        if (list.isEmpty()) {
            problem(m_choices, row, heading(m_choicesColumns, QStringLiteral("list_name")),
                    QStringLiteral("choice '%1' has no list name").arg(name));
            continue;
        }
        if (name.isEmpty()) {
            problem(m_choices, row, heading(m_choicesColumns, QStringLiteral("name")),
                    QStringLiteral("a choice of list '%1' has no name").arg(list));
            continue;
        }
        if (const int first = nameRows[list].value(name); first > 0) {
            problem(m_choices, row, heading(m_choicesColumns, QStringLiteral("name")),
                    QStringLiteral("duplicate choice name '%1' in list '%2' (first on row %3); "
                                   "Kerbside needs the names in a list to be unique%4")
                        .arg(name, list)
                        .arg(first)
                        .arg(duplicatesAllowed ? QStringLiteral(" (allow_choice_duplicates is not supported)")
                                               : QString()));
            continue;
        }
        nameRows[list].insert(name, row);
        QJsonObject choice;
        QList<std::pair<QString, QString>> columns;
        choice.insert(QStringLiteral("name"), name);
        columns.append({QStringLiteral("name"), heading(m_choicesColumns, QStringLiteral("name"))});
        readText(*m_choices, m_choicesColumns, row, QStringLiteral("label"), choice, columns);
        for (const XlsFormColumns::Column &c : m_choicesColumns.columns()) {
            if (c.known || XlsFormColumns::isTranslatable(c.key))
                continue; // list_name, name, label; media
            const QString extra = m_choices->cell(row, c.index).trimmed();
            if (c.key == QLatin1String("missing")) { // yes: a "no answer" choice (exports declare it missing)
                const QString v = extra.toLower();
                if (v == QLatin1String("yes") || v == QLatin1String("true") || v == QLatin1String("1")) {
                    choice.insert(c.key, true);
                    columns.append({c.key, c.heading});
                } else if (!v.isEmpty() && v != QLatin1String("no") && v != QLatin1String("false") && v != QLatin1String("0")) {
                    problem(m_choices, row, c.heading, QStringLiteral("missing must be yes or no, not '%1'").arg(extra), false);
                }
                continue;
            }
            if (!extra.isEmpty()) {
                choice.insert(c.key, extra);
                columns.append({c.key, c.heading});
            }
        }
        if (!m_choiceLists.contains(list))
            m_choiceListRow.insert(list, row);
        QJsonArray &array = m_choiceLists[list];
        const QString path
            = JsonLineMap::indexPath(JsonLineMap::childPath(QStringLiteral("$.choices"), list), array.size());
        m_sources.insert(path, {m_choices, row, {}});
        for (const auto &[key, column] : columns)
            m_sources.insert(path + QLatin1Char('.') + key, {m_choices, row, column});
        array.append(choice);
    }
    for (auto it = m_choiceListRow.constBegin(); it != m_choiceListRow.constEnd(); ++it)
        m_sources.insert(JsonLineMap::childPath(QStringLiteral("$.choices"), it.key()),
                         {m_choices, it.value(), heading(m_choicesColumns, QStringLiteral("list_name"))});
}

void XlsFormConverter::readSurvey()
{
    const int header = m_surveyColumns.headerRow();
    if (!header) {
        problem(m_survey, 0, {}, QStringLiteral("the survey sheet is empty"));
        return;
    }
    bool missing = false;
    for (const char *key : {"type", "name"}) {
        if (!m_surveyColumns.has(QLatin1String(key))) {
            problem(m_survey, header, {},
                    QStringLiteral("the survey sheet has no '%1' column").arg(QLatin1String(key)));
            missing = true;
        }
    }
    if (missing)
        return;

    const QList<int> rows = dataRows(*m_survey, m_surveyColumns);
    // Every ${name} in the survey, so metadata rows are kept (as calculates) only when used.
    for (int row : rows) {
        for (const QString &text : m_survey->rows.value(row)) {
            auto it = referencePattern().globalMatch(text);
            while (it.hasNext())
                m_referenced.insert(it.next().captured(1));
        }
    }

    m_stack.clear();
    m_stack.append(Frame {});
    for (int row : rows)
        readSurveyRow(row);
    while (m_stack.size() > 1) {
        const Frame &open = m_stack.last();
        problem(m_survey, open.entry.row, heading(m_surveyColumns, QStringLiteral("type")),
                QStringLiteral("'begin %1' has no matching 'end %1'").arg(open.kind));
        closeFrame(open.entry.row);
    }
    if (m_stack.first().entry.children.isEmpty() && m_problems.isEmpty())
        problem(m_survey, 0, {}, QStringLiteral("the survey sheet has no questions"));
    checkLabelReferences();

    QJsonObject choices;
    for (auto it = m_orOtherLists.constBegin(); it != m_orOtherLists.constEnd(); ++it) {
        QJsonArray &list = m_choiceLists[it.key()];
        bool has = false;
        for (const QJsonValue &c : std::as_const(list))
            has = has || c.toObject().value(QStringLiteral("name")) == QLatin1String("other");
        if (has)
            continue;
        // pyxform's or_other: an "other" choice, labelled "Other" in every language.
        const QString path = JsonLineMap::indexPath(
            JsonLineMap::childPath(QStringLiteral("$.choices"), it.key()), list.size());
        m_sources.insert(path, {m_survey, it.value(), heading(m_surveyColumns, QStringLiteral("type"))});
        list.append(QJsonObject {{QStringLiteral("name"), QStringLiteral("other")},
                                 {QStringLiteral("label"), everyLanguage(QStringLiteral("Other"))}});
    }
    for (auto it = m_choiceLists.constBegin(); it != m_choiceLists.constEnd(); ++it)
        choices.insert(it.key(), it.value());
    if (!choices.isEmpty())
        m_form.insert(QStringLiteral("choices"), choices);
    m_form.insert(QStringLiteral("questions"),
                  serialize(m_stack.first().entry.children, QStringLiteral("$.questions")));
}

void XlsFormConverter::readSurveyRow(int row)
{
    const XlsxSheet &sheet = *m_survey;
    const QString typeColumn = heading(m_surveyColumns, QStringLiteral("type"));
    const QString nameColumn = heading(m_surveyColumns, QStringLiteral("name"));
    const XlsFormType t = XlsFormType::parse(value(sheet, m_surveyColumns, row, QStringLiteral("type")));
    const QString name = value(sheet, m_surveyColumns, row, QStringLiteral("name"));

    if (t.text.isEmpty()) {
        // pyxform: a row with neither type nor name nor label is a comment.
        bool hasLabel = false;
        for (const XlsFormColumns::Column &c : m_surveyColumns.columns())
            hasLabel = hasLabel || (c.key == u"label" && !sheet.cell(row, c.index).trimmed().isEmpty());
        if (!name.isEmpty() || hasLabel)
            problem(m_survey, row, typeColumn,
                    name.isEmpty() ? QStringLiteral("the row has a label but no type")
                                   : QStringLiteral("'%1' has no type").arg(name));
        return;
    }

    if (t.kind == XlsFormType::Kind::EndGroup || t.kind == XlsFormType::Kind::EndRepeat) {
        const QString kind
            = t.kind == XlsFormType::Kind::EndGroup ? QStringLiteral("group") : QStringLiteral("repeat");
        if (m_stack.size() < 2) {
            problem(m_survey, row, typeColumn,
                    QStringLiteral("'end %1' without a matching 'begin %1'").arg(kind));
        } else if (m_stack.last().kind != kind) {
            problem(m_survey, row, typeColumn,
                    QStringLiteral("'end %1' closes the 'begin %2' of row %3")
                        .arg(kind, m_stack.last().kind)
                        .arg(m_stack.last().entry.row));
            closeFrame(row);
        } else {
            closeFrame(row);
        }
        return;
    }

    // Names: every row below needs one, unique across questions and groups.
    if (name.isEmpty()) {
        problem(m_survey, row, nameColumn, QStringLiteral("'%1' has no name").arg(t.text));
        return;
    }
    if (const int first = m_nameRows.value(name); first > 0) {
        problem(m_survey, row, nameColumn,
                QStringLiteral("duplicate name '%1' (first used on row %2)").arg(name).arg(first));
        return;
    }
    m_nameRows.insert(name, row);

    Entry e;
    e.row = row;
    e.obj.insert(QStringLiteral("name"), name);
    e.columns.append({QStringLiteral("name"), nameColumn});
    e.columns.append({QStringLiteral("type"), typeColumn});
    auto text = [&](const char *key) {
        readText(sheet, m_surveyColumns, row, QLatin1String(key), e.obj, e.columns);
    };
    auto plain = [&](const char *key) {
        const QString v = value(sheet, m_surveyColumns, row, QLatin1String(key));
        if (!v.isEmpty()) {
            e.obj.insert(QLatin1String(key), v);
            e.columns.append({QLatin1String(key), heading(m_surveyColumns, QLatin1String(key))});
        }
    };
    auto flag = [&](const char *key) {
        const QString v = value(sheet, m_surveyColumns, row, QLatin1String(key));
        if (v.isEmpty())
            return;
        const auto b = yesNo(v);
        if (!b)
            problem(m_survey, row, heading(m_surveyColumns, QLatin1String(key)),
                    QStringLiteral("'%1' must be yes or no here").arg(v), false);
        else if (*b)
            e.obj.insert(QLatin1String(key), true);
        e.columns.append({QLatin1String(key), heading(m_surveyColumns, QLatin1String(key))});
    };

    if (t.kind == XlsFormType::Kind::BeginGroup || t.kind == XlsFormType::Kind::BeginRepeat) {
        const bool repeat = t.kind == XlsFormType::Kind::BeginRepeat;
        if (repeat) // its rows still go in, as a group, so they are checked too
            problem(m_survey, row, typeColumn,
                    QStringLiteral("repeats are not supported yet (%1 '%2')").arg(t.text, name));
        e.group = true;
        e.obj.insert(QStringLiteral("type"), QStringLiteral("group"));
        text("label");
        plain("relevant");
        const QStringList appearance
            = value(sheet, m_surveyColumns, row, QStringLiteral("appearance")).split(QLatin1Char(' '));
        if (appearance.contains(QStringLiteral("field-list"))
            || appearance.contains(QStringLiteral("table-list"))) {
            e.obj.insert(QStringLiteral("page"), true);
            e.columns.append(
                {QStringLiteral("page"), heading(m_surveyColumns, QStringLiteral("appearance"))});
        }
        m_stack.append(Frame {e, repeat, repeat ? QStringLiteral("repeat") : QStringLiteral("group")});
        return;
    }

    if (t.kind == XlsFormType::Kind::Metadata) {
        // Recorded automatically; kept only so that a ${name} reference still has a value.
        if (!m_referenced.contains(name))
            return;
        e.obj.insert(QStringLiteral("type"), QStringLiteral("calculate"));
        e.obj.insert(QStringLiteral("calculation"), t.metadataExpression);
        m_stack.last().entry.children.append(e);
        return;
    }

    // Question types. A row with a problem still becomes a stand-in text question, so the
    // core can check its expressions and references to it resolve.
    QString type = QStringLiteral("text");
    QString list;
    switch (t.kind) {
    case XlsFormType::Kind::Question:
        type = t.type;
        list = t.list;
        if (t.isSelect() && list.isEmpty()) {
            problem(m_survey, row, typeColumn,
                    QStringLiteral("%1 needs a list name, e.g. '%1 yes_no'").arg(t.keyword));
            type = QStringLiteral("text");
        } else if (t.isSelect() && !m_choiceLists.contains(list)) {
            const QString guess = FormReader::closest(list, m_choiceLists.keys());
            problem(
                m_survey, row, {},
                QStringLiteral("%1 list '%2' is not in the choices sheet%3")
                    .arg(type, list,
                         guess.isEmpty() ? QString() : QStringLiteral(" (did you mean '%1'?)").arg(guess)));
            type = QStringLiteral("text");
            list.clear();
        }
        break;
    case XlsFormType::Kind::Acknowledge:
        // ODK stores "OK" when acknowledged: a select_one whose only choice is OK.
        type = QStringLiteral("select_one");
        if (m_acknowledgeList.isEmpty()) {
            m_acknowledgeList = QStringLiteral("acknowledge");
            while (m_choiceLists.contains(m_acknowledgeList))
                m_acknowledgeList += QLatin1Char('_');
            m_choiceLists.insert(
                m_acknowledgeList,
                QJsonArray {QJsonObject {{QStringLiteral("name"), QStringLiteral("OK")},
                                         {QStringLiteral("label"), everyLanguage(QStringLiteral("OK"))}}});
            m_sources.insert(JsonLineMap::childPath(QStringLiteral("$.choices"), m_acknowledgeList),
                             {m_survey, row, typeColumn});
        }
        list = m_acknowledgeList;
        break;
    case XlsFormType::Kind::FromFile:
        problem(m_survey, row, typeColumn,
                QStringLiteral("%1 is not supported: Kerbside reads choices only from the choices "
                               "sheet (use select_one LIST)")
                    .arg(t.keyword));
        break;
    case XlsFormType::Kind::Unsupported:
        problem(m_survey, row, typeColumn,
                QStringLiteral("question type '%1' is not supported by Kerbside").arg(t.text));
        break;
    default:
        problem(m_survey, row, typeColumn, QStringLiteral("unknown question type '%1'").arg(t.text));
        break;
    }
    const bool orOther = t.orOther && !list.isEmpty();

    e.obj.insert(QStringLiteral("type"), type);
    if (type != u"calculate")
        text("label");
    text("hint");
    plain("relevant");
    plain("appearance");
    plain("calculation");
    flag("sensitive");
    if (!list.isEmpty()) {
        e.obj.insert(QStringLiteral("choices"), list);
        plain("choice_filter");
    }
    if (isInput(type)) {
        const QString required = value(sheet, m_surveyColumns, row, QStringLiteral("required"));
        if (!required.isEmpty()) {
            const auto b = yesNo(required);
            if (!b)
                e.obj.insert(QStringLiteral("required"), required); // an expression
            else if (*b)
                e.obj.insert(QStringLiteral("required"), true);
            e.columns.append(
                {QStringLiteral("required"), heading(m_surveyColumns, QStringLiteral("required"))});
        }
        text("required_message");
        plain("constraint");
        text("constraint_message");
        flag("read_only");
        const QString def = value(sheet, m_surveyColumns, row, QStringLiteral("default"));
        if (!def.isEmpty()) {
            // pyxform treats a default with ${...} or a function call as an expression.
            static const QRegularExpression call(QStringLiteral("[A-Za-z][A-Za-z0-9:_-]*\\s*\\("));
            const bool expression = def.contains(QLatin1String("${")) || call.match(def).hasMatch();
            e.obj.insert(QStringLiteral("default"), expression ? QLatin1Char('=') + def : def);
            e.columns.append(
                {QStringLiteral("default"), heading(m_surveyColumns, QStringLiteral("default"))});
        }
    } else {
        plain("constraint"); // the core explains that notes take no constraint
    }
    m_stack.last().entry.children.append(e);

    if (orOther) {
        // As pyxform: an "other" choice and a text question for it, shown when it is picked.
        m_orOtherLists.insert(list, row);
        const QString otherName = name + QStringLiteral("_other");
        if (!m_nameRows.contains(otherName))
            m_nameRows.insert(otherName, row);
        Entry other;
        other.row = row;
        other.obj = QJsonObject {
            {QStringLiteral("name"), otherName},
            {QStringLiteral("type"), QStringLiteral("text")},
            {QStringLiteral("label"), everyLanguage(QStringLiteral("Specify other."))},
            {QStringLiteral("relevant"), QStringLiteral("selected(${%1}, 'other')").arg(name)}};
        other.columns.append({QStringLiteral("name"), typeColumn});
        m_stack.last().entry.children.append(other);
    }
}

void XlsFormConverter::closeFrame(int row)
{
    Q_UNUSED(row);
    Frame frame = m_stack.takeLast();
    m_stack.last().entry.children.append(frame.entry);
}

void XlsFormConverter::checkLabelReferences()
{
    // The core checks references in expressions; labels and hints are text to it, so check
    // their ${name} here. A reference to a group or to a skipped metadata row is fine.
    for (int row : dataRows(*m_survey, m_surveyColumns)) {
        for (const XlsFormColumns::Column &c : m_surveyColumns.columns()) {
            if (!c.known
                || (c.key != u"label" && c.key != u"hint" && c.key != u"constraint_message"
                    && c.key != u"required_message"))
                continue;
            auto it = referencePattern().globalMatch(m_survey->cell(row, c.index));
            while (it.hasNext()) {
                const QString ref = it.next().captured(1);
                if (m_nameRows.contains(ref))
                    continue;
                QStringList names = m_nameRows.keys();
                names.sort();
                const QString guess = FormReader::closest(ref, names);
                problem(m_survey, row, c.heading,
                        QStringLiteral("refers to unknown field ${%1}%2")
                            .arg(ref,
                                 guess.isEmpty() ? QString()
                                                 : QStringLiteral("; did you mean ${%1}?").arg(guess)),
                        false);
            }
        }
    }
}

QJsonArray XlsFormConverter::serialize(const QList<Entry> &entries, const QString &path)
{
    QJsonArray array;
    for (qsizetype i = 0; i < entries.size(); ++i) {
        const Entry &e = entries[i];
        const QString p = JsonLineMap::indexPath(path, i);
        m_sources.insert(p, {m_survey, e.row, {}});
        for (const auto &[key, column] : e.columns)
            m_sources.insert(p + QLatin1Char('.') + key, {m_survey, e.row, column});
        QJsonObject obj = e.obj;
        if (e.group)
            obj.insert(QStringLiteral("questions"),
                       serialize(e.children, JsonLineMap::childPath(p, QStringLiteral("questions"))));
        array.append(obj);
    }
    return array;
}

void XlsFormConverter::validate()
{
    if (!m_form.contains(QStringLiteral("questions")))
        return; // the survey could not be read at all
    const FormLoadResult result = FormLoader::loadObject(m_form);
    static const QRegularExpression language(
        QStringLiteral("has no text in (?:the default language )?'([^']+)'"));
    for (const FormProblem &fp : result.problems) {
        QString path = fp.path;
        // "'label' has no text in 'pl'": point at the Polish label column.
        if (const auto m = language.match(fp.message);
            m.hasMatch() && m_sources.contains(path + QLatin1Char('.') + m.captured(1)))
            path += QLatin1Char('.') + m.captured(1);
        QString message = fp.message;
        // "column" is a spreadsheet word here; inside an expression it is a character.
        message.replace(QStringLiteral("syntax error at column "),
                        QStringLiteral("syntax error at character "));
        // Word processors and Excel's autocorrect turn quotes curly; XPath knows only ' and ".
        static const QRegularExpression curly(QStringLiteral("unexpected '[\u2018\u2019\u201C\u201D]'"));
        if (curly.match(message).hasMatch())
            message += QStringLiteral(" (a curly quote: use straight quotes ' or \" in expressions)");
        XlsFormProblem p = locate(path, message);
        // "missing 'label'" on a row: name the column where it belongs.
        static const QRegularExpression missing(QStringLiteral("^missing '([a-z_]+)'$"));
        if (const auto m = missing.match(p.message); m.hasMatch() && p.column.isEmpty() && p.row > 0) {
            const XlsFormColumns *columns = m_survey && p.sheet == m_survey->name ? &m_surveyColumns
                : m_choices && p.sheet == m_choices->name                         ? &m_choicesColumns
                                                                                  : nullptr;
            if (columns && columns->has(m.captured(1)))
                p.column = heading(*columns, m.captured(1));
        }
        if (!p.sheet.isEmpty() && m_problemRows.contains({p.sheet, p.row}))
            continue; // that row already has a problem of its own, which this one only repeats
        if (!m_problems.contains(p))
            m_problems.append(p);
    }
}

XlsFormProblem XlsFormConverter::locate(const QString &path, const QString &message) const
{
    XlsFormProblem p;
    static const QRegularExpression embedded(QStringLiteral("\\$(?:\\.[A-Za-z0-9_.-]+|\\[\\d+\\])*"));
    // Paths inside the message ("first used at $.questions[2]") become rows too.
    QString text;
    qsizetype last = 0;
    auto it = embedded.globalMatch(message);
    while (it.hasNext()) {
        const auto m = it.next();
        text += message.mid(last, m.capturedStart() - last) + describe(m.captured());
        last = m.capturedEnd();
    }
    p.message = text + message.mid(last);

    QString prefix = path;
    while (!prefix.isEmpty() && !m_sources.contains(prefix)) {
        const qsizetype cut
            = std::max(prefix.lastIndexOf(QLatin1Char('.')), prefix.lastIndexOf(QLatin1Char('[')));
        prefix = cut > 0 ? prefix.left(cut) : QString();
    }
    if (prefix.isEmpty()) {
        if (!path.isEmpty() && path != u"$")
            p.message = path + QStringLiteral(": ") + p.message; // nothing better to point at
        return p;
    }
    const Source s = m_sources.value(prefix);
    p.sheet = s.sheet ? s.sheet->name : QString();
    p.row = s.row;
    p.column = s.column;
    return p;
}

QString XlsFormConverter::describe(const QString &path) const
{
    QString prefix = path;
    while (!prefix.isEmpty() && !m_sources.contains(prefix)) {
        const qsizetype cut
            = std::max(prefix.lastIndexOf(QLatin1Char('.')), prefix.lastIndexOf(QLatin1Char('[')));
        prefix = cut > 0 ? prefix.left(cut) : QString();
    }
    const Source s = m_sources.value(prefix);
    if (prefix.isEmpty() || !s.sheet)
        return path;
    return s.row > 0 ? QStringLiteral("%1 row %2").arg(s.sheet->name).arg(s.row) : s.sheet->name;
}

QList<int> XlsFormConverter::dataRows(const XlsxSheet &sheet, const XlsFormColumns &columns) const
{
    QList<int> rows;
    int previous = columns.headerRow();
    for (auto it = sheet.rows.upperBound(columns.headerRow()); it != sheet.rows.constEnd(); ++it) {
        bool blank = true;
        for (const XlsFormColumns::Column &c : columns.columns())
            blank = blank && it.value().value(c.index).trimmed().isEmpty();
        if (blank)
            continue;
        if (it.key() - previous - 1 >= kMaxBlankRows)
            break;
        rows.append(it.key());
        previous = it.key();
    }
    return rows;
}

QString XlsFormConverter::value(const XlsxSheet &sheet, const XlsFormColumns &columns, int row,
                                const QString &key, const QString &language) const
{
    const XlsFormColumns::Column *c = columns.find(key, language);
    return c ? sheet.cell(row, c->index).trimmed() : QString();
}

QString XlsFormConverter::heading(const XlsFormColumns &columns, const QString &key) const
{
    if (const XlsFormColumns::Column *c = columns.find(key))
        return c->heading;
    if (const XlsFormColumns::Column *c = columns.find(key, m_defaultLanguage))
        return c->heading;
    for (const XlsFormColumns::Column &c : columns.columns()) {
        if (c.key == key)
            return c.heading;
    }
    return key;
}

void XlsFormConverter::readText(const XlsxSheet &sheet, const XlsFormColumns &columns, int row,
                                const QString &key, QJsonObject &obj,
                                QList<std::pair<QString, QString>> &sourceColumns) const
{
    QJsonObject texts;
    for (const QString &lang : m_languages) {
        const XlsFormColumns::Column *c = columns.find(key, lang);
        QString text = c ? sheet.cell(row, c->index).trimmed() : QString();
        const XlsFormColumns::Column *untagged = columns.find(key);
        if (text.isEmpty() && lang == m_defaultLanguage && untagged) {
            // An untagged column is the default language's, where no tagged one says more.
            text = sheet.cell(row, untagged->index).trimmed();
            if (!c || !text.isEmpty())
                c = untagged;
        }
        if (c)
            sourceColumns.append({key + QLatin1Char('.') + lang, c->heading});
        if (!text.isEmpty())
            texts.insert(lang, text);
    }
    if (columns.has(key))
        sourceColumns.append({key, heading(columns, key)});
    if (!texts.isEmpty())
        obj.insert(key, texts);
}

QJsonObject XlsFormConverter::everyLanguage(const QString &text) const
{
    QJsonObject texts;
    for (const QString &lang : m_languages)
        texts.insert(lang, text);
    return texts;
}

} // namespace kerbside
