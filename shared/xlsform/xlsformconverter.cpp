// SPDX-License-Identifier: Apache-2.0
// XlsFormConverter: the order of the work, problems and their places (sheet, row, column).
#include "xlsformconverter.h"

#include "form/formloader.h"
#include "form/jsonlinemap.h"

#include <QRegularExpression>

#include <algorithm>
#include <utility>

namespace kerbside {

namespace {

using Kind = XlsFormColumns::SheetKind;

bool sameSheetName(const QString &name, const char *wanted)
{
    return name.trimmed().compare(QLatin1String(wanted), Qt::CaseInsensitive) == 0;
}

} // namespace

XlsFormConverter::XlsFormConverter(const QList<XlsxSheet> &sheets, const QString &formName,
                                   XlsFormAttachments *attachments)
    : m_sheets(sheets), m_formName(formName), m_attachments(attachments)
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
    p.sheet = s.sheet ? s.sheet->name : s.file;
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
    const QString where = s.sheet ? s.sheet->name : s.file;
    if (prefix.isEmpty() || where.isEmpty())
        return path;
    return s.row > 0 ? QStringLiteral("%1 row %2").arg(where).arg(s.row) : where;
}

} // namespace kerbside
