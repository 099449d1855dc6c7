// SPDX-License-Identifier: Apache-2.0
// kerbside-tablet: wires the services and shows the app. Everything else is in kerbside_ui.
#include "tabletapp.h"

#include <QGuiApplication>
#include <QtQml/qqmlextensionplugin.h>

#include <cstdio>

Q_IMPORT_QML_PLUGIN(KerbsideUiPlugin)

int main(int argc, char *argv[])
{
    QGuiApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("Kerbside"));
    QCoreApplication::setApplicationName(QStringLiteral("kerbside-tablet"));

    kerbside::TabletOptions options;
    QString error;
    if (!kerbside::TabletOptions::parse(app.arguments(), &options, &error)) {
        std::fprintf(stderr, "%s\n", qPrintable(error));
        return error == kerbside::TabletOptions::usage() ? 0 : 2;
    }
    if (options.selfTest)
        kerbside::TabletApp::installWarningCounter();

    kerbside::TabletApp tablet(options);
    if (!tablet.load()) {
        std::fprintf(stderr, "kerbside-tablet: %s\n", qPrintable(tablet.errorString()));
        return 1;
    }
    if (options.selfTest) {
        const int warnings = tablet.runSelfTest();
        std::fprintf(stderr, "kerbside-tablet --self-test: %d warning(s)\n", warnings);
        return warnings == 0 ? 0 : 1;
    }
    return app.exec();
}
