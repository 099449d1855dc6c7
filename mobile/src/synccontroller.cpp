// SPDX-License-Identifier: Apache-2.0
#include "synccontroller.h"

#include "formcatalogue.h"
#include "preferences.h"
#include "settingkeys.h"
#include "storeservice.h"

#include "syncengine.h"
#include "syncsettings.h"
#include "syncwording.h"
#include "uistrings.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QMetaObject>
#include <QRegularExpression>
#include <QStandardPaths>

namespace kerbside {

namespace {

QString timeOf(qint64 msSinceEpoch)
{
    return msSinceEpoch > 0 ? QDateTime::fromMSecsSinceEpoch(msSinceEpoch).toString(QStringLiteral("HH:mm"))
                            : QString();
}

QString englishProgress(const SyncProgress &p)
{
    if (!p.message.isEmpty())
        return p.message;
    return p.total > 0 ? QStringLiteral("%1 of %2").arg(p.done).arg(p.total) : QString();
}

} // namespace

SyncController::SyncController(QObject *parent) : ServiceController(parent)
{
}

SyncController::~SyncController()
{
    // The worker may still be blocked in a request: stop it, and wait so it never calls back
    // into a controller that is gone.
    if (m_engine)
        m_engine->cancel();
    if (m_worker.joinable())
        m_worker.join();
}

void SyncController::watchStore(StoreService *s)
{
    connect(s, &StoreService::changed, this, &SyncController::refresh);
}

void SyncController::watchPrefs(Preferences *p)
{
    // First run stores the collector URL and code: the enrolment fields show them.
    connect(p, &Preferences::identityChanged, this, &SyncController::refresh);
    connect(p, &Preferences::firstRunDoneChanged, this, &SyncController::refresh);
}

void SyncController::servicesUpdated(Service which)
{
    // What this screen shows comes from the store and the preferences; the catalogue is only
    // reloaded after a sync that brought forms.
    if (which == Service::Store || which == Service::Prefs)
        refresh();
}

void SyncController::setEngine(std::shared_ptr<SyncEngine> engine)
{
    m_engine = std::move(engine);
    if (m_engine) {
        // Called on the worker thread: hop to the GUI thread (the destructor joins the worker,
        // so `this` outlives every call).
        m_engine->setProgressHook([this](const SyncProgress &p) {
            const double fraction = p.total > 0 ? double(p.done) / p.total : 0;
            const QString text = englishProgress(p);
            QMetaObject::invokeMethod(this, [this, fraction, text] {
                m_progress = qBound(0.0, fraction, 1.0);
                m_phaseText = text;
                emit progressChanged();
            }, Qt::QueuedConnection);
        });
    }
    refresh();
}

QString SyncController::suggestedUrl() const
{
    return m_store ? m_store->setting(settingkeys::collectorUrl) : QString();
}

QString SyncController::suggestedCode() const
{
    return m_store ? m_store->setting(settingkeys::enrolmentCode) : QString();
}

QString SyncController::usbFolder() const
{
#if defined(Q_OS_LINUX) && !defined(Q_OS_ANDROID)
    // A stick is mounted under /media/<user> (or /media) on a Linux desktop.
    const QString user = qEnvironmentVariable("USER");
    if (!user.isEmpty() && QFileInfo(QStringLiteral("/media/") + user).isDir())
        return QStringLiteral("/media/") + user;
    if (QFileInfo(QStringLiteral("/media")).isDir())
        return QStringLiteral("/media");
    return QStandardPaths::writableLocation(QStandardPaths::HomeLocation);
#else
    // Android/iOS/Windows/macOS: the user's documents folder (an OTG stick is picked from
    // there with the system's file manager; the app may only write to its own storage).
    return QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
#endif
}

QString SyncController::idleState() const
{
    return m_enrolled ? QStringLiteral("idle") : QStringLiteral("notSetUp");
}

void SyncController::setState(const QString &state)
{
    m_state = state;
    emit stateChanged();
}

void SyncController::refresh()
{
    if (!m_store)
        return;
    try {
        m_waiting = m_store->store().outboxSize();
        m_enrolled = m_engine && !m_store->setting(syncsettings::deviceToken).isEmpty()
                     && !m_store->setting(syncsettings::collectorUrl).isEmpty();
        m_collectorUrl = m_enrolled ? m_store->setting(syncsettings::collectorUrl) : QString();
        m_lastResult = m_store->setting(syncsettings::lastSyncSummary);
        m_lastResultTime = timeOf(m_store->setting(syncsettings::lastSyncMs).toLongLong());
    } catch (const StoreError &e) {
        m_store->reportError(QString::fromUtf8(e.what()));
    }
    // done/failed stay until the next action; a fresh screen says where things stand.
    if (!m_busy && m_state != QLatin1String("done") && m_state != QLatin1String("failed"))
        m_state = idleState();
    emit stateChanged();
}

bool SyncController::run(const QString &state, std::function<Outcome()> work)
{
    if (m_busy || !m_engine || !m_store)
        return false;
    if (m_worker.joinable())
        m_worker.join(); // the previous call has already reported back
    m_busy = true;
    m_progress = 0;
    m_phaseText.clear();
    emit progressChanged();
    setState(state);
    m_worker = std::thread([this, work = std::move(work)] {
        Outcome outcome = work();
        QMetaObject::invokeMethod(this, [this, outcome] { finish(outcome); }, Qt::QueuedConnection);
    });
    return true;
}

void SyncController::persistSummary(const QString &summary)
{
    try {
        m_store->setSetting(syncsettings::lastSyncSummary, summary);
        m_store->setSetting(syncsettings::lastSyncMs, QString::number(QDateTime::currentMSecsSinceEpoch()));
    } catch (const StoreError &e) {
        m_store->reportError(QString::fromUtf8(e.what()));
    }
}

QString SyncController::language() const
{
    return m_prefs ? m_prefs->uiLanguage() : QString();
}

void SyncController::finish(const Outcome &outcome)
{
    if (m_worker.joinable())
        m_worker.join(); // it has returned: this lambda was its last act
    m_busy = false;
    if (outcome.persist) // syncNow() stores its own summary in the worker's connection
        persistSummary(outcome.summary);
    if (outcome.report) {
        // The engine's English summary is replaced by plain words in the interface language.
        // "New questionnaires" are only those the tablet did not have (a first sync downloads
        // the published demo forms it already carries).
        int newForms = 0;
        for (const QString &f : outcome.report->formsDownloaded) {
            const QStringList idVersion = f.split(QLatin1Char(' '));
            if (!m_catalogue || idVersion.size() != 2 || !m_catalogue->form(idVersion[0], idVersion[1]))
                ++newForms;
        }
        persistSummary(syncSummary(*outcome.report, newForms, language()));
    }
    if (outcome.enrolled && m_store) {
        try {
            // The code is single-use: forget it; and the tablet now sends.
            m_store->setSetting(settingkeys::enrolmentCode, QString());
        } catch (const StoreError &e) {
            m_store->reportError(QString::fromUtf8(e.what()));
        }
        if (m_prefs) {
            m_prefs->reloadEnrolment(); // the collector's device id and case studies
            if (m_prefs->offlineOnly())
                m_prefs->setOfflineOnly(false);
        }
    }
    if (!outcome.exportPath.isEmpty())
        m_lastExportPath = outcome.exportPath;
    m_state = outcome.ok ? QStringLiteral("done") : QStringLiteral("failed");
    if (outcome.ok)
        m_progress = 1;
    emit progressChanged();
    if (outcome.formsDownloaded && m_catalogue)
        m_catalogue->reload();
    if (m_store)
        m_store->notifyChanged(); // Home's counts, the outbox, this screen (refresh())
    refresh();
    emit finished();
}

void SyncController::enrol(const QString &url, const QString &code)
{
    const QString u = url.trimmed();
    const QString c = code.trimmed();
    if (u.isEmpty() || c.isEmpty()) {
        m_state = QStringLiteral("failed");
        persistSummary(UiStrings::text(QStringLiteral("enrolw_missing"), language()));
        refresh();
        emit finished();
        return;
    }
    std::shared_ptr<SyncEngine> engine = m_engine;
    run(QStringLiteral("enrolling"), [engine, u, c, language = language()] {
        Outcome o;
        o.persist = true;
        try {
            const EnrolResult r = engine->enrol(u, c);
            QStringList names;
            for (const auto &cs : r.caseStudies)
                names << cs.second;
            o.ok = true;
            o.enrolled = true;
            o.summary = enrolledSummary(u, names, language);
        } catch (const SyncError &e) {
            SyncReport failed;
            failed.fail(e);
            o.summary = enrolFailedSummary(failed, language);
        } catch (const std::exception &e) {
            SyncReport failed;
            failed.fail(e);
            o.summary = enrolFailedSummary(failed, language);
        }
        return o;
    });
}

void SyncController::syncNow()
{
    if (!m_enrolled) {
        // Not set up: nothing leaves the tablet, and the screen says how to set it up.
        m_state = QStringLiteral("notSetUp");
        refresh();
        emit finished();
        return;
    }
    std::shared_ptr<SyncEngine> engine = m_engine;
    run(QStringLiteral("syncing"), [engine] {
        const SyncReport r = engine->syncNow(); // stores sync_last_summary itself
        Outcome o;
        o.ok = r.ok();
        o.summary = r.summary();
        o.formsDownloaded = !r.formsDownloaded.isEmpty();
        o.report = r;
        return o;
    });
}

void SyncController::cancel()
{
    if (m_engine && m_busy)
        m_engine->cancel();
}

void SyncController::exportToUsb(const QString &folderPath)
{
    const QString folder = QDir::fromNativeSeparators(folderPath.trimmed());
    if (folder.isEmpty() || !QFileInfo(folder).isDir() || !QFileInfo(folder).isWritable()) {
        m_state = QStringLiteral("failed");
        persistSummary(UiStrings::text(QStringLiteral("usbw_bad_folder"), language())
                           .arg(folder.isEmpty() ? UiStrings::text(QStringLiteral("usbw_no_folder"), language()) : folder));
        refresh();
        emit finished();
        return;
    }
    // kerbside-<device>-<timestamp>.kbatch: the device's name (or id) kept to safe characters.
    QString device = m_store ? m_store->setting(settingkeys::deviceName) : QString();
    if (device.trimmed().isEmpty() && m_store)
        device = m_store->setting(settingkeys::deviceId).left(8);
    static const QRegularExpression unsafe(QStringLiteral("[^A-Za-z0-9_]+"));
    device = device.trimmed().replace(unsafe, QStringLiteral("_"));
    if (device.isEmpty())
        device = QStringLiteral("tablet");
    const QString path = QDir(folder).filePath(
        QStringLiteral("kerbside-%1-%2.kbatch")
            .arg(device, QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-HHmmss"))));
    std::shared_ptr<SyncEngine> engine = m_engine;
    run(QStringLiteral("exporting"), [engine, path, language = language()] {
        const SyncReport r = engine->writeBatchFile(path);
        Outcome o;
        o.persist = true;
        o.ok = r.ok();
        if (r.result == SyncReport::Result::Ok)
            o.exportPath = path;
        o.summary = usbSummary(r, path, language);
        return o;
    });
}

} // namespace kerbside
