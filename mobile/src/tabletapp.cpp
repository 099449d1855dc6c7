// SPDX-License-Identifier: Apache-2.0
#include "tabletapp.h"

#include "formcatalogue.h"
#include "interviewcontroller.h"
#include "positionservice.h"
#include "preferences.h"
#include "storeservice.h"
#include "synccontroller.h"

#include "form/form.h"
#include "syncengine.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QMetaObject>
#include <QQmlApplicationEngine>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QScreen>
#include <QSysInfo>
#include <QTemporaryDir>

#include <atomic>

namespace kerbside {

namespace {
std::atomic<int> g_warnings{0};
QtMessageHandler g_previousHandler = nullptr;

void countingHandler(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (type == QtWarningMsg || type == QtCriticalMsg || type == QtFatalMsg)
        ++g_warnings;
    if (g_previousHandler)
        g_previousHandler(type, context, message);
}

// Lets queued work (bindings, deferred deletes, polish) settle.
void settle()
{
    for (int i = 0; i < 3; ++i)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 20);
}
} // namespace

TabletApp::TabletApp(TabletOptions options, QObject *parent)
    : QObject(parent), m_options(std::move(options))
{
}

TabletApp::~TabletApp()
{
    // QML first: it holds pointers to the services below.
    m_engine.reset();
}

void TabletApp::installWarningCounter()
{
    g_previousHandler = qInstallMessageHandler(countingHandler);
}

int TabletApp::warningCount()
{
    return g_warnings.load();
}

bool TabletApp::load()
{
    if (m_options.selfTest && m_options.dataDir.isEmpty()) {
        m_tempData = std::make_unique<QTemporaryDir>();
        m_options.dataDir = m_tempData->path();
        if (m_options.positioning == TabletOptions::Positioning::Platform)
            m_options.positioning = TabletOptions::Positioning::None;
    }
    m_options.applyDefaults();
    if (!QDir().mkpath(m_options.dataDir)) {
        m_error = QStringLiteral("Cannot create the data folder %1").arg(m_options.dataDir);
        return false;
    }
    try {
        StoreOpenReport opened;
        m_store = new StoreService(DeviceStore::open(m_options.databasePath(), &opened), this);
        m_store->setNotice(opened.message()); // after damage: what was saved, in plain words
        m_prefs = new Preferences(m_store, this);
        if (m_options.demo)
            m_prefs->addDemoCaseStudies();
        if (!m_options.caseStudies.isEmpty())
            m_prefs->addCaseStudies(m_options.caseStudies);
    } catch (const StoreError &e) {
        m_error = QStringLiteral("Cannot open the device store %1: %2")
                      .arg(m_options.databasePath(), QString::fromUtf8(e.what()));
        return false;
    }
    // Forms the sync client downloads (<id>@<version>.json) sit beside the store.
    const QString downloaded = QDir(m_options.dataDir).filePath(QStringLiteral("downloaded-forms"));
    QDir().mkpath(downloaded);
    m_catalogue = new FormCatalogue(m_options.formsDir, downloaded, this);
    for (const QString &p : m_catalogue->problems())
        qWarning("Form left out: %s", qPrintable(p));

    switch (m_options.positioning) {
    case TabletOptions::Positioning::Nmea:
        m_position = PositionService::fromNmeaFile(m_options.nmeaFile, this);
        break;
    case TabletOptions::Positioning::Platform:
        m_position = PositionService::platformDefault(this);
        break;
    case TabletOptions::Positioning::None:
        m_position = new PositionService(nullptr, this);
        break;
    }
    SyncOptions syncOptions;
    syncOptions.formsDir = downloaded;
    syncOptions.appVersion = QCoreApplication::applicationVersion();
    syncOptions.deviceLabel = QSysInfo::prettyProductName();
    m_sync = new SyncController(this);
    m_sync->setStore(m_store);
    m_sync->setPrefs(m_prefs);
    m_sync->setCatalogue(m_catalogue);
    m_sync->setEngine(std::make_shared<SyncEngine>(m_options.databasePath(), syncOptions));

    // Once per process: Qt refuses a second setStyle() after QML imported the controls.
    static const bool styled = [] {
        QQuickStyle::setStyle(QStringLiteral("Material"));
        return true;
    }();
    Q_UNUSED(styled);
    m_engine = std::make_unique<QQmlApplicationEngine>();
    m_engine->addImportPath(QStringLiteral("qrc:/qt/qml"));
    m_engine->setInitialProperties({
        {QStringLiteral("store"), QVariant::fromValue(m_store)},
        {QStringLiteral("catalogue"), QVariant::fromValue(m_catalogue)},
        {QStringLiteral("position"), QVariant::fromValue(m_position)},
        {QStringLiteral("prefs"), QVariant::fromValue(m_prefs)},
        {QStringLiteral("sync"), QVariant::fromValue(m_sync)},
    });
    m_engine->load(QUrl(QStringLiteral("qrc:/qt/qml/Kerbside/Ui/Main.qml")));
    if (m_engine->rootObjects().isEmpty()) {
        m_error = QStringLiteral("Main.qml did not load (see the QML errors above)");
        return false;
    }
    placeWindow();
    return true;
}

void TabletApp::placeWindow()
{
    QQuickWindow *w = window();
    if (!w)
        return;
    if (m_options.windowSize.isValid()) {
        w->resize(m_options.windowSize);
        w->show();
        return;
    }
#if defined(Q_OS_ANDROID) || defined(Q_OS_IOS)
    w->showFullScreen();
#else
    QSize size(1280, 800);
    if (const QScreen *screen = w->screen())
        size = size.boundedTo(screen->availableSize());
    w->resize(size);
    w->show();
#endif
}

QQuickWindow *TabletApp::window() const
{
    if (!m_engine || m_engine->rootObjects().isEmpty())
        return nullptr;
    return qobject_cast<QQuickWindow *>(m_engine->rootObjects().first());
}

InterviewController *TabletApp::interview() const
{
    QQuickWindow *w = window();
    return w ? w->findChild<InterviewController *>() : nullptr;
}

void TabletApp::showScreen(const QString &name)
{
    if (QQuickWindow *w = window())
        QMetaObject::invokeMethod(w, "showScreen", Q_ARG(QVariant, QVariant(name)));
    settle();
}

int TabletApp::runSelfTest()
{
    QQuickWindow *w = window();
    if (!w)
        return 1;
    w->show();
    settle();
    const QStringList screens{QStringLiteral("firstrun"), QStringLiteral("home"),
                              QStringLiteral("responses"), QStringLiteral("sync"),
                              QStringLiteral("settings")};
    for (const QString &s : screens)
        showScreen(s);

    // Every page of every form, so every editor is loaded at least once, then the review.
    InterviewController *iv = interview();
    if (!iv) {
        qWarning("self-test: Main.qml has no InterviewController");
        return warningCount() + 1;
    }
    for (int row = 0; row < m_catalogue->count(); ++row) {
        const QString formId = m_catalogue->formIdAt(row);
        showScreen(QStringLiteral("interview"));
        if (!iv->start(formId)) {
            qWarning("self-test: could not start %s", qPrintable(formId));
            continue;
        }
        settle();
        for (const Question &q : m_catalogue->form(formId)->questions) {
            iv->jumpTo(q.name);
            settle();
        }
        for (const QString &lang : iv->languages()) {
            iv->setLanguage(lang);
            settle();
        }
        iv->showReview();
        settle();
        iv->discard();
        settle();
    }
    // The largest text, high contrast and Polish once, on every screen.
    m_prefs->setTextSize(m_prefs->textSizeCount() - 1);
    m_prefs->setHighContrast(true);
    m_prefs->setUiLanguage(QStringLiteral("pl"));
    for (const QString &s : screens)
        showScreen(s);
    m_prefs->setTextSize(1);
    m_prefs->setHighContrast(false);
    m_prefs->setUiLanguage(QStringLiteral("en"));
    showScreen(QStringLiteral("home"));
    return warningCount(); // load() counts too: a QML error while loading fails the self-test
}

} // namespace kerbside
