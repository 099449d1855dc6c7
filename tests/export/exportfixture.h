// SPDX-License-Identifier: Apache-2.0
// Helpers for the export tests: a simulated collector database and the real readers.
#pragma once

#include "testpaths.h"

#include "collectorstore.h"
#include "form/formloader.h"
#include "simulator.h"

#include <catch2/catch.hpp>

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>

#include <memory>
#include <optional>

namespace kerbside::test {

inline QByteArray readAll(const QString &path)
{
    QFile f(path);
    REQUIRE(f.open(QIODevice::ReadOnly));
    return f.readAll();
}

inline QString voxpopPath()
{
    return sourcePath(QStringLiteral("forms/community-contracts-voxpop.json"));
}

inline Form voxpopForm()
{
    const FormLoadResult r = FormLoader::loadFile(voxpopPath());
    REQUIRE(r.ok());
    return *r.form;
}

/** A collector database filled by the simulator. */
struct SimulatedDb
{
    QTemporaryDir dir;
    QString path;
    std::unique_ptr<CollectorStore> store;
    SimulateResult result;

    explicit SimulatedDb(qint64 responses, int caseStudies = 2, quint64 seed = 7)
    {
        REQUIRE(dir.isValid());
        path = dir.filePath(QStringLiteral("collector.sqlite"));
        store = openCollectorStore(path);
        const Form form = voxpopForm();
        SimulateOptions o;
        o.responses = responses;
        o.caseStudies = caseStudies;
        o.seed = seed;
        o.batchSize = 100;
        o.poolSize = 300;
        Simulator sim(*store, form, readAll(voxpopPath()), o);
        result = sim.run();
    }
};

struct ProcessResult
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

inline ProcessResult runProcess(const QString &program, const QStringList &args, const QByteArray &input = {},
                                int timeoutMs = 120000)
{
    QProcess p;
    p.start(program, args);
    REQUIRE(p.waitForStarted());
    if (!input.isEmpty())
        p.write(input);
    p.closeWriteChannel();
    REQUIRE(p.waitForFinished(timeoutMs));
    return {p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput(),
            p.readAllStandardError()};
}

inline QString kerbsideBinary()
{
    return binaryPath(QStringLiteral("bin/kerbside"));
}

/** Reads a CSV file with Python's csv module; returns the rows (header first). */
inline QList<QStringList> pythonCsv(const QString &path)
{
    const QByteArray script =
        "import csv, json, sys\n"
        "with open(sys.argv[1], newline='', encoding='utf-8-sig') as f:\n"
        "    rows = list(csv.reader(f, strict=True))\n"
        "json.dump(rows, sys.stdout)\n";
    const ProcessResult r = runProcess(QStringLiteral("python3"), {QStringLiteral("-c"), QString::fromUtf8(script), path});
    INFO(r.err.toStdString());
    REQUIRE(r.exitCode == 0);
    QList<QStringList> rows;
    for (const QJsonValue &row : QJsonDocument::fromJson(r.out).array()) {
        QStringList cells;
        for (const QJsonValue &c : row.toArray())
            cells.append(c.toString());
        rows.append(cells);
    }
    return rows;
}

/** Rows of a CSV as maps column name -> value (header from the first row). */
inline QList<QHash<QString, QString>> csvRecords(const QList<QStringList> &rows)
{
    QList<QHash<QString, QString>> out;
    for (int i = 1; i < rows.size(); ++i) {
        QHash<QString, QString> rec;
        for (int c = 0; c < rows[0].size() && c < rows[i].size(); ++c)
            rec.insert(rows[0][c], rows[i][c]);
        out.append(rec);
    }
    return out;
}

} // namespace kerbside::test
