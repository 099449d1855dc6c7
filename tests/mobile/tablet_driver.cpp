// SPDX-License-Identifier: Apache-2.0
// Test driver (not the product): runs the real tablet UI on --data DIR, answers the vox pop up
// to the middle of the "drugs" page through real clicks, prints "READY <uuid> <page>" and then
// waits to be killed (test_tablet_resume sends SIGKILL).
#include "uiharness.h"

#include <QGuiApplication>
#include <QtQml/qqmlextensionplugin.h>

#include <cstdio>

Q_IMPORT_QML_PLUGIN(KerbsideUiPlugin)

int main(int argc, char **argv)
{
    if (!qEnvironmentVariableIsSet("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    if (!qEnvironmentVariableIsSet("QT_QUICK_BACKEND"))
        qputenv("QT_QUICK_BACKEND", "software"); // the same pixels on every machine
    QGuiApplication app(argc, argv);
    const QStringList args = app.arguments();
    const qsizetype d = args.indexOf(QStringLiteral("--data"));
    if (d < 0 || d + 1 >= args.size()) {
        std::fprintf(stderr, "usage: tablet_driver --data DIR\n");
        return 2;
    }
    try {
        kerbside::test::UiHarness ui({}, args[d + 1]);
        ui.completeFirstRun();
        ui.click(QStringLiteral("form_community-contracts-voxpop"));
        ui.click(QStringLiteral("startInterviewButton"));
        const QStringList script{
            "consent=yes", "next", "age_band=45_54", "gender=man", "next", "aware=yes", "next", "heard_how=leaflet", "heard_how=council",
            "next", "involved=volunteer", "next", "next", "rate_drugs=2"};
        for (const QString &step : script) {
            if (step == QLatin1String("next")) {
                ui.click(QStringLiteral("nextButton"));
                continue;
            }
            const QStringList kv = step.split('=');
            ui.click(QStringLiteral("choice_%1_%2").arg(kv[0], kv[1]));
        }
        std::printf("READY %s %d\n", qPrintable(ui.interview().uuid()), ui.interview().pageIndex());
        std::fflush(stdout);
        return app.exec(); // until killed
    } catch (const std::exception &e) {
        std::fprintf(stderr, "tablet_driver: %s\n", e.what());
        return 1;
    }
}
