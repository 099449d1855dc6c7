// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "xlsformcolumns.h"
#include "xlsformlenient.h"
#include "xlsformproblem.h"
#include "xlsformtype.h"
#include "xlsxsheet.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>

namespace kerbside {

/** Turns the sheets of one XLSForm into Kerbside form JSON (forms/README.md) and remembers, for
 *  every JSON path it writes, the sheet, row and column it came from, so that the core's
 *  problems ("$.questions[3].relevant") read as "survey row 5, column relevant". Used once, by
 *  XlsFormImporter. */
class XlsFormConverter
{
public:
    // `formName` (the file's base name) is the id and title when the settings give none.
    // `attachments`: where select_one_from_file finds its files (none: such rows are refused).
    XlsFormConverter(const QList<XlsxSheet> &sheets, const QString &formName,
                     class XlsFormAttachments *attachments = nullptr);

    // Converts and validates with FormLoader. Every problem is collected; none stops the rest.
    void run();
    const QJsonObject &form() const { return m_form; }
    QList<XlsFormProblem> problems() const;
    QList<XlsFormProblem> warnings() const; // in the same order

private:
    struct Source
    {
        const XlsxSheet *sheet = nullptr;
        int row = 0;
        QString column;
        QString file = {}; // an attachment's name, where sheet is null (select_one_from_file)
    };
    // A question or group being built, before JSON paths are known.
    struct Entry
    {
        QJsonObject obj;
        QList<Entry> children;
        bool group = false;
        int row = 0;
        QList<std::pair<QString, QString>> columns; // relative JSON path ("label.en") -> heading
    };
    struct Frame
    {
        Entry entry;
        bool repeat = false;
        QString kind; // "group" or "repeat", for messages
    };
    struct LabelReference
    {
        int row;
        QString column;
        QString name;
    };

    QList<XlsFormProblem> sorted(const QList<XlsFormProblem> &list) const; // sheet, then row
    void findSheets();
    void readLanguages();
    void readSettings();
    void readChoices();
    // One choices sheet; `external`: the external_choices sheet, whose lists get names of their own.
    void readChoiceSheet(const XlsxSheet *sheet, const XlsFormColumns &columns, bool external);
    QString externalList(const QString &written); // external list name -> its Kerbside list
    void warnIgnoredSettings();
    void readSurvey();
    void readSurveyRow(int row);
    void closeFrame(int row);
    // The Kerbside type for a question row; *list: its choice list, *rangeConstraint: a range's
    // bounds. A type that cannot be converted is a problem and "text", a stand-in.
    QString questionType(const XlsFormType &t, int row, QString *list, QString *rangeConstraint);
    // select_one_from_file's list: the attachment's rows as a list of the form's own; "" with a
    // problem when the file is missing or wrong (its problems name file, row and column).
    QString fileList(const XlsFormType &t, int row);
    static QString unsupportedReason(const XlsFormType &t);
    // range: integer or decimal, with the parameters' bounds and step as *constraint.
    QString rangeQuestion(int row, QString *constraint);
    void checkLabelReferences();
    void validate();

    QList<int> dataRows(const XlsxSheet &sheet, const XlsFormColumns &columns) const;
    QString cellText(const XlsxSheet &sheet, int row, int column) const; // trimmed, clean_text_values
    QString value(const XlsxSheet &sheet, const XlsFormColumns &columns, int row, const QString &key,
                  const QString &language = {}) const;
    QString heading(const XlsFormColumns &columns, const QString &key) const;
    // Reads a translatable column in every language into obj[key]; records its columns.
    // A label, or a message missing in the default language, is filled in from another
    // language, as ODK Collect shows it, and noted in a warning.
    void readText(const XlsxSheet &sheet, const XlsFormColumns &columns, int row, const QString &key,
                  QJsonObject &obj, QList<std::pair<QString, QString>> &sourceColumns);
    bool hasMedia(const XlsxSheet &sheet, const XlsFormColumns &columns, int row) const;
    QJsonObject everyLanguage(const QString &text) const;
    // `structural`: the row could not be converted as written, so the core's view of it (a
    // stand-in) is not reported. Label references and yes/no values are not structural.
    void problem(const XlsxSheet *sheet, int row, const QString &column, const QString &message,
                 bool structural = true);
    void warning(const XlsxSheet *sheet, int row, const QString &column, const QString &message);
    void checkAmbiguousReferences();
    // Curly quotes in an expression become straight ones (Excel's autocorrect), with a warning.
    QString straightQuotes(const QString &expression, int row, const QString &column);
    QString parentPath() const; // the open groups' names, "a/b", for same-name checks
    QJsonArray serialize(const QList<Entry> &entries, const QString &path);
    XlsFormProblem locate(const QString &path, const QString &message) const;
    QString describe(const QString &path) const; // "survey row 4" for a JSON path in a message

    QList<XlsxSheet> m_sheets;
    QString m_formName;
    const XlsxSheet *m_survey = nullptr;
    const XlsxSheet *m_choices = nullptr;
    const XlsxSheet *m_settings = nullptr;
    const XlsxSheet *m_externalChoices = nullptr;
    XlsFormColumns m_externalColumns;
    QHash<QString, QString> m_externalLists; // external_choices list name -> Kerbside list name
    XlsFormColumns m_surveyColumns;
    XlsFormColumns m_choicesColumns;
    XlsFormColumns m_settingsColumns;
    int m_settingsRow = 0; // the settings sheet's value row
    bool m_cleanTextValues = true; // the settings' clean_text_values, pyxform's default yes

    QString m_defaultLanguage;
    QStringList m_languages; // default first

    QJsonObject m_form;
    QHash<QString, QJsonArray> m_choiceLists;
    QHash<QString, int> m_choiceListRow; // list name -> first choices row
    QHash<QString, int> m_orOtherLists; // lists that get pyxform's "other" choice -> survey row
    QString m_acknowledgeList;
    XlsFormAttachments *m_attachments = nullptr;
    QJsonObject m_missingAttachments; // attachment not found -> its (empty) list's name
    QHash<QString, QString> m_fileLists; // file, value and label columns -> list ("" when it failed) // built-in list for acknowledge, once needed

    QList<Frame> m_stack; // open groups; m_stack[0] is the form itself
    QHash<QString, int> m_nameRows; // question and group names (as written in the form) -> survey row
    QHash<QString, QList<int>> m_allNameRows; // name as written in the sheet -> every row using it
    QHash<QString, QHash<QString, int>> m_siblingRows; // parent path -> name -> row
    QSet<QString> m_referenced; // every ${name} anywhere in the survey
    QList<LabelReference> m_labelReferences;

    QHash<QString, Source> m_sources; // JSON path -> where it came from
    QList<XlsFormProblem> m_problems;
    XlsFormWarnings m_warnings;
    QSet<std::pair<QString, int>> m_problemRows; // rows with an importer problem: core noise there is dropped
};

} // namespace kerbside
