// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <QObject>
#include <QPointer>
#include <QtQml/qqmlregistration.h>

Q_MOC_INCLUDE("formcatalogue.h")
Q_MOC_INCLUDE("positionservice.h")
Q_MOC_INCLUDE("preferences.h")
Q_MOC_INCLUDE("storeservice.h")

namespace kerbside {

class FormCatalogue;
class PositionService;
class Preferences;
class StoreService;

/** The services QML hands a screen's controller (store, preferences, form catalogue,
 *  position) and their one `servicesChanged` signal. Subclasses say, through the hooks, which
 *  signals of a service they follow and what to redo when a service is replaced.
 *  Subclasses write `public kerbside::ServiceController`: Qt 6.4's qmltyperegistrar looks a base
 *  up by the name as written, and unqualified their qmltypes lose these properties. */
class ServiceController : public QObject
{
    Q_OBJECT
    QML_ANONYMOUS
    Q_PROPERTY(kerbside::StoreService *store READ store WRITE setStore NOTIFY servicesChanged)
    Q_PROPERTY(kerbside::Preferences *prefs READ prefs WRITE setPrefs NOTIFY servicesChanged)
    Q_PROPERTY(kerbside::FormCatalogue *catalogue READ catalogue WRITE setCatalogue NOTIFY servicesChanged)
    Q_PROPERTY(kerbside::PositionService *position READ position WRITE setPosition NOTIFY servicesChanged)

public:
    // Out of line: a subclass's file need not include every service's header.
    StoreService *store() const;
    void setStore(StoreService *s);
    Preferences *prefs() const;
    void setPrefs(Preferences *p);
    FormCatalogue *catalogue() const;
    void setCatalogue(FormCatalogue *c);
    PositionService *position() const;
    void setPosition(PositionService *p);

signals:
    void servicesChanged();

protected:
    enum class Service { Store, Prefs, Catalogue, Position };

    explicit ServiceController(QObject *parent = nullptr);

    // A new service, never null, before servicesChanged; the old one is already disconnected
    // from this object, so connect here whatever this controller follows.
    virtual void watchStore(StoreService *) {}
    virtual void watchPrefs(Preferences *) {}
    virtual void watchCatalogue(FormCatalogue *) {}
    virtual void watchPosition(PositionService *) {}
    // After servicesChanged, also when the service was cleared.
    virtual void servicesUpdated(Service) {}

    QPointer<StoreService> m_store;
    QPointer<Preferences> m_prefs;
    QPointer<FormCatalogue> m_catalogue;
    QPointer<PositionService> m_position;
};

} // namespace kerbside
