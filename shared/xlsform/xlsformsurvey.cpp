// SPDX-License-Identifier: Apache-2.0
// XlsFormConverter: survey sheet rows (names, groups, metadata, a question's columns).
#include "xlsformconverter.h"

#include "xlsformcell.h"
#include "xlsformlenient.h"
#include "xlsformtype.h"

#include "form/jsonlinemap.h"

#include <QRegularExpression>

#include <string_view>

namespace kerbside {

namespace {

bool isInput(const QString &type)
{
    return type != u"note" && type != u"calculate";
}

using xlsformcell::referencePattern;
using xlsformcell::yesNo;

} // namespace

QString XlsFormConverter::straightQuotes(const QString &expression, int row, const QString &column)
{
    const std::optional<QString> fixed = xlsformlenient::straightQuotes(expression);
    if (!fixed)
        return expression;
    m_warnings.fallback(m_survey, column, row,
                        QStringLiteral("curly quotes in an expression are read as straight quotes"));
    return *fixed;
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
    if (!m_missingAttachments.isEmpty())
        m_form.insert(QStringLiteral("missing_attachments"), m_missingAttachments);
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

    // A type Kerbside refuses is the row's problem whether or not it has a name ("end loop" has none).
    if (t.kind == XlsFormType::Kind::Unsupported && writtenName.isEmpty()) {
        problem(m_survey, row, typeColumn, unsupportedReason(t));
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
    QString renamedFrom; // the written name and its groups' path, when renamed below
    if (const int first = m_nameRows.value(name); first > 0) {
        renamedFrom = parent.isEmpty() ? name : parent + QLatin1Char('/') + name;
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
        e.group = true;
        e.obj.insert(QStringLiteral("type"), repeat ? QStringLiteral("repeat") : QStringLiteral("group"));
        text("label");
        plain("relevant");
        if (repeat) // a number or an expression (pyxform's repeat_count / jr:count); none: "add another"
            plain("repeat_count");
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
        else if (lower == u"background-geopoint")
            warning(m_survey, row, typeColumn,
                    QStringLiteral("background-geopoint: Kerbside records where each interview starts with the "
                                   "response, not where a question is answered; this row is left out"));
        // Recorded automatically; kept only so that a ${name} reference still has a value.
        if (!m_referenced.contains(name))
            return;
        e.obj.insert(QStringLiteral("type"), QStringLiteral("calculate"));
        e.obj.insert(QStringLiteral("calculation"), t.metadataExpression);
        m_stack.last().entry.children.append(e);
        return;
    }

    if (!renamedFrom.isEmpty()) { // for the codebook (groups have no export variable)
        e.obj.insert(QStringLiteral("renamed_from"), renamedFrom);
        e.columns.append({QStringLiteral("renamed_from"), nameColumn});
    }

    // Question types. A row with a problem still becomes a stand-in text question, so the
    // core can check its expressions and references to it resolve.
    QString list;
    QString rangeConstraint;
    QString type = questionType(t, row, &list, &rangeConstraint);
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

QString XlsFormConverter::parentPath() const
{
    QStringList names;
    for (qsizetype i = 1; i < m_stack.size(); ++i)
        names << m_stack[i].entry.obj.value(QStringLiteral("name")).toString();
    return names.join(QLatin1Char('/'));
}

} // namespace kerbside
