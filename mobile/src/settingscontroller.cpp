// SPDX-License-Identifier: Apache-2.0
#include "settingscontroller.h"

#include "formcatalogue.h"
#include "preferences.h"
#include "storeservice.h"

namespace kerbside {

SettingsController::SettingsController(QObject *parent) : ServiceController(parent)
{
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
