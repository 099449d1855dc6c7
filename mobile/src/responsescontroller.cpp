// SPDX-License-Identifier: Apache-2.0
#include "responsescontroller.h"

#include "formcatalogue.h"
#include "preferences.h"
#include "responsesmodel.h"
#include "storeservice.h"

namespace kerbside {

ResponsesController::ResponsesController(QObject *parent)
    : QObject(parent), m_model(new ResponsesModel(this))
{
}

void ResponsesController::setStore(StoreService *s)
{
    if (m_store == s)
        return;
    if (m_store)
        disconnect(m_store, nullptr, this, nullptr);
    m_store = s;
    if (m_store)
        connect(m_store, &StoreService::changed, this, &ResponsesController::refresh);
    emit servicesChanged();
    refresh();
}

void ResponsesController::setPrefs(Preferences *p)
{
    if (m_prefs == p)
        return;
    if (m_prefs)
        disconnect(m_prefs, nullptr, this, nullptr);
    m_prefs = p;
    if (m_prefs)
        connect(m_prefs, &Preferences::uiLanguageChanged, this, &ResponsesController::refresh);
    emit servicesChanged();
    refresh();
}

void ResponsesController::setCatalogue(FormCatalogue *c)
{
    if (m_catalogue == c)
        return;
    m_catalogue = c;
    emit servicesChanged();
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
    return {QStringLiteral("draft"), QStringLiteral("complete"), QStringLiteral("refused"),
            QStringLiteral("discarded")};
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
        const QString lang = m_prefs ? m_prefs->uiLanguage() : QString();
        for (const ResponseMeta &r : rows) {
            if (m_catalogue && !titles.contains(r.formId))
                titles.insert(r.formId, m_catalogue->title(r.formId, lang));
        }
        m_model->setRows(rows, titles);
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
