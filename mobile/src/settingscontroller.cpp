// SPDX-License-Identifier: Apache-2.0
#include "settingscontroller.h"

#include "formcatalogue.h"
#include "preferences.h"
#include "storeservice.h"

namespace kerbside {

SettingsController::SettingsController(QObject *parent) : QObject(parent)
{
}

void SettingsController::setPrefs(Preferences *p)
{
    if (m_prefs == p)
        return;
    m_prefs = p;
    emit servicesChanged();
}

void SettingsController::setStore(StoreService *s)
{
    if (m_store == s)
        return;
    m_store = s;
    emit servicesChanged();
}

void SettingsController::setCatalogue(FormCatalogue *c)
{
    if (m_catalogue == c)
        return;
    m_catalogue = c;
    emit servicesChanged();
}

QString SettingsController::dataPath() const
{
    return m_store ? m_store->path() : QString();
}

QString SettingsController::formsFolder() const
{
    return m_catalogue ? m_catalogue->folder() : QString();
}

QStringList SettingsController::formProblems() const
{
    return m_catalogue ? m_catalogue->problems() : QStringList();
}

void SettingsController::biggerText()
{
    if (m_prefs)
        m_prefs->setTextSize(m_prefs->textSize() + 1);
}

void SettingsController::smallerText()
{
    if (m_prefs)
        m_prefs->setTextSize(m_prefs->textSize() - 1);
}

} // namespace kerbside
