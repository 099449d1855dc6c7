// SPDX-License-Identifier: Apache-2.0
// Catch2 main for Kerbside tests: a QCoreApplication exists for the whole run and
// QStandardPaths is in test mode, so no test touches the user's real files.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <QCoreApplication>
#include <QStandardPaths>

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true);
    return Catch::Session().run(argc, argv);
}
