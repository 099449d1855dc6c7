// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QObject>
#include <QPointer>
#include <QtQml/qqmlregistration.h>

Q_MOC_INCLUDE("formcatalogue.h")
Q_MOC_INCLUDE("preferences.h")
Q_MOC_INCLUDE("storeservice.h")

namespace kerbside {

class Preferences;
class StoreService;
class FormCatalogue;

/** The Settings screen: text size, high contrast, interface language and the identity set
 *  at first run, all kept in Preferences; plus where the data and forms are, for support. */
class SettingsController : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    Q_PROPERTY(kerbside::Preferences *prefs READ prefs WRITE setPrefs NOTIFY servicesChanged)
    Q_PROPERTY(kerbside::StoreService *store READ store WRITE setStore NOTIFY servicesChanged)
    Q_PROPERTY(kerbside::FormCatalogue *catalogue READ catalogue WRITE setCatalogue NOTIFY servicesChanged)
    Q_PROPERTY(QString dataPath READ dataPath NOTIFY servicesChanged)
    Q_PROPERTY(QString formsFolder READ formsFolder NOTIFY servicesChanged)
    Q_PROPERTY(QStringList formProblems READ formProblems NOTIFY servicesChanged)

public:
    explicit SettingsController(QObject *parent = nullptr);

    Preferences *prefs() const { return m_prefs; }
    void setPrefs(Preferences *p);
    StoreService *store() const { return m_store; }
    void setStore(StoreService *s);
    FormCatalogue *catalogue() const { return m_catalogue; }
    void setCatalogue(FormCatalogue *c);
    QString dataPath() const;
    QString formsFolder() const;
    QStringList formProblems() const;

    Q_INVOKABLE void biggerText();
    Q_INVOKABLE void smallerText();

signals:
    void servicesChanged();

private:
    QPointer<Preferences> m_prefs;
    QPointer<StoreService> m_store;
    QPointer<FormCatalogue> m_catalogue;
};

} // namespace kerbside
