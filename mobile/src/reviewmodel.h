// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QAbstractListModel>
#include <QtQml/qqmlregistration.h>

namespace kerbside {

class Interview;

/** The review page: every relevant question the fieldworker can answer, its answer as read
 *  aloud, and the problem blocking Finalise if any, with the page to jump back to. */
class ReviewModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Owned by InterviewController")
    Q_PROPERTY(int count READ count NOTIFY countChanged)
    Q_PROPERTY(int issueCount READ issueCount NOTIFY countChanged)

public:
    enum Roles { NameRole = Qt::UserRole + 1, LabelRole, AnswerRole, IssueRole, PageRole };
    Q_ENUM(Roles)

    explicit ReviewModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;
    int count() const { return int(m_rows.size()); }
    int issueCount() const { return m_issues; }

    void rebuild(const Interview &interview);
    void clear();

signals:
    void countChanged();

private:
    struct Row
    {
        QString name;
        QString label;
        QString answer;
        QString issue;
        int page = -1;
    };
    QList<Row> m_rows;
    int m_issues = 0;
};

} // namespace kerbside
