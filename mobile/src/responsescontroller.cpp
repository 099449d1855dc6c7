// SPDX-License-Identifier: Apache-2.0
#include "responsescontroller.h"

#include "draftprogress.h"
#include "formcatalogue.h"
#include "preferences.h"
#include "responsesmodel.h"
#include "reviewmodel.h"
#include "storeservice.h"

#include "interview/interview.h"

namespace kerbside {

ResponsesController::ResponsesController(QObject *parent)
    : ServiceController(parent), m_model(new ResponsesModel(this)), m_viewing(new ReviewModel(this))
{
}

void ResponsesController::watchStore(StoreService *s)
{
    connect(s, &StoreService::changed, this, &ResponsesController::refresh);
}

void ResponsesController::watchPrefs(Preferences *p)
{
    connect(p, &Preferences::uiLanguageChanged, this, &ResponsesController::refresh);
}

void ResponsesController::servicesUpdated(Service which)
{
    // The list shows no position.
    if (which != Service::Position)
        refresh();
}

void ResponsesController::setFilter(const QString &f)
{
    if (f == m_filter || !filters().contains(f))
        return;
    m_filter = f;
    emit filterChanged();
    refresh();
}

QStringList ResponsesController::filters() const
{
    return {QStringLiteral("draft"),   QStringLiteral("complete"), QStringLiteral("refused"),
            QStringLiteral("partial"), QStringLiteral("screened_out"), QStringLiteral("discarded")};
}

void ResponsesController::refresh()
{
    if (!m_store)
        return;
    ResponseStatus status = ResponseStatus::Draft;
    responseStatusFromName(m_filter, &status);
    try {
        const QList<ResponseMeta> rows = m_store->store().responses({status});
        QHash<QString, QString> titles;
        QHash<QString, QString> progress;
        const QString lang = m_prefs ? m_prefs->uiLanguage() : QString();
        for (const ResponseMeta &r : rows) {
            if (m_catalogue && !titles.contains(r.formId))
                titles.insert(r.formId, m_catalogue->title(r.formId, lang));
            if (m_catalogue && r.status == ResponseStatus::Draft)
                progress.insert(r.uuid, DraftProgress::of(m_store->store(), *m_catalogue, r).text(r.updated, lang));
        }
        m_model->setRows(rows, titles, progress);
    } catch (const StoreError &e) {
        m_store->reportError(QString::fromUtf8(e.what()));
    }
}

bool ResponsesController::discard(const QString &uuid)
{
    if (!m_store)
        return false;
    try {
        m_store->store().discard(uuid);
    } catch (const StoreError &e) {
        m_store->reportError(QString::fromUtf8(e.what()));
        return false;
    }
    m_store->notifyChanged();
    return true;
}

bool ResponsesController::view(const QString &uuid)
{
    if (!m_store || !m_catalogue)
        return false;
    try {
        const std::optional<Response> r = m_store->store().response(uuid);
        if (!r || r->meta.status == ResponseStatus::Draft || r->meta.status == ResponseStatus::Discarded)
            return false;
        const Form *form = r->meta.formVersion.isEmpty() ? m_catalogue->form(r->meta.formId)
                                                         : m_catalogue->form(r->meta.formId, r->meta.formVersion);
        if (!form)
            return false;
        const QString lang = m_prefs ? m_prefs->uiLanguage() : QString();
        Interview iv(*form, form->languages.contains(lang) ? lang : r->meta.language);
        iv.load(r->answers);
        m_viewing->rebuild(iv);
        m_viewingTitle = m_catalogue->title(r->meta.formId, lang) + QStringLiteral(" · ")
                         + r->meta.started.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm"));
        emit viewingChanged();
        return true;
    } catch (const StoreError &e) {
        m_store->reportError(QString::fromUtf8(e.what()));
        return false;
    }
}

bool ResponsesController::restore(const QString &uuid)
{
    if (!m_store)
        return false;
    try {
        m_store->store().restore(uuid);
    } catch (const StoreError &e) {
        m_store->reportError(QString::fromUtf8(e.what()));
        return false;
    }
    m_store->notifyChanged();
    return true;
}

} // namespace kerbside
