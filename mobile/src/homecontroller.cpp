// SPDX-License-Identifier: Apache-2.0
#include "homecontroller.h"

#include "formcatalogue.h"
#include "positionservice.h"
#include "preferences.h"
#include "storeservice.h"

namespace kerbside {

HomeController::HomeController(QObject *parent) : QObject(parent)
{
}

void HomeController::setStore(StoreService *s)
{
    if (m_store == s)
        return;
    if (m_store)
        disconnect(m_store, nullptr, this, nullptr);
    m_store = s;
    if (m_store)
        connect(m_store, &StoreService::changed, this, &HomeController::refresh);
    emit servicesChanged();
    refresh();
}

void HomeController::setPrefs(Preferences *p)
{
    if (m_prefs == p)
        return;
    if (m_prefs)
        disconnect(m_prefs, nullptr, this, nullptr);
    m_prefs = p;
    if (m_prefs) {
        connect(m_prefs, &Preferences::caseStudyChanged, this, &HomeController::refresh);
        connect(m_prefs, &Preferences::uiLanguageChanged, this, &HomeController::refresh);
    }
    emit servicesChanged();
    refresh();
}

void HomeController::setCatalogue(FormCatalogue *c)
{
    if (m_catalogue == c)
        return;
    m_catalogue = c;
    if (m_catalogue && m_selectedFormId.isEmpty() && m_catalogue->count() > 0) {
        // The vox pop is the form most fieldworkers need; otherwise the first form.
        const QString voxpop = QStringLiteral("community-contracts-voxpop");
        setSelectedFormId(m_catalogue->form(voxpop) ? voxpop : m_catalogue->formIdAt(0));
    }
    emit servicesChanged();
    refresh();
}

void HomeController::setPosition(PositionService *p)
{
    if (m_position == p)
        return;
    m_position = p;
    emit servicesChanged();
}

void HomeController::setSelectedFormId(const QString &id)
{
    if (id == m_selectedFormId)
        return;
    m_selectedFormId = id;
    emit selectedFormIdChanged();
}

void HomeController::refresh()
{
    if (!m_store)
        return;
    try {
        const QString cs = m_prefs ? m_prefs->caseStudy() : QString();
        const StoreCounts c = m_store->store().counts(cs);
        m_today = c.today;
        m_all = c.all;
        m_waiting = c.waiting;
        m_drafts = c.drafts;
        m_contacts = c.contacts;
        const std::optional<ResponseMeta> draft = m_store->store().latestDraft();
        m_draftUuid = draft ? draft->uuid : QString();
        m_draftFormTitle = draft && m_catalogue
                               ? m_catalogue->title(draft->formId, m_prefs ? m_prefs->uiLanguage() : QString())
                               : QString();
        m_draftUpdated = draft ? draft->updated.toLocalTime().toString(QStringLiteral("HH:mm")) : QString();
    } catch (const StoreError &e) {
        m_store->reportError(QString::fromUtf8(e.what()));
    }
    emit countsChanged();
}

QStringList HomeController::dispositions() const
{
    return {dispositionName(Disposition::Refused), dispositionName(Disposition::NotResident),
            dispositionName(Disposition::Ineligible), dispositionName(Disposition::LanguageBarrier),
            dispositionName(Disposition::ComeBackLater), dispositionName(Disposition::Other)};
}

QStringList HomeController::ageBands() const
{
    return {QStringLiteral("16-24"), QStringLiteral("25-44"), QStringLiteral("45-64"), QStringLiteral("65+")};
}

QStringList HomeController::genders() const
{
    return {QStringLiteral("female"), QStringLiteral("male"), QStringLiteral("other")};
}

bool HomeController::logApproach(const QString &disposition, const QString &ageBand, const QString &gender)
{
    if (!m_store)
        return false;
    ContactEntry e;
    if (!dispositionFromName(disposition, &e.disposition)) {
        setLastMessage(m_prefs ? m_prefs->text(QStringLiteral("approach_unknown")) : disposition);
        return false;
    }
    e.caseStudy = m_prefs ? m_prefs->caseStudy() : QString();
    e.enumerator = m_prefs ? m_prefs->enumerator() : QString();
    e.deviceId = m_prefs ? m_prefs->deviceId() : QString();
    e.time = QDateTime::currentDateTimeUtc();
    if (m_position)
        e.location = m_position->lastLocation();
    e.ageBand = ageBand;
    e.gender = gender;
    try {
        m_store->store().logContact(e);
    } catch (const StoreError &err) {
        m_store->reportError(QString::fromUtf8(err.what()));
        return false;
    }
    setLastMessage(m_prefs ? m_prefs->text(QStringLiteral("approach_logged")) : QString());
    m_store->notifyChanged();
    return true;
}

void HomeController::setLastMessage(const QString &m)
{
    m_lastMessage = m;
    emit lastMessageChanged();
}

} // namespace kerbside
