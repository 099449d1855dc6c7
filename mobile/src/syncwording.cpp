// SPDX-License-Identifier: Apache-2.0
#include "syncwording.h"

#include "synctypes.h"
#include "uistrings.h"

#include <QStringList>

namespace kerbside {

namespace {
// "_one" / "_many" pairs: English needs them; the Polish sentences put the number last so
// that no plural form is needed.
QString counted(const char *id, int n, const QString &language)
{
    const QString key = QLatin1String(id) + (n == 1 ? QLatin1String("_one") : QLatin1String("_many"));
    const QString s = UiStrings::text(key, language);
    return s.contains(QLatin1String("%1")) ? s.arg(n) : s; // "_one" may spell the number out
}
} // namespace

QString syncSummary(const SyncReport &r, int newForms, const QString &language)
{
    auto text = [&](const char *id) { return UiStrings::text(QLatin1String(id), language); };
    QStringList parts;
    switch (r.result) {
    case SyncReport::Result::NotEnrolled:
        return text("syncw_not_enrolled");
    case SyncReport::Result::Cancelled:
        parts << text("syncw_cancelled");
        break;
    case SyncReport::Result::Failed:
        // A network failure is the usual case in the street: say what to do, not the error code.
        parts << (r.error.startsWith(QLatin1String("connection failed")) ? text("syncw_no_connection")
                                                                          : text("syncw_failed").arg(r.error));
        break;
    case SyncReport::Result::NothingToDo:
        parts << text("syncw_nothing");
        break;
    case SyncReport::Result::Ok:
        break;
    }
    if (r.sent > 0)
        parts << counted("syncw_sent", r.sent, language);
    if (r.duplicates > 0)
        parts << text("syncw_duplicates").arg(r.duplicates);
    if (r.conflicts > 0)
        parts << text("syncw_conflicts").arg(r.conflicts);
    if (r.rejected > 0)
        parts << text("syncw_rejected").arg(r.rejected);
    if (newForms > 0)
        parts << counted("syncw_new_forms", newForms, language);
    if (!r.formProblems.isEmpty())
        parts << text("syncw_form_problems").arg(r.formProblems.size());
    if (r.waiting > 0)
        parts << text("syncw_waiting").arg(r.waiting);
    else if (r.ok())
        parts << text("syncw_all_there");
    return parts.join(QLatin1Char(' '));
}

} // namespace kerbside
