// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QObject>
#include <QPointer>
#include <QtQml/qqmlregistration.h>

Q_MOC_INCLUDE("formcatalogue.h")
Q_MOC_INCLUDE("preferences.h")
Q_MOC_INCLUDE("responsesmodel.h")
Q_MOC_INCLUDE("storeservice.h")

namespace kerbside {

class FormCatalogue;
class Preferences;
class ResponsesModel;
class StoreService;

/** The Responses screen: lists drafts, completed, refused or discarded responses; discards a
 *  draft (soft: recoverable until sync) and restores a discarded one. Resuming is the
 *  interview screen's job. */
class ResponsesController : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(kerbside::StoreService *store READ store WRITE setStore NOTIFY servicesChanged)
    Q_PROPERTY(kerbside::Preferences *prefs READ prefs WRITE setPrefs NOTIFY servicesChanged)
    Q_PROPERTY(kerbside::FormCatalogue *catalogue READ catalogue WRITE setCatalogue NOTIFY servicesChanged)
    Q_PROPERTY(kerbside::ResponsesModel *model READ model CONSTANT)
    Q_PROPERTY(QString filter READ filter WRITE setFilter NOTIFY filterChanged) // a status name
    Q_PROPERTY(QStringList filters READ filters CONSTANT)

public:
    explicit ResponsesController(QObject *parent = nullptr);

    StoreService *store() const { return m_store; }
    void setStore(StoreService *s);
    Preferences *prefs() const { return m_prefs; }
    void setPrefs(Preferences *p);
    FormCatalogue *catalogue() const { return m_catalogue; }
    void setCatalogue(FormCatalogue *c);
    ResponsesModel *model() const { return m_model; }
    QString filter() const { return m_filter; }
    void setFilter(const QString &f);
    QStringList filters() const;

    Q_INVOKABLE void refresh();
    Q_INVOKABLE bool discard(const QString &uuid);
    Q_INVOKABLE bool restore(const QString &uuid);

signals:
    void servicesChanged();
    void filterChanged();

private:
    QPointer<StoreService> m_store;
    QPointer<Preferences> m_prefs;
    QPointer<FormCatalogue> m_catalogue;
    ResponsesModel *m_model;
    QString m_filter = QStringLiteral("draft");
};

} // namespace kerbside
