// SPDX-License-Identifier: Apache-2.0
// XlsFormConverter: from a survey row's type to a Kerbside question type (lists, acknowledge,
// range, and the types Kerbside refuses).
#include "xlsformconverter.h"

#include "xlsformlenient.h"
#include "xlsformtype.h"

#include "form/formreader.h"
#include "form/jsonlinemap.h"

#include <QJsonArray>

namespace kerbside {

QString XlsFormConverter::questionType(const XlsFormType &t, int row, QString *listOut, QString *rangeConstraint)
{
    const QString typeColumn = heading(m_surveyColumns, QStringLiteral("type"));
    QString type = QStringLiteral("text");
    QString &list = *listOut;
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
        list = fileList(t, row);
        if (!list.isEmpty())
            type = t.type;
        break;
    case XlsFormType::Kind::Range:
        type = rangeQuestion(row, rangeConstraint);
        break;
    case XlsFormType::Kind::Media:
        problem(m_survey, row, typeColumn,
                QStringLiteral("media questions are not supported yet ('%1')").arg(t.text));
        break;
    case XlsFormType::Kind::Unsupported:
        problem(m_survey, row, typeColumn, unsupportedReason(t));
        break;
    default:
        problem(m_survey, row, typeColumn, QStringLiteral("unknown question type '%1'").arg(t.text));
        break;
    }
    return type;
}

// The types forms/README.md lists as not supported, each saying what it is and what to do.
QString XlsFormConverter::unsupportedReason(const XlsFormType &t)
{
    if (t.keyword == u"osm")
        return QStringLiteral("question type '%1' is not supported by Kerbside: osm questions tag OpenStreetMap "
                              "features with the OpenMapKit app, which Kerbside has no counterpart for (ask for "
                              "the feature's details with text and select questions instead)")
            .arg(t.text);
    if (t.keyword == u"xml-external" || t.keyword == u"csv-external")
        return QStringLiteral("question type '%1' is not supported by Kerbside: a secondary instance read with "
                              "instance('...') in expressions (use select_one_from_file for a list from a file)")
            .arg(t.text);
    if (t.keyword == u"begin_loop" || t.keyword == u"end_loop")
        return QStringLiteral("question type '%1' is not supported by Kerbside: a loop over a choice list (write "
                              "a group per choice, or a repeat)")
            .arg(t.text);
    return QStringLiteral("question type '%1' is not supported by Kerbside").arg(t.text);
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

} // namespace kerbside
