// SPDX-License-Identifier: Apache-2.0
// The fieldwork plan end to end through bin/kerbside: areas, quotas and population margins
// set (and refused) on the command line, `quota show` from the counters, and the export's
// quota_cell, inside_area, distance_to_area_m and weight variables with weights.csv.
#include "exportfixture.h"

#include "geo/geojsonreader.h"

#include <cmath>

using namespace kerbside;
using namespace kerbside::test;

namespace {

ProcessResult run(const QStringList &args)
{
    return runProcess(kerbsideBinary(), args);
}

QString writeFile(const QTemporaryDir &dir, const QString &name, const QByteArray &bytes)
{
    const QString path = dir.filePath(name);
    QFile f(path);
    REQUIRE(f.open(QIODevice::WriteOnly));
    f.write(bytes);
    return path;
}

} // namespace

TEST_CASE("quotas, areas and margins through bin/kerbside, and the export's fieldwork variables and weights", "[export][quota]")
{
    SimulatedDb db(600, 1); // Moss Side, centre 53.4586, -2.2452
    const QString cs = QStringLiteral("moss-side");
    const QString dbArg = db.path;
    db.store.reset(); // the commands below open the file themselves
    QTemporaryDir files;

    // Area: refused with its line, then stored (about 600 x 600 m round the centre).
    const QString bad = writeFile(files, QStringLiteral("bad.geojson"), "{\"type\": \"Point\",\n \"coordinates\": [-2.24, 53.45]}");
    ProcessResult r = run({"casestudy", "area", cs, "--geojson", bad, "--db", dbArg});
    CHECK(r.exitCode == 1);
    CHECK_THAT(r.err.toStdString(), Catch::Contains("bad.geojson line 1") && Catch::Contains("Point is not an area"));
    const QString area = writeFile(files, QStringLiteral("moss-side.geojson"),
        R"({"type":"Feature","properties":{"name":"Moss Side"},"geometry":{"type":"Polygon","coordinates":
        [[[-2.2497,53.4559],[-2.2407,53.4559],[-2.2407,53.4613],[-2.2497,53.4613],[-2.2497,53.4559]]]}})");
    r = run({"casestudy", "area", cs, "--geojson", area, "--db", dbArg});
    INFO(r.err.toStdString());
    CHECK(r.exitCode == 0);
    CHECK(r.out.trimmed() == "area of moss-side stored as version 1");

    // Quotas: refusals first (nothing changes), then the real targets.
    const QString form = QStringLiteral("community-contracts-voxpop");
    const QString dup = writeFile(files, QStringLiteral("dup.csv"), "age_band,gender,target\n55_64,woman,3\n55_64,woman,4\n");
    r = run({"quota", "set", cs, "--form", form, "--by", "age_band,gender", "--targets", dup, "--db", dbArg});
    CHECK(r.exitCode == 1);
    CHECK_THAT(r.err.toStdString(), Catch::Contains("dup.csv line 3: cell age_band=55_64;gender=woman is already given on line 2"));
    const QString targets = writeFile(files, QStringLiteral("targets.csv"),
                                      "age_band,gender,target\n55_64,woman,12\n16_24,man,8\n25_34,woman,20\n");
    r = run({"quota", "set", cs, "--form", form, "--by", "age_band,heard_how", "--targets", targets, "--db", dbArg});
    CHECK(r.exitCode == 1);
    CHECK_THAT(r.err.toStdString(), Catch::Contains("not select_one"));
    r = run({"quota", "show", "--db", dbArg});
    CHECK(r.out.trimmed() == "no case study has quotas yet (kerbside quota set)");
    r = run({"quota", "set", cs, "--form", form, "--by", "age_band,gender", "--targets", targets, "--mode", "hard", "--db", dbArg});
    INFO(r.err.toStdString());
    REQUIRE(r.exitCode == 0);
    CHECK_THAT(r.out.toStdString(), Catch::Contains("version 1, hard mode): 32 cells, total target 40"));

    r = run({"quota", "show", cs, "--csv", "--db", dbArg});
    REQUIRE(r.exitCode == 0);
    const QList<QByteArray> lines = r.out.trimmed().split('\n');
    REQUIRE(lines.size() == 33);
    CHECK(lines[0] == "case_study,cell,target,achieved,remaining,age_band,gender");
    qint64 achievedTotal = 0;
    QHash<QString, qint64> achieved;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QList<QByteArray> f = lines[i].split(',');
        REQUIRE(f.size() == 7);
        CHECK(f[0] == "moss-side");
        CHECK(f[1] == "age_band=" + f[5] + ";gender=" + f[6]);
        CHECK(f[4].toLongLong() == std::max<qint64>(0, f[2].toLongLong() - f[3].toLongLong()));
        achieved.insert(QString::fromUtf8(f[1]), f[3].toLongLong());
        achievedTotal += f[3].toLongLong();
    }
    for (qsizetype i = 2; i < lines.size(); ++i) // most needed first
        CHECK(lines[i - 1].split(',')[4].toLongLong() >= lines[i].split(',')[4].toLongLong());
    r = run({"quota", "show", "--db", dbArg});
    CHECK_THAT(r.out.toStdString(), Catch::Contains("moss-side: " + std::to_string(achievedTotal) + " of 40 interviews"));

    // Population margins: refused when they do not add up, then two of them.
    const QString badShares = writeFile(files, QStringLiteral("g-bad.csv"), "gender,share\nwoman,0.6\nman,0.6\n");
    r = run({"quota", "population", cs, "--by", "gender", "--file", badShares, "--db", dbArg});
    CHECK(r.exitCode == 1);
    CHECK_THAT(r.err.toStdString(), Catch::Contains("add up to 1.2"));
    const QString gender = writeFile(files, QStringLiteral("gender.csv"), "gender,share\nwoman,0.51\nman,0.47\nother,0.02\n");
    const QString age = writeFile(files, QStringLiteral("age.csv"),
                                  "age_band,share\n16_24,0.18\n25_34,0.22\n35_44,0.17\n45_54,0.15\n55_64,0.12\n65_74,0.1\n75_plus,0.06\n");
    CHECK(run({"quota", "population", cs, "--by", "gender", "--file", gender, "--db", dbArg}).exitCode == 0);
    CHECK(run({"quota", "population", cs, "--by", "age_band", "--file", age, "--db", dbArg}).exitCode == 0);

    // Export: the four variables, checked against shared/geo and the quota counts.
    const QString out = files.filePath(QStringLiteral("export"));
    r = run({"export", "--db", dbArg, "--out", out, "--all", "--format", "csv"});
    INFO(r.err.toStdString());
    REQUIRE(r.exitCode == 0);
    const QList<QHash<QString, QString>> rows = csvRecords(pythonCsv(out + QStringLiteral("/") + form + QStringLiteral(".csv")));
    REQUIRE(rows.size() > 500);
    geo::GeoJsonProblem problem;
    const std::optional<geo::Area> shape = geo::GeoJsonReader::read(readAll(area), &problem);
    REQUIRE(shape);
    QHash<QString, qint64> cells;
    int inside = 0, outside = 0;
    double weightSum = 0, womenWeight = 0, youngWeight = 0;
    int weighted = 0;
    for (const auto &row : rows) {
        if (row.value(QStringLiteral("status")) == QStringLiteral("complete")) {
            // Both are required select_ones ("prefer not to say" is a choice, so a cell too). A
            // choice declared missing leaves its CSV cell empty (the reason is in the companion
            // file), while the quota cell keeps the choice's name.
            const QString age = row.value(QStringLiteral("age_band")), gender = row.value(QStringLiteral("gender"));
            const QString cell = row.value(QStringLiteral("quota_cell"));
            if (!age.isEmpty() && !gender.isEmpty())
                CHECK(cell == QStringLiteral("age_band=%1;gender=%2").arg(age, gender));
            else
                CHECK(cell.startsWith(QStringLiteral("age_band=")));
            if (!row.value(QStringLiteral("quota_cell")).isEmpty())
                ++cells[row.value(QStringLiteral("quota_cell"))];
            if (!row.value(QStringLiteral("weight")).isEmpty()) {
                const double w = row.value(QStringLiteral("weight")).toDouble();
                ++weighted;
                weightSum += w;
                if (row.value(QStringLiteral("gender")) == QStringLiteral("woman"))
                    womenWeight += w;
                if (row.value(QStringLiteral("age_band")) == QStringLiteral("16_24"))
                    youngWeight += w;
            }
        } else {
            CHECK(row.value(QStringLiteral("quota_cell")).isEmpty());
            CHECK(row.value(QStringLiteral("weight")).isEmpty());
        }
        const geo::LonLat p{row.value(QStringLiteral("longitude")).toDouble(), row.value(QStringLiteral("latitude")).toDouble()};
        const bool in = shape->contains(p);
        CHECK(row.value(QStringLiteral("inside_area")) == (in ? QStringLiteral("yes") : QStringLiteral("no")));
        CHECK(row.value(QStringLiteral("distance_to_area_m")).toDouble() == Approx(shape->distanceToBoundary(p)).margin(0.2)); // the export's coordinates are rounded to 1e-6 degrees
        (in ? inside : outside) += 1;
    }
    CHECK(inside > 0);
    CHECK(outside > 0);
    // quota_cell in the export and the counters kept at merge agree.
    for (auto it = cells.constBegin(); it != cells.constEnd(); ++it)
        CHECK(achieved.value(it.key()) == it.value());
    // The weighted margins equal the population shares; weights have mean 1.
    REQUIRE(weighted > 0);
    CHECK(weightSum / weighted == Approx(1.0).margin(1e-5));
    CHECK(womenWeight / weightSum == Approx(0.51).margin(1e-5));
    CHECK(youngWeight / weightSum == Approx(0.18).margin(1e-5));
    const QList<QHash<QString, QString>> weights = csvRecords(pythonCsv(out + QStringLiteral("/weights.csv")));
    REQUIRE(weights.size() == 3 + 7);
    for (const auto &w : weights) {
        CHECK(w.value(QStringLiteral("converged")) == QStringLiteral("1"));
        CHECK(w.value(QStringLiteral("weighted_share")).toDouble()
              == Approx(w.value(QStringLiteral("population_share")).toDouble()).margin(2e-6));
        CHECK(w.value(QStringLiteral("raked")).toInt() == weighted);
        CHECK(w.value(QStringLiteral("kish_deff")).toDouble() >= 1.0);
    }
    CHECK_THAT(readAll(out + QStringLiteral("/codebook.md")).toStdString(), Catch::Contains("distance_to_area_m"));

    // inside_area and status are labelled in each language of the form: the Polish syntax
    // relabels them in PSPP, and a --language pl export carries the Polish labels itself.
    const QString sav = files.filePath(QStringLiteral("sav"));
    r = run({"export", "--db", dbArg, "--out", sav, "--all", "--format", "sav,dta"});
    REQUIRE(r.exitCode == 0);
    const QString syntax = files.filePath(QStringLiteral("run.sps"));
    writeFile(files, QStringLiteral("run.sps"),
              "GET FILE='" + QFile::encodeName(sav + "/" + form + ".sav") + "'.\nDISPLAY DICTIONARY /VARIABLES=inside_area status.\n"
              "INSERT FILE='" + QFile::encodeName(sav + "/" + form + ".pl.sps") + "'.\n"
              "DISPLAY DICTIONARY /VARIABLES=inside_area status.\nFREQUENCIES inside_area.\n");
    const QString listing = files.filePath(QStringLiteral("listing.csv"));
    const ProcessResult p = runProcess(QStringLiteral("pspp"), {QStringLiteral("-O"), QStringLiteral("format=csv"),
                                                                QStringLiteral("-o"), listing, syntax});
    INFO(p.out.toStdString() << p.err.toStdString());
    REQUIRE(p.exitCode == 0);
    const QString text = QString::fromUtf8(readAll(listing));
    INFO(text.toStdString());
    const qsizetype relabelled = text.indexOf(QStringLiteral("W obszarze badania"));
    REQUIRE(relabelled > 0);
    CHECK(text.indexOf(QStringLiteral(",1,Inside the area")) < relabelled); // English before the syntax ran
    CHECK(text.contains(QStringLiteral(",2,Poza obszarem badania")));
    CHECK(text.contains(QStringLiteral(",3,Nie wiadomo (brak pozycji lub obszaru)")));
    CHECK(text.contains(QStringLiteral(",1,Ukończony")));
    // The frequencies after relabelling count the CSV's yes and no under the Polish labels.
    CHECK(text.contains(QStringLiteral("W obszarze badania,%1,").arg(inside)));
    CHECK(text.contains(QStringLiteral("Poza obszarem badania,%1,").arg(outside)));
    const QString doFile = QString::fromUtf8(readAll(sav + "/" + form + ".pl.do"));
    CHECK(doFile.contains(QStringLiteral("label define inside_area 1 `\"W obszarze badania\"' 2 `\"Poza obszarem badania\"'")));
    CHECK_FALSE(doFile.contains(QStringLiteral("label define inside_area 1 `\"W obszarze badania\"' 2 `\"Poza obszarem badania\"' 3 `\"Nie wiadomo (brak pozycji lub obszaru)\"' .a")));
    const QString pl = files.filePath(QStringLiteral("pl"));
    REQUIRE(run({"export", "--db", dbArg, "--out", pl, "--all", "--format", "sav", "--language", "pl"}).exitCode == 0);
    const QString en = QString::fromUtf8(readAll(pl + "/" + form + ".en.sps"));
    CHECK(en.contains(QStringLiteral("    1 'Inside the area'")));
}

TEST_CASE("kerbside simulate without --case-studies fills existing case studies honouring area, quotas and time slots", "[export][quota]")
{
    QTemporaryDir files;
    const QString dbArg = files.filePath(QStringLiteral("collector.sqlite"));
    const QString cs = QStringLiteral("northfield");
    const QString form = QStringLiteral("community-contracts-voxpop");
    REQUIRE(run({"casestudy", "add", cs, "--name", "Northfield Estate", "--db", dbArg}).exitCode == 0);
    REQUIRE(run({"publish", voxpopPath(), "--case-study", cs, "--db", dbArg}).exitCode == 0);
    const QString area = writeFile(files, QStringLiteral("northfield.geojson"),
        R"({"type":"MultiPolygon","coordinates":[[[[-1.95,52.40],[-1.94,52.40],[-1.94,52.406],[-1.95,52.406],[-1.95,52.40]],
            [[-1.947,52.402],[-1.945,52.402],[-1.945,52.404],[-1.947,52.404],[-1.947,52.402]]]]})");
    REQUIRE(run({"casestudy", "area", cs, "--geojson", area, "--db", dbArg}).exitCode == 0);
    // Women and men of two age bands, on weekday mornings and weekend afternoons: 8 cells of 15.
    QByteArray csv = "age_band,gender,@timeslot,target\n";
    QSet<QString> needed;
    for (const char *a : {"25_34", "55_64"})
        for (const char *g : {"woman", "man"})
            for (const char *t : {"weekday_morning", "weekend_afternoon"}) {
                csv += QByteArray(a) + ',' + g + ',' + t + ",15\n";
                needed.insert(QStringLiteral("age_band=%1;gender=%2;@timeslot=%3").arg(QLatin1String(a), QLatin1String(g), QLatin1String(t)));
            }
    const QString targets = writeFile(files, QStringLiteral("targets.csv"), csv);
    ProcessResult r = run({"quota", "set", cs, "--form", form, "--by", "age_band,gender,@timeslot", "--targets", targets,
                                "--time-zone", "Europe/London", "--db", dbArg});
    INFO(r.err.toStdString());
    REQUIRE(r.exitCode == 0);
    r = run({"simulate", "--db", dbArg, "--form", voxpopPath(), "--responses", "1500", "--seed", "12"});
    INFO(r.err.toStdString());
    REQUIRE(r.exitCode == 0);
    CHECK_THAT(r.out.toStdString(), Catch::Contains("into 1 case studies"));

    const QString out = files.filePath(QStringLiteral("export"));
    REQUIRE(run({"export", "--db", dbArg, "--out", out, "--all", "--format", "csv"}).exitCode == 0);
    const QList<QHash<QString, QString>> rows = csvRecords(pythonCsv(out + QStringLiteral("/") + form + QStringLiteral(".csv")));
    REQUIRE(rows.size() == 1500);
    int outside = 0, complete = 0, inNeeded = 0;
    QHash<QString, qint64> cells;
    for (const auto &row : rows) {
        if (row.value(QStringLiteral("inside_area")) == QStringLiteral("no")) {
            ++outside;
            const double d = row.value(QStringLiteral("distance_to_area_m")).toDouble();
            CHECK(d >= 99.9);
            CHECK(d <= 400.1);
        } else {
            CHECK(row.value(QStringLiteral("inside_area")) == QStringLiteral("yes"));
        }
        if (row.value(QStringLiteral("status")) != QStringLiteral("complete"))
            continue;
        ++complete;
        const QString cell = row.value(QStringLiteral("quota_cell"));
        if (!cell.isEmpty()) {
            ++cells[cell];
            inNeeded += needed.contains(cell);
        }
    }
    // About 5% outside (75 of 1500 expected).
    CHECK(outside > 35);
    CHECK(outside < 120);
    // Needed cells are approached far more often than chance: the 8 needed cells are 8 of 192
    // (8 age bands x 4 genders x 6 slots, about 4%), yet they hold over a fifth of the interviews
    // (at most a third could be: only 2 of the 6 time slots have needed cells).
    CHECK(inNeeded * 5 > complete);
    r = run({"quota", "show", cs, "--csv", "--db", dbArg});
    int finished = 0, overshot = 0, unfinished = 0;
    for (const QByteArray &line : r.out.trimmed().split('\n').mid(1)) {
        const QList<QByteArray> f = line.split(',');
        CHECK(cells.value(QString::fromUtf8(f[1])) == f[3].toLongLong()); // counters = the export's cells
        const qint64 target = f[2].toLongLong(), achieved = f[3].toLongLong();
        if (target > 0) {
            finished += achieved >= target;
            overshot += achieved > target; // offline devices overshoot a little
            unfinished += achieved < target;
        }
    }
    INFO("needed cells finished " << finished << ", overshot " << overshot << ", unfinished " << unfinished);
    CHECK(finished > 0);
    CHECK(overshot > 0);
}
