// SPDX-License-Identifier: Apache-2.0
#include "homecontroller.h"

#include "draftprogress.h"
#include "formcatalogue.h"
#include "form/observedchoices.h"
#include "positionservice.h"
#include "preferences.h"
#include "storeservice.h"

namespace kerbside {

HomeController::HomeController(QObject *parent)
    : ServiceController(parent), m_fade(new QTimer(this)), m_minutes(new QTimer(this))
{
    m_fade->setSingleShot(true);
    m_fade->setInterval(kMessageMs);
    connect(m_fade, &QTimer::timeout, this, [this] { setLastMessage({}); });
    m_minutes->setInterval(60 * 1000);
    connect(m_minutes, &QTimer::timeout, this, &HomeController::refresh);
    m_minutes->start();
}

void HomeController::watchStore(StoreService *s)
{
    connect(s, &StoreService::changed, this, &HomeController::refresh);
}

void HomeController::watchPrefs(Preferences *p)
{
    connect(p, &Preferences::caseStudyChanged, this, &HomeController::refresh);
    connect(p, &Preferences::uiLanguageChanged, this, &HomeController::refresh);
    connect(p, &Preferences::uiLanguageChanged, this, &HomeController::observedChanged);
}

void HomeController::watchCatalogue(FormCatalogue *c)
{
    // A newer version of the form may bring other lists (after a sync).
    connect(c, &QAbstractItemModel::modelReset, this, &HomeController::observedChanged);
    if (m_selectedFormId.isEmpty() && c->count() > 0) {
        // The vox pop is the form most fieldworkers need; otherwise the first form.
        const QString voxpop = QStringLiteral("community-contracts-voxpop");
        setSelectedFormId(c->form(voxpop) ? voxpop : c->formIdAt(0));
    }
}

void HomeController::servicesUpdated(Service which)
{
    // The position is read only when an approach is logged.
    if (which != Service::Position)
        refresh();
}

void HomeController::setSelectedFormId(const QString &id)
{
    if (id == m_selectedFormId)
        return;
    m_selectedFormId = id;
    emit selectedFormIdChanged();
    emit observedChanged();
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
        m_draftList.clear();
        const QString language = m_prefs ? m_prefs->uiLanguage() : QString();
        for (const ResponseMeta &d : m_store->store().responses({ResponseStatus::Draft})) {
            const DraftProgress p = m_catalogue ? DraftProgress::of(m_store->store(), *m_catalogue, d) : DraftProgress{};
            m_draftList << QVariantMap{
                {QStringLiteral("uuid"), d.uuid},
                {QStringLiteral("title"), m_catalogue ? m_catalogue->title(d.formId, language) : d.formId},
                {QStringLiteral("progress"), p.text(d.updated, language)}};
        }
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

QVariantList HomeController::observed(const QString &question) const
{
    QVariantList out;
    const Form *form = m_catalogue ? m_catalogue->form(m_selectedFormId) : nullptr;
    if (!form)
        return out;
    const QString language = m_prefs ? m_prefs->uiLanguage() : QString();
    for (const Choice &c : observedChoices(*form, question))
        out << QVariantMap{{QStringLiteral("name"), c.name},
                           {QStringLiteral("label"), c.label.text(language, form->defaultLanguage)}};
    return out;
}

bool HomeController::isObserved(const QString &question, const QString &code) const
{
    if (code.isEmpty())
        return true; // not noted
    const Form *form = m_catalogue ? m_catalogue->form(m_selectedFormId) : nullptr;
    if (!form)
        return false;
    for (const Choice &c : observedChoices(*form, question)) {
        if (c.name == code)
            return true;
    }
    return false;
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
    // Only the form's own codes are stored, so the contact log and the interviews line up.
    if (!isObserved(observed::ageBand, ageBand) || !isObserved(observed::gender, gender)) {
        setLastMessage(m_prefs ? m_prefs->text(QStringLiteral("approach_unknown")) : ageBand + gender);
        return false;
    }
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
    if (!m.isEmpty())
        m_fade->start();
    emit lastMessageChanged();
}

} // namespace kerbside
