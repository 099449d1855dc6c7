// SPDX-License-Identifier: Apache-2.0
#include "servicecontroller.h"

#include "formcatalogue.h"
#include "positionservice.h"
#include "preferences.h"
#include "storeservice.h"

namespace kerbside {

ServiceController::ServiceController(QObject *parent) : QObject(parent)
{
}

StoreService *ServiceController::store() const
{
    return m_store;
}

void ServiceController::setStore(StoreService *s)
{
    if (m_store == s)
        return;
    if (m_store)
        disconnect(m_store, nullptr, this, nullptr);
    m_store = s;
    if (m_store)
        watchStore(m_store);
    emit servicesChanged();
    servicesUpdated(Service::Store);
}

Preferences *ServiceController::prefs() const
{
    return m_prefs;
}

void ServiceController::setPrefs(Preferences *p)
{
    if (m_prefs == p)
        return;
    if (m_prefs)
        disconnect(m_prefs, nullptr, this, nullptr);
    m_prefs = p;
    if (m_prefs)
        watchPrefs(m_prefs);
    emit servicesChanged();
    servicesUpdated(Service::Prefs);
}

FormCatalogue *ServiceController::catalogue() const
{
    return m_catalogue;
}

void ServiceController::setCatalogue(FormCatalogue *c)
{
    if (m_catalogue == c)
        return;
    if (m_catalogue)
        disconnect(m_catalogue, nullptr, this, nullptr);
    m_catalogue = c;
    if (m_catalogue)
        watchCatalogue(m_catalogue);
    emit servicesChanged();
    servicesUpdated(Service::Catalogue);
}

PositionService *ServiceController::position() const
{
    return m_position;
}

void ServiceController::setPosition(PositionService *p)
{
    if (m_position == p)
        return;
    if (m_position)
        disconnect(m_position, nullptr, this, nullptr);
    m_position = p;
    if (m_position)
        watchPosition(m_position);
    emit servicesChanged();
    servicesUpdated(Service::Position);
}

} // namespace kerbside
