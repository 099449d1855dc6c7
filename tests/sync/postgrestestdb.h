// SPDX-License-Identifier: Apache-2.0
// Collector databases for tests on either backend: a file in a QTemporaryDir, or a throwaway
// PostgreSQL database (CREATE DATABASE kb_test_<random>, dropped after) on the cluster named
// by KERBSIDE_TEST_PG (.ci/postgres.sh starts one). Tests on many databases run in parallel.
#pragma once

#include "postgresconnection.h"

#include <QDir>
#include <QProcess>
#include <QRandomGenerator>
#include <QUrl>

#include <catch2/catch.hpp>

#include <string>
#include <vector>

namespace kerbside::test {

// The admin URL of the test cluster, or "" when none was given.
inline QString testPostgresUrl()
{
    return qEnvironmentVariable("KERBSIDE_TEST_PG");
}

/** One new, empty PostgreSQL database; dropped (with any connection left) on destruction. */
class PostgresTestDb
{
public:
    PostgresTestDb()
        : m_admin(testPostgresUrl()),
          m_name(QStringLiteral("kb_test_%1").arg(QRandomGenerator::system()->generate64(), 16, 16, QLatin1Char('0')))
    {
        REQUIRE_FALSE(m_admin.isEmpty());
        PgConnection(m_admin).execOnce(QStringLiteral("CREATE DATABASE %1").arg(m_name).toUtf8());
        QUrl url(m_admin);
        url.setPath(QLatin1Char('/') + m_name);
        m_url = url.toString();
    }
    ~PostgresTestDb()
    {
        try {
            PgConnection(m_admin).execOnce(QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(m_name).toUtf8());
        } catch (...) {
            // The cluster is thrown away after the run anyway.
        }
    }
    PostgresTestDb(const PostgresTestDb &) = delete;
    PostgresTestDb &operator=(const PostgresTestDb &) = delete;

    QString url() const { return m_url; }
    QString name() const { return m_name; }

    // Everything the database holds, as pg_dump writes it (schema and data).
    QByteArray dump() const
    {
        QProcess p;
        p.start(QStringLiteral("/usr/lib/postgresql/15/bin/pg_dump"), {QStringLiteral("--dbname=") + m_url});
        REQUIRE(p.waitForFinished(60000));
        INFO(p.readAllStandardError().toStdString());
        REQUIRE(p.exitCode() == 0);
        return p.readAllStandardOutput();
    }

private:
    QString m_admin;
    QString m_name;
    QString m_url;
};

// The backends the collector tests run against: "sqlite", plus "postgres" when
// KERBSIDE_TEST_PG is set. KERBSIDE_TEST_BACKENDS ("sqlite", "postgres" or both, comma
// separated) narrows the list. Call inside a test case.
inline std::vector<std::string> collectorTestBackends()
{
    std::vector<std::string> out;
    const QStringList wanted = qEnvironmentVariable("KERBSIDE_TEST_BACKENDS", QStringLiteral("sqlite,postgres"))
                                   .split(QLatin1Char(','), Qt::SkipEmptyParts);
    if (wanted.contains(QStringLiteral("sqlite")))
        out.push_back("sqlite");
    if (wanted.contains(QStringLiteral("postgres"))) {
        if (testPostgresUrl().isEmpty()) {
            static bool warned = false;
            if (!warned)
                WARN("KERBSIDE_TEST_PG is not set: the PostgreSQL backend is skipped (.ci/test.sh starts a cluster)");
            warned = true;
        } else {
            out.push_back("postgres");
        }
    }
    return out;
}

/** A collector database location (the `--db` value) on one backend. */
class TestCollectorDb
{
public:
    TestCollectorDb(const std::string &backend, const QString &dir)
    {
        if (backend == "postgres") {
            m_pg = std::make_unique<PostgresTestDb>();
            m_location = m_pg->url();
        } else {
            m_location = QDir(dir).filePath(QStringLiteral("collector.sqlite"));
        }
    }
    QString location() const { return m_location; }
    bool isPostgres() const { return m_pg != nullptr; }
    const PostgresTestDb *postgres() const { return m_pg.get(); }

private:
    std::unique_ptr<PostgresTestDb> m_pg;
    QString m_location;
};

} // namespace kerbside::test

// Runs the enclosing test case once per backend; `backend` names the current one.
#define KERBSIDE_FOR_EACH_COLLECTOR_BACKEND(backend)                                                     \
    const std::string backend = GENERATE(Catch::Generators::from_range(::kerbside::test::collectorTestBackends())); \
    INFO("backend: " << backend)
