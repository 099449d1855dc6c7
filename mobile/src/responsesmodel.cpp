// SPDX-License-Identifier: Apache-2.0
#include "responsesmodel.h"

namespace kerbside {

ResponsesModel::ResponsesModel(QObject *parent) : QAbstractListModel(parent)
{
}

int ResponsesModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : count();
}

QVariant ResponsesModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ResponseMeta &r = m_rows[index.row()];
    const QString format = QStringLiteral("yyyy-MM-dd HH:mm");
    switch (role) {
    case UuidRole:
        return r.uuid;
    case FormIdRole:
        return r.formId;
    case Qt::DisplayRole:
    case FormTitleRole:
        return m_titles.value(r.formId, r.formId);
    case StatusRole:
        return responseStatusName(r.status);
    case StartedRole:
        return r.started.toLocalTime().toString(format);
    case UpdatedRole:
        return r.updated.toLocalTime().toString(format);
    case CaseStudyRole:
        return r.caseStudy;
    case SyncedRole:
        return r.synced;
    case ProgressRole:
        return m_progress.value(r.uuid);
    }
    return {};
}

QHash<int, QByteArray> ResponsesModel::roleNames() const
{
    return {{UuidRole, "uuid"},       {FormIdRole, "formId"},   {FormTitleRole, "formTitle"},
            {StatusRole, "status"},   {StartedRole, "started"}, {UpdatedRole, "updated"},
            {CaseStudyRole, "caseStudy"}, {SyncedRole, "synced"}, {ProgressRole, "progress"}};
}

void ResponsesModel::setRows(const QList<ResponseMeta> &rows, const QHash<QString, QString> &titles,
                             const QHash<QString, QString> &progress)
{
    beginResetModel();
    m_rows = rows;
    m_titles = titles;
    m_progress = progress;
    endResetModel();
    emit countChanged();
}

} // namespace kerbside
