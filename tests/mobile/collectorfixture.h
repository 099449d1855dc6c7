// SPDX-License-Identifier: Apache-2.0
#pragma once
// A real collector for tablet UI tests: a SQLite database made with the `kerbside` CLI (case
// study leeds, one form published to it), served by `kerbside serve` on 127.0.0.1; and first
// run with "Send to a collector", as a fieldworker does it.
#include "uiharness.h"

#include "sync/collectorprocess.h"
#include "synccontroller.h"

#include <catch2/catch.hpp>

#include <QRegularExpression>

namespace kerbside::test {

/** A collector database with case study leeds, `form` (the vox pop unless given) published to it, and its server. */
struct TestCollector
{
    QTemporaryDir dir;
    QString db = dir.filePath(QStringLiteral("collector.sqlite"));
    std::unique_ptr<CollectorProcess> server;

    explicit TestCollector(const QString &form = QStringLiteral("forms/community-contracts-voxpop.json"))
    {
        const CommandResult added = runKerbside(
            {QStringLiteral("casestudy"), QStringLiteral("add"), QStringLiteral("leeds"), QStringLiteral("--name"),
             QStringLiteral("Leeds"), QStringLiteral("--db"), db});
        INFO(added.err.toStdString());
        REQUIRE(added.exitCode == 0);
        const CommandResult published = runKerbside(
            {QStringLiteral("publish"), QStringLiteral("--db"), db, QStringLiteral("--case-study"), QStringLiteral("leeds"),
             sourcePath(form)});
        INFO(published.out.toStdString() << published.err.toStdString());
        REQUIRE(published.exitCode == 0);
        server = std::make_unique<CollectorProcess>(db);
    }

    QString newCode() const
    {
        const CommandResult r = runKerbside(
            {QStringLiteral("enrol"), QStringLiteral("--case-study"), QStringLiteral("leeds"), QStringLiteral("--db"), db});
        REQUIRE(r.exitCode == 0);
        static const QRegularExpression re(QStringLiteral("\\b([A-Z0-9]{5}-[A-Z0-9]{5})\\b"));
        const QRegularExpressionMatch m = re.match(r.out);
        REQUIRE(m.hasMatch());
        return m.captured(1);
    }
};

// First run with "Send to a collector": Start enrols there and says so.
inline void firstRunWithCollector(UiHarness &ui, const QString &url, const QString &code)
{
    ui.type(QStringLiteral("firstrun_enumerator"), QStringLiteral("Ewa Test"));
    ui.click(QStringLiteral("firstrun_collector"));
    ui.type(QStringLiteral("firstrun_url"), url);
    ui.type(QStringLiteral("firstrun_code"), code);
    ui.click(QStringLiteral("firstrun_finish"));
    SyncController *sync = ui.app().sync();
    REQUIRE(waitFor([&] { return !sync->busy(); }, 30000));
    settle();
}

} // namespace kerbside::test
