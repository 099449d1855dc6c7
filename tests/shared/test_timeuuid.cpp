// SPDX-License-Identifier: Apache-2.0
// Version-7 UUIDs: the form the collector's indexes rely on (time first, strictly increasing).
#include "store/timeuuid.h"

#include <QDateTime>
#include <QSet>
#include <QUuid>

#include <catch2/catch.hpp>

#include <thread>
#include <vector>

using namespace kerbside;

TEST_CASE("time-ordered UUIDs are canonical version 7 with the current time")
{
    const qint64 before = QDateTime::currentMSecsSinceEpoch();
    const QString u = newTimeOrderedUuid();
    const qint64 after = QDateTime::currentMSecsSinceEpoch();
    CHECK(u.size() == 36);
    CHECK(u == u.toLower());
    const QUuid parsed = QUuid::fromString(u);
    REQUIRE_FALSE(parsed.isNull());
    CHECK((uchar(parsed.toRfc4122().at(6)) >> 4) == 7); // QUuid::version() of Qt 6.4 stops at 5
    CHECK(parsed.variant() == QUuid::DCE);
    CHECK(u.at(14) == QLatin1Char('7'));
    const qint64 ms = timeOrderedUuidMs(u);
    CHECK(ms >= before);
    CHECK(ms <= after + 1);
}

TEST_CASE("time-ordered UUIDs sort in the order they were made, even within one millisecond")
{
    std::vector<QString> made;
    for (int i = 0; i < 20000; ++i)
        made.push_back(newTimeOrderedUuid());
    for (size_t i = 1; i < made.size(); ++i)
        REQUIRE(made[i - 1] < made[i]); // text order is byte order is time order
}

TEST_CASE("time-ordered UUIDs are unique across threads")
{
    std::vector<std::vector<QString>> perThread(4);
    std::vector<std::thread> threads;
    for (auto &out : perThread)
        threads.emplace_back([&out] {
            for (int i = 0; i < 5000; ++i)
                out.push_back(newTimeOrderedUuid());
        });
    for (auto &t : threads)
        t.join();
    QSet<QString> all;
    for (const auto &out : perThread) {
        for (size_t i = 1; i < out.size(); ++i)
            REQUIRE(out[i - 1] < out[i]);
        for (const QString &u : out)
            all.insert(u);
    }
    CHECK(all.size() == 20000);
}

TEST_CASE("timeOrderedUuidMs refuses other UUIDs")
{
    CHECK(timeOrderedUuidMs(QUuid::createUuid().toString(QUuid::WithoutBraces)) == -1);
    CHECK(timeOrderedUuidMs(QStringLiteral("not a uuid")) == -1);
    CHECK(timeOrderedUuidMs(QStringLiteral("017f22e2-79b0-7cc3-98c4-dc0c0c07398f")) == 0x017f22e279b0); // RFC 9562 example
}

TEST_CASE("timeOrderedUuid builds the RFC 9562 example from its parts")
{
    CHECK(timeOrderedUuid(0x017F22E279B0, 0xCC3, 0x18C4DC0C0C07398FULL) == QStringLiteral("017f22e2-79b0-7cc3-98c4-dc0c0c07398f"));
}
