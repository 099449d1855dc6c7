// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "form/form.h"

#include <QAbstractListModel>
#include <QStringList>
#include <QtQml/qqmlregistration.h>

#include <memory>
#include <vector>

namespace kerbside {

/** The forms on this device: every *.json in the forms folder that loads without problems.
 *  A form with problems is left out whole and its problems listed (never half a form).
 *  Forms live as long as the catalogue, so interviews may keep references to them. */
class FormCatalogue : public QAbstractListModel
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("The form catalogue is loaded in main() and handed to the screens")
    Q_PROPERTY(int count READ count NOTIFY countChanged)
    Q_PROPERTY(QString folder READ folder CONSTANT)
    Q_PROPERTY(QStringList problems READ problems NOTIFY countChanged)

public:
    enum Roles { FormIdRole = Qt::UserRole + 1, TitleRole, TitlesRole, VersionRole, LanguagesRole };
    Q_ENUM(Roles)

    explicit FormCatalogue(const QString &folder, QObject *parent = nullptr);
    ~FormCatalogue() override;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    int count() const { return int(m_forms.size()); }
    QString folder() const { return m_folder; }
    QStringList problems() const { return m_problems; }

    const Form *form(const QString &id) const; // nullptr when absent
    Q_INVOKABLE QString title(const QString &formId, const QString &language) const;
    Q_INVOKABLE QString formIdAt(int row) const;

signals:
    void countChanged();

private:
    void load();

    QString m_folder;
    std::vector<std::unique_ptr<Form>> m_forms; // sorted by id; pointers stay valid
    QStringList m_problems;
};

} // namespace kerbside
