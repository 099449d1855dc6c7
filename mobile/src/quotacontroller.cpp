// SPDX-License-Identifier: Apache-2.0
#include "quotacontroller.h"

#include "fieldworkstate.h"
#include "formcatalogue.h"
#include "preferences.h"
#include "quota/quotaprogress.h"
#include "storeservice.h"

#include <QLocale>

namespace kerbside {

QuotaController::QuotaController(QObject *parent) : ServiceController(parent) {}

void QuotaController::watchStore(StoreService *s)
{
    connect(s, &StoreService::changed, this, &QuotaController::refresh);
}

void QuotaController::watchPrefs(Preferences *p)
{
    connect(p, &Preferences::caseStudyChanged, this, &QuotaController::refresh);
    connect(p, &Preferences::uiLanguageChanged, this, &QuotaController::refresh);
}

void QuotaController::watchCatalogue(FormCatalogue *c)
{
    connect(c, &FormCatalogue::countChanged, this, &QuotaController::refresh);
}

void QuotaController::servicesUpdated(Service which)
{
    if (which != Service::Position)
        refresh();
}

void QuotaController::clear()
{
    m_hasPlan = false;
    m_totalTarget = m_totalAchieved = m_screenedOut = 0;
    m_totalText.clear();
    m_asOf.clear();
    m_modeText.clear();
    m_cells.clear();
}

void QuotaController::refresh()
{
    clear();
    if (!m_store || !m_prefs || !m_catalogue) {
        emit changed();
        return;
    }
    const QString cs = m_prefs->caseStudy();
    const QString language = m_prefs->uiLanguage();
    try {
        const DeviceFieldwork f = deviceFieldwork(m_store->store(), cs);
        const Form *form = f.plan ? m_catalogue->form(f.plan->formId) : nullptr;
        if (!f.plan || !form) {
            emit changed();
            return;
        }
        const quota::Progress p = quota::progress(*f.plan, f.collectorCounts, unsyncedQuotaCounts(m_store->store(), *f.plan),
                                                  *form, form->languages.contains(language) ? language : QString());
        m_hasPlan = true;
        m_totalTarget = int(p.totalTarget);
        m_totalAchieved = int(p.totalTowardTarget);
        m_screenedOut = int(m_store->store().responses({ResponseStatus::ScreenedOut}, cs).size());
        m_totalText = m_prefs->text(QStringLiteral("quota_total")).arg(m_totalAchieved).arg(m_totalTarget);
        for (const quota::CellProgress &c : p.cells)
            m_cells << QVariantMap{{QStringLiteral("cell"), c.cell},
                                   {QStringLiteral("label"), c.label},
                                   {QStringLiteral("achieved"), int(c.achieved)},
                                   {QStringLiteral("target"), int(c.target)},
                                   {QStringLiteral("full"), c.full()}};
        if (f.countsAsOf.isValid()) {
            const QDateTime local = f.countsAsOf.toLocalTime();
            const QLocale locale(language == QLatin1String("pl") ? QLocale::Polish : QLocale::English);
            // The time alone when it was today; the day too when older (a tablet offline for days).
            const QString when = local.date() == QDate::currentDate()
                                     ? local.toString(QStringLiteral("HH:mm"))
                                     : locale.toString(local, QStringLiteral("d MMM, HH:mm"));
            m_asOf = m_prefs->text(QStringLiteral("quota_as_of")).arg(when);
        } else {
            m_asOf = m_prefs->text(QStringLiteral("quota_never_synced"));
        }
        m_modeText = m_prefs->text(f.plan->mode == quota::Mode::Hard ? QStringLiteral("quota_mode_hard")
                                                                     : QStringLiteral("quota_mode_soft"));
    } catch (const StoreError &e) {
        clear();
        m_store->reportError(QString::fromUtf8(e.what()));
    }
    emit changed();
}

} // namespace kerbside
