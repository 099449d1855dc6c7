// SPDX-License-Identifier: Apache-2.0
// bench_form: load + validate time of the vox-pop form against just parsing its JSON with
// QJsonDocument in the same process (machines here are noisy: compare the ratio, not the times).
#include "form/formloader.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <vector>

namespace {

QByteArray readFile(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        std::fprintf(stderr, "cannot read %s\n", qPrintable(path));
        std::exit(1);
    }
    return f.readAll();
}

// Median wall time of one call, in microseconds; runs are interleaved by the caller.
double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

double timeOnce(const std::function<void()> &f)
{
    QElapsedTimer t;
    t.start();
    f();
    return double(t.nsecsElapsed()) / 1000.0;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QString source = QStringLiteral(KERBSIDE_SOURCE_DIR);
    const QByteArray voxpop = readFile(source + QStringLiteral("/forms/community-contracts-voxpop.json"));
    const QByteArray bad = readFile(source + QStringLiteral("/tests/data/forms/many-problems.json"));

    if (!kerbside::FormLoader::loadJson(voxpop).ok()) {
        std::fprintf(stderr, "the vox-pop form does not load clean\n");
        return 1;
    }
    constexpr int kRuns = 2000;
    std::vector<double> parse, load, badParse, badLoad;
    int sink = 0; // keeps the work observable
    for (int i = 0; i < kRuns; ++i) {
        // Interleaved so that drift in machine load hits both sides alike.
        parse.push_back(timeOnce([&] { sink += int(QJsonDocument::fromJson(voxpop).object().size()); }));
        load.push_back(timeOnce([&] { sink += int(kerbside::FormLoader::loadJson(voxpop).ok()); }));
        badParse.push_back(timeOnce([&] { sink += int(QJsonDocument::fromJson(bad).object().size()); }));
        badLoad.push_back(timeOnce([&] { sink += int(kerbside::FormLoader::loadJson(bad).problems.size()); }));
    }
    const double p = median(parse), l = median(load), bp = median(badParse), bl = median(badLoad);
    std::printf("vox-pop form: %lld bytes, %d runs each (median)\n", qlonglong(voxpop.size()), kRuns);
    std::printf("  QJsonDocument::fromJson (baseline)   %9.1f us\n", p);
    std::printf("  FormLoader::loadJson (load+validate) %9.1f us   ratio %.1fx\n", l, l / p);
    std::printf("many-problems form: %lld bytes (14 problems, with line numbers)\n", qlonglong(bad.size()));
    std::printf("  QJsonDocument::fromJson (baseline)   %9.1f us\n", bp);
    std::printf("  FormLoader::loadJson (load+validate) %9.1f us   ratio %.1fx\n", bl, bl / bp);
    return sink == -1 ? 1 : 0;
}
