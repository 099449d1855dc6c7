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

QString syncFailure(const SyncReport &r, const QString &language)
{
    auto text = [&](const char *id) { return UiStrings::text(QLatin1String(id), language); };
    // Each cause says what to do; the engine's English detail stays in its log, never inside a
    // sentence in another language. Only the collector's HTTP status (a number) is quoted, for
    // the coordinator.
    using Code = SyncError::Code;
    switch (r.failure.value_or(Code::Network)) {
    case Code::Network: return text("syncw_no_connection");
    case Code::Address: return text("syncw_fail_address");
    case Code::Unauthorised: return text("syncw_fail_not_accepted");
    case Code::Refused: return text("syncw_fail_refused").arg(r.httpStatus);
    case Code::Protocol: return text("syncw_fail_unreadable");
    case Code::DiskFull: return text("syncw_fail_disk_full");
    case Code::FileWrite: return text("syncw_fail_file_write");
    case Code::FileRead: return text("syncw_fail_file_read");
    case Code::NotEnrolled: return text("syncw_not_enrolled");
    case Code::Cancelled: return text("syncw_cancelled");
    case Code::Store: break;
    }
    return text("syncw_fail_store");
}

QString enrolledSummary(const QString &url, const QStringList &caseStudies, const QString &language)
{
    return caseStudies.isEmpty()
        ? UiStrings::text(QStringLiteral("enrolw_done"), language).arg(url)
        : UiStrings::text(QStringLiteral("enrolw_done_for"), language).arg(url, caseStudies.join(QStringLiteral(", ")));
}

QString enrolFailedSummary(const SyncReport &r, const QString &language)
{
    using Code = SyncError::Code;
    const Code code = r.failure.value_or(Code::Network);
    // At enrolment a refusal is almost always the code: mistyped, used already or expired.
    const bool codeRefused = code == Code::Refused || code == Code::Unauthorised;
    return UiStrings::text(QStringLiteral("enrolw_failed"), language) + QLatin1Char(' ')
        + (codeRefused ? UiStrings::text(QStringLiteral("enrolw_code_refused"), language) : syncFailure(r, language));
}

QString usbSummary(const SyncReport &r, const QString &path, const QString &language)
{
    auto text = [&](const char *id) { return UiStrings::text(QLatin1String(id), language); };
    switch (r.result) {
    case SyncReport::Result::Ok:
        return (r.sent == 1 ? text("usbw_saved_one").arg(path) : text("usbw_saved_many").arg(r.sent).arg(path))
            + QLatin1Char(' ') + text("usbw_give_stick");
    case SyncReport::Result::NothingToDo:
        return text("usbw_nothing");
    case SyncReport::Result::NotEnrolled:
        return text("usbw_not_enrolled");
    case SyncReport::Result::Cancelled:
    case SyncReport::Result::Failed:
        break;
    }
    return syncFailure(r, language);
}

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
        parts << syncFailure(r, language);
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
