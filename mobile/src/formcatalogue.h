// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "form/form.h"

#include <QAbstractListModel>
#include <QSet>
#include <QStringList>
#include <QtQml/qqmlregistration.h>

#include <memory>
#include <vector>

namespace kerbside {

/** The forms on this device: every *.json in the forms folder and in the folder the sync
 *  client downloads into (`<id>@<version>.json`) that loads without problems. A form with
 *  problems is left out whole and its problems listed (never half a form). Rows offer the
 *  newest version of each form id for new interviews; every version stays loaded so a draft
 *  resumes on the version it was started with. Forms live as long as the catalogue (reload()
 *  only adds), so interviews may keep references to them. */
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

    explicit FormCatalogue(const QString &folder, const QString &downloadFolder = {},
                           QObject *parent = nullptr);
    ~FormCatalogue() override;

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    int count() const { return int(m_forms.size()); }
    QString folder() const { return m_folder; }
    QStringList problems() const { return m_problems; }

    const Form *form(const QString &id) const; // the newest version; nullptr when absent
    // That exact version, for resuming a draft; nullptr when absent.
    const Form *form(const QString &id, const QString &version) const;
    QString downloadFolder() const { return m_downloadFolder; }
    // Picks up forms added to either folder since (after a sync). Never drops a loaded form.
    void reload();
    Q_INVOKABLE QString title(const QString &formId, const QString &language) const;
    Q_INVOKABLE QString formIdAt(int row) const;

signals:
    void countChanged();

private:
    void loadFolder(const QString &folder);
    void rebuildLatest();

    QString m_folder;
    QString m_downloadFolder;
    std::vector<std::unique_ptr<Form>> m_all; // every version loaded; pointers stay valid
    QSet<QString> m_loadedFiles;              // absolute paths already read
    std::vector<const Form *> m_forms;        // the rows: newest version per id, sorted by id
    QStringList m_problems;
};

} // namespace kerbside
