// SPDX-License-Identifier: Apache-2.0
#include "draftprogress.h"

#include "formcatalogue.h"
#include "interview/interview.h"
#include "store/devicestore.h"
#include "uistrings.h"

namespace kerbside {

DraftProgress DraftProgress::of(const DeviceStore &store, const FormCatalogue &catalogue, const ResponseMeta &meta)
{
    DraftProgress p;
    const Form *form = meta.formVersion.isEmpty() ? catalogue.form(meta.formId)
                                                  : catalogue.form(meta.formId, meta.formVersion);
    const std::optional<Response> r = form ? store.response(meta.uuid) : std::nullopt;
    if (!r)
        return p;
    Interview iv(*form, meta.language);
    iv.load(r->answers);
    const QList<int> pages = iv.relevantPages();
    p.total = int(pages.size());
    const int at = meta.cursor.isEmpty() ? -1 : iv.pageOf(meta.cursor);
    p.page = qMax(1, int(pages.indexOf(at)) + 1);
    return p;
}

QString DraftProgress::ago(const QDateTime &when, const QString &language, const QDateTime &now)
{
    const qint64 minutes = qMax<qint64>(0, when.secsTo(now) / 60);
    if (minutes < 1)
        return UiStrings::text(QStringLiteral("ago_now"), language);
    if (minutes < 60)
        return UiStrings::text(QStringLiteral("ago_minutes"), language).arg(minutes);
    if (minutes < 24 * 60)
        return UiStrings::text(QStringLiteral("ago_hours"), language).arg(minutes / 60);
    return when.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm"));
}

QString DraftProgress::text(const QDateTime &updated, const QString &language, const QDateTime &now) const
{
    const QString when = ago(updated, language, now);
    if (total <= 0)
        return when;
    return UiStrings::text(QStringLiteral("draft_progress"), language).arg(page).arg(total).arg(when);
}

} // namespace kerbside
