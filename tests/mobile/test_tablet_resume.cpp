// SPDX-License-Identifier: Apache-2.0
// kill -9 mid-interview: a real process answers through the real UI and is killed with SIGKILL;
// the next start offers Resume on the same page with every answer there.
#include "uiharness.h"

#include <catch2/catch.hpp>

#include <QProcess>
#include <QTemporaryDir>

#include <csignal>
#include <sys/types.h>

using namespace kerbside;

TEST_CASE("After SIGKILL mid-interview the next start resumes the same page with every answer", "[ui][resume]")
{
    QTemporaryDir dir;
    REQUIRE(dir.isValid());
    QProcess driver;
    driver.setProgram(QStringLiteral(KERBSIDE_TABLET_DRIVER));
    driver.setArguments({QStringLiteral("--data"), dir.path()});
    driver.setProcessChannelMode(QProcess::SeparateChannels);
    driver.start();
    REQUIRE(driver.waitForStarted(10000));
    QByteArray out;
    REQUIRE(test::waitFor([&] {
        out += driver.readAllStandardOutput();
        return out.contains('\n') || driver.state() == QProcess::NotRunning;
    }, 60000));
    INFO("driver stderr: " << driver.readAllStandardError().toStdString());
    const QList<QByteArray> ready = out.trimmed().split(' ');
    REQUIRE(ready.size() == 3);
    REQUIRE(ready[0] == "READY");
    const QString uuid = QString::fromLatin1(ready[1]);
    const int page = ready[2].toInt();

    REQUIRE(::kill(pid_t(driver.processId()), SIGKILL) == 0);
    REQUIRE(driver.waitForFinished(10000));
    CHECK(driver.exitStatus() == QProcess::CrashExit);

    test::UiHarness ui({}, dir.path());
    REQUIRE(ui.isShowing("resumeButton")); // first run is remembered; the draft is offered
    ui.click("resumeButton");
    REQUIRE(ui.interview().uuid() == uuid);
    CHECK(ui.interview().pageIndex() == page);
    CHECK(ui.isShowing("question_rate_drugs"));
    CHECK(ui.require("choice_rate_drugs_2")->property("checked").toBool());
    CHECK_FALSE(ui.require("choice_rate_drugs_3")->property("checked").toBool());
    CHECK(ui.interview().answer("change_drugs").isEmpty());
    CHECK(ui.interview().answer("consent") == QLatin1String("yes"));
    CHECK(ui.interview().answer("aware") == QLatin1String("yes"));
    CHECK(ui.interview().answer("heard_how") == QLatin1String("leaflet council"));
    CHECK(ui.interview().answer("involved") == QLatin1String("volunteer"));
    // And the fieldworker can carry on from there.
    ui.click("choice_change_drugs_same");
    ui.click("nextButton");
    CHECK(ui.isShowing("question_rate_bins"));
}
