// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QAbstractListModel>
#include <QHash>
#include <QtQml/qqmlregistration.h>

namespace kerbside {

class Interview;

/** The questions of the interview page on screen, one row each (calculations left out).
 *  Rows stay while the page is shown; relevance, values, labels and messages change in place
 *  (dataChanged), so an editor being typed into is never rebuilt under the fieldworker's finger. */
class PageModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Owned by InterviewController")
    Q_PROPERTY(int count READ count NOTIFY countChanged)

public:
    enum Roles {
        NameRole = Qt::UserRole + 1,
        TypeRole,       // "select_one", ... (questionTypeName)
        LabelRole,      // in the interview language, ${name} replaced by the answer
        HintRole,
        ValueRole,      // as stored
        MessageRole,    // the validation message shown under the question, "" when none
        RelevantRole,
        RequiredRole,   // always required (an expression-required question is checked on Next)
        ReadOnlyRole,
        AppearanceRole,
        ChoicesRole,    // [{name, label}] after choice_filter; consent: yes/no
        AccuracyRole    // geopoint: metres the fix must reach, 0 = any
    };
    Q_ENUM(Roles)

    explicit PageModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;
    int count() const { return int(m_questions.size()); }

    // Shows the questions of a page of the interview; clears the messages. Rows are named by
    // answer key (the question's name, or its path inside a repeat: person[2]/age).
    void reset(const Interview *interview, int page);
    void clear();
    // Values/relevance of these names (or all rows when empty) may have changed.
    void refresh(const QStringList &names = {});
    void setMessage(const QString &name, const QString &message);
    QString message(const QString &name) const { return m_messages.value(name); }
    bool hasMessage(const QString &name) const { return m_messages.contains(name); }
    int rowOf(const QString &name) const;
    QString nameAt(int row) const;

    // Form text with ${name} replaced by the current answers (display values); on a page of a
    // repeat instance, ${name} of that repeat means the instance's answer.
    static QString interpolate(const Interview &interview, const QString &text, int page = -1);
    // An answer as the fieldworker reads it: choice labels, "Yes"/"No", "lat, lon (± m)".
    // Several choices are joined by `separator` (Review puts one per line: labels hold commas).
    static QString displayValue(const Interview &interview, int question, const QString &raw,
                                const QString &separator = QStringLiteral(", "));

signals:
    void countChanged();

private:
    const Interview *m_interview = nullptr;
    int m_pageIndex = -1;
    QList<int> m_questions;
    QStringList m_keys; // answer key of each row
    QHash<QString, QString> m_messages;
};

} // namespace kerbside
