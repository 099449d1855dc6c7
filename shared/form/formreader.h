// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "form.h"
#include "formissue.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QSet>

namespace kerbside {

/** Reads the JSON of a kerbside-form/1 form (forms/README.md) into a Form, checking each entry
 *  on its own: keys, JSON types, names, labels in every language, expression syntax. Checks
 *  across entries (duplicates, references, cycles, lists) are FormChecker's. */
class FormReader
{
public:
    explicit FormReader(const QJsonObject &root) : m_root(root) {}

    // Returns false when reading stopped early (an unsupported format version).
    bool read();
    Form &form() { return m_form; }
    QList<FormIssue> &issues() { return m_issues; }

    static const QString &formatName(); // "kerbside-form/1"
    // The closest of `candidates` to `word` when it is a likely typo, else "".
    static QString closest(const QString &word, const QStringList &candidates);
    static bool isValidName(const QString &name);

private:
    enum class TextKind { Label, Message }; // labels need every language, messages the default

    bool readHeader();
    void readChoices();
    void readMissingAttachments();
    // select_multiple stores "a b c": its lists' names must not contain spaces (select_one's may).
    void checkMultipleChoiceNames();
    void readEntries(const QJsonValue &value, const QString &path, int group);
    void readGroup(const QJsonObject &obj, const QString &path, int parent);
    void readQuestion(const QJsonObject &obj, const QString &path, int group);
    void readQuestionType(const QJsonObject &obj, const QString &path, QuestionType *type, bool *known);
    void readInputKeys(const QJsonObject &obj, const QString &path, Question &q);
    void readDefault(const QJsonValue &value, const QString &path, Question &q);
    void checkKeys(const QJsonObject &obj, const QString &path, const QStringList &allowed,
                   const QStringList &otherKindKeys, const QString &otherKindNote);

    QString readString(const QJsonObject &obj, const QString &key, const QString &path,
                       bool required);
    bool readBool(const QJsonObject &obj, const QString &key, const QString &path);
    LocalizedText readText(const QJsonObject &obj, const QString &key, const QString &path,
                           TextKind kind, bool required);
    void readRepeat(const QJsonObject &obj, const QString &path, Group *g);
    Expression readExpression(const QJsonObject &obj, const QString &key, const QString &path,
                              bool allowCurrent);
    void checkName(const QString &name, const QString &path);
    void problem(const QString &path, const QString &message, int column = 0);

    QJsonObject m_root;
    Form m_form;
    QSet<QString> m_attachmentLists; // lists standing in for missing_attachments: may be empty
    QList<FormIssue> m_issues;
    QString m_textLanguage;      // where a plain-string text goes: the default language
    bool m_languagesOk = false;  // only then are texts checked for every language
    bool m_allowChoiceDuplicates = false; // "allow_choice_duplicates": true (XLSForm setting)
};

} // namespace kerbside
