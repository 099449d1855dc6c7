// SPDX-License-Identifier: Apache-2.0
#include "xlsformconverter.h"

#include "xlsformlenient.h"
#include "xlsformtype.h"

#include "form/formloader.h"
#include "form/formreader.h"
#include "form/jsonlinemap.h"

#include "expr/expression.h"

#include <QRegularExpression>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <optional>
#include <tuple>
#include <string_view>

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
    if (m_externalChoices)
        m_externalColumns.parse(*m_externalChoices, Kind::Choices);
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
    m_warnings.reportFallbacks();
}

QList<XlsFormProblem> XlsFormConverter::problems() const
{
    return sorted(m_problems);
}

QList<XlsFormProblem> XlsFormConverter::warnings() const
{
    return sorted(m_warnings.list());
}

void XlsFormConverter::warning(const XlsxSheet *sheet, int row, const QString &column, const QString &message)
{
    m_warnings.add(sheet, row, column, message);
}

QList<XlsFormProblem> XlsFormConverter::sorted(const QList<XlsFormProblem> &list) const
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
    QList<XlsFormProblem> result = list;
    std::stable_sort(result.begin(), result.end(), [&](const XlsFormProblem &a, const XlsFormProblem &b) {
        return std::pair(order(a), a.row) < std::pair(order(b), b.row);
    });
    return result;
}

void XlsFormConverter::problem(const XlsxSheet *sheet, int row, const QString &column, const QString &message,
                               bool structural)
{
    XlsFormProblem::addTo(m_problems, sheet ? sheet->name : QString(), row, column, message);
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
        else if (!m_externalChoices && sameSheetName(s.name, "external_choices"))
            m_externalChoices = &s;
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
    if (const QString safe = xlsformlenient::safeFormId(id); safe != id) {
        // Ids become file names and travel in every batch: derive one that follows the rules
        // (as for the file name standing in for form_id) rather than refuse the form.
        if (id != m_formName)
            warning(m_settings, m_settingsRow, heading(m_settingsColumns, QStringLiteral("form_id")),
                    QStringLiteral("form_id '%1' is not a valid Kerbside id (a lower-case letter, then "
                                   "lower-case letters, digits, '_' or '-'); the form's id is '%2'")
                        .arg(id, safe));
        id = safe;
    }
    if (m_settings && m_settingsRow)
        warnIgnoredSettings();
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

void XlsFormConverter::warnIgnoredSettings()
{
    for (const XlsFormColumns::Column &c : m_settingsColumns.columns()) {
        const QString reason = xlsformlenient::ignoredSetting(c.heading);
        if (!c.known && !reason.isEmpty() && !m_settings->cell(m_settingsRow, c.index).trimmed().isEmpty())
            warning(m_settings, m_settingsRow, c.heading, reason);
    }
}

QString XlsFormConverter::straightQuotes(const QString &expression, int row, const QString &column)
{
    const std::optional<QString> fixed = xlsformlenient::straightQuotes(expression);
    if (!fixed)
        return expression;
    m_warnings.fallback(m_survey, column, row,
                        QStringLiteral("curly quotes in an expression are read as straight quotes"));
    return *fixed;
}

QString XlsFormConverter::rangeQuestion(int row, QString *constraint)
{
    const QString column = heading(m_surveyColumns, QStringLiteral("parameters"));
    const xlsformlenient::Range r
        = xlsformlenient::range(value(*m_survey, m_surveyColumns, row, QStringLiteral("parameters")));
    for (const QString &name : r.ignored)
        warning(m_survey, row, column, QStringLiteral("range parameter '%1' is not used by Kerbside").arg(name));
    for (const QString &message : r.problems)
        problem(m_survey, row, column, message, false);
    if (!r.note.isEmpty())
        warning(m_survey, row, heading(m_surveyColumns, QStringLiteral("type")), r.note);
    *constraint = r.constraint;
    return r.type;
}

void XlsFormConverter::readChoices()
{
    readChoiceSheet(m_choices, m_choicesColumns, false);
    readChoiceSheet(m_externalChoices, m_externalColumns, true);
}

QString XlsFormConverter::externalList(const QString &written)
{
    if (const auto it = m_externalLists.constFind(written); it != m_externalLists.constEnd())
        return *it;
    QString name = written + QStringLiteral("_external");
    while (m_choiceLists.contains(name))
        name += QLatin1Char('_');
    m_externalLists.insert(written, name);
    return name;
}

void XlsFormConverter::readChoiceSheet(const XlsxSheet *sheet, const XlsFormColumns &cols, bool external)
{
    if (!sheet || !cols.headerRow())
        return;
    const int header = cols.headerRow();
    bool missing = false;
    for (const char *key : {"list_name", "name"}) {
        if (!cols.has(QLatin1String(key))) {
            problem(sheet, header, {},
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
    QHash<QString, int> firstRows; // lists this sheet starts -> their first row
    for (int row : dataRows(*sheet, cols)) {
        const QString writtenList = value(*sheet, cols, row, QStringLiteral("list_name"));
        const QString &list = writtenList;
        const QString name = value(*sheet, cols, row, QStringLiteral("name"));
        if (list.isEmpty() && name.isEmpty())
            continue; // a comment or a spacer row
        if (list.isEmpty()) {
            problem(sheet, row, heading(cols, QStringLiteral("list_name")),
                    QStringLiteral("choice '%1' has no list name").arg(name));
            continue;
        }
        if (name.isEmpty()) {
            problem(sheet, row, heading(cols, QStringLiteral("name")),
                    QStringLiteral("a choice of list '%1' has no name").arg(list));
            continue;
        }
        if (const int first = nameRows[list].value(name); first > 0 && !duplicatesAllowed) {
            problem(sheet, row, heading(cols, QStringLiteral("name")),
                    QStringLiteral("duplicate choice name '%1' in list '%2' (first on row %3); the names "
                                   "in a list must be unique unless the settings say allow_choice_duplicates")
                        .arg(name, list)
                        .arg(first));
            continue;
        }
        if (!nameRows[list].contains(name))
            nameRows[list].insert(name, row);
        // An external_choices list of the same name as a choices list is another list.
        const QString key = external ? externalList(writtenList) : writtenList;
        QJsonObject choice;
        QList<std::pair<QString, QString>> columns;
        choice.insert(QStringLiteral("name"), name);
        columns.append({QStringLiteral("name"), heading(cols, QStringLiteral("name"))});
        readText(*sheet, cols, row, QStringLiteral("label"), choice, columns);
        if (!choice.contains(QStringLiteral("label")) && hasMedia(*sheet, cols, row)) {
            choice.insert(QStringLiteral("label"), everyLanguage(name));
            m_warnings.fallback(sheet, heading(cols, QStringLiteral("label")), row,
                         QStringLiteral("a choice with only media (not shown by Kerbside yet) shows its name"));
        }
        for (const XlsFormColumns::Column &c : cols.columns()) {
            if (c.known || XlsFormColumns::isTranslatable(c.key))
                continue; // list_name, name, label; media
            const QString extra = sheet->cell(row, c.index).trimmed();
            if (c.key == QLatin1String("missing")) { // yes: a "no answer" choice (exports declare it missing)
                const QString v = extra.toLower();
                if (v == QLatin1String("yes") || v == QLatin1String("true") || v == QLatin1String("1")) {
                    choice.insert(c.key, true);
                    columns.append({c.key, c.heading});
                } else if (!v.isEmpty() && v != QLatin1String("no") && v != QLatin1String("false") && v != QLatin1String("0")) {
                    problem(sheet, row, c.heading, QStringLiteral("missing must be yes or no, not '%1'").arg(extra), false);
                }
                continue;
            }
            if (!extra.isEmpty()) {
                choice.insert(c.key, extra);
                columns.append({c.key, c.heading});
            }
        }
        if (!m_choiceLists.contains(key)) {
            m_choiceListRow.insert(key, row);
            firstRows.insert(key, row);
        }
        QJsonArray &array = m_choiceLists[key];
        const QString path
            = JsonLineMap::indexPath(JsonLineMap::childPath(QStringLiteral("$.choices"), key), array.size());
        m_sources.insert(path, {sheet, row, {}});
        for (const auto &[key, column] : columns)
            m_sources.insert(path + QLatin1Char('.') + key, {sheet, row, column});
        array.append(choice);
    }
    if (duplicatesAllowed)
        m_form.insert(QStringLiteral("allow_choice_duplicates"), true);
    for (auto it = firstRows.constBegin(); it != firstRows.constEnd(); ++it)
        m_sources.insert(JsonLineMap::childPath(QStringLiteral("$.choices"), it.key()),
                         {sheet, it.value(), heading(cols, QStringLiteral("list_name"))});
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
    checkAmbiguousReferences();

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
    const QString writtenName = value(sheet, m_surveyColumns, row, QStringLiteral("name"));

    if (t.text.isEmpty()) {
        // pyxform: a row with neither type nor name nor label is a comment.
        bool hasLabel = false;
        for (const XlsFormColumns::Column &c : m_surveyColumns.columns())
            hasLabel = hasLabel || (c.key == u"label" && !sheet.cell(row, c.index).trimmed().isEmpty());
        if (!writtenName.isEmpty() || hasLabel)
            problem(m_survey, row, typeColumn,
                    writtenName.isEmpty() ? QStringLiteral("the row has a label but no type")
                                          : QStringLiteral("'%1' has no type").arg(writtenName));
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

    // Names: every row below needs one (pyxform names a nameless note after its row), unique
    // among its siblings. The same name in another group is allowed, as in pyxform, and gets
    // its group's name as a prefix in Kerbside (whose names are unique form-wide, since they are
    // the export's variable names); a ${name} naming both places is refused where it is used.
    QString name = writtenName;
    if (name.isEmpty() && t.kind == XlsFormType::Kind::Question && t.type == u"note") {
        name = QStringLiteral("generated_note_name_%1").arg(row);
        warning(m_survey, row, nameColumn,
                QStringLiteral("the note has no name; it is named '%1', as pyxform does").arg(name));
    }
    if (name.isEmpty()) {
        problem(m_survey, row, nameColumn, QStringLiteral("'%1' has no name").arg(t.text));
        return;
    }
    const QString parent = parentPath();
    if (const int first = m_siblingRows[parent].value(name); first > 0) {
        problem(m_survey, row, nameColumn,
                QStringLiteral("duplicate name '%1' (first used on row %2)").arg(name).arg(first));
        return;
    }
    m_siblingRows[parent].insert(name, row);
    m_allNameRows[name].append(row);
    if (const int first = m_nameRows.value(name); first > 0) {
        const QString group = m_stack.size() > 1
            ? m_stack.last().entry.obj.value(QStringLiteral("name")).toString()
            : QStringLiteral("top");
        QString unique = group + QLatin1Char('_') + name;
        for (int n = 2; m_nameRows.contains(unique); ++n)
            unique = group + QLatin1Char('_') + name + QLatin1Char('_') + QString::number(n);
        warning(m_survey, row, nameColumn,
                QStringLiteral("'%1' is also the name on row %2; Kerbside calls this one '%3' (its export "
                               "variable name)")
                    .arg(name)
                    .arg(first)
                    .arg(unique));
        name = unique;
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
        QString v = value(sheet, m_surveyColumns, row, QLatin1String(key));
        if (!v.isEmpty() && key != std::string_view("appearance"))
            v = straightQuotes(v, row, heading(m_surveyColumns, QLatin1String(key)));
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
        const QString lower = t.text.toLower();
        if (lower == u"audit")
            warning(m_survey, row, typeColumn,
                    QStringLiteral("audit: Kerbside records its own paradata (time on each question, "
                                   "changes) with every response; the audit parameters are not used"));
        else if (lower == u"start-geopoint")
            warning(m_survey, row, typeColumn,
                    QStringLiteral("start-geopoint: Kerbside records where each interview starts with "
                                   "the response"));
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
    QString rangeConstraint;
    switch (t.kind) {
    case XlsFormType::Kind::Question:
        type = t.type;
        list = t.external ? m_externalLists.value(t.list) : t.list;
        if (t.external && list.isEmpty()) {
            problem(m_survey, row, typeColumn,
                    QStringLiteral("select_one_external list '%1' is not in the external_choices sheet").arg(t.list));
            type = QStringLiteral("text");
            break;
        }
        if (t.text.toLower().contains(QLatin1String("barcode")))
            warning(m_survey, row, typeColumn,
                    QStringLiteral("barcode: the code is typed in (Kerbside has no camera scanner yet)"));
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
    case XlsFormType::Kind::Range:
        type = rangeQuestion(row, &rangeConstraint);
        break;
    case XlsFormType::Kind::Media:
        problem(m_survey, row, typeColumn,
                QStringLiteral("media questions are not supported yet ('%1')").arg(t.text));
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
    if (type != u"calculate") {
        text("label");
        if (!e.obj.contains(QStringLiteral("label")) && hasMedia(sheet, m_surveyColumns, row)) {
            // Only an image or a sound says what to do (ODK shows that); Kerbside shows no media
            // yet, so the name stands in for the label.
            e.obj.insert(QStringLiteral("label"), everyLanguage(name));
            warning(m_survey, row, heading(m_surveyColumns, QStringLiteral("label")),
                    QStringLiteral("no label text, only media, which Kerbside does not show yet; the "
                                   "name '%1' is shown instead")
                        .arg(name));
        }
    }
    text("hint");
    plain("relevant");
    plain("appearance");
    plain("calculation");
    if (!t.metadataExpression.isEmpty() && !e.obj.contains(QStringLiteral("calculation")))
        e.obj.insert(QStringLiteral("calculation"), t.metadataExpression); // hidden: starts empty
    flag("sensitive");
    if (!list.isEmpty()) {
        e.obj.insert(QStringLiteral("choices"), list);
        plain("choice_filter");
    }
    if (isInput(type)) {
        const QString required = straightQuotes(value(sheet, m_surveyColumns, row, QStringLiteral("required")),
                                                row, heading(m_surveyColumns, QStringLiteral("required")));
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
        if (!t.presetConstraint.isEmpty() && !e.obj.contains(QStringLiteral("constraint")))
            e.obj.insert(QStringLiteral("constraint"), t.presetConstraint);
        if (!rangeConstraint.isEmpty()) {
            // The range's bounds always hold; the author's own constraint comes on top.
            const QString own = e.obj.value(QStringLiteral("constraint")).toString();
            e.obj.insert(QStringLiteral("constraint"),
                         own.isEmpty() ? rangeConstraint : QStringLiteral("(%1) and (%2)").arg(rangeConstraint, own));
        }
        text("constraint_message");
        flag("read_only");
        const QString def = straightQuotes(value(sheet, m_surveyColumns, row, QStringLiteral("default")), row,
                                           heading(m_surveyColumns, QStringLiteral("default")));
        if (!def.isEmpty()) {
            // pyxform treats a default with ${...} or a function call as an expression.
            static const QRegularExpression call(QStringLiteral("[A-Za-z][A-Za-z0-9:_-]*\\s*\\("));
            const bool expression = def.contains(QLatin1String("${")) || call.match(def).hasMatch();
            e.obj.insert(QStringLiteral("default"), expression ? QLatin1Char('=') + def : def);
            e.columns.append(
                {QStringLiteral("default"), heading(m_surveyColumns, QStringLiteral("default"))});
        }
    } else if (type == u"calculate") {
        // pyxform writes a calculate's constraint into the XForm, where nothing ever checks it.
        if (!value(sheet, m_surveyColumns, row, QStringLiteral("constraint")).isEmpty())
            warning(m_survey, row, heading(m_surveyColumns, QStringLiteral("constraint")),
                    QStringLiteral("a constraint on a calculate has no effect (nobody enters its value); "
                                   "it is left out"));
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

void XlsFormConverter::checkAmbiguousReferences()
{
    // The same name in two groups is fine until a ${name} has to pick one.
    for (int row : dataRows(*m_survey, m_surveyColumns)) {
        for (const XlsFormColumns::Column &c : m_surveyColumns.columns()) {
            auto it = referencePattern().globalMatch(m_survey->cell(row, c.index));
            while (it.hasNext()) {
                const QString ref = it.next().captured(1);
                const QList<int> rows = m_allNameRows.value(ref);
                if (rows.size() < 2)
                    continue;
                QStringList places;
                for (int r : rows)
                    places << QStringLiteral("row %1").arg(r);
                problem(m_survey, row, c.heading,
                        QStringLiteral("${%1} is ambiguous: '%1' is the name on %2; rename one of them")
                            .arg(ref, places.join(QStringLiteral(" and "))),
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
                                QList<std::pair<QString, QString>> &sourceColumns)
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
    if (!texts.isEmpty()) {
        // As ODK Collect: a language without its own text shows the default language's (or,
        // where that is missing too, the first language's that has one).
        const bool label = key == u"label";
        const QString from = texts.contains(m_defaultLanguage) ? m_defaultLanguage : texts.constBegin().key();
        for (const QString &lang : m_languages) {
            if (texts.contains(lang) || (!label && lang != m_defaultLanguage))
                continue;
            texts.insert(lang, texts.value(from));
            const XlsFormColumns::Column *c = columns.find(key, lang);
            if (!c && lang == m_defaultLanguage)
                c = columns.find(key);
            m_warnings.fallback(&sheet, c ? c->heading : key + QStringLiteral("::") + lang, row,
                         QStringLiteral("no '%1' text in '%2'; the '%3' text is shown")
                             .arg(key, lang, from));
        }
        obj.insert(key, texts);
    }
}

bool XlsFormConverter::hasMedia(const XlsxSheet &sheet, const XlsFormColumns &columns, int row) const
{
    for (const XlsFormColumns::Column &c : columns.columns()) {
        if (!c.known && XlsFormColumns::isTranslatable(c.key) && !sheet.cell(row, c.index).trimmed().isEmpty())
            return true;
    }
    return false;
}

QString XlsFormConverter::parentPath() const
{
    QStringList names;
    for (qsizetype i = 1; i < m_stack.size(); ++i)
        names << m_stack[i].entry.obj.value(QStringLiteral("name")).toString();
    return names.join(QLatin1Char('/'));
}

QJsonObject XlsFormConverter::everyLanguage(const QString &text) const
{
    QJsonObject texts;
    for (const QString &lang : m_languages)
        texts.insert(lang, text);
    return texts;
}

} // namespace kerbside
