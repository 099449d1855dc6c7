// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "store/storetypes.h"

#include <QAbstractListModel>
#include <QtQml/qqmlregistration.h>

namespace kerbside {

/** Responses on the device for the Responses screen, newest first. */
class ResponsesModel : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("Owned by ResponsesController")
    Q_PROPERTY(int count READ count NOTIFY countChanged)

public:
    enum Roles {
        UuidRole = Qt::UserRole + 1,
        FormIdRole,
        FormTitleRole,
        StatusRole,   // "draft", "complete", "refused", "discarded"
        StartedRole,  // local "yyyy-MM-dd HH:mm"
        UpdatedRole,
        CaseStudyRole,
        SyncedRole,
        ProgressRole  // drafts: "page 7 of 13, 12 min ago"; "" otherwise
    };
    Q_ENUM(Roles)

    explicit ResponsesModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;
    int count() const { return int(m_rows.size()); }

    // `titles`: form id -> title in the interface language.
    // `progress`: uuid -> DraftProgress text, for drafts.
    void setRows(const QList<ResponseMeta> &rows, const QHash<QString, QString> &titles,
                 const QHash<QString, QString> &progress = {});

signals:
    void countChanged();

private:
    QList<ResponseMeta> m_rows;
    QHash<QString, QString> m_titles;
    QHash<QString, QString> m_progress;
};

} // namespace kerbside
